"""`sheets-sync watch`: a sync when the source changed, never for its own write."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cli import main
from sheets_sync.errors import WriteRefused
from sheets_sync.watch import Fingerprints, Round, watch, watched_files

from .conftest import MakeCampaign

START = dt.datetime(2021, 6, 1, 8, 0)


class Clock:
    """A clock that moves only when the injected sleep is called; edits happen in between."""

    def __init__(self, edits: dict[int, Any] | None = None) -> None:
        self.now, self.slept, self.edits = START, [], edits or {}

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += dt.timedelta(seconds=seconds)
        edit = self.edits.get(len(self.slept))
        if edit is not None:
            edit()


def _rounds(config: Any, clock: Clock, rounds: int, run: Any = None) -> list[Round]:
    calls: list[dt.datetime] = []

    def sync(now: dt.datetime) -> str:
        calls.append(now)
        with config.source.open("ab") as out:  # the sync's own write changes the file
            out.write(b"\0")
        return "Écrit."

    return list(watch(config, 600, run or sync, clock=clock, sleep=clock.sleep, rounds=rounds))


def test_syncs_first_then_only_after_a_change(make_campaign: MakeCampaign) -> None:
    config = make_campaign()

    def edit() -> None:
        config.source.write_bytes(config.source.read_bytes() + b"edit")

    clock = Clock({2: edit})
    steps = _rounds(config, clock, 4)
    assert [s.synced for s in steps] == [True, False, True, False]
    assert [s.at for s in steps] == [START + dt.timedelta(minutes=10 * i) for i in range(4)]
    assert clock.slept == [600, 600, 600]
    assert steps[1].line == "Rien n'a changé depuis la dernière synchronisation."


def test_a_file_saved_unchanged_is_not_a_change(make_campaign: MakeCampaign) -> None:
    config = make_campaign()

    def touch() -> None:  # same bytes, new mtime: Excel's « Enregistrer » without an edit
        stat = config.source.stat()
        os.utime(config.source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))

    steps = _rounds(config, Clock({1: touch}), 2)
    assert [s.synced for s in steps] == [True, False]


def test_an_edit_of_the_config_is_a_change(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    assert config.path is not None
    path = config.path

    def edit() -> None:
        path.write_text(path.read_text("utf-8") + "\n# modifié\n", "utf-8")

    steps = _rounds(config, Clock({1: edit}), 2)
    assert [s.synced for s in steps] == [True, True]


def test_a_refused_sync_is_reported_and_tried_again(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    tries: list[int] = []

    def refused_once(now: dt.datetime) -> str:
        tries.append(1)
        if len(tries) == 1:
            raise WriteRefused("Le classeur est ouvert dans Excel.")
        return "Écrit."

    steps = _rounds(config, Clock(), 3, refused_once)
    assert [s.synced for s in steps] == [False, True, False]
    assert steps[0].line.startswith("Erreur : Le classeur est ouvert dans Excel.")


def test_a_google_campaign_syncs_every_round(make_campaign: MakeCampaign) -> None:
    config = replace(make_campaign(), google=SimpleNamespace(spreadsheet="abc"))
    assert watched_files(config) is None
    steps = list(
        watch(config, 60, lambda now: "Écrit.", clock=Clock(), sleep=lambda s: None, rounds=3)
    )
    assert [s.synced for s in steps] == [True, True, True]


def test_a_folder_of_fiches_watches_each_fiche_not_the_dashboard(
    make_campaign: MakeCampaign, tmp_path: Path
) -> None:
    from sheets_sync.starter.campaign import write_template

    folder = tmp_path / "fiches"
    folder.mkdir()
    config = make_campaign(source="fiches")
    write_template(folder / "college-a.xlsx", "fiche", config)
    (folder / "tableau-de-bord.xlsx").write_bytes(b"written by the sync")
    watched = watched_files(config)
    assert watched is not None
    assert [p.name for p in watched] == ["college-a.xlsx", "config.toml"]


def test_ctrl_c_ends_the_watch_with_a_french_line_and_exit_0(
    make_campaign: MakeCampaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_campaign()

    def interrupted(*args: Any, **kwargs: Any) -> Iterator[Round]:
        yield Round(1, START, True, "Écrit : 9 onglet(s).")
        raise KeyboardInterrupt

    monkeypatch.setattr("sheets_sync.watch.watch", interrupted)
    result = CliRunner().invoke(main, ["watch", "--config", str(config.path)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1] == "[01/06 08:00] Écrit : 9 onglet(s)."
    assert lines[-1] == "Surveillance arrêtée. Chaque synchronisation terminée est écrite."


def test_watch_command_syncs_then_sees_nothing_changed(
    make_campaign: MakeCampaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_campaign()
    monkeypatch.setattr("sheets_sync.watch.time.sleep", lambda seconds: None)
    result = CliRunner().invoke(main, ["watch", "--config", str(config.path), "--tours", "2"])
    assert result.exit_code == 0, result.stderr
    first, second = result.stdout.splitlines()[1:]
    assert "Écrit : 9 onglet(s) dans " in first and "réponse(s)" in first
    assert second.endswith("Rien n'a changé depuis la dernière synchronisation.")


@settings(max_examples=60, deadline=None)
@given(first=st.binary(max_size=64), second=st.binary(max_size=64), same_stat=st.booleans())
def test_a_file_counts_as_changed_exactly_when_its_bytes_changed(
    first: bytes, second: bytes, same_stat: bool
) -> None:
    """Whatever the mtime says (Excel saving unchanged, a copy keeping the old date)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reponses.xlsx"
        path.write_bytes(first)
        prints = Fingerprints()
        before = prints.of([path])
        stat = path.stat()
        path.write_bytes(second)
        if same_stat and len(first) == len(second):  # a change the (mtime, size) cannot see
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            prints.seen.clear()  # …so it is only seen by hashing: a new watch hashes all
        else:
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert (prints.of([path]) != before) == (first != second)
