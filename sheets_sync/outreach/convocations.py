"""Convocations: one unsent .eml per ambassador and per school with a temps fort planned, its
calendar (.ics) attached.

    Plan, CalendarFile + its .ics bytes (backends/ics.calendar_texts), contacts
        ──► Convocation ──► DOSSIER/ambassadeur-….eml, etablissement-….eml (never sent)

The attachment is the very .ics written in the same export (same UIDs, same SEQUENCE): a
person who imports the attachment, then the file, or a later version of either, sees each
event updated, never doubled.

What the message says, in the order a principal or an ambassador reads it:

    Bonjour Rachid Roussel,                          (« Madame, Monsieur, » without a name)
    Voici les temps forts 2026-2027 …
    - mardi 13 octobre 2026, matin (9 h – 12 h) — Lancement — 4ème n°1 — au collège
      Avec : Nadia BENALI, Soudeur (Industrie) — à confirmer
    (what to do with dates to confirm; the attached calendar; signed by the coordination)

Other people appear by their public name only (`Names.public`: their name with consent, else
job and sector); an ambassador is greeted by their own name in their own convocation. No phone
number nor e-mail address of anyone is in the body: what typed text carries of them is masked
(form/contacts.mask). The recipient is one plain address (roster « Courriel » for an
ambassador, the answer's « courriel » for a school), else no To and the note the reminders use
(« [À effacer avant l'envoi] Aucune adresse connue… »). Headers, CRLF and file names follow
drafts.py.

An event says what « Calendrier » says (exports.shown_status): one « Suivi de l'année » marks
« tenu » has taken place and is left out (a draft is written only with an event to come); one
marked « annulé » is listed as cancelled, never to confirm, and its .ics removes it from the
agenda it was imported into. The Subject and the calendar's texts are masked as the body is.
An export removes the drafts of an earlier one it no longer makes (`remove_stale_drafts`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from ..backends.ics import remove_stale
from ..form.contacts import mask
from ..schoolyear.exports import CalendarFile, Key, Names, half_day_times, shown_status, slug
from ..schoolyear.model import CANCELLED, COMPANY, CONFIRMED, HELD, SCHOOL, Event, PairedClass, Plan
from ..schoolyear.names import MONTHS, WEEKDAYS
from .drafts import attach_calendar, file_name, message, write_messages
from .reminders import NO_ADDRESS, plain_address
from .wording import greeting, of_school

if TYPE_CHECKING:
    from ..ambassadors.sponsoring import Sponsorship

AMBASSADOR, ESTABLISHMENT = "ambassadeur", "etablissement"
TO_CONFIRM, CONFIRMED_TEXT = "à confirmer", "confirmé"
DRAFT_PATTERNS = (f"{AMBASSADOR}-*.eml", f"{ESTABLISHMENT}-*.eml")  # as write_convocations names


@dataclass(frozen=True)
class Contact:
    """How to write to someone, as typed: the e-mail (roster « Courriel », the answer's
    « courriel ») and the name to greet (the ambassador's, the school's referent)."""

    email: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Contacts:
    """Contacts by ambassador id and by school key (`PairedClass.school`)."""

    ambassadors: Mapping[str, Contact] = field(default_factory=dict)
    schools: Mapping[str, Contact] = field(default_factory=dict)


@dataclass(frozen=True)
class Convocation:
    """One draft: to an ambassador or a school (`kind`, `key`), its text, and its calendar."""

    kind: str  # AMBASSADOR | ESTABLISHMENT
    key: str  # ambassador id or school key
    email: str | None  # as typed; the recipient is `address`
    subject: str
    body: str
    calendar: CalendarFile
    ics: bytes  # the calendar's .ics, as written in the same export
    note: str | None = None  # for the coordinator, never meant to be sent

    @property
    def address(self) -> str | None:
        """The recipient: the typed e-mail when it is one plain address, else None."""
        return plain_address(self.email)


def contacts_of(sponsorship: Sponsorship) -> Contacts:
    """Each roster member's e-mail and name; each school's « courriel » and referent (the
    one cell « referent », else « referent_prenom » and « referent_nom »)."""
    ambassadors = {m.ambassador.id: Contact(m.email, m.name) for m in sponsorship.members}
    schools: dict[str, Contact] = {}
    for classroom in sponsorship.classes:
        values = classroom.school.values
        if classroom.unit.school not in schools:
            schools[classroom.unit.school] = Contact(_text(values.get("courriel")),
                                                     _referent(values))
    return Contacts(ambassadors, schools)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _referent(values: Mapping[str, object]) -> str | None:
    typed = _text(values.get("referent"))
    if typed:
        return typed
    parts = [p for p in (_text(values.get("referent_prenom")),
                         _text(values.get("referent_nom"))) if p]
    return " ".join(parts) or None


def build_convocations(plan: Plan, classes: Sequence[PairedClass], names: Names,
                       contacts: Contacts, files: Sequence[CalendarFile],
                       texts: Mapping[str, bytes], *, year: str, campaign: str,
                       held: frozenset[Key] = frozenset(),
                       cancelled: frozenset[Key] = frozenset()) -> list[Convocation]:
    """A convocation per school, then per ambassador, with at least one event not held yet
    (to come, or cancelled: a cancellation is news to whoever was convoked); `files` are
    `calendar_files(plan, classes, names, held=…, cancelled=…)` (in its order) and `texts`
    their .ics bytes by stem; `year` is « 2026-2027 », `campaign` signs (the config's name);
    `held` and `cancelled` as for `calendar_files`. Held events are left out, cancelled ones
    listed as « annulé »."""
    events = [replace(e, status=s) for e in plan.events
              if (s := shown_status(e, held, cancelled)) != HELD]
    events.sort(key=lambda e: (e.start, e.class_id, e.kind))
    by_school: dict[str, list[Event]] = {}
    by_person: dict[str, list[Event]] = {}
    for event in events:
        by_school.setdefault(event.school, []).append(event)
        for person in event.attendees:
            by_person.setdefault(person, []).append(event)
    unplaced = {u.class_id for u in plan.unplaced}
    pending_schools = {c.school for c in classes if c.class_id in unplaced}
    pending_people = {a for c in classes if c.class_id in unplaced for a in c.ambassadors}
    owned = _owners(classes, files)
    out: list[Convocation] = []
    for key, mine in sorted(by_school.items()):  # an only cancelled event is still news
        calendar = owned[ESTABLISHMENT, key]
        contact = contacts.schools.get(key, Contact())
        school = names.schools.get(key, key)
        body = _school_body(mine, names, contact, school, year) + _closing(
            mine, key in pending_schools, calendar, campaign,
            "si elles conviennent à vos classes")
        subject = f"Proch'Orientation — les temps forts {year} {of_school(school)}"
        out.append(Convocation(ESTABLISHMENT, key, contact.email, mask(subject), mask(body),
                               calendar, texts[calendar.stem],
                               _no_address(contact, "cet établissement")))
    for person, mine in sorted(by_person.items()):
        calendar = owned[AMBASSADOR, person]
        contact = contacts.ambassadors.get(person, Contact())
        body = _ambassador_body(person, mine, names, contact, year) + _closing(
            mine, person in pending_people, calendar, campaign,
            "si elles vous conviennent")
        out.append(Convocation(AMBASSADOR, person, contact.email,
                               f"Proch'Orientation — vos temps forts {year}", mask(body),
                               calendar, texts[calendar.stem],
                               _no_address(contact, "cet ambassadeur")))
    return out


def _owners(classes: Sequence[PairedClass],
            files: Sequence[CalendarFile]) -> dict[tuple[str, str], CalendarFile]:
    """(kind, school key or ambassador id) → its calendar: `calendar_files` writes the
    schools' files in sorted key order, then the ambassadors' in sorted id order."""
    keys = {ESTABLISHMENT: sorted({c.school for c in classes}),
            AMBASSADOR: sorted({a for c in classes for a in c.ambassadors})}
    owned: dict[tuple[str, str], CalendarFile] = {}
    for kind, wanted in keys.items():
        found = [f for f in files if f.kind == kind]
        if len(found) != len(wanted):
            raise ValueError(f"{len(found)} {kind} calendars for {len(wanted)} {kind}s")
        for key, file in zip(wanted, found, strict=True):
            stem = f"{kind}-{slug(key)}"
            if file.stem != stem and not file.stem.startswith(f"{stem}-"):
                raise ValueError(f"calendar {file.stem!r} is not {kind} {key!r}'s")
            owned[kind, key] = file
    return owned


def _no_address(contact: Contact, whom: str) -> str | None:
    """The note for the coordinator when the draft has no recipient (as the reminders say)."""
    if plain_address(contact.email):
        return None
    if contact.email:
        return (f"L'adresse saisie (« {contact.email} ») n'est pas une adresse électronique "
                "utilisable : indiquez le destinataire vous-même.")
    return f"{NO_ADDRESS} pour {whom} : indiquez le destinataire vous-même."


# --- the text -----------------------------------------------------------------------------


def _school_body(events: Sequence[Event], names: Names, contact: Contact, school: str,
                 year: str) -> str:
    lines = [greeting(contact.name), "",
             f"Voici les temps forts {year} des classes Proch'Orientation {of_school(school)} :",
             ""]
    for event in events:
        who = ", ".join(names.public.get(a, a) for a in event.attendees) or "ambassadeur à préciser"
        lines += [f"- {when(event)} — {event.kind.capitalize()} — {_label(event, names)} — "
                  f"{_place(event)}",
                  f"  Avec : {who} — {_status(event)}"]
    return "\n".join(lines)


def _ambassador_body(person: str, events: Sequence[Event], names: Names, contact: Contact,
                     year: str) -> str:
    lines = [greeting(contact.name), "",
             "Merci de votre engagement auprès des classes Proch'Orientation. Voici les temps "
             f"forts {year} auxquels nous vous attendons :", ""]
    for event in events:
        school = names.schools.get(event.school, event.school)
        others = ", ".join(names.public.get(a, a) for a in event.attendees if a != person)
        status = _status(event)
        lines += [f"- {when(event)} — {event.kind.capitalize()} — {_label(event, names)}, "
                  f"{school} — {_place(event)}",
                  f"  Avec : {others} — {status}" if others else f"  {status.capitalize()}"]
    return "\n".join(lines)


def _closing(events: Sequence[Event], pending: bool, calendar: CalendarFile, campaign: str,
             fits: str) -> str:
    """What to do with the dates, the attached calendar, the signature: one paragraph each."""
    paragraphs = []
    if any(e.status == CANCELLED for e in events):
        paragraphs.append("Les temps forts marqués « annulé » n'auront pas lieu : importer le "
                          "calendrier joint les marque comme annulés dans votre agenda.")
    if any(e.status not in (CONFIRMED, CANCELLED) for e in events):
        paragraphs.append("Les dates « à confirmer » sont des propositions : merci de nous "
                          f"dire, en répondant à ce message, {fits}.")
    if pending:
        paragraphs.append("D'autres temps forts restent à fixer : nous vous écrirons dès que "
                          "leur date sera arrêtée.")
    paragraphs += [
        f"Le calendrier joint ({calendar.stem}.ics) contient ces rendez-vous : ouvrez-le ou "
        "importez-le dans votre agenda (Outlook, Google Agenda, Thunderbird…). Si nous vous en "
        "envoyons une nouvelle version, l'importer mettra à jour ces rendez-vous sans les "
        "dupliquer.",
        "Bien cordialement,",
        f"L'équipe de coordination\n{campaign}",
    ]
    return "".join(f"\n\n{p}" for p in paragraphs) + "\n"


def _label(event: Event, names: Names) -> str:
    return names.classes.get(event.class_id, event.class_id)


def _place(event: Event) -> str:
    if event.place == SCHOOL:
        return "au collège"
    if event.place == COMPANY:
        return f"chez {event.where}"
    return f"lieu : {event.where}"


def _status(event: Event) -> str:
    if event.status == CANCELLED:
        return CANCELLED
    return CONFIRMED_TEXT if event.status == CONFIRMED else TO_CONFIRM


def day(date: dt.date) -> str:
    """« jeudi 1er octobre 2026 »."""
    number = "1er" if date.day == 1 else str(date.day)
    return f"{WEEKDAYS[date.weekday()]} {number} {MONTHS[date.month - 1]} {date.year}"


def hour(time: dt.datetime) -> str:
    """« 9 h », « 14 h 30 »."""
    return f"{time.hour} h" + (f" {time.minute:02d}" if time.minute else "")


def when(event: Event) -> str:
    """« mardi 13 octobre 2026, matin (9 h – 12 h) »; a whole day « …, toute la journée
    (9 h – 17 h) »; over several days « du lundi 11 … à 9 h au mardi 12 … à 17 h »."""
    first, last = event.half_days[0], event.half_days[-1]
    start, end = half_day_times(event)
    if first.day != last.day:
        return f"du {day(first.day)} à {hour(start)} au {day(last.day)} à {hour(end)}"
    part = "toute la journée" if first != last else "après-midi" if first.afternoon else "matin"
    return f"{day(first.day)}, {part} ({hour(start)} – {hour(end)})"


# --- the drafts ---------------------------------------------------------------------------


def convocation_draft(convocation: Convocation) -> EmailMessage:
    """The unsent message: plain text, its .ics attached (text/calendar; method=PUBLISH)."""
    mail = message(convocation.subject, convocation.body, convocation.address,
                   convocation.note)
    attach_calendar(mail, convocation.ics, convocation.calendar.stem)
    # a boundary from the content: the same convocation gives the same file, byte for byte
    digest = hashlib.sha1(convocation.body.encode("utf-8", "replace") + convocation.ics)
    mail.set_boundary(f"=_sheets-sync_{digest.hexdigest()[:24]}")
    return mail


def write_convocations(folder: Path, drafts: Sequence[Convocation]) -> list[Path]:
    """One .eml per convocation into `folder` (created), named after its calendar
    (« ambassadeur-<slug>.eml », « etablissement-<slug>.eml »); the files written.

    WriteRefused (French) when the folder cannot be made or a file cannot be written.
    """
    taken: set[str] = set()
    return write_messages(folder, ((file_name(c.calendar.stem, taken, c.kind),
                                    convocation_draft(c)) for c in drafts))


def remove_stale_drafts(folder: Path, written: Sequence[Path]) -> list[Path]:
    """Remove the drafts of an earlier export that this one (`written`) no longer makes: only
    « ambassadeur-*.eml » and « etablissement-*.eml » in `folder`, nothing else; the paths
    removed, sorted."""
    return remove_stale(folder, written, DRAFT_PATTERNS)
