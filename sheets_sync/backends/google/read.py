"""Pull a Google spreadsheet into grids in two requests: metadata, then one values:batchGet.

    1  GET  /v4/spreadsheets/{id}?fields=…           tab titles, ids, order, hidden
    2  GET  /v4/spreadsheets/{id}/values:batchGet    every grid tab, whole, in one call
            valueRenderOption=UNFORMATTED_VALUE      numbers stay numbers, booleans bool
            dateTimeRenderOption=SERIAL_NUMBER       dates arrive as serial numbers

Dates stay serial numbers (days since 1899-12-30, as in Excel): telling a date from a
number would need every cell's format, a third and heavy request, while the normaliser
already reads serials where a date is expected. Spreadsheet errors (#N/A, #REF!…) come back
as their text and become `CellError`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...cells.grid import CellError, CellValue, Grid, is_generated
from .retry import CALL_ERRORS, SheetsHTTPClient, translate

METADATA_FIELDS = (
    "spreadsheetId,properties(title,locale),sheets(properties(sheetId,title,index,hidden,sheetType,"
    "gridProperties(rowCount,columnCount)))"
)
READ_PARAMS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}
ERROR_TEXTS = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!"}
)


@dataclass(frozen=True)
class SheetInfo:
    """One tab as the metadata describes it (`grid` False for a chart sheet)."""

    sheet_id: int
    title: str
    index: int
    hidden: bool = False
    rows: int = 1000
    cols: int = 26
    grid: bool = True


@dataclass(frozen=True)
class SpreadsheetRead:
    """A pulled spreadsheet: every grid tab's values, and what the publish needs to know.

    `tabs` maps each title to its sheetId (gid); `generated` holds the titles whose A1 carries
    our marker; `revision` is the sha256 of the input tabs' values (generated tabs excluded),
    the same whenever nobody typed anything between two pulls.
    """

    spreadsheet_id: str
    title: str
    grids: tuple[Grid, ...]
    revision: str
    tabs: Mapping[str, int]
    generated: frozenset[str]
    sheets: tuple[SheetInfo, ...] = ()

    def sheet(self, title: str) -> SheetInfo | None:
        """The tab with this title, ignoring case (Google's titles are unique so)."""
        folded = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == folded), None)


def quote_title(title: str) -> str:
    """'Title' as an A1 range, quotes doubled: the whole tab."""
    return "'" + title.replace("'", "''") + "'"


def cell_value(raw: Any) -> CellValue:
    """A value of an UNFORMATTED_VALUE read -> a grid value."""
    if isinstance(raw, str):
        if raw in ERROR_TEXTS:
            return CellError(raw)
        return raw if raw != "" else None
    if isinstance(raw, bool | int | float) or raw is None:
        return raw
    return str(raw)


def _rows(values: Sequence[Sequence[Any]]) -> tuple[tuple[CellValue, ...], ...]:
    """Rows padded to one width (Google trims trailing blanks); trailing empty rows dropped."""
    rows = [[cell_value(v) for v in row] for row in values]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    width = max(
        (max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows), default=0
    )
    return tuple(tuple(r[:width]) + (None,) * (width - len(r[:width])) for r in rows)


def locale_of(metadata: Mapping[str, Any]) -> str:
    """The spreadsheet's locale (« fr_FR »): the syntax its formulas are parsed in."""
    locale = (metadata.get("properties") or {}).get("locale")
    return locale if isinstance(locale, str) and locale else "en_US"


def sheets_of(metadata: Mapping[str, Any]) -> tuple[SheetInfo, ...]:
    """The tabs of a metadata reply, in their order."""
    out = []
    for position, item in enumerate(metadata.get("sheets") or []):
        props = item.get("properties") or {}
        grid = props.get("gridProperties") or {}
        out.append(
            SheetInfo(
                sheet_id=int(props.get("sheetId", 0)),
                title=str(props.get("title", "")),
                index=int(props.get("index", position)),
                hidden=bool(props.get("hidden", False)),
                rows=int(grid.get("rowCount", 0)),
                cols=int(grid.get("columnCount", 0)),
                grid=props.get("sheetType", "GRID") == "GRID",
            )
        )
    return tuple(sorted(out, key=lambda s: s.index))


def revision_of(grids: Sequence[Grid]) -> str:
    """sha256 of the input tabs' values, in tab order (generated tabs left out)."""
    data = [
        [g.sheet, [[_plain(v) for v in row] for row in g.rows]]
        for g in grids
        if not (g.rows and g.rows[0] and is_generated(g.rows[0][0]))
    ]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: CellValue) -> Any:
    return value.text if isinstance(value, CellError) else value


def read_spreadsheet(client: SheetsHTTPClient, spreadsheet_id: str) -> SpreadsheetRead:
    """Every grid tab of the spreadsheet, values as typed (two requests)."""
    try:
        metadata = client.fetch_sheet_metadata(spreadsheet_id, params={"fields": METADATA_FIELDS})
        sheets = sheets_of(metadata)
        grid_sheets = [s for s in sheets if s.grid]
        ranges = [quote_title(s.title) for s in grid_sheets]
        got = client.values_batch_get(spreadsheet_id, ranges, params=dict(READ_PARAMS))
    except CALL_ERRORS as err:
        raise translate(err, client, spreadsheet_id) from None
    value_ranges = got.get("valueRanges") or []
    grids = tuple(
        Grid(
            tab=s.title,
            rows=_rows(vr.get("values") or []),
            sheet=s.title,
            origin=str((metadata.get("properties") or {}).get("title", "")),
            hidden=s.hidden,
        )
        for s, vr in zip(grid_sheets, value_ranges, strict=True)
    )
    generated = frozenset(
        g.sheet for g in grids if g.rows and g.rows[0] and is_generated(g.rows[0][0])
    )
    return SpreadsheetRead(
        spreadsheet_id=spreadsheet_id,
        title=str((metadata.get("properties") or {}).get("title", "")),
        grids=grids,
        revision=revision_of(grids),
        tabs={s.title: s.sheet_id for s in sheets},
        generated=generated,
        sheets=sheets,
    )
