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
from sheets_sync.outreach.convocations import (
    build_convocations,
    contacts_of,
    write_convocations,
)
from sheets_sync.outreach.reminders import plain_address
from sheets_sync.schoolyear.exports import calendar_files
from sheets_sync.sync import check_source

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
    files = calendar_files(year.plan, year.classes, year.names)
    texts = {f.stem: ics_bytes(tmp_path, f, NOW) for f in files}
    write_ics(tmp_path, texts)
    items = build_convocations(year.plan, year.classes, year.names,
                               contacts_of(result.sponsorship), files, texts,
                               year=config.schoolyear.calendar.year, campaign=config.name)
    events = year.plan.events
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
