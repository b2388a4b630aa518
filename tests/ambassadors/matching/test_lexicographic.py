"""The matching is the lexicographic optimum, proven: brute force on tiny instances agrees.

Brute force enumerates every set of (class, ambassador) pairs that respects the open slots,
the rooms, exclusions and confirmations, scores it with `evaluate` and keeps the best
(schools, classes, gendered slots, points). The solver must reach it, with `proven` True,
both in one exact flow (small instances) and along the staged path France-scale instances
take (a fast first flow checked tier by tier, exact solves where the check fails).
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.ambassadors.matching import (
    Ambassador,
    ClassUnit,
    MatchSettings,
    evaluate,
    lexicographic,
    match,
    pair_points,
    solver,
)
from sheets_sync.ambassadors.matching.lexicographic import Network, potentials, stage_weights
from sheets_sync.ambassadors.matching.scoring import focus_of, profile, terms

WORDS = ["numérique", "santé", "cuisine", "stéréotypes", "secteurs porteurs", "théâtre"]
JOBS = [
    ("Développeuse", "Numérique", "M1805"),
    ("Infirmier", "Santé", "J1506"),
    ("Maçonne", "Bâtiment", "F1703"),
    ("Cuisinier", "Hôtellerie restauration", "G1602"),
]


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[ClassUnit], list[Ambassador], MatchSettings]:
    n_schools = draw(st.integers(1, 3))
    n_classes = draw(st.integers(1, 3))
    classes = [
        ClassUnit(
            f"C{i}",
            f"S{draw(st.integers(0, n_schools - 1))}",
            "4e",
            frozenset(draw(st.lists(st.sampled_from(WORDS), max_size=2))),
        )
        for i in range(n_classes)
    ]
    ambassadors = []
    for i in range(draw(st.integers(0, 4))):
        job, sector, rome = draw(st.sampled_from(JOBS))
        ambassadors.append(
            Ambassador(
                f"A{i}",
                draw(st.sampled_from(["F", "H", None])),
                job,
                sector,
                rome,
                frozenset(draw(st.lists(st.sampled_from(WORDS), max_size=2))),
                capacity=draw(st.integers(0, 2)),
                local=draw(st.booleans()),
            )
        )
    pairs = [(c.id, a.id) for c in classes for a in ambassadors]
    excluded = frozenset(draw(st.lists(st.sampled_from(pairs), max_size=2)) if pairs else [])
    confirmed = frozenset(draw(st.lists(st.sampled_from(pairs), max_size=1)) if pairs else [])
    return (
        classes,
        ambassadors,
        MatchSettings(k=draw(st.integers(1, 3)), excluded=excluded, confirmed=confirmed - excluded),
    )


def brute_force(
    classes: list[ClassUnit], ambassadors: list[Ambassador], s: MatchSettings
) -> tuple[int, int, int, int]:
    """The best (schools, classes, gendered, points) over every feasible set of pairs."""

    def points(c: ClassUnit, a: Ambassador) -> int:
        t = terms(c.words)
        return pair_points(t, focus_of(t), profile(a, s), s.weights)

    school_of = {c.id: c.school for c in classes}
    gender_of = {a.id: a.gender for a in ambassadors}
    fixed = [(c, a) for c in classes for a in ambassadors if (c.id, a.id) in s.confirmed]
    # confirmed pairs are kept even beyond k or a capacity; they leave what remains
    slots = {c.id: max(0, s.k - sum(x is c for x, _ in fixed)) for c in classes}
    room = {
        a.id: max(0, (a.capacity if a.available else 0) - sum(y is a for _, y in fixed))
        for a in ambassadors
    }
    free = [
        (c, a)
        for c in classes
        for a in ambassadors
        if (c.id, a.id) not in s.excluded and (c.id, a.id) not in s.confirmed
    ]
    best = (-1, -1, -1, -1)
    for n in range(len(free) + 1):
        for chosen in itertools.combinations(free, n):
            per_c = {c.id: 0 for c in classes}
            per_a = {a.id: 0 for a in ambassadors}
            for c, a in chosen:
                per_c[c.id] += 1
                per_a[a.id] += 1
            if any(per_c[c] > slots[c] for c in per_c) or any(per_a[a] > room[a] for a in per_a):
                continue
            key = evaluate(
                ((c.id, a.id, points(c, a)) for c, a in (*fixed, *chosen)),
                school_of,
                gender_of,
                s.k,
            ).key()
            best = max(best, key)
    return best


def key(result: object) -> tuple[int, int, int, int]:
    stats = result.stats  # type: ignore[attr-defined]
    return (
        stats["schools_served"],
        stats["classes_served"],
        stats["gendered_slots"],
        stats["quality"],
    )


@settings(max_examples=120, deadline=None)
@given(instances())
def test_one_exact_flow_is_the_brute_force_optimum(
    instance: tuple[list[ClassUnit], list[Ambassador], MatchSettings],
) -> None:
    classes, ambassadors, s = instance
    result = match(classes, ambassadors, s)
    assert result.stats["lexicographic_proven"] is True
    assert key(result) == brute_force(classes, ambassadors, s)


@settings(max_examples=120, deadline=None)
@given(instances())
def test_staged_solve_is_the_brute_force_optimum(
    instance: tuple[list[ClassUnit], list[Ambassador], MatchSettings],
) -> None:
    """The path France-scale instances take: first flow, checks, exact solves per tier."""
    classes, ambassadors, s = instance
    staged = functools.partial(lexicographic.solve, split=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(solver, "solve_lexicographic", staged)
        result = match(classes, ambassadors, s)
    assert result.stats["lexicographic_proven"] is True
    assert result.stats["stages"] == 4
    assert key(result) == brute_force(classes, ambassadors, s)


def test_brute_force_can_tell_a_worse_matching() -> None:
    """The check can fail: one woman for two schools, k = 1, the brute force serves both."""
    classes = [
        ClassUnit("C1", "S1", "4e", frozenset({"santé"})),
        ClassUnit("C2", "S2", "4e", frozenset()),
    ]
    ambassadors = [Ambassador("A1", "F", "Infirmière", "Santé", capacity=2)]
    assert brute_force(classes, ambassadors, MatchSettings(k=1))[:2] == (2, 2)


def _chain() -> Network:
    """source 0 → 1 → sink 2 directly (gain 0) or through 3 (gain 1 on 3 → 2), one unit."""
    a = np.array
    return Network(
        tails=a([0, 1, 1, 3]),
        heads=a([1, 2, 3, 2]),
        caps=a([1, 1, 1, 1]),
        supplies=a([1, 0, -1, 0]),
        gains=[a([0, 0, 0, 1])],
        bounds=[1],
    )


def test_potentials_refuse_a_flow_that_is_not_optimal() -> None:
    """Proof is computed: the residual network of a worse flow has a negative cycle."""
    net = _chain()
    cost = -net.gains[0]
    worse = np.array([1, 1, 0, 0])  # the unit skips the gain
    assert potentials(4, net.tails, net.heads, net.caps, cost, worse) is None
    best = np.array([1, 0, 1, 1])
    d = potentials(4, net.tails, net.heads, net.caps, cost, best)
    assert d is not None
    reduced = cost + d[net.tails] - d[net.heads]
    assert (reduced[best < net.caps] >= 0).all() and (reduced[best > 0] <= 0).all()


def test_stage_weights_put_each_tier_above_everything_below() -> None:
    assert stage_weights([2, 3, 10]) == [1 + 11 * 3 + 10, 1 + 10, 1]
    w = stage_weights([7000, 29731, 29731, 2_348_749])
    assert all(
        w[i] > sum(w[j] * b for j, b in enumerate([7000, 29731, 29731, 2_348_749]) if j > i)
        for i in range(4)
    )


def test_staged_solve_falls_back_to_exact_flows_when_the_first_flow_is_not_optimal() -> None:
    """A first flow that misses a tier is caught by the check and solved exactly."""
    net = _chain()
    with pytest.MonkeyPatch.context() as mp:
        calls: list[int] = []
        exact = lexicographic._flow

        def first_is_wrong(*args: np.ndarray) -> np.ndarray | None:
            calls.append(1)
            return np.array([1, 1, 0, 0]) if len(calls) == 1 else exact(*args)

        mp.setattr(lexicographic, "_flow", first_is_wrong)
        flows, proven, how = lexicographic.solve(net, split=True)
    assert proven and flows.tolist() == [1, 0, 1, 1] and how["exact_solves"] == 2


def test_one_stage_only_where_exact_weights_fit_int64() -> None:
    """France-scale bounds need the tier-by-tier path; Hauts-de-France-scale ones do not."""

    def net(nodes: int, bounds: list[int]) -> Network:
        a = np.array
        return Network(
            tails=a([0]),
            heads=a([1]),
            caps=a([1]),
            supplies=np.zeros(nodes, dtype=np.int64),
            gains=[a([1]), a([1]), a([1]), a([99])],
            bounds=bounds,
        )

    assert lexicographic.one_stage(net(7_602, [650, 3_000, 6_000, 474_000]))
    assert not lexicographic.one_stage(net(48_002, [7_000, 29_731, 29_731, 2_348_749]))
