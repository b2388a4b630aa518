"""Place each answer in a session, and remember when an answer was first seen complete.

An answer belongs to the first session whose deadline (inclusive) its date meets; after the
last deadline it is `hors-delai`. Its date is the « Date de dépôt » typed by the school, else
the day the toolkit first saw it complete, remembered across syncs in a state tab we own:

    # sheets-sync (état)   A                              B              C
    # 1   Généré par sheets-sync … — ne pas modifier
    # 4   Clé                                             Vue complète le  Établissement
    # 5   tisserands                                      2021-07-02       Collège des Tisserands
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..cells.grid import Grid, is_generated
from ..config import Session
from .normalise import date as parse_date

LATE = "hors-delai"
STATE_HEADER = ("Clé", "Vue complète le", "Établissement")


def session_for(day: dt.date | None, sessions: Sequence[Session]) -> str | None:
    """The session a date falls in; LATE after the last deadline; None without a date."""
    if day is None:
        return None
    for session in sessions:
        if day <= session.deadline:
            return session.name
    return LATE


@dataclass(frozen=True)
class SeenComplete:
    """The day each school (by identity key) was first seen complete."""

    days: Mapping[str, dt.date]
    names: Mapping[str, str]

    def updated(self, complete: Mapping[str, str], today: dt.date) -> SeenComplete:
        """Add today's newly complete schools (key → name); known days never change."""
        days = dict(self.days)
        names = dict(self.names)
        for key, name in complete.items():
            days.setdefault(key, today)
            names.setdefault(key, name)
        return SeenComplete(days, names)

    def rows(self) -> list[tuple[str, dt.date, str]]:
        return [(k, self.days[k], self.names.get(k, "")) for k in sorted(self.days)]


EMPTY_STATE = SeenComplete({}, {})


def read_state(grids: Sequence[Grid], tab: str) -> SeenComplete:
    """The state tab's content; an absent, foreign or damaged tab reads as empty."""
    grid = next((g for g in grids if (g.sheet or g.tab) == tab), None)
    if grid is None or not grid.rows or not is_generated(grid.value(1, 1)):
        return EMPTY_STATE
    header_row = next((r for r in range(1, len(grid.rows) + 1)
                       if grid.value(r, 1) == STATE_HEADER[0]), None)
    if header_row is None:
        return EMPTY_STATE
    days: dict[str, dt.date] = {}
    names: dict[str, str] = {}
    for r in range(header_row + 1, len(grid.rows) + 1):
        key, day = grid.value(r, 1), parse_date(grid.value(r, 2)).value
        if isinstance(key, str) and key and day is not None:
            days[key] = day
            name = grid.value(r, 3)
            names[key] = name if isinstance(name, str) else ""
    return SeenComplete(days, names)
