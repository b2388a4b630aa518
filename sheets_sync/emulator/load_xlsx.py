"""Preload the Sheets emulator from an .xlsx: every tab's values, as plain data.

`sheets-sync emulator --load FILE.xlsx` serves the workbook as a Google spreadsheet, so the
whole Google path can be tried offline on a real campaign file. Reading goes through
`read.read_workbook` (values only, formulas as Excel cached them; a bad file is a
SourceError in French). Formats, validations and charts are not carried over.
"""

from __future__ import annotations

from pathlib import Path

from ..backends.excel.read import read_workbook
from ..cells.grid import CellValue


def read_xlsx_tabs(path: Path) -> dict[str, list[list[CellValue]]]:
    """Tab title -> rows of values (row 1 first), in the workbook's tab order."""
    workbook = read_workbook(Path(path))
    return {grid.sheet: [list(row) for row in grid.rows] for grid in workbook.grids}
