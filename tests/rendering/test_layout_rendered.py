"""Every generated tab, printed by LibreOffice, reads right (issue #15, part 4).

The demo campaign (shared and coordinator workbooks, as `sheets-sync demo` writes them) and a
650-school campaign are synced, printed to PDF as their page setup says (A4 landscape), and
the printed words checked by pdf_layout's rules: no two words overlap, none is cut by the
page edge, every text cell is printed whole, no chart covers a non-empty cell. A layout
broken on purpose (broken.py) shows each rule failing.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..helpers import need_apps
from . import broken
from .campaigns import demo_campaign, large_campaign, workbooks
from .pdf_layout import (
    ChartFrame,
    Fault,
    Locator,
    Page,
    Rendered,
    SheetModel,
    Word,
    check_sheet,
    faults_of,
    generated_only,
    overlapping_pairs,
    page_counts,
    parse_bbox,
    read_sheets,
    render_many,
    report,
    words_overlap,
)

A4_LANDSCAPE = (841.9, 595.3)
BROKEN = ("short_rows", "clipped_text", "past_the_edge", "chart_over_table")


@pytest.fixture(scope="module")
def apps() -> None:
    need_apps("soffice", "pdftotext")


@pytest.fixture(scope="module")
def demo(apps: None, tmp_path_factory: pytest.TempPathFactory) -> list[Rendered]:
    """The demo's shared and coordinator workbooks, synced and printed (one LibreOffice)."""
    folder = tmp_path_factory.mktemp("demo")
    return render_many(workbooks(demo_campaign(folder / "demo")), folder / "rendu")


@pytest.mark.parametrize("book", [0, 1], ids=["classeur-partage", "classeur-coordination"])
def test_demo_tabs_print_without_layout_fault(demo: list[Rendered], book: int) -> None:
    faults = faults_of(demo[book])
    assert not faults, report(faults)


def test_demo_tabs_print_on_a4_landscape(demo: list[Rendered]) -> None:
    for rendered in demo:
        assert rendered.pages
        for name, pages in rendered.pages.items():
            sizes = {(round(p.width, 1), round(p.height, 1)) for p in pages}
            assert sizes == {A4_LANDSCAPE}, (name, page_counts(rendered)[name])


@pytest.mark.slow
def test_650_schools_tabs_print_without_layout_fault(apps: None, tmp_path: Path) -> None:
    config = large_campaign(tmp_path / "campagne", schools=650)
    faults = [f for r in render_many(workbooks(config), tmp_path / "rendu") for f in faults_of(r)]
    assert not faults, report(faults)


# --- each rule fails on a layout broken on purpose -------------------------------------------


@pytest.fixture(scope="module")
def broken_faults(apps: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Fault]]:
    """The faults of each broken layout (broken.py), all printed by one LibreOffice."""
    folder = tmp_path_factory.mktemp("casse")
    books = [getattr(broken, name)(folder / f"{name}.xlsx") for name in BROKEN]
    return {
        name: faults_of(r)
        for name, r in zip(BROKEN, render_many(books, folder / "rendu"), strict=True)
    }


def test_chevauchement_wrapped_rows_too_short(broken_faults: dict[str, list[Fault]]) -> None:
    faults = broken_faults["short_rows"]
    overlapping = [f for f in faults if f.rule == "chevauchement"]
    assert overlapping, report(faults)
    assert {f.tab for f in overlapping} == {"Parrainages"}
    assert set(overlapping[0].cells) <= {f"B{r}" for r in range(5, 10)}, overlapping[0]


def test_texte_coupe_wrapped_rows_too_short(broken_faults: dict[str, list[Fault]]) -> None:
    faults = broken_faults["short_rows"]
    assert {f.cells for f in faults if f.rule == "texte-coupe"} <= {
        (f"B{r}",) for r in range(5, 10)
    }
    assert [f for f in faults if f.rule == "texte-coupe"], report(faults)


def test_texte_coupe_text_clipped_by_its_neighbour(broken_faults: dict[str, list[Fault]]) -> None:
    faults = broken_faults["clipped_text"]
    assert [(f.rule, f.cells) for f in faults] == [
        ("texte-coupe", ("A5",)),
        ("texte-coupe", ("A6",)),
        ("texte-coupe", ("A7",)),
    ], report(faults)
    assert "mercredi" in faults[0].words


def test_bord_de_page_column_wider_than_the_page(broken_faults: dict[str, list[Fault]]) -> None:
    faults = broken_faults["past_the_edge"]
    cut = [f for f in faults if f.rule == "bord-de-page"]
    assert cut, report(faults)
    assert {f.cells for f in cut if not f.cells[0].startswith("?")} <= {("A5",), ("A6",), ("A7",)}


def test_graphique_sur_cellule_chart_anchored_on_its_table(
    broken_faults: dict[str, list[Fault]],
) -> None:
    faults = broken_faults["chart_over_table"]
    over = [f for f in faults if f.rule == "graphique-sur-cellule"]
    assert len(over) == 1, report(faults)
    assert {"A5", "B5", "A12", "B12"} <= set(over[0].cells)
    assert "Collège n°1" in over[0].words
    assert any(f.rule == "chevauchement" for f in faults)  # its labels print over the cells


def test_the_same_chart_beside_its_table_is_no_fault(apps: None, tmp_path: Path) -> None:
    sheet = SheetModel(
        "Classes", True, cells={(5, 1): "Collège n°1", (5, 2): "1"}, col_px={1: 173, 2: 75}
    )
    sheet.charts = [ChartFrame("Chart 1", (sheet.col_left(4), 0, sheet.col_left(10), 300))]
    assert check_sheet(sheet, [], ["graphique-sur-cellule"]) == []
    sheet.charts = [ChartFrame("Chart 1", (sheet.col_left(2) + 10, 0, sheet.col_left(8), 300))]
    assert [f.cells for f in check_sheet(sheet, [], ["graphique-sur-cellule"])] == [("B5",)]


def test_graphique_sur_graphique_two_charts_stacked_too_close() -> None:
    sheet = SheetModel("Synthèse", True, col_px={1: 173})
    sheet.charts = [
        ChartFrame("Chart 1", (200, 60, 700, 370)),
        ChartFrame("Chart 2", (200, 390, 700, 700)),
    ]
    assert check_sheet(sheet, [], ["graphique-sur-graphique"]) == []
    sheet.charts.append(ChartFrame("Chart 3", (200, 650, 700, 900)))  # 50 px into Chart 2
    [fault] = check_sheet(sheet, [], ["graphique-sur-graphique"])
    assert fault.words == ("Chart 2", "Chart 3")


# --- the rules on words alone (no LibreOffice needed) ----------------------------------------


def word(text: str, x0: float, y0: float, width: float = 30, line: int = 0) -> Word:
    return Word(text, x0, y0, x0 + width, y0 + 13, line)


def test_words_of_one_line_that_touch_are_no_overlap() -> None:
    words = [word("Nom", 10, 10, 30), word("de", 41, 10, 14), word("l'établissement", 54.5, 10)]
    assert list(overlapping_pairs(words)) == []


def test_stacked_lines_of_a_wrapped_cell_are_no_overlap() -> None:
    words = [word("Prénom,", 10, 0.8, line=0), word("l'action", 10, 12.5, line=1)]
    assert list(overlapping_pairs(words)) == []


@given(
    st.lists(
        st.tuples(st.floats(0, 800), st.floats(0, 580), st.floats(1, 120), st.integers(0, 3)),
        max_size=40,
    )
)
def test_the_buckets_find_every_overlapping_pair(
    boxes: list[tuple[float, float, float, int]],
) -> None:
    words = [word(f"m{n}", x, y, w, line) for n, (x, y, w, line) in enumerate(boxes)]
    every = {
        frozenset((a.text, b.text))
        for i, a in enumerate(words)
        for b in words[i + 1 :]
        if words_overlap(a, b)
    }
    found = [frozenset((a.text, b.text)) for a, b in overlapping_pairs(words)]
    assert sorted(map(sorted, found)) == sorted(map(sorted, every))


def test_a_word_printed_over_another_is_an_overlap() -> None:
    words = [word("Pourquoi", 10, 110, line=0), word("Même", 12, 112, line=1)]
    assert len(list(overlapping_pairs(words))) == 1


def test_cells_are_named_from_the_text_they_hold() -> None:
    sheet = SheetModel(
        "Relances",
        True,
        cells={
            (5, 5): "rachid.haddad@college-demo.example.org",
            (5, 6): "Classes Proch'Orientation",
        },
    )
    page = Page(
        1,
        *A4_LANDSCAPE,
        (word("rachid.haddad@college-demo.example", 375, 122), word("Classes", 455, 122)),
    )
    locate = Locator(sheet)
    assert [locate.cell(w, page) for w in page.words] == ["E5", "F5"]


def test_only_generated_tabs_are_printed(tmp_path: Path) -> None:
    book = broken.clipped_text(tmp_path / "onglet.xlsx")
    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    workbook = parts["xl/workbook.xml"].decode()
    parts["xl/workbook.xml"] = workbook.replace(
        "<sheets>", '<sheets><sheet name="Réponses" sheetId="9" r:id="rId9"/>'
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/worksheet" Target="worksheets/input.xml"/>'
        b"</Relationships>",
    )
    parts["xl/worksheets/input.xml"] = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    with zipfile.ZipFile(tmp_path / "deux.xlsx", "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert [(s.name, s.visible, s.generated) for s in read_sheets(tmp_path / "deux.xlsx")] == [
        ("Réponses", True, False),
        ("Synthèse", True, True),
    ]
    copy = generated_only(tmp_path / "deux.xlsx", tmp_path / "copie.xlsx")
    assert [(s.name, s.visible) for s in read_sheets(copy)] == [
        ("Réponses", False),
        ("Synthèse", True),
    ]
    with zipfile.ZipFile(copy) as z:
        assert b'activeTab="1"' in z.read("xl/workbook.xml")


def test_pdftotext_bbox_layout_is_parsed() -> None:
    xhtml = (
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><doc>'
        '<page width="841.89" height="595.30"><flow><block><line>'
        '<word xMin="1" yMin="2" xMax="3" yMax="4">Généré</word>'
        '<word xMin="5" yMin="2" xMax="7" yMax="4">par</word></line></block></flow></page>'
        "</doc></body></html>"
    )
    [page] = parse_bbox(xhtml)
    assert (page.number, page.width, [w.text for w in page.words]) == (1, 841.89, ["Généré", "par"])
