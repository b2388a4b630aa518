"""The Excel rendering of the layout: row heights, merged notes, wrapped cells, repeated
header rows, and charts that read right (whole-number axes, every label, a size, an
alternative text)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from sheets_sync.backends.excel.graft import add_names
from sheets_sync.backends.excel.render import render_package, round_step
from sheets_sync.cells.a1 import from_a1
from sheets_sync.cells.grid import GeneratedTab, OutCell
from sheets_sync.cells.layout import LINE_POINTS, Plot, Table, geometry, lay_out


def _parts(tab: GeneratedTab) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(render_package([tab]))) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def _tab() -> GeneratedTab:
    schools = Table(("Établissement", "4ème", "3ème"),
                    tuple((OutCell(f"Collège n°{i}"), OutCell(i % 3, "integer"),
                           OutCell(i * 4, "integer")) for i in range(12)))
    return lay_out("Synthèse", "Généré par sheets-sync", "Titre", [schools],
                   [Plot("bar", "Classes par établissement", schools, (1, 2))],
                   notes=("Une note longue " * 12,))


@pytest.mark.parametrize(("top", "step"), [(0, 1), (2, 1), (10, 1), (11, 2), (44, 5),
                                           (100, 10), (101, 20), (999, 100)])
def test_round_steps(top: int, step: int) -> None:
    assert round_step(top) == step
    assert top / step <= 10


def test_rows_as_tall_as_their_wrapped_text_and_notes_merged() -> None:
    tab = _tab()
    geo = geometry(tab)
    sheet = _parts(tab)["xl/worksheets/sheet1.xml"]
    note_row = GeneratedTab.FIRST_DATA_ROW + len(tab.rows) + 1
    assert f'<mergeCell ref="A{note_row}:C{note_row}"/>' in sheet
    height = geo.heights[note_row - 1]
    assert height > LINE_POINTS
    assert re.search(rf'<row r="{note_row}"[^>]* ht="{height:g}" customHeight="1"', sheet)


def test_header_rows_repeated_when_printed() -> None:
    book = _parts(_tab())["xl/workbook.xml"]
    assert "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">Synthèse!$4:$4" in book


def test_charts_read_right() -> None:
    parts = _parts(_tab())
    chart = parts["xl/charts/chart1.xml"]
    # value axis of counts: from 0, whole numbers, a round unit (max 44 → 5)
    assert '<c:min val="0"/>' in chart and '<c:majorUnit val="5"/>' in chart
    assert 'formatCode="0"' in chart
    assert '<c:tickLblSkip val="1"/>' in chart  # every category labelled
    drawing = parts["xl/drawings/drawing1.xml"]
    assert 'descr="Barres : Classes par établissement (4ème, 3ème)"' in drawing
    # the frame ends where the layout says (its rows × cols from the anchor)
    chart_obj = _tab().charts[0]
    to_col = re.search(r"<xdr:to><xdr:col>(\d+)</xdr:col><xdr:colOff>(\d+)</xdr:colOff>"
                       r"<xdr:row>(\d+)</xdr:row>", drawing)
    assert to_col is not None
    row, col = from_a1(chart_obj.anchor)
    assert int(to_col.group(1)) <= col - 1 + chart_obj.cols
    assert int(to_col.group(3)) <= row - 1 + chart_obj.rows


def test_a_text_wider_than_its_column_wraps() -> None:
    tab = GeneratedTab("T", "b", "t", ("Nom",), ((OutCell("mot " * 30),), (OutCell("court"),)),
                       widths=(12,))
    geo = geometry(tab)
    assert (5, 1) in geo.wrapped and (6, 1) not in geo.wrapped
    styles = _parts(tab)["xl/styles.xml"]
    assert 'wrapText="1"' in styles


def test_graft_adds_names_after_the_tab_list_when_the_book_has_none() -> None:
    book = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheets><sheet name="R" sheetId="1"/></sheets><calcPr calcId="1"/></workbook>')
    out = add_names(book, [(0, "_xlnm.Print_Titles", "'Synthèse'!$4:$4")], 1)
    assert ('</sheets><definedNames><definedName name="_xlnm.Print_Titles" localSheetId="1">'
            "'Synthèse'!$4:$4</definedName></definedNames><calcPr") in out
    assert add_names(book, [], 1) == book
