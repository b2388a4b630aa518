"""Issue #17: the year inside the sync, on the demo campaign synced twice.

Published events stay on their half-day; an ambassador who becomes unavailable moves their
class's events (listed in « Déplacés » with the reason); a day confirmed in « Suivi de
l'année » never moves; « Calendrier » goes to the coordinator workbook only; « Temps forts »
and the partner report name no ambassador and carry no contact.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.config import Config, load_config
from sheets_sync.schoolyear.calendar import WEEKDAYS
from sheets_sync.schoolyear.model import CONFIRMED, PUBLISHED, Event
from sheets_sync.schoolyear.tracking import HEADER
from sheets_sync.starter.campaign import build_demo
from sheets_sync.starter.demo import demo_config
from sheets_sync.sync import SyncResult, check_source, export_calendars, sync, write_report

NOW = dt.datetime(2021, 9, 6, 10, 0)  # a Monday, before the first temps fort
LATER = NOW + dt.timedelta(days=1)


@pytest.fixture
def demo(tmp_path: Path) -> Config:
    """The packaged demo (shared workbook + coordinator workbook), built, not synced."""
    path, _ = demo_config(tmp_path / "demo")
    config = load_config(path)
    assert build_demo(config)
    return config


def sheet_rows(path: Path, tab: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path)
    try:
        return [tuple(r) for r in book[tab].iter_rows(values_only=True)]
    finally:
        book.close()


def sheet_text(path: Path, tabs: tuple[str, ...] | None = None) -> str:
    book = openpyxl.load_workbook(path)
    try:
        return "\n".join(str(v) for ws in book.worksheets
                         if tabs is None or ws.title in tabs
                         for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    finally:
        book.close()


def events_block(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The event rows of « Calendrier » (from the header to the first blank row)."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Date") + 1
    out = []
    for r in rows[start:]:
        if not r or r[0] is None:
            break
        out.append(r)
    return out


def set_availability(config: Config, ambassador_id: str, text: str) -> None:
    """Type `text` in the ambassador's « Disponibilités » cell of the roster."""
    assert isinstance(config.coordination, Path)
    member = check_source(config, today=NOW.date(), match=False).sponsorship.member(ambassador_id)
    book = openpyxl.load_workbook(config.coordination)
    sheet = book[config.tabs.roster]
    header = next(r for r in sheet.iter_rows(max_row=30) if any(
        isinstance(c.value, str) and c.value.startswith("Disponibilit") for c in r))
    column = next(c.column for c in header
                  if isinstance(c.value, str) and c.value.startswith("Disponibilit"))
    sheet.cell(member.row, column).value = text
    book.save(config.coordination)
    book.close()


def add_follow_up(config: Config, rows: list[tuple[object, ...]]) -> None:
    """A « Suivi de l'année » tab typed in the coordinator workbook."""
    assert isinstance(config.coordination, Path)
    book = openpyxl.load_workbook(config.coordination)
    sheet = book.create_sheet(config.tabs.follow_up)
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(config.coordination)
    book.close()


def first_shared_event(result: SyncResult) -> Event:
    """An event held at the school with all the class's ambassadors, of a class whose
    ambassadors have no other event that weekday (so excluding it moves only this one)."""
    year = result.check.year
    assert year is not None
    for e in year.plan.events:
        if e.kind == "lancement" and len(e.attendees) >= 1:
            return e
    raise AssertionError("no lancement planned")


def test_a_second_sync_keeps_every_published_event_on_its_half_day(demo: Config) -> None:
    first = sync(demo, now=NOW)
    assert first.check.year is not None and first.check.year.plan.events
    assert "Calendrier" in first.tabs and "Temps forts" in first.tabs
    assert isinstance(demo.coordination, Path)
    before = events_block(sheet_rows(demo.coordination, demo.tabs.calendar))
    assert {r[7] for r in before} == {"proposé"}
    second = sync(demo, now=LATER)
    year = second.check.year
    assert year is not None and not year.plan.moved
    assert {e.status for e in year.plan.events} == {PUBLISHED}
    after = events_block(sheet_rows(demo.coordination, demo.tabs.calendar))
    assert [r[:7] for r in after] == [r[:7] for r in before]  # byte-equal but the status
    assert {r[7] for r in after} == {"publié"}


def test_the_state_tab_remembers_events_without_naming_anyone(demo: Config) -> None:
    sync(demo, now=NOW)
    assert isinstance(demo.coordination, Path)
    state = sheet_text(demo.coordination, (demo.tabs.state,))
    assert "Classe (temps fort)" in state and "lancement" in state
    roster = check_source(demo, today=NOW.date(), match=False).sponsorship.members
    for m in roster:
        assert m.name not in state and m.ambassador.id not in state
    previous = check_source(demo, today=LATER.date()).previous
    assert previous.events and all(e.half_days == 1 for e in previous.events)


def test_an_ambassador_made_unavailable_moves_their_class_events(demo: Config) -> None:
    first = sync(demo, now=NOW)
    event = first_shared_event(first)
    person = event.attendees[0]
    weekday = WEEKDAYS[event.start.day.weekday()]
    set_availability(demo, person, f"sauf le {weekday}")
    second = sync(demo, now=LATER)
    year = second.check.year
    assert year is not None
    moved = {old.key: why for old, why in year.plan.moved}
    assert moved[event.key] == f"l'ambassadeur {person} n'est plus disponible"
    for old in (o for o, _ in year.plan.moved):
        assert person in old.attendees
    now = {e.key: e for e in year.plan.events}
    if event.key in now:  # re-planned on another weekday
        assert now[event.key].start.day.weekday() != event.start.day.weekday()
    assert isinstance(demo.coordination, Path)
    text = sheet_text(demo.coordination, (demo.tabs.calendar,))
    assert "Déplacés depuis la dernière synchronisation" in text
    assert f"L'ambassadeur {person} n'est plus disponible." in text
    journal = sheet_text(demo.coordination, (demo.tabs.journal,))
    assert f"Temps fort déplacé : {event.kind}, classe {event.class_id}." in journal
    assert person not in journal


def test_a_confirmed_day_never_moves_even_when_the_ambassador_becomes_unavailable(
    demo: Config,
) -> None:
    first = sync(demo, now=NOW)
    event = first_shared_event(first)
    names = first.check.year.names  # type: ignore[union-attr]
    school, label = names.schools[event.school], names.classes[event.class_id]
    add_follow_up(demo, [(school, label, event.class_id, event.kind, "", "confirmé",
                          event.start.day)])
    set_availability(demo, event.attendees[0], f"sauf le {WEEKDAYS[event.start.day.weekday()]}")
    second = sync(demo, now=LATER)
    year = second.check.year
    assert year is not None
    kept = {e.key: e for e in year.plan.events}[event.key]
    assert kept.status == CONFIRMED and kept.half_days == event.half_days
    assert event.key not in {old.key for old, _ in year.plan.moved}
    assert not [i for i in second.check.report.issues if i.code.startswith("suivi-")]


def test_follow_up_issues_join_the_report_with_their_cells(demo: Config) -> None:
    sync(demo, now=NOW)
    add_follow_up(demo, [("Collège inconnu", "4ème n°9", "", "lancement", "", "confirmé",
                          dt.date(2021, 9, 20))])
    checked = check_source(demo, today=LATER.date(), match=False)
    assert checked.year is None  # `check` plans nothing
    found = [(i.tab, i.cell, i.code) for i in checked.report.issues
             if i.code.startswith("suivi-")]
    assert found and all(tab == demo.tabs.follow_up for tab, _, _ in found)
    assert found[0][1].endswith("2")  # the row typed under the header


def test_calendar_goes_to_the_coordinator_workbook_only(demo: Config) -> None:
    sync(demo, now=NOW)
    assert isinstance(demo.coordination, Path)
    shared = openpyxl.load_workbook(demo.source).sheetnames
    coordination = openpyxl.load_workbook(demo.coordination).sheetnames
    assert demo.tabs.calendar in coordination and demo.tabs.calendar not in shared
    order = coordination
    assert order.index("Parrainages") < order.index("Calendrier") < order.index("Relances")


def test_partner_outputs_name_no_ambassador_and_carry_no_contact(demo: Config) -> None:
    assert {demo.tabs.year_events, demo.tabs.year_review} <= set(demo.partner_tabs)
    sync(demo, now=NOW)
    shared = openpyxl.load_workbook(demo.source).sheetnames
    assert shared.index("Égalité filles-garçons") < shared.index(demo.tabs.year_events)
    report = write_report(demo, "xlsx", demo.path.parent / "rapport.xlsx", now=NOW)
    assert demo.tabs.year_events in openpyxl.load_workbook(report).sheetnames
    members = check_source(demo, today=NOW.date(), match=False).sponsorship.members
    year_tabs = sheet_text(demo.source, (demo.tabs.year_events,))
    assert "lancement" in year_tabs
    report_text = sheet_text(report)
    report_year = sheet_text(report, (demo.tabs.year_events,))
    for m in members:
        assert m.email and m.email not in report_text and m.email not in year_tabs
        assert m.phone and m.phone not in report_text and m.phone not in year_tabs
        for text in (year_tabs, report_year):
            assert m.name not in text and m.last_name not in text


def test_calendars_and_tabs_agree(demo: Config, tmp_path: Path) -> None:
    sync(demo, now=NOW)
    export = export_calendars(demo, tmp_path / "ics", now=LATER)
    assert export.plan.events and {e.status for e in export.plan.events} == {PUBLISHED}
    assert isinstance(demo.coordination, Path)
    rows = events_block(sheet_rows(demo.coordination, demo.tabs.calendar))
    days = sorted(r[0].date() for r in rows)  # type: ignore[union-attr]
    assert days == sorted(e.start.day for e in export.plan.events)


def test_a_school_own_half_days_from_config_are_honoured(demo: Config) -> None:
    assert demo.path is not None
    text = demo.path.read_text(encoding="utf-8")
    demo.path.write_text(text.replace("[[annee_scolaire.vacances]]", """\
[[annee_scolaire.etablissements]]
nom = "college des tisserands"
disponibilites = "mardi et jeudi"
preferer = "jeudi matin"

[[annee_scolaire.vacances]]""", 1), encoding="utf-8")
    demo = load_config(demo.path)
    year = sync(demo, now=NOW).check.year
    assert year is not None
    mine = [e for e in year.plan.events if year.names.schools[e.school]
            == "Collège des Tisserands"]
    assert mine and all(h.day.weekday() in (1, 3) for e in mine for h in e.half_days)
    others = [e for e in year.plan.events if e not in mine]
    assert any(e.start.day.weekday() not in (1, 3) for e in others)


def test_check_of_a_campaign_with_a_year_loads_no_solver(demo: Config, tmp_path: Path) -> None:
    """`check` reads « Suivi de l'année » but plans nothing: OR-Tools is never imported."""
    from ..test_startup import loaded

    assert demo.path is not None
    assert loaded(["check", "--config", str(demo.path), "-q"], tmp_path, ("ortools",)) == []
