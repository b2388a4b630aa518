"""Issue #17: the year a sync plans — events remembered in the state tab, confirmed days of
« Suivi de l'année », the schools' own half-days — and the re-plan's hard rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.cells.grid import Grid
from sheets_sync.config import Tabs
from sheets_sync.dashboards.memory import state_tab
from sheets_sync.form.consolidate import Campaign
from sheets_sync.form.sessions import (
    EMPTY_STATE,
    PAIRINGS_HEADER,
    STATE_HEADER,
    PublishedEvent,
    pseudonym,
    read_previous,
)
from sheets_sync.schoolyear import (
    Event,
    HalfDay,
    PairedClass,
    TempsFort,
    load_calendar,
    parse_availability,
    plan_year,
)
from sheets_sync.schoolyear.exports import Names
from sheets_sync.schoolyear.model import CONFIRMED, PUBLISHED, Plan, PlanAmbassador
from sheets_sync.schoolyear.season import confirmed_events, published_events
from sheets_sync.schoolyear.year import YearPlan

from .test_plan import FAST, SLOW, broken_rules, instances

D = dt.date
NOW = dt.datetime(2026, 9, 7, 10)
TABS = Tabs()


class View:
    """The part of a campaign the state tab reads."""

    name = "Campagne"
    school_year = "2026-2027"
    sessions = ()
    tabs = TABS

    def same_book(self) -> bool:
        return True


def as_grid(rows: list[list[object]]) -> Grid:
    return Grid(TABS.state, tuple(tuple(r) for r in rows), sheet=TABS.state)  # type: ignore[arg-type]


def written_state(events: list[Event]) -> Grid:
    """The state tab a sync writes for these events, read back as a grid."""
    year = YearPlan(Plan(events, []), (), (), Names(), NOW.date())
    campaign = Campaign(schools=(), unanswered=(), issues=(), state=EMPTY_STATE)
    tab = state_tab(View(), campaign, NOW, None, year)
    return as_grid([[c.value for c in row] for row in tab.as_rows()])


EVENTS = [
    Event("tisserands-4e1", "lancement", (HalfDay(D(2026, 9, 15), True),), ("nadia-ben-1",),
          "etablissement", "tisserands", "tisserands"),
    Event("tisserands-4e1", "immersion", (HalfDay(D(2026, 11, 3), False),
                                           HalfDay(D(2026, 11, 3), True)),
          ("nadia-ben-1", "paul-roy-2"), "entreprise", "Alpha", "tisserands", PUBLISHED),
]


def test_the_events_block_round_trips_through_the_state_tab() -> None:
    previous = read_previous([written_state(EVENTS)], TABS.state)
    assert previous.events == (
        PublishedEvent("tisserands-4e1", "lancement", D(2026, 9, 15), True, 1, "proposé",
                       (pseudonym("nadia-ben-1"),)),
        PublishedEvent("tisserands-4e1", "immersion", D(2026, 11, 3), False, 2, "publié",
                       (pseudonym("nadia-ben-1"), pseudonym("paul-roy-2"))),
    )


def test_the_state_tab_names_no_ambassador() -> None:
    grid = written_state(EVENTS)
    cells = {str(v) for row in grid.rows for v in row if v is not None}
    assert not any("nadia" in c or "paul" in c for c in cells)


def test_a_state_tab_written_before_the_events_block_reads_as_no_event_published() -> None:
    old = as_grid([["Généré par sheets-sync le 2/9/2021 — ne pas modifier"], ["Mémoire"], [],
                   list(STATE_HEADER), ["tisserands", D(2021, 7, 2), "Collège"], [],
                   list(PAIRINGS_HEADER), ["tisserands-4e1", "9c1e0b7d2a44", "non",
                                           D(2021, 7, 2)]])
    previous = read_previous([old], TABS.state)
    assert previous.events == () and len(previous.pairings) == 1


def test_damaged_event_rows_are_left_out() -> None:
    grid = written_state(EVENTS)
    rows = [list(r) for r in grid.rows]
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Classe (temps fort)")
    rows[start + 1][3] = "soir"  # not a half-day
    rows[start + 2][4] = "2"  # a count given back as text (Google) still reads
    previous = read_previous([as_grid(rows)], TABS.state)
    assert [(e.kind, e.half_days) for e in previous.events] == [("immersion", 2)]


CLASS = PairedClass("c1", "tisserands", ("nadia", "paul"))
PEOPLE = {"nadia": PlanAmbassador("nadia", "Alpha", parse_availability("lundi").availability),
          "paul": PlanAmbassador("paul", "Bêta", parse_availability("").availability)}
KINDS = {"lancement": TempsFort("lancement", D(2026, 9, 14), D(2026, 10, 16)),
         "immersion": TempsFort("immersion", D(2026, 11, 2), D(2026, 12, 18),
                                place="entreprise", attendance="au-moins-un", duration=2)}


def test_published_events_come_back_with_their_attendees_by_pseudonym() -> None:
    remembered = [PublishedEvent("c1", "immersion", D(2026, 11, 3), False, 2, "proposé",
                                 (pseudonym("paul"),))]
    (event,) = published_events(remembered, {"c1": CLASS}, KINDS, PEOPLE)
    assert event.attendees == ("paul",) and event.where == "Bêta"
    assert event.half_days == (HalfDay(D(2026, 11, 3), False), HalfDay(D(2026, 11, 3), True))
    assert event.status == PUBLISHED


def test_without_attendees_the_first_free_ambassador_goes_or_all_of_them() -> None:
    tuesday = [PublishedEvent("c1", "immersion", D(2026, 11, 3), False, 2)]
    (event,) = published_events(tuesday, {"c1": CLASS}, KINDS, PEOPLE)
    assert event.attendees == ("paul",)  # nadia is free on Mondays only
    everyone = [PublishedEvent("c1", "lancement", D(2026, 9, 14), False, 1, "", ("gone",))]
    (event,) = published_events(everyone, {"c1": CLASS}, KINDS, PEOPLE)
    assert event.attendees == ("nadia", "paul") and event.where == "tisserands"


def test_unknown_classes_and_temps_forts_are_forgotten() -> None:
    remembered = [PublishedEvent("gone", "lancement", D(2026, 9, 14), False),
                  PublishedEvent("c1", "supprimé", D(2026, 9, 14), False)]
    assert published_events(remembered, {"c1": CLASS}, KINDS, PEOPLE) == []


def test_a_confirmed_day_takes_the_published_half_day_else_the_morning() -> None:
    starts = {("c1", "lancement"): HalfDay(D(2026, 9, 15), True)}
    days = {("c1", "lancement"): D(2026, 9, 15), ("c1", "immersion"): D(2026, 11, 5)}
    events = {e.kind: e for e in confirmed_events(days, starts, {"c1": CLASS}, KINDS, PEOPLE)}
    assert events["lancement"].half_days == (HalfDay(D(2026, 9, 15), True),)
    assert events["immersion"].half_days == (HalfDay(D(2026, 11, 5), False),
                                             HalfDay(D(2026, 11, 5), True))
    assert all(e.status == CONFIRMED for e in events.values())
    assert events["lancement"].attendees == ("nadia", "paul")  # « tous »
    # « au-moins-un » (review finding 1): one free ambassador, never the whole class
    assert (events["immersion"].attendees, events["immersion"].where) == (("paul",), "Bêta")
    moved = {("c1", "lancement"): D(2026, 9, 18)}  # confirmed on another day than published
    (event,) = confirmed_events(moved, starts, {"c1": CLASS}, KINDS, PEOPLE)
    assert event.start == HalfDay(D(2026, 9, 18), False)


CAL = load_calendar("2026-2027")


def test_a_school_preference_is_taken_when_it_fits_and_exclusions_always() -> None:
    classes = [PairedClass(f"c{i}", "tisserands", ("paul",)) for i in range(3)]
    kinds = [KINDS["lancement"]]
    people = {"paul": PEOPLE["paul"]}
    liked = parse_availability("jeudi matin").availability
    allowed = parse_availability("mardi et jeudi").availability
    plan = plan_year(classes, kinds, CAL, people, school_availability={"tisserands": allowed},
                     preferred={"tisserands": liked}, settings=FAST)
    assert len(plan.events) == 3
    assert all(liked.allows(e.start) for e in plan.events)
    only_excluded = parse_availability("vendredi").availability  # never among accepted days
    plan = plan_year(classes, kinds, CAL, people, school_availability={"tisserands": allowed},
                     preferred={"tisserands": only_excluded}, settings=FAST)
    assert len(plan.events) == 3 and all(allowed.allows(e.start) for e in plan.events)


@SLOW
@given(instances(), st.data())
def test_a_replan_from_any_remembered_events_never_breaks_a_hard_rule(
    instance: tuple,  # type: ignore[type-arg]
    data: st.DataObject,
) -> None:
    """Whatever the state tab remembers (events on any half-day of the year, any attendees,
    any length), what the plan keeps and adds breaks no hard rule; confirmed days stay."""
    classes, kinds, calendar, ambassadors, per_week = instance
    by_class = {c.class_id: c for c in classes}
    by_kind = {k.name: k for k in kinds}
    aliases = [pseudonym(a) for a in ambassadors] + ["inconnu"]
    remembered = data.draw(st.lists(st.builds(
        PublishedEvent, st.sampled_from([*by_class, "C99"]), st.sampled_from([*by_kind]),
        st.dates(D(2026, 9, 1), D(2027, 6, 30)), st.booleans(), st.integers(1, 3),
        st.just("proposé"), st.lists(st.sampled_from(aliases), max_size=2).map(tuple)),
        max_size=8))
    published = published_events(remembered, by_class, by_kind, ambassadors)
    confirmed_days = data.draw(st.dictionaries(
        st.tuples(st.sampled_from([*by_class]), st.sampled_from([*by_kind])),
        st.dates(D(2026, 9, 1), D(2027, 6, 30)), max_size=2))
    starts = {e.key: e.start for e in published}
    confirmed = confirmed_events(confirmed_days, starts, by_class, by_kind, ambassadors)
    plan = plan_year(classes, kinds, calendar, ambassadors, published=published,
                     confirmed=confirmed, settings=replace(FAST, visits_per_week=per_week))
    assert broken_rules(plan, classes, kinds, calendar, ambassadors, per_week) == []
    placed = {e.key: e for e in plan.events}
    for e in confirmed:
        assert placed[e.key].half_days == e.half_days and placed[e.key].status == CONFIRMED
    for e, why in plan.moved:
        assert why and e.key not in {c.key for c in confirmed}


def test_a_state_tab_naming_an_ambassador_twice_keeps_one_attendee() -> None:
    """Found by the property above: a hand-damaged row naming the same pseudonym twice made
    an ambassador « in two places » on the event's half-day."""
    remembered = [PublishedEvent("c1", "lancement", D(2026, 9, 14), False, 1, "",
                                 (pseudonym("nadia"), pseudonym("nadia")))]
    (event,) = published_events(remembered, {"c1": CLASS}, KINDS, PEOPLE)
    assert event.attendees == ("nadia",)
