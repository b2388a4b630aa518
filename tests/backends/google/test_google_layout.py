"""The Google rendering of the layout (issue #15): the batch carries the engine's row
heights, merged notes, wrapped cells and chart sizes, and the emulator records them."""

from __future__ import annotations

from typing import Any

from sheets_sync.backends.google.publish import add_sheet, finishing, row_data, update_cells
from sheets_sync.cells.a1 import from_a1
from sheets_sync.cells.grid import GeneratedTab, OutCell
from sheets_sync.cells.layout import Plot, Table, geometry, lay_out, points_to_pixels
from sheets_sync.emulator.batch import apply_batch
from sheets_sync.emulator.model import Sheet
from sheets_sync.emulator.store import Store


def _tab() -> GeneratedTab:
    schools = Table(("Établissement", "4ème"),
                    tuple((OutCell(f"Collège n°{i} " + "très long nom " * (i % 4)),
                           OutCell(i, "integer")) for i in range(14)), widths=(20, 0))
    return lay_out("Synthèse", "Généré par sheets-sync", "Titre", [schools],
                   [Plot("bar", "Classes", schools, (1,))], notes=("Une note longue " * 14,))


def _published(tab: GeneratedTab) -> tuple[list[dict[str, Any]], Sheet]:
    book = Store(0).create("Essai")
    requests = [add_sheet(tab, 7, tab.name, hidden=False),
                update_cells(7, 0, row_data(tab, {})), *finishing(tab, 7, {tab.name: 7})]
    apply_batch(book, {"requests": requests})
    (sheet,) = [s for s in book.sheets if s.sheet_id == 7]
    return requests, sheet


def test_row_heights_merges_and_wraps_reach_the_sheet() -> None:
    tab = _tab()
    geo = geometry(tab)
    _, sheet = _published(tab)
    for row, points in geo.custom_heights():
        assert sheet.row_meta[row - 1]["pixelSize"] == points_to_pixels(points)
    note_row = GeneratedTab.FIRST_DATA_ROW + len(tab.rows) + 1
    assert {"sheetId": 7, "startRowIndex": note_row - 1, "endRowIndex": note_row,
            "startColumnIndex": 0, "endColumnIndex": 2} in sheet.merges
    for row, col in geo.wrapped:
        fmt = sheet.cells[(row - 1, col - 1)]["userEnteredFormat"]
        assert fmt["wrapStrategy"] == "WRAP"


def test_charts_at_the_engine_anchor_with_its_size() -> None:
    tab = _tab()
    geo = geometry(tab)
    requests, sheet = _published(tab)
    (chart,) = tab.charts
    (added,) = [r["addChart"] for r in requests if "addChart" in r]
    position = added["chart"]["position"]["overlayPosition"]
    row, col = from_a1(chart.anchor)
    assert position["anchorCell"] == {"sheetId": 7, "rowIndex": row - 1, "columnIndex": col - 1}
    assert (position["widthPixels"], position["heightPixels"]) == geo.charts[0]
    axis = added["chart"]["spec"]["basicChart"]["axis"][0]
    assert axis["viewWindowOptions"]["viewWindowMin"] == 0
    assert axis["viewWindowOptions"]["viewWindowMax"] == 14  # 13 at most, step 2
    (stored,) = sheet.charts  # the emulator keeps the chart where and as big as sent
    assert stored["position"]["overlayPosition"] == position
