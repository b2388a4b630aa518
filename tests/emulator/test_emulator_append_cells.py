"""appendCells in the emulator (what `suivi --preparer` sends to append rows): after the last
row holding a value, the grid grown, text kept as text, no reply body, and refused whole."""

from __future__ import annotations

from collections.abc import Iterator

import gspread
import pytest
from gspread.exceptions import APIError

from sheets_sync.emulator import LoopbackSession, SheetsEmulator


@pytest.fixture
def emu() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as server:
        yield server


def text(value: str) -> dict[str, object]:
    return {"userEnteredValue": {"stringValue": value}}


def test_append_after_the_last_value_growing_the_grid(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Suivi", {"Suivi": [["Type", "État"], ["lancement", "tenu"]]})
    gc = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
    sheet = emu.spreadsheet(key).tab("Suivi")
    sheet.properties["gridProperties"]["rowCount"] = 3
    sheet.put(2, 1, {"userEnteredFormat": {"textFormat": {"bold": True}}})  # formatted only
    reply = gc.open_by_key(key).batch_update({"requests": [{"appendCells": {
        "sheetId": sheet.sheet_id, "fields": "userEnteredValue",
        "rows": [{"values": [text("=1+1"), {}, text("x")]}, {"values": [text("portrait")]}],
    }}]})
    assert reply["replies"] == [{}]
    sheet = emu.spreadsheet(key).tab("Suivi")  # the batch was applied to a copy, committed
    assert sheet.values() == [["Type", "État"], ["lancement", "tenu"], ["=1+1", "", "x"],
                              ["portrait"]]
    assert sheet.rows == 4  # grown from 3
    assert sheet.cells[(2, 1)] == {"userEnteredFormat": {"textFormat": {"bold": True}}}
    assert sheet.cells[(2, 0)]["userEnteredValue"] == {"stringValue": "=1+1"}


def test_append_to_a_missing_sheet_is_refused(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Suivi", {"Suivi": [["Type"]]})
    gc = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
    with pytest.raises(APIError, match="No grid with id: 999"):
        gc.open_by_key(key).batch_update({"requests": [
            {"appendCells": {"sheetId": 999, "fields": "userEnteredValue",
                             "rows": [{"values": [text("x")]}]}}]})
    assert emu.spreadsheet(key).tab("Suivi").values() == [["Type"]]
