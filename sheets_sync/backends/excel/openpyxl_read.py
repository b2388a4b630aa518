"""The previous .xlsx/.xlsm reader, openpyxl read-only: the reference and the careful path.

`xlsx_read` reads a workbook with calamine when its sheet XML has the usual shape (every
row and cell numbered, no namespace prefix, within the limits); anything else comes here —
cells without references, a filled row beyond the limits, a part calamine refuses — so the
refusals and their French messages stay exactly what they were. The agreement tests read
every workbook under tests/ with both readers and compare the grids.

openpyxl loads with ``read_only=True, data_only=True``: a formula gives the value Excel
cached. It trusts no stored dimension (``reset_dimensions``), so a wrong <dimension>
(tablib's bad_dimensions.xlsx) cannot hide rows, and it keeps only the rows that hold
something: each one is counted against the limits as it streams by (`CellBudget`), so a
1 000 000-row tab is refused at row ``lignes_max + 1`` without ever being held in memory.

openpyxl looks for each sheet's <dimension> when it loads a workbook read-only
(``ReadOnlyWorksheet._get_size``), and a sheet without one is parsed whole to find that out,
before any row reaches us: a 1 000 000-row sheet would cost its full parse first. The
dimension is reset anyway, so that look-up is skipped while we load (`_no_dimension_lookup`).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

import openpyxl
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from ...cells.grid import CellValue, Grid, is_generated
from ...config import ReadLimits
from ...errors import SourceError
from ..files.package_guard import EXCEL_MAX_ROWS, CellBudget, number
from .calamine_read import trimmed
from .read import _value


def _sheet_rows(sheet: Any, budget: CellBudget,
                first_if_generated: bool = False) -> tuple[tuple[CellValue, ...], ...]:
    """The rows of a worksheet, streamed: trailing empty rows and columns dropped, every row
    as wide as the widest (None-padded); each row that holds something is counted against
    the limits before it is kept, empty ones are only counted.

    A cell "holds something" when its value is not None; an empty string makes a row kept
    (as before), but only filled values (not "") decide the width and the last row.
    With `first_if_generated`, a tab whose A1 carries our marker stops after its first row.
    """
    rows: list[tuple[CellValue, ...]] = []
    pending = 0  # empty rows since the last kept one, kept only if a filled row follows
    for index, cells in enumerate(sheet.iter_rows(), start=1):
        if index > EXCEL_MAX_ROWS:  # a row number no spreadsheet can hold: not a sheet
            raise SourceError(f"{budget.name} est endommagé : l'onglet « {budget.tab} » a des "
                              f"lignes au-delà de la ligne {number(EXCEL_MAX_ROWS)}.")
        values = [_value(c) for c in cells]
        end = len(values)
        while end and values[end - 1] is None:
            end -= 1
        if not end:
            pending += 1
            continue
        budget.row(index, end)
        rows.extend(() for _ in range(pending))
        pending = 0
        rows.append(tuple(values[:end]))
        if first_if_generated and index == 1 and is_generated(values[0]):
            break
    return trimmed(rows)


@contextmanager
def _no_dimension_lookup() -> Iterator[None]:
    """Load without openpyxl reading each sheet's <dimension> (the whole sheet if it has none).

    The method is swapped on the class for the load and put back on exit: sheets-sync reads
    one workbook at a time, in one thread.
    """
    original = ReadOnlyWorksheet.__dict__.get("_get_size")
    if original is None:  # another openpyxl: nothing to skip
        yield
        return
    ReadOnlyWorksheet._get_size = lambda self: None
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = original


def read_grids_openpyxl(name: str, data: bytes, origin_name: str | None, limits: ReadLimits,
                        keep_generated: Collection[str] | None,
                        only: str | None = None) -> tuple[Grid, ...]:
    """Every tab of an .xlsx/.xlsm workbook, through openpyxl's streaming reader (`only`:
    the tab of that title alone)."""
    origin = origin_name or name
    budget = CellBudget(name, limits)
    with warnings.catch_warnings(), _no_dimension_lookup():
        warnings.simplefilter("ignore")  # openpyxl warns about what it does not read
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
        try:
            grids = []
            for sheet_name in book.sheetnames:
                sheet = book[sheet_name]
                title = str(sheet_name)
                if only not in (None, title):
                    continue
                budget.start(title)
                rows: tuple[tuple[CellValue, ...], ...] = ()
                if hasattr(sheet, "iter_rows"):  # a chartsheet has no cells
                    sheet.reset_dimensions()
                    skim = keep_generated is not None and title not in keep_generated
                    rows = _sheet_rows(sheet, budget, skim)
                grids.append(
                    Grid(
                        tab=f"{origin_name} › {title}" if origin_name else title,
                        rows=rows,
                        sheet=title,
                        origin=origin,
                        hidden=sheet.sheet_state != "visible",
                    )
                )
        finally:
            book.close()
    return tuple(grids)
