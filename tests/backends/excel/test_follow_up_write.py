"""Rows appended to a typed tab's sheet XML as text (backends/excel/follow_up_write.py): after
the last row holding a value, into rows that only hold formatting, <dimension> widened, a
table reaching the last value grown; never a cell holding a value changed, never beyond
Excel's grid."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.backends.excel.follow_up_write import (
    EXCEL_ROWS,
    Appended,
    GridFull,
    HeaderTooLow,
    add_rows,
    append_to_sheet,
    extend_table,
    place_rows,
)
from sheets_sync.backends.excel.read import file_fingerprint, read_workbook
from sheets_sync.backends.excel.xmltext import GraftError, parse
from sheets_sync.backends.typed_tab import TypedTab
from sheets_sync.errors import SourceChanged, WriteRefused

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


def test_rows_go_after_the_last_value_into_rows_holding_only_formatting() -> None:
    """Review finding 3: a row with a style, a height or empty styled cells is not « used »:
    the new cells go into it (its attributes kept, the cell's style kept, the row's style
    for a cell it did not have), new rows are put in order between the formatted ones."""
    valued = '<row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>1+1</f></c></row>'
    formatted = ('<row r="3" spans="1:2" s="3" customFormat="1" ht="20" customHeight="1">'
                 '<c r="A3" s="5"/><c r="B3" s="6"></c></row>')
    far = '<row r="40" s="3" customFormat="1"/>'
    xml = (f'<worksheet xmlns="{MAIN}"><dimension ref="A1:B40"/><sheetData>{valued}'
           f"{formatted}{far}</sheetData></worksheet>")
    out, done = place_rows(xml, [{1: "a", 3: "c"}, {1: "b"}, {2: "d"}])
    assert done == Appended(first=2, last_valued=1, last=4)

    def text(ref: str, value: str, style: str | None = None) -> str:
        s = "" if style is None else f' s="{style}"'
        return (f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{value}</t>'
                "</is></c>")

    assert out == (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:C40"/><sheetData>{valued}'
        f'<row r="2">{text("A2", "a")}{text("C2", "c")}</row>'
        '<row r="3" spans="1:2" s="3" customFormat="1" ht="20" customHeight="1">'
        f'{text("A3", "b", "5")}<c r="B3" s="6"></c></row>'
        f'<row r="4">{text("B4", "d")}</row>{far}</sheetData></worksheet>')
    parse(out.encode())


def test_a_formatted_row_takes_cells_beyond_its_spans_and_its_style() -> None:
    xml = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
           '<row r="2" spans="1:1" s="7" customFormat="1"><c r="A2" s="4"/></row>'
           "</sheetData></worksheet>")
    out, done = place_rows(xml, [{1: "x", 4: "y"}])
    assert done.first == 2
    assert ('<row r="2" spans="1:4" s="7" customFormat="1"><c r="A2" s="4" t="inlineStr">'
            in out and '<c r="D2" s="7" t="inlineStr">' in out)


def test_a_formatted_row_keeps_what_it_holds_besides_cells() -> None:
    xml = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
           '<row r="2" hidden="0"> <c r="A2" s="4"/><extLst><ext uri="x"/></extLst></row>'
           "</sheetData></worksheet>")
    out, _ = place_rows(xml, [{2: "b"}])
    assert ('<row r="2" hidden="0"><c r="A2" s="4"/><c r="B2" t="inlineStr"><is>'
            '<t xml:space="preserve">b</t></is></c><extLst><ext uri="x"/></extLst></row>'
            in out)


ROW_KIND = st.sampled_from(["value", "formula", "styled", "bare", "gap"])


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW_KIND, min_size=0, max_size=12),
       st.lists(st.dictionaries(st.integers(1, 4), st.sampled_from(["n", "=1+1", "<"]),
                                min_size=1, max_size=3), min_size=1, max_size=8))
def test_a_cell_holding_a_value_never_changes(kinds: list[str],
                                              rows: list[dict[int, str]]) -> None:
    """Whatever the mix of typed and formatted rows: every <c> holding a value stays byte
    for byte, the new rows start after the last one, rows stay in order, the XML parses."""
    body, typed, last_valued = [], [], 0
    for r, kind in enumerate(kinds, start=1):
        if kind == "value":
            cell = f'<c r="B{r}" s="2" t="inlineStr"><is><t>v{r}</t></is></c>'
        elif kind == "formula":
            cell = f'<c r="C{r}"><f>A{r}</f><v></v></c>'
        elif kind == "styled":
            body.append(f'<row r="{r}" ht="15" customHeight="1"><c r="A{r}" s="3"/>'
                        f'<c r="B{r}" s="4"></c></row>')
            continue
        elif kind == "bare":
            body.append(f'<row r="{r}" s="1" customFormat="1"/>')
            continue
        else:
            continue
        body.append(f'<row r="{r}"><c r="A{r}" s="1"/>{cell}</row>')
        typed.append(cell)
        last_valued = r
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(body)}</sheetData></worksheet>'
    out, done = place_rows(xml, rows)
    assert (done.first, done.last) == (last_valued + 1, last_valued + len(rows))
    assert all(out.count(cell) == 1 for cell in typed)
    root = parse(out.encode())
    numbers = [int(row.get("r", "0")) for row in root.iter(f"{{{MAIN}}}row")]
    assert numbers == sorted(set(numbers))
    for n, row in enumerate(rows):
        (element,) = [e for e in root.iter(f"{{{MAIN}}}row") if e.get("r") == str(done.first + n)]
        got = {c.get("r"): "".join(c.itertext()) for c in element.iter(f"{{{MAIN}}}c")}
        assert all(got[f"{'ABCD'[col - 1]}{done.first + n}"] == text for col, text in row.items())


def test_rows_beyond_excel_s_last_row_are_refused(tmp_path: Path) -> None:
    """Review finding 8 (/tmp/rev17/repro_row_limit.py): a note typed on row 1048576 left
    no room; the rows were numbered 1048577…, an invalid file. Now refused, nothing written."""
    xml = (f'<worksheet xmlns="{MAIN}"><dimension ref="A1:I1048576"/><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>Type</t></is></c></row>'
           '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>fin</t></is></c></row>'
           "</sheetData></worksheet>")
    with pytest.raises(GridFull):
        append_to_sheet(xml, [{1: "Collège", 3: "x-4e1"}])
    room = xml.replace('<row r="1048576">', '<row r="1048575">').replace("A1048576", "A1048575")
    out, first = append_to_sheet(room, [{1: "dernière"}])
    assert first == EXCEL_ROWS and f'<row r="{EXCEL_ROWS}">' in out
    with pytest.raises(GridFull):
        append_to_sheet(room, [{1: "a"}, {1: "b"}])
    path = tmp_path / "suivi.xlsx"
    add_rows(path, TAB, [], expected_fingerprint=None, backup=None)
    book = openpyxl.load_workbook(path)
    book["Suivi"].cell(EXCEL_ROWS, 1, "note tout en bas")
    book.save(path)
    before = path.read_bytes()
    with pytest.raises(WriteRefused, match="Excel s'arrête à la ligne 1\u202f048\u202f576"):
        add_rows(path, TAB, [{1: "a"}], expected_fingerprint=file_fingerprint(path),
                 backup=tmp_path / "sauvegarde.xlsx")
    assert path.read_bytes() == before and not (tmp_path / "sauvegarde.xlsx").exists()


def test_a_header_is_never_written_below_the_rows_it_is_looked_for_in(tmp_path: Path) -> None:
    xml = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="35"><c r="A35" t="s"><v>0</v></c>'
           "</row></sheetData></worksheet>")
    with pytest.raises(HeaderTooLow):
        place_rows(xml, [{1: "Type"}], first_at_most=30)
    assert place_rows(xml, [{1: "Type"}], first_at_most=36)[1].first == 36
    path = tmp_path / "suivi.xlsx"
    add_rows(path, TAB, [], expected_fingerprint=None, backup=None)
    book = openpyxl.load_workbook(path)
    book["Suivi"]["A35"] = " "
    book.save(path)
    before = path.read_bytes()
    with pytest.raises(WriteRefused, match="l'en-tête irait à la ligne 36"):
        add_rows(path, TAB, [{1: "a"}], expected_fingerprint=file_fingerprint(path),
                 backup=None, first_at_most=30)
    assert path.read_bytes() == before


TABLE = ('<table xmlns="{main}" id="1" name="Suivi" displayName="Suivi" ref="A1:L21"{totals}>'
         '<autoFilter ref="A1:L21"><sortState ref="A2:L21"/></autoFilter>'
         '<tableColumns count="1"><tableColumn id="1" name="A"/></tableColumns></table>')


def test_a_table_ending_at_the_last_value_grows_over_the_new_rows() -> None:
    table = TABLE.format(main=MAIN, totals="")
    grown = extend_table(table, Appended(first=22, last_valued=21, last=30))
    assert grown == table.replace("L21", "L30")
    with_blank_rows = table.replace("L21", "L25")
    assert extend_table(with_blank_rows, Appended(22, 21, 30)) == table.replace("L21", "L30")
    assert extend_table(with_blank_rows, Appended(22, 21, 24)) is None  # already inside
    assert extend_table(table, Appended(40, 39, 50)) is None  # ends above the last value
    totals = TABLE.format(main=MAIN, totals=' totalsRowCount="1"')
    assert extend_table(totals, Appended(22, 21, 30)) is None


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
