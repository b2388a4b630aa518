"""« Journal »: one row per sync (when, source, counts, warnings, version), newest first,
each followed by one row per change since the sync before (answers, pairings, temps forts
moved).

The tab is generated, so it is replaced at each sync: the rows of the previous journal are
read back from it and the new sync's rows are put on top. A change row has column A empty
and its text in column B (a journal written before change rows existed reads the same). No
change names a person: pairings are told by class (« Parrainages » names the ambassadors).

    # Journal  A                  B                                   C         D      …
    # 4        Date               Source                              Réponses  Complètes
    # 5        20/07/2021 09:30   x.xlsx                              12        9
    # 6                           Réponse modifiée : Collège A.
    # 7                           Appariement ajouté : classe a-4e2.
    # 8                           Temps fort déplacé : lancement, classe a-4e2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..ambassadors.sponsoring import Sponsorship
from ..ambassadors.stability import change_lines
from ..cells.grid import GeneratedTab, Grid, OutCell, is_generated
from ..config import CampaignView
from ..form.consolidate import Campaign
from ..form.normalise import count
from ..form.sessions import Previous, fingerprint

if TYPE_CHECKING:
    from ..schoolyear.year import YearPlan

KEEP = 2000  # rows kept (syncs and their changes); older ones drop off the bottom
STAMP = "%d/%m/%Y %H:%M:%S"  # written as text, so every backend shows it the same way
HEADER = ("Date", "Source", "Réponses", "Complètes", "Erreurs", "Avertissements", "Version")


@dataclass(frozen=True)
class JournalEntry:
    """One sync."""

    when: dt.datetime
    source: str
    answers: int
    complete: int
    errors: int
    warnings: int
    version: str
    changes: tuple[str, ...] = ()  # French, one per change since the sync before


def toolkit_version() -> str:
    """The version of the code running (`sheets_sync.__version__`, which pyproject.toml
    reads): no look-up of the installed package's metadata (~20 ms of every sync)."""
    from .. import __version__

    return __version__


def read_journal(grids: Sequence[Grid], tab: str) -> list[JournalEntry]:
    """The previous syncs, from our own « Journal » tab (none when absent or not ours)."""
    grid = next((g for g in grids if (g.sheet or g.tab) == tab), None)
    if grid is None or not is_generated(grid.value(1, 1)):
        return []
    entries: list[JournalEntry] = []
    for r in range(GeneratedTab.FIRST_DATA_ROW, len(grid.rows) + 1):
        if grid.value(r, 1) in (None, ""):  # a change of the sync above
            if entries and isinstance(text := grid.value(r, 2), str) and text:
                entries[-1] = replace(entries[-1], changes=(*entries[-1].changes, text))
            continue
        try:
            when = dt.datetime.strptime(str(grid.value(r, 1)), STAMP)
        except ValueError:
            continue
        answers, complete, errors, warnings = (count(grid.value(r, c)).value or 0
                                               for c in range(3, 7))
        entries.append(JournalEntry(when, str(grid.value(r, 2) or ""), answers, complete,
                                    errors, warnings, str(grid.value(r, 7) or "")))
    return entries


def changes(previous: Previous, campaign: Campaign, sponsorship: Sponsorship,
            year: YearPlan | None = None) -> list[str]:
    """What changed since the last sync, one French line each: answers new, changed, now
    complete or gone (by fingerprint of their normalised values), pairings added or removed,
    published temps forts that had to move (why: « Calendrier », which may name people)."""
    lines: list[str] = []
    seen: set[str] = set()
    for school in sorted(campaign.kept, key=lambda s: s.key):
        if not school.key:
            continue
        seen.add(school.key)
        name = school.name or school.key
        before = previous.answers.get(school.key)
        if before is None:
            lines.append(f"Nouvelle réponse{' complète' if school.answered else ''} : {name}.")
            continue
        if before[0] != fingerprint(school.values):
            lines.append(f"Réponse modifiée : {name}.")
        if school.answered and not before[1]:
            lines.append(f"Réponse désormais complète : {name}.")
        elif before[1] and not school.answered:
            lines.append(f"Réponse redevenue incomplète : {name}.")
    lines += [f"Réponse disparue : {key}." for key in sorted(set(previous.answers) - seen)]
    moved = sorted((e.kind, e.class_id) for e, _ in year.plan.moved) if year else []
    return [*lines, *change_lines(sponsorship.moves, with_ambassador=False,
                                    first=not sponsorship.published),
            *(f"Temps fort déplacé : {kind}, classe {klass}." for kind, klass in moved)]


def _rows(e: JournalEntry) -> list[tuple[OutCell, ...]]:
    stamp = e.when.strftime(STAMP)
    return [(OutCell(stamp), OutCell(e.source), OutCell(e.answers, "integer"),
             OutCell(e.complete, "integer"), OutCell(e.errors, "integer"),
             OutCell(e.warnings, "integer"), OutCell(e.version)),
            *((OutCell(None), OutCell(line)) for line in e.changes)]


def journal_tab(config: CampaignView, entries: Sequence[JournalEntry], banner: str) -> GeneratedTab:
    rows = tuple(row for e in entries for row in _rows(e))[:KEEP]
    return GeneratedTab(name=config.tabs.journal, banner=banner,
                        title=f"Journal des synchronisations — {config.name}", header=HEADER,
                        rows=rows, widths=(18, 40, 10, 10, 10, 14, 10))
