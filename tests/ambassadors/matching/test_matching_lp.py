"""The flow is optimal: an independent integer program (HiGHS, via scipy) finds the same optimum.

The program knows nothing of the network: one 0/1 variable per candidate pair, tier
indicators bounded by the pairs, capacities as rows, and the four tiers of the objective
maximised one after the other (lexicographically), each fixed before the next. It scores pairs
with the scalar `pair_points` and counts tiers with `evaluate`'s definitions.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from sheets_sync.ambassadors.matching import (
    Ambassador,
    ClassUnit,
    MatchSettings,
    Objective,
    Tiers,
    candidate_pairs,
    evaluate,
    match,
    pair_points,
)
from sheets_sync.ambassadors.matching.scoring import focus_of, profile, terms


def lp_optimum(
    classes: Sequence[ClassUnit],
    ambassadors: Sequence[Ambassador],
    settings: MatchSettings,
    integral: bool = True,
) -> Objective:
    """The lexicographic optimum (schools, classes, gendered slots, points) over the solver's
    candidate pairs plus the confirmed ones; with integral=False, the linear relaxation, an
    upper bound of each tier in turn (rounded down), much faster on large instances."""
    k = settings.k
    amb = {a.id: a for a in ambassadors}
    cls = {c.id: c for c in classes}
    confirmed = sorted(
        (c, a)
        for c, a in settings.confirmed
        if c in cls and a in amb and (c, a) not in settings.excluded
    )

    def points(c: str, a: str) -> int:
        t = terms(cls[c].words)
        return pair_points(t, focus_of(t), profile(amb[a], settings), settings.weights)

    school_of = {c.id: c.school for c in classes}
    gender_of = {a.id: a.gender for a in ambassadors}
    fixed = evaluate(((c, a, points(c, a)) for c, a in confirmed), school_of, gender_of, k)
    used_c: dict[str, int] = defaultdict(int)
    used_a: dict[str, int] = defaultdict(int)
    genders_c: dict[str, set[str]] = defaultdict(set)
    for c, a in confirmed:
        used_c[c] += 1
        used_a[a] += 1
        if gender_of[a] is not None:
            genders_c[c].add(str(gender_of[a]))
    pairs = [
        (c, a, v)
        for c, cands in candidate_pairs(classes, ambassadors, settings).items()
        for a, v in cands
    ]
    for c, a, v in pairs:
        assert v == points(c, a), "vectorised and scalar scoring disagree"
        assert (c, a) not in settings.excluded
    served_c = {c for c, _ in confirmed}
    served_s = {school_of[c] for c in served_c}
    n = len(pairs)
    y_keys = sorted(
        {
            (c, g)
            for c, a, _ in pairs
            if k >= 2 and (g := gender_of[a]) is not None and g not in genders_c[c]
        }
    )
    z_keys = sorted({c for c, _, _ in pairs if c not in served_c})
    s_keys = sorted({school_of[c] for c in z_keys if school_of[c] not in served_s})
    y0, z0, s0 = n, n + len(y_keys), n + len(y_keys) + len(z_keys)
    size = s0 + len(s_keys)
    rows: list[tuple[dict[int, float], float, float]] = []
    by_c: dict[str, dict[int, float]] = defaultdict(dict)
    by_a: dict[str, dict[int, float]] = defaultdict(dict)
    by_cg: dict[tuple[str, object], dict[int, float]] = defaultdict(dict)
    for j, (c, a, _) in enumerate(pairs):
        by_c[c][j] = 1
        by_a[a][j] = 1
        by_cg[(c, gender_of[a])][j] = 1
    for c, row in by_c.items():
        rows.append((row, -np.inf, max(0, k - used_c[c])))
    for a, row in by_a.items():
        room = max(0, amb[a].capacity - used_a[a]) if amb[a].available else 0
        rows.append((row, -np.inf, room))
    for i, key in enumerate(y_keys):  # y <= sum of that gender's pairs in the class
        rows.append(({y0 + i: 1, **{j: -1 for j in by_cg[key]}}, -np.inf, 0))
    for i, c in enumerate(z_keys):
        rows.append(({z0 + i: 1, **{j: -1 for j in by_c[c]}}, -np.inf, 0))
    for i, h in enumerate(s_keys):
        row: dict[int, float] = {s0 + i: 1}
        row.update({z0 + z: -1 for z, c in enumerate(z_keys) if school_of[c] == h})
        rows.append((row, -np.inf, 0))
    stages = [
        {s0 + i: 1.0 for i in range(len(s_keys))},
        {z0 + i: 1.0 for i in range(len(z_keys))},
        {y0 + i: 1.0 for i in range(len(y_keys))},
        {j: float(v) for j, (_, _, v) in enumerate(pairs)},
    ]
    best: list[int] = []
    integrality = np.zeros(size)
    integrality[:n] = 1 if integral else 0
    for stage in stages:
        if size == 0:
            best.append(0)
            continue
        r, col, val = [], [], []
        lo, hi = [], []
        for i, (row, low, high) in enumerate(rows):
            for j, coef in row.items():
                r.append(i)
                col.append(j)
                val.append(coef)
            lo.append(low)
            hi.append(high)
        matrix = coo_array((val, (r, col)), shape=(max(len(rows), 1), size)).tocsr()
        cost = np.zeros(size)
        for j, coef in stage.items():
            cost[j] = -coef
        res = milp(
            cost,
            constraints=LinearConstraint(matrix, lo, hi) if rows else None,
            integrality=integrality,
            bounds=Bounds(0, 1),
        )
        assert res.success, res.message
        value = round(-res.fun) if integral else int(np.floor(-res.fun + 1e-6))
        best.append(value)
        rows.append((stage, value - 0.5, np.inf))  # keep this tier at its optimum
    return Objective(
        fixed.schools + best[0],
        fixed.classes + best[1],
        fixed.gendered + best[2],
        fixed.quality + best[3],
    )


WORDS = [
    "numérique",
    "santé",
    "robotique",
    "cuisine",
    "sport",
    "théâtre",
    "énergie",
    "lutte contre les stéréotypes",
    "secteurs porteurs",
    "figures emblématiques",
]
JOBS = [
    ("Développeuse", "Numérique", "M1805"),
    ("Infirmier", "Santé", "J1506"),
    ("Maçonne", "Bâtiment", "F1703"),
    ("Cuisinier", "Hôtellerie restauration", "G1602"),
    ("Comédienne", "Spectacle", "L1203"),
    ("Électricien", "Énergie", None),
]


def random_instance(seed: int) -> tuple[list[ClassUnit], list[Ambassador], MatchSettings]:
    """A small fictional instance with exclusions, confirmations and unavailable people."""
    rnd = random.Random(seed)
    schools = [f"S{i}" for i in range(rnd.randint(1, 4))]
    answers = {h: frozenset(rnd.sample(WORDS, rnd.randint(0, 3))) for h in schools}
    classes = []
    for i in range(rnd.randint(1, 8)):
        h = rnd.choice(schools)
        classes.append(ClassUnit(f"C{i:02d}", h, rnd.choice(["4e", "3e"]), answers[h]))
    ambassadors = []
    for i in range(rnd.randint(0, 10)):
        job, sector, rome = rnd.choice(JOBS)
        ambassadors.append(
            Ambassador(
                f"A{i:02d}",
                rnd.choice(["F", "H", "H", "F", None]),
                job,
                sector,
                rome,
                frozenset(rnd.sample(WORDS[:7], rnd.randint(0, 2))),
                capacity=rnd.randint(0, 3),
                available=rnd.random() > 0.1,
                local=rnd.random() < 0.3,
            )
        )
    pairs = [(c.id, a.id) for c in classes for a in ambassadors]
    excluded = frozenset(p for p in pairs if rnd.random() < 0.1)
    confirmed = frozenset(p for p in pairs if rnd.random() < 0.05)
    settings = MatchSettings(
        k=rnd.choice([1, 2, 2, 3]),
        excluded=excluded,
        confirmed=confirmed,
        full_graph_limit=rnd.choice([0, 10**6]),
        candidates_per_class=2,
        filler_candidates=1,
    )
    return classes, ambassadors, settings


def tiers_of(stats: object) -> Tiers:
    assert isinstance(stats, dict)
    return Tiers(
        stats["tier_gender"],
        stats["tier_class"],
        stats["tier_school"],
        stats["lexicographic_proven"],
    )


@pytest.mark.parametrize("seed", range(60))
def test_flow_reaches_the_lp_optimum(seed: int) -> None:
    classes, ambassadors, settings = random_instance(seed)
    result = match(classes, ambassadors, settings)
    lp = lp_optimum(classes, ambassadors, settings)
    flow = (
        result.stats["schools_served"],
        result.stats["classes_served"],
        result.stats["gendered_slots"],
        result.stats["quality"],
    )
    assert flow == lp.key()
    assert result.objective == lp.total(tiers_of(result.stats))
    assert result.stats["lexicographic_proven"] is True


def test_lp_sees_a_worse_assignment_as_worse() -> None:
    """The check can fail: a greedy pick that wastes the only woman is below the LP optimum."""
    classes = [
        ClassUnit("C1", "S1", "4e", frozenset({"santé"})),
        ClassUnit("C2", "S2", "4e", frozenset({"numérique"})),
    ]
    ambassadors = [
        Ambassador("A1", "F", "Infirmière", "Santé", interests=frozenset({"numérique"})),
        Ambassador("A2", "H", "Infirmier", "Santé"),
    ]
    settings = MatchSettings(k=1)
    lp = lp_optimum(classes, ambassadors, settings)
    assert lp.classes == 2 and lp.schools == 2
    worse = evaluate([("C1", "A1", 0)], {"C1": "S1", "C2": "S2"}, {"A1": "F", "A2": "H"}, 1)
    assert worse.key() < lp.key()
