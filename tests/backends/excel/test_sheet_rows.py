"""The fast row writer writes what xlsxwriter would (issue #16: lean rendering, same bytes).

sheet_rows.SheetRows writes a worksheet's rows itself, one f-string per cell, and render.py
stores plain rows in one go (_plain_row). Both are compared here with xlsxwriter writing
every row itself, on random rows: every kind of cell, texts that need escaping, formats
shared or duplicated, row heights, rows left empty, merges, links. The golden workbook of
test_render_identity.py pins the same against the rendering before the change.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from sheets_sync.backends.excel import render
from sheets_sync.backends.excel.render import OPTIONS, render_package
from sheets_sync.backends.excel.sheet_rows import SheetRows
from sheets_sync.cells.grid import CellError, GeneratedTab, Merge, OutCell

VOLATILE = frozenset({"docProps/core.xml"})  # its date is the time of writing


def entries(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n not in VOLATILE}


# -- the xlsxwriter internals sheet_rows.py and render.py rely on --------------------------

def test_the_xlsxwriter_internals_used_are_there() -> None:
    # If this fails, xlsxwriter changed what sheet_rows.py reads or calls: pin it (pyproject
    # xlsxwriter>=3.1,<4) or adapt sheet_rows.py, then run test_render_identity.py.
    book = xlsxwriter.Workbook(io.BytesIO(), OPTIONS)
    sheet = book.add_worksheet("x")
    for name in ("table", "previous_row", "row_info", "col_info", "fh", "xls_rowmax",
                 "xls_colmax", "dim_rowmin", "dim_rowmax", "dim_colmin", "dim_colmax",
                 "default_date_format"):
        assert hasattr(sheet, name), f"xlsxwriter Worksheet.{name} is gone"
    for name in ("_write_single_row", "_write_row", "_write_cell", "_write_string",
                 "_write_number", "_write_blank", "_write_boolean", "_write_datetime",
                 "_write_url", "_convert_date_time"):
        assert callable(getattr(sheet, name, None)), f"xlsxwriter Worksheet.{name}() is gone"
    assert callable(getattr(Format, "_get_xf_index", None)), "Format._get_xf_index() is gone"
    from xlsxwriter import worksheet

    fields = {"CellStringTuple": ("string", "format"), "CellNumberTuple": ("number", "format"),
              "CellDatetimeTuple": ("number", "format"), "CellBlankTuple": ("format",),
              "CellBooleanTuple": ("boolean", "format")}
    for name, expected in fields.items():
        assert getattr(worksheet, name)._fields == expected, f"xlsxwriter {name} changed"
    assert sheet.constant_memory and sheet.previous_row == 0
    book.close()


# -- SheetRows.flush against Worksheet._write_single_row, cell by cell ---------------------

TEXTS = st.lists(st.sampled_from(
    [*"ab é", "&", "<", ">", '"', "\n", "\t", "\r", "\x01", "\x1f", "\ufffe", "_x0041_",
     "_x00aB_", "\u3000", "<r>", "</r>", "＝", "="]), max_size=8).map("".join)
VALUES = st.one_of(
    TEXTS, st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)), st.times(),
)
ROWS = st.lists(st.tuples(
    st.integers(0, 2),  # rows skipped before this one
    st.sampled_from([None, 15, 30.5, 0]),  # its height (None: not set)
    st.lists(st.tuples(st.integers(0, 2), VALUES, st.integers(0, 4)), max_size=5),
), max_size=8)


def _sheet_xml(rows: list[Any], column_format: bool, fast: bool) -> dict[str, bytes]:
    """Write `rows` with xlsxwriter's public methods; `fast`: SheetRows writes each row."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, OPTIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # xlsxwriter's refusals (rich strings) are warnings
        try:
            _write(book, rows, column_format, fast)
        finally:
            book.close()
    return entries(output.getvalue())


def _write(book: xlsxwriter.Workbook, rows: list[Any], column_format: bool, fast: bool) -> None:
    bold = book.add_format({"bold": True})
    formats: list[Format | None] = [None, bold, book.add_format({"italic": True}),
                                    book.add_format({"bold": True}),  # same key as bold
                                    book.add_format({"num_format": "dd/mm/yyyy"})]
    sheet = book.add_worksheet("x")
    if column_format:
        sheet.set_column(1, 1, 12, formats[2])
    writer = SheetRows(sheet, {})
    row = -1
    for skip, height, cells in rows:
        row += 1 + skip
        if height is not None:
            sheet.set_row(row, height)
        col = -1
        for gap, value, f in cells:
            col += 1 + gap
            fmt = formats[f]
            rich = isinstance(value, str) and value.startswith("<r>") and len(value) > 3
            if fast and not rich and (value is not None or fmt is not None):
                writer.advance(row, col)  # as render.py: before a cell that is stored
            if rich:
                sheet.write_rich_string(row, col, value[:1], value[1:], *[fmt] if fmt else [])
            elif isinstance(value, str) and value.startswith("="):
                sheet.write_url(row, col, "internal:'x'!A1", fmt, value)
            elif isinstance(value, str):
                sheet.write_string(row, col, value, fmt)
            elif isinstance(value, bool):
                sheet.write_boolean(row, col, value, fmt)
            elif isinstance(value, (int, float)):
                sheet.write_number(row, col, value, fmt)
            elif value is None:
                sheet.write_blank(row, col, None, fmt)
            else:
                sheet.write_datetime(row, col, value, fmt)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, column_format=st.booleans())
def test_flush_writes_the_bytes_xlsxwriter_writes(rows: list[Any], column_format: bool) -> None:
    assert _sheet_xml(rows, column_format, fast=True) == _sheet_xml(rows, column_format, False)


# -- render_package: fast rows against xlsxwriter writing every row ------------------------

def _xlsxwriter_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """render.py as before #16's writer: no plain rows, xlsxwriter writes each row."""
    monkeypatch.setattr(render, "_plain_row", lambda *args: False)

    def flush(self: SheetRows, next_row: int) -> None:
        self.sheet._write_single_row(next_row)

    monkeypatch.setattr(SheetRows, "flush", flush)


OUT_VALUES = st.one_of(
    VALUES, st.builds(CellError, st.sampled_from(["#N/A", "=#REF!", ""])),
    st.just("<r>brut</r>"), st.just("x" * 20_000), st.sampled_from(["", " a ", "=1+1"]))
STYLES = st.sampled_from([None, "ok", "error", "wrap", "percent", "integer", "date", "header"])
CELLS = st.builds(OutCell, OUT_VALUES, STYLES,
                  st.sampled_from([None, None, None, "'x'!A1", "mailto:a@b.fr"]))
TABS = st.builds(
    lambda rows, merge: GeneratedTab(
        name="Données", banner="Généré par sheets-sync", title="Titre", header=("A", "B", "C"),
        rows=tuple(tuple(r) for r in rows),
        merges=(merge,) if merge is not None and merge.last_row <= 4 + len(rows) else ()),
    st.lists(st.lists(CELLS, max_size=4), max_size=10),
    st.one_of(st.none(), st.builds(lambda r, n, w: Merge(r, 1, r + n, 1 + w),
                                   st.integers(5, 9), st.integers(0, 2), st.integers(1, 2))),
)


def _render(tab: GeneratedTab) -> dict[str, bytes]:
    return entries(render_package([tab]))


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(tab=TABS)
def test_fast_rows_render_what_xlsxwriter_renders(tab: GeneratedTab,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _render(tab)
    with monkeypatch.context() as patch:
        _xlsxwriter_only(patch)
        assert _render(tab) == fast


# -- the fast path is the one taken -------------------------------------------------------

def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original: Callable[..., None] = Worksheet._write_single_row

    def counted(self: Worksheet, current_row_num: int = 0) -> None:
        calls.append(current_row_num)
        original(self, current_row_num)

    monkeypatch.setattr(Worksheet, "_write_single_row", counted)
    return calls


def test_xlsxwriter_writes_only_the_last_row_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    rows = tuple((OutCell(f"Collège {i} & co"), OutCell(i, "integer"), OutCell(None, "ok"),
                  OutCell(dt.date(2021, 9, i % 28 + 1)), OutCell(i % 2 == 0),
                  OutCell("F7", link="'Réponses'!F7")) for i in range(300))
    tab = GeneratedTab(name="T", banner="b", title="t", header=("A", "B", "C", "D", "E", "F"),
                       rows=rows)
    render_package([tab])
    assert calls == [0]  # at close, the last row; every other row went through SheetRows
