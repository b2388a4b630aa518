"""Faults at every request of a Google sync: it completes after retries, or leaves the
spreadsheet exactly as it was. Never half-written.

The emulator answers the chosen request with a 429/500/503 (nothing applied) or drops the
connection; the retry policy's sleep is injected, so nothing here really waits.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest

from sheets_sync.backends import google
from sheets_sync.backends.google.publish import publish_batches
from sheets_sync.backends.google.retry import RetryPolicy
from sheets_sync.cells.grid import MARKER, GeneratedTab, OutCell
from sheets_sync.emulator import SheetsEmulator
from sheets_sync.errors import SheetsSyncError, SourceError, WriteRefused

from .test_google_backend import (
    Sleeps,
    calls,
    dashboard,
    emulator_client,
    make_campaign,
    state,
    sync_once,
)


@pytest.fixture
def emu() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as server:
        yield server


@pytest.fixture
def campaign(emu: SheetsEmulator, monkeypatch: pytest.MonkeyPatch) -> str:
    return make_campaign(emu)


FAULTS = [429, 500, 503, "drop"]
POSITIONS = [1, 2, 3]  # metadata, values:batchGet, batchUpdate
LATER = dt.datetime(2021, 9, 1, 8, 0)  # a later sync: its dashboard differs


def _comparable(snapshot: list[object]) -> list[object]:
    for sheet in snapshot:
        for protected in sheet[2]:  # type: ignore[index]
            protected.pop("protectedRangeId", None)
    return snapshot


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("position", POSITIONS)
def test_a_fault_at_any_request_is_retried_and_the_sync_completes(
    emu: SheetsEmulator, campaign: str, fault: int | str, position: int
) -> None:
    first = sync_once(emulator_client(emu), campaign)
    clean = _comparable(state(emu, campaign))
    assert first.requests == 1
    emu.clear_log()
    start = emu.received
    emu.inject(fault, at=start + position)
    sleeps = Sleeps()
    result = sync_once(emulator_client(emu, sleeps=sleeps), campaign)
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 1.0
    assert len(emu.requests) == 4  # 3 requests and the one retried
    assert [r.fault for r in emu.requests].count(fault if fault == "drop" else "status") == 1
    assert result.requests == 1
    assert result.retries == (1 if position == 3 else 0)  # retries of the publish itself
    assert _comparable(state(emu, campaign)) == clean


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("position", POSITIONS)
def test_without_retries_a_fault_leaves_the_spreadsheet_exactly_as_it_was(
    emu: SheetsEmulator, campaign: str, fault: int | str, position: int
) -> None:
    sync_once(emulator_client(emu), campaign)  # a previous dashboard is in place
    before = state(emu, campaign)
    emu.inject(fault, at=emu.received + position)
    with pytest.raises(SheetsSyncError) as err:
        sync_once(emulator_client(emu, max_wait=0.0), campaign, now=LATER)
    assert isinstance(err.value, WriteRefused if position == 3 else SourceError)
    if position == 3:
        assert "Rien n'a été écrit" in str(err.value)
    assert state(emu, campaign) == before


def test_a_permanent_429_gives_up_within_the_total_wait(emu: SheetsEmulator, campaign: str) -> None:
    emu.inject(429, at=emu.received + 1, times=1000)
    sleeps = Sleeps()
    client = google.open_client(
        None,
        environ={"SHEETS_EMULATOR_HOST": emu.host},
        max_wait=30.0,
        sleep=sleeps,
        rand=lambda: 1.0,
    )
    with pytest.raises(SourceError, match="limite les requêtes \\(erreur 429\\)"):
        google.read_spreadsheet(client, campaign)
    assert sleeps == [1.0, 2.0, 4.0, 8.0]  # the next (16) would pass 30 s in all
    assert [r.status for r in emu.requests] == [429] * 5


def test_backoff_is_exponential_with_full_jitter_and_capped() -> None:
    policy = RetryPolicy(base=1.0, cap=8.0, random=lambda: 1.0)
    assert [policy.delay(n, None) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    jittered = RetryPolicy(random=lambda: 0.25)
    assert [jittered.delay(n, None) for n in range(3)] == [0.25, 0.5, 1.0]
    assert jittered.delay(0, 20.0) == 20.0  # the server's Retry-After wins


def test_errors_that_are_not_transient_are_not_retried(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Privé")
    emu.make_private(key)
    sleeps = Sleeps()
    with pytest.raises(SourceError):
        google.read_spreadsheet(emulator_client(emu, sleeps=sleeps), key)
    assert sleeps == [] and len(emu.requests) == 1


def _big_tabs() -> list[GeneratedTab]:
    rows = tuple(
        (OutCell(f"Collège fictif n°{i}", "wrap"), OutCell(i, "integer")) for i in range(1500)
    )
    return [
        GeneratedTab("Complétude", f"{MARKER} test", "Titre", ("Nom", "N"), rows),
        GeneratedTab("Synthèse", f"{MARKER} test", "Titre", ("Nom",), rows[:3]),
    ]


def test_a_staged_publish_failing_at_any_request_leaves_the_spreadsheet_as_it_was(
    emu: SheetsEmulator,
) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom"], ["Collège A"]]})
    client = emulator_client(emu, max_wait=0.0)
    sync_once(emulator_client(emu), key)  # a dashboard is already published
    read = google.read_spreadsheet(client, key)
    batches, _ = publish_batches(read, _big_tabs(), max_bytes=40_000)
    assert len(batches) >= 3
    before = state(emu, key)
    for position in range(1, len(batches) + 1):
        emu.clear_log()
        emu.inject(500, at=emu.received + position)
        with pytest.raises(WriteRefused):
            google.publish(client, key, read, _big_tabs(), max_bytes=40_000)
        assert state(emu, key) == before, f"fault at batch {position}"
        cleanup = 1 if position > 1 else 0
        assert calls(emu) == [("POST", "batchUpdate")] * (position + cleanup)


def test_a_staging_tab_left_by_a_failed_cleanup_is_removed_by_the_next_sync(
    emu: SheetsEmulator,
) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom"], ["Collège A"]]})
    client = emulator_client(emu, max_wait=0.0)
    read = google.read_spreadsheet(client, key)
    emu.inject(500, at=emu.received + 2, times=2)  # the 2nd batch and the cleanup fail
    with pytest.raises(WriteRefused):
        google.publish(client, key, read, _big_tabs(), max_bytes=40_000)
    left = [s for s in emu.spreadsheet(key).sheets if s.title != "Réponses"]
    assert left and all(s.hidden for s in left)  # nobody sees them
    read = google.read_spreadsheet(client, key)
    assert {s.title for s in left} <= read.generated
    google.publish(client, key, read, _big_tabs()[1:])
    assert [s.title for s in emu.spreadsheet(key).sheets] == ["Réponses", "Synthèse"]


def test_a_publish_whose_answer_is_lost_is_repeated_but_applied_once(
    emu: SheetsEmulator, campaign: str
) -> None:
    reference = emulator_client(emu)
    sync_once(reference, campaign)
    clean = _comparable(state(emu, campaign))
    client = emulator_client(emu)
    client.set_timeout(0.2)
    read = google.read_spreadsheet(client, campaign)
    emu.inject("timeout", at=emu.received + 1, delay=1.0)  # applied, answered too late
    result = google.publish(client, campaign, read, dashboard(read))
    assert result.retries == 1 and client.repeated_write
    for _ in range(300):  # the late original is logged once the emulator applied it
        if any(r.fault == "timeout" for r in emu.requests):
            break
        threading.Event().wait(0.01)
    assert _comparable(state(emu, campaign)) == clean
