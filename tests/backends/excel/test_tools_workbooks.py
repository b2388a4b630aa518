"""Workbooks saved by every tool a principal or a coordinator may use sync, losing nothing.

Each tool lays out the package XML its own way: where namespaces are declared (openpyxl with
lxml declares xmlns:r on each <sheet>, which made `sync` exit 2, « structure du classeur
inattendue (XML illisible) »), which prefixes it uses, what markup-compatibility it adds. The
fixtures in tests/data/tools/ were saved by each tool (README there says how).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.backends import excel
from sheets_sync.backends.excel import xmltext as xt
from sheets_sync.backends.excel.package_index import (
    REL,
    Package,
    SheetEntry,
    sheet_entries,
    workbook_part,
)
from sheets_sync.backends.excel.tablist import VT, NewSheet, edit_app, edit_workbook
from sheets_sync.cells.grid import MARKER
from sheets_sync.sync import sync

from ...conftest import MakeCampaign
from ...helpers import (
    COMPLETE_NO,
    COMPLETE_YES,
    HEADER,
    libreoffice_texts,
    need_apps,
    present,
)
from .test_lossless import EDITED, changed, load, members, needs_libreoffice, sheet_list, tab

TOOLS = Path(__file__).resolve().parents[2] / "data" / "tools"
TOOL_FILES = present(TOOLS.glob("*.xlsx"))
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def every_sheet_resolves(data: bytes) -> list[str]:
    """The tab titles, after checking that each <sheet> has a bound r:id naming a part."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        package = Package.open(zf)
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                SafeET.fromstring(zf.read(name))  # well-formed, every prefix bound
        entries = sheet_entries(package, workbook_part(package))
        assert all(e.rid and e.part for e in entries), entries
        return [e.name for e in entries]


def test_the_fixtures_are_what_their_names_say() -> None:
    """Each fixture still shows the layout it stands for (a regenerated one could lose it)."""
    books = {p.name: members(p)["xl/workbook.xml"].decode("utf-8") for p in TOOL_FILES}
    on_each_sheet = re.compile(r"<sheet xmlns:r=")
    assert {n for n, text in books.items() if on_each_sheet.search(text)} == {
        "openpyxl-lxml.xlsx",
        "pandas-openpyxl-lxml.xlsx",
    }
    assert "mc:Ignorable" in books["excel-markup-compatibility.xlsx"]
    assert "<x:sheets xmlns:rel=" in books["prefixed-namespaces.xlsx"]
    assert 'appName="Calc"' in books["libreoffice.xlsx"]
    assert {p.name for p in TOOL_FILES} >= {
        "openpyxl.xlsx",
        "pandas-openpyxl.xlsx",
        "pandas-xlsxwriter.xlsx",
        "xlsxwriter.xlsx",
    }


@pytest.mark.parametrize("path", TOOL_FILES, ids=lambda p: p.name)
def test_workbooks_saved_by_each_tool_sync_twice_losing_nothing(
    make_campaign: MakeCampaign, path: Path
) -> None:
    config = make_campaign()
    shutil.copyfile(path, config.source)
    original = members(config.source)
    first = sync(config, now=dt.datetime(2021, 7, 1, 9, 0))
    second = sync(config, now=dt.datetime(2021, 7, 2, 9, 0))
    assert first.written and second.written
    after = members(config.source)
    assert changed(original, after) <= EDITED  # input tabs byte-identical
    titles = every_sheet_resolves(config.source.read_bytes())
    assert titles[:2] == ["Réponses", "Notes"]
    assert [n for n, state in sheet_list(config.source)[2:] if state == "visible"] == second.tabs
    grids = {g.sheet: g for g in excel.read_workbook(config.source).grids}
    assert [grids["Réponses"].value(r, 1) for r in (1, 2, 3)] == [
        HEADER[0],
        COMPLETE_YES["etablissement"],
        COMPLETE_NO["etablissement"],
    ]
    for name in titles[2:]:
        assert str(grids[name].value(1, 1)).startswith(f"{MARKER} le 02/07/2021"), name
    book = load(config.source)  # openpyxl opens it too
    assert book.sheetnames == titles
    book.close()


def test_openpyxl_with_lxml_workbook_no_longer_exits_2(tmp_path: Path) -> None:
    """The issue's case: xmlns:r declared on each <sheet>, none on the root; the new entry
    declares the prefix itself instead of borrowing a sibling's."""
    target = tmp_path / "pandas.xlsx"
    shutil.copyfile(TOOLS / "pandas-openpyxl-lxml.xlsx", target)
    excel.write_tabs(target, [tab("Synthèse")], expected_fingerprint=None, backup=False)
    book = members(target)["xl/workbook.xml"].decode("utf-8")
    assert f'<sheet name="Synthèse" sheetId="3" xmlns:r="{REL}" r:id=' in book
    assert every_sheet_resolves(target.read_bytes()) == ["Réponses", "Notes", "Synthèse"]


def test_a_workbook_with_foreign_prefixes_gets_entries_in_its_own_prefixes(
    tmp_path: Path,
) -> None:
    target = tmp_path / "prefixed.xlsx"
    shutil.copyfile(TOOLS / "prefixed-namespaces.xlsx", target)
    excel.write_tabs(target, [tab("Synthèse")], expected_fingerprint=None, backup=False)
    book = members(target)["xl/workbook.xml"].decode("utf-8")
    assert re.search(r'<x:sheet name="Synthèse" sheetId="3" rel:id="rId\d+"/></x:sheets>', book)
    styles = members(target)["xl/styles.xml"].decode("utf-8")
    assert "<font>" not in styles and "<x:font>" in styles


def test_excel_markup_compatibility_is_kept_and_the_active_tab_follows(tmp_path: Path) -> None:
    target = tmp_path / "excel.xlsx"
    shutil.copyfile(TOOLS / "excel-markup-compatibility.xlsx", target)
    before = members(target)["xl/workbook.xml"].decode("utf-8")
    excel.write_tabs(target, [tab("Synthèse")], expected_fingerprint=None, backup=False)
    after = members(target)["xl/workbook.xml"].decode("utf-8")
    head = before[: before.index("<sheets>")]
    assert after.startswith(head)  # mc:Ignorable, AlternateContent, revisionPtr, window
    assert after.endswith(before[before.index("</sheets>") + len("</sheets>") :])
    assert 'activeTab="1"' in after  # « Notes » stays the active tab


# --- the namespace scope, as XML defines it ------------------------------------------------


def test_a_prefix_declared_on_a_sibling_is_not_in_scope() -> None:
    text = '<a xmlns:r="u1"><b xmlns:r="u2" xmlns:s="u4"/><c xmlns=\'d\'><d xmlns:q="u&amp;3">'
    assert xt.namespaces(text, len(text)) == {
        "xml": xt.XML_NS,
        "r": "u1",
        "": "d",
        "q": "u&3",
    }
    assert xt.prefix_in_scope(text, len(text), "u2") is None
    assert xt.prefix_in_scope(text, len(text), "u1") == "r"
    closed = text + "</d></c>"
    assert xt.namespaces(closed, len(closed)) == {"xml": xt.XML_NS, "r": "u1"}


def test_comments_and_cdata_do_not_open_elements() -> None:
    text = '<a xmlns:r="u1"><!-- <b xmlns:r="u2"> --><![CDATA[ <c xmlns:r="u3"> ]]><?pi x?><d>'
    assert xt.prefix_in_scope(text, len(text), "u1") == "r"
    assert xt.prefix_in_scope(text, len(text), "u2") is None


PREFIX = st.sampled_from(["r", "rel", "R1", "o.r", "_r"])


@given(
    main=st.sampled_from(["", "x", "main"]),
    rel=PREFIX,
    where=st.sampled_from(["root", "sheets", "each", "each-other-prefix"]),
    count=st.integers(0, 4),
    ours=st.sets(st.integers(0, 3)),
)
def test_new_sheet_entries_always_have_a_bound_relationship_id(
    main: str, rel: str, where: str, count: int, ours: set[int]
) -> None:
    """Whatever the prefixes and wherever they are declared, the edited tab list parses and
    every entry's relationship id is the one asked for."""
    ours = {i for i in ours if i < count}
    p = f"{main}:" if main else ""
    main_decl = f'xmlns{":" + main if main else ""}="{MAIN_NS}"'
    rel_decl = f'xmlns:{rel}="{REL}"'
    entries = []
    for i in range(count):
        local = {"each": f" {rel_decl}", "each-other-prefix": f' xmlns:z{i}="{REL}"'}
        prefix = f"z{i}" if where == "each-other-prefix" else rel
        entries.append(
            f'<{p}sheet{local.get(where, "")} name="T{i}" sheetId="{i + 1}" '
            f'{prefix}:id="rId{i + 1}"/>'
        )
    root = f"<{p}workbook {main_decl}{' ' + rel_decl if where == 'root' else ''}>"
    sheets = f"<{p}sheets{' ' + rel_decl if where == 'sheets' else ''}>"
    text = f"{root}{sheets}{''.join(entries)}</{p}sheets></{p}workbook>"
    parsed = sheet_entries_of(text)
    new = [
        NewSheet(f"N{j}", "visible", f"xl/worksheets/sheet{9 + j}.xml", f"rId{9 + j}",
                            9 + j)
        for j in range(2)
    ]  # fmt: skip
    edited = edit_workbook(text, parsed, ours, new)
    root_el = SafeET.fromstring(edited.encode("utf-8"))
    got = [(s.get("name"), s.get(f"{{{REL}}}id")) for s in root_el.iter(f"{{{MAIN_NS}}}sheet")]
    kept = [(f"T{i}", f"rId{i + 1}") for i in range(count) if i not in ours]
    assert got == [*kept, ("N0", "rId9"), ("N1", "rId10")]


def sheet_entries_of(text: str) -> list[SheetEntry]:
    root = SafeET.fromstring(text.encode("utf-8"))
    return [
        SheetEntry(s.get("name", ""), s.get(f"{{{REL}}}id", ""), "", "", "visible", 0)
        for s in root.iter(f"{{{MAIN_NS}}}sheet")
    ]


def test_app_titles_are_written_with_a_bound_vt_prefix() -> None:
    """docProps/app.xml whose vt prefix is declared on the vectors being replaced."""
    ext = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    text = (
        f'<Properties xmlns="{ext}"><HeadingPairs><vt:vector xmlns:vt="{VT}" size="2" '
        'baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>'
        "<vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts>"
        f'<vt:vector xmlns:vt="{VT}" size="1" baseType="lpstr"><vt:lpstr>Réponses</vt:lpstr>'
        "</vt:vector></TitlesOfParts></Properties>"
    )
    edited = edit_app(text, [], ["Synthèse"])
    root = SafeET.fromstring(edited.encode("utf-8"))
    titles = root.find(f"{{{ext}}}TitlesOfParts/{{{VT}}}vector")
    assert titles is not None
    assert [t.text for t in titles] == ["Réponses", "Synthèse"]


# --- LibreOffice of this machine, where it is installed -------------------------------------


def test_a_workbook_libreoffice_saves_now_syncs(
    make_campaign: MakeCampaign, tmp_path: Path
) -> None:
    """The committed libreoffice.xlsx is one version's layout; this one is today's."""
    need_apps("soffice")
    config = make_campaign()
    profile, out = tmp_path / "lo-profile", tmp_path / "out"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(TOOLS / "xlsxwriter.xlsx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    shutil.copyfile(out / "xlsxwriter.xlsx", config.source)
    assert 'appName="Calc"' in members(config.source)["xl/workbook.xml"].decode("utf-8")
    original = members(config.source)
    assert sync(config, now=dt.datetime(2021, 7, 1, 9, 0)).written
    result = sync(config, now=dt.datetime(2021, 7, 2, 9, 0))
    assert changed(original, members(config.source)) <= EDITED
    assert every_sheet_resolves(config.source.read_bytes())[2:] == [
        n for n, _ in sheet_list(config.source)[2:]
    ]
    assert result.tabs


@needs_libreoffice
def test_every_tool_workbook_opens_in_libreoffice_once_written(tmp_path: Path) -> None:
    written = []
    for n, path in enumerate(TOOL_FILES):
        target = tmp_path / f"{n:02d}-{path.name}"
        shutil.copyfile(path, target)
        excel.write_tabs(target, [tab(f"Synthèse {n}")], expected_fingerprint=None, backup=False)
        written.append(target)
    for n, (target, text) in enumerate(
        zip(written, libreoffice_texts(written, tmp_path), strict=True)
    ):
        assert f"Titre Synthèse {n}" in text, target.name
        assert "Collège des" in text, target.name  # « Réponses » too (cut at the column)
