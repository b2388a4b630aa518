"""A dashboard above Google's recommended 2 MB per request: how many requests, and still
nobody sees a half-written dashboard. Through real gspread against the emulator."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.bench_google import answers  # the bench's fictional campaign
from sheets_sync.backends import google
from sheets_sync.backends.google.publish import (
    _BATCH_OVERHEAD,
    MAX_BYTES,
    STAGING_PREFIX,
    publish_batches,
)
from sheets_sync.backends.google.read import SheetInfo, SpreadsheetRead
from sheets_sync.backends.google.retry import encode
from sheets_sync.cells.grid import MARKER, GeneratedTab, OutCell, is_generated
from sheets_sync.cli import main
from sheets_sync.emulator import SheetsEmulator

from ...conftest import MakeCampaign
from .test_google_backend import emulator_client


@pytest.fixture
def emu() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as server:
        yield server


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emu:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", emu.host)
        yield emu


def big_tab(name: str, rows: int) -> GeneratedTab:
    cells = tuple(
        (OutCell(f"Collège fictif n°{i} — une ligne assez longue", "wrap"), OutCell(i, "integer"))
        for i in range(rows)
    )
    return GeneratedTab(name, f"{MARKER} test", "Titre", ("Nom", "N"), cells)


def ids(emu: SheetsEmulator, key: str) -> dict[str, int]:
    return {s.title: s.sheet_id for s in emu.spreadsheet(key).sheets}


def batch_sizes(emu: SheetsEmulator) -> list[int]:
    return [len(encode(r.body)) for r in emu.requests if r.path.endswith(":batchUpdate")]


def test_a_dashboard_of_5_mb_is_published_in_3_requests_of_at_most_2_mb(
    emu: SheetsEmulator,
) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom"], ["Collège A"]]})
    client = emulator_client(emu)
    small = [big_tab("Complétude", 10), big_tab("Synthèse", 10)]
    assert google.publish(client, key, google.read_spreadsheet(client, key), small).requests == 1
    gids = ids(emu, key)
    read = google.read_spreadsheet(client, key)
    tabs = [big_tab("Complétude", 15_500), big_tab("Synthèse", 1_500)]
    one = len(encode({"requests": google.publish_batches(read, tabs, 10**9)[0][0]}))
    assert 4_000_000 < one < 5_500_000  # the same publish in one request
    emu.clear_log()
    result = google.publish(client, key, read, tabs)
    sizes = batch_sizes(emu)
    assert (result.requests, result.staged) == (3, True)
    assert len(emu.requests) == 3 and all(s <= MAX_BYTES for s in sizes)
    assert len(sizes) == math.ceil(sum(sizes) / MAX_BYTES)  # no request needlessly small
    book = emu.spreadsheet(key)
    assert [(s.title, s.hidden) for s in book.sheets] == [
        ("Réponses", False),
        ("Complétude", False),
        ("Synthèse", False),
    ]
    values = book.tab("Complétude").values()
    assert len(values) == 15_504 and values[-1][1] == 15_499
    assert ids(emu, key) == gids  # bookmarks (#gid=…) still lead to the same tabs
    assert all(len(book.tab(t).protected_ranges) == 1 for t in ("Complétude", "Synthèse"))
    assert book.tab("Complétude").frozen_rows == 4


def test_a_sync_above_2_mb_costs_two_requests_more_than_three(
    emulator: SheetsEmulator, make_campaign: MakeCampaign
) -> None:
    """650 schools: the README's « trois requêtes » become 2 reads and as many writes of at
    most 2 MB as the dashboard needs, and the result is the same as in one request."""
    config = make_campaign()
    key = emulator.create_spreadsheet(
        "Campagne", {"Réponses": answers(650), "Ambassadeurs": [["Prénom"]]}
    )
    seen: list[tuple[dict[str, int], int]] = []
    for _ in range(2):  # created, then replaced
        emulator.clear_log()
        result = CliRunner().invoke(
            main, ["sync", "--config", str(config.path), "--source", key],
            catch_exceptions=False,
        )  # fmt: skip
        assert result.exit_code in (0, 1), result.output
        kinds = [(r.method, r.path.rsplit(":", 1)[-1]) for r in emulator.requests]
        sizes = batch_sizes(emulator)
        assert kinds[:2] == [("GET", kinds[0][1]), ("GET", "batchGet")]
        assert kinds[2:] == [("POST", "batchUpdate")] * len(sizes)
        assert len(sizes) == math.ceil(sum(sizes) / MAX_BYTES) >= 2
        assert all(s <= MAX_BYTES for s in sizes)
        book = emulator.spreadsheet(key)
        assert not any(s.title.startswith(STAGING_PREFIX) for s in book.sheets)
        assert is_generated(book.tab("Complétude").values()[0][0])
        assert len(book.tab("Complétude").values()) > 650
        seen.append((ids(emulator, key), sum(len(s.charts) for s in book.sheets)))
    assert seen[0] == seen[1] and seen[0][1] > 0  # same sheetIds (bookmarks), same charts


# --- the split, for any sizes --------------------------------------------------------------


def _read() -> SpreadsheetRead:
    return SpreadsheetRead(
        spreadsheet_id="campagne",
        title="Campagne",
        grids=(),
        revision="",
        tabs={"Réponses": 0},
        generated=frozenset(),
        sheets=(SheetInfo(0, "Réponses", 0),),
    )


@settings(max_examples=40, deadline=None)
@given(
    heights=st.lists(st.integers(0, 400), min_size=1, max_size=3),
    max_bytes=st.integers(6_000, 60_000),
)
def test_staged_batches_are_full_in_order_and_under_the_limit(
    heights: list[int], max_bytes: int
) -> None:
    tabs = [big_tab(f"Onglet {n}", h) for n, h in enumerate(heights)]
    batches, staging = publish_batches(_read(), tabs, max_bytes)
    sizes = [len(encode({"requests": b})) for b in batches]
    if len(batches) == 1 and not staging:
        assert sizes[0] <= max_bytes
        return
    assert all(s <= max_bytes for s in sizes)
    # two neighbours could not have been one request (the limit is filled)
    assert all(a + b - _BATCH_OVERHEAD > max_bytes for a, b in itertools.pairwise(sizes))
    # every staging tab gets its rows once, in order, the first with the tab
    seen: dict[int, int] = {}
    for request in (r for b in batches for r in b):
        if "addSheet" in request:
            seen[request["addSheet"]["properties"]["sheetId"]] = 0
        if "updateCells" in request:
            cells: dict[str, Any] = request["updateCells"]
            sheet_id = cells["start"]["sheetId"]
            assert cells["start"]["rowIndex"] == seen[sheet_id]
            seen[sheet_id] += len(cells["rows"])
    assert [seen[s] for s in staging] == [len(t.as_rows()) for t in tabs]
