"""The demo's generated tabs, published to Google Sheets, read right (issue #15, part 4).

The tabs of the demo campaign are published through the project's Google backend (real
gspread HTTP client) into the in-repo Sheets API emulator on 127.0.0.1; the spreadsheet it
then stores is what Google would draw. sheets_layout checks it: rows high enough for their
wrapped text, long texts wrapped, no chart over a non-empty cell. Broken layouts show each
rule failing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from sheets_sync.backends import google
from sheets_sync.cells.grid import Chart, GeneratedTab, OutCell, Series
from sheets_sync.config import load_config
from sheets_sync.dashboards.overview import build_tabs
from sheets_sync.emulator import SheetsEmulator
from sheets_sync.emulator.model import Sheet
from sheets_sync.outreach.texts import reminder_templates
from sheets_sync.starter.campaign import build_demo
from sheets_sync.starter.demo import demo_config
from sheets_sync.sync import check_source

from .broken import BANNER, WHY
from .pdf_layout import Fault, report
from .sheets_layout import check_stored_sheet, is_generated, lines_needed

NOW = dt.datetime(2021, 9, 20, 9, 0)


@pytest.fixture(scope="module")
def emulator() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emu:
        yield emu


def publish(emu: SheetsEmulator, tabs: list[GeneratedTab]) -> list[Sheet]:
    """Publish `tabs` into a new spreadsheet as a sync does; its generated, visible sheets."""
    key = emu.create_spreadsheet("Campagne démo", {"Réponses": [["Nom de l'établissement"]]})
    client = google.open_client(None, environ={"SHEETS_EMULATOR_HOST": emu.host}, max_wait=60.0)
    google.publish(client, key, google.read_spreadsheet(client, key), tabs)
    return [s for s in emu.spreadsheet(key).sheets if is_generated(s) and not s.hidden]


@pytest.fixture(scope="module")
def demo_sheets(emulator: SheetsEmulator, tmp_path_factory: pytest.TempPathFactory) -> list[Sheet]:
    """Every generated tab of the demo (shared and coordinator ones), as Google stores it."""
    config = load_config(demo_config(tmp_path_factory.mktemp("demo-google"))[0])
    build_demo(config)
    checked = check_source(config, today=NOW.date())
    tabs = build_tabs(
        config, checked.campaign, checked.sponsorship, NOW, reminder_templates(config)
    )
    return publish(emulator, tabs)


def test_demo_publishes_every_generated_tab(demo_sheets: list[Sheet]) -> None:
    names = {s.title for s in demo_sheets}
    assert {"Synthèse", "Complétude", "Classes", "Parrainages"} <= names


def test_demo_tabs_on_google_without_layout_fault(demo_sheets: list[Sheet]) -> None:
    faults = [f for s in demo_sheets for f in check_stored_sheet(s)]
    assert not faults, report(faults)


# --- each rule fails on a layout broken on purpose -------------------------------------------


def broken_tab(
    rows: Sequence[tuple[OutCell, ...]], widths: tuple[int, ...], charts: tuple[Chart, ...] = ()
) -> GeneratedTab:
    return GeneratedTab(
        name="Cassé",
        banner=BANNER,
        title="Cassé — démonstration d'un défaut",
        header=tuple(f"Colonne {n}" for n in range(1, len(widths) + 1)),
        rows=tuple(rows),
        widths=widths,
        charts=charts,
    )


def faults(sheet: Sheet, rule: str) -> list[Fault]:
    return [f for f in check_stored_sheet(sheet) if f.rule == rule]


def stored(emu: SheetsEmulator, tab: GeneratedTab) -> Sheet:
    [sheet] = publish(emu, [tab])
    return sheet


def test_rangee_trop_basse_wrapped_text_in_a_one_line_row(emulator: SheetsEmulator) -> None:
    sheet = stored(emulator, broken_tab([(OutCell("Classe 1"), OutCell(WHY, "wrap"))], (14, 30)))
    sheet.row_meta[4] = {"pixelSize": 21}  # one line high, whatever the backend wrote
    [fault] = faults(sheet, "rangee-trop-basse")
    assert (fault.tab, fault.cells) == ("Cassé", ("B5",))


def test_texte_non_renvoye_long_text_beside_a_filled_cell(emulator: SheetsEmulator) -> None:
    sheet = stored(emulator, broken_tab([(OutCell(WHY), OutCell("Oui"))], (14, 10)))
    cell = sheet.cells[(4, 0)]  # not wrapped, whatever the backend wrote
    sheet.put(
        4,
        0,
        {
            **cell,
            "userEnteredFormat": {
                k: v
                for k, v in (cell.get("userEnteredFormat") or {}).items()
                if k != "wrapStrategy"
            },
        },
    )
    assert [f.cells for f in faults(sheet, "texte-non-renvoye")] == [("A5",)]
    sheet.put(4, 0, {**cell, "userEnteredFormat": {"wrapStrategy": "WRAP"}})
    assert faults(sheet, "texte-non-renvoye") == []


def test_graphique_sur_cellule_chart_anchored_on_its_table(emulator: SheetsEmulator) -> None:
    rows = [(OutCell(f"Collège n°{n}"), OutCell(n, "integer")) for n in range(1, 9)]
    chart = Chart("bar", "Classes par établissement", 5, 12, 1, (Series("Classes", 2),), "A5")
    sheet = stored(emulator, broken_tab(rows, (24, 10), charts=(chart,)))
    [fault] = faults(sheet, "graphique-sur-cellule")
    assert {"A5", "B5", "A12", "B12"} <= set(fault.cells)
    assert "Collège n°1" in fault.words


def test_a_chart_beside_its_table_is_no_fault() -> None:
    sheet = Sheet(
        {"sheetId": 1, "title": "Classes", "gridProperties": {"rowCount": 100, "columnCount": 26}}
    )
    sheet.put(4, 0, {"userEnteredValue": {"stringValue": "Collège n°1"}})
    overlay: dict[str, Any] = {
        "anchorCell": {"sheetId": 1, "rowIndex": 3, "columnIndex": 2},
        "widthPixels": 480,
        "heightPixels": 300,
    }
    sheet.charts.append({"chartId": 7, "position": {"overlayPosition": overlay}})
    assert faults(sheet, "graphique-sur-cellule") == []
    overlay["offsetXPixels"] = -150  # now over A5
    assert [f.cells for f in faults(sheet, "graphique-sur-cellule")] == [("A5",)]


def test_graphique_sur_graphique_two_charts_on_one_anchor() -> None:
    sheet = Sheet(
        {"sheetId": 1, "title": "Synthèse", "gridProperties": {"rowCount": 100, "columnCount": 26}}
    )
    for n in (1, 2):
        sheet.charts.append(
            {
                "chartId": n,
                "spec": {"title": f"Graphique {n}"},
                "position": {
                    "overlayPosition": {
                        "anchorCell": {
                            "sheetId": 1,
                            "rowIndex": 3 + 20 * (n - 1),
                            "columnIndex": 4,
                        },
                        "widthPixels": 480,
                        "heightPixels": 300,
                    }
                },
            }
        )
    assert faults(sheet, "graphique-sur-graphique") == []  # rows 4–18, then 24–38
    sheet.charts[1]["position"]["overlayPosition"]["anchorCell"]["rowIndex"] = 10
    [fault] = faults(sheet, "graphique-sur-graphique")
    assert fault.words == ("Graphique 1", "Graphique 2")


def test_lines_needed_counts_characters_at_the_column_width() -> None:
    assert lines_needed("x" * 10, 100) == 1
    assert lines_needed("x" * 40, 100) == 4  # 13 characters a line at 100 px
    assert lines_needed("un\ndeux", 300) == 2
    assert lines_needed("x" * 26, 100, font_size=20) == 5  # 14 px a character at 20 pt
