"""The plain data the year's plan is made of: temps forts, paired classes, events.

A config loader fills `TempsFort` from `[[temps_forts]]` and `PlanSettings` from
`visites_par_semaine`; the pairing fills `PairedClass`; the roster fills `PlanAmbassador`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .availability import Availability
from .calendar import HalfDay

SCHOOL, COMPANY, VENUE = "etablissement", "entreprise", "lieu"
PLACES = (SCHOOL, COMPANY, VENUE)
ALL, AT_LEAST_ONE = "tous", "au-moins-un"
ATTENDANCES = (ALL, AT_LEAST_ONE)
PROPOSED, PUBLISHED, CONFIRMED = "proposé", "publié", "confirmé"
HELD = "tenu"  # shown, not planned: a confirmed event « Suivi de l'année » says was held
CANCELLED = "annulé"  # shown, not planned: « Suivi de l'année » says it will not take place


@dataclass(frozen=True)
class TempsFort:
    """A kind of event each class has once: « lancement », « immersion », « restitution »…

    Held within `start`..`end` (inclusive), `duration` consecutive open half-days, at the
    school, at an attending ambassador's company, or at `venue`; attended by all the
    class's ambassadors or at least one of them.
    """

    name: str
    start: dt.date
    end: dt.date
    place: str = SCHOOL
    attendance: str = ALL
    duration: int = 1
    venue: str | None = None

    def __post_init__(self) -> None:
        if self.place not in PLACES:
            raise ValueError(f"place must be one of {PLACES}, not {self.place!r}")
        if self.attendance not in ATTENDANCES:
            raise ValueError(f"attendance must be one of {ATTENDANCES}, not {self.attendance!r}")
        if self.duration < 1:
            raise ValueError("duration is at least one half-day")


@dataclass(frozen=True)
class PairedClass:
    """A class with the ambassadors paired to it (in the pairing's order)."""

    class_id: str
    school: str
    ambassadors: tuple[str, ...]


@dataclass(frozen=True)
class SchoolDays:
    """A school's own half-days ([[annee_scolaire.etablissements]]): `name` as config gives
    it (its name or UAI), the half-days it accepts (`allowed`) and those it prefers."""

    name: str
    allowed: Availability | None = None
    preferred: Availability | None = None


@dataclass(frozen=True)
class PlanAmbassador:
    """What the plan needs of an ambassador: who, their company, when they are free."""

    id: str
    company: str | None = None
    availability: Availability = field(default_factory=Availability)


@dataclass(frozen=True)
class Event:
    """One temps fort of one class, on `half_days` (the first is when it starts)."""

    class_id: str
    kind: str
    half_days: tuple[HalfDay, ...]
    attendees: tuple[str, ...]
    place: str
    where: str
    school: str
    status: str = PROPOSED

    @property
    def start(self) -> HalfDay:
        return self.half_days[0]

    @property
    def key(self) -> tuple[str, str]:
        return self.class_id, self.kind


@dataclass(frozen=True)
class Unplaced:
    """A temps fort that could not be planned for a class, with the reason (French)."""

    class_id: str
    kind: str
    reason: str


@dataclass(frozen=True)
class PlanSettings:
    """`visits_per_week`: at most this many company visits per company and ISO week.
    `solver_seconds`: CP-SAT's deterministic time budget (same input → same plan), shared
    by the small models the plan is solved in (`chunk_tasks` events each, `max_options`
    candidate half-days per event); 0 keeps the greedy plan (no solver)."""

    visits_per_week: int = 2
    solver_seconds: float = 8.0
    max_options: int = 12
    chunk_tasks: int = 60


@dataclass
class Plan:
    """The year's events, what could not be placed, and published events that had to move."""

    events: list[Event]
    unplaced: list[Unplaced]
    moved: list[tuple[Event, str]] = field(default_factory=list)
    solver_status: str = ""
