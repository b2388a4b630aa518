"""Stable pairings: what a later sync keeps of the published ones, and why it drops others."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync import load_config, sync
from sheets_sync.ambassadors.matching import Ambassador, ClassUnit, MatchSettings, match
from sheets_sync.ambassadors.roster import Member
from sheets_sync.ambassadors.sponsoring import Sponsorship, sponsor
from sheets_sync.ambassadors.stability import (
    Move,
    Published,
    change_lines,
    gap,
    moves,
    named,
    still_possible,
)
from sheets_sync.backends import excel
from sheets_sync.cells.grid import GeneratedTab, Grid
from sheets_sync.config import Config
from sheets_sync.dashboards.journal import changes
from sheets_sync.dashboards.memory import state_tab
from sheets_sync.dashboards.sponsorship_tabs import sponsorships_tab
from sheets_sync.form.check import School
from sheets_sync.form.consolidate import Campaign
from sheets_sync.form.sessions import pseudonym, read_previous
from sheets_sync.starter.fictional import demo_roster

from ..conftest import MakeCampaign
from ..helpers import COMPLETE_YES

NOW = dt.datetime(2021, 10, 4, 9, 0)
LATER = dt.datetime(2021, 11, 8, 9, 0)
DAY = NOW.date()


def amb(id_: str, capacity: int = 1, available: bool = True) -> Ambassador:
    return Ambassador(id_, "F", "Infirmière", "santé", capacity=capacity, available=available)


def unit(id_: str, school: str = "a") -> ClassUnit:
    return ClassUnit(id_, school, "4e", frozenset({"santé"}))


def pub(klass: str, member: str, confirmed: bool = False, day: int = 4) -> Published:
    return Published(klass, member, confirmed, dt.date(2021, 10, day))


def test_impossible_pairings_are_dropped_each_with_its_reason() -> None:
    published = [pub("gone-4e1", "x"), pub("a-4e1", "left"), pub("a-4e1", "away"),
                 pub("a-4e2", "ex"), pub("a-4e2", "busy", day=5), pub("a-4e3", "busy", day=4),
                 pub("a-4e3", "y")]
    roster = [amb("x"), amb("away", available=False), amb("ex"), amb("busy"), amb("y")]
    kept, dropped = still_possible(published, [unit("a-4e1"), unit("a-4e2"), unit("a-4e3")],
                                   roster, k=2, excluded=frozenset({("a-4e2", "ex")}))
    assert kept == {("a-4e3", "busy"), ("a-4e3", "y")}
    assert [(d.pairing.class_id, d.pairing.ambassador_id, d.reason) for d in dropped] == [
        ("a-4e1", "away", "l'ambassadeur est indisponible"),
        ("a-4e1", "left", "l'ambassadeur ne figure plus dans la liste"),
        ("a-4e2", "ex", "l'appariement est exclu dans « Ajustements »"),
        ("gone-4e1", "x", "la classe ne figure plus parmi les classes à parrainer"),
        ("a-4e2", "busy", "l'ambassadeur a atteint sa capacité (1 classe(s))"),
    ]


def test_confirmed_take_capacity_and_places_first_and_a_class_keeps_at_most_k() -> None:
    published = [pub("a-4e1", "p", day=1), pub("a-4e1", "q", day=2), pub("a-4e1", "r", day=3)]
    kept, dropped = still_possible(published, [unit("a-4e1")], [amb("p"), amb("q"), amb("r")],
                                   k=2, confirmed=frozenset({("a-4e1", "r")}))
    assert kept == {("a-4e1", "p")}  # r is confirmed (fixed by the solver), p is the oldest
    assert [(d.pairing.ambassador_id, d.reason) for d in dropped] == [
        ("q", "la classe a déjà ses 2 ambassadeur(s)")]


def test_change_lines_say_what_was_added_and_removed_and_why() -> None:
    roster = [amb("p"), amb("q")]
    result = match([unit("a-4e1")], roster, MatchSettings(k=1, kept=frozenset({("a-4e1", "q")})))
    assert [(x.ambassador_id, x.confirmed) for x in result.pairings] == [("q", False)]
    _, dropped = still_possible([pub("a-4e1", "gone")], [unit("a-4e1")], roster, k=1)
    changed = moves([pub("a-4e1", "gone")], result.pairings, dropped)
    assert change_lines(changed) == (
        "Appariement retiré : a-4e1 – gone (l'ambassadeur ne figure plus dans la liste).",
        "Appariement ajouté : a-4e1 – q.",
    )
    assert change_lines(changed, with_ambassador=False) == (  # « Journal » names no one
        "Appariement retiré : classe a-4e1 (l'ambassadeur ne figure plus dans la liste).",
        "Appariement ajouté : classe a-4e1.",
    )


def test_change_lines_count_a_class_once_and_sum_up_a_first_matching() -> None:
    two = (Move("a-4e1", "p", True), Move("a-4e1", "q", True), Move("b-3e1", "p", True))
    assert change_lines(two, with_ambassador=False) == (
        "Appariement ajouté : classe a-4e1 (2 ambassadeurs).",
        "Appariement ajouté : classe b-3e1.",
    )
    assert change_lines(two, first=True) == (
        "3 parrainage(s) publié(s) : premier appariement, détail dans l'onglet « Parrainages ».",
    )
    assert change_lines((), first=True) == ()


def test_published_pairings_are_read_back_by_pseudonym_and_named_by_the_roster() -> None:
    stored = [pub("a-4e1", pseudonym("nadia-benali-3f2a1c")), pub("a-4e1", pseudonym("gone"))]
    assert [p.ambassador_id for p in named(stored, ["nadia-benali-3f2a1c"])] == [
        "nadia-benali-3f2a1c", pseudonym("gone")]


ambassadors = st.lists(
    st.builds(
        Ambassador,
        id=st.just(""),
        gender=st.sampled_from(["F", "H", None]),
        job=st.sampled_from(["Infirmière", "Développeur", "Maçon", "Comptable"]),
        sector=st.sampled_from(["santé", "numérique", "bâtiment", "banque"]),
        capacity=st.integers(1, 3),
        available=st.booleans(),
        local=st.booleans(),
    ),
    max_size=12,
)
answers = st.lists(
    st.tuples(st.integers(0, 4), st.sampled_from(["santé", "numérique", "bâtiment", "art"]),
              st.integers(0, 3)),
    min_size=1, max_size=6,
)


def classes_from(answers: list[tuple[int, str, int]], prefix: str) -> list[ClassUnit]:
    return [ClassUnit(f"{prefix}{n}-{school}", f"{prefix}{school}", "4e", frozenset({word}))
            for school, word, count in answers for n in range(count)]


@settings(max_examples=60, deadline=None)
@given(ambassadors, answers, answers, st.integers(1, 3))
def test_new_classes_never_move_a_published_pairing(
    roster: list[Ambassador], before: list[tuple[int, str, int]],
    arriving: list[tuple[int, str, int]], k: int,
) -> None:
    """Property: when only classes arrive (new classes in known schools, new schools), every
    pairing published before is still there, and still not confirmed."""
    roster = [replace(a, id=f"amb-{i:02d}") for i, a in enumerate(roster)]
    old = list({c.id: c for c in classes_from(before, "s")}.values())
    new = list({c.id: c for c in classes_from(arriving, "t")}.values())
    # some arrive at known schools: same school key as an old class
    new += [replace(c, id=f"{c.id}-x", school=old[i % len(old)].school)
            for i, c in enumerate(new[:2])] if old else []
    first = match(old, roster, MatchSettings(k=k))
    published = [pub(p.class_id, p.ambassador_id) for p in first.pairings]
    kept, dropped = still_possible(published, [*old, *new], roster, k=k)
    assert dropped == ()
    second = match([*old, *new], roster, MatchSettings(k=k, kept=kept))
    now = {(p.class_id, p.ambassador_id): p.confirmed for p in second.pairings}
    assert all(now.get((p.class_id, p.ambassador_id)) is False for p in published)
    assert moves(published, second.pairings, dropped) == tuple(
        Move(c, a, True) for c, a in sorted(set(now) - {
            (p.class_id, p.ambassador_id) for p in published}))


# --- through sponsor(): the state tab written, read back at the next sync -----------------


def as_grid(tab: GeneratedTab) -> Grid:
    """A generated tab as the next sync reads it back."""
    rows = tuple(tuple(c.value for c in row) for row in tab.as_rows())
    return Grid(tab.name, rows, sheet=tab.name, hidden=tab.hidden)


def school(name: str, **values: object) -> dict[str, object]:
    return {**COMPLETE_YES, "etablissement": name, **values}


def first_sync(make_campaign: MakeCampaign, size: int = 14) -> tuple[Config, Campaign,
                                                                       Sponsorship]:
    config = make_campaign([school("Collège A"), school("Collège B", theme="La santé")],
                           roster=demo_roster(size=size))
    checked = sync(load_config(config.path), now=NOW, dry_run=True).check
    return load_config(config.path), checked.campaign, checked.sponsorship


def more_classes(s: School, n: int = 1) -> School:
    return replace(s, values={**s.values, "classes_4e": s.values["classes_4e"] + n})


def adjustments(rows: list[tuple[str, str, str]]) -> Grid:
    return Grid("Ajustements", (("Classe", "Ambassadeur (identifiant)", "Décision"), *rows),
                sheet="Ajustements")


def test_demo_scenario_only_pairings_that_had_to_move_moved_and_the_journal_says_why(
    make_campaign: MakeCampaign,
) -> None:
    config, campaign, first = first_sync(make_campaign)
    state = as_grid(state_tab(config, campaign, NOW, first))
    before = {(p.class_id, p.ambassador_id) for p in first.result.pairings}
    schools = list(campaign.kept)
    a, b = schools
    newcomer = replace(b, key="c", name="Collège C")
    members: list[Member] = list(first.members)
    leaving = first.result.pairings[0].ambassador_id
    members = [m for m in members if m.ambassador.id != leaving]
    members.append(replace(members[0], ambassador=replace(members[0].ambassador, id="zz-new")))
    shown = as_grid(sponsorships_tab(config, first, "Généré par sheets-sync"))
    again = sponsor(config, [more_classes(a), b, newcomer], members, [state, shown])
    after = {(p.class_id, p.ambassador_id) for p in again.result.pairings}
    lost = {pair for pair in before if pair[1] == leaving}
    assert lost and before - after == lost  # only the pairings that had to move moved
    assert not any(p.confirmed for p in again.result.pairings)
    # named back from the last « Parrainages » (the state tab only holds a pseudonym)
    assert [(d.pairing.ambassador_id, d.reason) for d in again.dropped] == [
        (leaving, "l'ambassadeur ne figure plus dans la liste")] * len(lost)
    alone = sponsor(config, [more_classes(a), b, newcomer], members, [state])
    assert {d.pairing.ambassador_id for d in alone.dropped} == {pseudonym(leaving)}
    assert {"a-4e2"} | {c for c, _ in lost} <= {c for c, _ in after - before}
    previous = read_previous([state], config.tabs.state)
    lines = changes(previous, replace(campaign, schools=(more_classes(a), b, newcomer)), again)
    assert "Réponse modifiée : Collège A." in lines
    assert "Nouvelle réponse complète : Collège C." in lines
    assert [f"Appariement retiré : classe {c} (l'ambassadeur ne figure plus dans la liste)."
            for c, _ in sorted(lost)] == [line for line in lines if "retiré" in line]
    assert not any(leaving in line for line in lines)  # « Journal » names no one
    assert any(leaving in line and "ne figure plus" in line for line in again.changes)
    # the next sync remembers when each kept pairing was first published
    ids = [m.ambassador.id for m in members]
    state2 = read_previous([as_grid(state_tab(config, campaign, LATER, again))],
                           config.tabs.state)
    since = {(p.class_id, p.ambassador_id): p.since for p in named(state2.pairings, ids)}
    assert {since[pair] for pair in before & after} == {DAY}
    assert {since[pair] for pair in after - before} == {LATER.date()}


def test_reoptimise_never_moves_confirmed_pairings(make_campaign: MakeCampaign) -> None:
    config, campaign, first = first_sync(make_campaign)
    state = as_grid(state_tab(config, campaign, NOW, first))
    confirmed = [(p.class_id, p.ambassador_id) for p in first.result.pairings[::3]]
    grids = [state, adjustments([(c, m, "Confirmer") for c, m in confirmed])]
    schools = [more_classes(s, 2) for s in campaign.kept]
    again = sponsor(config, schools, first.members, grids, reoptimise=True)
    fixed = {(p.class_id, p.ambassador_id) for p in again.result.pairings if p.confirmed}
    assert fixed == set(confirmed)
    assert not any(f"{c} – {m} " in line for line in again.changes for c, m in confirmed)
    assert all("réappariement demandé" in line for line in again.changes
               if line.startswith("Appariement retiré"))


def test_stability_gap_is_reported_against_a_fresh_optimum(make_campaign: MakeCampaign) -> None:
    config, campaign, first = first_sync(make_campaign)
    state = as_grid(state_tab(config, campaign, NOW, first))
    schools = [more_classes(s, 2) for s in campaign.kept]
    again = sponsor(config, schools, first.members, [state])
    stats = again.result.stats
    fresh = sponsor(config, schools, first.members, [state], reoptimise=True).result
    lost = gap(again.result, fresh)
    assert stats["fresh_objective"] == fresh.objective
    assert lost.objective >= 0  # the fresh run is a lexicographic optimum here (no pruning)
    assert stats["stability_gap"] == lost.objective
    assert stats["stability_classes_lost"] == lost.classes
    assert (lost.objective > 0) == any("--reapparier" in n for n in again.result.notes)


def test_gap_weighs_both_runs_with_the_fresh_tiers() -> None:
    roster = [amb("p"), Ambassador("q", "H", "Maçon", "bâtiment")]
    k1 = MatchSettings(k=2)
    fresh = match([unit("a-4e1")], roster, k1)
    stable = match([unit("a-4e1")], roster[:1], k1)  # one slot and the mixed place lost
    lost = gap(stable, fresh)
    assert (lost.schools, lost.classes, lost.gendered) == (0, 0, 1)
    assert lost.objective == int(fresh.stats["tier_gender"]) + lost.quality > 0


def test_without_a_pairings_block_nothing_is_published_and_nothing_is_kept(
    make_campaign: MakeCampaign,
) -> None:
    _, _, first = first_sync(make_campaign)
    assert first.published == () and first.dropped == ()
    assert first.result.stats["stability_gap"] == 0
    assert first.changes == (  # the first pairings in one line, « Parrainages » lists them
        f"{len(first.result.pairings)} parrainage(s) publié(s) : premier appariement, détail "
        "dans l'onglet « Parrainages ».",)


# --- through sync(): « Parrainages » read whole only when someone left the roster ---------


def _renamed(path: Path, old: str, new: str) -> None:
    """The workbook with one text of its shared strings changed (the roster's cells), every
    other part as it was: the generated tabs keep the form a re-sync skims."""
    with zipfile.ZipFile(path) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, content in parts:
            if info.filename == "xl/sharedStrings.xml":
                assert f">{old}<".encode() in content
                content = content.replace(f">{old}<".encode(), f">{new}<".encode())
            zf.writestr(info, content)


def test_a_resync_names_who_left_from_the_pairings_tab_read_only_then(
    make_campaign: MakeCampaign, monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = make_campaign([school("Collège A"), school("Collège B", theme="La santé")],
                           roster=demo_roster(size=14))
    first = sync(config, now=NOW).check.sponsorship
    reads: list[str] = []
    real = excel.read_tab

    def spy(book: excel.WorkbookRead, title: str) -> Grid | None:
        reads.append(title)
        return real(book, title)

    monkeypatch.setattr(excel, "read_tab", spy)
    same = sync(config, now=LATER).check.sponsorship
    assert reads == []  # everyone published is on the roster: « Parrainages » stays skimmed
    assert {(p.class_id, p.ambassador_id) for p in same.result.pairings} == {
        (p.class_id, p.ambassador_id) for p in first.result.pairings}
    leaving = next(m for m in first.members
                   if m.ambassador.id == first.result.pairings[0].ambassador_id)
    _renamed(config.source, leaving.last_name, leaving.last_name + "-Partie")  # a new id: « left »
    again = sync(config, now=LATER).check.sponsorship
    assert reads == [config.tabs.sponsorships]
    assert leaving.ambassador.id not in {m.ambassador.id for m in again.members}
    dropped = {d.pairing.ambassador_id for d in again.dropped}
    assert leaving.ambassador.id in dropped  # named back, not its pseudonym
    assert pseudonym(leaving.ambassador.id) not in dropped
