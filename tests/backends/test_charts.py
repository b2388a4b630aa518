"""Native charts in generated tabs: Excel chart parts grafted beside someone's own, and
Google addChart requests published through the emulator.

The tab used throughout (« Synthèse »)::

    #     A                     B     C
    # 4   Établissement         4e    3e        ← header
    # 5   Collège Exemple 1     1     2         column chart « Classes par collège »,
    # …                                           two series (B, C), anchored at E4
    # 9   Collège Exemple 5     5     10
    # 10
    # 11  Genre                 Ambassadeurs
    # 12  Femme                 4               pie « Ambassadeurs par genre » over A12:B14,
    # 13  Homme                 3                 anchored at E22
    # 14  Non précisé           1
"""

from __future__ import annotations

import io
import posixpath
import shutil
import warnings
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import gspread
import openpyxl
import pytest
from defusedxml import ElementTree as SafeET

from sheets_sync.backends import excel, google
from sheets_sync.backends.excel.render import render_package
from sheets_sync.backends.google.charts import chart_requests
from sheets_sync.cells.grid import MARKER, Chart, GeneratedTab, OutCell, Series
from sheets_sync.emulator import LoopbackSession, SheetsEmulator

from .excel.test_lossless import EDITED, changed, lo_text, members, needs_libreoffice
from .google.test_google_backend import emulator_client

CHART_BAR = (Path(__file__).resolve().parents[1] / "data" / "reference" / "excel-made"
             / "chart_bar01.xlsx")
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

COLUMN = Chart(
    kind="column",
    title="Classes par collège",
    first_row=5,
    last_row=9,
    categories=1,
    series=(Series("4e", 2), Series("3e", 3)),
    anchor="E4",
)
PIE = Chart(
    kind="pie",
    title="Ambassadeurs par genre",
    first_row=12,
    last_row=14,
    categories=1,
    series=(Series("Ambassadeurs", 2),),
    anchor="E22",
)


def synthese(when: str = "01/07/2021", charts: tuple[Chart, ...] = (COLUMN, PIE)) -> GeneratedTab:
    schools = tuple(
        (OutCell(f"Collège Exemple {i}"), OutCell(i, "integer"), OutCell(2 * i, "integer"))
        for i in range(1, 6)
    )
    genders = tuple(
        (OutCell(name), OutCell(count, "integer"))
        for name, count in (("Femme", 4), ("Homme", 3), ("Non précisé", 1))
    )
    return GeneratedTab(
        name="Synthèse",
        banner=f"{MARKER} le {when} — ne pas modifier",
        title="Synthèse de la campagne",
        header=("Établissement", "4e", "3e"),
        rows=(
            *schools,
            (),
            (OutCell("Genre", "header"), OutCell("Ambassadeurs", "header")),
            *genders,
        ),
        widths=(30, 8, 8),
        charts=charts,
    )


# --- reading charts back from a package ---------------------------------------------------


def _resolve(source: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _rels(parts: dict[str, bytes], part: str) -> list[tuple[str, str, str]]:
    """(Id, type suffix, resolved target) of a part's relationships."""
    folder, name = posixpath.split(part)
    data = parts.get(posixpath.join(folder, "_rels", f"{name}.rels"))
    if data is None:
        return []
    return [
        (
            rel.get("Id", ""),
            rel.get("Type", "").rsplit("/", 1)[-1],
            _resolve(part, rel.get("Target", "")),
        )
        for rel in SafeET.fromstring(data).iter(f"{PKG}Relationship")
        if rel.get("TargetMode") != "External"
    ]


def sheet_part(parts: dict[str, bytes], name: str) -> str:
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    book = SafeET.fromstring(parts["xl/workbook.xml"])
    rid = next(s.get(R_ID) for s in book.iter(f"{main}sheet") if s.get("name") == name)
    return next(t for i, _, t in _rels(parts, "xl/workbook.xml") if i == rid)


def charts_of(parts: dict[str, bytes], sheet: str) -> list[tuple[str, Element, Element]]:
    """(chart part, chart XML, its anchor in the drawing) of each chart on a tab, in order."""
    drawings = [t for _, kind, t in _rels(parts, sheet_part(parts, sheet)) if kind == "drawing"]
    out = []
    for drawing in drawings:
        targets = {i: t for i, kind, t in _rels(parts, drawing) if kind == "chart"}
        for anchor in SafeET.fromstring(parts[drawing]).iter(f"{XDR}twoCellAnchor"):
            ref = next(anchor.iter(f"{C}chart")).get(R_ID, "")
            part = targets[ref]
            out.append((part, SafeET.fromstring(parts[part]), anchor))
    return out


def describe(chart: Element, anchor: Element) -> dict[str, Any]:
    """What a reader of the chart part sees: kind, title, series and their formulas."""
    plot = next(chart.iter(f"{C}plotArea"))
    kind = next(c.tag.removeprefix(C) for c in plot if c.tag.endswith("Chart"))
    direction = next(plot.iter(f"{C}barDir"), None)
    start = anchor.find(f"{XDR}from")
    title = chart.find(f"{C}chart/{C}title")
    assert start is not None and title is not None
    return {
        "kind": kind if direction is None else f"{kind}/{direction.get('val')}",
        "title": "".join(t.text or "" for t in title.iter(f"{A}t")),
        "series": [
            (series_name(ser), formula(ser, "cat"), formula(ser, "val"))
            for ser in plot.iter(f"{C}ser")
        ],
        "anchor": (start.findtext(f"{XDR}col"), start.findtext(f"{XDR}row")),
    }


def series_name(ser: Element) -> str:
    tx = ser.find(f"{C}tx")
    assert tx is not None
    return "".join(v.text or "" for v in tx.iter(f"{C}v"))


def formula(ser: Element, role: str) -> str | None:
    """The <c:f> under a series' <c:cat> or <c:val>."""
    found = ser.find(f"{C}{role}")
    assert found is not None
    return found.findtext(f".//{C}f")


EXPECTED = [
    {
        "kind": "barChart/col",
        "title": "Classes par collège",
        "series": [
            ("4e", "'Synthèse'!$A$5:$A$9", "'Synthèse'!$B$5:$B$9"),
            ("3e", "'Synthèse'!$A$5:$A$9", "'Synthèse'!$C$5:$C$9"),
        ],
        "anchor": ("4", "3"),  # E4, 0-based
    },
    {
        "kind": "pieChart",
        "title": "Ambassadeurs par genre",
        "series": [("Ambassadeurs", "'Synthèse'!$A$12:$A$14", "'Synthèse'!$B$12:$B$14")],
        "anchor": ("4", "21"),
    },
]


def content_types(parts: dict[str, bytes]) -> dict[str, str]:
    root = SafeET.fromstring(parts["[Content_Types].xml"])
    return {o.get("PartName", ""): o.get("ContentType", "") for o in root.iter(f"{CT}Override")}


def load(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


# --- Excel --------------------------------------------------------------------------------


def test_a_new_workbook_holds_both_charts_over_the_right_ranges(tmp_path: Path) -> None:
    path = tmp_path / "tableau.xlsx"
    excel.write_tabs(path, [synthese()], expected_fingerprint=None)
    parts = members(path)
    found = charts_of(parts, "Synthèse")
    assert [describe(chart, anchor) for _, chart, anchor in found] == EXPECTED
    # values cached in the part, for readers that do not recalculate
    column = found[0][1]
    cache = [p.findtext(f"{C}v") for p in next(column.iter(f"{C}numCache")).iter(f"{C}pt")]
    assert cache == ["1", "2", "3", "4", "5"]
    labels = next(found[1][1].iter(f"{C}strCache"))
    assert [p.findtext(f"{C}v") for p in labels.iter(f"{C}pt")] == [
        "Femme",
        "Homme",
        "Non précisé",
    ]
    types = content_types(parts)
    assert [types[f"/{part}"] for part, _, _ in found] == [
        "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
    ] * 2
    book = load(path)
    assert len(book["Synthèse"]._charts) == 2
    assert book["Synthèse"]["B9"].value == 5


def test_charts_graft_beside_an_existing_chart_without_touching_it(tmp_path: Path) -> None:
    path = tmp_path / "chart_bar01.xlsx"
    shutil.copyfile(CHART_BAR, path)
    original = members(path)
    assert "xl/charts/chart1.xml" in original and "xl/drawings/drawing1.xml" in original

    excel.write_tabs(path, [synthese()], expected_fingerprint=None, backup=False)
    first = members(path)
    excel.write_tabs(path, [synthese("02/07/2021")], expected_fingerprint=None, backup=False)
    second = members(path)

    for after in (first, second):
        assert changed(original, after) <= EDITED  # their chart1.xml, drawing1.xml: same bytes
        ours = charts_of(after, "Synthèse")
        assert [describe(chart, anchor) for _, chart, anchor in ours] == EXPECTED
        assert {part for part, _, _ in ours}.isdisjoint(original)
        [(theirs, _, _)] = charts_of(after, "Sheet1")
        assert theirs == "xl/charts/chart1.xml"
        charts = sorted(n for n in after if n.startswith("xl/charts/"))
        drawings = sorted(n for n in after if n.startswith("xl/drawings/drawing"))
        assert (len(charts), len(drawings)) == (3, 2)  # no leftover of the first sync
        types = content_types(after)
        assert sorted(p for p in types if p.startswith("/xl/charts/")) == [f"/{c}" for c in charts]
    assert sorted(first) == sorted(second)

    book = load(path)
    assert book.sheetnames == ["Sheet1", "Synthèse"]
    assert (len(book["Sheet1"]._charts), len(book["Synthèse"]._charts)) == (1, 2)

    # a sync without charts takes ours away and leaves theirs
    excel.write_tabs(path, [synthese(charts=())], expected_fingerprint=None, backup=False)
    third = members(path)
    assert changed(original, third) <= EDITED
    assert sorted(n for n in third if n.startswith(("xl/charts/", "xl/drawings/"))) == sorted(
        n for n in original if n.startswith(("xl/charts/", "xl/drawings/"))
    )
    assert charts_of(third, "Synthèse") == []


def test_charts_on_several_tabs_get_distinct_parts_and_read_their_source(tmp_path: Path) -> None:
    other = GeneratedTab(
        name="Graphiques",
        banner=f"{MARKER} le 01/07/2021 — ne pas modifier",
        title="Graphiques",
        header=(),
        rows=(),
        charts=(Chart("bar", "=Classes", 5, 9, 1, (Series("4e", 2),), "A5", sheet="Synthèse"),),
    )
    path = tmp_path / "chart_bar01.xlsx"
    shutil.copyfile(CHART_BAR, path)
    excel.write_tabs(path, [synthese(), other], expected_fingerprint=None, backup=False)
    parts = members(path)
    [(part, chart, anchor)] = charts_of(parts, "Graphiques")
    assert describe(chart, anchor) == {
        "kind": "barChart/bar",
        "title": " =Classes",  # a title starting with = stays text, never a formula
        "series": [("4e", "'Synthèse'!$A$5:$A$9", "'Synthèse'!$B$5:$B$9")],
        "anchor": ("0", "4"),
    }
    cache = [p.findtext(f"{C}v") for p in next(chart.iter(f"{C}numCache")).iter(f"{C}pt")]
    assert cache == ["1", "2", "3", "4", "5"]  # read from the other generated tab
    all_charts = [p for p, _, _ in charts_of(parts, "Synthèse")] + [part]
    assert len(set(all_charts)) == 3 and "xl/charts/chart1.xml" not in all_charts


def test_a_chart_over_no_row_is_not_drawn() -> None:
    empty = Chart("column", "Rien encore", 5, 4, 1, (Series("4e", 2),), "E4")
    with zipfile.ZipFile(io.BytesIO(render_package([synthese(charts=(empty,))]))) as z:
        assert not [n for n in z.namelist() if "chart" in n or "drawing" in n]
    with pytest.raises(ValueError, match="unknown chart kind"):
        render_package([synthese(charts=(Chart("line", "x", 5, 9, 1, (), "E4"),))])


@needs_libreoffice
def test_libreoffice_opens_the_grafted_charts(tmp_path: Path) -> None:
    path = tmp_path / "chart_bar01.xlsx"
    shutil.copyfile(CHART_BAR, path)
    excel.write_tabs(path, [synthese()], expected_fingerprint=None, backup=False)
    excel.write_tabs(path, [synthese("02/07/2021")], expected_fingerprint=None, backup=False)
    text = lo_text(path, tmp_path)
    assert f"{MARKER} le 02/07/2021" in text
    assert "Classes par collège" in text and "Ambassadeurs par genre" in text


# --- Google -------------------------------------------------------------------------------


@pytest.fixture
def emu() -> Any:
    with SheetsEmulator() as server:
        yield server


def _batch_bodies(emu: SheetsEmulator) -> list[Any]:
    return [r.body for r in emu.requests if r.path.endswith(":batchUpdate")]


def _range(sheet_id: int, rows: tuple[int, int], col: int) -> dict[str, int]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": rows[0],
        "endRowIndex": rows[1],
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }


def test_publish_adds_the_charts_in_the_one_batch(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom de l'établissement"]]})
    client = emulator_client(emu)
    read = google.read_spreadsheet(client, key)
    google.publish(client, key, read, [synthese()])
    [body] = _batch_bodies(emu)
    book = emu.spreadsheet(key)
    gid = book.tab("Synthèse").sheet_id
    added = [r["addChart"]["chart"] for r in body["requests"] if "addChart" in r]
    assert len(added) == 2
    column, pie = (a["spec"] for a in added)
    assert column["title"] == "Classes par collège"
    basic = column["basicChart"]
    assert (basic["chartType"], basic["headerCount"]) == ("COLUMN", 1)  # names from row 4
    assert basic["domains"][0]["domain"]["sourceRange"]["sources"] == [_range(gid, (3, 9), 0)]
    assert [s["series"]["sourceRange"]["sources"] for s in basic["series"]] == [
        [_range(gid, (3, 9), 1)],
        [_range(gid, (3, 9), 2)],
    ]
    assert pie["pieChart"]["domain"]["sourceRange"]["sources"] == [_range(gid, (11, 14), 0)]
    assert pie["pieChart"]["series"]["sourceRange"]["sources"] == [_range(gid, (11, 14), 1)]
    anchors = [a["position"]["overlayPosition"]["anchorCell"] for a in added]
    assert anchors == [
        {"sheetId": gid, "rowIndex": 3, "columnIndex": 4},
        {"sheetId": gid, "rowIndex": 21, "columnIndex": 4},
    ]
    gc = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
    meta = gc.open_by_key(key).fetch_sheet_metadata()
    listed = {s["properties"]["title"]: s.get("charts", []) for s in meta["sheets"]}
    assert listed["Réponses"] == []
    assert [c["spec"]["title"] for c in listed["Synthèse"]] == [
        "Classes par collège",
        "Ambassadeurs par genre",
    ]


def test_republish_replaces_the_charts(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom de l'établissement"]]})
    client = emulator_client(emu)
    google.publish(client, key, google.read_spreadsheet(client, key), [synthese()])
    before = emu.spreadsheet(key).tab("Synthèse")
    first_ids = [c["chartId"] for c in before.charts]
    google.publish(client, key, google.read_spreadsheet(client, key), [synthese("02/07/2021")])
    after = emu.spreadsheet(key).tab("Synthèse")
    assert after.sheet_id == before.sheet_id  # same gid: bookmarks keep working
    assert len(after.charts) == 2 and not {c["chartId"] for c in after.charts} & set(first_ids)
    assert sum(len(s.charts) for s in emu.spreadsheet(key).sheets) == 2


def test_a_staged_publish_carries_the_charts_too(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom de l'établissement"]]})
    client = emulator_client(emu)
    result = google.publish(
        client, key, google.read_spreadsheet(client, key), [synthese()], max_bytes=2_000
    )
    assert result.staged and result.requests > 1
    book = emu.spreadsheet(key)
    assert [s.title for s in book.sheets] == ["Réponses", "Synthèse"]
    tab = book.tab("Synthèse")
    sources = [
        c["spec"]["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]["sheetId"]
        if "basicChart" in c["spec"]
        else c["spec"]["pieChart"]["domain"]["sourceRange"]["sources"][0]["sheetId"]
        for c in tab.charts
    ]
    assert sources == [tab.sheet_id, tab.sheet_id]


def test_chart_requests_name_series_only_from_a_matching_header_and_refuse_unknown_tabs() -> None:
    lonely = Chart("bar", "Sans en-tête", 12, 14, 1, (Series("Effectif", 2),), "E4")
    [request] = chart_requests(synthese(charts=(lonely,)), 7)
    basic = request["addChart"]["chart"]["spec"]["basicChart"]
    assert basic["headerCount"] == 0  # row 11 says « Ambassadeurs », not « Effectif »
    assert basic["series"][0]["targetAxis"] == "BOTTOM_AXIS"
    assert basic["domains"][0]["domain"]["sourceRange"]["sources"] == [_range(7, (11, 14), 0)]
    elsewhere = Chart("column", "Ailleurs", 2, 3, 1, (Series("n", 2),), "A1", sheet="Réponses")
    [request] = chart_requests(synthese(charts=(elsewhere,)), 7, {"réponses": 99})
    sources = request["addChart"]["chart"]["spec"]["basicChart"]["domains"][0]["domain"]
    assert sources["sourceRange"]["sources"][0]["sheetId"] == 99
    with pytest.raises(ValueError, match="unknown tab"):
        chart_requests(synthese(charts=(elsewhere,)), 7, {})
    empty = Chart("pie", "Rien", 5, 4, 1, (Series("n", 2),), "A1")
    assert chart_requests(synthese(charts=(empty,)), 7) == []


def test_the_grid_grows_to_hold_a_chart_anchor(emu: SheetsEmulator) -> None:
    far = Chart("column", "Loin", 5, 9, 1, (Series("4e", 2),), "Z60")
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom de l'établissement"]]})
    client = emulator_client(emu)
    google.publish(client, key, google.read_spreadsheet(client, key), [synthese(charts=(far,))])
    tab = emu.spreadsheet(key).tab("Synthèse")
    assert (tab.rows, tab.cols) == (60, 26)
    assert tab.charts[0]["position"]["overlayPosition"]["anchorCell"]["rowIndex"] == 59
