"""The real gspread 6.2.1 client against our Sheets API emulator, through its session hook.

Every test reads back what the emulator stored (values, formats, protections, charts) or
what gspread received, and counts the requests the emulator logged.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gspread
import openpyxl
import pytest
import requests
from gspread.exceptions import APIError
from gspread.utils import DateTimeOption, ValidationConditionType, ValueRenderOption

from sheets_sync.emulator import (
    EMULATOR_HOST_VARIABLE,
    LoopbackSession,
    SheetsEmulator,
    emulator_url,
    serve,
)
from sheets_sync.emulator.load_xlsx import read_xlsx_tabs

SERIAL_EPOCH = dt.date(1899, 12, 30)  # Google Sheets' day 0


@pytest.fixture
def emu() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as server:
        yield server


@pytest.fixture
def gc(emu: SheetsEmulator) -> gspread.Client:
    return gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]


@pytest.fixture
def key(emu: SheetsEmulator) -> str:
    return emu.create_spreadsheet("Campagne de test")


def statuses(emu: SheetsEmulator) -> list[tuple[str, int]]:
    return [(r.method, r.status) for r in emu.requests]


def test_open_by_key_and_worksheets_cost_one_request_each(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    sh = gc.open_by_key(key)
    assert (sh.title, sh.locale, sh.timezone) == ("Campagne de test", "en_US", "Etc/GMT")
    sheets = sh.worksheets()
    assert [(w.title, w.id, w.index, w.row_count, w.col_count) for w in sheets] == [
        ("Sheet1", 0, 0, 1000, 26)
    ]
    assert [(r.method, r.path, r.status) for r in emu.requests] == [
        ("GET", f"/v4/spreadsheets/{key}", 200),
        ("GET", f"/v4/spreadsheets/{key}", 200),
    ]
    assert emu.requests[0].query == {"includeGridData": ["false"]}


def test_unknown_and_private_spreadsheets_map_to_gspread_errors(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open_by_key("inconnu")
    emu.make_private(key)
    with pytest.raises(PermissionError):
        gc.open_by_key(key)
    assert [r.status for r in emu.requests] == [404, 403]


def test_add_and_delete_worksheets(emu: SheetsEmulator, gc: gspread.Client, key: str) -> None:
    sh = gc.open_by_key(key)
    synthese = sh.add_worksheet("Synthèse", rows=10, cols=5)
    assert synthese.id != 0 and synthese.index == 1
    assert (synthese.row_count, synthese.col_count) == (10, 5)
    sh.add_worksheet("Complétude", rows=3, cols=3, index=0)
    assert [w.title for w in sh.worksheets()] == ["Complétude", "Sheet1", "Synthèse"]
    with pytest.raises(APIError) as err:
        sh.add_worksheet("synthèse", rows=1, cols=1)  # titles are unique ignoring case
    assert err.value.code == 400
    assert 'A sheet with the name "synthèse" already exists' in err.value.error["message"]
    sh.del_worksheet(synthese)
    assert [w.title for w in sh.worksheets()] == ["Complétude", "Sheet1"]
    assert [s for _, s in statuses(emu)] == [200, 200, 200, 200, 400, 200, 200]


def test_update_and_get_all_values_trim_like_google(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    reply = ws.update(
        [["A1", "B1", "", "D1"], ["", "b2", "", ""], ["", "", "", ""], ["A4", "B4", "", "D4"]], "A1"
    )
    assert (reply["updatedRange"], reply["updatedCells"]) == ("Sheet1!A1:D4", 16)
    assert emu.spreadsheet(key).tab("Sheet1").values() == [
        ["A1", "B1", "", "D1"],
        ["", "b2"],
        [],
        ["A4", "B4", "", "D4"],
    ]
    assert ws.get_all_values() == [
        ["A1", "B1", "", "D1"],
        ["", "b2", "", ""],
        ["", "", "", ""],
        ["A4", "B4", "", "D4"],
    ]
    assert ws.get("B1:B2") == [["B1"], ["b2"]]


def test_values_batch_get_unformatted_serial_dates(gc: gspread.Client, key: str) -> None:
    sh = gc.open_by_key(key)
    sh.sheet1.update(
        [
            ["Nom", "Date de dépôt", "Classes", "Calcul"],
            ["Collège Exemple", "2021-07-16", "3", "=4/2"],
        ],
        "A1",
        raw=False,
    )
    got = sh.values_batch_get(
        ["Sheet1!A1:D2", "Sheet1!C:C"],
        params={
            "valueRenderOption": ValueRenderOption.unformatted,
            "dateTimeRenderOption": DateTimeOption.serial_number,
        },
    )
    serial = (dt.date(2021, 7, 16) - SERIAL_EPOCH).days
    assert got["valueRanges"] == [
        {
            "range": "Sheet1!A1:D2",
            "majorDimension": "ROWS",
            "values": [
                ["Nom", "Date de dépôt", "Classes", "Calcul"],
                ["Collège Exemple", serial, 3, 2],
            ],
        },
        {"range": "Sheet1!C1:C1000", "majorDimension": "ROWS", "values": [["Classes"], [3]]},
    ]
    formatted = sh.values_batch_get(["Sheet1!B2:D2"])["valueRanges"][0]["values"]
    assert formatted == [["2021-07-16", "3", "2"]]


def test_raw_input_keeps_text_and_user_entered_stores_formula(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.update([["=1+1", "+33 6", "-", "@x"]], "A1")  # raw=True is gspread's default
    ws.update([["=1+1", "=SUM(A1)"]], "A2", raw=False)
    cells = emu.spreadsheet(key).tab("Sheet1").cells
    assert [cells[(0, c)]["userEnteredValue"] for c in range(4)] == [
        {"stringValue": "=1+1"},
        {"stringValue": "+33 6"},
        {"stringValue": "-"},
        {"stringValue": "@x"},
    ]
    assert cells[(1, 0)]["userEnteredValue"] == {"formulaValue": "=1+1"}
    assert ws.get("A1:D2", value_render_option=ValueRenderOption.unformatted) == [
        ["=1+1", "+33 6", "-", "@x"],
        [2, "=SUM(A1)"],
    ]
    assert ws.get("A2:B2", value_render_option=ValueRenderOption.formula) == [["=1+1", "=SUM(A1)"]]


def test_batch_update_values_then_clear_keeps_formats(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    reply = ws.batch_update(
        [{"range": "A1:B1", "values": [["x", 1]]}, {"range": "A3", "values": [["y"]]}]
    )
    assert (reply["totalUpdatedCells"], reply["totalUpdatedSheets"]) == (3, 1)
    ws.format("A1", {"textFormat": {"bold": True}})
    ws.clear()
    assert ws.get_all_values() == [[]]  # gspread pads Google's value-less reply so
    assert emu.spreadsheet(key).tab("Sheet1").cells == {
        (0, 0): {"userEnteredFormat": {"textFormat": {"bold": True}}}
    }


def test_format_is_echoed_with_colour_style_mirrors(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    sh = gc.open_by_key(key)
    sh.sheet1.format(
        "A2:B2",
        {
            "backgroundColor": {"green": 1, "blue": 1},
            "textFormat": {"foregroundColor": {"red": 1}, "bold": True},
        },
    )
    meta = sh.fetch_sheet_metadata(
        params={
            "includeGridData": False,
            "ranges": "Sheet1!B2",
            "fields": "sheets.data.rowData.values.userEnteredFormat",
        }
    )
    fmt = meta["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredFormat"]
    assert fmt["backgroundColorStyle"] == {"rgbColor": {"green": 1, "blue": 1}}
    assert fmt["textFormat"]["foregroundColorStyle"] == {"rgbColor": {"red": 1}}
    assert set(meta) == {"sheets"}
    assert (0, 0) not in emu.spreadsheet(key).tab("Sheet1").cells


def test_add_validation_and_warning_only_protection(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    sh = gc.open_by_key(key)
    ws = sh.sheet1
    ws.add_validation(
        "D2:D3", ValidationConditionType.one_of_list, ["Oui", "Non"], strict=True, showCustomUi=True
    )
    rule = emu.spreadsheet(key).tab("Sheet1").cells[(2, 3)]["dataValidation"]
    assert rule["condition"] == {
        "type": "ONE_OF_LIST",
        "values": [{"userEnteredValue": "Oui"}, {"userEnteredValue": "Non"}],
    }
    reply = ws.add_protected_range("A1:B2", warning_only=True, description="Généré")
    protected = reply["replies"][0]["addProtectedRange"]["protectedRange"]
    assert protected["warningOnly"] is True and "editors" not in protected
    assert protected["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 2,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    listed = sh.list_protected_ranges(0)
    assert [(p["protectedRangeId"], p["warningOnly"], p["description"]) for p in listed] == [
        (protected["protectedRangeId"], True, "Généré")
    ]


def test_warning_only_with_editors_is_refused(gc: gspread.Client, key: str) -> None:
    sh = gc.open_by_key(key)
    with pytest.raises(APIError) as err:
        sh.batch_update(
            {
                "requests": [
                    {
                        "addProtectedRange": {
                            "protectedRange": {
                                "range": {"sheetId": 0},
                                "warningOnly": True,
                                "editors": {"users": ["personne@example.org"]},
                            }
                        }
                    }
                ]
            }
        )
    assert err.value.code == 400
    assert err.value.error["message"] == (
        "Invalid requests[0].addProtectedRange: ProtectedRange is warningOnly. "
        "Editors cannot be set on it."
    )


def _publish_requests(sheet_id: int) -> list[dict[str, Any]]:
    """What a publish sends in one batch: a tab, its cells, frozen header, chart, protection."""
    header = {
        "userEnteredFormat": {
            "textFormat": {"bold": True},
            "backgroundColor": {"red": 0.9, "green": 0.9, "blue": 0.9},
        }
    }
    return [
        {
            "addSheet": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": "Synthèse",
                    "gridProperties": {"rowCount": 20, "columnCount": 4},
                }
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "fields": "userEnteredValue,userEnteredFormat",
                "rows": [
                    {
                        "values": [
                            {"userEnteredValue": {"stringValue": "Collège"}, **header},
                            {"userEnteredValue": {"stringValue": "Classes"}, **header},
                            {"userEnteredValue": {"stringValue": "Complet"}, **header},
                        ]
                    },
                    {
                        "values": [
                            {"userEnteredValue": {"stringValue": "=Collège Exemple"}},
                            {"userEnteredValue": {"numberValue": 3}},
                            {"userEnteredValue": {"boolValue": True}},
                        ]
                    },
                ],
            }
        },
        {
            "updateSheetProperties": {
                "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
        {
            "addChart": {
                "chart": {
                    "spec": {
                        "title": "Classes par collège",
                        "basicChart": {
                            "chartType": "COLUMN",
                            "domains": [
                                {
                                    "domain": {
                                        "sourceRange": {
                                            "sources": [
                                                {
                                                    "sheetId": sheet_id,
                                                    "startRowIndex": 0,
                                                    "endRowIndex": 2,
                                                    "startColumnIndex": 0,
                                                    "endColumnIndex": 1,
                                                }
                                            ]
                                        }
                                    }
                                }
                            ],
                            "series": [
                                {
                                    "series": {
                                        "sourceRange": {
                                            "sources": [
                                                {
                                                    "sheetId": sheet_id,
                                                    "startRowIndex": 0,
                                                    "endRowIndex": 2,
                                                    "startColumnIndex": 1,
                                                    "endColumnIndex": 2,
                                                }
                                            ]
                                        }
                                    }
                                }
                            ],
                        },
                    },
                    "position": {
                        "overlayPosition": {
                            "anchorCell": {"sheetId": sheet_id, "rowIndex": 4, "columnIndex": 0}
                        }
                    },
                }
            }
        },
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": sheet_id},
                    "warningOnly": True,
                    "description": "Onglet généré par sheets-sync",
                }
            }
        },
    ]


def test_one_batch_publishes_a_whole_tab(emu: SheetsEmulator, gc: gspread.Client, key: str) -> None:
    sh = gc.open_by_key(key)
    reply = sh.batch_update({"requests": _publish_requests(7001)})
    assert [list(r) for r in reply["replies"]] == [
        ["addSheet"],
        [],
        [],
        ["addChart"],
        ["addProtectedRange"],
    ]
    chart = reply["replies"][3]["addChart"]["chart"]
    assert set(chart) == {"chartId", "spec", "position"}
    ws = sh.worksheet("Synthèse")
    assert (ws.id, ws.frozen_row_count, ws.row_count, ws.col_count) == (7001, 1, 20, 4)
    assert ws.get_all_values() == [
        ["Collège", "Classes", "Complet"],
        ["=Collège Exemple", "3", "TRUE"],
    ]
    assert ws.get("A2:C2", value_render_option=ValueRenderOption.unformatted) == [
        ["=Collège Exemple", 3, True]
    ]
    tab = emu.spreadsheet(key).tab("Synthèse")
    assert tab.cells[(0, 1)]["userEnteredFormat"]["backgroundColorStyle"] == {
        "rgbColor": {"red": 0.9, "green": 0.9, "blue": 0.9}
    }
    meta = sh.fetch_sheet_metadata()
    synthese = next(s for s in meta["sheets"] if s["properties"]["sheetId"] == 7001)
    assert [c["chartId"] for c in synthese["charts"]] == [chart["chartId"]]
    assert synthese["protectedRanges"][0]["warningOnly"] is True
    assert synthese["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert [m for m, _ in statuses(emu)] == ["GET", "POST", "GET", "GET", "GET", "GET"]


def test_an_invalid_request_in_a_batch_applies_nothing(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    sh = gc.open_by_key(key)
    requests_ = _publish_requests(7001)
    requests_.append(
        {"updateCells": {"start": {"sheetId": 999}, "fields": "*", "rows": [{"values": [{}]}]}}
    )
    with pytest.raises(APIError) as err:
        sh.batch_update({"requests": requests_})
    assert err.value.code == 400
    assert err.value.error == {
        "code": 400,
        "status": "INVALID_ARGUMENT",
        "message": "Invalid requests[5].updateCells: No grid with id: 999",
    }
    assert [w.title for w in sh.worksheets()] == ["Sheet1"]
    assert emu.spreadsheet(key).tab("Sheet1").cells == {}


def test_unknown_request_kind_is_a_bad_request(gc: gspread.Client, key: str) -> None:
    with pytest.raises(APIError) as err:
        gc.open_by_key(key).batch_update({"requests": [{"addSlicerX": {}}]})
    assert (err.value.code, err.value.error["status"]) == (400, "INVALID_ARGUMENT")


def test_hide_show_and_delete_sheets(emu: SheetsEmulator, gc: gspread.Client, key: str) -> None:
    sh = gc.open_by_key(key)
    with pytest.raises(APIError) as err:
        sh.sheet1.hide()
    assert err.value.error["message"] == (
        "Invalid requests[0].updateSheetProperties: You can't hide all the sheets in a document."
    )
    other = sh.add_worksheet("Cachée", rows=2, cols=2)
    other.hide()
    assert [w.title for w in sh.worksheets(exclude_hidden=True)] == ["Sheet1"]
    assert emu.spreadsheet(key).tab("Cachée").hidden
    other.show()
    sh.batch_update({"requests": [{"deleteSheet": {"sheetId": other.id}}]})
    assert [w.title for w in sh.worksheets()] == ["Sheet1"]
    with pytest.raises(APIError) as err:
        sh.batch_update({"requests": [{"deleteSheet": {"sheetId": 0}}]})
    assert err.value.error["message"] == (
        "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document."
    )


def test_invalid_values_body_is_400_with_field_violation(gc: gspread.Client, key: str) -> None:
    ws = gc.open_by_key(key).sheet1
    with pytest.raises(APIError) as err:
        ws.update("X", "A1")  # type: ignore[arg-type]
    details = err.value.error["details"][0]
    assert details["fieldViolations"][0]["field"] == "data.values"


def test_unknown_tab_in_a_range_is_400(gc: gspread.Client, key: str) -> None:
    with pytest.raises(APIError) as err:
        gc.open_by_key(key).values_get("'Absent'!A1:B2")
    assert (err.value.code, err.value.error["message"]) == (
        400,
        "Unable to parse range: 'Absent'!A1:B2",
    )


def test_append_insert_rows_and_batch_clear(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    ws.update([["Nom", "Classes"], ["Collège A", 2]], "A1")
    reply = ws.append_rows([["Collège B", 1], ["Collège C", 3]])
    assert reply["tableRange"] == "Sheet1!A1:B2"
    assert reply["updates"]["updatedRange"] == "Sheet1!A3:B4"
    ws.insert_rows([["Collège 0", 0]], row=2)
    assert ws.get_all_values() == [
        ["Nom", "Classes"],
        ["Collège 0", "0"],
        ["Collège A", "2"],
        ["Collège B", "1"],
        ["Collège C", "3"],
    ]
    cleared = ws.batch_clear(["A2:B2", "B5"])
    assert cleared["clearedRanges"] == ["Sheet1!A2:B2", "Sheet1!B5"]
    assert emu.spreadsheet(key).tab("Sheet1").values() == [
        ["Nom", "Classes"],
        [],
        ["Collège A", 2],
        ["Collège B", 1],
        ["Collège C"],
    ]


def test_drive_create_open_by_title_and_delete(emu: SheetsEmulator, gc: gspread.Client) -> None:
    sh = gc.create("Inscriptions 2021")
    assert gc.open("Inscriptions 2021").id == sh.id
    assert sh.sheet1.title == "Sheet1"
    gc.del_spreadsheet(sh.id)
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open_by_key(sh.id)
    assert [(r.method, r.path.split("/")[1]) for r in emu.requests][:2] == [
        ("POST", "drive"),
        ("GET", "v4"),
    ]


# --- faults and request log ----------------------------------------------------------------


def test_injected_429_at_request_n(emu: SheetsEmulator, gc: gspread.Client, key: str) -> None:
    sh = gc.open_by_key(key)  # request 1
    ws = sh.sheet1  # request 2
    emu.inject(429, at=4)
    ws.update([["a"]], "A1")  # request 3
    with pytest.raises(APIError) as err:
        ws.get_all_values()  # request 4
    assert err.value.code == 429
    assert err.value.error["status"] == "RESOURCE_EXHAUSTED"
    assert err.value.error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    assert [(r.number, r.status, r.fault) for r in emu.requests] == [
        (1, 200, None),
        (2, 200, None),
        (3, 200, None),
        (4, 429, "status"),
    ]
    assert ws.get_all_values() == [["a"]]  # request 5: the fault was used up


def test_backoff_client_retries_injected_429_and_500(
    emu: SheetsEmulator, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(gspread.http_client.time, "sleep", sleeps.append)
    gspread.http_client.BackOffHTTPClient._NR_BACKOFF = 0
    client = gspread.Client(
        auth=None,
        session=LoopbackSession(emu.url),  # type: ignore[arg-type]
        http_client=gspread.BackOffHTTPClient,
    )
    emu.inject(429, times=2)
    emu.inject(500, at=3)
    sh = client.open_by_key(key)
    assert sh.title == "Campagne de test"
    assert sleeps == [2, 4, 8]
    assert [r.status for r in emu.requests] == [429, 429, 500, 200]


def test_injected_500_on_a_write_applies_nothing(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    emu.inject(500)
    with pytest.raises(APIError) as err:
        ws.update([["perdu"]], "A1")
    assert (err.value.code, err.value.error["status"]) == (500, "INTERNAL")
    assert emu.spreadsheet(key).tab("Sheet1").cells == {}


def test_injected_timeout_and_dropped_connection(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    ws = gc.open_by_key(key).sheet1
    gc.set_timeout(0.2)
    emu.inject("timeout", delay=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        ws.update([["tardif"]], "A1")
    emu.inject("drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        ws.update([["jamais"]], "B1")
    for _ in range(300):  # the late answer is logged once the server has applied it
        if any(r.fault == "timeout" for r in emu.requests):
            break
        threading.Event().wait(0.01)
    gc.set_timeout(None)  # the faults are over: a busy machine may answer late, not wrong
    assert ws.get_all_values() == [["tardif"]]  # the late write was applied, the dropped not
    assert [(r.number, r.fault, r.status) for r in emu.requests] == [
        (1, None, 200),
        (2, None, 200),
        (3, "timeout", 200),
        (4, "drop", 0),
        (5, None, 200),
    ]


def test_inject_refuses_unknown_faults(emu: SheetsEmulator) -> None:
    with pytest.raises(ValueError):
        emu.inject(418)
    with pytest.raises(ValueError):
        emu.inject("slow")


def test_a_pull_costs_two_requests(emu: SheetsEmulator, gc: gspread.Client) -> None:
    """Metadata, then one values:batchGet for every input tab (unformatted, serial dates)."""
    key = emu.create_spreadsheet(
        "Campagne",
        {
            "Réponses": [["Nom", "Date de dépôt"], ["Collège Exemple", dt.date(2021, 7, 1)]],
            "Ambassadeurs": [["Prénom", "NOM"]],
        },
    )
    meta = gc.http_client.fetch_sheet_metadata(key)
    titles = [s["properties"]["title"] for s in meta["sheets"]]
    got = gc.http_client.values_batch_get(
        key,
        [f"'{t}'" for t in titles],
        params={"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"},
    )
    assert [v["values"] for v in got["valueRanges"]] == [
        [["Nom", "Date de dépôt"], ["Collège Exemple", (dt.date(2021, 7, 1) - SERIAL_EPOCH).days]],
        [["Prénom", "NOM"]],
    ]
    assert [v["range"] for v in got["valueRanges"]] == [
        "Réponses!A1:Z1000",
        "Ambassadeurs!A1:Z1000",
    ]
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in emu.requests] == [
        ("GET", key),
        ("GET", "values:batchGet"),
    ]
    emu.clear_log()
    assert emu.requests == [] and emu.received == 2


# --- pointing the toolkit at the emulator --------------------------------------------------


def test_emulator_host_variable(emu: SheetsEmulator, key: str) -> None:
    assert emulator_url({}) is None
    url = emulator_url({EMULATOR_HOST_VARIABLE: emu.host})
    assert url == emu.url
    client = gspread.Client(auth=None, session=LoopbackSession(url))  # type: ignore[arg-type]
    assert client.open_by_key(key).title == "Campagne de test"
    with pytest.raises(ValueError):
        LoopbackSession(url).get("https://example.org/")


def test_xlsx_preload_keeps_values_and_dates(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Réponses"
    sheet.append(["Nom de l'établissement participant", "Date de dépôt", "classes de 4ème"])
    sheet.append(["Collège Exemple", dt.datetime(2021, 7, 16), 2])
    book.create_sheet("Ambassadeurs").append(["Prénom", "NOM"])
    path = tmp_path / "campagne.xlsx"
    book.save(path)
    tabs = read_xlsx_tabs(path)
    assert list(tabs) == ["Réponses", "Ambassadeurs"]
    with SheetsEmulator() as emu:
        key = emu.create_spreadsheet("campagne", tabs)
        gc = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
        ws = gc.open_by_key(key).worksheet("Réponses")
        assert ws.get(
            "A2:C2",
            value_render_option=ValueRenderOption.unformatted,
            date_time_render_option=DateTimeOption.serial_number,
        ) == [["Collège Exemple", (dt.date(2021, 7, 16) - SERIAL_EPOCH).days, 2]]
        assert ws.get("B2")[0][0] == "2021-07-16"


def test_serve_prints_where_to_point_and_stops(tmp_path: Path) -> None:
    out, stop = io.StringIO(), threading.Event()
    thread = threading.Thread(target=serve, args=(0, None), kwargs={"out": out, "stop": stop})
    thread.start()
    try:
        for _ in range(200):
            if "export" in out.getvalue():
                break
            threading.Event().wait(0.01)
        text = out.getvalue()
        assert "Émulateur Google Sheets à l'écoute sur http://127.0.0.1:" in text
        assert f"export {EMULATOR_HOST_VARIABLE}=127.0.0.1:" in text
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


# --- conditional formats, duplicated tabs, chart sources ----------------------------------------


def _rule(sheet_id: int, formula: str, col: int = 0) -> dict[str, Any]:
    return {
        "ranges": [
            {
                "sheetId": sheet_id,
                "startRowIndex": 1,
                "endRowIndex": 10,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            }
        ],
        "booleanRule": {
            "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]},
            "format": {"backgroundColor": {"red": 1, "green": 0.8, "blue": 0.8}},
        },
    }


def test_conditional_format_rules_are_kept_in_priority_order(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    sh = gc.open_by_key(key)
    sheet_id = sh.sheet1.id
    reply = sh.batch_update(
        {
            "requests": [
                {"addConditionalFormatRule": {"rule": _rule(sheet_id, "=A2=1"), "index": 0}},
                {"addConditionalFormatRule": {"rule": _rule(sheet_id, "=A2=2"), "index": 0}},
                {"addConditionalFormatRule": {"rule": _rule(sheet_id, "=B2=3", 1), "index": 2}},
            ]
        }
    )
    assert reply["replies"] == [{}, {}, {}]
    meta = sh.fetch_sheet_metadata()
    listed = meta["sheets"][0]["conditionalFormats"]
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in listed]
    assert formulas == ["=A2=2", "=A2=1", "=B2=3"]
    assert listed[2]["ranges"] == [
        {"startRowIndex": 1, "endRowIndex": 10, "startColumnIndex": 1, "endColumnIndex": 2}
    ]  # sheetId 0 left out, as Google echoes it
    deleted = sh.batch_update(
        {"requests": [{"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": 1}}]}
    )
    assert deleted["replies"][0]["deleteConditionalFormatRule"]["rule"] == listed[1]
    assert len(emu.spreadsheet(key).tab("Sheet1").conditional_formats) == 2


@pytest.mark.parametrize(
    ("rule", "index", "message"),
    [
        ({"booleanRule": {"condition": {"type": "BLANK"}}}, 0, "rule.ranges"),
        ({"ranges": [{"sheetId": 999}], "booleanRule": {}}, 0, "No grid with id: 999"),
        ({"ranges": [{"sheetId": 0, "endRowIndex": 5000}]}, 0, "exceeds grid limits"),
        ({"ranges": [{"sheetId": 0}]}, 0, "Exactly one of booleanRule or gradientRule"),
        ({"ranges": [{"sheetId": 0}], "booleanRule": {"format": {}}}, 0, "condition.type"),
        ({"ranges": [{"sheetId": 0}], "booleanRule": {"condition": {"type": "BLANK"}}}, 2, "index"),
    ],
)
def test_a_conditional_format_google_would_refuse_applies_nothing(
    emu: SheetsEmulator, gc: gspread.Client, key: str, rule: Any, index: int, message: str
) -> None:
    sh = gc.open_by_key(key)
    with pytest.raises(APIError) as err:
        sh.batch_update(
            {
                "requests": [
                    {"addConditionalFormatRule": {"rule": _rule(0, "=A2=1"), "index": 0}},
                    {"addConditionalFormatRule": {"rule": rule, "index": index}},
                ]
            }
        )
    assert err.value.code == 400
    assert err.value.error["message"].startswith("Invalid requests[1].addConditionalFormatRule")
    assert message in err.value.error["message"]
    assert emu.spreadsheet(key).tab("Sheet1").conditional_formats == []


def test_duplicate_sheet_copies_cells_rules_and_charts_onto_the_copy(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    sh = gc.open_by_key(key)
    source = sh.sheet1
    source.update([["Collège", "Classes"], ["Collège Exemple", 3]], "A1:B2")
    sh.batch_update(
        {
            "requests": [
                {"addConditionalFormatRule": {"rule": _rule(0, "=B2>2", 1), "index": 0}},
                *[r for r in _publish_requests(0) if "addChart" in r],
            ]
        }
    )
    copy = source.duplicate(new_sheet_name="Copie", new_sheet_id=4242)
    assert (copy.id, copy.title, copy.index) == (4242, "Copie", 1)
    assert copy.get_all_values() == [["Collège", "Classes"], ["Collège Exemple", "3"]]
    again = source.duplicate()
    assert (again.title, again.index) == ("Copy of Sheet1", 1)
    book = emu.spreadsheet(key)
    copied = book.tab("Copie")
    assert copied.conditional_formats[0]["ranges"][0]["sheetId"] == 4242
    [chart] = copied.charts
    [original] = book.tab("Sheet1").charts
    assert chart["chartId"] != original["chartId"]
    domain = chart["spec"]["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert domain["sheetId"] == 4242
    assert chart["position"]["overlayPosition"]["anchorCell"]["sheetId"] == 4242
    with pytest.raises(APIError, match="already exists"):
        source.duplicate(new_sheet_name="copie")


def test_add_chart_refuses_a_source_on_an_unknown_tab(
    emu: SheetsEmulator, gc: gspread.Client, key: str
) -> None:
    sh = gc.open_by_key(key)
    [chart] = [r for r in _publish_requests(0) if "addChart" in r]
    domains = chart["addChart"]["chart"]["spec"]["basicChart"]["domains"]
    domains[0]["domain"]["sourceRange"]["sources"][0]["sheetId"] = 31337
    with pytest.raises(APIError) as err:
        sh.batch_update({"requests": [chart]})
    assert err.value.error["message"] == "Invalid requests[0].addChart: No grid with id: 31337"
    assert emu.spreadsheet(key).tab("Sheet1").charts == []
