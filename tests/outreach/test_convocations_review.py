"""Review of issue #17, findings 2 (export side), 4 and 6: cancelled and held temps forts in
the .ics files and the convocations, contact data typed in names, files of an earlier export.
Read back with the independent iCalendar reader of the schoolyear tests."""

from __future__ import annotations

import datetime as dt
import email
import re
import tempfile
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.backends.ics import calendar_texts, remove_stale, write_calendars, write_ics
from sheets_sync.outreach.convocations import (
    Contact,
    Contacts,
    Convocation,
    build_convocations,
    remove_stale_drafts,
    write_convocations,
)
from sheets_sync.schoolyear.calendar import HalfDay
from sheets_sync.schoolyear.exports import Names, calendar_files, event_uid
from sheets_sync.schoolyear.model import (
    CANCELLED,
    COMPANY,
    CONFIRMED,
    HELD,
    PUBLISHED,
    SCHOOL,
    Event,
    PairedClass,
    Plan,
)

from ..schoolyear.ics_reader import Component, parse
from .test_convocations import CAMPAIGN, CLASSES, CONTACTS, EVENTS, NAMES, NOW, PLAN

LATER = dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)


def export(folder: Path, plan: Plan = PLAN, classes: list[PairedClass] = CLASSES,
           names: Names = NAMES, contacts: Contacts = CONTACTS, now: dt.datetime = NOW,
           held: frozenset[tuple[str, str]] = frozenset(),
           cancelled: frozenset[tuple[str, str]] = frozenset()) -> list[Convocation]:
    """As `export_calendars` does: .ics bytes once, written, attached to the drafts."""
    files = calendar_files(plan, classes, names, held=held, cancelled=cancelled)
    texts = calendar_texts(folder, files, now)
    write_ics(folder, texts)
    return build_convocations(plan, classes, names, contacts, files, texts, year="2026-2027",
                              campaign=CAMPAIGN, held=held, cancelled=cancelled)


def events_of(path: Path) -> dict[str, Component]:
    return {e.get("UID"): e for e in parse(path.read_bytes()).walk("VEVENT")}


def with_status(key: tuple[str, str], status: str) -> Plan:
    return Plan([replace(e, status=status) if e.key == key else e for e in EVENTS],
                PLAN.unplaced)


LAUNCH = ("sartel-4e1", "lancement")  # 13/10/2026 at the Sartel, Nadia and Karim
LAUNCH_3E = ("sartel-3e1", "lancement")  # 01/10/2026 at the Sartel, Karim alone


# --- finding 2: « annulé » and « tenu » -------------------------------------------------------


def test_bug_a_cancelled_event_was_exported_tentative_and_to_confirm(tmp_path: Path) -> None:
    export(tmp_path)  # the earlier export: the event at SEQUENCE 0, TENTATIVE
    before = events_of(tmp_path / "classe-sartel-4e1.ics")[event_uid(*LAUNCH)]
    assert (before.get("STATUS"), before.get("SEQUENCE")) == ("TENTATIVE", "0")
    # from the plan's status (helper F1) or from « Suivi de l'année »'s pairs: the same
    for plan, cancelled in ((with_status(LAUNCH, CANCELLED), frozenset()),
                            (PLAN, frozenset({LAUNCH}))):
        folder = tmp_path / str(len(cancelled))
        folder.mkdir()
        (folder / "classe-sartel-4e1.ics").write_bytes(
            (tmp_path / "classe-sartel-4e1.ics").read_bytes())
        items = export(folder, plan, now=LATER, cancelled=cancelled)
        for stem in ("classe-sartel-4e1", "etablissement-0590001a", "ambassadeur-nadia",
                     "ambassadeur-karim"):
            event = events_of(folder / f"{stem}.ics")[event_uid(*LAUNCH)]
            assert event.get("STATUS") == "CANCELLED", stem
            assert int(event.get("SEQUENCE")) >= 1, stem
            assert "Statut : annulé" in event.text("DESCRIPTION")
            assert event.text("SUMMARY").startswith("Annulé : ")
        sartel = next(c for c in items if c.key == "0590001A")
        line = next(i for i, t in enumerate(sartel.body.splitlines()) if "13 octobre" in t)
        assert sartel.body.splitlines()[line + 1].endswith("— annulé")
        assert "n'auront pas lieu" in sartel.body
        # the other events of the Sartel are still proposed: those still to confirm
        assert "Les dates « à confirmer »" in sartel.body


def test_a_cancelled_event_is_never_asked_to_be_confirmed(tmp_path: Path) -> None:
    # every other event confirmed: nothing left « à confirmer » in Karim's draft
    plan = Plan([replace(e, status=CONFIRMED) for e in EVENTS], [])
    items = export(tmp_path, plan, cancelled=frozenset({LAUNCH}))
    karim = next(c for c in items if c.key == "karim")
    assert "annulé" in karim.body and "à confirmer" not in karim.body


def test_a_cancelled_event_raises_its_sequence_even_with_no_earlier_file(
        tmp_path: Path) -> None:
    # imported from an attachment or another folder at SEQUENCE 0: only 1 updates it
    export(tmp_path, cancelled=frozenset({LAUNCH}))
    event = events_of(tmp_path / "classe-sartel-4e1.ics")[event_uid(*LAUNCH)]
    assert (event.get("STATUS"), event.get("SEQUENCE")) == ("CANCELLED", "1")
    export(tmp_path, cancelled=frozenset({LAUNCH}), now=LATER)  # unchanged: stays 1
    again = events_of(tmp_path / "classe-sartel-4e1.ics")[event_uid(*LAUNCH)]
    assert again.get("SEQUENCE") == "1"


def test_bug_a_held_event_was_asked_to_be_confirmed(tmp_path: Path) -> None:
    for plan, held in ((with_status(LAUNCH_3E, HELD), frozenset()),
                       (PLAN, frozenset({LAUNCH_3E}))):
        folder = tmp_path / str(len(held))
        items = export(folder, plan, held=held)
        event = events_of(folder / "classe-sartel-3e1.ics")[event_uid(*LAUNCH_3E)]
        assert event.get("STATUS") == "CONFIRMED"
        assert "Statut : tenu" in event.text("DESCRIPTION")
        sartel = next(c for c in items if c.key == "0590001A")
        assert "1er octobre" not in sartel.body  # held: not to come
        karim = next(c for c in items if c.key == "karim")
        assert "1er octobre" not in karim.body
        # still in the attached calendar (the file beside it), shown as held
        assert event_uid(*LAUNCH_3E) in events_of(folder / f"{karim.calendar.stem}.ics")


def test_a_draft_with_nothing_left_to_convoke_is_not_written(tmp_path: Path) -> None:
    # Inès's only event (Macé's launch) is held; Macé has nothing else to come either
    mace = ("mace-4e1", "lancement")
    items = export(tmp_path, held=frozenset({mace}))
    assert "ines" not in {c.key for c in items} and "0590002B" not in {c.key for c in items}
    assert (tmp_path / "ambassadeur-ines.ics").exists()  # the calendar is still written


def test_an_only_cancelled_event_is_announced_not_asked_to_be_confirmed(tmp_path: Path) -> None:
    """Whoever was convoked to a temps fort now cancelled is told, not silently dropped."""
    mace = ("mace-4e1", "lancement")
    items = {c.key: c for c in export(tmp_path, cancelled=frozenset({mace}))}
    for key in ("ines", "0590002B"):
        assert "annulé" in items[key].body and "à confirmer" not in items[key].body


# --- finding 4: contact data typed in names ---------------------------------------------------

SCHOOL_KEY = "0590001A"
MAILS = (b"p.martin@ac-lille.fr", b"rh.perso@data.fr")
PHONE = re.compile(rb"0\d(?:[ .]?\d\d){4}")


def test_bug_contact_data_reached_the_ics_files_and_the_subject(tmp_path: Path) -> None:
    """The reviewer's inputs: a school name with an e-mail, a company with an e-mail and a
    phone (/tmp/rev17/repro_contact_in_ics.py)."""
    classes = [PairedClass("sartel-4e1", SCHOOL_KEY, ("nadia",))]
    plan = Plan([
        Event("sartel-4e1", "lancement", (HalfDay(dt.date(2026, 10, 13), False),), ("nadia",),
              SCHOOL, SCHOOL_KEY, SCHOOL_KEY),
        Event("sartel-4e1", "immersion", (HalfDay(dt.date(2027, 1, 12), False),), ("nadia",),
              COMPANY, "Data SA (RH : rh.perso@data.fr, 06 12 34 56 78)", SCHOOL_KEY,
              PUBLISHED)], [])
    names = Names({"sartel-4e1": "4ème n°1"},
                  {SCHOOL_KEY: "Collège du Sartel (principal : p.martin@ac-lille.fr)"},
                  {"nadia": "Nadia BENALI"}, {"nadia": "Nadia Benali 06 11 22 33 44"})
    contacts = Contacts({"nadia": Contact("nadia@x.fr", "Nadia Benali")},
                        {SCHOOL_KEY: Contact("ce.0590001a@ac-lille.fr", None)})
    items = export(tmp_path, plan, classes, names, contacts)
    assert len(items) == 2
    drafts = write_convocations(tmp_path / "convocations", items)
    for path in [*tmp_path.glob("*.ics"), *drafts]:
        data = path.read_bytes()
        unfolded = re.sub(rb"\r\n[ \t]", b"", data)
        assert not any(m in unfolded for m in MAILS), path.name
        assert not PHONE.search(unfolded), path.name
    for item, path in zip(items, drafts, strict=True):
        assert "@" not in item.subject and "coordonnées masquées" in items[0].subject
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        decoded = [str(p.get_content()) for p in message.walk() if not p.is_multipart()]
        assert not any(m.decode() in t for m in MAILS for t in decoded)
        assert not any(PHONE.search(t.encode()) for t in decoded)
        (attachment,) = message.iter_attachments()
        assert attachment.get_payload(decode=True) == (
            tmp_path / f"{item.calendar.stem}.ics").read_bytes()
    calendar = parse((tmp_path / "etablissement-0590001a.ics").read_bytes())
    assert "[coordonnées masquées]" in calendar.text("X-WR-CALNAME")


# --- finding 6: files of an earlier export ----------------------------------------------------


def test_bug_stale_drafts_stayed_in_the_folder(tmp_path: Path) -> None:
    """/tmp/rev17/repro_stale_drafts.sh: an ambassador leaves; her draft stayed."""
    folder = tmp_path / "convocations"
    first = write_convocations(folder, export(tmp_path))
    assert folder / "ambassadeur-ines.eml" in first
    others = {"notes.txt": b"x", "college-du-sartel.eml": b"a reminder",
              "ambassadeur-ines.txt": b"x", "ambassadeur-ines.eml.bak": b"x"}
    for name, data in others.items():
        (folder / name).write_bytes(data)
    (folder / "ambassadeur-dossier.eml").mkdir()
    plan = Plan([e for e in EVENTS if e.class_id != "mace-4e1"], PLAN.unplaced)
    classes = [c for c in CLASSES if c.school != "0590002B"]
    second = write_convocations(folder, export(tmp_path, plan, classes))
    removed = remove_stale_drafts(folder, second)
    assert [p.name for p in removed] == ["ambassadeur-ines.eml", "etablissement-0590002b.eml"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [p.name for p in second] + [*others, "ambassadeur-dossier.eml"])
    assert remove_stale_drafts(folder, second) == []


def test_bug_calendars_of_a_dropped_class_stayed(tmp_path: Path) -> None:
    files = calendar_files(PLAN, CLASSES, NAMES)
    write_calendars(tmp_path, files, NOW)
    (tmp_path / "agenda-perso.ics").write_bytes(b"mine")
    classes = [c for c in CLASSES if c.class_id != "mace-3e1"]  # Léa's class dropped
    written = write_calendars(tmp_path, calendar_files(PLAN, classes, NAMES), LATER)
    removed = remove_stale(tmp_path, written)
    assert [p.name for p in removed] == ["ambassadeur-lea.ics", "classe-mace-3e1.ics"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in written] + ["agenda-perso.ics"])


NAME = st.text(st.sampled_from("abcé-.*_ACE"), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ambassadeur-", "etablissement-", "classe-", "",
                                           "ambassadeur", "x-ambassadeur-"]),
                          NAME, st.sampled_from([".eml", ".ics", ".eml.tmp", ""]),
                          st.booleans()),
                max_size=12, unique_by=lambda t: t[0] + t[1] + t[2]))
def test_only_our_unkept_drafts_are_ever_removed(
        files: list[tuple[str, str, str, bool]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        kept = []
        for prefix, stem, suffix, keep in files:
            text = f"{prefix}{stem}{suffix}"
            if text in (".", "..") or "/" in text:  # Path("x") / "." is x itself
                continue
            path = folder / text
            path.write_bytes(b"x")
            if keep:
                kept.append(path)
        before = set(folder.iterdir())
        removed = remove_stale_drafts(folder, kept)
        for path in removed:
            assert path.name.endswith(".eml") and path not in kept
            assert path.name.startswith(("ambassadeur-", "etablissement-"))
        assert set(folder.iterdir()) == before - set(removed)
        assert all(p.exists() for p in kept)
