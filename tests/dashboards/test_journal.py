"""« Journal »: one row per sync, then one per change since the sync before."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from sheets_sync.ambassadors.sponsoring import sponsor
from sheets_sync.ambassadors.stability import Move
from sheets_sync.cells.grid import GeneratedTab, Grid
from sheets_sync.config import load_config
from sheets_sync.dashboards.journal import JournalEntry, changes, journal_tab, read_journal
from sheets_sync.dashboards.marks import banner
from sheets_sync.form.check import check_answers
from sheets_sync.form.consolidate import Campaign, consolidate
from sheets_sync.form.read import read_table
from sheets_sync.form.sessions import EMPTY_STATE, Previous, fingerprint

from ..helpers import COMPLETE_YES, table

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "config.toml")
NOW = dt.datetime(2021, 7, 20, 9, 30)


def campaign(*answers: dict[str, object]) -> Campaign:
    found = read_table(table(answers))
    assert found is not None
    return consolidate(check_answers(found.answers, CONFIG.limits), (), EMPTY_STATE,
                       CONFIG.sessions, NOW.date())


def named(name: str, **values: object) -> dict[str, object]:
    return {**COMPLETE_YES, "etablissement": name, **values}


def as_grid(tab: GeneratedTab) -> Grid:
    return Grid(tab.name, tuple(tuple(c.value for c in row) for row in tab.as_rows()),
                sheet=tab.name)


def test_changes_name_new_changed_completed_and_gone_answers_then_pairings() -> None:
    now = campaign(named("Collège A"), named("Collège B", theme="Autre thème"),
                   named("Collège C"), named("Collège D"))
    keys = {s.name: s for s in now.kept}
    a, b, c = keys["Collège A"], keys["Collège B"], keys["Collège C"]
    previous = Previous({a.key: (fingerprint(a.values), True), b.key: ("0" * 16, True),
                         c.key: (fingerprint(c.values), False), "disparu": ("1" * 16, True)})
    sponsorship = replace(sponsor(CONFIG, now.kept, (), []),
                          moves=(Move("a-4e1", "nadia-benali-3f2a1c", True),))
    assert changes(previous, now, sponsorship) == [
        "Réponse modifiée : Collège B.",
        "Réponse désormais complète : Collège C.",
        "Nouvelle réponse complète : Collège D.",
        "Réponse disparue : disparu.",
        "1 parrainage(s) publié(s) : premier appariement, détail dans l'onglet « Parrainages ».",
    ]


def test_nothing_changed_gives_no_line() -> None:
    now = campaign(named("Collège A"), named("Collège B", objectifs=None))
    previous = Previous({s.key: (fingerprint(s.values), s.answered) for s in now.kept})
    assert changes(previous, now, sponsor(CONFIG, now.kept, (), [])) == []


def test_change_rows_round_trip_and_old_journals_still_read() -> None:
    older = JournalEntry(dt.datetime(2021, 7, 19, 8, 0), "x.xlsx", 3, 2, 1, 0, "0.1.0")
    newer = JournalEntry(NOW, "x.xlsx", 4, 3, 0, 1, "0.2.0",
                         ("Nouvelle réponse : Collège D.", "Appariement ajouté : classe d-4e1."))
    tab = journal_tab(CONFIG, [newer, older], banner(NOW))
    assert [(r[0].value, r[1].value, len(r)) for r in tab.rows] == [
        ("20/07/2021 09:30:00", "x.xlsx", 7),
        (None, "Nouvelle réponse : Collège D.", 2),
        (None, "Appariement ajouté : classe d-4e1.", 2),
        ("19/07/2021 08:00:00", "x.xlsx", 7),
    ]
    assert read_journal([as_grid(tab)], CONFIG.tabs.journal) == [newer, older]
    old_style = journal_tab(CONFIG, [older], banner(NOW))  # no change rows: read as before
    assert read_journal([as_grid(old_style)], CONFIG.tabs.journal) == [older]
