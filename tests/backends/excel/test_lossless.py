"""Writing generated tabs changes no byte of what was there: the package is grafted part by
part, and only the parts that list the tabs (and the styles) are edited."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from defusedxml import ElementTree as SafeET

from sheets_sync.backends import excel
from sheets_sync.backends.excel import graft as xlsx_graft
from sheets_sync.cells.grid import MARKER, GeneratedTab, OutCell
from sheets_sync.errors import WriteRefused
from sheets_sync.sync import sync

from ...conftest import MakeCampaign
from ...helpers import COMPLETE_NO, COMPLETE_YES, HEADER, KEYS, libreoffice_texts, present
from .openpyxl_losses import lossy_content
from .test_losses import LOST, make, png

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference" / "excel-made"
REFERENCE_FILES = present(REFERENCE.glob("*.xls?"))
# The only parts a graft may edit; each is justified in xlsx_graft's docstring.
EDITED = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "docProps/app.xml",
}
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
BANNER = f"{MARKER} le 01/09/2021 — ne pas modifier"


def tab(
    name: str = "Synthèse", rows: tuple[tuple[OutCell, ...], ...] = (), **kw: Any
) -> GeneratedTab:
    return GeneratedTab(
        name=name,
        banner=BANNER,
        title=f"Titre {name}",
        header=("Établissement", "Taux"),
        rows=rows or ((OutCell("Collège Exemple", link="'Réponses'!A2"), OutCell(0.5, "percent")),),
        widths=(30, 12),
        **kw,
    )


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Members of `before` that are gone or differ in `after`."""
    return {n for n, data in before.items() if after.get(n) != data}


def load(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


def sheet_list(path: Path) -> list[tuple[str, str]]:
    root = SafeET.fromstring(members(path)["xl/workbook.xml"])
    return [(s.get("name"), s.get("state", "visible")) for s in root.iter(f"{MAIN}sheet")]


def defined_names(path: Path) -> list[tuple[str | None, str | None, str | None]]:
    root = SafeET.fromstring(members(path)["xl/workbook.xml"])
    return [(d.get("name"), d.get("localSheetId"), d.text) for d in root.iter(f"{MAIN}definedName")]


def children(data: bytes, section: str) -> list[bytes]:
    root = SafeET.fromstring(data)
    found = root.find(f"{MAIN}{section}")
    return [] if found is None else [SafeET.tostring(c) for c in found]


def annex_package() -> bytes:
    """An annex n°1 tab (header and two answers) as a package to graft, like a principal's."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Réponses")
    sheet.write_row(0, 0, HEADER)
    sheet.set_column(0, len(HEADER) - 1, 40)
    for r, answer in enumerate((COMPLETE_YES, COMPLETE_NO), start=1):
        sheet.write_row(r, 0, [answer.get(k) for k in KEYS])
    book.close()
    return out.getvalue()


def lo_text(path: Path, tmp_path: Path) -> str:
    """The text LibreOffice prints from the workbook (it opened it)."""
    (text,) = libreoffice_texts([path], tmp_path)
    return text


# skips without LibreOffice and pdftotext, fails when CI is set (fixture in tests/conftest.py)
needs_libreoffice = pytest.mark.usefixtures("libreoffice")


# --- the acceptance test -------------------------------------------------------------


def rich_workbook(path: Path, vba: bytes | None = None) -> Path:
    """Input tabs holding what an openpyxl save would lose, and an annex n°1 table."""
    image = png(path.parent / "rouge.png")
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Réponses")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [COMPLETE_YES.get(k) for k in KEYS])
    sheet.write_row(2, 0, [COMPLETE_NO.get(k) for k in KEYS])
    sheet.write_formula("N2", "=E2+F2", None, 3)  # a cached value
    sheet.write_comment("A2", "Vu au téléphone", {"x_scale": 2.5, "y_scale": 3})
    notes = book.add_worksheet("Notes")
    notes.write_column(0, 1, [4, 8, 15, 16, 23])
    notes.insert_image("D2", str(image))
    notes.insert_textbox("D8", "Lisez-moi")
    notes.add_sparkline("C1", {"range": "Notes!B1:B5"})
    notes.conditional_format("B1:B5", {"type": "data_bar", "data_bar_2010": True})
    notes.write_formula("B6", "=SUM(B1:B5)", None, 66)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Notes!$B$1:$B$5"})
    notes.insert_chart("H2", chart)
    notes.print_area("A1:F20")
    book.add_worksheet("Archives").hide()
    if vba is not None:
        (path.parent / "vbaProject.bin").write_bytes(vba)
        book.add_vba_project(str(path.parent / "vbaProject.bin"))
    book.close()
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_two_syncs_keep_every_input_part(make_campaign: MakeCampaign, suffix: str) -> None:
    config = make_campaign(source=f"reponses{suffix}")
    vba = members(REFERENCE / "macro01.xlsm")["xl/vbaProject.bin"] if suffix == ".xlsm" else None
    rich_workbook(config.source, vba)
    original = members(config.source)
    assert lossy_content(config.source)  # an openpyxl save would lose some of it

    first = sync(config, now=dt.datetime(2021, 7, 1, 9, 0))
    assert first.written and first.backup is not None
    after_first = members(config.source)
    second = sync(config, now=dt.datetime(2021, 7, 2, 9, 0))
    assert second.written
    after_second = members(config.source)

    assert changed(original, after_first) <= EDITED
    assert changed(original, after_second) <= EDITED
    assert changed(original, after_second) >= {"xl/workbook.xml", "[Content_Types].xml"}
    # input tabs where they were, then this sync's tabs in order; the first sync's are gone
    sheets = sheet_list(config.source)
    assert sheets[:3] == [("Réponses", "visible"), ("Notes", "visible"), ("Archives", "hidden")]
    assert [name for name, state in sheets[3:] if state == "visible"] == second.tabs
    grids = {g.sheet: g for g in excel.read_workbook(config.source).grids}
    for name, _ in sheets[3:]:
        assert str(grids[name].value(1, 1)).startswith(f"{MARKER} le 02/07/2021")
    parts = [n for n in after_second if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    assert len(parts) == len(sheets)
    names = defined_names(config.source)
    assert names[0] == ("_xlnm.Print_Area", "1", "Notes!$A$1:$F$20")  # the user's, untouched
    # each visible generated tab of one table repeats its header row when printed, named once
    # (the first sync's names went with its tabs), scoped to the tab's place in the workbook;
    # « Synthèse » stacks several tables, whose first header is not repeated
    titles = [(n[1], n[2]) for n in names[1:] if n[0] == "_xlnm.Print_Titles"]
    # and the tabs with charts print their whole width (Print_Area)
    assert {n[0] for n in names[1:]} == {"_xlnm.Print_Titles", "_xlnm.Print_Area"}
    visible = [(str(i), name) for i, (name, state) in enumerate(sheets)
               if i >= 3 and state == "visible" and name != "Synthèse"]
    assert sorted((scope, str(formula).rsplit("!", 1)[0].strip("'"))
                  for scope, formula in titles) == sorted(visible)
    assert all(str(formula).endswith("!$4:$4") for _, formula in titles)
    assert grids["Réponses"].value(2, 14) == 3  # the cached value, read as Excel would
    if suffix == ".xlsm":
        assert b"macroEnabled" in after_second["[Content_Types].xml"]
        assert after_second["xl/vbaProject.bin"] == vba


@needs_libreoffice
def test_a_synced_rich_workbook_opens_in_libreoffice(
    make_campaign: MakeCampaign, tmp_path: Path
) -> None:
    config = make_campaign()
    rich_workbook(config.source)
    sync(config, now=dt.datetime(2021, 7, 1, 9, 0))
    sync(config, now=dt.datetime(2021, 7, 2, 9, 0))
    text = lo_text(config.source, tmp_path)
    assert f"{MARKER} le 02/07/2021" in text
    assert "Collège des Essais" in text
    assert f"{MARKER} le 01/07/2021" not in text


# --- every workbook Excel made ---------------------------------------------------------------


def with_annex(source: Path, target: Path) -> Path:
    """A copy of `source` with an annex n°1 tab added after its own (by the same graft)."""
    target.write_bytes(xlsx_graft.graft(source.read_bytes(), annex_package(), [False]))
    return target


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_excel_made_workbooks_keep_every_part(make_campaign: MakeCampaign, path: Path) -> None:
    config = make_campaign(source=f"reponses{path.suffix}")
    with_annex(path, config.source)
    reference, copy = members(path), members(config.source)
    assert changed(reference, copy) <= EDITED
    sync(config, now=dt.datetime(2021, 7, 1, 9, 0))
    result = sync(config, now=dt.datetime(2021, 7, 2, 9, 0))
    after = members(config.source)
    assert changed(reference, after) <= EDITED
    assert changed(copy, after) <= EDITED  # the annex tab is an input tab like the others
    names = [name for name, _ in sheet_list(config.source)]
    before = [name for name, _ in sheet_list(path)]
    assert names[: len(before) + 1] == [*before, "Réponses"]
    assert [n for n, state in sheet_list(config.source) if state == "visible"][
        -len(result.tabs) :
    ] == result.tabs
    # names scoped to a tab still point at the same tab; ours are the generated tabs'
    # Print_Titles only
    theirs = defined_names(path)
    assert defined_names(config.source)[: len(theirs)] == theirs
    ours = defined_names(config.source)[len(theirs):]
    assert {n[0] for n in ours} <= {"_xlnm.Print_Titles", "_xlnm.Print_Area"}
    assert {int(str(n[1])) for n in ours} <= set(range(len(before) + 1, len(names)))
    assert (
        changed({n: d for n, d in reference.items() if n.startswith("xl/tables/")}, after) == set()
    )
    if path.suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == reference["xl/vbaProject.bin"]
        assert b"macroEnabled" in after["[Content_Types].xml"]
    book = load(config.source)  # openpyxl opens it too
    assert book.sheetnames == names
    book.close()


@needs_libreoffice
def test_excel_made_workbooks_open_in_libreoffice(tmp_path: Path) -> None:
    written = []
    for n, path in enumerate(REFERENCE_FILES):
        target = with_annex(path, tmp_path / f"{n:02d}-{path.name}")
        excel.write_tabs(target, [tab(f"Synthèse {n}")], expected_fingerprint=None, backup=False)
        written.append(target)
    for n, (target, text) in enumerate(
        zip(written, libreoffice_texts(written, tmp_path), strict=True)
    ):
        assert f"Titre Synthèse {n}" in text, target.name
        assert "Collège des Essais" in text, target.name


# --- what the graft edits, precisely -------------------------------------------------------


def _three_tabs(path: Path) -> Path:
    """Réponses, an old generated Synthèse, Notes; print areas on the last two; Notes active."""
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Réponses").write("A1", "Nom")
    old = book.add_worksheet("Synthèse")
    old.write("A1", f"{MARKER} autrefois")
    old.print_area("A1:B2")
    notes = book.add_worksheet("Notes")
    notes.print_area("A1:C3")
    notes.activate()
    book.define_name("Total", "=Notes!$A$1")
    book.close()
    return path


def test_names_scoped_to_later_tabs_are_renumbered(tmp_path: Path) -> None:
    path = _three_tabs(tmp_path / "campagne.xlsx")
    assert defined_names(path) == [
        ("_xlnm.Print_Area", "2", "Notes!$A$1:$C$3"),
        ("_xlnm.Print_Area", "1", "Synthèse!$A$1:$B$2"),
        ("Total", None, "Notes!$A$1"),
    ]
    excel.write_tabs(path, [tab(), tab("Complétude", hidden=True)], expected_fingerprint=None)
    assert sheet_list(path) == [
        ("Réponses", "visible"),
        ("Notes", "visible"),
        ("Synthèse", "visible"),
        ("Complétude", "hidden"),
    ]
    # the old Synthèse's print area went with it; the new one repeats its header row
    # (a hidden tab is not printed: no name)
    assert defined_names(path) == [
        ("_xlnm.Print_Area", "1", "Notes!$A$1:$C$3"),
        ("Total", None, "Notes!$A$1"),
        ("_xlnm.Print_Titles", "2", "Synthèse!$4:$4"),
    ]
    excel.write_tabs(path, [tab(), tab("Complétude", hidden=True)], expected_fingerprint=None)
    assert [n for n in defined_names(path) if n[0] == "_xlnm.Print_Titles"] == [
        ("_xlnm.Print_Titles", "2", "Synthèse!$4:$4")]  # replaced, never doubled
    view = SafeET.fromstring(members(path)["xl/workbook.xml"]).find(f"{MAIN}bookViews/")
    assert view is not None and view.get("activeTab") == "1"  # still Notes
    book = load(path)
    assert book["Complétude"].sheet_state == "hidden"
    assert book.active.title == "Notes"
    book.close()


def test_existing_styles_keep_their_index_and_cells_are_inline(tmp_path: Path) -> None:
    def build(book: Any, ws: Any) -> None:
        ws.write("A1", "gras", book.add_format({"bold": True, "num_format": "0.000"}))
        ws.write("A2", "rouge", book.add_format({"bg_color": "#FF0000"}))

    path = tmp_path / "campagne.xlsx"
    book = xlsxwriter.Workbook(str(path))
    build(book, book.add_worksheet("Réponses"))
    book.close()
    before = members(path)
    excel.write_tabs(path, [tab()], expected_fingerprint=None)
    after = members(path)
    for section in ("numFmts", "fonts", "fills", "borders", "cellXfs"):
        old, new = (
            children(before["xl/styles.xml"], section),
            children(after["xl/styles.xml"], section),
        )
        assert new[: len(old)] == old and len(new) > len(old) - (section == "borders")
        counted = SafeET.fromstring(after["xl/styles.xml"]).find(f"{MAIN}{section}")
        assert counted is not None and counted.get("count") == str(len(new))
    assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
    excel.write_tabs(path, [tab()], expected_fingerprint=None)  # again: nothing to add
    assert members(path)["xl/styles.xml"] == after["xl/styles.xml"]
    sheet = after["xl/worksheets/sheet2.xml"]
    assert b't="inlineStr"' in sheet and b't="s"' not in sheet and b"tabSelected" not in sheet
    ws = load(path)["Synthèse"]
    assert (ws["A1"].value, ws["A1"].font.i) == (BANNER, True)
    assert ws["A4"].font.b and ws["A4"].fill.fgColor.rgb.endswith("DDEBF7")
    assert (ws["B5"].value, ws["B5"].number_format) == (0.5, "0 %")
    assert ws["A5"].hyperlink.location == "'Réponses'!A2"
    assert [ws.column_dimensions[c].width for c in "AB"] == [30, 12]
    assert ws.freeze_panes == "A5" and ws.protection.sheet and not ws.protection.password
    assert load(path)["Réponses"]["A1"].font.b  # the input cell's own format, unchanged


def test_text_stays_text_and_links_show_the_value(tmp_path: Path) -> None:
    rows = (
        (OutCell("=1+1"), OutCell("<r><t>x</t></r>"), OutCell("a\x01b")),
        (
            OutCell("écrire", link="mailto:principal@exemple.invalid"),
            OutCell(7, link="https://exemple.invalid/page"),
            OutCell("=HYPERLINK(1)", link="'Réponses'!B3"),
        ),
        (OutCell(dt.date(2021, 7, 16)), OutCell(True), OutCell(None, "error")),
    )
    path = make(tmp_path / "campagne.xlsx", lambda b, ws, i: None)
    excel.write_tabs(path, [tab(rows=rows)], expected_fingerprint=None)
    ws = load(path)["Synthèse"]
    assert [(c.value, c.data_type) for c in ws[5]] == [
        ("=1+1", "s"),
        ("<r><t>x</t></r>", "s"),
        ("ab", "s"),
    ]
    assert [c.value for c in ws[6]] == ["écrire", "7", "=HYPERLINK(1)"]
    assert [c.data_type for c in ws[6]] == ["s", "s", "s"]
    assert ws["A6"].hyperlink.target == "mailto:principal@exemple.invalid"
    assert ws["B6"].hyperlink.target == "https://exemple.invalid/page"
    assert ws["C6"].hyperlink.location == "'Réponses'!B3" and not ws["C6"].hyperlink.target
    assert ws["A7"].value == dt.datetime(2021, 7, 16) and ws["A7"].number_format == "dd/mm/yyyy"
    assert ws["B7"].value is True
    # replaced again: the old tab's part and its relationships (external links) are gone
    excel.write_tabs(path, [tab(rows=rows)], expected_fingerprint=None)
    names = members(path)
    assert [n for n in names if n.startswith("xl/worksheets/")] == [
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
        "xl/worksheets/_rels/sheet2.xml.rels",
    ]
    assert names["[Content_Types].xml"].count(b"worksheet+xml") == 2


def test_app_titles_follow_the_tabs(tmp_path: Path) -> None:
    path = _three_tabs(tmp_path / "campagne.xlsx")
    excel.write_tabs(path, [tab("Autre")], expected_fingerprint=None)
    vt = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
    root = SafeET.fromstring(members(path)["docProps/app.xml"])
    assert [t.text for t in root.iter(f"{vt}lpstr")] == [
        "Worksheets", "Named Ranges", "Réponses", "Notes", "Autre", "Notes!Print_Area", "Total"
    ]  # fmt: skip
    assert [i.text for i in root.iter(f"{vt}i4")] == ["3", "2"]


@pytest.mark.parametrize("name", list(LOST))
def test_what_openpyxl_would_lose_is_kept(tmp_path: Path, name: str) -> None:
    path = make(tmp_path / f"{name}.xlsx", LOST[name][0])
    before = members(path)
    excel.write_tabs(path, [tab()], expected_fingerprint=None)
    excel.write_tabs(path, [tab(), tab("Complétude")], expected_fingerprint=None)
    assert changed(before, members(path)) <= EDITED
    assert [n for n, _ in sheet_list(path)] == ["Réponses", "Synthèse", "Complétude"]


def test_a_workbook_left_without_a_visible_tab_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tableau.xlsx"
    excel.write_tabs(path, [tab()], expected_fingerprint=None)
    original = path.read_bytes()
    with pytest.raises(WriteRefused, match="aucun onglet visible"):
        excel.write_tabs(path, [tab(hidden=True)], expected_fingerprint=None)
    assert path.read_bytes() == original
    with pytest.raises(WriteRefused, match="aucun onglet visible"):
        excel.write_tabs(tmp_path / "neuf.xlsx", [tab(hidden=True)], expected_fingerprint=None)
