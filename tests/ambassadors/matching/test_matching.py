"""The matching stage: scoring, hard rules (property tests), tiers, stability, explanations."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

import sheets_sync.ambassadors.matching as matching
from sheets_sync.ambassadors.matching import (
    Ambassador,
    ClassUnit,
    MatchResult,
    MatchSettings,
    candidate_pairs,
    dashboard_figures,
    match,
    normalise_word,
    pair_points,
    terms,
    tier_weights,
)
from sheets_sync.ambassadors.matching.explain import FEW_CANDIDATES, NO_AMBASSADOR, TAKEN
from sheets_sync.ambassadors.matching.scoring import (
    ScoreTable,
    focus_of,
    is_counter_stereotype,
    profile,
    profiles,
    women_share,
)

from .test_matching_lp import WORDS, random_instance


def amb(
    id_: str,
    gender: str | None = "F",
    job: str = "Comptable",
    sector: str = "Finance",
    rome: str | None = None,
    interests: tuple[str, ...] = (),
    capacity: int = 1,
    available: bool = True,
    local: bool = False,
) -> Ambassador:
    return Ambassador(
        id_,
        gender,
        job,
        sector,
        rome,
        frozenset(interests),  # type: ignore[arg-type]
        capacity,
        available,
        local,
    )


def cls(id_: str, school: str = "S1", words: tuple[str, ...] = ()) -> ClassUnit:
    return ClassUnit(id_, school, "4e", frozenset(words))


def pairs_of(result: MatchResult) -> list[tuple[str, str]]:
    return [(p.class_id, p.ambassador_id) for p in result.pairings]


# --- words and scoring -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "stem"),
    [
        ("Métiers", "metier"),
        ("animaux", "animal"),
        ("numérique", "numerique"),
        ("les", ""),
        ("de", ""),
        ("2021", ""),
        ("Santé", "sante"),
        ("gaz", "gaz"),
    ],
)
def test_normalise_word(token: str, stem: str) -> None:
    assert normalise_word(token) == stem


def test_terms_split_fold_and_drop_stop_words() -> None:
    assert terms(["Les métiers du Numérique", "visites d'entreprises"]) == {
        "metier",
        "numerique",
        "visite",
        "entreprise",
    }


def test_focus_comes_from_the_orientation_suggestions() -> None:
    assert focus_of(terms(["lutte contre les déterminismes et les stéréotypes"])) == {"stereotypes"}
    assert focus_of(terms(["informations sur les secteurs porteurs"])) == {"porteurs"}
    assert focus_of(terms(["mise en avant de figures emblématiques de la Ville"])) == {"local"}
    assert focus_of(terms(["sport"])) == frozenset()


def test_women_share_lookup_order() -> None:
    table = {"M": 0.55, "M18": 0.2, "Santé": 0.8}
    assert women_share(amb("a", rome="M1805"), table) == 0.2
    assert women_share(amb("a", rome="m1203"), table) == 0.55
    assert women_share(amb("a", sector="sante"), table) == 0.8
    assert women_share(amb("a", sector="Bâtiment"), table) is None


@pytest.mark.parametrize(
    ("gender", "share", "expected"),
    [
        ("F", 0.1, True),
        ("F", 0.5, False),
        ("H", 0.8, True),
        ("H", 0.1, False),
        (None, 0.1, False),
        ("F", None, False),
    ],
)
def test_counter_stereotype(gender: str | None, share: float | None, expected: bool) -> None:
    assert is_counter_stereotype(gender, share, MatchSettings()) is expected  # type: ignore[arg-type]


def test_pair_points_formula() -> None:
    s = MatchSettings()
    w = s.weights
    builder = amb("a", "F", "Maçonne", "Bâtiment", "F1703", ("numérique", "sport"), local=True)
    t = terms(["numérique", "sport", "lutte contre les stéréotypes"])
    got = pair_points(t, focus_of(t), profile(builder, s), w)
    expected = (
        w.assign + 2 * w.word + w.growth + w.counter_stereotype * w.orientation_boost + w.local
    )
    assert got == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_score_table_agrees_with_pair_points(seed: int) -> None:
    classes, ambassadors, s = random_instance(seed)
    profs = profiles(ambassadors, s)
    table = ScoreTable(profs, s.weights)
    for c in classes:
        t = terms(c.words)
        vector = table.scores(t, focus_of(t))
        assert vector.tolist() == [pair_points(t, focus_of(t), p, s.weights) for p in profs]


# --- hard rules, as properties --------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 100_000))
def test_hard_rules_always_hold(seed: int) -> None:
    classes, ambassadors, s = random_instance(seed)
    result = match(classes, ambassadors, s)
    by_id = {a.id: a for a in ambassadors}
    pairs = pairs_of(result)
    assert len(pairs) == len(set(pairs)), "an ambassador twice in a class"
    confirmed = {(c, a) for c, a in s.confirmed if (c, a) not in s.excluded}
    assert confirmed <= set(pairs), "a confirmed pairing was dropped"
    assert not set(pairs) & s.excluded, "an excluded pairing was proposed"
    new = [(c, a) for c, a in pairs if (c, a) not in confirmed]
    load = Counter(a for _, a in pairs)
    for a, used in load.items():
        kept = sum(1 for _, x in confirmed if x == a)
        assert used <= max(by_id[a].capacity, kept), "capacity exceeded"
    assert all(by_id[a].available for _, a in new)
    per_class = Counter(c for c, _ in pairs)
    kept_per_class = Counter(c for c, _ in confirmed)
    assert all(n <= max(s.k, kept_per_class[c]) for c, n in per_class.items())
    missing = {u.class_id: u.missing for u in result.unserved}
    for c in classes:
        assert missing.get(c.id, 0) == max(0, s.k - per_class[c.id])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 100_000), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(seed: int, rnd: random.Random) -> None:
    classes, ambassadors, s = random_instance(seed)
    first = match(classes, ambassadors, s)
    rnd.shuffle(classes)
    rnd.shuffle(ambassadors)
    again = match(classes, ambassadors, s)
    assert again.pairings == first.pairings
    assert again.unserved == first.unserved
    assert again.objective == first.objective


# --- tiers: coverage, schools, mixed gender ---------------------------------------------------


def test_every_class_served_before_any_gets_a_second() -> None:
    classes = [cls("C1", "S1", ("numérique",)), cls("C2", "S2"), cls("C3", "S3")]
    ambassadors = [amb(f"A{i}", interests=("numérique",) if i < 2 else ()) for i in range(3)]
    result = match(classes, ambassadors, MatchSettings(k=2))
    assert Counter(c for c, _ in pairs_of(result)) == {"C1": 1, "C2": 1, "C3": 1}
    assert [(u.class_id, u.missing) for u in result.unserved] == [("C1", 1), ("C2", 1), ("C3", 1)]


def test_every_school_served_before_a_school_gets_more() -> None:
    classes = [
        cls("C1", "S1", ("sport",)),
        cls("C2", "S1", ("sport",)),
        cls("C3", "S1", ("sport",)),
        cls("C4", "S2"),
    ]
    ambassadors = [amb("A1", interests=("sport",)), amb("A2", interests=("sport",))]
    result = match(classes, ambassadors, MatchSettings(k=1))
    served = {c for c, _ in pairs_of(result)}
    assert "C4" in served and len(served) == 2


def test_a_woman_and_a_man_rather_than_two_better_matches() -> None:
    classes = [cls("C1", words=("numérique", "robotique", "sport"))]
    ambassadors = [
        amb("A1", "F", interests=("numérique", "robotique", "sport")),
        amb("A2", "F", interests=("numérique", "robotique", "sport")),
        amb("A3", "H"),
    ]
    result = match(classes, ambassadors, MatchSettings(k=2))
    assert pairs_of(result) == [("C1", "A1"), ("C1", "A3")]
    assert {p.slot for p in result.pairings} == {"femme", "homme"}
    assert any("mixité" in r for p in result.pairings for r in p.reasons)


def _gender_flow_bound(
    classes: list[ClassUnit], ambassadors: list[Ambassador], s: MatchSettings, gender: str
) -> int:
    """How many classes can get an ambassador of this gender at once (max flow)."""
    people = [a for a in ambassadors if a.gender == gender and a.available and a.capacity > 0]
    n = 2 + len(people) + len(classes)
    rows, cols, caps = [], [], []
    for i, a in enumerate(people):
        rows.append(0)
        cols.append(2 + i)
        caps.append(a.capacity)
        for j, c in enumerate(classes):
            if (c.id, a.id) not in s.excluded:
                rows.append(2 + i)
                cols.append(2 + len(people) + j)
                caps.append(1)
    for j in range(len(classes)):
        rows.append(2 + len(people) + j)
        cols.append(1)
        caps.append(1)
    graph = csr_array((np.array(caps, dtype=np.int32), (rows, cols)), shape=(n, n))
    return int(maximum_flow(graph, 0, 1).flow_value)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 100_000))
def test_mixed_gender_wherever_a_flow_bound_allows_it(seed: int) -> None:
    rnd = random.Random(seed)
    classes = [
        cls(f"C{i}", f"S{i % 3}", tuple(rnd.sample(WORDS, 2))) for i in range(rnd.randint(1, 6))
    ]
    ambassadors = [
        amb(
            f"A{i}",
            rnd.choice(["F", "H", None]),
            interests=tuple(rnd.sample(WORDS, 2)),
            capacity=rnd.randint(1, 3),
        )
        for i in range(rnd.randint(2, 12))
    ]
    pairs = [(c.id, a.id) for c in classes for a in ambassadors]
    s = MatchSettings(k=2, excluded=frozenset(p for p in pairs if rnd.random() < 0.2))
    women = _gender_flow_bound(classes, ambassadors, s, "F")
    men = _gender_flow_bound(classes, ambassadors, s, "H")
    result = match(classes, ambassadors, s)
    genders = {c.id: set() for c in classes}
    for p in result.pairings:
        if p.gender:
            genders[p.class_id].add(p.gender)
    assert sum("F" in g for g in genders.values()) == women
    assert sum("H" in g for g in genders.values()) == men
    if women == men == len(classes):
        assert all(g == {"F", "H"} for g in genders.values())


def test_tier_weights_are_lexicographic_when_they_fit() -> None:
    t = tier_weights(100, 80)
    assert t.proven and t.gender > 100 * 80 and t.klass > 100 * t.gender
    assert t.school > 100 * t.klass
    big = tier_weights(50_000, 80)
    assert not big.proven and big.school * 50_001 < 2**60


# --- groups of identical classes ------------------------------------------------------------


def test_one_ambassador_spreads_over_a_schools_classes() -> None:
    classes = [cls(f"C{i}", "S1", ("sport",)) for i in range(3)]
    result = match(classes, [amb("A1", capacity=3)], MatchSettings(k=2))
    assert pairs_of(result) == [("C0", "A1"), ("C1", "A1"), ("C2", "A1")]


def test_pruning_keeps_every_ambassador_reachable() -> None:
    rnd = random.Random(7)
    classes = [cls(f"C{i:03d}", f"S{i:03d}", tuple(rnd.sample(WORDS, 3))) for i in range(120)]
    ambassadors = [
        amb(f"A{i:03d}", rnd.choice(["F", "H"]), interests=tuple(rnd.sample(WORDS, 2)))
        for i in range(200)
    ]
    full = match(classes, ambassadors, MatchSettings(k=1))
    pruned = match(
        classes,
        ambassadors,
        MatchSettings(k=1, full_graph_limit=0, candidates_per_class=3, filler_candidates=2),
    )
    assert pruned.stats["pruned"] is True and full.stats["pruned"] is False
    assert pruned.stats["candidate_arcs"] < full.stats["candidate_arcs"] / 10
    assert pruned.stats["classes_served"] == full.stats["classes_served"] == 120
    reachable = {
        a
        for cands in candidate_pairs(
            classes,
            ambassadors,
            MatchSettings(k=1, full_graph_limit=0, candidates_per_class=3, filler_candidates=2),
        ).values()
        for a, _ in cands
    }
    assert len(reachable) == 200


# --- stability: confirmed and excluded -----------------------------------------------------


def test_confirmed_pairings_survive_a_rerun_with_new_classes() -> None:
    rnd = random.Random(3)
    classes = [cls(f"C{i:02d}", f"S{i % 4}", tuple(rnd.sample(WORDS, 2))) for i in range(8)]
    ambassadors = [
        amb(f"A{i:02d}", rnd.choice(["F", "H"]), interests=tuple(rnd.sample(WORDS, 2)), capacity=2)
        for i in range(10)
    ]
    first = match(classes, ambassadors, MatchSettings())
    confirmed = frozenset(pairs_of(first)[::2])
    excluded = frozenset(pairs_of(first)[1::2])
    more = classes + [cls(f"C{i:02d}", "S9", ("numérique", "sport")) for i in range(8, 14)]
    again = match(more, ambassadors, MatchSettings(confirmed=confirmed, excluded=excluded))
    kept = {(p.class_id, p.ambassador_id) for p in again.pairings if p.confirmed}
    assert kept == confirmed
    assert not set(pairs_of(again)) & excluded
    assert all(
        "Appariement confirmé par la coordination." in p.reasons
        for p in again.pairings
        if p.confirmed
    )


def test_decisions_on_unknown_or_conflicting_pairs_become_notes() -> None:
    s = MatchSettings(
        k=1, confirmed=frozenset({("C1", "A1"), ("C9", "A1")}), excluded=frozenset({("C1", "A1")})
    )
    result = match([cls("C1")], [amb("A1"), amb("A2")], s)
    assert pairs_of(result) == [("C1", "A2")]
    assert len(result.notes) == 2
    assert "l'exclusion l'emporte" in result.notes[0]
    assert "C9" in result.notes[1]


def test_duplicate_ids_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        match([cls("C1"), cls("C1")], [], MatchSettings())


# --- infeasible instances are reported ------------------------------------------------------


def test_no_ambassador_at_all() -> None:
    result = match([cls("C1"), cls("C2")], [amb("A1", available=False)], MatchSettings())
    assert [(u.class_id, u.missing, u.reason) for u in result.unserved] == [
        ("C1", 2, NO_AMBASSADOR),
        ("C2", 2, NO_AMBASSADOR),
    ]
    assert result.pairings == ()


def test_not_enough_places() -> None:
    result = match([cls("C1"), cls("C2")], [amb("A1", capacity=2)], MatchSettings())
    assert [u.missing for u in result.unserved] == [1, 1]
    assert result.unserved[0].reason.startswith("Pas assez de places")


def test_every_candidate_excluded() -> None:
    s = MatchSettings(k=1, excluded=frozenset({("C1", "A1"), ("C1", "A2")}))
    result = match([cls("C1"), cls("C2")], [amb("A1"), amb("A2", capacity=2)], s)
    assert [(u.class_id, u.reason) for u in result.unserved] == [
        ("C1", FEW_CANDIDATES.format(count=0))
    ]


def test_candidates_taken_elsewhere() -> None:
    s = MatchSettings(k=1, excluded=frozenset({("C2", "A2")}))
    result = match([cls("C1"), cls("C2")], [amb("A1"), amb("A2")], s)
    assert len(result.unserved) == 0
    s = MatchSettings(k=1, excluded=frozenset({("C2", "A2"), ("C1", "A2")}))
    result = match([cls("C1"), cls("C2")], [amb("A1"), amb("A2"), amb("A3", available=False)], s)
    assert [u.reason for u in result.unserved] == [TAKEN]


def test_empty_input() -> None:
    result = match([], [], MatchSettings())
    assert result.pairings == () and result.unserved == () and result.objective == 0


# --- explanations and dashboard figures -----------------------------------------------------


def test_reasons_in_french() -> None:
    classes = [cls("C1", words=("Numérique", "lutte contre les stéréotypes"))]
    ambassadors = [
        amb("A1", "F", "Développeuse", "Numérique", "M1805", ("Numérique",), local=True),
        amb("A2", "H", "Infirmier", "Santé", "J1506"),
    ]
    result = match(classes, ambassadors, MatchSettings())
    reasons = {p.ambassador_id: p.reasons for p in result.pairings}
    assert reasons["A1"][0] == "Points communs avec le projet : numérique."
    assert reasons["A1"][1] == "Métier porteur (numérique)."
    assert reasons["A1"][2].startswith(
        "Contre-stéréotype : une femme dans un métier où les femmes sont environ 20 %"
    )
    assert reasons["A1"][3] == "Modèle de réussite local (Roubaix ou ancien élève)."
    assert reasons["A2"][1].startswith(
        "Contre-stéréotype : un homme dans un métier où les hommes sont environ 11 %"
    )
    assert reasons["A2"][-1] == "Assure la mixité de l'équipe (une femme et un homme)."
    assert {p.ambassador_id: p.shared_words for p in result.pairings} == {
        "A1": ("numérique",),
        "A2": (),
    }


def test_dashboard_figures() -> None:
    classes = [cls("C1"), cls("C2", "S2")]
    ambassadors = [
        amb("A1", "F", "Maçonne", "Bâtiment", "F1703", capacity=2),
        amb("A2", "H", "Comptable", "Finance", "M1203", local=True),
        amb("A3", "H"),
        amb("A4", "F", available=False),
    ]
    s = MatchSettings(excluded=frozenset({("C1", "A2"), ("C1", "A3")}))
    result = match(classes, ambassadors, s)
    figures = dashboard_figures(result, classes, ambassadors)
    assert figures["load"] == {"A1": 2, "A2": 1, "A3": 0, "A4": 0}
    assert figures["unassigned"] == ("A3",)
    assert figures["mixed_classes"] == 1
    assert figures["women_share"] == pytest.approx(2 / 3)
    assert figures["counter_stereotype_share"] == pytest.approx(1.0)
    assert figures["growth_share"] == pytest.approx(2 / 3)
    assert figures["local_share"] == pytest.approx(1 / 3)
    assert figures["classes_unserved"] == 1


def test_public_api() -> None:
    assert sorted(matching.__all__) == sorted(
        [
            "DEFAULT_GROWTH_SECTORS",
            "DEFAULT_WOMEN_SHARE",
            "WOMEN_SHARE_SOURCE",
            "Ambassador",
            "ClassUnit",
            "MatchResult",
            "MatchSettings",
            "Objective",
            "Pairing",
            "Tiers",
            "Unserved",
            "Weights",
            "candidate_pairs",
            "dashboard_figures",
            "evaluate",
            "match",
            "normalise_word",
            "pair_points",
            "terms",
            "tier_weights",
        ]
    )
    assert all(hasattr(matching, name) for name in matching.__all__)
