"""The spreadsheets.values methods (get, batchGet, update, batchUpdate, append, clear,
batchClear) over a `Spreadsheet`. They mutate the spreadsheet they are given: the server
passes a copy and commits it only when the whole call succeeded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..cells.a1 import column_letters
from . import cells, formulas
from .errors import invalid_argument
from .model import Sheet, Spreadsheet
from .ranges import Span, echo, quote_title

Params = Mapping[str, Sequence[str]]
_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
_DATES = ("SERIAL_NUMBER", "FORMATTED_STRING")
_DIMENSIONS = ("ROWS", "COLUMNS")


def _option(
    params: Mapping[str, Any], name: str, allowed: Sequence[str], default: str, proto: str
) -> str:
    raw = params.get(name)
    value = raw[-1] if isinstance(raw, list | tuple) else raw
    if value in (None, "", "DIMENSION_UNSPECIFIED"):
        return default
    if value not in allowed:
        raise invalid_argument(
            f"Invalid value at '{proto}' (type.googleapis.com/google.apps.sheets.v4."
            f"{''.join(w.title() for w in proto.split('_'))}), {json.dumps(value)}",
            field=proto,
        )
    return str(value)


def read_options(params: Mapping[str, Any], prefix: str = "") -> tuple[str, str, bool]:
    """(valueRenderOption, dateTimeRenderOption, by columns) of a read; `prefix` "response"
    reads the responseValueRenderOption/responseDateTimeRenderOption of a write."""
    value_key = prefix + ("ValueRenderOption" if prefix else "valueRenderOption")
    date_key = prefix + ("DateTimeRenderOption" if prefix else "dateTimeRenderOption")
    value = _option(params, value_key, _RENDER, "FORMATTED_VALUE", "value_render_option")
    dates = _option(params, date_key, _DATES, "SERIAL_NUMBER", "date_time_render_option")
    major = _option(params, "majorDimension", _DIMENSIONS, "ROWS", "major_dimension")
    return value, dates, major == "COLUMNS" and not prefix


def _clip(sheet: Sheet, span: Span) -> tuple[int, int, int, int]:
    row0, col0, row_end, col_end = span.clip(sheet.rows, sheet.cols)
    if row0 >= sheet.rows or col0 >= sheet.cols:
        raise invalid_argument(
            f"Range ({quote_title(sheet.title)}!{column_letters(col0 + 1)}{row0 + 1}) exceeds "
            f"grid limits. Max rows: {sheet.rows}, max columns: {sheet.cols}"
        )
    return row0, col0, row_end, col_end


def value_range(
    book: Spreadsheet, range_text: str, params: Mapping[str, Any], prefix: str = ""
) -> dict[str, Any]:
    """A ValueRange: {"range", "majorDimension", "values"?} (values omitted when empty)."""
    value_option, date_option, columns = read_options(params, prefix)
    sheet, span = book.resolve(range_text)
    box = _clip(sheet, span)
    out: dict[str, Any] = {
        "range": echo(sheet.title, *box),
        "majorDimension": "COLUMNS" if columns else "ROWS",
    }
    rows = sheet.block(*box, value_option, date_option, columns)
    if rows:
        out["values"] = rows
    return out


def batch_get(book: Spreadsheet, params: Params) -> dict[str, Any]:
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    ranges = list(params.get("ranges", []))
    if ranges:
        out["valueRanges"] = [value_range(book, r, params) for r in ranges]
    return out


def _rows_of(values: Any, major: str, field_name: str) -> list[list[Any]]:
    if not isinstance(values, list):
        message = (
            f"Invalid value at '{field_name}' (type.googleapis.com/google.protobuf."
            f"ListValue), {json.dumps(values, ensure_ascii=False)}"
        )
        raise invalid_argument(message, field=field_name)
    for i, row in enumerate(values):
        if not isinstance(row, list):
            message = (
                f"Invalid value at '{field_name}[{i}]' (type.googleapis.com/google."
                f"protobuf.ListValue), {json.dumps(row, ensure_ascii=False)}"
            )
            raise invalid_argument(message, field=f"{field_name}[{i}]")
    if major != "COLUMNS":
        return values
    width = max((len(c) for c in values), default=0)
    return [[col[r] if r < len(col) else None for col in values] for r in range(width)]


def write(
    book: Spreadsheet,
    range_text: str,
    body: Mapping[str, Any],
    input_option: Any,
    field_name: str = "data.values",
) -> dict[str, Any]:
    """Write one ValueRange; returns the UpdateValuesResponse."""
    if input_option not in ("RAW", "USER_ENTERED"):
        if input_option in (None, "", "INPUT_VALUE_OPTION_UNSPECIFIED"):
            raise invalid_argument("'valueInputOption' is required but not specified")
        raise invalid_argument(f"Invalid valueInputOption: {input_option}")
    major = _option(body, "majorDimension", _DIMENSIONS, "ROWS", "major_dimension")
    rows = _rows_of(body.get("values", []), major, field_name)
    sheet, span = book.resolve(range_text)
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    written = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None]
    if not written:
        return out
    height = max(r for r, _ in written) + 1
    width = max(c for _, c in written) + 1
    if not span.anchor and span.row1 is not None and span.row0 + height - 1 > span.row1:
        raise invalid_argument(
            f"Requested writing within range [{range_text}], but tried "
            f"writing to row [{span.row0 + height}]"
        )
    if not span.anchor and span.col1 is not None and span.col0 + width - 1 > span.col1:
        raise invalid_argument(
            f"Requested writing within range [{range_text}], but tried "
            f"writing to column [{column_letters(span.col0 + width)}]"
        )
    sheet.grow(span.row0 + height, span.col0 + width)
    for r, c in written:
        where = f"{field_name}[{r}][{c}]"
        user_value, number_format = cells.extended_value(
            rows[r][c], input_option == "USER_ENTERED", where
        )
        key = (span.row0 + r, span.col0 + c)
        cell = dict(sheet.cells.get(key, {}))
        cell["userEnteredValue"] = user_value
        if number_format:
            cell["userEnteredFormat"] = {
                **cell.get("userEnteredFormat", {}),
                "numberFormat": number_format,
            }
        formulas.mark(cell, formulas.locale_of(book.properties))
        sheet.put(*key, cell)
    out.update(
        {
            "updatedRange": echo(
                sheet.title, span.row0, span.col0, span.row0 + height, span.col0 + width
            ),
            "updatedRows": len({r for r, _ in written}),
            "updatedColumns": len({c for _, c in written}),
            "updatedCells": len(written),
        }
    )
    if body.get("includeValuesInResponse"):
        out["updatedData"] = value_range(book, out["updatedRange"], body, "response")
    return out


def update(
    book: Spreadsheet, range_text: str, body: Mapping[str, Any], params: Params
) -> dict[str, Any]:
    """PUT values/{range}: query options merged into the body's options."""
    merged = dict(body)
    for key in (
        "includeValuesInResponse",
        "responseValueRenderOption",
        "responseDateTimeRenderOption",
    ):
        if key in params:
            merged[key] = params[key][-1]
    if str(merged.get("includeValuesInResponse", "")).lower() in ("false", "0"):
        merged.pop("includeValuesInResponse")
    return write(book, range_text, merged, params.get("valueInputOption", [None])[-1])


def batch_update(book: Spreadsheet, body: Mapping[str, Any]) -> dict[str, Any]:
    data = body.get("data") or []
    if not isinstance(data, list):
        raise invalid_argument("Invalid value at 'data'", field="data")
    responses = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not item.get("range"):
            raise invalid_argument(f"Invalid data[{i}]: range is required")
        options = {
            k: body[k]
            for k in (
                "includeValuesInResponse",
                "responseValueRenderOption",
                "responseDateTimeRenderOption",
            )
            if body.get(k)
        }
        responses.append(
            write(
                book,
                str(item["range"]),
                {**item, **options},
                body.get("valueInputOption"),
                f"data[{i}].values",
            )
        )
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    done = [r for r in responses if "updatedRange" in r]
    if done:
        out.update(
            {
                "totalUpdatedRows": sum(r["updatedRows"] for r in done),
                "totalUpdatedColumns": max(r["updatedColumns"] for r in done),
                "totalUpdatedCells": sum(r["updatedCells"] for r in done),
                "totalUpdatedSheets": len({r["updatedRange"].rpartition("!")[0] for r in done}),
                "responses": responses,
            }
        )
    return out


def append(
    book: Spreadsheet, range_text: str, body: Mapping[str, Any], params: Params
) -> dict[str, Any]:
    """values:append: the table is the run of filled rows starting at the range's first row
    (as Google finds it); the values go to the row after it, from the range's first column."""
    sheet, span = book.resolve(range_text)
    row0, col0, _, col_end = _clip(sheet, span)
    if span.anchor:
        col_end = sheet.cols
    filled: dict[int, int] = {}  # row -> last filled column + 1
    for (r, c), cell in sheet.cells.items():
        if r >= row0 and col0 <= c < col_end and cell.get("userEnteredValue"):
            filled[r] = max(filled.get(r, 0), c + 1)
    target = row0
    while target in filled:
        target += 1
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    if target > row0:
        last_col = max(filled[r] for r in range(row0, target))
        out["tableRange"] = echo(sheet.title, row0, col0, target, last_col)
    major = _option(body, "majorDimension", _DIMENSIONS, "ROWS", "major_dimension")
    count = len(_rows_of(body.get("values", []), major, "data.values"))
    if params.get("insertDataOption", ["OVERWRITE"])[-1] == "INSERT_ROWS" and count:
        moved = {(r + count if r >= target else r, c): v for (r, c), v in sheet.cells.items()}
        sheet.cells = moved
        sheet.properties["gridProperties"]["rowCount"] = sheet.rows + count
    anchor = f"{quote_title(sheet.title)}!{column_letters(col0 + 1)}{target + 1}"
    out["updates"] = update(book, anchor, body, params)
    return out


def clear(book: Spreadsheet, range_text: str) -> str:
    """Remove the values (formats stay) and return the cleared range."""
    sheet, span = book.resolve(range_text)
    row0, col0, row_end, col_end = _clip(sheet, span)
    for key in [k for k in sheet.cells if row0 <= k[0] < row_end and col0 <= k[1] < col_end]:
        cell = dict(sheet.cells[key])
        cell.pop("userEnteredValue", None)
        sheet.put(*key, cell)
    return echo(sheet.title, row0, col0, row_end, col_end)


def batch_clear(book: Spreadsheet, body: Mapping[str, Any]) -> dict[str, Any]:
    ranges = body.get("ranges") or []
    return {
        "spreadsheetId": book.spreadsheet_id,
        "clearedRanges": [clear(book, str(r)) for r in ranges],
    }
