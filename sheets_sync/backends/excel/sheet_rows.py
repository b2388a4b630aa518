"""Write a generated tab's rows into its <sheetData> one f-string per cell (issue #16).

In constant_memory mode xlsxwriter keeps the cells of one row in `sheet.table` (its own
named tuples) and writes that row to the temporary file behind <sheetData> when a cell of
a later row is stored (`Worksheet._write_single_row`), and the last one when the workbook
is closed. That writer goes through one XML-writer call per attribute and two regular
expressions per text: most of the rendering time of a large sync (123,591 cells at 650
schools).

`SheetRows.advance(row, col)`, called just before a cell of `row` is stored with one of
xlsxwriter's own (undecorated) `_write_*` methods, writes the pending row with `flush`
instead: the same bytes, built with one f-string per cell; a text is escaped only when it
holds & < > or a control character, or looks like one of Excel's _xHHHH_ escapes, and then
by xlsxwriter itself, as is any cell kind other than text, number, date, boolean and blank.
A plain row (render._plain_row) is not stored at all: once `flush` has written the row
before it, its cells' XML is built straight from the values and `put_row` writes it at
once, with the dimensions xlsxwriter's checks would record, and takes the row's height out
of `row_info` (its <row> tag is xlsxwriter's, with that height), so that no one writes the
row a second time as an empty <row>: not xlsxwriter (the row pending at close, or before a
merge) nor `flush`. Everything else stays xlsxwriter's: merged ranges, links, and the rows
it writes itself (before a merge, the last row at close when it stored it). Its state
after each row is the one its public write_*() would leave once the row is written, so a
row may be written by either side; tests/backends/excel/test_sheet_rows.py writes random
rows both ways and compares the parts, test_plain_rows.py the traps of writing a row early.

xlsxwriter internals used here and in render.py (written against 3.3.1; pyproject allows
3.3.x only, as 3.2 lacked some and escaped differently; test_sheet_rows fails clearly if one
goes away): Worksheet.table, .previous_row, .row_info (a written row's entry removed),
.comments, .col_info, .fh, .xls_rowmax, .xls_colmax, .dim_rowmin/.dim_rowmax/.dim_colmin/
.dim_colmax, .default_date_format, ._write_single_row, ._write_row, ._write_cell,
._write_string, ._write_number, ._write_blank, ._write_boolean, ._write_datetime,
._write_url, ._convert_date_time, Format._get_xf_index, and the cell tuples of
xlsxwriter.worksheet (CellStringTuple, CellNumberTuple, CellDatetimeTuple, CellBlankTuple,
CellBooleanTuple).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellBooleanTuple,
    CellDatetimeTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

# What xlsxwriter's _escape_control_characters and _escape_data would change in a text
# (a text starting with <r> is among them: xlsxwriter writes it as a rich string).
NEEDS_XLSXWRITER = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
PRESERVE = ' xml:space="preserve"'


def captured(sheet: Worksheet, write: Callable[..., None], *args: Any) -> str:
    """What one of the sheet's XML writers writes, as a string."""
    saved = sheet.fh
    sheet.fh = buffer = io.StringIO()
    try:
        write(*args)
    finally:
        sheet.fh = saved
    return buffer.getvalue()


class SheetRows:
    """The row writer of one worksheet while its rows are written, in order.

    `xf`: ' s="N"' by format, shared by a workbook's sheets (xlsxwriter numbers a format
    the first time a written cell uses it; the cache asks it once)."""

    def __init__(self, sheet: Worksheet, xf: dict[Format, str]) -> None:
        if not sheet.constant_memory:
            raise ValueError("SheetRows needs a constant_memory workbook (render.OPTIONS)")
        self.sheet = sheet
        self.xf = xf
        self.letters: list[str] = []
        self.tags: dict[tuple[Any, ...] | None, str] = {}  # a <row> tag after its r="N"
        # a cell without a format takes its column's (none in generated tabs)
        self.formatted = {c for c, info in sheet.col_info.items() if info.column_format}

    def advance(self, row: int, col: int) -> None:
        """Before a cell of (0-based) `row` is stored: the pending row is written out if
        this is a later row, as xlsxwriter's write_*() would do it."""
        sheet = self.sheet
        if sheet.previous_row < row < sheet.xls_rowmax and col < sheet.xls_colmax:
            self.flush(row)

    def direct(self, row: int) -> bool:
        """Whether (0-based) `row`, a later one than any stored, may be written by put_row:
        no cell of it takes a row's or a column's format."""
        sheet = self.sheet
        if not sheet.previous_row < row < sheet.xls_rowmax or self.formatted:
            return False
        info = sheet.row_info.get(row)
        return info is None or info.row_format is None

    def style(self, fmt: Format) -> str:
        """' s="N"' for a cell's format, numbering it now if no cell used it yet (so the
        row before must have been written: see put_row)."""
        s = self.xf.get(fmt)
        if s is None:
            s = self.xf[fmt] = f' s="{fmt._get_xf_index()}"'
        return s

    def escaped(self, row: int, col: int, text: str, fmt: Format | None) -> str:
        """A text cell xlsxwriter escapes itself (see NEEDS_XLSXWRITER), as it writes it."""
        return captured(self.sheet, self.sheet._write_cell, row, col, CellStringTuple(text, fmt))

    def put_row(self, row: int, first: int, last: int, cells: list[str]) -> None:
        """Write a whole row, its cells' XML (columns `first` to `last`, 0-based) in order.

        The caller, before it numbers the first cell's format, has called flush(row):
        formats are numbered in the order xlsxwriter would number them, in the order of
        the cells written. The row must be complete: a cell stored later in it would be
        written as a second <row>."""
        sheet = self.sheet
        if sheet.dim_rowmin is None or row < sheet.dim_rowmin:
            sheet.dim_rowmin = row
        if sheet.dim_rowmax is None or row > sheet.dim_rowmax:
            sheet.dim_rowmax = row
        if sheet.dim_colmin is None or first < sheet.dim_colmin:
            sheet.dim_colmin = first
        if sheet.dim_colmax is None or last > sheet.dim_colmax:
            sheet.dim_colmax = last
        number = str(row + 1)
        info = sheet.row_info.pop(row, None)  # written here: not again, empty, by xlsxwriter
        sheet.fh.write(f"{self._row_tag(row, number, info)}{''.join(cells)}</row>")

    def flush(self, next_row: int) -> None:
        """Worksheet._write_single_row(next_row), the same bytes, fast."""
        sheet = self.sheet
        row = sheet.previous_row
        cells = sheet.table.get(row)
        if not cells and row not in sheet.row_info and row not in sheet.comments:
            sheet.previous_row = next_row  # nothing to write (or written by put_row)
            sheet.table.clear()
            return
        info = sheet.row_info.get(row)
        if not cells or (info is not None and info.row_format is not None):
            sheet._write_single_row(next_row)  # an empty row with a height, or nothing
            return
        sheet.previous_row = next_row
        number = str(row + 1)
        out = [self._row_tag(row, number, info)]
        columns = sorted(cells)
        letters = self.letters_to(columns[-1])
        for col in columns:
            cell = cells[col]
            fmt = cell.format
            if fmt:
                s = self.xf.get(fmt)
                if s is None:
                    s = self.xf[fmt] = f' s="{fmt._get_xf_index()}"'
            elif col in self.formatted:
                out.append(captured(sheet, sheet._write_cell, row, col, cell))
                continue
            else:
                s = ""
            ref = letters[col] + number
            kind = type(cell)
            if kind is CellStringTuple:
                text = cell.string
                if NEEDS_XLSXWRITER.search(text) is None:
                    space = PRESERVE if text[:1].isspace() or text[-1:].isspace() else ""
                    out.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>')
                    continue
            elif kind is CellNumberTuple or kind is CellDatetimeTuple:
                out.append(f'<c r="{ref}"{s}><v>{cell.number:.16G}</v></c>')
                continue
            elif kind is CellBlankTuple:
                out.append(f'<c r="{ref}"{s}/>')
                continue
            elif kind is CellBooleanTuple:
                out.append(f'<c r="{ref}"{s} t="b"><v>{cell.boolean}</v></c>')
                continue
            out.append(captured(sheet, sheet._write_cell, row, col, cell))
        out.append("</row>")
        sheet.fh.write("".join(out))
        sheet.table.clear()

    def letters_to(self, col: int) -> list[str]:
        """Column letters, A to at least (0-based) col's."""
        letters = self.letters
        while len(letters) <= col:
            letters.append(xl_col_to_name(len(letters)))
        return letters

    def _row_tag(self, row: int, number: str, info: Any) -> str:
        """<row r="N" …>, xlsxwriter's own, worked out once per kind of row."""
        key = None if info is None else tuple(vars(info).values())
        tail = self.tags.get(key)
        if tail is None:
            tag = captured(self.sheet, self.sheet._write_row, row, None, info)
            head = f'<row r="{number}"'
            if not tag.startswith(head):
                return tag
            tail = self.tags[key] = tag[len(head):]
        return f'<row r="{number}"{tail}'
