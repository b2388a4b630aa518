"""The plan as calendars: one per class, per school and per ambassador (pure: no file, no clock).

    Plan ──► calendar_files ──► CalendarFile(« classe-… », events) ──► backends/ics.py (.ics)

Each event keeps one UID for a (class, temps fort) pair, derived from both: re-exporting after a
sync updates the event in the calendars people imported instead of adding a second one, and
the same event in a class's, its school's and an ambassador's file is one event. Times are the
wall-clock hours of a collège's half-day in Europe/Paris (the backend writes the VTIMEZONE).

What the files say is French and carries no phone number nor e-mail address of anyone:
ambassadors appear by their public name (their name with consent, else job and sector), the
one exception being an ambassador's own file, titled with their own name; what typed text
(a school's name, a company) carries of contacts is masked (form/contacts.mask), as in the
partners' tabs.

An event says what « Calendrier » says (`shown_status`): « tenu » once « Suivi de l'année »
says it was held (STATUS:CONFIRMED), « annulé » once it says it will not take place
(STATUS:CANCELLED, its SEQUENCE raised: a calendar that imported it marks it cancelled).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..form.contacts import mask
from .model import (
    CANCELLED,
    COMPANY,
    CONFIRMED,
    HELD,
    SCHOOL,
    VENUE,
    Event,
    PairedClass,
    Plan,
    PlanAmbassador,
)

if TYPE_CHECKING:
    from ..ambassadors.sponsoring import Sponsorship

# a collège's half-days, wall-clock time in Europe/Paris
HOURS = {False: (dt.time(9, 0), dt.time(12, 0)), True: (dt.time(14, 0), dt.time(17, 0))}
UID_DOMAIN = "sheets-sync.proch-orientation"
_PLACES = {SCHOOL: "au collège", COMPANY: "dans l'entreprise d'un ambassadeur", VENUE: "lieu"}
Key = tuple[str, str]  # (class id, temps fort)


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT: `start` and `end` are naive wall-clock times in Europe/Paris."""

    uid: str
    summary: str
    location: str
    description: str
    start: dt.datetime
    end: dt.datetime
    confirmed: bool = False
    cancelled: bool = False

    @property
    def fingerprint(self) -> str:
        """What, when it changes, makes a calendar application show the event as updated."""
        parts = (self.summary, self.location, self.description, self.start.isoformat(),
                 self.end.isoformat(), str(self.confirmed))
        # « annulé » only when it is: the events of earlier exports keep their fingerprint
        text = "|".join((*parts, "annulé") if self.cancelled else parts)
        return hashlib.sha1(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class CalendarFile:
    """One .ics file: `stem` is its file name without « .ics » (unique in the folder)."""

    kind: str  # "classe" | "etablissement" | "ambassadeur"
    stem: str
    title: str
    events: tuple[CalendarEvent, ...]


@dataclass(frozen=True)
class Names:
    """How people and places are shown: class labels (« 4ème n°1 »), school names, and each
    ambassador's public name (partners' rule) and own name (for their own file's title)."""

    classes: Mapping[str, str] = field(default_factory=dict)
    schools: Mapping[str, str] = field(default_factory=dict)
    public: Mapping[str, str] = field(default_factory=dict)
    own: Mapping[str, str] = field(default_factory=dict)


def event_uid(class_id: str, kind: str) -> str:
    """The stable UID of a class's temps fort (RFC 5545 §3.8.4.7: globally unique)."""
    digest = hashlib.sha1(f"{class_id}\x1f{kind}".encode()).hexdigest()[:24]
    return f"{digest}@{UID_DOMAIN}"


def slug(text: str) -> str:
    """A file-name-safe form: « Collège Jean Macé » → « college-jean-mace »."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:80] or "sans-nom"


def half_day_times(event: Event) -> tuple[dt.datetime, dt.datetime]:
    """From the start of its first half-day to the end of its last."""
    first, last = event.half_days[0], event.half_days[-1]
    return (dt.datetime.combine(first.day, HOURS[first.afternoon][0]),
            dt.datetime.combine(last.day, HOURS[last.afternoon][1]))


def shown_status(event: Event, held: frozenset[Key] = frozenset(),
                 cancelled: frozenset[Key] = frozenset()) -> str:
    """The event's status as « Calendrier » shows it (dashboards/year_tabs.status_of): « tenu »
    or « annulé » once « Suivi de l'année » says so (`held`, `cancelled`: its pairs, as
    dashboards/year_review.year_figures reads them, or the event's own status), else the
    plan's."""
    if event.key in held or event.status == HELD:
        return HELD
    return CANCELLED if event.key in cancelled else event.status


def _calendar_event(event: Event, names: Names, status: str) -> CalendarEvent:
    school = names.schools.get(event.school, event.school)
    label = names.classes.get(event.class_id, event.class_id)
    who = ", ".join(names.public.get(a, a) for a in event.attendees) or "à préciser"
    where = school if event.place == SCHOOL else event.where
    start, end = half_day_times(event)
    said = status if status in (CONFIRMED, HELD, CANCELLED) else f"{status}, à confirmer"
    description = "\n".join((
        f"Temps fort « {event.kind} » des classes Proch'Orientation.",
        f"Classe : {label} — {school}",
        f"Lieu : {where} ({_PLACES.get(event.place, event.place)})",
        f"Ambassadeurs : {who}",
        f"Statut : {said}",
    ))
    summary = f"{event.kind.capitalize()} — {label} ({school})"
    if status == CANCELLED:
        summary = f"Annulé : {summary}"
    return CalendarEvent(event_uid(event.class_id, event.kind), mask(summary), mask(where),
                         mask(description), start, end, status in (CONFIRMED, HELD),
                         status == CANCELLED)


def calendar_files(plan: Plan, classes: Sequence[PairedClass], names: Names, *,
                   held: frozenset[Key] = frozenset(),
                   cancelled: frozenset[Key] = frozenset()) -> list[CalendarFile]:
    """Every calendar to write: one per paired class (even with no event placed yet), one per
    school, one per ambassador paired to a class; in a stable order. `held` and `cancelled`
    are the pairs « Suivi de l'année » marks so (see `shown_status`)."""
    events = sorted(plan.events, key=lambda e: (e.start, e.class_id, e.kind))
    shown = {e.key: _calendar_event(e, names, shown_status(e, held, cancelled))
             for e in events}
    files: list[CalendarFile] = []
    for cls in sorted(classes, key=lambda c: c.class_id):
        mine = tuple(shown[e.key] for e in events if e.class_id == cls.class_id)
        label = names.classes.get(cls.class_id, cls.class_id)
        school = names.schools.get(cls.school, cls.school)
        files.append(CalendarFile("classe", f"classe-{slug(cls.class_id)}",
                                  mask(f"Temps forts — {label}, {school}"), mine))
    for key in sorted({c.school for c in classes}):
        school = names.schools.get(key, key)
        mine = tuple(shown[e.key] for e in events if e.school == key)
        files.append(CalendarFile("etablissement", f"etablissement-{slug(key)}",
                                  mask(f"Temps forts — {school}"), mine))
    people = sorted({a for c in classes for a in c.ambassadors})
    for person in people:
        mine = tuple(shown[e.key] for e in events if person in e.attendees)
        own = names.own.get(person) or names.public.get(person, person)
        files.append(CalendarFile("ambassadeur", f"ambassadeur-{slug(person)}",
                                  mask(f"Temps forts — {own}"), mine))
    return _unique_stems(files)


def _unique_stems(files: list[CalendarFile]) -> list[CalendarFile]:
    seen: dict[str, int] = {}
    out = []
    for f in files:
        n = seen[f.stem] = seen.get(f.stem, 0) + 1
        out.append(f if n == 1 else CalendarFile(f.kind, f"{f.stem}-{n}", f.title, f.events))
    return out


def next_sequence(previous: tuple[int, str] | None, event: CalendarEvent) -> int:
    """SEQUENCE for an event already exported as (sequence, fingerprint): bumped only when
    what it says changed, so a calendar application takes the new version (RFC 5545
    §3.8.7.4); 0 for a new event. A cancelled event is at least 1: a calendar that imported
    it from an export we do not see (an attachment, another folder) had it at 0, and only a
    higher SEQUENCE makes it take the cancellation."""
    least = 1 if event.cancelled else 0
    if previous is None:
        return least
    sequence, fingerprint = previous
    return max(least, sequence if fingerprint == event.fingerprint else sequence + 1)


def paired_classes(sponsorship: Sponsorship) -> tuple[list[PairedClass],
                                                      dict[str, PlanAmbassador], Names]:
    """What `sheets-sync match` computed, as the plan takes it: every class with at least one
    ambassador (in the pairing's order), the roster's ambassadors (company, « Disponibilités »)
    and how to name classes, schools and people in the calendars."""
    by_class: dict[str, list[str]] = {}
    for pairing in sponsorship.result.pairings:
        by_class.setdefault(pairing.class_id, []).append(pairing.ambassador_id)
    classes = [PairedClass(c.unit.id, c.unit.school, tuple(by_class[c.unit.id]))
               for c in sponsorship.classes if by_class.get(c.unit.id)]
    people = {m.ambassador.id: PlanAmbassador(m.ambassador.id, m.company, m.availability)
              for m in sponsorship.members}
    names = Names(
        classes={c.unit.id: c.label for c in sponsorship.classes},
        schools={c.unit.school: c.school.reference or c.school.name or c.unit.school
                 for c in sponsorship.classes},
        public=sponsorship.public_names,
        own={m.ambassador.id: m.name for m in sponsorship.members},
    )
    return classes, people, names
