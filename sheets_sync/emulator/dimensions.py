"""batchUpdate requests a principal's hand makes: insert, delete, move rows or columns; sort.

    insertDimension {range: {sheetId, dimension, startIndex, endIndex}, inheritFromBefore}
    deleteDimension {range: …}
    moveDimension   {source: …, destinationIndex}
    sortRange       {range: GridRange, sortSpecs: [{dimensionIndex, sortOrder}]}

What follows the moved cells, as in Google Sheets: the cells themselves (values, formats, notes,
validations), every A1 reference to them in a formula of any tab (`refs.remap`), the
conditional formats' ranges and custom formulas, the validations' custom formulas, protected
ranges, merges, chart sources, row heights and column widths, frozen rows and columns. A range
grows when cells are inserted inside it and shrinks when some of its cells are deleted; a
protected range, merge or conditional format whose cells are all deleted goes with them; a
reference to a deleted cell becomes #REF!. Cells inserted inside a run of cells with the same
validation get it too (Google stores one rule over a range that grows).

A sort moves whole cells inside its range: a moved formula keeps its relative references at
the same distance (copy semantics, `refs.offset`). Blank cells go last in either order; numbers
before text before booleans; text compared without case or accents; a formula the emulator
cannot compute sorts by its text.

Not mirrored: `moveDimension` of ranges partly moved (their ends are moved one by one), sort by
colour (`foregroundColor`…), data source sheets.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from . import cells, refs
from .fields import clone
from .model import Sheet, Spreadsheet
from .objects import RequestError, chart_source_ranges, check_inside, grid_range, sheet_by_id


class Change:
    """Where each position of the moved axis goes (`index`), and each span (`span`)."""

    def __init__(self, index: refs.Index, span: refs.Span) -> None:
        self.index, self.span = index, span


def insertion(at: int, n: int) -> Change:
    def index(p: int) -> int | None:
        return p + n if p >= at else p

    return Change(index, lambda a, b: (a + n if a >= at else a, b + n if b >= at else b))


def deletion(at: int, n: int) -> Change:
    end = at + n

    def index(p: int) -> int | None:
        if at <= p < end:
            return None
        return p - n if p >= end else p

    def span(a: int, b: int) -> tuple[int, int] | None:
        first = a if a < at else (at if a < end else a - n)
        last = b if b < at else (at - 1 if b < end else b - n)
        return None if last < first else (first, last)

    return Change(index, span)


def movement(start: int, end: int, dest: int) -> Change:
    n = end - start

    def index(p: int) -> int | None:
        if start <= p < end:
            return p - (start - dest) if dest < start else p + (dest - end)
        if dest <= p < start:
            return p + n
        if end <= p < dest:
            return p - n
        return p

    def span(a: int, b: int) -> tuple[int, int] | None:
        first, last = index(a), index(b)
        assert first is not None and last is not None
        return min(first, last), max(first, last)

    return Change(index, span)


def _dimension(book: Spreadsheet, rng: Any) -> tuple[Sheet, bool, int, int]:
    if not isinstance(rng, dict) or rng.get("dimension") not in ("ROWS", "COLUMNS"):
        raise RequestError("range.dimension must be ROWS or COLUMNS.")
    sheet = sheet_by_id(book, rng.get("sheetId", 0))
    rows = rng["dimension"] == "ROWS"
    size = sheet.rows if rows else sheet.cols
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", size))
    if not 0 <= start <= end:
        raise RequestError("Invalid dimension range.")
    return sheet, rows, start, end


def _size(sheet: Sheet, rows: bool) -> int:
    return sheet.rows if rows else sheet.cols


def insert_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, rows, start, end = _dimension(book, payload.get("range"))
    before = bool(payload.get("inheritFromBefore"))
    if start > _size(sheet, rows):
        check_inside(sheet, 0, 0, start + 1 if rows else 1, 1 if rows else start + 1)
    if before and start == 0:
        raise RequestError("Cannot inherit properties from before the first row or column.")
    if not before and start == _size(sheet, rows):
        raise RequestError("Cannot inherit properties from after the last row or column.")
    n = end - start
    if n == 0:
        return
    _apply(book, sheet, rows, insertion(start, n), n)
    meta = sheet.row_meta if rows else sheet.column_meta
    model = meta.get(start - 1 if before else end)
    for i in range(start, end):
        if model is not None:
            meta[i] = clone(model)
    _grow_validations(sheet, rows, start, end)


def delete_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, rows, start, end = _dimension(book, payload.get("range"))
    check_inside(sheet, 0, 0, end if rows else 1, 1 if rows else end)
    if end - start >= _size(sheet, rows):
        raise RequestError("You can't delete all the rows or columns on the sheet.")
    if end > start:
        _apply(book, sheet, rows, deletion(start, end - start), start - end)


def move_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, rows, start, end = _dimension(book, payload.get("source"))
    check_inside(sheet, 0, 0, end if rows else 1, 1 if rows else end)
    dest = payload.get("destinationIndex")
    if not isinstance(dest, int) or isinstance(dest, bool) or not 0 <= dest <= _size(sheet, rows):
        raise RequestError(f"Invalid destinationIndex: {dest!r}")
    if start < dest < end:
        raise RequestError("destinationIndex must not be inside the moved range.")
    if end > start and dest not in (start, end):
        _apply(book, sheet, rows, movement(start, end, dest), 0)


def sort_range(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, row0, col0, row_end, col_end = grid_range(book, payload.get("range") or {})
    specs = payload.get("sortSpecs")
    if not isinstance(specs, list) or not specs:
        raise RequestError("sortSpecs must hold at least one sort spec.")
    keys: list[tuple[int, bool]] = []
    for i, spec in enumerate(specs):
        column = spec.get("dimensionIndex") if isinstance(spec, dict) else None
        if not isinstance(column, int) or not col0 <= column < col_end:
            raise RequestError(f"sortSpecs[{i}].dimensionIndex must be a column of the range.")
        order = spec.get("sortOrder", "ASCENDING")
        if order not in ("ASCENDING", "DESCENDING", "SORT_ORDER_UNSPECIFIED"):
            raise RequestError(f"Invalid sortSpecs[{i}].sortOrder: {order!r}")
        keys.append((column, order == "DESCENDING"))
    order = list(range(row0, row_end))
    for column, descending in reversed(keys):  # stable sorts, least significant key first
        found = [(r, sort_key(sheet, r, column)) for r in order]
        valued = [(r, k) for r, k in found if k is not None]
        valued.sort(key=lambda pair: pair[1], reverse=descending)
        order = [r for r, _ in valued] + [r for r, k in found if k is None]
    moved = {
        (r, c): v
        for (r, c), v in sheet.cells.items()
        if row0 <= r < row_end and col0 <= c < col_end
    }
    for key in moved:
        del sheet.cells[key]
    for new, old in enumerate(order, start=row0):
        for c in range(col0, col_end):
            cell = moved.get((old, c))
            if cell is not None:
                sheet.cells[(new, c)] = _offset_cell(cell, new - old)


def sort_key(sheet: Sheet, row: int, col: int) -> tuple[int, Any] | None:
    """Numbers, then text, then booleans, then errors; None for a blank cell."""
    value = cells.effective((sheet.cells.get((row, col)) or {}).get("userEnteredValue"))
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return 2, value
    if isinstance(value, int | float):
        return 0, value
    if isinstance(value, str):
        plain = unicodedata.normalize("NFD", value)
        return 1, "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return 3, ""


def _offset_cell(cell: dict[str, Any], rows: int) -> dict[str, Any]:
    formula = (cell.get("userEnteredValue") or {}).get("formulaValue")
    if not rows or not isinstance(formula, str):
        return cell
    out = dict(cell)  # stored cells are never changed in place (model.py)
    out["userEnteredValue"] = {"formulaValue": refs.offset(formula, rows)}
    return out


# --- what follows the moved cells -----------------------------------------------------------


def _apply(book: Spreadsheet, sheet: Sheet, rows: bool, change: Change, grow: int) -> None:
    """Move `sheet`'s cells along `change`, and everything that points at them."""
    size = _size(sheet, rows)
    moved: dict[tuple[int, int], dict[str, Any]] = {}
    for (r, c), cell in sheet.cells.items():
        pos = change.index(r if rows else c)
        if pos is not None:
            moved[(pos, c) if rows else (r, pos)] = cell
    sheet.cells = moved
    meta_name = "row_meta" if rows else "column_meta"
    meta = getattr(sheet, meta_name)
    setattr(
        sheet, meta_name, {new: v for i, v in meta.items() if (new := change.index(i)) is not None}
    )
    grid = sheet.properties["gridProperties"]
    grid["rowCount" if rows else "columnCount"] += grow
    frozen = "frozenRowCount" if rows else "frozenColumnCount"
    if grid.get(frozen):
        span = change.span(0, grid[frozen] - 1)
        grid[frozen] = span[1] + 1 if span else 0
    for host in book.sheets:
        _follow_formulas(host, sheet, rows, change)
    _follow_ranges(book, sheet, rows, change, size)


def _follow_formulas(host: Sheet, moved: Sheet, rows: bool, change: Change) -> None:
    """Re-point the A1 references of `host`'s formulas that name `moved`'s cells."""
    title = moved.title.casefold()

    def on_tab(name: str | None) -> bool:
        return host is moved if name is None else name.casefold() == title

    def remap(formula: str) -> str:
        return refs.remap(formula, on_tab, rows, change.index, change.span)

    for key, cell in list(host.cells.items()):
        new = _remap_cell(cell, remap)
        if new is not cell:
            host.cells[key] = new
    for rule in host.conditional_formats:
        _remap_condition((rule.get("booleanRule") or {}).get("condition"), remap)


def _remap_cell(cell: dict[str, Any], remap: Callable[[str], str]) -> dict[str, Any]:
    formula = (cell.get("userEnteredValue") or {}).get("formulaValue")
    rule = cell.get("dataValidation")
    condition = rule.get("condition") if isinstance(rule, dict) else None
    custom = isinstance(condition, dict) and condition.get("type") == "CUSTOM_FORMULA"
    if not isinstance(formula, str) and not custom:
        return cell
    out = dict(cell)
    if isinstance(formula, str):
        out["userEnteredValue"] = {"formulaValue": remap(formula)}
    if custom:
        out["dataValidation"] = clone(rule)
        _remap_condition(out["dataValidation"]["condition"], remap)
    return out


def _remap_condition(condition: Any, remap: Callable[[str], str]) -> None:
    if not isinstance(condition, dict) or condition.get("type") != "CUSTOM_FORMULA":
        return
    for value in condition.get("values") or []:
        if isinstance(value, dict) and isinstance(value.get("userEnteredValue"), str):
            value["userEnteredValue"] = remap(value["userEnteredValue"])


def _follow_ranges(book: Spreadsheet, sheet: Sheet, rows: bool, change: Change, size: int) -> None:
    """Shift, grow or shrink the GridRanges on `sheet`; drop what lost all its cells."""

    def follow(rng: dict[str, Any]) -> bool:
        return _remap_range(rng, rows, change, size)

    sheet.merges = [m for m in sheet.merges if follow(m)]
    kept_rules = []
    for rule in sheet.conditional_formats:
        rule["ranges"] = [r for r in rule.get("ranges") or [] if follow(r)]
        if rule["ranges"]:
            kept_rules.append(rule)
    sheet.conditional_formats = kept_rules
    kept_protections = []
    for item in sheet.protected_ranges:
        if "range" in item and not follow(item["range"]):
            continue
        if item.get("unprotectedRanges"):
            item["unprotectedRanges"] = [r for r in item["unprotectedRanges"] if follow(r)]
        kept_protections.append(item)
    sheet.protected_ranges = kept_protections
    for host in book.sheets:
        for chart in host.charts:
            for rng in chart_source_ranges(chart.get("spec")):
                if rng.get("sheetId", 0) == sheet.sheet_id:
                    follow(rng)
            anchor = (chart.get("position", {}).get("overlayPosition") or {}).get("anchorCell")
            if isinstance(anchor, dict) and anchor.get("sheetId", 0) == sheet.sheet_id:
                key = "rowIndex" if rows else "columnIndex"
                pos = int(anchor.get(key, 0))
                moved = change.index(pos)  # a deleted anchor: the chart stays near
                anchor[key] = moved if moved is not None else min(pos, _size(sheet, rows) - 1)


def _remap_range(rng: dict[str, Any], rows: bool, change: Change, size: int) -> bool:
    """Update a half-open GridRange in place; False when all its cells are gone."""
    start_key, end_key = (
        ("startRowIndex", "endRowIndex") if rows else ("startColumnIndex", "endColumnIndex")
    )
    start, end = int(rng.get(start_key, 0)), int(rng.get(end_key, size))
    if end <= start:
        return True
    got = change.span(start, end - 1)
    if got is None:
        return False
    if start_key in rng:
        rng[start_key] = got[0]
    if end_key in rng:
        rng[end_key] = got[1] + 1
    return True


def _grow_validations(sheet: Sheet, rows: bool, start: int, end: int) -> None:
    """New cells between two cells with the same validation get it (the rule's range grew)."""
    if start == 0:
        return
    lines = {r if not rows else c for (r, c) in sheet.cells}
    for line in lines:

        def at(pos: int, line: int = line) -> tuple[int, int]:
            return (pos, line) if rows else (line, pos)

        rule = (sheet.cells.get(at(start - 1)) or {}).get("dataValidation")
        if rule is None or (sheet.cells.get(at(end)) or {}).get("dataValidation") != rule:
            continue
        for pos in range(start, end):
            cell = dict(sheet.cells.get(at(pos)) or {})
            cell["dataValidation"] = clone(rule)
            sheet.put(*at(pos), cell)


HANDLERS: dict[str, Callable[[Spreadsheet, dict[str, Any]], dict[str, Any] | None]] = {
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "moveDimension": move_dimension,
    "sortRange": sort_range,
}
