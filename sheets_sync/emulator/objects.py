"""batchUpdate requests on what sits on a tab: validations, protections, charts, dimension
sizes, merges (inserting, deleting, moving and sorting: `dimensions.py`). GridRanges are
0-based and half-open; their echoes omit `sheetId` when it is 0 (proto3 default), as Google's
replies do.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ..cells.a1 import column_letters
from . import formulas
from .fields import apply_mask, parse_fields
from .model import Sheet, Spreadsheet
from .ranges import quote_title

# Who the emulator pretends the caller is: Google lists the requesting account as editor of
# the ranges it protects (fictional address).
OWNER_EMAIL = "emulateur@example.invalid"


class RequestError(Exception):
    """A request Google would refuse; batch.apply_batch prefixes "Invalid requests[i].kind"."""


def sheet_by_id(book: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = book.find(sheet_id) if isinstance(sheet_id, int) else None
    if sheet is None:
        raise RequestError(f"No grid with id: {sheet_id}")
    return sheet


def check_inside(sheet: Sheet, row0: int, col0: int, row_end: int, col_end: int) -> None:
    if row0 < 0 or col0 < 0 or row_end > sheet.rows or col_end > sheet.cols:
        last = f"{column_letters(max(col_end, 1))}{max(row_end, 1)}"
        raise RequestError(
            f"Range ({quote_title(sheet.title)}!{last}) exceeds grid limits. "
            f"Max rows: {sheet.rows}, max columns: {sheet.cols}"
        )


def grid_range(book: Spreadsheet, rng: Any) -> tuple[Sheet, int, int, int, int]:
    """GridRange JSON -> (sheet, row0, col0, row_end, col_end), open sides bounded by the grid."""
    if not isinstance(rng, dict):
        raise RequestError("range must be a GridRange object.")
    sheet = sheet_by_id(book, rng.get("sheetId", 0))
    row0, col0 = int(rng.get("startRowIndex", 0)), int(rng.get("startColumnIndex", 0))
    row_end = int(rng.get("endRowIndex", sheet.rows))
    col_end = int(rng.get("endColumnIndex", sheet.cols))
    if row_end < row0 or col_end < col0:
        raise RequestError("Invalid range: its end is before its start.")
    check_inside(sheet, row0, col0, row_end, col_end)
    return sheet, row0, col0, row_end, col_end


def echo_range(rng: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rng.items() if not (k == "sheetId" and v == 0)}


# --- validations and protections ------------------------------------------------------------


def set_data_validation(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, row0, col0, row_end, col_end = grid_range(book, payload.get("range") or {})
    rule = payload.get("rule")
    if rule is not None and not (
        isinstance(rule, dict) and (rule.get("condition") or {}).get("type")
    ):
        raise RequestError("rule.condition.type is required.")
    if rule is not None:
        refused = formulas.check_condition(
            rule["condition"], formulas.locale_of(book.properties), "rule.condition")
        if refused:
            raise RequestError(refused)
    for r in range(row0, row_end):
        for c in range(col0, col_end):
            cell = dict(sheet.cells.get((r, c), {}))
            cell["dataValidation"] = copy.deepcopy(rule)
            sheet.put(r, c, cell)


def add_protected_range(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    wanted = payload.get("protectedRange") or {}
    if "namedRangeId" in wanted or "range" not in wanted:
        raise RequestError("A range is required (named ranges: emulator limit).")
    sheet, *_ = grid_range(book, wanted["range"])
    editors = wanted.get("editors") or {}
    if wanted.get("warningOnly") and any(
        editors.get(k) for k in ("users", "groups", "domainUsersCanEdit")
    ):
        raise RequestError("ProtectedRange is warningOnly. Editors cannot be set on it.")
    range_id = wanted.get("protectedRangeId")
    if range_id is None:
        range_id = book.new_id()
    elif any(p["protectedRangeId"] == range_id for s in book.sheets for p in s.protected_ranges):
        raise RequestError(f"Protected range with id {range_id} already exists.")
    reply: dict[str, Any] = {"protectedRangeId": range_id, "range": echo_range(wanted["range"])}
    for key in ("description", "unprotectedRanges"):
        if wanted.get(key):
            reply[key] = copy.deepcopy(wanted[key])
    if wanted.get("warningOnly"):
        reply["warningOnly"] = True
    reply["requestingUserCanEdit"] = True
    if not wanted.get("warningOnly"):
        reply["editors"] = {k: list(v) for k, v in editors.items() if v}
    stored = copy.deepcopy(reply)
    if "editors" in stored:
        users = stored["editors"].setdefault("users", [])
        if OWNER_EMAIL not in users:
            users.insert(0, OWNER_EMAIL)
    sheet.protected_ranges.append(stored)
    return {"protectedRange": reply}


def _find_protected(book: Spreadsheet, range_id: Any) -> tuple[Sheet, dict[str, Any]]:
    for sheet in book.sheets:
        for item in sheet.protected_ranges:
            if item["protectedRangeId"] == range_id:
                return sheet, item
    raise RequestError(f"No protected range with id: {range_id}")


def delete_protected_range(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, item = _find_protected(book, payload.get("protectedRangeId"))
    sheet.protected_ranges.remove(item)


def update_protected_range(book: Spreadsheet, payload: dict[str, Any]) -> None:
    wanted = payload.get("protectedRange") or {}
    _sheet, item = _find_protected(book, wanted.get("protectedRangeId"))
    apply_mask(item, wanted, parse_fields(str(payload.get("fields") or "")))
    if "range" in item:
        grid_range(book, item["range"])
        item["range"] = echo_range(item["range"])
    if item.get("warningOnly") and any(
        (item.get("editors") or {}).get(k) for k in ("users", "groups")
    ):
        raise RequestError("ProtectedRange is warningOnly. Editors cannot be set on it.")


# --- charts ---------------------------------------------------------------------------------


def add_chart(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    chart = copy.deepcopy(payload.get("chart") or {})
    if not isinstance(chart.get("spec"), dict) or not chart["spec"]:
        raise RequestError("chart.spec is required.")
    position = chart.get("position") or {}
    if position.get("newSheet"):
        raise RequestError("charts on a new sheet are not supported (emulator limit).")
    anchor = (position.get("overlayPosition") or {}).get("anchorCell")
    if anchor is not None:
        host = sheet_by_id(book, anchor.get("sheetId", 0))
        row, col = int(anchor.get("rowIndex", 0)), int(anchor.get("columnIndex", 0))
        check_inside(host, row, col, row + 1, col + 1)
    elif "sheetId" in position:
        host = sheet_by_id(book, position["sheetId"])
    else:
        raise RequestError("chart.position is required.")
    for rng in chart_source_ranges(chart["spec"]):
        grid_range(book, rng)  # an unknown sheetId: "No grid with id"
    chart_id = chart.get("chartId")
    if chart_id is None:
        chart_id = book.new_id()
    elif any(c["chartId"] == chart_id for s in book.sheets for c in s.charts):
        raise RequestError(f"An object with id {chart_id} already exists.")
    stored = {"chartId": chart_id, "spec": chart["spec"], "position": position}
    host.charts.append(stored)
    return {"chart": copy.deepcopy(stored)}


def chart_source_ranges(value: Any) -> list[dict[str, Any]]:
    """Every GridRange under a `sources` key of a chart spec."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                found.extend(r for r in item if isinstance(r, dict))
            else:
                found.extend(chart_source_ranges(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(chart_source_ranges(item))
    return found


def _find_chart(book: Spreadsheet, chart_id: Any) -> tuple[Sheet, dict[str, Any]]:
    for sheet in book.sheets:
        for chart in sheet.charts:
            if chart["chartId"] == chart_id:
                return sheet, chart
    raise RequestError(f"No embedded object with id: {chart_id}")


def update_chart_spec(book: Spreadsheet, payload: dict[str, Any]) -> None:
    _, chart = _find_chart(book, payload.get("chartId"))
    for rng in chart_source_ranges(payload.get("spec") or {}):
        grid_range(book, rng)
    chart["spec"] = copy.deepcopy(payload.get("spec") or {})


def delete_embedded_object(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, chart = _find_chart(book, payload.get("objectId"))
    sheet.charts.remove(chart)


# --- dimensions and merges ------------------------------------------------------------------


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


def update_dimension_properties(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, rows, start, end = _dimension(book, payload.get("range"))
    check_inside(sheet, 0, 0, end if rows else 1, 1 if rows else end)
    tree = parse_fields(str(payload.get("fields") or "*"))
    meta = sheet.row_meta if rows else sheet.column_meta
    for index in range(start, end):
        entry = meta.setdefault(index, {"pixelSize": 21 if rows else 100})
        apply_mask(entry, payload.get("properties") or {}, tree)


def append_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet = sheet_by_id(book, payload.get("sheetId", 0))
    length = int(payload.get("length", 0))
    if length < 1:
        raise RequestError("length must be at least 1.")
    key = "rowCount" if payload.get("dimension") == "ROWS" else "columnCount"
    sheet.properties["gridProperties"][key] += length


def auto_resize_dimensions(book: Spreadsheet, payload: dict[str, Any]) -> None:
    _dimension(book, payload.get("dimensions"))  # validated; sizes are not simulated


def merge_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, *_ = grid_range(book, payload.get("range") or {})
    sheet.merges.append(dict(payload["range"]))


def unmerge_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    sheet, row0, col0, row_end, col_end = grid_range(book, payload.get("range") or {})

    def inside(m: dict[str, Any]) -> bool:
        return bool(
            row0 <= m.get("startRowIndex", 0)
            and m.get("endRowIndex", 0) <= row_end
            and col0 <= m.get("startColumnIndex", 0)
            and m.get("endColumnIndex", 0) <= col_end
        )

    sheet.merges = [m for m in sheet.merges if not inside(m)]


HANDLERS: dict[str, Callable[[Spreadsheet, dict[str, Any]], dict[str, Any] | None]] = {
    "setDataValidation": set_data_validation,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "updateProtectedRange": update_protected_range,
    "addChart": add_chart,
    "updateChartSpec": update_chart_spec,
    "deleteEmbeddedObject": delete_embedded_object,
    "updateDimensionProperties": update_dimension_properties,
    "appendDimension": append_dimension,
    "autoResizeDimensions": auto_resize_dimensions,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
}
