"""« Suivi de l'année »: the tab coordinators and principals fill to follow each class's year.

One row per class and per temps fort or production:

    #    A              B          C               D             E         F         G
    # 1  Établissement  Classe     Identifiant     Type          Intitulé  État      Date …
    # 2  Collège …      4ème n°1   tisserands-4e1  lancement               confirmé  12/10/2026
    # 3  Collège …      4ème n°1   tisserands-4e1  fiche métier  Soudeuse  en cours

A temps fort row (Type is a temps fort of config.toml) says whether it is confirmed, held or
cancelled, and on which day; a production row (Type from PRODUCTION_TYPES) says where the
class's work stands. `sheets-sync suivi --preparer` adds the rows of new classes; the sync only
reads this tab (it is typed by people: never rewritten).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..form.findings import Issue

HEADER = ("Établissement", "Classe", "Identifiant", "Type", "Intitulé", "État", "Date", "Lien",
          "Commentaire")
PRODUCTION_TYPES = ("fiche métier", "portrait", "web TV", "exposition", "autre")
EVENT_STATES = ("à venir", "confirmé", "tenu", "annulé")
PRODUCTION_STATES = ("à venir", "en cours", "remise", "publiée")
CONFIRMED_STATES = ("confirmé", "tenu")  # with a date: the event never moves
DELIVERED_STATES = ("remise", "publiée")


@dataclass(frozen=True)
class Tracked:
    """One row of « Suivi de l'année », read and normalised (`row`: the sheet row)."""

    row: int
    school: str  # as shown (the school's name)
    class_label: str  # « 4ème n°1 »
    class_id: str  # the toolkit's identifier (« tisserands-4e1 »)
    kind: str  # a temps fort's name (config) or one of PRODUCTION_TYPES
    is_event: bool  # True for a temps fort row
    title: str = ""
    state: str = "à venir"  # one of EVENT_STATES or PRODUCTION_STATES
    day: dt.date | None = None
    link: str | None = None
    comment: str = ""


@dataclass(frozen=True)
class FollowUp:
    """Every row of the tab, and what could not be read (issues with cells, French)."""

    rows: tuple[Tracked, ...] = ()
    issues: tuple[Issue, ...] = ()
    found: bool = False  # whether the tab exists

    def confirmed_days(self) -> dict[tuple[str, str], dt.date]:
        """(class id, temps fort) → the day typed for a confirmed or held temps fort."""
        return {(r.class_id, r.kind): r.day for r in self.rows
                if r.is_event and r.state in CONFIRMED_STATES and r.day is not None}

    def held(self) -> frozenset[tuple[str, str]]:
        """The (class id, temps fort) pairs marked « tenu »."""
        return frozenset((r.class_id, r.kind) for r in self.rows
                         if r.is_event and r.state == "tenu")

    def productions(self) -> tuple[Tracked, ...]:
        return tuple(r for r in self.rows if not r.is_event)
