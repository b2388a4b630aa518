"""A priced flow is the optimum of the whole network, proven (issue #16, speed).

Large full graphs (Hauts-de-France: 1.9 million pair arcs) are solved on a few arcs, the others
priced in by their reduced costs until none would improve the flow (lexicographic.py). Its
tiers must be those of a flow over every arc and of the brute force; where it starts from and
what it adds per round are pinned against plain definitions.
"""

from __future__ import annotations

import dataclasses
import functools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.ambassadors.matching import (
    Ambassador,
    ClassUnit,
    MatchSettings,
    lexicographic,
    match,
    solver,
)
from sheets_sync.ambassadors.matching.candidates import (
    candidate_arcs,
    group_classes,
    prepare,
    starting_arcs,
)

from .test_lexicographic import brute_force, instances, key
from .test_speed_identity import instance


@settings(max_examples=120, deadline=None)
@given(instances())
def test_priced_solve_is_the_brute_force_optimum(
    case: tuple[list[ClassUnit], list[Ambassador], MatchSettings],
) -> None:
    """From the mandatory arcs alone (the bypass), pricing takes in what the optimum needs."""
    classes, ambassadors, s = case
    priced = functools.partial(lexicographic.solve, price=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(solver, "solve_lexicographic", priced)
        result = match(classes, ambassadors, s)
    assert result.stats["lexicographic_proven"] is True
    assert result.stats["pricing_rounds"] >= 1  # tiny instances fit one stage: priced
    assert key(result) == brute_force(classes, ambassadors, s)


CASES = [  # (seed, schools, classes, ambassadors), settings
    ((11, 30, 80, 120), {}),
    ((12, 30, 80, 120), {"decisions": True}),
    ((13, 60, 150, 300), {"k": 3}),
    ((14, 40, 100, 200), {"k": 1, "decisions": True}),
    ((15, 25, 60, 400), {}),
]


@pytest.mark.parametrize(("args", "extra"), CASES)
def test_priced_tiers_are_those_of_the_flow_over_every_arc(
    args: tuple[int, int, int, int], extra: dict[str, object], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Starting from each group's best (as at scale), the same tiers as without pricing."""
    classes, roster, s = instance(*args, **dict(extra))
    whole = match(classes, roster, s)
    assert "pricing_rounds" not in whole.stats
    monkeypatch.setattr(lexicographic, "PRICE_FROM", 0)
    priced = match(classes, roster, s)
    assert priced.stats["lexicographic_proven"] is True
    assert priced.stats["pricing_rounds"] >= 1
    assert priced.stats["priced_arcs"] <= priced.stats["arcs"]
    assert key(priced) == key(whole)
    assert priced.objective == whole.objective
    # a valid matching: rooms and slots (beyond them only with decisions kept), exclusions
    fixed = s.confirmed | s.kept
    per_amb: dict[str, int] = {}
    per_class: dict[str, int] = {}
    for x in priced.pairings:
        assert (x.class_id, x.ambassador_id) not in s.excluded
        new = (x.class_id, x.ambassador_id) not in fixed
        per_amb[x.ambassador_id] = per_amb.get(x.ambassador_id, 0) + 1
        per_class[x.class_id] = per_class.get(x.class_id, 0) + 1
        if new:  # the flow's own pairings fit what the decisions left
            assert per_class[x.class_id] <= s.k
    capacity = {a.id: a.capacity if a.available else 0 for a in roster}
    held = {a: sum(1 for _, y in fixed if y == a) for a in capacity}
    assert all(n <= max(capacity[a], held[a]) for a, n in per_amb.items())
    assert s.confirmed - s.excluded <= {(x.class_id, x.ambassador_id) for x in priced.pairings}


def test_priced_matching_does_not_depend_on_the_input_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lexicographic, "PRICE_FROM", 0)
    classes, roster, s = instance(21, 30, 80, 150, decisions=True)
    first = match(classes, roster, s)
    rnd = random.Random(5)
    rnd.shuffle(classes)
    rnd.shuffle(roster)
    assert match(classes, roster, s).digest() == first.digest()


def plain_starting_arcs(seed_args: tuple[int, int, int, int], extra: dict[str, object]
                        ) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The (group, ambassador) pairs starting_arcs picks among a full graph's arcs, and the
    pairs of the pruned graph (`candidate_arcs` with full_graph_limit 0) of the same input."""
    classes, roster, s = instance(*seed_args, **dict(extra))
    p = prepare(classes, roster, s)
    groups = group_classes(p)
    grp, amb, pts, pruned = candidate_arcs(p, groups)
    assert not pruned
    picked = starting_arcs(p, grp, amb, pts, len(groups))
    got = set(zip(grp[picked].tolist(), amb[picked].tolist(), strict=True))
    q = prepare(classes, roster, dataclasses.replace(s, full_graph_limit=0))
    g2, a2, _, pruned = candidate_arcs(q, group_classes(q))
    assert pruned
    return got, set(zip(g2.tolist(), a2.tolist(), strict=True))


@pytest.mark.parametrize(("args", "extra"), [
    ((31, 20, 50, 90), {}),  # every pair an arc: the arcs are the keys
    ((32, 20, 50, 90), {"decisions": True}),  # some pairs blocked
    ((33, 5, 12, 10), {}),  # fewer ambassadors than a group's best list
    ((34, 40, 120, 300), {"k": 3, "decisions": True}),
])
def test_starting_arcs_are_the_pruned_graphs(args: tuple[int, int, int, int],
                                             extra: dict[str, object]) -> None:
    got, want = plain_starting_arcs(args, extra)
    assert got == want
    assert got  # (a start, not nothing)


def test_starting_arcs_need_the_solvers_groups() -> None:
    classes, roster, s = instance(35, 10, 20, 30)
    p = prepare(classes, roster, s)
    groups = group_classes(p)
    grp, amb, pts, _ = candidate_arcs(p, groups)
    with pytest.raises(ValueError, match="group_classes"):
        starting_arcs(p, grp, amb, pts, len(groups) + 1)


def test_most_negative_gives_every_head_its_best() -> None:
    heads = np.array([3, 3, 3, 7, 7, 9, 3, 7], dtype=np.int64)
    reduced = np.array([-5, -50, -40, -2, -1, -1000, -49, -3], dtype=np.int64)
    picked = lexicographic._most_negative(heads, reduced, 1)
    assert sorted(picked.tolist()) == [1, 5, 7]  # head 3: −50, head 7: −3, head 9: −1000
    everything = lexicographic._most_negative(heads, reduced, 3)
    assert sorted(everything.tolist()) == list(range(8))  # 3 heads × 3 ≥ 8 arcs


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-10**15, -1)), min_size=1,
                max_size=60), st.integers(1, 4))
def test_most_negative_picks_each_heads_most_negative(
    arcs: list[tuple[int, int]], per_head: int,
) -> None:
    heads = np.array([h for h, _ in arcs], dtype=np.int64)
    reduced = np.array([r for _, r in arcs], dtype=np.int64)
    picked = set(lexicographic._most_negative(heads, reduced, per_head).tolist())
    present = set(heads.tolist())
    assert len(picked) == min(len(arcs), per_head * len(present))
    for h in present:
        best = min(r for x, r in arcs if x == h)
        assert any(arcs[i] == (h, best) for i in picked)


def test_ties_are_taken_by_position_whatever_the_cpu() -> None:
    """Equal reduced costs: each head's first, then the others by position (argpartition
    would choose among them by the CPU's instructions)."""
    heads = np.array([4] * 6 + [2] * 6, dtype=np.int64)
    reduced = np.full(12, -7, dtype=np.int64)
    assert sorted(lexicographic._most_negative(heads, reduced, 2).tolist()) == [0, 1, 2, 6]


def never(*args: object) -> object:
    raise AssertionError("starting_arcs computed for a flow that is not priced")


@pytest.mark.parametrize("how", ["pruned", "tier by tier"])
def test_no_starting_arcs_where_the_flow_is_not_priced(
    how: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pruned graph (its groups × ambassadors table would have no bound) and a flow solved
    tier by tier are not priced: starting_arcs is never computed."""
    monkeypatch.setattr(lexicographic, "PRICE_FROM", 0)
    monkeypatch.setattr(solver, "starting_arcs", never)
    extra: dict[str, object] = {"full_graph_limit": 0} if how == "pruned" else {}
    if how == "tier by tier":
        monkeypatch.setattr(lexicographic, "one_stage", lambda net: False)
    result = match(*instance(16, 30, 80, 120, **extra))  # type: ignore[arg-type]
    assert result.stats["lexicographic_proven"] is True
    assert "pricing_rounds" not in result.stats
    assert result.stats["pruned"] is (how == "pruned")


def test_guess_costs_with_steps_given_are_the_plain_small_weights() -> None:
    """The small weights computed once per priced flow give what computing them for each
    round gave: each tier one more than the best arc of the tier below weighs."""
    rnd = random.Random(7)
    size = 40
    gains = [np.array([rnd.randint(0, top) for _ in range(size)], dtype=np.int64)
             for top in (1, 1, 1, 79)]
    net = lexicographic.Network(np.zeros(size, np.int64), np.ones(size, np.int64),
                                np.ones(size, np.int64), np.array([1, -1], np.int64), gains,
                                [1] * 4)
    step, plain = 1, np.zeros(size, dtype=np.int64)
    for g in reversed(gains):
        plain -= step * g
        step = step * int(g.max()) + 1
    arcs = np.array([3, 0, 17, 39, 3], dtype=np.int64)
    steps = lexicographic._guess_steps(net)
    assert lexicographic._guess_costs(net).tolist() == plain.tolist()
    assert lexicographic._guess_costs(net, arcs, steps).tolist() == plain[arcs].tolist()
    assert lexicographic._guess_costs(net, arcs).tolist() == plain[arcs].tolist()


# --- the arrays of every arc, written and priced a block at a time ------------------------


@given(st.integers(0, 60), st.integers(1, 9), st.integers(0, 2**31))
def test_blocks_price_as_one_pass_over_every_arc(arcs: int, block: int, seed: int) -> None:
    """`_negative` a block at a time (blocks of 1 to 9 arcs here) finds the arcs and reduced
    costs of the one-pass definition: c + d(tail) − d(head) < 0, arcs taken left out."""
    rng = np.random.default_rng(seed)
    nodes = 12
    tails, heads = rng.integers(0, nodes, arcs), rng.integers(0, nodes, arcs)
    own, d = rng.integers(-50, 50, arcs), rng.integers(-50, 50, nodes)
    taken = rng.random(arcs) < 0.3
    reduced = own + d[tails] - d[heads]
    expected = np.flatnonzero((reduced < 0) & ~taken)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lexicographic, "_BLOCK", block)
        found, costs = lexicographic._negative(d, tails, heads, own, taken)
    assert found.tolist() == expected.tolist()
    assert costs.tolist() == reduced[expected].tolist()


@given(st.lists(st.lists(st.integers(0, 5), min_size=7, max_size=7), min_size=1, max_size=4),
       st.lists(st.integers(0, 40), min_size=4, max_size=4))
def test_stage_costs_are_the_weighted_sum_of_every_tier(gains: list[list[int]],
                                                        bounds: list[int]) -> None:
    """`_stage_cost` (the densest tier written, the others added where not 0) is −Σ w·gain."""
    tiers = [np.array(g, dtype=np.int64) for g in gains]
    net = lexicographic.Network(np.zeros(7, dtype=np.int64), np.zeros(7, dtype=np.int64),
                                np.ones(7, dtype=np.int64), np.zeros(2, dtype=np.int64),
                                tiers, bounds[:len(tiers)])
    weights = lexicographic.stage_weights(net.bounds)
    plain = -sum((w * g for w, g in zip(weights, tiers, strict=True)),
                 np.zeros(7, dtype=np.int64))
    assert lexicographic._stage_cost(net).tolist() == plain.tolist()
    assert net.tops == [max(g) for g in gains]


def test_arcs_written_a_block_at_a_time_are_those_of_every_arc(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The matching's network with blocks of 5 pair arcs is the one with a single block."""
    from sheets_sync.ambassadors.matching import solver

    classes, ambassadors, settings_ = instance(17, 12, 30, 40)
    whole = match(classes, ambassadors, settings_)
    monkeypatch.setattr(solver, "_BLOCK", 5)
    blocks = match(classes, ambassadors, settings_)
    assert whole.stats["arcs"] > 5 * 10
    assert [dataclasses.astuple(p) for p in blocks.pairings] == \
        [dataclasses.astuple(p) for p in whole.pairings]
    assert blocks.objective == whole.objective
