"""Writing the year's calendars as .ics files (RFC 5545) with the `icalendar` library.

    schoolyear.exports.CalendarFile ──► DOSSIER/classe-….ics, etablissement-….ics,
                                        ambassadeur-….ics

Times are in Europe/Paris, its VTIMEZONE (the EU rule) written in each file. A file written
before is read back (same folder, same name) for the SEQUENCE of each of its events: unchanged
events keep theirs, changed ones get the next one, so calendar applications update an event
rather than add a second one (the UIDs are stable, see exports.event_uid). Each file is
written to a temporary file then renamed: an interrupted export leaves the previous file whole.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from ..errors import WriteRefused
from ..schoolyear.exports import CalendarFile, next_sequence
from .files.os_reasons import reason

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//sheets-sync//classes Proch'Orientation//FR"
FINGERPRINT = "X-SHEETS-SYNC-EMPREINTE"


def previous_sequences(path: Path) -> dict[str, tuple[int, str]]:
    """UID → (SEQUENCE, fingerprint) of the events of an .ics written before (none if the file
    is absent or unreadable: a new export then starts at 0)."""
    try:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
    except (OSError, ValueError):
        return {}
    found: dict[str, tuple[int, str]] = {}
    for event in calendar.walk("VEVENT"):
        try:
            sequence = int(event.get("SEQUENCE", 0))
        except (TypeError, ValueError):
            sequence = 0
        found[str(event.get("UID", ""))] = (sequence, str(event.get(FINGERPRINT, "")))
    return found


def calendar_bytes(file: CalendarFile, now: dt.datetime,
                   previous: dict[str, tuple[int, str]] | None = None) -> bytes:
    """The .ics text of one calendar; `now` (aware) is each event's DTSTAMP."""
    previous = previous or {}
    stamp = now.astimezone(dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", file.title)
    calendar.add("X-WR-TIMEZONE", "Europe/Paris")
    calendar.add_component(paris_timezone())
    for item in file.events:
        event = icalendar.Event()
        event.add("UID", item.uid)
        event.add("DTSTAMP", stamp)
        event.add("SEQUENCE", next_sequence(previous.get(item.uid), item))
        event.add("DTSTART", item.start.replace(tzinfo=PARIS))
        event.add("DTEND", item.end.replace(tzinfo=PARIS))
        event.add("SUMMARY", item.summary)
        event.add("LOCATION", item.location)
        event.add("DESCRIPTION", item.description)
        event.add("STATUS", "CONFIRMED" if item.confirmed else "TENTATIVE")
        event.add("TRANSP", "OPAQUE")
        event.add(FINGERPRINT, item.fingerprint)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def paris_timezone() -> icalendar.Timezone:
    """Europe/Paris as the EU rule (last Sunday of March / October): a short VTIMEZONE valid
    for every year, rather than a list of past transitions that ends in 2038."""
    zone = icalendar.Timezone()
    zone.add("TZID", "Europe/Paris")
    for part, start, before, after, name, month in (
            (icalendar.TimezoneDaylight(), dt.datetime(1981, 3, 29, 2), 1, 2, "CEST", 3),
            (icalendar.TimezoneStandard(), dt.datetime(1996, 10, 27, 3), 2, 1, "CET", 10)):
        part.add("DTSTART", start)
        part.add("TZOFFSETFROM", dt.timedelta(hours=before))
        part.add("TZOFFSETTO", dt.timedelta(hours=after))
        part.add("TZNAME", name)
        part.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": "-1SU"})
        zone.add_component(part)
    return zone


def write_calendars(folder: Path, files: Sequence[CalendarFile],
                    now: dt.datetime) -> list[Path]:
    """Write every calendar into `folder` (created if need be); the paths written, in order."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteRefused(f"Impossible de créer le dossier {folder} : {reason(exc)}.") from None
    written = []
    for file in files:
        path = folder / f"{file.stem}.ics"
        data = calendar_bytes(file, now, previous_sequences(path))
        temp = path.with_name(f".{path.name}.tmp")
        try:
            temp.write_bytes(data)
            os.replace(temp, path)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise WriteRefused(f"Impossible d'écrire {path} : {reason(exc)}.") from None
        written.append(path)
    return written
