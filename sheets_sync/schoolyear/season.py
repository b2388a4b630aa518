"""The year a sync shows: the plan of temps forts for this sync's pairings (pure: no I/O).

    pairings ─┐
    calendar ─┤
    state tab ─┼─► year_plan ──► YearPlan ──► « Calendrier », « Temps forts », .ics, state tab
    « Suivi » ─┘   (events published by the last sync kept, confirmed days fixed)

What the last sync published (form/sessions.PublishedEvent) comes back as published events:
kept unless they became impossible (`Plan.moved` says why). A day typed as confirmed or held
in « Suivi de l'année » becomes a confirmed event: that day, on the half-day the event was
published on (else the morning), attended by the class's ambassadors; it never moves.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..form.sessions import PublishedEvent, pseudonym
from .availability import Availability
from .calendar import HalfDay, SchoolCalendar
from .exports import paired_classes
from .model import (
    ALL,
    COMPANY,
    CONFIRMED,
    PUBLISHED,
    VENUE,
    Event,
    PairedClass,
    PlanAmbassador,
    SchoolDays,
    TempsFort,
)
from .tracking import FollowUp
from .year import YearPlan

if TYPE_CHECKING:
    from ..ambassadors.sponsoring import Sponsorship
    from ..cells.grid import Grid
    from ..config import SchoolYear


def year_plan(year: SchoolYear, calendar: SchoolCalendar, sponsorship: Sponsorship,
              remembered: Sequence[PublishedEvent], follow_up: FollowUp,
              today: dt.date) -> YearPlan:
    """Plan the year for the paired classes of `sponsorship`, keeping what was published."""
    from .plan import plan_year  # the solver loads only when a year is planned

    classes, people, names = paired_classes(sponsorship)
    kinds = {k.name: k for k in year.kinds}
    by_class = {c.class_id: c for c in classes}
    allowed, preferred = school_days(year.schools, sponsorship)
    published = published_events(remembered, by_class, kinds, people)
    starts = {e.key: e.start for e in published}
    confirmed = confirmed_events(follow_up.confirmed_days(), starts, by_class, kinds, people)
    plan = plan_year(classes, year.kinds, calendar, people, published=published,
                     confirmed=confirmed, school_availability=allowed, preferred=preferred,
                     settings=year.plan)
    return YearPlan(plan, tuple(classes), tuple(year.kinds), names, today, follow_up)


def read_follow_up(grids: Sequence[Grid], tab: str, kinds: Sequence[str],
                   classes: Mapping[str, tuple[str, str]]) -> FollowUp:
    """« Suivi de l'année » as schoolyear/tracking.py reads it (an empty follow-up where that
    reader is not there)."""
    from . import tracking

    reader = getattr(tracking, "read_follow_up", None)
    return reader(grids, tab, kinds, classes) if reader is not None else FollowUp()


def class_names(sponsorship: Sponsorship) -> dict[str, tuple[str, str]]:
    """Class id → (school name, class label): how « Suivi de l'année » names a class."""
    return {c.unit.id: (c.school.name or c.school.reference or c.unit.school, c.label)
            for c in sponsorship.classes}


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.casefold().replace("-", " ").split())


def school_days(schools: Sequence[SchoolDays], sponsorship: Sponsorship
                ) -> tuple[dict[str, Availability], dict[str, Availability]]:
    """The half-days each school accepts and prefers, keyed as PairedClass.school is; a
    config name matches a school's UAI or key, its name or its name in the reference list
    (case, accents and hyphens free)."""
    keys: dict[str, str] = {}
    for c in sponsorship.classes:
        for text in (c.unit.school, c.school.name, c.school.reference):
            if text:
                keys.setdefault(_fold(text), c.unit.school)
    allowed: dict[str, Availability] = {}
    preferred: dict[str, Availability] = {}
    for school in schools:
        key = keys.get(_fold(school.name))
        if key is None:
            continue
        if school.allowed is not None and not school.allowed.unconstrained:
            allowed[key] = school.allowed
        if school.preferred is not None and not school.preferred.unconstrained:
            preferred[key] = school.preferred
    return allowed, preferred


def _following(start: HalfDay, count: int) -> tuple[HalfDay, ...]:
    """`count` consecutive half-days from `start` (morning, afternoon, next morning…)."""
    halves = [start]
    while len(halves) < count:
        last = halves[-1]
        halves.append(HalfDay(last.day, True) if not last.afternoon
                      else HalfDay(last.day + dt.timedelta(days=1), False))
    return tuple(halves)


def _where(kind: TempsFort, cls: PairedClass, attendees: Sequence[str],
           people: Mapping[str, PlanAmbassador]) -> str:
    """Where the plan would hold it: the school, the first attendee's company, the venue."""
    if kind.place == COMPANY:
        lead = people.get(attendees[0]) if attendees else None
        return (lead.company if lead else None) or ""
    if kind.place == VENUE:
        return kind.venue or "lieu à préciser"
    return cls.school


def _free(person: PlanAmbassador | None, halves: Iterable[HalfDay]) -> bool:
    return person is not None and all(person.availability.allows(h) for h in halves)


def published_events(remembered: Sequence[PublishedEvent], classes: Mapping[str, PairedClass],
                     kinds: Mapping[str, TempsFort],
                     people: Mapping[str, PlanAmbassador]) -> list[Event]:
    """The events the last sync published, as the plan takes them back (status publié).

    Attendees are the remembered pseudonyms translated through the class's current
    ambassadors; without them (or when none is still paired to the class), the class's
    ambassadors for « tous », else the first one free then. A class or temps fort no longer
    there is left out: nothing to plan for it."""
    out = []
    for old in remembered:
        cls, kind = classes.get(old.class_id), kinds.get(old.kind)
        if cls is None or kind is None:
            continue
        halves = _following(HalfDay(old.day, old.afternoon), old.half_days)
        by_alias = {pseudonym(a): a for a in cls.ambassadors}
        attendees = tuple(dict.fromkeys(by_alias.get(p, p) for p in old.attendees))
        if not attendees or not set(attendees) & set(cls.ambassadors):
            if kind.attendance == ALL:
                attendees = cls.ambassadors
            else:
                free = [a for a in cls.ambassadors if _free(people.get(a), halves)]
                attendees = tuple(free or cls.ambassadors)[:1]
        out.append(Event(cls.class_id, kind.name, halves, attendees, kind.place,
                         _where(kind, cls, attendees, people), cls.school, PUBLISHED))
    return out


def confirmed_events(days: Mapping[tuple[str, str], dt.date],
                     starts: Mapping[tuple[str, str], HalfDay],
                     classes: Mapping[str, PairedClass], kinds: Mapping[str, TempsFort],
                     people: Mapping[str, PlanAmbassador]) -> list[Event]:
    """The days « Suivi de l'année » confirms, as confirmed events: on the half-day the
    event was published on when it is that day, else the morning."""
    out = []
    for (class_id, name), day in sorted(days.items()):
        cls, kind = classes.get(class_id), kinds.get(name)
        if cls is None or kind is None or not cls.ambassadors:
            continue
        start = starts.get((class_id, name))
        first = start if start is not None and start.day == day else HalfDay(day, False)
        halves = _following(first, kind.duration)
        out.append(Event(class_id, name, halves, cls.ambassadors, kind.place,
                         _where(kind, cls, cls.ambassadors, people), cls.school, CONFIRMED))
    return out


__all__ = ["class_names", "confirmed_events", "published_events", "read_follow_up",
           "school_days", "year_plan"]
