"""Add rows to a tab people type in (« Suivi de l'année ») of a Google spreadsheet.

One spreadsheets.batchUpdate, applied by Google whole or not at all:

    absent tab    addSheet (frozen header) + updateCells (header, rows) + setDataValidation
                  (drop-down lists) + updateDimensionProperties (widths)
    present tab   appendCells: Google puts the rows after the last row holding a value at
                  the moment it applies them, so a row typed since the read is never
                  overwritten

Every value is a stringValue: « =1+1 » typed as a class label arrives as text, never a
formula. Before the batch, the tab's values as read are kept in a CSV file (UTF-8 with a
BOM, « ; », as French Excel opens it; a text that would open as a formula prefixed with
« ' ») — Google's version history keeps the rest.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...cells.grid import CellError, CellValue, Grid
from ...errors import WriteRefused
from ..files.os_reasons import disk_problem
from ..tables import as_text_for_excel
from ..typed_tab import Row, TypedTab
from .publish import Request, stable_sheet_id
from .retry import CALL_ERRORS, SheetsHTTPClient, translate

__all__ = ["add_rows", "backup_csv", "requests_for"]

HEADER_FORMAT = {"textFormat": {"bold": True}, "wrapStrategy": "WRAP",
                 "verticalAlignment": "TOP",
                 "backgroundColor": {"red": 0.867, "green": 0.922, "blue": 0.969}}
DATE_FORMAT = {"numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}}
_PIXELS_PER_CHARACTER = 7  # Sheets' default font, as the publish sizes columns


def _text(value: str) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": value}}


def _row(row: Row) -> dict[str, Any]:
    width = max(row, default=0)
    return {"values": [_text(row[c]) if c in row else {} for c in range(1, width + 1)]}


def _new_tab(tab: TypedTab, rows: Sequence[Row], sheet_id: int) -> list[Request]:
    height = max(tab.data_rows, len(rows)) + 1
    width = max([len(tab.header), *(max(r, default=0) for r in rows)])
    requests: list[Request] = [
        {"addSheet": {"properties": {
            "sheetId": sheet_id, "title": tab.name,
            "gridProperties": {"rowCount": height, "columnCount": width, "frozenRowCount": 1},
        }}},
        {"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [{**_text(label), "userEnteredFormat": HEADER_FORMAT}
                                 for label in tab.header]}, *map(_row, rows)],
            "fields": "userEnteredValue,userEnteredFormat",
        }},
    ]
    for col in tab.dates:
        requests.append({"repeatCell": {
            "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": height,
                      "startColumnIndex": col - 1, "endColumnIndex": col},
            "cell": {"userEnteredFormat": DATE_FORMAT},
            "fields": "userEnteredFormat.numberFormat",
        }})
    for col, choices in tab.lists:
        requests.append({"setDataValidation": {
            "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": height,
                      "startColumnIndex": col - 1, "endColumnIndex": col},
            "rule": {"condition": {"type": "ONE_OF_LIST",
                                   "values": [{"userEnteredValue": c} for c in choices]},
                     "strict": False, "showCustomUi": True},
        }})
    for col, width_chars in enumerate(tab.widths):
        requests.append({"updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col,
                      "endIndex": col + 1},
            "properties": {"pixelSize": round(width_chars * _PIXELS_PER_CHARACTER) + 5},
            "fields": "pixelSize",
        }})
    return requests


def requests_for(tab: TypedTab, rows: Sequence[Row], sheet_id: int | None,
                 taken: Sequence[int] = ()) -> list[Request]:
    """The one batch: the tab created with `rows` (`sheet_id` None), or `rows` appended."""
    if sheet_id is None:
        return _new_tab(tab, rows, stable_sheet_id(tab.name, set(taken)))
    return [{"appendCells": {"sheetId": sheet_id, "rows": [_row(r) for r in rows],
                             "fields": "userEnteredValue"}}]


def _csv_value(value: CellValue) -> str:
    """A cell as CSV text; a text Excel would open as a formula (« = », « + », « - », « @ »,
    tab, CR first) gets a leading apostrophe (OWASP CSV injection), as the exports do."""
    if value is None:
        return ""
    if isinstance(value, CellError):
        return value.text
    if isinstance(value, str):
        return str(as_text_for_excel(value))
    return str(value)


def backup_csv(grid: Grid, path: Path) -> Path:
    """The tab's values as read, in `path` (folder made), written whole before it is named."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([_csv_value(v) for v in row] for row in grid.rows)
    data = ("\ufeff" + out.getvalue()).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(name, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
    except OSError as exc:
        why, todo = disk_problem(exc)
        raise WriteRefused(
            f"Sauvegarde impossible : {path.name} n'a pas pu être écrite dans {path.parent} "
            f"({why}). Rien n'a été écrit dans le classeur Google ; {todo}."
        ) from None
    return path


def add_rows(client: SheetsHTTPClient, spreadsheet_id: str, tab: TypedTab,
             rows: Sequence[Row], *, grid: Grid | None, sheet_id: int | None,
             taken: Sequence[int] = (), backup: Path | None = None) -> Path | None:
    """Create the typed tab with `rows`, or append them to it, in one batchUpdate.

    `grid` and `sheet_id`: the tab as read (None: absent); its values are first kept in
    `backup` (a CSV), which is returned. A tab created or removed meanwhile makes Google
    refuse the batch (SourceChanged); nothing is then written.
    """
    saved = backup_csv(grid, backup) if backup is not None and grid is not None else None
    try:
        client.post_batch(spreadsheet_id,
                          {"requests": requests_for(tab, rows, sheet_id, taken)})
    except CALL_ERRORS as err:
        raise translate(err, client, spreadsheet_id, writing=True) from None
    return saved
