"""spreadsheets.batchUpdate: every request applied in order to a copy, all or nothing.

    apply_batch(book, body) -> BatchUpdateSpreadsheetResponse
      requests[i] = {"<kind>": payload}  ->  replies[i] = {"<kind>": reply} or {}

Cell requests: updateCells, repeatCell, appendCells (after the last row holding a value).

A request Google would refuse raises 400 INVALID_ARGUMENT "Invalid requests[i].<kind>: …" and
nothing of the batch is applied (the server only commits the copy on success). Tab and cell
requests live here; protections, charts, validations and sizes in `objects.py`,
conditional formats in `conditional.py`, inserted/deleted/moved rows and columns and sorts in
`dimensions.py`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from . import cells, conditional, dimensions, formulas, objects
from .errors import invalid_argument
from .fields import apply_mask, clone, parse_fields
from .model import DEFAULT_COLUMNS, DEFAULT_ROWS, Sheet, Spreadsheet
from .objects import RequestError, grid_range, sheet_by_id

Handler = Callable[[Spreadsheet, dict[str, Any]], dict[str, Any] | None]


def apply_batch(book: Spreadsheet, body: Mapping[str, Any]) -> dict[str, Any]:
    """Apply `body["requests"]` to `book` (a copy the caller commits on success)."""
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests:
        raise invalid_argument("Must specify at least one request.")
    replies: list[dict[str, Any]] = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or len(request) != 1:
            raise invalid_argument(
                f"Invalid requests[{i}]: exactly one kind of request is required."
            )
        kind, payload = next(iter(request.items()))
        handler = HANDLERS.get(kind)
        if handler is None:
            raise invalid_argument(
                f'Invalid JSON payload received. Unknown name "{kind}" at '
                f"'requests[{i}]': Cannot find field."
            )
        if not isinstance(payload, dict):
            raise invalid_argument(f"Invalid requests[{i}].{kind}: expected an object.")
        try:
            reply = handler(book, payload)
        except RequestError as err:
            raise invalid_argument(f"Invalid requests[{i}].{kind}: {err}") from None
        replies.append({kind: reply} if reply is not None else {})
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        out["updatedSpreadsheet"] = book.metadata({})
    return out


# --- tabs -----------------------------------------------------------------------------------


def add_sheet(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    props = copy.deepcopy(payload.get("properties") or {})
    if props.get("sheetType", "GRID") != "GRID":
        raise RequestError("only GRID sheets can be added (emulator limit).")
    title = props.get("title")
    if title is None:
        n = len(book.sheets) + 1
        while book.find_title(f"Sheet{n}") is not None:
            n += 1
        title = f"Sheet{n}"
    if not isinstance(title, str) or not title.strip():
        raise RequestError("Sheet title must not be empty.")
    if book.find_title(title) is not None:
        raise RequestError(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    sheet_id = props.get("sheetId")
    if sheet_id is not None and (not isinstance(sheet_id, int) or book.find(sheet_id)):
        raise RequestError(f"Sheet with id {sheet_id} already exists.")
    grid = props.get("gridProperties") or {}
    sheet = book.add_sheet(
        title,
        grid.get("rowCount", DEFAULT_ROWS),
        grid.get("columnCount", DEFAULT_COLUMNS),
        sheet_id,
        props.get("index"),
    )
    extra = {
        k: v
        for k, v in props.items()
        if k not in ("sheetId", "title", "index", "sheetType", "gridProperties")
    }
    sheet.properties.update(extra)
    sheet.properties["gridProperties"].update(
        {k: v for k, v in grid.items() if k not in ("rowCount", "columnCount")}
    )
    _check_sheet(book, sheet)
    return {"properties": sheet.properties_json(book.sheets.index(sheet))}


def delete_sheet(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = sheet_by_id(book, payload.get("sheetId", 0))
    if len(book.sheets) == 1:
        raise RequestError("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    if all(s.hidden for s in book.sheets):
        raise RequestError("You can't hide all the sheets in a document.")


def duplicate_sheet(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """A copy of a tab: cells, sizes, merges, conditional formats and charts, every range on
    the source tab re-pointed at the copy (charts get new ids). Protected ranges are not
    copied (emulator simplification)."""
    if "sourceSheetId" not in payload:
        raise RequestError("sourceSheetId is required.")
    source = sheet_by_id(book, payload["sourceSheetId"])
    sheet_id = payload.get("newSheetId")
    if sheet_id is not None and (
        not isinstance(sheet_id, int) or sheet_id < 0 or book.find(sheet_id) is not None
    ):
        raise RequestError(f"Sheet with id {sheet_id} already exists.")
    title = payload.get("newSheetName") or f"Copy of {source.title}"
    n = 2
    while not payload.get("newSheetName") and book.find_title(title) is not None:
        title, n = f"Copy of {source.title} {n}", n + 1
    if book.find_title(title) is not None:
        raise RequestError(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    index = payload.get("insertSheetIndex", book.sheets.index(source) + 1)
    sheet = book.add_sheet(title, source.rows, source.cols, sheet_id, int(index))
    copied = clone(source.properties)
    copied.update(sheetId=sheet.sheet_id, title=title)
    sheet.properties = copied
    sheet.cells = dict(source.cells)  # stored cells are never changed in place (model.py)
    sheet.column_meta, sheet.row_meta = clone(source.column_meta), clone(source.row_meta)

    def moved(value: Any) -> Any:
        value = clone(value)
        for rng in _sheet_refs(value):
            if rng.get("sheetId", 0) == source.sheet_id:
                rng["sheetId"] = sheet.sheet_id
        return value

    sheet.merges = moved(source.merges)
    sheet.conditional_formats = moved(source.conditional_formats)
    for chart in source.charts:
        twin = moved(chart)
        twin["chartId"] = book.new_id()
        sheet.charts.append(twin)
    _check_sheet(book, sheet)
    return {"properties": sheet.properties_json(book.sheets.index(sheet))}


def _sheet_refs(value: Any) -> list[dict[str, Any]]:
    """Every object that names a cell or range of a tab (GridRange, GridCoordinate): those
    holding a row or column index, or a sheetId."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if "sheetId" in value or any(k.endswith(("RowIndex", "ColumnIndex")) for k in value):
            found.append(value)
        for item in value.values():
            found.extend(_sheet_refs(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_sheet_refs(item))
    return found


def update_sheet_properties(book: Spreadsheet, payload: dict[str, Any]) -> None:
    props = payload.get("properties") or {}
    sheet = sheet_by_id(book, props.get("sheetId", 0))
    tree = parse_fields(_required_fields(payload))
    if "*" in tree:
        tree = {k: {} for k in props if k != "sheetId"}
    if "sheetId" in tree and props.get("sheetId", 0) != sheet.sheet_id:
        raise RequestError("sheetId cannot be changed.")
    index = tree.pop("index", None)
    tree.pop("sheetId", None)
    updated = copy.deepcopy(sheet.properties)
    apply_mask(updated, props, tree)
    updated["sheetId"] = sheet.sheet_id
    updated.setdefault("gridProperties", {})
    for key, default in (("rowCount", sheet.rows), ("columnCount", sheet.cols)):
        updated["gridProperties"].setdefault(key, default)
    sheet.properties = updated
    if index is not None:
        target = int(props.get("index", 0))
        current = book.sheets.index(sheet)
        book.sheets.remove(sheet)
        if target > current:
            target -= 1
        book.sheets.insert(max(0, min(target, len(book.sheets))), sheet)
    _check_sheet(book, sheet)
    sheet.drop_outside()


def update_spreadsheet_properties(book: Spreadsheet, payload: dict[str, Any]) -> None:
    tree = parse_fields(_required_fields(payload))
    apply_mask(book.properties, payload.get("properties") or {}, tree)
    if not str(book.properties.get("title", "")).strip():
        raise RequestError("The spreadsheet title must not be empty.")


def _required_fields(payload: Mapping[str, Any]) -> str:
    fields = payload.get("fields")
    if not fields:
        raise RequestError("At least one field must be specified in 'fields'.")
    return str(fields)


def _check_sheet(book: Spreadsheet, sheet: Sheet) -> None:
    title = sheet.properties.get("title")
    if not isinstance(title, str) or not title.strip():
        raise RequestError("Sheet title must not be empty.")
    if any(s is not sheet and s.title.casefold() == title.casefold() for s in book.sheets):
        raise RequestError(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    grid = sheet.properties["gridProperties"]
    for key in ("rowCount", "columnCount", "frozenRowCount", "frozenColumnCount"):
        value = grid.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RequestError(f"Invalid gridProperties.{key}: {value!r}")
    if sheet.rows < 1 or sheet.cols < 1:
        raise RequestError("A sheet must keep at least one row and one column.")
    if grid.get("frozenRowCount", 0) >= sheet.rows and grid.get("frozenRowCount", 0):
        raise RequestError("You can't freeze all visible rows on the sheet.")
    if grid.get("frozenColumnCount", 0) >= sheet.cols and grid.get("frozenColumnCount", 0):
        raise RequestError("You can't freeze all visible columns on the sheet.")
    if all(s.hidden for s in book.sheets):
        raise RequestError("You can't hide all the sheets in a document.")


# --- cells ----------------------------------------------------------------------------------


def _row_data(payload: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The `rows` of updateCells / appendCells (RowData), each cell checked."""
    rows = payload.get("rows") or []
    if not isinstance(rows, list):
        raise RequestError("rows must be a list.")
    grid: list[list[dict[str, Any]]] = []
    for r, row in enumerate(rows):
        values = (row or {}).get("values") or [] if isinstance(row, dict) else None
        if not isinstance(values, list):
            raise RequestError(f"rows[{r}].values must be a list.")
        for c, cell in enumerate(values):
            _check_cell_data(cell, f"rows[{r}].values[{c}]")
        grid.append(values)
    return grid


def update_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    tree = parse_fields(_required_fields(payload))
    grid = _row_data(payload)
    if "range" in payload and "start" in payload:
        raise RequestError("Only one of range or start may be set.")
    if "range" in payload:
        sheet, row0, col0, row_end, col_end = grid_range(book, payload["range"])
        if len(grid) > row_end - row0 or any(len(v) > col_end - col0 for v in grid):
            raise RequestError("The rows do not fit in the range.")
    else:
        start = payload.get("start") or {}
        sheet = sheet_by_id(book, start.get("sheetId", 0))
        row0, col0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        row_end = row0 + len(grid)
        col_end = col0 + max((len(v) for v in grid), default=0)
        objects.check_inside(sheet, row0, col0, row_end, col_end)
    for r in range(row0, row_end):
        source_row = grid[r - row0] if r - row0 < len(grid) else []
        for c in range(col0, col_end):
            if "range" not in payload and c - col0 >= len(source_row):
                continue
            source = source_row[c - col0] if c - col0 < len(source_row) else {}
            _apply_cell(sheet, r, c, source or {}, tree, formulas.locale_of(book.properties))


def append_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """appendCells: the rows go after the last row holding a value (not merely formatted
    or validated), the grid grown to fit, as Google does. No reply ({})."""
    tree = parse_fields(_required_fields(payload))
    sheet = sheet_by_id(book, payload.get("sheetId", 0))
    grid = _row_data(payload)
    first = 1 + max((r for (r, _), cell in sheet.cells.items() if "userEnteredValue" in cell),
                    default=-1)
    sheet.grow(first + len(grid), max((len(v) for v in grid), default=0))
    for r, values in enumerate(grid, start=first):
        for c, cell in enumerate(values):
            _apply_cell(sheet, r, c, cell or {}, tree, formulas.locale_of(book.properties))


def repeat_cell(book: Spreadsheet, payload: dict[str, Any]) -> None:
    tree = parse_fields(_required_fields(payload))
    cell = payload.get("cell") or {}
    _check_cell_data(cell, "cell")
    sheet, row0, col0, row_end, col_end = grid_range(book, payload.get("range") or {})
    for r in range(row0, row_end):
        for c in range(col0, col_end):
            _apply_cell(sheet, r, c, cell, tree, formulas.locale_of(book.properties))


def _apply_cell(
    sheet: Sheet, row: int, col: int, source: dict[str, Any], tree: dict[str, Any],
    locale: str = "en_US",
) -> None:
    if "*" in tree:  # the whole cell is replaced: no need to copy the old one
        target = clone(source)
    else:
        target = clone(sheet.cells.get((row, col), {}))
        apply_mask(target, source, tree)
    if isinstance(target.get("userEnteredFormat"), dict):
        cells.normalise_format(target["userEnteredFormat"])
    formulas.mark(target, locale)  # parsed when written, in the spreadsheet's locale
    sheet.put(row, col, target)


_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "stringValue": (str,),
    "numberValue": (int, float),
    "boolValue": (bool,),
    "formulaValue": (str,),
    "errorValue": (dict,),
}


def _check_cell_data(cell: Any, where: str) -> None:
    if not isinstance(cell, dict):
        raise RequestError(f"{where} must be a CellData object.")
    value = cell.get("userEnteredValue")
    if value is None:
        return
    if not isinstance(value, dict) or len(value) != 1:
        raise RequestError(f"{where}.userEnteredValue must hold exactly one value.")
    kind, raw = next(iter(value.items()))
    types = _VALUE_TYPES.get(kind)
    if (
        types is None
        or not isinstance(raw, types)
        or (kind == "numberValue" and isinstance(raw, bool))
    ):
        raise RequestError(f"Invalid value at '{where}.userEnteredValue.{kind}': {raw!r}")


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "duplicateSheet": duplicate_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "updateCells": update_cells,
    "appendCells": append_cells,
    "repeatCell": repeat_cell,
    **objects.HANDLERS,
    **conditional.HANDLERS,
    **dimensions.HANDLERS,
}
