"""Writing the year's calendars as .ics files (RFC 5545) with the `icalendar` library.

    schoolyear.exports.CalendarFile ──► DOSSIER/classe-….ics, etablissement-….ics,
                                        ambassadeur-….ics

Times are in Europe/Paris, its VTIMEZONE (the EU rule) written in each file. A file written
before is read back (same folder, same name) for the SEQUENCE of each of its events: unchanged
events keep theirs, changed ones get the next one, so calendar applications update an event
rather than add a second one (the UIDs are stable, see exports.event_uid). Each file is
written to a temporary file then renamed: an interrupted export leaves the previous file whole.
A calendar of an earlier export this one no longer makes (a class dropped, an ambassador who
left) is removed (`remove_stale`): only files named as we name them (« classe-*.ics »,
« etablissement-*.ics », « ambassadeur-*.ics »), never anything else in the folder.

`ics_bytes` / `calendar_texts` give the bytes `write_calendars` writes: a convocation draft
(outreach/convocations.py) attaches those very bytes, so the attachment and the file carry the
same SEQUENCE. Typed text (school names…) is written on one line where a property is one line,
without control characters (RFC 5545 §3.3.11).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from ..errors import WriteRefused
from ..schoolyear.exports import CalendarEvent, CalendarFile, next_sequence
from .files.os_reasons import reason

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//sheets-sync//classes Proch'Orientation//FR"
FINGERPRINT = "X-SHEETS-SYNC-EMPREINTE"
# Control characters (C0 and C1 but tab): RFC 5545 §3.3.11 allows none in TEXT, and the
# icalendar library asserts on a bare line break in an X- property (a school name typed on two
# lines crashed the export).
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]+")
_CONTROLS_BUT_LF = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]+")
_UNFOLD = re.compile(r"\r?\n[ \t]")  # a line break then one space or tab: a folded line
_END = b"END:VCALENDAR\r\n"
CALENDAR_PATTERNS = ("classe-*.ics", "etablissement-*.ics", "ambassadeur-*.ics")
Parts = dict[tuple[str, int, str, dt.datetime], bytes]  # a VEVENT's text, see calendar_bytes


def _line(text: str) -> str:
    """A one-line TEXT value: each run of control characters (line breaks too) becomes a
    space; a lone surrogate (a Google Sheets reply can carry one) becomes U+FFFD."""
    return _CONTROLS.sub(" ", _encodable(text))


def _lines(text: str) -> str:
    """A multi-line TEXT value (DESCRIPTION): CRLF and CR become LF, other controls a space."""
    flat = _encodable(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS_BUT_LF.sub(" ", flat)


def _encodable(text: str) -> str:
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def previous_sequences(path: Path) -> dict[str, tuple[int, str]]:
    """UID → (SEQUENCE, fingerprint) of the events of an .ics written before (none if the file
    is absent or unreadable: a new export then starts at 0).

    Read line by line rather than parsed whole with icalendar (ten times faster, and the
    second export of a large campaign reads thousands of files): only three properties of
    each VEVENT are needed, all ASCII, none with parameters in the files we write.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[str, tuple[int, str]] = {}
    event: dict[str, str] | None = None
    for line in _UNFOLD.sub("", text).splitlines():
        name, _, value = line.partition(":")
        name = name.split(";", 1)[0].upper()
        if name == "BEGIN" and value.upper() == "VEVENT":
            event = {}
        elif name == "END" and value.upper() == "VEVENT" and event is not None:
            try:
                sequence = int(event.get("SEQUENCE", "0"))
            except ValueError:
                sequence = 0
            found[event.get("UID", "")] = (sequence, event.get(FINGERPRINT, ""))
            event = None
        elif event is not None and name in ("UID", "SEQUENCE", FINGERPRINT):
            event[name] = value.strip() if name == "SEQUENCE" else value
    return found


def calendar_bytes(file: CalendarFile, now: dt.datetime,
                   previous: dict[str, tuple[int, str]] | None = None,
                   parts: Parts | None = None) -> bytes:
    """The .ics text of one calendar; `now` (aware) is each event's DTSTAMP.

    `parts` keeps each VEVENT's text by (UID, SEQUENCE, fingerprint, DTSTAMP) across the
    calendars of one export: an event is in its class's, its school's and its ambassadors'
    files, and icalendar writes it once (the bytes are those of the whole calendar written at
    once: tests/outreach/test_convocations.py compares them).
    """
    previous = previous or {}
    parts = {} if parts is None else parts
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", icalendar.vText(_line(file.title)))
    calendar.add("X-WR-TIMEZONE", "Europe/Paris")
    head: bytes = calendar.to_ical()
    assert head.endswith(_END)
    events = []
    for typed in file.events:
        item = replace(typed, summary=_line(typed.summary), location=_line(typed.location),
                       description=_lines(typed.description))
        sequence = next_sequence(previous.get(item.uid), item)
        key = (item.uid, sequence, item.fingerprint, now)
        if key not in parts:
            parts[key] = _event(item, sequence, now).to_ical()
        events.append(parts[key])
    return b"".join((head[:-len(_END)], _paris_timezone_bytes(), *events, _END))


def _event(item: CalendarEvent, sequence: int, now: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("UID", item.uid)
    event.add("DTSTAMP", now.astimezone(dt.UTC))
    event.add("SEQUENCE", sequence)
    event.add("DTSTART", item.start.replace(tzinfo=PARIS))
    event.add("DTEND", item.end.replace(tzinfo=PARIS))
    event.add("SUMMARY", item.summary)
    event.add("LOCATION", item.location)
    event.add("DESCRIPTION", item.description)
    event.add("STATUS", "CANCELLED" if item.cancelled
              else "CONFIRMED" if item.confirmed else "TENTATIVE")
    event.add("TRANSP", "OPAQUE")
    event.add(FINGERPRINT, item.fingerprint)
    return event


@functools.cache
def _paris_timezone_bytes() -> bytes:
    data: bytes = paris_timezone().to_ical()
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


def ics_bytes(folder: Path, file: CalendarFile, now: dt.datetime,
              parts: Parts | None = None) -> bytes:
    """The bytes `write_calendars` writes for `file` into `folder`, SEQUENCE carried on from
    the .ics already there: a convocation attaches these very bytes, so importing either the
    file or the attachment updates the same events (outreach/convocations.py)."""
    return calendar_bytes(file, now, previous_sequences(folder / f"{file.stem}.ics"), parts)


def calendar_texts(folder: Path, files: Sequence[CalendarFile],
                   now: dt.datetime) -> dict[str, bytes]:
    """Stem → `ics_bytes` of every calendar of one export, each event written once."""
    parts: Parts = {}
    return {file.stem: ics_bytes(folder, file, now, parts) for file in files}


def write_calendars(folder: Path, files: Sequence[CalendarFile],
                    now: dt.datetime) -> list[Path]:
    """Write every calendar into `folder` (created if need be); the paths written, in order."""
    return write_ics(folder, calendar_texts(folder, files, now))


def write_ics(folder: Path, texts: Mapping[str, bytes]) -> list[Path]:
    """Write each stem's .ics bytes (from `ics_bytes`) into `folder` (created if need be),
    each through a temporary file; the paths written, in order."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteRefused(f"Impossible de créer le dossier {folder} : {reason(exc)}.") from None
    written = []
    for stem, data in texts.items():
        path = folder / f"{stem}.ics"
        temp = path.with_name(f".{path.name}.tmp")
        try:
            temp.write_bytes(data)
            os.replace(temp, path)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise WriteRefused(f"Impossible d'écrire {path} : {reason(exc)}.") from None
        written.append(path)
    return written


def remove_stale(folder: Path, kept: Sequence[Path],
                 patterns: Sequence[str] = CALENDAR_PATTERNS) -> list[Path]:
    """Remove the files of `folder` (not its subfolders) named after one of `patterns` that
    are not in `kept` (what this export wrote); the paths removed, sorted. Nothing else is
    touched: a file of another name, a folder, a file we cannot remove (left, not an error:
    the export itself is written)."""
    keep = {path.name for path in kept}
    removed = []
    for pattern in patterns:
        for path in folder.glob(pattern):
            if path.name in keep or path.is_dir():
                continue
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return sorted(removed)
