"""Against a real Google spreadsheet: opt-in (`pytest -m live`), skipped without credentials.

Set GOOGLE_APPLICATION_CREDENTIALS to a service-account JSON key and
SHEETS_SYNC_LIVE_SPREADSHEET to the URL or id of a scratch spreadsheet shared with that
account as editor. The test writes a « Réponses » tab of fictional answers if the
spreadsheet has none, then syncs twice; it never touches other tabs.
"""

from __future__ import annotations

import os

import pytest

from sheets_sync.backends import google

from ...helpers import COMPLETE_YES, KEYS
from .test_google_backend import dashboard

SPREADSHEET = os.environ.get("SHEETS_SYNC_LIVE_SPREADSHEET", "")
CREDENTIALS = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS", "")

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not (SPREADSHEET and CREDENTIALS) or bool(os.environ.get("SHEETS_EMULATOR_HOST")),
        reason="live Google test: set GOOGLE_APPLICATION_CREDENTIALS and "
        "SHEETS_SYNC_LIVE_SPREADSHEET (and unset SHEETS_EMULATOR_HOST)",
    ),
]


def test_live_sync_is_three_requests_and_idempotent() -> None:
    key = google.parse_spreadsheet_ref(SPREADSHEET)
    client = google.open_client(None, environ={"GOOGLE_APPLICATION_CREDENTIALS": CREDENTIALS})
    read = google.read_spreadsheet(client, key)
    if "Réponses" not in read.tabs:
        row = [[COMPLETE_YES.get(k, "") for k in KEYS]]
        client.post_batch(key, {"requests": [{"addSheet": {"properties": {"title": "Réponses"}}}]})
        client.values_update(
            key, "'Réponses'!A2", params={"valueInputOption": "RAW"}, body={"values": row}
        )
        read = google.read_spreadsheet(client, key)
    inputs = [g for g in read.grids if g.sheet not in read.generated]
    before = client.traffic.requests
    read = google.read_spreadsheet(client, key)
    first = google.publish(client, key, read, dashboard(read))
    assert client.traffic.requests - before - first.retries <= 3
    again = google.read_spreadsheet(client, key)
    assert again.revision == read.revision
    assert {"Synthèse", "Complétude", "sheets-sync (état)"} <= again.generated
    assert [g for g in again.grids if g.sheet not in again.generated] == inputs
    ids = {t: again.tabs[t] for t in again.generated}
    google.publish(client, key, again, dashboard(again))
    assert {t: google.read_spreadsheet(client, key).tabs[t] for t in ids} == ids


SPREADSHEET_FR = os.environ.get("SHEETS_SYNC_LIVE_SPREADSHEET_FR", "")


@pytest.mark.skipif(not SPREADSHEET_FR,
                    reason="set SHEETS_SYNC_LIVE_SPREADSHEET_FR: a scratch spreadsheet whose "
                    "locale (Fichier > Paramètres) is « France »")
def test_live_fr_fr_locale_formulas() -> None:
    """« fr-fr-locale-formulas » on a real sheet: the localised « Statut » formula, one
    validation and one highlight are accepted, and no cell shows #ERROR!."""
    from sheets_sync.backends.google.cells import localise_formula
    from sheets_sync.backends.google.read import METADATA_FIELDS, locale_of
    from sheets_sync.form.live_status import status_formula
    from sheets_sync.form.model import ANSWER_FIELDS

    key = google.parse_spreadsheet_ref(SPREADSHEET_FR)
    client = google.open_client(None, environ={"GOOGLE_APPLICATION_CREDENTIALS": CREDENTIALS})
    locale = locale_of(client.fetch_sheet_metadata(key, params={"fields": METADATA_FIELDS}))
    assert locale == "fr_FR"
    tab = "sheets-sync essai locale"
    added = client.post_batch(key, {"requests": [{"addSheet": {"properties": {"title": tab}}}]})
    sheet_id = added["replies"][0]["addSheet"]["properties"]["sheetId"]
    try:
        row = [COMPLETE_YES.get(k, "") for k in KEYS]
        client.values_update(key, f"'{tab}'!A2", params={"valueInputOption": "RAW"},
                             body={"values": [row]})
        formula = localise_formula(status_formula(ANSWER_FIELDS, 2, "D"), locale)
        custom = localise_formula("=AND(ISNUMBER(E2),E2=INT(E2),E2>=0,E2<=20)", locale)
        area = {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": 2,
                "startColumnIndex": 4, "endColumnIndex": 5}
        condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": custom}]}
        client.post_batch(key, {"requests": [
            {"updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 15},
                "rows": [{"values": [{"userEnteredValue": {"formulaValue": formula}}]}],
                "fields": "userEnteredValue"}},
            {"setDataValidation": {"range": area, "rule": {"condition": condition}}},
            {"addConditionalFormatRule": {"index": 0, "rule": {
                "ranges": [area], "booleanRule": {"condition": condition,
                                                  "format": {"textFormat": {"bold": True}}}}}},
        ]})
        got = client.values_batch_get(key, [f"'{tab}'!P2"])
        assert got["valueRanges"][0]["values"] == [["Complet"]]
    finally:
        client.post_batch(key, {"requests": [{"deleteSheet": {"sheetId": sheet_id}}]})
