"""Issue #17, review findings 1, 2 (plan side), 5, 9 and 10: each bug reproduced by a test
named after it (days typed in « Suivi de l'année », cancelled and held pairs, a plan that
must not depend on the machine's load, the wording of the suivi-* messages)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells.grid import CellValue, Grid
from sheets_sync.config import Config, load_config
from sheets_sync.form.findings import Report
from sheets_sync.schoolyear import (
    Event,
    HalfDay,
    PairedClass,
    PlanAmbassador,
    PlanSettings,
    TempsFort,
    load_calendar,
    parse_availability,
    plan_year,
)
from sheets_sync.schoolyear.model import CANCELLED, CONFIRMED, HELD, PUBLISHED
from sheets_sync.schoolyear.season import clash_issues, confirmed_events, day_issues
from sheets_sync.schoolyear.tracking import HEADER, FollowUp, Tracked, read_follow_up
from sheets_sync.starter.campaign import build_demo
from sheets_sync.starter.demo import demo_config
from sheets_sync.sync import sync

from .test_year_sync import LATER, NOW, add_follow_up

D = dt.date
TAB = "Suivi de l'année"
CAL = load_calendar("2026-2027")
MONDAY = D(2026, 11, 2)  # back from the Toussaint holidays: open all day
ANYTIME = parse_availability("").availability
PEOPLE = {"nadia": PlanAmbassador("nadia", "Alpha", parse_availability("lundi").availability),
          "paul": PlanAmbassador("paul", "Bêta", ANYTIME),
          "rose": PlanAmbassador("rose", "Bêta", ANYTIME)}
LANCEMENT = TempsFort("lancement", D(2026, 9, 14), D(2026, 10, 16))
IMMERSION = TempsFort("immersion", D(2026, 11, 2), D(2026, 12, 18), place="entreprise",
                      attendance="au-moins-un")
KINDS = {k.name: k for k in (LANCEMENT, IMMERSION)}


def follow_up(*rows: tuple[int, str, str]) -> FollowUp:
    """« Suivi » rows (sheet row, class id, temps fort), the date in column G."""
    return FollowUp(tuple(Tracked(r, "Collège", "4ème n°1", c, k, True, state="confirmé")
                          for r, c, k in rows), found=True, sheet=TAB,
                    columns=(("identifiant", 3), ("type", 4), ("etat", 6), ("date", 7)),
                    tab=TAB)


def flat(issues: list[Any]) -> list[list[object]]:
    return Report(list(issues)).flatten(["cell", "code"])


# -- finding 1: a confirmed day keeps who and where, picks one free ambassador, clashes told --

def test_double_booked_confirmed_day_keeps_the_published_attendees_and_company() -> None:
    """The review's repro: the plan sent paul alone (Bêta); the coordinator confirms that
    very half-day; the event must not pull in nadia nor move to Alpha."""
    cls = PairedClass("c1", "tisserands", ("nadia", "paul"))
    published = Event("c1", "immersion", (HalfDay(D(2026, 11, 3), False),), ("paul",),
                      "entreprise", "Bêta", "tisserands", PUBLISHED)
    (event,) = confirmed_events({published.key: D(2026, 11, 3)}, {published.key: published.start},
                                {"c1": cls}, KINDS, PEOPLE, published={published.key: published})
    assert (event.attendees, event.where, event.half_days, event.status) == (
        ("paul",), "Bêta", published.half_days, CONFIRMED)


def test_double_booked_au_moins_un_confirmed_day_picks_one_free_ambassador() -> None:
    """paul is already at c0's confirmed immersion that morning: c1's takes nadia alone."""
    classes = {"c0": PairedClass("c0", "sartel", ("paul",)),
               "c1": PairedClass("c1", "lestienne", ("paul", "nadia"))}
    days = {("c0", "immersion"): MONDAY, ("c1", "immersion"): MONDAY}
    events = confirmed_events(days, {}, classes, KINDS, PEOPLE)
    assert [(e.class_id, e.attendees, e.where) for e in events] == [
        ("c0", ("paul",), "Bêta"), ("c1", ("nadia",), "Alpha")]
    assert clash_issues(events, follow_up((2, "c0", "immersion"), (3, "c1", "immersion"))) == []


def test_double_booked_keeps_the_company_when_the_published_attendee_is_taken() -> None:
    """Moved to a day paul is busy: rose (same company) goes, never nadia (another one)."""
    cls = PairedClass("c1", "lestienne", ("nadia", "paul", "rose"))
    other = PairedClass("c0", "sartel", ("paul",))
    published = Event("c1", "immersion", (HalfDay(D(2026, 11, 3), False),), ("paul",),
                      "entreprise", "Bêta", "lestienne", PUBLISHED)
    days = {("c0", "immersion"): MONDAY, ("c1", "immersion"): MONDAY}
    events = confirmed_events(days, {published.key: published.start},
                              {"c0": other, "c1": cls}, KINDS, PEOPLE,
                              published={published.key: published})
    assert [(e.class_id, e.attendees, e.where) for e in events] == [
        ("c0", ("paul",), "Bêta"), ("c1", ("rose",), "Bêta")]


def test_double_booked_by_an_older_sync_a_moved_au_moins_un_day_takes_one_ambassador() -> None:
    """An older sync remembered every ambassador of the class at a confirmed immersion;
    confirmed on another day, it takes one of them (the first free), at their company."""
    cls = PairedClass("c1", "sartel", ("nadia", "paul"))
    published = Event("c1", "immersion", (HalfDay(D(2026, 11, 3), False),), ("nadia", "paul"),
                      "entreprise", "Alpha", "sartel", PUBLISHED)
    (event,) = confirmed_events({published.key: D(2026, 11, 5)}, {published.key: published.start},
                                {"c1": cls}, KINDS, PEOPLE, published={published.key: published})
    # nadia (Alpha) is free on Mondays only: Alpha has no one free that Thursday, so nadia
    # still goes (the company never changes silently); the clash check shows the rest
    assert (event.attendees, event.where) == (("nadia",), "Alpha")


def test_double_booked_person_in_two_confirmed_events_is_a_suivi_conflit() -> None:
    classes = {"c0": PairedClass("c0", "sartel", ("paul",)),
               "c1": PairedClass("c1", "lestienne", ("paul",))}
    days = {("c0", "immersion"): MONDAY, ("c1", "lancement"): MONDAY}
    events = confirmed_events(days, {}, classes, KINDS, PEOPLE)
    issues = clash_issues(events, follow_up((5, "c1", "lancement"), (9, "c0", "immersion")))
    assert flat(issues) == [["G9", "suivi-conflit"]]
    assert issues[0].tab == TAB and issues[0].value == "2 novembre 2026"
    assert "(ligne 5)" in issues[0].message and "paul" not in issues[0].message
    assert issues[0].severity == "avertissement"


def test_double_booked_class_in_two_confirmed_events_is_one_suivi_conflit() -> None:
    classes = {"c1": PairedClass("c1", "lestienne", ("paul", "nadia"))}
    days = {("c1", "immersion"): MONDAY, ("c1", "lancement"): MONDAY}
    events = confirmed_events(days, {}, classes, KINDS, PEOPLE)
    issues = clash_issues(events, follow_up((2, "c1", "lancement"), (3, "c1", "immersion")))
    assert flat(issues) == [["G3", "suivi-conflit"]]  # once per pair of rows
    assert "la classe" in issues[0].message


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["c0", "c1", "c2", "c3"]),
                          st.sampled_from(["lancement", "immersion"]),
                          st.sampled_from([MONDAY, D(2026, 11, 3)])), max_size=8),
       st.lists(st.sampled_from(["nadia", "paul", "rose"]), min_size=4, max_size=4))
def test_double_booked_never_silent_whatever_the_confirmed_days(
        typed: list[tuple[str, str, dt.date]], firsts: list[str]) -> None:
    """Property: « au-moins-un » sends one ambassador; a person or a class in two confirmed
    events on one half-day always comes with a suivi-conflit."""
    classes = {f"c{i}": PairedClass(f"c{i}", "s", (first, "paul") if first != "paul"
                                    else ("paul",)) for i, first in enumerate(firsts)}
    days = {(c, k): d for c, k, d in typed}
    events = confirmed_events(days, {}, classes, KINDS, PEOPLE)
    assert all(len(e.attendees) == 1 for e in events if e.kind == "immersion")
    rows = follow_up(*((r, c, k) for r, (c, k) in enumerate(sorted(days), start=2)))
    seen = [(a, h) for e in events for a in e.attendees for h in e.half_days]
    seen += [(e.class_id, h) for e in events for h in e.half_days]
    clashes = clash_issues(events, rows)
    assert bool(clashes) == (len(seen) != len(set(seen)))
    assert all(i.code == "suivi-conflit" and i.cell.startswith("G") for i in clashes)


# -- finding 2 (plan side): held and cancelled pairs --------------------------------------------

def test_cancelled_event_keeps_its_day_and_frees_the_half_day() -> None:
    """The cancelled event stays (status annulé) and paul's Monday morning is free again:
    c1's lancement, possible only then, is placed on it."""
    only_monday = TempsFort("lancement", MONDAY, MONDAY)
    busy = Event("c0", "lancement", (HalfDay(MONDAY, False),), ("paul",), "etablissement",
                 "sartel", "sartel", PUBLISHED)
    morning = PlanAmbassador("paul", "Bêta", parse_availability("le matin").availability)
    classes = [PairedClass("c0", "sartel", ("paul",)), PairedClass("c1", "lestienne", ("paul",))]
    plan = plan_year(classes, [only_monday], CAL, {"paul": morning}, cancelled=[busy],
                     skip={busy.key}, settings=PlanSettings(solver_seconds=0))
    assert [(e.class_id, e.start, e.status) for e in plan.events] == [
        ("c0", HalfDay(MONDAY, False), CANCELLED), ("c1", HalfDay(MONDAY, False), "proposé")]
    assert plan.unplaced == [] and plan.moved == []


def test_held_without_date_is_neither_planned_nor_unplaced() -> None:
    classes = [PairedClass("c0", "sartel", ("paul",))]
    plan = plan_year(classes, [LANCEMENT], CAL, PEOPLE, skip={("c0", "lancement")},
                     settings=PlanSettings(solver_seconds=0))
    assert plan.events == [] and plan.unplaced == []


def test_held_with_a_day_is_a_fixed_event_with_status_held() -> None:
    classes = {"c0": PairedClass("c0", "sartel", ("paul",))}
    key = ("c0", "lancement")
    fixed = confirmed_events({key: D(2026, 9, 15)}, {}, classes, KINDS, PEOPLE, held={key})
    plan = plan_year(list(classes.values()), [LANCEMENT], CAL, PEOPLE, confirmed=fixed,
                     settings=PlanSettings(solver_seconds=0))
    assert [(e.key, e.status) for e in plan.events] == [(key, HELD)]


# -- finding 5: typed days checked against the calendar (warnings, the day is kept) ----------

@pytest.mark.parametrize(("day", "kind", "codes", "says"), [
    (D(2026, 12, 19), "immersion", ["suivi-date-hors-periode", "suivi-date-weekend"],
     "du 2 novembre 2026 au 18 décembre 2026"),  # a Saturday after the window
    (D(2026, 11, 11), "immersion", ["suivi-date-fermee"], "Armistice 1918"),
    (D(2026, 10, 20), "lancement", ["suivi-date-hors-periode", "suivi-date-fermee"],
     "Vacances de la Toussaint"),
    (D(2012, 9, 18), "lancement", ["suivi-date-hors-periode", "suivi-date-fermee"],
     "hors de l'année scolaire"),
    (D(2026, 9, 15), "lancement", [], ""),
])
def test_confirmed_day_unchecked_is_a_warning_with_the_cell(
        day: dt.date, kind: str, codes: list[str], says: str) -> None:
    classes = {"c1": PairedClass("c1", "lestienne", ("paul",))}
    events = confirmed_events({("c1", kind): day}, {}, classes, KINDS, PEOPLE)
    issues = day_issues(events, KINDS, CAL, follow_up((4, "c1", kind)))
    assert flat(issues) == [["G4", c] for c in codes]
    assert all(i.severity == "avertissement" for i in issues)
    assert says in " ".join(i.message for i in issues)
    assert events[0].start.day == day  # kept as typed


def test_confirmed_day_on_a_weekly_closed_half_day_names_it() -> None:
    """Wednesday afternoon is closed every week (the calendar's weekly closed half-days)."""
    classes = {"c1": PairedClass("c1", "lestienne", ("paul",))}
    key = ("c1", "immersion")
    published = Event("c1", "immersion", (HalfDay(D(2026, 11, 4), True),), ("paul",),
                      "entreprise", "Bêta", "lestienne", PUBLISHED)
    events = confirmed_events({key: D(2026, 11, 4)}, {key: published.start}, classes, KINDS,
                              PEOPLE, published={key: published})
    (issue,) = day_issues(events, KINDS, CAL, follow_up((4, "c1", "immersion")))
    assert (issue.cell, issue.code) == ("G4", "suivi-date-fermee")
    assert "mercredi après-midi" in issue.message


# -- finding 9: the same plan under load -----------------------------------------------------

def _spin(stop: Any) -> None:
    while not stop.is_set():
        pass


def _instance() -> tuple[list[PairedClass], list[TempsFort], dict[str, PlanAmbassador]]:
    phrases = ["", "mardi", "le matin", "pas en mai", "lundi et jeudi", "sauf le vendredi"]
    people = {f"A{i}": PlanAmbassador(f"A{i}", f"E{i % 3}",
                                      parse_availability(phrases[i % 6]).availability)
              for i in range(12)}
    classes = [PairedClass(f"C{i:02}", f"S{i % 4}", (f"A{i % 12}", f"A{(i * 5) % 12}"))
               for i in range(24)]
    kinds = [TempsFort("lancement", D(2026, 9, 7), D(2026, 9, 25)),
             TempsFort("immersion", D(2026, 9, 14), D(2026, 10, 9), place="entreprise",
                       attendance="au-moins-un")]
    return classes, kinds, people


def test_plan_not_reproducible_under_load_solver_has_no_wall_clock_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Only CP-SAT's deterministic time bounds a solve: a wall-clock limit binds sooner on a
    loaded machine and gives another plan."""
    from ortools.sat.python import cp_model

    seen: list[Any] = []
    real = cp_model.CpSolver.Solve

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(self.parameters)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "Solve", spy)
    classes, kinds, people = _instance()
    plan_year(classes, kinds, CAL, people,
              settings=PlanSettings(solver_seconds=0.5, chunk_tasks=15))
    assert seen, "the instance must reach CP-SAT"
    for parameters in seen:
        assert parameters.max_time_in_seconds == float("inf")  # the default: none
        assert parameters.max_deterministic_time > 0 and parameters.num_workers == 1


@pytest.mark.slow
def test_plan_not_reproducible_under_load_same_plan_with_a_busy_cpu() -> None:
    classes, kinds, people = _instance()
    budget = PlanSettings(solver_seconds=2, chunk_tasks=15)
    quiet = plan_year(classes, kinds, CAL, people, settings=budget)
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    hogs = [context.Process(target=_spin, args=(stop,), daemon=True) for _ in range(3)]
    for hog in hogs:
        hog.start()
    try:
        busy = plan_year(classes, kinds, CAL, people, settings=budget)
    finally:
        stop.set()
        for hog in hogs:
            hog.join(10)
    assert (busy.events, busy.unplaced) == (quiet.events, quiet.unplaced)


# -- finding 10: the wording of the suivi-* messages -----------------------------------------

CLASSES = {"tisserands-4e1": ("Collège Les Tisserands", "4ème n°1")}


def read(*rows: tuple[CellValue, ...]) -> FollowUp:
    return read_follow_up([Grid(TAB, (HEADER, *rows), sheet=TAB)], TAB,
                          ("lancement", "immersion"), CLASSES)


def test_unknown_identifier_message_speaks_to_principals() -> None:
    """Principals cannot see the pairings tab: the message tells them what they can do."""
    (issue,) = read(("Collège Les Tisserands", "4ème n°1", "tis-4e9", "lancement")).issues
    assert (issue.cell, issue.code) == ("C2", "suivi-identifiant-inconnu")
    assert "parrainages" not in issue.message
    assert "laissez-le vide et indiquez l'établissement et la classe" in issue.message


def test_doublon_message_names_the_school() -> None:
    row = ("Collège Les Tisserands", "4ème n°1", "tisserands-4e1", "lancement")
    (issue,) = read(row, row).issues
    assert (issue.cell, issue.code) == ("D3", "suivi-doublon")
    assert "la classe 4ème n°1 de Collège Les Tisserands (ligne 2)" in issue.message


@pytest.mark.parametrize(("typed", "shown"), [(True, "VRAI"), (False, "FAUX")])
def test_boolean_type_cell_is_shown_as_the_sheet_shows_it(typed: bool, shown: str) -> None:
    (issue,) = read(("Collège Les Tisserands", "4ème n°1", "tisserands-4e1", typed)).issues
    assert (issue.cell, issue.code, issue.value) == ("D2", "suivi-type-inconnu", shown)
    assert f"« {shown} »" in issue.message and "Oui" not in issue.message


def test_negative_date_serial_is_not_shown_as_midnight_seconds() -> None:
    """A negative serial under a date format reaches the reader as a time of 00:00."""
    row = ("Collège Les Tisserands", "4ème n°1", "tisserands-4e1", "lancement", "", "tenu",
           dt.time(0, 0))
    (issue,) = read(row).issues
    assert (issue.cell, issue.code) == ("G2", "suivi-date-invalide")
    assert issue.value == "00:00" and "00:00:00" not in issue.message


# -- the same findings through a sync of the demo campaign -----------------------------------

@pytest.fixture
def campaign(tmp_path: Path) -> Config:
    """The packaged demo (shared workbook + coordinator workbook), built, not synced."""
    path, _ = demo_config(tmp_path / "demo")
    config = load_config(path)
    assert build_demo(config)
    return config


def _typed(event: Event, state: str, day: dt.date | None, names: Any) -> tuple[object, ...]:
    return (names.schools[event.school], names.classes[event.class_id], event.class_id,
            event.kind, "", state, day)


@pytest.mark.slow
def test_double_booked_demo_confirmed_on_its_published_day_keeps_who_and_where(
        campaign: Config) -> None:
    demo = campaign
    first = sync(demo, now=NOW)
    year = first.check.year
    assert year is not None
    classes = {c.class_id: c for c in year.classes}
    picked = [e for e in year.plan.events
              if len(e.attendees) < len(classes[e.class_id].ambassadors)]
    assert picked, "the demo has events attended by only some of the class's ambassadors"
    add_follow_up(demo, [_typed(e, "confirmé", e.start.day, year.names) for e in picked])
    second = sync(demo, now=LATER)
    after = second.check.year
    assert after is not None
    now = {e.key: e for e in after.plan.events}
    for e in picked:
        kept = now[e.key]
        assert (kept.half_days, kept.attendees, kept.where, kept.status) == (
            e.half_days, e.attendees, e.where, CONFIRMED)
    fixed = [e for e in after.plan.events if e.status in (CONFIRMED, HELD)]
    seen = [(a, h) for e in fixed for a in e.attendees for h in e.half_days]
    assert len(seen) == len(set(seen))  # nobody in two confirmed events on one half-day
    assert not [i for i in second.check.report.issues if i.code == "suivi-conflit"]


@pytest.mark.slow
def test_held_without_date_and_cancelled_pairs_in_the_demo_sync(campaign: Config) -> None:
    demo = campaign
    first = sync(demo, now=NOW)
    year = first.check.year
    assert year is not None
    held, cancelled = year.plan.events[0], year.plan.events[1]
    saturday = D(2021, 9, 18)
    dated = year.plan.events[2]
    add_follow_up(demo, [_typed(held, "tenu", None, year.names),
                         _typed(cancelled, "annulé", None, year.names),
                         _typed(dated, "confirmé", saturday, year.names)])
    second = sync(demo, now=LATER)
    after = second.check.year
    assert after is not None
    now = {e.key: e for e in after.plan.events}
    assert held.key not in now  # it took place: no event…
    assert held.key not in {(u.class_id, u.kind) for u in after.plan.unplaced}  # …not unplaced
    assert (now[cancelled.key].status, now[cancelled.key].half_days) == (
        CANCELLED, cancelled.half_days)
    assert now[dated.key].start.day == saturday  # kept as typed, with a warning on its cell
    found = [(i.tab, i.cell, i.code) for i in second.check.report.issues
             if i.code.startswith("suivi-")]
    assert (demo.tabs.follow_up, "G2", "suivi-date-manquante") in found
    assert (demo.tabs.follow_up, "G4", "suivi-date-weekend") in found


def test_a_school_name_typo_in_config_is_a_warning_with_the_closest_name() -> None:
    """Review: `[[annee_scolaire.etablissements]] nom = "Collège des Tiserands"` applied to
    nothing, silently."""
    from types import SimpleNamespace

    from sheets_sync.schoolyear.model import SchoolDays
    from sheets_sync.schoolyear.season import unknown_schools

    def cls(key: str, name: str) -> SimpleNamespace:
        return SimpleNamespace(unit=SimpleNamespace(school=key),
                               school=SimpleNamespace(name=name, reference=None))

    sponsorship = SimpleNamespace(classes=[cls("tisserands", "Collège des Tisserands"),
                                           cls("0590001A", "Collège Jean Macé")])
    issues = unknown_schools([SchoolDays("Collège des Tiserands", None),
                              SchoolDays("collège DES tisserands", None),
                              SchoolDays("0590001A", None),
                              SchoolDays("Lycée inconnu", None)], sponsorship)  # type: ignore[arg-type]
    assert [(i.code, i.field, i.severity) for i in issues] == [
        ("config-etablissement-inconnu", "annee_scolaire.etablissements[1].nom", "avertissement"),
        ("config-etablissement-inconnu", "annee_scolaire.etablissements[4].nom", "avertissement")]
    assert issues[0].message.endswith("Vouliez-vous dire « Collège des Tisserands » ?")
    assert "n°4 : « Lycée inconnu » ne désigne aucun collège" in issues[1].message
    assert "Vouliez-vous" not in issues[1].message
