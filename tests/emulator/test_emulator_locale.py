"""The emulator's fr_FR mode: formulas parsed in the spreadsheet's locale, as Google does."""

from __future__ import annotations

import json
import urllib.request

from sheets_sync.emulator import SheetsEmulator
from sheets_sync.emulator.formulas import MARK, mark


def test_a_spreadsheet_created_in_fr_fr_reports_its_locale() -> None:
    with SheetsEmulator() as emu:
        body = json.dumps({"properties": {"title": "Essai", "locale": "fr_FR"}}).encode()
        request = urllib.request.Request(
            f"{emu.url}/v4/spreadsheets", data=body, method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as reply:  # 127.0.0.1 only
            created = json.load(reply)
        assert created["properties"]["locale"] == "fr_FR"
        key = emu.create_spreadsheet("Autre")
        assert emu.spreadsheet(key).properties["locale"] == "en_US"


def test_the_mark_is_made_when_written_and_never_sent() -> None:
    cell = {"userEnteredValue": {"formulaValue": '=IF(A1="",1,2)'}}
    mark(cell, "fr_FR")
    assert cell[MARK] is True
    cell["userEnteredValue"] = {"formulaValue": '=IF(A1="";1;2)'}
    mark(cell, "fr_FR")
    assert MARK not in cell
    with SheetsEmulator() as emu:
        key = emu.create_spreadsheet("Essai", locale="fr_FR")
        emu.spreadsheet(key).tab("Sheet1").put(0, 0, {**cell, MARK: True})
        sheet = emu.spreadsheet(key).tab("Sheet1")
        assert sheet.values("FORMATTED_VALUE")[0][0] == "#ERROR!"
        data = emu.spreadsheet(key).metadata({"includeGridData": "true"})
        assert MARK not in json.dumps(data)
