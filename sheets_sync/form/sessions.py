"""Place each answer in a session, and remember when an answer was first seen complete.

An answer belongs to the first session whose deadline (inclusive) its date meets; after the
last deadline it is `hors-delai`. Its date is the « Date de dépôt » typed by the school, else
the day the toolkit first saw it complete, remembered across syncs in a state tab we own.
That day only bounds the answer's date from above (it may have been complete long before
the first sync), so an answer without a « Date de dépôt » is never `hors-delai`: past the
last deadline it goes to the last session.

    # sheets-sync (état)   A                              B              C
    # 1   Généré par sheets-sync … — ne pas modifier
    # 4   Clé                                             Vue complète le  Établissement
    # 5   tisserands                                      2021-07-02       Collège des Tisserands
    # 7   Établissement (clé)                             Empreinte        Complète
    # 8   tisserands                                      3f2a1c09e4b7…    oui
    # 10  Classe                                          Ambassadeur …    Confirmé   Publié le
    # 11  tisserands-4e1                                  9c1e0b7d2a44     non        2021-07-02
    # 13  Classe (temps fort)   Temps fort   Début        Demi-journée   Demi-journées   Statut …
    # 14  tisserands-4e1        lancement    2021-09-13   matin          1               proposé

An ambassador is remembered by a pseudonym of their identifier (which is made from their name:
the state tab may sit, hidden, in the workbook shared with principals). The other blocks
(answers as last seen, pairings as last published, the temps forts of the year as last
published: class, temps fort, first half-day, length, attendees by pseudonym) follow the
first after an empty row, each under its own header; a tab written before they existed reads
as "no answers seen, no pairings published, no events published".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..cells.grid import Grid, is_generated
from ..config import Session
from .normalise import date as parse_date

LATE = "hors-delai"
STATE_HEADER = ("Clé", "Vue complète le", "Établissement")
ANSWERS_HEADER = ("Établissement (clé)", "Empreinte des réponses", "Complète")
PAIRINGS_HEADER = ("Classe", "Ambassadeur (identifiant)", "Confirmé", "Publié le")
EVENTS_HEADER = ("Classe (temps fort)", "Temps fort", "Début", "Demi-journée", "Demi-journées",
                 "Statut", "Ambassadeurs (identifiants)")
_BLOCKS = (STATE_HEADER[0], ANSWERS_HEADER[0], PAIRINGS_HEADER[0], EVENTS_HEADER[0])
YES, NO = "oui", "non"
MORNING, AFTERNOON = "matin", "après-midi"


def session_for(day: dt.date | None, sessions: Sequence[Session], *,
                typed: bool = True) -> str | None:
    """The session a date falls in; LATE after the last deadline; None without a date.

    `typed` False: the day is only when the toolkit first saw the answer complete, which
    proves no lateness; after the last deadline the answer goes to the last session.
    """
    if day is None:
        return None
    for session in sessions:
        if day <= session.deadline:
            return session.name
    return LATE if typed or not sessions else sessions[-1].name


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
        if grid.value(r, 1) in _BLOCKS:
            break
        key, day = grid.value(r, 1), parse_date(grid.value(r, 2)).value
        if isinstance(key, str) and key and day is not None:
            days[key] = day
            name = grid.value(r, 3)
            names[key] = name if isinstance(name, str) else ""
    return SeenComplete(days, names)


@dataclass(frozen=True)
class Published:
    """A pairing as published at an earlier sync (remembered in the state tab); read back,
    `ambassador_id` is the pseudonym until the roster translates it (ambassadors/stability)."""

    class_id: str
    ambassador_id: str
    confirmed: bool
    since: dt.date


@dataclass(frozen=True)
class PublishedEvent:
    """A temps fort as published at an earlier sync: the class, the temps fort, its first
    half-day (`afternoon` or morning) and how many half-days it lasts; `status` as that sync
    showed it (proposé, publié, confirmé). Who attends is not remembered (it follows the
    pairings): the state tab names no one."""

    class_id: str
    kind: str
    day: dt.date
    afternoon: bool
    half_days: int = 1
    status: str = ""
    attendees: tuple[str, ...] = ()  # pseudonyms, as the pairings block names ambassadors


@dataclass(frozen=True)
class Previous:
    """What the last sync saw: each answer's fingerprint and completeness, the pairings, the
    temps forts of the year it published."""

    answers: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    pairings: tuple[Published, ...] = ()
    events: tuple[PublishedEvent, ...] = ()


def fingerprint(values: Mapping[str, object]) -> str:
    """A stable hash of an answer's normalised values (same answers, same fingerprint)."""
    text = json.dumps({k: values[k] for k in sorted(values)}, default=str, sort_keys=True,
                      ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def pseudonym(ambassador_id: str) -> str:
    """How the state tab names an ambassador: a stable hash, not the name-made identifier."""
    return hashlib.sha256(ambassador_id.encode("utf-8")).hexdigest()[:12]


def _block(grid: Grid, name: str) -> range:
    """The data rows under the block header whose first cell is `name` (empty if none)."""
    start = next((r for r in range(1, len(grid.rows) + 1) if grid.value(r, 1) == name), None)
    if start is None:
        return range(0)
    end = start + 1
    while end <= len(grid.rows) and grid.value(end, 1) not in (*_BLOCKS, None, ""):
        end += 1
    return range(start + 1, end)


def read_previous(grids: Sequence[Grid], tab: str) -> Previous:
    """Answers, pairings and events remembered by the last sync; absent blocks read as
    empty."""
    grid = next((g for g in grids if (g.sheet or g.tab) == tab), None)
    if grid is None or not grid.rows or not is_generated(grid.value(1, 1)):
        return Previous()
    answers: dict[str, tuple[str, bool]] = {}
    for r in _block(grid, ANSWERS_HEADER[0]):
        key, mark = grid.value(r, 1), grid.value(r, 2)
        if isinstance(key, str) and isinstance(mark, str):
            answers[key] = (mark, grid.value(r, 3) == YES)
    pairings = []
    for r in _block(grid, PAIRINGS_HEADER[0]):
        klass, member = grid.value(r, 1), grid.value(r, 2)
        day = parse_date(grid.value(r, 4)).value
        if isinstance(klass, str) and isinstance(member, str) and day is not None:
            pairings.append(Published(klass, member, grid.value(r, 3) == YES, day))
    return Previous(answers, tuple(pairings), tuple(_events(grid)))


def _events(grid: Grid) -> list[PublishedEvent]:
    """The events block; a row that does not read (damaged by hand) is left out."""
    events = []
    for r in _block(grid, EVENTS_HEADER[0]):
        klass, kind, half = grid.value(r, 1), grid.value(r, 2), grid.value(r, 4)
        day = parse_date(grid.value(r, 3)).value
        length = _count(grid.value(r, 5))
        status = grid.value(r, 6)
        if (isinstance(klass, str) and klass and isinstance(kind, str) and kind
                and day is not None and half in (MORNING, AFTERNOON) and length):
            who = grid.value(r, 7)
            events.append(PublishedEvent(klass, kind, day, half == AFTERNOON, length,
                                         status if isinstance(status, str) else "",
                                         tuple(who.split()) if isinstance(who, str) else ()))
    return events


def _count(value: object) -> int:
    """A positive whole number as a workbook gives it back (1, 1.0 or « 1 »), else 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value > 0 else 0
