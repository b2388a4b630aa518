"""The year's plan: hard rules never broken (independent checker), kept events, determinism."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_sync.schoolyear import (
    CalendarSettings,
    Closure,
    Event,
    HalfDay,
    PairedClass,
    Plan,
    PlanAmbassador,
    PlanSettings,
    SchoolCalendar,
    TempsFort,
    Unplaced,
    load_calendar,
    parse_availability,
    plan_year,
)

D = dt.date
FAST = PlanSettings(visits_per_week=2, solver_seconds=2.0, max_options=10, chunk_tasks=20)
PHRASES = ["", "tous les jours", "mardi après-midi", "lundi et jeudi matin", "pas en juin",
           "le matin", "sauf le vendredi", "mercredis", "1er trimestre", "de janvier à mars",
           "jeudi", "vendredi matin", "indisponible", "samedi"]


# -- an independent checker of the hard rules ------------------------------------------------

def _follows(a: HalfDay, b: HalfDay) -> bool:
    if not a.afternoon:
        return b == HalfDay(a.day, True)
    return b == HalfDay(a.day + dt.timedelta(days=1), False)


def broken_rules(plan: Plan, classes: Sequence[PairedClass], kinds: Sequence[TempsFort],
                 calendar: SchoolCalendar, ambassadors: Mapping[str, PlanAmbassador],
                 visits_per_week: int) -> list[str]:
    """Every hard rule a plan breaks, as readable strings (empty: the plan is valid)."""
    problems = []
    by_class = {c.class_id: c for c in classes}
    by_kind = {k.name: k for k in kinds}
    seen: Counter[tuple[str, str]] = Counter()
    amb_half: Counter[tuple[str, HalfDay]] = Counter()
    cls_half: Counter[tuple[str, HalfDay]] = Counter()
    visits: Counter[tuple[str, tuple[int, int]]] = Counter()
    for e in plan.events:
        seen[(e.class_id, e.kind)] += 1
        cls, kind = by_class[e.class_id], by_kind[e.kind]
        for h in e.half_days:
            cls_half[(e.class_id, h)] += 1
            for a in e.attendees:
                amb_half[(a, h)] += 1
        if e.place == "entreprise":
            for week in {tuple(h.day.isocalendar())[:2] for h in e.half_days}:
                visits[(e.where, week)] += 1  # type: ignore[index]
        if e.status == "confirmé":
            continue
        if len(e.half_days) != kind.duration:
            problems.append(f"{e.key}: durée")
        if any(not _follows(a, b) for a, b in zip(e.half_days, e.half_days[1:], strict=False)):
            problems.append(f"{e.key}: demi-journées non consécutives")
        for h in e.half_days:
            if not kind.start <= h.day <= kind.end:
                problems.append(f"{e.key}: hors fenêtre {h}")
            if h.day.weekday() >= 5 or calendar.closed_reason(h) is not None:
                problems.append(f"{e.key}: collège fermé {h}")
            for a in e.attendees:
                if not ambassadors[a].availability.allows(h):
                    problems.append(f"{e.key}: {a} indisponible {h}")
        if kind.attendance == "tous" and set(e.attendees) != set(cls.ambassadors):
            problems.append(f"{e.key}: tous les ambassadeurs attendus")
        if not e.attendees or not set(e.attendees) <= set(cls.ambassadors):
            problems.append(f"{e.key}: participants")
        if e.place != kind.place:
            problems.append(f"{e.key}: lieu")
        if kind.place == "entreprise" and e.where != ambassadors[e.attendees[0]].company:
            problems.append(f"{e.key}: entreprise")
    problems += [f"{k}: deux événements" for k, n in seen.items() if n > 1]
    problems += [f"{k}: ambassadeur à deux endroits" for k, n in amb_half.items() if n > 1]
    problems += [f"{k}: classe deux fois" for k, n in cls_half.items() if n > 1]
    problems += [f"{k}: trop de visites" for k, n in visits.items() if n > visits_per_week]
    unplaced = {(u.class_id, u.kind) for u in plan.unplaced}
    if unplaced & set(seen):
        problems.append("placé et non placé à la fois")
    wanted = {(c.class_id, k.name) for c in classes for k in kinds}
    if wanted != unplaced | set(seen):
        problems.append("un temps fort n'est ni placé ni listé comme non placé")
    return problems


# -- random instances -------------------------------------------------------------------------

@st.composite
def instances(draw: st.DrawFn) -> tuple[list[PairedClass], list[TempsFort], SchoolCalendar,
                                        dict[str, PlanAmbassador], int]:
    closures = tuple(
        Closure(f"fermeture {i}", start, start + dt.timedelta(days=draw(st.integers(0, 6))),
                draw(st.sampled_from([None, False, True])))
        for i, start in enumerate(draw(st.lists(st.dates(D(2026, 9, 1), D(2027, 6, 30)),
                                                max_size=2))))
    weekly = frozenset(draw(st.sets(st.tuples(st.integers(0, 4), st.booleans()), max_size=3)))
    calendar = load_calendar(CalendarSettings("2026-2027", closures, weekly))
    kinds = []
    for i, name in enumerate(("lancement", "immersion", "restitution")[:draw(st.integers(1, 3))]):
        start = draw(st.dates(D(2026, 9, 1), D(2027, 6, 15)))
        kinds.append(TempsFort(
            name, start, start + dt.timedelta(days=draw(st.integers(0, 40))),
            place=draw(st.sampled_from(["etablissement", "entreprise", "lieu"])),
            attendance=draw(st.sampled_from(["tous", "au-moins-un"])),
            duration=draw(st.sampled_from([1, 1, 2])), venue=f"Salle {i}"))
    companies = ["Alpha", "Bêta", "Gamma", None]
    ambassadors = {
        f"A{i}": PlanAmbassador(f"A{i}", draw(st.sampled_from(companies)),
                                parse_availability(draw(st.sampled_from(PHRASES))).availability)
        for i in range(draw(st.integers(1, 6)))}
    ids = sorted(ambassadors)
    classes = [PairedClass(f"C{i}", f"Collège {draw(st.integers(0, 2))}",
                           tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))))
               for i in range(draw(st.integers(1, 7)))]
    return classes, kinds, calendar, ambassadors, draw(st.integers(1, 2))


SLOW = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SLOW
@given(instances(), st.sampled_from([2.0, 0.0]))
def test_the_plan_never_breaks_a_hard_rule(instance: tuple,  # type: ignore[type-arg]
                                           seconds: float) -> None:
    """With the solver, and with the greedy plan alone (solver_seconds = 0)."""
    classes, kinds, calendar, ambassadors, per_week = instance
    plan = plan_year(classes, kinds, calendar, ambassadors,
                     settings=replace(FAST, visits_per_week=per_week, solver_seconds=seconds))
    assert broken_rules(plan, classes, kinds, calendar, ambassadors, per_week) == []
    for u in plan.unplaced:
        assert u.reason.endswith(".") and u.reason[0].isupper()


@SLOW
@given(instances())
def test_same_input_same_plan(instance: tuple) -> None:  # type: ignore[type-arg]
    classes, kinds, calendar, ambassadors, per_week = instance
    run = replace(FAST, visits_per_week=per_week)
    first = plan_year(classes, kinds, calendar, ambassadors, settings=run)
    again = plan_year(list(reversed(classes)), kinds, calendar, dict(ambassadors), settings=run)
    assert first.events == again.events
    assert first.unplaced == again.unplaced


@SLOW
@given(instances(), st.data())
def test_published_and_confirmed_events_are_kept(instance: tuple,  # type: ignore[type-arg]
                                                 data: st.DataObject) -> None:
    classes, kinds, calendar, ambassadors, per_week = instance
    run = replace(FAST, visits_per_week=per_week)
    first = plan_year(classes, kinds, calendar, ambassadors, settings=run)
    statuses = data.draw(st.lists(st.sampled_from(["publié", "confirmé", "proposé"]),
                                  min_size=len(first.events), max_size=len(first.events)))
    published = [e for e, s in zip(first.events, statuses, strict=True) if s == "publié"]
    confirmed = [e for e, s in zip(first.events, statuses, strict=True) if s == "confirmé"]
    second = plan_year(classes, kinds, calendar, ambassadors, published=published,
                       confirmed=confirmed, settings=run)
    kept = {(e.key, e.half_days, e.attendees, e.where): e.status for e in second.events}
    for e in published:
        assert kept[(e.key, e.half_days, e.attendees, e.where)] == "publié"
    for e in confirmed:
        assert kept[(e.key, e.half_days, e.attendees, e.where)] == "confirmé"
    assert second.moved == []
    assert broken_rules(second, classes, kinds, calendar, ambassadors, per_week) == []


# -- examples ---------------------------------------------------------------------------------

CAL = load_calendar("2026-2027")
LANCEMENT = TempsFort("lancement", D(2026, 9, 14), D(2026, 9, 18))
IMMERSION = TempsFort("immersion", D(2026, 11, 2), D(2026, 11, 20), place="entreprise",
                      attendance="au-moins-un")


def amb(id_: str, text: str = "", company: str | None = "Alpha") -> PlanAmbassador:
    return PlanAmbassador(id_, company, parse_availability(text).availability)


def test_one_class_lands_when_its_ambassador_is_free() -> None:
    plan = plan_year([PairedClass("4A", "Collège Jean Macé", ("nadia",))], [LANCEMENT], CAL,
                     {"nadia": amb("nadia", "mardi après-midi")}, settings=FAST)
    (event,) = plan.events
    assert event.half_days == (HalfDay(D(2026, 9, 15), True),)
    assert (event.attendees, event.place, event.where, event.status) == (
        ("nadia",), "etablissement", "Collège Jean Macé", "proposé")


def test_an_ambassador_is_never_in_two_places() -> None:
    classes = [PairedClass("4A", "Collège A", ("nadia",)), PairedClass("4B", "Collège B",
                                                                       ("nadia",))]
    plan = plan_year(classes, [LANCEMENT], CAL, {"nadia": amb("nadia", "mardi après-midi")},
                     settings=FAST)
    assert [e.class_id for e in plan.events] == ["4A"] or [e.class_id for e in plan.events] == [
        "4B"]
    (unplaced,) = plan.unplaced
    assert unplaced.reason.startswith("Toutes les demi-journées possibles sont déjà prises")


def test_unplaced_reasons_in_french() -> None:
    classes = [PairedClass("4A", "Collège A", ()), PairedClass("4B", "Collège A", ("marc",)),
               PairedClass("4C", "Collège A", ("lea",))]
    ambassadors = {"marc": amb("marc", "pas en septembre"), "lea": amb("lea", company=None)}
    plan = plan_year(classes, [LANCEMENT, IMMERSION], CAL, ambassadors, settings=FAST)
    reasons = {(u.class_id, u.kind): u.reason for u in plan.unplaced}
    assert reasons[("4A", "lancement")] == "La classe n'a aucun ambassadeur apparié."
    assert reasons[("4B", "lancement")] == (
        "Aucune demi-journée ouverte du 14 septembre 2026 au 18 septembre 2026 où un "
        "ambassadeur de la classe est disponible et libre.")
    assert reasons[("4C", "immersion")] == (
        "Visite d'entreprise impossible : l'entreprise de l'ambassadeur n'est pas renseignée.")
    plan = plan_year([PairedClass("4D", "Collège A", ("marc", "inconnu"))], [LANCEMENT], CAL,
                     ambassadors, settings=FAST)
    assert plan.unplaced[0].reason == (
        "Ambassadeur absent de la liste des ambassadeurs : inconnu.")
    holidays = TempsFort("pendant les vacances", D(2026, 10, 19), D(2026, 10, 30))
    plan = plan_year(classes[1:2], [holidays], CAL, ambassadors, settings=FAST)
    assert plan.unplaced[0].reason == (
        "Le collège n'a aucune demi-journée ouverte entre le 19 octobre 2026 et le "
        "30 octobre 2026.")


def test_company_visits_per_week_are_capped() -> None:
    classes = [PairedClass(f"4{c}", "Collège A", (f"a{c}",)) for c in "ABCD"]
    ambassadors = {f"a{c}": amb(f"a{c}") for c in "ABCD"}  # all at Alpha
    one_week = replace(IMMERSION, start=D(2026, 11, 2), end=D(2026, 11, 6))
    plan = plan_year(classes, [one_week], CAL, ambassadors, settings=FAST)
    assert len(plan.events) == 2 and len(plan.unplaced) == 2


def test_a_published_event_that_became_impossible_moves_with_its_reason() -> None:
    classes = [PairedClass("4A", "Collège A", ("nadia",))]
    published = Event("4A", "lancement", (HalfDay(D(2026, 9, 15), True),), ("nadia",),
                      "etablissement", "Collège A", "Collège A", "publié")
    plan = plan_year(classes, [LANCEMENT], CAL, {"nadia": amb("nadia", "jeudi matin")},
                     published=[published], settings=FAST)
    assert plan.moved == [(published, "l'ambassadeur nadia n'est plus disponible")]
    (event,) = plan.events
    assert event.half_days == (HalfDay(D(2026, 9, 17), False),)


def test_a_confirmed_event_never_moves_even_when_it_no_longer_fits() -> None:
    classes = [PairedClass("4A", "Collège A", ("nadia",))]
    confirmed = Event("4A", "lancement", (HalfDay(D(2026, 9, 15), True),), ("nadia",),
                      "etablissement", "Collège A", "Collège A", "confirmé")
    plan = plan_year(classes, [LANCEMENT], CAL, {"nadia": amb("nadia", "jeudi matin")},
                     confirmed=[confirmed], settings=FAST)
    assert plan.events == [confirmed]


def test_events_of_a_school_are_spread_over_the_weeks() -> None:
    classes = [PairedClass(f"4{c}", "Collège A", (f"a{c}",)) for c in "AB"]
    ambassadors = {f"a{c}": amb(f"a{c}") for c in "AB"}
    two_weeks = TempsFort("lancement", D(2026, 9, 14), D(2026, 9, 25))
    plan = plan_year(classes, [two_weeks], CAL, ambassadors, settings=FAST)
    weeks = {e.start.day.isocalendar()[1] for e in plan.events}
    assert len(weeks) == 2


def test_overlapping_windows_keep_the_configured_order() -> None:
    classes = [PairedClass("4A", "Collège A", ("nadia",))]
    window = (D(2026, 9, 14), D(2026, 9, 25))
    kinds = [TempsFort(n, *window) for n in ("lancement", "immersion", "restitution")]
    plan = plan_year(classes, kinds, CAL, {"nadia": amb("nadia")}, settings=FAST)
    assert [e.kind for e in plan.events] == ["lancement", "immersion", "restitution"]


def test_a_full_day_takes_two_consecutive_half_days() -> None:
    day = TempsFort("immersion", D(2026, 9, 14), D(2026, 9, 18), duration=2)
    plan = plan_year([PairedClass("4A", "Collège A", ("nadia",))], [day], CAL,
                     {"nadia": amb("nadia", "mercredi")}, settings=FAST)
    # mercredi matin + après-midi impossible (fermé l'après-midi) : rien ce jour-là
    assert plan.events == [] and len(plan.unplaced) == 1


def test_a_school_availability_is_honoured_for_a_shared_ambassador() -> None:
    """Bug guard: the ambassador's free half-days are not cached per school."""
    classes = [PairedClass("4A", "Collège A", ("nadia",)), PairedClass("4B", "Collège B",
                                                                       ("nadia",))]
    schools = {"Collège A": parse_availability("lundi").availability,
               "Collège B": parse_availability("mardi").availability}
    plan = plan_year(classes, [LANCEMENT], CAL, {"nadia": amb("nadia")},
                     school_availability=schools, settings=FAST)
    assert [(e.class_id, e.start.day.weekday()) for e in plan.events] == [("4A", 0), ("4B", 1)]


def test_bad_temps_fort_values_are_refused() -> None:
    with pytest.raises(ValueError):
        TempsFort("visite", D(2026, 9, 1), D(2026, 9, 30), place="usine")
    with pytest.raises(ValueError):
        TempsFort("visite", D(2026, 9, 1), D(2026, 9, 30), attendance="personne")


def test_the_checker_catches_broken_plans() -> None:
    """The independent checker is not a test that cannot fail."""
    classes = [PairedClass("4A", "Collège A", ("nadia",)), PairedClass("4B", "Collège B",
                                                                       ("nadia",))]
    ambassadors = {"nadia": amb("nadia", "mardi")}
    tuesday = (HalfDay(D(2026, 9, 15), False),)
    twice = Plan([Event(c.class_id, "lancement", tuesday, ("nadia",), "etablissement",
                        c.school, c.school) for c in classes], [])
    assert broken_rules(twice, classes, [LANCEMENT], CAL, ambassadors, 2) == [
        "('nadia', HalfDay(day=datetime.date(2026, 9, 15), afternoon=False)): "
        "ambassadeur à deux endroits"]
    wednesday_pm = (HalfDay(D(2026, 9, 16), True),)
    closed = Plan([Event("4A", "lancement", wednesday_pm, ("nadia",), "etablissement",
                         "Collège A", "Collège A")], [Unplaced("4B", "lancement", "x")])
    assert broken_rules(closed, classes, [LANCEMENT], CAL, ambassadors, 2) == [
        f"('4A', 'lancement'): collège fermé {wednesday_pm[0]}",
        f"('4A', 'lancement'): nadia indisponible {wednesday_pm[0]}"]


def test_schoolyear_public_names() -> None:
    import sheets_sync.schoolyear as schoolyear

    assert sorted(schoolyear.__all__) == schoolyear.__all__
    for name in schoolyear.__all__:
        assert getattr(schoolyear, name) is not None


def test_importing_the_package_does_not_load_ortools() -> None:
    import subprocess
    import sys

    code = "import sys, sheets_sync.schoolyear; print('ortools' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == ["False"]


@pytest.mark.slow
def test_same_plan_whatever_the_hash_seed() -> None:
    """Sets of strings iterate in a per-process order: the plan must not depend on it."""
    import os
    import subprocess
    import sys

    code = (
        "import datetime as dt, hashlib\n"
        "from sheets_sync.schoolyear import *\n"
        "amb = {f'A{i}': PlanAmbassador(f'A{i}', f'E{i % 3}', parse_availability(t)"
        ".availability) for i, t in enumerate(['', 'mardi', 'le matin', 'pas en mai'] * 3)}\n"
        "cls = [PairedClass(f'C{i}', f'S{i % 4}', (f'A{i % 12}', f'A{(i * 5) % 12}')) "
        "for i in range(20)]\n"
        "kinds = [TempsFort('lancement', dt.date(2026, 9, 7), dt.date(2026, 9, 25)),\n"
        "         TempsFort('immersion', dt.date(2026, 9, 14), dt.date(2026, 10, 9), "
        "place='entreprise', attendance='au-moins-un')]\n"
        "plan = plan_year(cls, kinds, load_calendar('2026-2027'), amb,\n"
        "                 settings=PlanSettings(solver_seconds=2, chunk_tasks=15))\n"
        "print(hashlib.sha256(repr((plan.events, plan.unplaced)).encode()).hexdigest())\n")
    outputs = set()
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=300, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.add(done.stdout)
    assert len(outputs) == 1
