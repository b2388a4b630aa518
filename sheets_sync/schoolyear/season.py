"""The year a sync shows: the plan of temps forts for this sync's pairings (pure: no I/O).

    pairings ─┐
    calendar ─┤
    state tab ─┼─► year_plan ──► YearPlan ──► « Calendrier », « Temps forts », .ics, state tab
    « Suivi » ─┘   (events published by the last sync kept, confirmed days fixed)

What the last sync published (form/sessions.PublishedEvent) comes back as published events:
kept unless they became impossible (`Plan.moved` says why). A day typed as confirmed or held
in « Suivi de l'année » becomes a confirmed event: that day, on the half-day the event was
published on (else the morning), with its published attendees and place when it is that
half-day; it never moves. Clashes and days the calendar closes are warnings with the cell.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..cells.a1 import to_a1
from ..form.findings import Issue, make_issue
from ..form.sessions import PublishedEvent, pseudonym
from .availability import Availability
from .calendar import HalfDay, SchoolCalendar, french_date
from .exports import paired_classes
from .model import (
    ALL,
    CANCELLED,
    COMPANY,
    CONFIRMED,
    HELD,
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
    """Plan the year for the paired classes of `sponsorship`, keeping what was published.

    « Suivi de l'année » decides first: a day typed as confirmed or held is fixed (checked
    against the calendar: warnings, the day is kept); a pair marked « tenu » without a day took
    place (no event, not unplaced); a pair marked « annulé » is not planned anew (its published
    event stays, status CANCELLED, taking nobody's half-day). The new warnings join the
    follow-up's issues in the YearPlan."""
    from .plan import plan_year  # the solver loads only when a year is planned

    classes, people, names = paired_classes(sponsorship)
    kinds = {k.name: k for k in year.kinds}
    by_class = {c.class_id: c for c in classes}
    allowed, preferred = school_days(year.schools, sponsorship)
    held, cancelled = follow_up.held(), follow_up.cancelled()
    published = published_events(remembered, by_class, kinds, people)
    by_key = {e.key: e for e in published}
    days = {k: d for k, d in follow_up.confirmed_days().items() if k not in cancelled}
    confirmed = confirmed_events(days, {k: e.start for k, e in by_key.items()}, by_class,
                                 kinds, people, published=by_key, held=held)
    kept_cancelled = [replace(e, status=CANCELLED) for e in published if e.key in cancelled]
    skip = ({k for k in held if k not in days} | cancelled)
    plan = plan_year(classes, year.kinds, calendar, people,
                     published=[e for e in published if e.key not in skip],
                     confirmed=confirmed, school_availability=allowed, preferred=preferred,
                     settings=year.plan, skip=skip, cancelled=kept_cancelled)
    issues = [*unknown_schools(year.schools, sponsorship),
              *day_issues(confirmed, kinds, calendar, follow_up),
              *clash_issues(confirmed, follow_up)]
    if issues:
        follow_up = replace(follow_up, issues=(*follow_up.issues, *issues))
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


def unknown_schools(schools: Sequence[SchoolDays], sponsorship: Sponsorship) -> list[Issue]:
    """A warning for each [[annee_scolaire.etablissements]] naming no school of the campaign
    (a typo: its half-days would apply to nothing), with the closest name when one is close."""
    names: dict[str, str] = {}
    for c in sponsorship.classes:
        for text in (c.unit.school, c.school.name, c.school.reference):
            if text:
                names.setdefault(_fold(text), c.school.name or c.school.reference or c.unit.school)
    issues = []
    for n, school in enumerate(schools, start=1):
        if _fold(school.name) in names:
            continue
        close = difflib.get_close_matches(_fold(school.name), list(names), n=1, cutoff=0.8)
        hint = f" Vouliez-vous dire « {names[close[0]]} » ?" if close else ""
        issues.append(make_issue("config-etablissement-inconnu", tab="config.toml",
                                 field=f"annee_scolaire.etablissements[{n}].nom",
                                 value=school.name, number=n, hint=hint))
    return issues


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
                     people: Mapping[str, PlanAmbassador], *,
                     published: Mapping[tuple[str, str], Event] | None = None,
                     held: Iterable[tuple[str, str]] = ()) -> list[Event]:
    """The days « Suivi de l'année » confirms, as confirmed events (HELD for a pair marked
    « tenu »): on the half-day the event was published on when it is that day, else the
    morning.

    Confirmed on the half-day it was published on, the event keeps its place and its
    attendees (« tous »: the class's ambassadors, as published unless the pairing changed).
    Else « tous » brings the class's ambassadors, and « au-moins-un » one of them
    (`_attendees`); a clash left is reported by `clash_issues`."""
    published = published or {}
    held = frozenset(held)
    out: list[Event] = []
    busy: set[tuple[str, HalfDay]] = set()
    for (class_id, name), day in sorted(days.items()):
        cls, kind = classes.get(class_id), kinds.get(name)
        if cls is None or kind is None or not cls.ambassadors:
            continue
        old = published.get((class_id, name))
        start = starts.get((class_id, name))
        first = start if start is not None and start.day == day else HalfDay(day, False)
        halves = _following(first, kind.duration)
        status = HELD if (class_id, name) in held else CONFIRMED
        if old is not None and old.half_days == halves and old.attendees:
            attendees = cls.ambassadors if kind.attendance == ALL else old.attendees
            where = old.where  # as published: the company never changes silently
        else:
            attendees = _attendees(kind, cls, halves, people, busy, old)
            where = (old.where if old is not None and old.attendees == attendees
                     and old.place == kind.place else _where(kind, cls, attendees, people))
        busy.update((a, h) for a in attendees for h in halves)
        out.append(Event(class_id, name, halves, attendees, kind.place, where, cls.school,
                         status))
    return out


def _attendees(kind: TempsFort, cls: PairedClass, halves: Sequence[HalfDay],
               people: Mapping[str, PlanAmbassador], busy: set[tuple[str, HalfDay]],
               old: Event | None) -> tuple[str, ...]:
    """Who attends a confirmed event not held as published: « tous », the class's
    ambassadors; « au-moins-un », one: the first free published attendee (free: available,
    in no other confirmed event then), else a free ambassador of the class — visiting the
    published company when it is held at one (the company never changes silently) — else
    the first published attendee anyway, else the class's first ambassador (a clash is then
    reported)."""
    if kind.attendance == ALL:
        return cls.ambassadors

    def free(a: str) -> bool:
        return _free(people.get(a), halves) and not any((a, h) in busy for h in halves)

    before = tuple(a for a in (old.attendees if old else ()) if a in cls.ambassadors)
    company = old.where if old is not None and kind.place == COMPANY else None
    chosen = [a for a in (*before, *cls.ambassadors) if free(a) and (
        company is None or (people[a].company if a in people else None) == company)]
    return tuple(chosen[:1]) or before[:1] or cls.ambassadors[:1]


def _date_cell(follow_up: FollowUp, row: int) -> str:
    column = dict(follow_up.columns).get("date", 1)
    return to_a1(row, column)


def _issue(follow_up: FollowUp, code: str, row: int, value: object, **extra: object) -> Issue:
    return make_issue(code, tab=follow_up.tab or follow_up.sheet, cell=_date_cell(follow_up, row),
                      field="date", label="Date", value=value, row=row, line=row, **extra)


def day_issues(confirmed: Sequence[Event], kinds: Mapping[str, TempsFort],
               calendar: SchoolCalendar, follow_up: FollowUp) -> list[Issue]:
    """Warnings for a typed day the plan would never pick: outside its temps fort's window
    (`suivi-date-hors-periode`), on a weekend (`suivi-date-weekend`), on a half-day the
    school is closed (`suivi-date-fermee`, naming the holiday, public holiday, closure or
    weekly closed half-day). The day is kept: people typed it."""
    rows = {(r.class_id, r.kind): r.row for r in follow_up.rows if r.is_event}
    issues = []
    for event in confirmed:
        row, kind = rows.get(event.key), kinds.get(event.kind)
        if row is None or kind is None:
            continue
        day = event.start.day
        shown = french_date(day)
        if not kind.start <= day <= kind.end:
            issues.append(_issue(follow_up, "suivi-date-hors-periode", row, shown,
                                 kind=kind.name, start=french_date(kind.start),
                                 end=french_date(kind.end)))
        if any(h.day.weekday() >= 5 for h in event.half_days):
            issues.append(_issue(follow_up, "suivi-date-weekend", row, shown, kind=kind.name))
            continue
        reasons = dict.fromkeys(r for h in event.half_days
                                if (r := calendar.closed_reason(h)) is not None)
        if reasons:
            issues.append(_issue(follow_up, "suivi-date-fermee", row, shown, kind=kind.name,
                                 reason=", ".join(reasons)))
    return issues


def clash_issues(confirmed: Sequence[Event], follow_up: FollowUp) -> list[Issue]:
    """`suivi-conflit` (on the later row's date cell) when a person or a class is in two
    confirmed or held events on the same half-day."""
    rows = {(r.class_id, r.kind): r.row for r in follow_up.rows if r.is_event}
    first: dict[tuple[str, str, HalfDay], Event] = {}
    issues: list[Issue] = []
    reported: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    ordered = sorted(confirmed, key=lambda e: (rows.get(e.key, 0), e.key))
    for event in ordered:
        keys = [("classe", event.class_id, h) for h in event.half_days]
        keys += [("ambassadeur", a, h) for a in event.attendees for h in event.half_days]
        for what, who, half in keys:
            other = first.setdefault((what, who, half), event)
            if other is event or (other.key, event.key) in reported:
                continue
            reported.add((other.key, event.key))
            row = rows.get(event.key)
            if row is None:
                continue
            issues.append(_issue(follow_up, "suivi-conflit", row, french_date(half.day),
                                 kind=event.kind, other=rows.get(other.key, "?"),
                                 other_kind=other.kind,
                                 half=("après-midi" if half.afternoon else "matin"),
                                 who=("la classe" if what == "classe"
                                      else "un même ambassadeur")))
    return issues


__all__ = ["clash_issues", "class_names", "confirmed_events", "day_issues", "published_events",
           "read_follow_up", "school_days", "year_plan"]
