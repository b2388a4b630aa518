"""The faster matching finds exactly what it found before (issue #16, speed).

Results are pinned by digests computed with the code before the speed work (the same pairings,
slots, points, reasons, unserved classes, objective and stats), on seeded instances of every
path: full graph, pruned graph whose pool empties, coordinators' decisions, k = 1 and k = 3,
the tier-by-tier solve. The new fast paths are pinned against their plain definitions:
points of many pairs at once against `points_at`, and the Bellman-Ford rounds that only scan
arcs out of changed nodes against rounds over every arc.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.ambassadors.matching import (
    Ambassador,
    ClassUnit,
    MatchSettings,
    lexicographic,
    match,
    scoring,
)
from sheets_sync.ambassadors.matching.candidates import group_classes, prepare
from sheets_sync.ambassadors.matching.lexicographic import potentials
from sheets_sync.ambassadors.matching.scoring import ScoreTable, focus_of

from .test_fast_paths import SLOW, campaign
from .test_matching_lp import JOBS, WORDS


def instance(seed: int, schools: int, classes: int, ambassadors: int,
             **settings: object) -> tuple[list[ClassUnit], list[Ambassador], MatchSettings]:
    """Schools answering a few words each, a roster with every kind of profile."""
    rnd = random.Random(seed)
    answers = [frozenset(rnd.sample(WORDS, rnd.randint(1, 5))) for _ in range(schools)]
    at = [i if i < schools else rnd.randrange(schools) for i in range(classes)]
    units = [ClassUnit(f"C{i:05d}", f"E{h:04d}", "4e", answers[h]) for i, h in enumerate(at)]
    roster = []
    for i in range(ambassadors):
        job, sector, rome = rnd.choice(JOBS)
        roster.append(Ambassador(
            f"A{i:05d}", rnd.choices(["F", "H", None], [45, 45, 10])[0], job, sector,
            rome if rnd.random() < 0.8 else None, frozenset(rnd.sample(WORDS, rnd.randint(0, 3))),
            capacity=rnd.choices([1, 2, 3], [50, 35, 15])[0], available=rnd.random() < 0.9,
            local=rnd.random() < 0.25))
    pairs = [(c.id, a.id) for c in rnd.sample(units, min(40, classes))
             for a in rnd.sample(roster, 3)]
    decided = {
        "confirmed": frozenset(pairs[0::5]),
        "excluded": frozenset(pairs[1::5]),
        "kept": frozenset(pairs[2::5] + pairs[3::7]),
    } if settings.pop("decisions", False) else {}
    return units, roster, MatchSettings(**decided, **settings)  # type: ignore[arg-type]


# (name, instance arguments, MatchResult.digest() found by the code before the speed work)
PINNED = [
    ("full graph", (1, 30, 80, 120), {}, "4d10775971f953a3"),
    ("full graph, decisions", (2, 30, 80, 120), {"decisions": True}, "85118c5373d959d3"),
    ("pruned, the pool empties", (3, 200, 700, 400), {"full_graph_limit": 0}, "478d6ba08a06a208"),
    ("pruned, decisions, k = 3", (4, 150, 500, 600),
     {"full_graph_limit": 0, "k": 3, "decisions": True}, "e33b26ec6cf04f1a"),
    ("pruned, k = 1, no fillers", (5, 120, 300, 200),
     {"full_graph_limit": 10_000, "k": 1, "filler_candidates": 0}, "1965fc6332c6a988"),
    ("tier by tier, pruned", (6, 150, 500, 400), {"full_graph_limit": 0, "split": True},
     "4b0c7be1aa8dd719"),
    ("tier by tier, decisions", (8, 40, 100, 150), {"decisions": True, "split": True},
     "2cdbdadc20a3484b"),
]


@pytest.mark.parametrize(("name", "args", "settings", "expected"), PINNED,
                         ids=[x[0] for x in PINNED])
def test_match_finds_what_it_found_before_the_speed_work(
        name: str, args: tuple[int, int, int, int], settings: dict[str, object],
        expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`split`: solved tier by tier, as France is (its exact weights do not fit int64)."""
    settings = dict(settings)
    if settings.pop("split", False):
        monkeypatch.setattr(lexicographic, "one_stage", lambda net: False)
    result = match(*instance(*args, **settings))
    assert result.stats["lexicographic_proven"]
    assert result.stats["stages"] == (4 if name.startswith("tier") else 1)
    assert result.digest() == expected


@SLOW
@given(st.integers(0, 10**6), st.booleans(), st.sampled_from([0, 1 << 25]),
       st.sampled_from([1, 3, 1 << 18]))
def test_points_of_many_pairs_are_points_at(seed: int, negative: bool, dense: int, chunk: int,
                                            ) -> None:
    """ScoreTable.pairs_points, through the dense table (in chunks) or kind by kind."""
    classes, ambassadors, s = campaign(seed, negative)
    p = prepare(classes, ambassadors, s)
    table = ScoreTable(p.profiles, s.weights)
    kinds = sorted({g.terms for g in group_classes(p)}, key=sorted) or [frozenset()]
    rnd = random.Random(seed)
    which = np.array([rnd.randrange(len(kinds)) for _ in range(60)], dtype=np.int64)
    rows = np.array([rnd.randrange(table.size) for _ in range(60)] if table.size else [],
                    dtype=np.int64)
    which = which[: len(rows)]
    expected = [int(table.points_at(np.array([r]), kinds[k], focus_of(kinds[k]))[0])
                for k, r in zip(which.tolist(), rows.tolist(), strict=True)]
    old = scoring._DENSE_CELLS, scoring._CHUNK
    scoring._DENSE_CELLS, scoring._CHUNK = dense, chunk
    try:
        assert table.pairs_points(kinds, which, rows).tolist() == expected
    finally:
        scoring._DENSE_CELLS, scoring._CHUNK = old


def plain_potentials(nodes: int, tails: np.ndarray, heads: np.ndarray, caps: np.ndarray,
                     costs: np.ndarray, flows: np.ndarray, rounds: int | None = None,
                     ) -> list[int] | None:
    """Bellman-Ford as defined: each round relaxes every residual arc from the last round's
    distances; None when `rounds` rounds (nodes + 1 by default) do not settle."""
    arcs = [(t, h, c) for t, h, k, c, f in zip(tails.tolist(), heads.tolist(), caps.tolist(),
                                               costs.tolist(), flows.tolist(), strict=True)
            for t, h, c in ([(t, h, c)] if f < k else []) + ([(h, t, -c)] if f > 0 else [])]
    d = [0] * nodes
    for _ in range(nodes + 1 if rounds is None else rounds):
        lower = list(d)
        for t, h, c in arcs:
            lower[h] = min(lower[h], d[t] + c)
        if lower == d:
            return d
        d = lower
    return None if arcs else d


@SLOW
@given(st.integers(0, 10**6), st.integers(2, 9), st.integers(0, 30),
       st.one_of(st.none(), st.integers(0, 6)))
def test_potentials_are_plain_bellman_ford(seed: int, nodes: int, n_arcs: int,
                                           rounds: int | None) -> None:
    """Same distances, same verdict (settled or not within the rounds), negative cycles or
    not: only arcs out of nodes changed in the last round are scanned."""
    rnd = random.Random(seed)
    tails = np.array([rnd.randrange(nodes) for _ in range(n_arcs)], dtype=np.int64)
    heads = np.array([rnd.randrange(nodes) for _ in range(n_arcs)], dtype=np.int64)
    caps = np.array([rnd.randint(0, 3) for _ in range(n_arcs)], dtype=np.int64)
    costs = np.array([rnd.randint(-5, 9) for _ in range(n_arcs)], dtype=np.int64)
    flows = np.array([rnd.randint(0, int(k)) for k in caps], dtype=np.int64)
    got = potentials(nodes, tails, heads, caps, costs, flows, rounds)
    assert (None if got is None else got.tolist()) == plain_potentials(
        nodes, tails, heads, caps, costs, flows, rounds)


def test_the_one_stage_cost_is_minus_the_weighted_gains() -> None:
    """The one-stage flow's costs, summed in place, are −Σ weight × gain, arc by arc."""
    seen: list[np.ndarray] = []
    flow = lexicographic._flow

    def spy(tails: np.ndarray, heads: np.ndarray, caps: np.ndarray, costs: np.ndarray,
            supplies: np.ndarray) -> np.ndarray | None:
        seen.append(costs.copy())
        return flow(tails, heads, caps, costs, supplies)

    net = lexicographic.Network(
        np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]), np.array([1, 1, 1, 1]),
        np.array([1, 0, 0, -1]), [np.array([1, 0, 0, 2]), np.array([0, 3, 1, 0])], [2, 4])
    lexicographic._flow = spy  # type: ignore[assignment]
    try:
        lexicographic.solve(net)
    finally:
        lexicographic._flow = flow  # type: ignore[assignment]
    weights = lexicographic.stage_weights(net.bounds)
    assert seen[0].tolist() == [-(weights[0] * a + weights[1] * b) for a, b in
                                zip(net.gains[0].tolist(), net.gains[1].tolist(), strict=True)]
