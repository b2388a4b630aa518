"""Issue #17 item 4 on the demo campaign: the contacts come from the roster and the answers,
one convocation per school and ambassador with an event, nobody else's contact data in it."""

from __future__ import annotations

import datetime as dt
import email
import os
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.backends.ics import ics_bytes, write_ics
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.dashboards.year_review import year_figures
from sheets_sync.dashboards.year_tabs import calendar_rows
from sheets_sync.outreach.convocations import (
    build_convocations,
    contacts_of,
    write_convocations,
)
from sheets_sync.outreach.reminders import plain_address
from sheets_sync.schoolyear.exports import calendar_files, event_uid, shown_status
from sheets_sync.schoolyear.model import CANCELLED, CONFIRMED, HELD
from sheets_sync.sync import CONVOCATIONS_FOLDER, check_source, export_calendars

from ..schoolyear.ics_reader import parse

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
PHONE = re.compile(r"(?:\+33|0)\s*[1-9](?:[\s.-]*\d\d){4}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("demo")
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, ["demo", "--quiet"], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        yield folder / "demo" / "config.toml"
    finally:
        os.chdir(old)


def test_demo_convocations_reach_the_right_people_and_nobody_else(demo: Path,
                                                                 tmp_path: Path) -> None:
    config = load_config(demo)
    assert config.schoolyear is not None
    result = check_source(config)
    year = result.year
    assert year is not None and year.plan.events
    figures = year_figures(year)
    files = calendar_files(year.plan, year.classes, year.names, held=figures.held,
                           cancelled=figures.cancelled)
    texts = {f.stem: ics_bytes(tmp_path, f, NOW) for f in files}
    write_ics(tmp_path, texts)
    items = build_convocations(year.plan, year.classes, year.names,
                               contacts_of(result.sponsorship), files, texts,
                               year=config.schoolyear.calendar.year, campaign=config.name,
                               held=figures.held, cancelled=figures.cancelled)
    # those with a temps fort to come: not held, not cancelled (as « Calendrier » says)
    events = [e for e in year.plan.events
              if shown_status(e, figures.held, figures.cancelled) not in (HELD, CANCELLED)]
    assert events
    assert [c.key for c in items if c.kind == "etablissement"] == sorted(
        {e.school for e in events})
    assert [c.key for c in items if c.kind == "ambassadeur"] == sorted(
        {a for e in events for a in e.attendees})

    members = {m.ambassador.id: m for m in result.sponsorship.members}
    answers = {c.unit.school: c.school.values for c in result.sponsorship.classes}
    for item in items:
        typed = (members[item.key].email if item.kind == "ambassadeur"
                 else answers[item.key].get("courriel"))
        assert item.email == typed and item.address == plain_address(typed)
    assert any(item.address for item in items)

    emails = {m.email for m in members.values() if m.email} | {
        str(v["courriel"]) for v in answers.values() if v.get("courriel")}
    phones = {m.phone for m in members.values() if m.phone}
    assert emails and phones
    for item, path in zip(items, write_convocations(tmp_path / "convocations", items),
                          strict=True):
        data = path.read_bytes()
        message = email.message_from_bytes(data, policy=policy.default)
        assert isinstance(message, EmailMessage)
        texts_in = [data.decode("utf-8", "replace")]
        texts_in += [str(part.get_content()) for part in message.walk()
                     if not part.is_multipart()]
        for other in emails - {item.email}:
            assert not any(other in t for t in texts_in), (path.name, other)
        for phone in phones:
            assert not any(phone in t for t in texts_in), (path.name, phone)
        body = message.get_body(("plain",))
        assert body is not None and not PHONE.search(str(body.get_content())), path.name
        (attachment,) = message.iter_attachments()
        calendar = parse(attachment.get_payload(decode=True))
        file = parse((tmp_path / f"{item.calendar.stem}.ics").read_bytes())
        assert [e.get("UID") for e in calendar.walk("VEVENT")] == [
            e.get("UID") for e in file.walk("VEVENT")]


def test_the_ics_and_the_drafts_say_what_calendrier_says(demo: Path, tmp_path: Path) -> None:
    """Review of #17, finding 2: the demo's « tenu » and « annulé » temps forts, as
    « Calendrier » shows them (calendar_rows of the same YearPlan), in every .ics and draft;
    and the files of an earlier export no longer made are removed, only those."""
    config = load_config(demo)
    drafts = tmp_path / CONVOCATIONS_FOLDER
    drafts.mkdir()
    stale = [tmp_path / "classe-partie.ics", drafts / "ambassadeur-parti.eml"]
    mine = [tmp_path / "agenda.ics", drafts / "notes.txt", drafts / "college-x.eml"]
    for path in (*stale, *mine):
        path.write_bytes(b"earlier")
    export = export_calendars(config, tmp_path, now=NOW, convocations=True)
    assert export.removed_calendars == stale[:1]
    assert export.removed_convocations == stale[1:]
    assert all(p.read_bytes() == b"earlier" for p in mine)

    year = check_source(config).year
    assert year is not None
    ordered = sorted(year.plan.events, key=lambda e: (e.start, e.school, e.class_id, e.kind))
    shown = {event_uid(*e.key): row[-1].value
             for e, row in zip(ordered, calendar_rows(year), strict=True)}
    assert {CANCELLED, HELD} <= set(shown.values())
    ics_status = {CANCELLED: "CANCELLED", HELD: "CONFIRMED", CONFIRMED: "CONFIRMED"}
    seen = set()
    for path in export.written:
        for event in parse(path.read_bytes()).walk("VEVENT"):
            status = shown[event.get("UID")]
            assert event.get("STATUS") == ics_status.get(str(status), "TENTATIVE"), path.name
            assert f"Statut : {status}" in event.text("DESCRIPTION"), path.name
            seen.add(event.get("UID"))
    assert seen == set(shown)

    assert export.convocations
    announced = 0
    for path in export.convocations:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        text = message.get_body(("plain",))
        assert text is not None
        lines = str(text.get_content()).splitlines()
        (attachment,) = message.iter_attachments()
        mine_shown = [shown[e.get("UID")] for e in
                      parse(attachment.get_payload(decode=True)).walk("VEVENT")]
        if not path.name.startswith("etablissement-"):
            continue  # an ambassador's calendar holds the events they attend, as listed
        assert sum(line.startswith("- ") for line in lines) == sum(
            s != HELD for s in mine_shown), path.name
        assert sum(line.endswith("— annulé") for line in lines) == mine_shown.count(CANCELLED)
        assert any(s not in (HELD, CANCELLED) for s in mine_shown)
        announced += mine_shown.count(CANCELLED)
    assert announced == list(shown.values()).count(CANCELLED)  # the demo's one, announced
