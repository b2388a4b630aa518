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
