"""Plain rows written straight from their values (issue #16: lean rendering, same bytes).

render._plain_row builds a row's XML itself and SheetRows.put_row writes it at once, with
no cell stored in xlsxwriter's table. Each case here is one of the traps of writing a row
before xlsxwriter would: a row's height (xlsxwriter writes a row with a height and no cell
as an empty <row>), the last row (xlsxwriter writes the pending one at close), a merge after
a plain row (merge_range writes the pending row itself), a row given up after its first
cell (a link at its end), formats numbered in the order xlsxwriter numbers them. Each tab
is compared, zip entry by zip entry, with xlsxwriter writing every row itself.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable

import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from sheets_sync.backends.excel import render
from sheets_sync.backends.excel.render import render_package
from sheets_sync.backends.excel.sheet_rows import SheetRows
from sheets_sync.cells.grid import GeneratedTab, Merge, OutCell

VOLATILE = frozenset({"docProps/core.xml"})  # its date is the time of writing
TALL = "ligne 1\nligne 2\nligne 3"  # a few lines: a row taller than one line
BANNER = "Généré par sheets-sync le 01/08/2021 à 09:00 — ne pas modifier"


def entries(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n not in VOLATILE}


def _xlsxwriter_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """render.py with no plain rows: xlsxwriter stores and writes every row itself."""
    monkeypatch.setattr(render, "_plain_row", lambda *args: False)

    def flush(self: SheetRows, next_row: int) -> None:
        self.sheet._write_single_row(next_row)

    monkeypatch.setattr(SheetRows, "flush", flush)


def _tab(*rows: tuple[OutCell, ...], merges: tuple[Merge, ...] = ()) -> GeneratedTab:
    return GeneratedTab(name="Données", banner=BANNER, title="Titre",
                        header=("A", "B", "C"), rows=rows, merges=merges)


def _both(tab: GeneratedTab, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The tab's package, checked equal to xlsxwriter's own rendering."""
    fast = entries(render_package([tab]))
    with monkeypatch.context() as patch:
        _xlsxwriter_only(patch)
        assert entries(render_package([tab])) == fast
    return fast


def _rows(parts: dict[str, bytes]) -> list[str]:
    """The <row> tags of the first sheet, in order."""
    return re.findall(r"<row [^>]*>", parts["xl/worksheets/sheet1.xml"].decode())


def _numbers(parts: dict[str, bytes]) -> list[int]:
    """The row numbers of the first sheet's <row> elements, in order."""
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    return [int(n) for n in re.findall(r'<row r="(\d+)"', sheet)]


def test_the_xlsxwriter_internals_used_are_there() -> None:
    # besides those of test_sheet_rows: put_row takes a written row out of row_info, and
    # flush looks for comments, as Worksheet._write_single_row does
    book = xlsxwriter.Workbook(io.BytesIO(), render.OPTIONS)
    sheet = book.add_worksheet("x")
    assert isinstance(sheet.row_info, dict) and isinstance(sheet.comments, dict)
    sheet.set_row(0, 30)
    assert sheet.row_info[0].row_format is None
    book.close()


def test_a_tall_last_row_is_written_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = _both(_tab((OutCell("a"), OutCell(1)), (OutCell(TALL), OutCell(2, "integer"))),
                  monkeypatch)
    numbers = _numbers(parts)
    assert numbers == sorted(set(numbers)) and numbers[-1] == 6
    assert 'customHeight="1"' in _rows(parts)[-1]  # its height, on the row with its cells


def test_tall_rows_then_a_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ((OutCell(TALL),), (OutCell("b"), OutCell(TALL)),
            (OutCell("Note fusionnée"), OutCell(None), OutCell(None)), (OutCell("d"),))
    parts = _both(_tab(*rows, merges=(Merge(7, 1, 7, 3),)), monkeypatch)
    assert _numbers(parts) == [1, 2, 4, 5, 6, 7, 8]
    assert b'<mergeCell ref="A7:C7"/>' in parts["xl/worksheets/sheet1.xml"]


def test_tall_rows_with_nothing_to_store(monkeypatch: pytest.MonkeyPatch) -> None:
    # the middle row holds nothing stored (no value, no style): no <row> for it, either way
    rows = ((OutCell(TALL), OutCell(None, "ok")), (OutCell(None), OutCell("")),
            (OutCell(""), OutCell(TALL)), (OutCell(None),))
    parts = _both(_tab(*rows), monkeypatch)
    assert 6 not in _numbers(parts) and 8 not in _numbers(parts)


def test_a_row_given_up_after_its_first_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    # plain cells first, then a link: the row is written by _write_cell, once
    rows = ((OutCell(TALL, "warning"), OutCell(dt.date(2021, 9, 1)),
             OutCell("F7", link="'Réponses'!F7")),
            (OutCell("x", "muted"), OutCell(float("nan"), "percent")),
            (OutCell(TALL, "ok"),))
    parts = _both(_tab(*rows), monkeypatch)
    assert _numbers(parts) == [1, 2, 4, 5, 6, 7]


def test_formats_numbered_as_xlsxwriter_numbers_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # each row brings formats not numbered yet, in rows written by either side
    rows = ((OutCell("lien", "ok", link="'Réponses'!A1"), OutCell("e", "error")),
            (OutCell("w", "warning"), OutCell(0.5, "percent")),
            (OutCell("m", "muted", link="mailto:a%40b.fr"), OutCell(dt.time(9, 30))),
            (OutCell(dt.datetime(2021, 9, 1, 8)), OutCell(True, "wrap"), OutCell("=1", "ok")))
    parts = _both(_tab(*rows), monkeypatch)
    assert b"quotePrefix" in parts["xl/styles.xml"]


def test_texts_escaped_by_xlsxwriter(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ((OutCell("a & b < c > d"), OutCell("_x0041_"), OutCell("\x01 contrôle ")),
            (OutCell(" espaces "), OutCell("\u3000idéo\u3000"), OutCell("tab\tin")),
            (OutCell("<r>brut</r>"), OutCell("_x_ seul"), OutCell("\ud800")))
    sheet = _both(_tab(*rows), monkeypatch)["xl/worksheets/sheet1.xml"].decode()
    assert "<t>a &amp; b &lt; c &gt; d</t>" in sheet
    assert '<t xml:space="preserve"> espaces </t>' in sheet


def test_xlsxwriter_writes_no_plain_row_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[int] = []
    original: Callable[..., None] = Worksheet._write_cell

    def counted(self: Worksheet, row: int, col: int, cell: object) -> None:
        written.append(row)
        original(self, row, col, cell)

    monkeypatch.setattr(Worksheet, "_write_cell", counted)
    rows = tuple((OutCell(f"Collège {i} & co" if i == 7 else f"Collège {i}"),
                  OutCell(i, "integer"), OutCell(None, "ok"), OutCell(dt.date(2021, 9, 1)),
                  OutCell(i % 2 == 0), OutCell(i / 3, "percent")) for i in range(300))
    tab = GeneratedTab(name="T", banner="b", title="t", header=("A", "B", "C", "D", "E", "F"),
                       rows=rows)
    render_package([tab])
    assert written == [4 + 7]  # the one text xlsxwriter escapes; no other cell is its


def test_formula_starts_are_one_character_each() -> None:
    # _plain_row looks a text's first character up in render._FORMULA_FIRST
    assert all(len(start) == 1 for start in render.FORMULA_START)
    assert frozenset(render.FORMULA_START) == render._FORMULA_FIRST
