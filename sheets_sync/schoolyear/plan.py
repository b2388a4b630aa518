"""Plan the year: one event per paired class and temps fort, on a half-day that suits everyone.

Hard rules (never broken by a new event): inside the temps fort's window; on consecutive open
half-days of the school (calendar, config closures, the school's own availability); every
attendee available; an ambassador never in two events on the same half-day, nor a class;
at most N visits per company and ISO week. Confirmed (and held) events never move (they are
kept as they are, even if they no longer fit: season.py reports the clashes); cancelled
events stay, status CANCELLED, and take no half-day; pairs held without a day are not
planned; published events are kept unless they became
impossible, and then re-planned, with the reason in `Plan.moved`. Soft rules: spread events
of a school and of an ambassador over the weeks, and keep lancement < immersion <
restitution (the temps forts' order) for a class.

This module builds each task's candidate options (every one valid on its own) and explains
what cannot be placed; `solve.py` picks among them (a greedy plan, then OR-Tools CP-SAT,
imported only there and only when planning: `check` and `--help` never load it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from .availability import Availability
from .calendar import HalfDay, SchoolCalendar, french_date
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
    Plan,
    PlanAmbassador,
    PlanSettings,
    TempsFort,
    Unplaced,
)
from .solve import Option, Task, Usage, solve

_T = TypeVar("_T")


def plan_year(
    classes: Sequence[PairedClass],
    kinds: Sequence[TempsFort],
    calendar: SchoolCalendar,
    ambassadors: Mapping[str, PlanAmbassador],
    *,
    published: Iterable[Event] = (),
    confirmed: Iterable[Event] = (),
    school_availability: Mapping[str, Availability] | None = None,
    preferred: Mapping[str, Availability] | None = None,
    settings: PlanSettings | None = None,
    skip: Iterable[tuple[str, str]] = (),
    cancelled: Iterable[Event] = (),
) -> Plan:
    """The events of the year for `classes` × `kinds` (pure: no I/O, same input → same plan).

    `school_availability` (by PairedClass.school): the only half-days a school accepts;
    `preferred`: the half-days it prefers, the only ones offered to the search for its new
    events whenever one of them fits (else every accepted half-day is). `skip`: (class,
    temps fort) pairs not to plan (held without a day, cancelled); `cancelled`: events kept
    as they are, status CANCELLED, taking no one's half-day (exporters show them cancelled).
    A confirmed event given with status HELD keeps it."""
    settings = settings or PlanSettings()
    schools = school_availability or {}
    liked = preferred or {}
    classes = sorted(classes, key=lambda c: c.class_id)
    by_class = {c.class_id: c for c in classes}
    kind_names = {k.name for k in kinds}
    usage = Usage(settings.visits_per_week)

    fixed: list[Event] = []
    done: set[tuple[str, str]] = set()
    for event in sorted(confirmed, key=_event_order):
        if event.key in done or event.class_id not in by_class or event.kind not in kind_names:
            continue
        fixed.append(replace(event, status=HELD if event.status == HELD else CONFIRMED))
        done.add(event.key)
        usage.add(event.class_id, event.school, event.half_days, event.attendees,
                  _company_of(event))

    for event in sorted(cancelled, key=_event_order):
        if event.key in done or event.class_id not in by_class or event.kind not in kind_names:
            continue
        fixed.append(replace(event, status=CANCELLED))
        done.add(event.key)
    done.update(skip)

    moved: list[tuple[Event, str]] = []
    kind_by_name = {k.name: k for k in kinds}
    for event in sorted(published, key=_event_order):
        if event.key in done or event.class_id not in by_class or event.kind not in kind_names:
            continue
        cls, kind = by_class[event.class_id], kind_by_name[event.kind]
        why = _published_problem(event, cls, kind, calendar, ambassadors, schools, usage)
        if why:
            moved.append((event, why))
            continue
        fixed.append(replace(event, status=PUBLISHED))
        done.add(event.key)
        usage.add(event.class_id, event.school, event.half_days, event.attendees,
                  _company_of(event))

    tasks: list[Task] = []
    open_cache: dict[tuple[dt.date, dt.date], list[HalfDay]] = {}
    free_cache: dict[tuple[str, str], frozenset[HalfDay]] = {}
    for cls in classes:
        for order, kind in enumerate(kinds):
            if (cls.class_id, kind.name) in done:
                continue
            window = (kind.start, kind.end)
            if window not in open_cache:
                open_cache[window] = calendar.open_half_days(kind.start, kind.end)
            task = Task(len(tasks), cls, kind, order, [])
            task.options, task.reason = _options(task, open_cache[window], ambassadors,
                                                 schools.get(cls.school), usage, settings,
                                                 free_cache, liked.get(cls.school))
            tasks.append(task)

    chosen, status = solve(tasks, usage, settings)
    events = list(fixed)
    unplaced: list[Unplaced] = []
    for task in tasks:
        option = chosen.get(task.index)
        if option is None:
            reason = task.reason or (
                "Toutes les demi-journées possibles sont déjà prises (ambassadeurs, classe "
                "ou visites de l'entreprise cette semaine-là).")
            unplaced.append(Unplaced(task.cls.class_id, task.kind.name, reason))
            continue
        events.append(Event(task.cls.class_id, task.kind.name, option.halves, option.attendees,
                            task.kind.place, option.where, task.cls.school))
    events.sort(key=_event_order)
    return Plan(events, unplaced, moved, status)


def _event_order(event: Event) -> tuple[HalfDay, str, str]:
    return event.start, event.class_id, event.kind


def _company_of(event: Event) -> str | None:
    return event.where if event.place == COMPANY else None


def _runs(open_halves: list[HalfDay], duration: int) -> list[tuple[HalfDay, ...]]:
    """Every `duration` consecutive open half-days (no closed half-day in between)."""
    if duration == 1:
        return [(h,) for h in open_halves]
    runs = []
    for i in range(len(open_halves) - duration + 1):
        run = tuple(open_halves[i:i + duration])
        if all(_next_half(a) == b for a, b in itertools.pairwise(run)):
            runs.append(run)
    return runs


def _next_half(half: HalfDay) -> HalfDay:
    if not half.afternoon:
        return HalfDay(half.day, True)
    return HalfDay(half.day + dt.timedelta(days=1), False)


def _free(person: PlanAmbassador, kind: TempsFort, halves: list[HalfDay],
          cache: dict[tuple[str, str], frozenset[HalfDay]]) -> frozenset[HalfDay]:
    """The window's open half-days when `person` is available (once per person and window)."""
    key = (person.id, kind.name)
    if key not in cache:
        cache[key] = frozenset(h for h in halves if person.availability.allows(h))
    return cache[key]


def _options(task: Task, open_halves: list[HalfDay],
             ambassadors: Mapping[str, PlanAmbassador], school: Availability | None,
             usage: Usage, settings: PlanSettings,
             cache: dict[tuple[str, str], frozenset[HalfDay]],
             liked: Availability | None = None) -> tuple[list[Option], str]:
    """Every valid way to hold the task (at most `max_options`), or why there is none."""
    cls, kind = task.cls, task.kind
    if not cls.ambassadors:
        return [], "La classe n'a aucun ambassadeur apparié."
    halves = [h for h in open_halves if school is None or school.allows(h)]
    runs = _runs(halves, kind.duration)
    if not runs:
        return [], (f"Le collège n'a aucune demi-journée ouverte entre le "
                    f"{french_date(kind.start)} et le {french_date(kind.end)}.")
    members = [ambassadors.get(a) for a in cls.ambassadors]
    groups = ([tuple(cls.ambassadors)] if kind.attendance == ALL
              else [(a,) for a in cls.ambassadors])
    candidates: list[tuple[tuple[HalfDay, ...], tuple[str, ...], str | None, str]] = []
    no_company = False
    for group in groups:
        people = [ambassadors.get(a) for a in group]
        if any(p is None for p in people):
            continue
        lead = people[0]
        company = None
        where = cls.school
        if kind.place == COMPANY:
            company = lead.company if lead else None
            if not company:
                no_company = True
                continue
            where = company
        elif kind.place == VENUE:
            where = kind.venue or "lieu à préciser"
        free = [_free(p, kind, open_halves, cache) for p in people if p is not None]
        if kind.duration == 1:
            common = frozenset.intersection(*free)
            candidates.extend(((h,), group, company, where) for h in halves if h in common)
        else:
            candidates.extend((r, group, company, where) for r in runs
                              if all(h in f for f in free for h in r))
    candidates.sort(key=lambda c: (c[0], c[1]))
    fitting = [c for c in candidates if usage.fits(cls.class_id, c[0], c[1], c[2])]
    if liked is not None:  # soft: the preferred half-days when one fits, else any
        fitting = [c for c in fitting if all(liked.allows(h) for h in c[0])] or fitting
    options = [Option(task.index, *c)
               for c in _thin(fitting, settings.max_options, cls.class_id + kind.name)]
    if not options:
        missing = [a for a, m in zip(cls.ambassadors, members, strict=True) if m is None]
        if missing and (kind.attendance == ALL or len(missing) == len(members)):
            return [], (f"Ambassadeur absent de la liste des ambassadeurs : "
                        f"{', '.join(missing)}.")
        if no_company:
            return [], ("Visite d'entreprise impossible : l'entreprise de l'ambassadeur "
                        "n'est pas renseignée.")
        window = f"du {french_date(kind.start)} au {french_date(kind.end)}"
        if kind.attendance == ALL and len(groups[0]) > 1:
            return [], (f"Aucune demi-journée ouverte {window} où les ambassadeurs de la "
                        "classe sont tous disponibles et libres.")
        return [], (f"Aucune demi-journée ouverte {window} où un ambassadeur de la classe est "
                    "disponible et libre.")
    return options, ""


def _thin(options: list[_T], limit: int, seed: str) -> list[_T]:
    """Keep at most `limit` options, evenly spread over the window, with a per-class offset so
    that classes do not all get the same half-days (deterministic)."""
    if len(options) <= limit:
        return options
    step = len(options) / limit
    offset = (zlib.crc32(seed.encode()) % 1000) / 1000 * step
    picked = sorted({int(offset + i * step) % len(options) for i in range(limit)})
    return [options[i] for i in picked]


def _published_problem(event: Event, cls: PairedClass, kind: TempsFort,
                       calendar: SchoolCalendar, ambassadors: Mapping[str, PlanAmbassador],
                       schools: Mapping[str, Availability], usage: Usage) -> str:
    """Why a published event can no longer be held as published ('' when it still can)."""
    if len(event.half_days) != kind.duration or not event.half_days:
        return "la durée du temps fort a changé"
    for half in event.half_days:
        if not kind.start <= half.day <= kind.end:
            return "la date est hors de la période du temps fort"
        closed = calendar.closed_reason(half)
        if closed:
            return f"le collège est fermé ({closed})"
        school = schools.get(cls.school)
        if school is not None and not school.allows(half):
            return "le collège a exclu cette demi-journée"
    if [h for h in _runs(list(event.half_days), kind.duration)] != [event.half_days]:
        return "les demi-journées ne se suivent plus"
    current = set(cls.ambassadors)
    if not event.attendees or not set(event.attendees) <= current:
        return "les ambassadeurs de la classe ont changé"
    if kind.attendance == ALL and set(event.attendees) != current:
        return "les ambassadeurs de la classe ont changé"
    for a in event.attendees:
        member = ambassadors.get(a)
        if member is None or not all(member.availability.allows(h) for h in event.half_days):
            return f"l'ambassadeur {a} n'est plus disponible"
    if kind.place == COMPANY and event.where != ambassadors[event.attendees[0]].company:
        return "l'entreprise visitée a changé"
    if event.place != kind.place:
        return "le lieu du temps fort a changé"
    if not usage.fits(event.class_id, event.half_days, event.attendees, _company_of(event)):
        return "la demi-journée est prise par un événement confirmé ou un autre événement publié"
    return ""


