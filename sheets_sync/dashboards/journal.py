"""« Journal »: one row per sync (when, source, counts, warnings, version), newest first.

The tab is generated, so it is replaced at each sync: the rows of the previous journal are
read back from it and the new sync's row is put on top.

    # Journal  A                  B          C         D         E          F        G
    # 4        Date               Source     Réponses  Complètes Erreurs    Avert.   Version
    # 5        20/07/2021 09:30   x.xlsx     12        9         6          1        0.1.0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from ..cells.grid import GeneratedTab, Grid, OutCell, is_generated
from ..config import CampaignView
from ..form.normalise import count

KEEP = 500  # rows kept; older syncs drop off the bottom
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


def toolkit_version() -> str:
    try:
        return version("sheets-sync")
    except PackageNotFoundError:
        return "dev"


def read_journal(grids: Sequence[Grid], tab: str) -> list[JournalEntry]:
    """The previous syncs, from our own « Journal » tab (none when absent or not ours)."""
    grid = next((g for g in grids if (g.sheet or g.tab) == tab), None)
    if grid is None or not is_generated(grid.value(1, 1)):
        return []
    entries = []
    for r in range(GeneratedTab.FIRST_DATA_ROW, len(grid.rows) + 1):
        try:
            when = dt.datetime.strptime(str(grid.value(r, 1)), STAMP)
        except ValueError:
            continue
        answers, complete, errors, warnings = (count(grid.value(r, c)).value or 0
                                               for c in range(3, 7))
        entries.append(JournalEntry(when, str(grid.value(r, 2) or ""), answers, complete,
                                    errors, warnings, str(grid.value(r, 7) or "")))
    return entries


def journal_tab(config: CampaignView, entries: Sequence[JournalEntry], banner: str) -> GeneratedTab:
    rows = tuple(
        (OutCell(e.when.strftime(STAMP)), OutCell(e.source), OutCell(e.answers, "integer"),
         OutCell(e.complete, "integer"), OutCell(e.errors, "integer"),
         OutCell(e.warnings, "integer"), OutCell(e.version))
        for e in entries[:KEEP]
    )
    return GeneratedTab(name=config.tabs.journal, banner=banner,
                        title=f"Journal des synchronisations — {config.name}", header=HEADER,
                        rows=rows, widths=(18, 40, 10, 10, 10, 14, 10))
