"""Rows appended to a typed tab's sheet XML as text (backends/excel/follow_up_write.py): new
<row> elements of inline strings before </sheetData>, <dimension> widened, nothing else."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.backends.excel.follow_up_write import add_rows, append_to_sheet
from sheets_sync.backends.excel.read import file_fingerprint, read_workbook
from sheets_sync.backends.excel.xmltext import GraftError, parse
from sheets_sync.backends.typed_tab import TypedTab
from sheets_sync.errors import SourceChanged

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TAB = TypedTab("Suivi", ("A", "B", "C"), (10, 10, 10), ((2, ("x", "y")),), (3,))


def test_prefixed_namespace_and_empty_sheet_data() -> None:
    """The Open XML SDK writes <x:sheetData/>: the rows take its prefix."""
    xml = (f'<x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1"/><x:sheetData/>'
           "<x:pageMargins/></x:worksheet>")
    out, first = append_to_sheet(xml, [{1: "a", 3: "c<&>"}, {2: "b"}])
    assert first == 1
    assert out == (
        f'<x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1:C2"/><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t xml:space="preserve">a</x:t></x:is>'
        '</x:c><x:c r="C1" t="inlineStr"><x:is><x:t xml:space="preserve">c&lt;&amp;&gt;</x:t>'
        '</x:is></x:c></x:row><x:row r="2"><x:c r="B2" t="inlineStr"><x:is>'
        '<x:t xml:space="preserve">b</x:t></x:is></x:c></x:row></x:sheetData><x:pageMargins/>'
        "</x:worksheet>")
    parse(out.encode())


def test_rows_go_after_the_highest_row_even_formatted_only() -> None:
    xml = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
           '<row r="40" s="3" customFormat="1"/></sheetData></worksheet>')
    out, first = append_to_sheet(xml, [{1: "z"}])
    assert first == 41 and '<row r="40" s="3" customFormat="1"/><row r="41">' in out
    assert "<dimension" not in out  # none before: none added


def test_a_row_without_its_number_is_refused() -> None:
    xml = f'<worksheet xmlns="{MAIN}"><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>'
    with pytest.raises(GraftError):
        append_to_sheet(xml, [{1: "z"}])


def test_a_changed_workbook_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "suivi.xlsx"
    add_rows(path, TAB, [{1: "a"}], expected_fingerprint=None, backup=None)
    before = path.read_bytes()
    with pytest.raises(SourceChanged):
        add_rows(path, TAB, [{1: "b"}], expected_fingerprint="0" * 64, backup=tmp_path / "b")
    assert path.read_bytes() == before and not (tmp_path / "b").exists()


def test_carriage_return_is_not_read_back_as_a_line_feed(tmp_path: Path) -> None:
    """Found by the property below: XML reads a raw CR as LF; Excel's _x000D_ keeps it."""
    path = tmp_path / "suivi.xlsx"
    add_rows(path, TAB, [], expected_fingerprint=None, backup=None)
    add_rows(path, TAB, [{1: "ligne 1\r\nligne 2", 2: "_x0041_"}],
             expected_fingerprint=file_fingerprint(path), backup=None)
    (grid,) = read_workbook(path).grids
    assert grid.rows[1][:2] == ("ligne 1\r\nligne 2", "_x0041_")


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(TEXT, min_size=1, max_size=3), min_size=1, max_size=4))
def test_any_text_reads_back_as_typed(tmp_path_factory: pytest.TempPathFactory,
                                      texts: list[list[str]]) -> None:
    """Whatever the text (« =1+1 », « _x0041_ », control characters, quotes), the XML stays
    well formed and the workbook reads back the same text, never a formula."""
    folder = tmp_path_factory.mktemp("typed")
    path = folder / "suivi.xlsx"
    add_rows(path, TAB, [], expected_fingerprint=None, backup=None)
    rows = [dict(enumerate(r, start=1)) for r in texts]
    add_rows(path, TAB, rows, expected_fingerprint=file_fingerprint(path), backup=None)
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()
    (grid,) = read_workbook(path).grids
    assert [list(r[:len(t)]) for r, t in zip(grid.rows[1:], texts, strict=True)] == texts
