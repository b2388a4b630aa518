"""Issue #17: the year's .ics files (RFC 5545), read back with an independent reader
(tests/schoolyear/ics_reader.py, not the `icalendar` library the backend writes with)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.backends.ics import calendar_bytes, write_calendars
from sheets_sync.schoolyear import (
    HalfDay,
    PairedClass,
    PlanAmbassador,
    PlanSettings,
    TempsFort,
    load_calendar,
    parse_availability,
    plan_year,
)
from sheets_sync.schoolyear.exports import (
    HOURS,
    CalendarEvent,
    CalendarFile,
    Names,
    calendar_files,
    event_uid,
    next_sequence,
)

from .ics_reader import local_time, parse, raw_lines

NOW = dt.datetime(2026, 9, 1, 8, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 10, 5, 17, 0, tzinfo=dt.UTC)
FAST = PlanSettings(solver_seconds=1.0, max_options=8, chunk_tasks=20)
KINDS = (TempsFort("lancement", dt.date(2026, 9, 14), dt.date(2026, 10, 16)),
         TempsFort("immersion", dt.date(2027, 1, 11), dt.date(2027, 4, 9), "entreprise",
                   "au-moins-un", 2),
         TempsFort("restitution", dt.date(2027, 5, 3), dt.date(2027, 6, 18), "lieu", "tous", 1,
                   "Salle Watremez, Roubaix"))
CLASSES = [PairedClass("sartel-4e1", "0590001A", ("nadia", "karim")),
           PairedClass("sartel-3e1", "0590001A", ("karim",)),
           PairedClass("macé-4e1", "0590002B", ("ines", "nadia"))]
PEOPLE = {"nadia": PlanAmbassador("nadia", "Data SA", parse_availability("mardi après-midi")
                                  .availability),
          "karim": PlanAmbassador("karim", "Soudures du Nord"),
          "ines": PlanAmbassador("ines", None, parse_availability("pas en juin").availability)}
NAMES = Names(classes={"sartel-4e1": "4ème n°1", "sartel-3e1": "3ème n°1",
                       "macé-4e1": "4ème n°1"},
              schools={"0590001A": "Collège du Sartel", "0590002B": "Collège Jean Macé"},
              public={"nadia": "Nadia BENALI", "karim": "Soudeur (Industrie)",
                      "ines": "Infirmière (Santé)"},
              own={"nadia": "Nadia BENALI", "karim": "Karim ROUSSEL", "ines": "Inès HADDAD"})
CALENDAR = load_calendar("2026-2027")


def planned() -> list[CalendarFile]:
    plan = plan_year(CLASSES, KINDS, CALENDAR, PEOPLE, settings=FAST)
    return calendar_files(plan, CLASSES, NAMES)


def test_one_file_per_class_school_and_ambassador(tmp_path: Path) -> None:
    paths = write_calendars(tmp_path / "ics", planned(), NOW)
    assert sorted(p.name for p in paths) == sorted(
        ["classe-sartel-4e1.ics", "classe-sartel-3e1.ics", "classe-mace-4e1.ics",
         "etablissement-0590001a.ics", "etablissement-0590002b.ics",
         "ambassadeur-nadia.ics", "ambassadeur-karim.ics", "ambassadeur-ines.ics"])
    assert not list((tmp_path / "ics").glob(".*"))  # no temp file left


def test_files_are_valid_rfc5545(tmp_path: Path) -> None:
    for path in write_calendars(tmp_path, planned(), NOW):
        data = path.read_bytes()
        assert all(len(line) <= 75 for line in raw_lines(data))  # folded at 75 octets
        root = parse(data)
        assert root.name == "VCALENDAR"
        assert (root.get("VERSION"), root.get("METHOD")) == ("2.0", "PUBLISH")
        assert root.get("PRODID")
        (zone,) = root.walk("VTIMEZONE")
        assert zone.get("TZID") == "Europe/Paris"
        assert {c.name for c in zone.children} == {"STANDARD", "DAYLIGHT"}
        for event in root.walk("VEVENT"):
            for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
                assert event.get(name)
            assert event.get("DTSTAMP") == "20260901T083000Z"  # UTC (RFC 5545 §3.8.7.2)
            assert event.params("DTSTART") == {"TZID": "Europe/Paris"}
            assert event.params("DTEND") == {"TZID": "Europe/Paris"}
            assert local_time(event.get("DTSTART")) < local_time(event.get("DTEND"))


def test_every_event_starts_on_an_open_half_day_inside_its_window(tmp_path: Path) -> None:
    windows = {k.name: k for k in KINDS}
    seen = 0
    for path in write_calendars(tmp_path, planned(), NOW):
        for event in parse(path.read_bytes()).walk("VEVENT"):
            start = local_time(event.get("DTSTART"))
            afternoon = start.time() == HOURS[True][0]
            assert start.time() == HOURS[afternoon][0]
            assert CALENDAR.is_open(HalfDay(start.date(), afternoon))
            kind = windows[event.text("SUMMARY").split(" — ")[0].lower()]
            assert kind.start <= start.date() <= kind.end
            seen += 1
    assert seen > 0


def test_two_exports_keep_the_uids_and_sequences(tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in write_calendars(tmp_path, planned(), NOW)}
    second = {p.name: p.read_bytes() for p in write_calendars(tmp_path, planned(), LATER)}
    assert first.keys() == second.keys()
    for name in first:
        one = {e.get("UID"): e for e in parse(first[name]).walk("VEVENT")}
        two = {e.get("UID"): e for e in parse(second[name]).walk("VEVENT")}
        assert one.keys() == two.keys()
        for uid, event in two.items():
            assert event.get("SEQUENCE") == one[uid].get("SEQUENCE") == "0"
            assert event.get("DTSTAMP") == "20261005T170000Z"


def test_a_moved_event_keeps_its_uid_and_gets_the_next_sequence(tmp_path: Path) -> None:
    files = planned()
    write_calendars(tmp_path, files, NOW)
    klass = next(f for f in files if f.stem == "classe-sartel-4e1")
    event = klass.events[0]
    moved = replace(event, start=event.start + dt.timedelta(days=1),
                    end=event.end + dt.timedelta(days=1))
    write_calendars(tmp_path, [replace(klass, events=(moved, *klass.events[1:]))], LATER)
    again = {e.get("UID"): e for e in parse(
        (tmp_path / "classe-sartel-4e1.ics").read_bytes()).walk("VEVENT")}
    assert again[event.uid].get("SEQUENCE") == "1"
    assert {e.get("SEQUENCE") for u, e in again.items() if u != event.uid} == {"0"}


def test_uid_is_from_class_and_temps_fort_only() -> None:
    assert event_uid("sartel-4e1", "lancement") == event_uid("sartel-4e1", "lancement")
    assert len({event_uid(c, k) for c in ("a", "b") for k in ("x", "y")}) == 4
    assert re.fullmatch(r"[0-9a-f]{24}@[a-z.-]+", event_uid("macé-4e1", "lancement"))
    for file in planned():
        for item in file.events:
            summary_kind = item.summary.split(" — ")[0].lower()
            assert item.uid in {event_uid(c.class_id, summary_kind) for c in CLASSES}


def test_one_event_in_several_files_is_one_uid(tmp_path: Path) -> None:
    files = {f.stem: f for f in planned()}
    school = {e.uid for e in files["etablissement-0590001a"].events}
    classes = {e.uid for e in files["classe-sartel-4e1"].events} | {
        e.uid for e in files["classe-sartel-3e1"].events}
    assert school == classes
    nadia = {e.uid for e in files["ambassadeur-nadia"].events}
    assert nadia <= school | {e.uid for e in files["classe-mace-4e1"].events}


def test_french_text_and_no_contact_data(tmp_path: Path) -> None:
    for path in write_calendars(tmp_path, planned(), NOW):
        root = parse(path.read_bytes())
        texts = [c.text(n) for c in [root, *root.walk("VEVENT")] for n, _, _ in c.props
                 if n in ("X-WR-CALNAME", "SUMMARY", "LOCATION", "DESCRIPTION")]
        assert texts and not any("@" in t or re.search(r"0\d([ .]?\d\d){4}", t)
                                 for t in texts)
        for event in parse(path.read_bytes()).walk("VEVENT"):
            description = event.text("DESCRIPTION")
            assert description.startswith("Temps fort « ")
            assert "Ambassadeurs : " in description and "Statut : " in description
            if event.text("SUMMARY").startswith("Restitution"):
                assert event.text("LOCATION") == "Salle Watremez, Roubaix"
    karim = parse((tmp_path / "ambassadeur-karim.ics").read_bytes())
    assert karim.text("X-WR-CALNAME") == "Temps forts — Karim ROUSSEL"  # own name, own file
    school = (tmp_path / "etablissement-0590001a.ics").read_bytes().decode("utf-8")
    assert "ROUSSEL" not in school  # no consent: job and sector only


def test_a_class_with_nothing_placed_still_gets_its_file(tmp_path: Path) -> None:
    lonely = [PairedClass("seul-4e1", "0590003C", ("ghost",))]  # not in the roster
    plan = plan_year(lonely, KINDS, CALENDAR, PEOPLE, settings=FAST)
    assert not plan.events and len(plan.unplaced) == 3
    files = calendar_files(plan, lonely, Names())
    assert [f.stem for f in files] == ["classe-seul-4e1", "etablissement-0590003c",
                                       "ambassadeur-ghost"]
    for path in write_calendars(tmp_path, files, NOW):
        assert parse(path.read_bytes()).walk("VEVENT") == []


def test_next_sequence() -> None:
    event = CalendarEvent("u", "s", "l", "d", dt.datetime(2026, 9, 14, 9),
                          dt.datetime(2026, 9, 14, 12))
    assert next_sequence(None, event) == 0
    assert next_sequence((3, event.fingerprint), event) == 3
    assert next_sequence((3, "autre"), event) == 4


def test_an_unreadable_previous_file_starts_again_at_zero(tmp_path: Path) -> None:
    (tmp_path / "classe-sartel-4e1.ics").write_bytes(b"\xff\xfe pas un calendrier")
    write_calendars(tmp_path, planned(), NOW)
    events = parse((tmp_path / "classe-sartel-4e1.ics").read_bytes()).walk("VEVENT")
    assert events and {e.get("SEQUENCE") for e in events} == {"0"}


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(summary=TEXT, location=TEXT, description=st.lists(TEXT, min_size=1, max_size=3))
def test_any_text_round_trips_through_the_independent_reader(summary: str, location: str,
                                                            description: list[str]) -> None:
    item = CalendarEvent("uid-1@test", summary, location, "\n".join(description),
                         dt.datetime(2026, 9, 14, 9), dt.datetime(2026, 9, 14, 12))
    data = calendar_bytes(CalendarFile("classe", "c", summary, (item,)), NOW)
    assert all(len(line) <= 75 for line in raw_lines(data))
    (event,) = parse(data).walk("VEVENT")
    assert (event.text("SUMMARY"), event.text("LOCATION"), event.text("DESCRIPTION")) == (
        summary, location, "\n".join(description))
