"""Pair classes with ambassadors optimally: one min-cost flow (OR-Tools).

Classes of one school with the same answers and no decision of their own (no exclusion, no
confirmation) score every ambassador alike: they form a *group*, one node of the flow. For a
group of m classes, k ambassadors each (r = k·m open slots):

    source ─room─► ambassador ─min(room, m), −points─► Gᶠ ─m, −G─► G ─m, −C─► school ─1, −S─► sink
                   (a woman)                             └r, 0─┘     └r−m, 0┘        └r, 0─┘
                              ─min(room, m), −points─► Gʰ (a man: the same two arcs to G)
                              ─min(room, m), −points─► G  (gender not given)
    source ────────────────────────────── bypass, 0 ─────────────────────────────────► sink

A school with a single group has no school node: the group's first unit carries −(C + S).
A group with a decision is a single class (m = 1). The parallel arcs are the tiers of the
objective (scoring.py): min-cost flow takes a cheaper parallel arc first, so the flow cost is
−(S·schools + C·classes + G·gendered + points) of the group-level assignment. `_spread` then
deals each group's units round its classes (women first, men last): every class gets ≤ k,
nobody twice in a class (an ambassador has ≤ m units in a group), and the classes served and
gendered slots are exactly min(m, units), min(m, women), min(m, men), what the flow counted.
The LP check (tests/ambassadors/matching/test_matching_lp.py) solves the class-level problem
and finds the same.

Lexicographic tiers. The parallel arcs carry one gain per tier (a school, a class, a gendered
slot, the pair's points); lexicographic.py turns them into costs and proves the optimum: one
exact flow when weights that separate the tiers exactly (each above the best total of the
tiers below, bounded from the instance) fit OR-Tools' int64 arithmetic, as up to a few
thousand classes; otherwise a fast flow checked tier by tier with potentials, exact solves
only where a check fails. stats["lexicographic_proven"] says whether every stage was proven,
stats["tier_*"] are the exact weights (Python integers), so `objective` orders results as the
tiers do.

Scale. When groups × ambassadors exceeds settings.full_graph_limit, candidate arcs are pruned
(candidates.py, which also exposes them as `candidate_pairs`). A full graph of
lexicographic.PRICE_FROM pair arcs or more (Hauts-de-France: 1.9 million) whose tiers fit one
stage is priced: the flow starts from the arcs a pruned graph would keep
(candidates.starting_arcs) and takes in the arcs whose reduced cost shows they would improve
it, until none would: the optimum of the full graph, proven, in a fraction of the time. A
pruned graph is not priced (its arcs are those a priced flow starts from: none is left out).

Determinism. Classes and ambassadors are sorted by id, groups by their first class, pruning
ties are broken by a fixed rotation of the ids (candidates.py): the network is the same, arc
for arc, whatever the input order, and OR-Tools' min-cost flow is deterministic on a given
network (pricing too: the same arcs are taken in, round after round, ties among them broken
by position, never by the CPU's instructions). Ties between equal assignments are therefore
resolved the same way at each run, though not necessarily by smallest id (and a priced flow
may settle a tie otherwise than a flow over every arc).

Stability. Confirmed pairings and kept ones (settings.kept: published at an earlier sync and
still possible, see ambassadors/stability.py) are fixed before the flow: they use capacity
and slots and count in the tiers; kept ones are reported with confirmed=False. Excluded pairs
get no arc. The flow only fills the slots and capacity left, so a new class never moves a
pairing already published; pairings neither confirmed nor kept may change between runs.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np

from ...collector import collector_paused
from . import lexicographic
from .candidates import Group, Problem, candidate_arcs, group_classes, prepare, starting_arcs
from .explain import Explainer, unserved_reason
from .lexicographic import Network, stage_weights
from .lexicographic import solve as solve_lexicographic
from .model import (
    MAN,
    WOMAN,
    Ambassador,
    ClassUnit,
    MatchResult,
    MatchSettings,
    Pairing,
    SlotKind,
    Unserved,
)
from .scoring import IntArray, Tiers, evaluate, focus_of, pair_points

_COST_LIMIT = 2**60  # OR-Tools checks |cost| × (nodes + 1) against int64
_BLOCK = 1 << 16  # pair arcs written at a time (`_arcs`): temporaries of 512 KiB, reused


def tier_weights(nodes: int, max_points: int) -> Tiers:
    """Single-cost tier weights G < C < S, provably lexicographic when G > nodes·max points,
    C > nodes·G and S > nodes·C fit |cost|·(nodes + 1) < 2⁶⁰ (a trade across tiers needs a
    residual cycle, at most `nodes` arcs); else the largest factor that fits, not proven.

    The solver no longer uses them (lexicographic.py proves every scale); kept for the
    public API."""

    def build(factor: int) -> Tiers:
        gender = factor * max_points + 1
        klass = factor * gender + 1
        return Tiers(gender, klass, factor * klass + 1, factor >= nodes)

    def fits(t: Tiers) -> bool:
        return t.school * (nodes + 1) < _COST_LIMIT

    if fits(build(nodes)):
        return build(nodes)
    low, high = 1, nodes  # largest factor that fits
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if fits(build(mid)) else (low, mid - 1)
    return build(low)


def _arcs(
    grp: IntArray, amb: IntArray, act: IntArray, group_node: IntArray, offset: IntArray,
    room: IntArray, size: IntArray, extra: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """Tails, heads and capacities of every arc: the pair arcs first (ids 0 … len(grp) − 1;
    an ambassador may take several classes of a group, never one class twice, see _spread),
    then an arc from the source to each active ambassador, then the `extra` rows.

    Written in place into arrays of the final length, the pair arcs a block at a time: at
    1.9 million pair arcs, temporaries of every arc and concatenated copies were a hundred
    megabytes more to allocate (and fault in); a block's temporaries are reused."""
    n, m = len(grp), len(act)
    total = n + m + len(extra)
    tails, heads, caps = (np.empty(total, dtype=np.int64) for _ in range(3))
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        a, g = amb[lo:hi], grp[lo:hi]
        np.add(a, 2, out=tails[lo:hi])
        np.add(np.take(group_node, g), np.take(offset, a), out=heads[lo:hi])
        np.minimum(np.take(room, a), np.take(size, g), out=caps[lo:hi])
    tails[n:n + m] = 0
    np.add(act, 2, out=heads[n:n + m])
    caps[n:n + m] = room[act]
    for column, out in enumerate((tails, heads, caps)):
        out[n + m:] = extra[:, column]
    return tails, heads, caps


def _solve(
    p: Problem, groups: list[Group], grp: IntArray, amb: IntArray, pts: IntArray,
    pruned: bool = True,
) -> tuple[IntArray, Tiers, dict[str, int]]:
    """Run the flow; return the units on each candidate arc, the tiers' weights, sizes.

    `pruned` False: the arcs are the full graph, priced when large (see the docstring)."""
    s, n_amb = p.settings, len(p.ambassadors)
    school_ids = sorted({g.school for g in groups})
    school_ix = {h: i for i, h in enumerate(school_ids)}
    group_node = 2 + n_amb + 3 * np.arange(len(groups), dtype=np.int64)
    school_node0 = 2 + n_amb + 3 * len(groups)
    nodes = school_node0 + len(school_ids)
    gendered = s.k >= 2
    offset = np.array(
        [
            (1 if a.gender == WOMAN else 2 if a.gender == MAN else 0) if gendered else 0
            for a in p.ambassadors
        ],
        dtype=np.int64,
    )
    size = np.array([len(g.members) for g in groups], dtype=np.int64)
    room = np.array(p.room, dtype=np.int64)
    act = np.array(p.active, dtype=np.int64)
    has = {(c, p.ambassadors[a].gender) for c, a in p.confirmed}
    covered = {c for c, _ in p.confirmed}
    served = {p.classes[c].school for c in covered}
    # (tail, head, capacity, school gain, class gain, gendered gain)
    extra: list[tuple[int, int, int, int, int, int]] = []
    demand = [0] * len(school_ids)
    per_school = Counter(g.school for g in groups)
    for gi, g in enumerate(groups):
        base = int(group_node[gi])
        school = school_node0 + school_ix[g.school]
        slots = sum(p.open_slots[c] for c in g.members)
        demand[school - school_node0] += slots
        if gendered:
            for off, gender in ((1, WOMAN), (2, MAN)):
                lacking = sum((c, gender) not in has for c in g.members)
                if lacking:
                    extra.append((base + off, base, lacking, 0, 0, 1))
                extra.append((base + off, base, slots, 0, 0, 0))
        uncovered = sum(c not in covered for c in g.members)
        alone = per_school[g.school] == 1  # the group's arcs carry the school tier too
        target = 1 if alone else school
        if uncovered and alone and g.school not in served:
            extra.append((base, 1, 1, 1, 1, 0))
            uncovered -= 1
            slots -= 1
        if uncovered:
            extra.append((base, target, uncovered, 0, 1, 0))
        if slots > uncovered:
            extra.append((base, target, slots - uncovered, 0, 0, 0))
    for h, name in enumerate(school_ids):
        if per_school[name] == 1:
            continue
        if name not in served:
            extra.append((school_node0 + h, 1, 1, 1, 0, 0))
        extra.append((school_node0 + h, 1, demand[h], 0, 0, 0))
    supply = min(int(room.sum()), sum(p.open_slots))
    extra.append((0, 1, supply, 0, 0, 0))
    arr = np.array(extra, dtype=np.int64).reshape(-1, 6)
    n_pair = len(grp) + len(act)
    supplies = np.zeros(nodes, dtype=np.int64)
    supplies[0], supplies[1] = supply, -supply
    arc_tails, arc_heads, arc_caps = _arcs(grp, amb, act, group_node, offset, room, size,
                                           arr)
    # the upper tiers' gains are on the extra arcs only, the points on the pair arcs only
    tier_gains = [np.zeros(len(arc_caps), dtype=np.int64) for _ in range(4)]
    for gains, col in zip(tier_gains, (3, 4, 5), strict=False):
        gains[n_pair:] = arr[:, col]
    tier_gains[3][: len(pts)] = pts
    bounds = [min(supply, int((arr[:, col] * arr[:, 2]).sum())) for col in (3, 4, 5)]
    bounds.append(supply * max(int(pts.max()) if len(pts) else 0, 0))
    network = Network(
        arc_tails,
        arc_heads,
        arc_caps,
        supplies,
        tier_gains,
        bounds,
        optional=len(grp),
        # a full graph (at most full_graph_limit cells) of many arcs is priced (pruned: not)
        first=(functools.partial(starting_arcs, p, grp, amb, pts, len(groups))
               if not pruned and len(grp) >= lexicographic.PRICE_FROM else None),
    )
    flows, proven, how = solve_lexicographic(network)
    school_w, class_w, gender_w, _ = stage_weights(bounds)
    tiers = Tiers(gender_w, class_w, school_w, proven)
    sizes = {"nodes": nodes, "arcs": len(arc_caps), "supply": supply, "groups": len(groups),
             **how}
    return flows[: len(grp)], tiers, sizes


def _spread(
    p: Problem, groups: list[Group], grp: IntArray, amb: IntArray, pts: IntArray, units: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Hand a group's units to its classes: (class, ambassador, points) arrays, one row per
    pairing.

    Units are dealt round the classes (sorted by id): women first, then unknown gender, then
    men, each ambassador's units one after the other. With u units for m classes (u ≤ k·m,
    each ambassador ≤ m units) every class gets ≤ k, an ambassador never lands twice in a
    class, min(m, u) classes are served, min(m, women) have a woman and min(m, men) a man:
    exactly the tiers the flow counted for the group.
    """
    used = np.flatnonzero(units)
    rank = np.array([1, 0, 2], dtype=np.int64)[_genders(p)]  # women, unknown, men
    # a group's arcs go to distinct ambassadors, and index order is id order
    used = used[np.lexsort((amb[used], rank[amb[used]], grp[used]))]
    rows = np.repeat(used, units[used])  # one row per unit
    if not len(rows):
        return rows, rows, rows
    g = grp[rows]
    at = np.arange(len(rows), dtype=np.int64)
    first = np.maximum.accumulate(np.where(np.r_[True, g[1:] != g[:-1]], at, 0))
    size = np.array([len(x.members) for x in groups], dtype=np.int64)
    offset = np.cumsum(size) - size
    members = np.fromiter(chain.from_iterable(x.members for x in groups), dtype=np.int64,
                          count=int(size.sum()))
    return members[offset[g] + (at - first) % size[g]], amb[rows], pts[rows]


def _genders(p: Problem) -> IntArray:
    """Per ambassador: 1 a woman, 2 a man, 0 not given."""
    codes: dict[str | None, int] = {WOMAN: 1, MAN: 2}
    return np.array([codes.get(a.gender, 0) for a in p.ambassadors], dtype=np.int64)


_KINDS: tuple[SlotKind, SlotKind, SlotKind] = ("libre", "femme", "homme")


def _slots(c: IntArray, a: IntArray, v: IntArray, fixed: IntArray, p: Problem) -> IntArray:
    """Per class, the first woman and the first man (confirmed first, then points, then id)
    hold the gendered slots; everyone else a free one. Per pairing: 0 free, 1 woman's slot,
    2 man's slot (_KINDS)."""
    kinds = np.zeros(len(c), dtype=np.int64)
    if p.settings.k < 2 or not len(c):
        return kinds
    order = np.lexsort((a, -v, fixed == 0, c))
    gender = _genders(p)[a[order]]
    _, first = np.unique(c[order] * 3 + gender, return_index=True)
    first = first[gender[first] > 0]
    kinds[order[first]] = gender[first]
    return kinds


def _pairings(
    p: Problem, c: IntArray, a: IntArray, v: IntArray, fixed: IntArray
) -> list[Pairing]:
    """The pairings sorted by (class id, ambassador id), with their slots and reasons."""
    kinds = _slots(c, a, v, fixed, p)
    gender = _genders(p)[a]
    has = np.zeros((3, len(p.classes)), dtype=bool)
    has[gender, c] = True
    mixed = (has[1] & has[2]).tolist()
    focus = {t: focus_of(t) for t in set(p.class_terms)}
    explain = Explainer(p.ambassadors, p.profiles)
    out = []
    order = np.lexsort((a, c))  # index order is id order
    for c_, a_, v_, fixed_, kind in zip(
        c[order].tolist(), a[order].tolist(), v[order].tolist(), fixed[order].tolist(),
        kinds[order].tolist(), strict=True
    ):
        amb_, prof, terms_ = p.ambassadors[a_], p.profiles[a_], p.class_terms[c_]
        slot = _KINDS[kind]
        reasons, shared = explain.reasons(
            a_, terms_, focus[terms_], slot=slot, mixed=mixed[c_], confirmed=bool(fixed_)
        )
        out.append(
            Pairing(
                p.classes[c_].id,
                amb_.id,
                slot,
                v_,
                reasons,
                bool(fixed_),
                shared,
                prof.growth is not None,
                prof.counter_stereotype,
                prof.local,
                amb_.gender,
            )
        )
    return out


def match(
    classes: Sequence[ClassUnit], ambassadors: Sequence[Ambassador], settings: MatchSettings
) -> MatchResult:
    """Give each class up to k ambassadors, optimally for the objective in scoring.py."""
    with collector_paused():  # about a million small objects, no cycle
        return _match(classes, ambassadors, settings)


def _match(
    classes: Sequence[ClassUnit], ambassadors: Sequence[Ambassador], settings: MatchSettings
) -> MatchResult:
    start = time.perf_counter()
    p = prepare(classes, ambassadors, settings)
    groups = group_classes(p)
    grp, amb, pts, pruned = candidate_arcs(p, groups)
    built = time.perf_counter()
    units, tiers, sizes = _solve(p, groups, grp, amb, pts, pruned)
    solved = time.perf_counter()
    fixed_c = np.array([c for c, _ in p.confirmed], dtype=np.int64)
    fixed_a = np.array([a for _, a in p.confirmed], dtype=np.int64)
    fixed_v = np.array(
        [
            pair_points(p.class_terms[c], focus_of(p.class_terms[c]), p.profiles[a],
                        settings.weights)
            for c, a in p.confirmed
        ],
        dtype=np.int64,
    )
    confirmed = np.array([(c, a) not in p.kept for c, a in p.confirmed], dtype=np.int64)
    new_c, new_a, new_v = _spread(p, groups, grp, amb, pts, units)
    pairings = _pairings(
        p,
        np.concatenate([fixed_c, new_c]),
        np.concatenate([fixed_a, new_a]),
        np.concatenate([fixed_v, new_v]),
        np.concatenate([confirmed, np.zeros(len(new_c), dtype=np.int64)]),
    )
    school_of = {c.id: c.school for c in p.classes}
    gender_of = {a.id: a.gender for a in p.ambassadors}
    score = evaluate(
        ((x.class_id, x.ambassador_id, x.score) for x in pairings), school_of, gender_of, settings.k
    )
    fixed_score = evaluate(
        ((x.class_id, x.ambassador_id, x.score) for x in pairings if x.confirmed),
        school_of,
        gender_of,
        settings.k,
    )
    count = np.bincount(np.concatenate([fixed_c, new_c]), minlength=len(p.classes)).tolist()
    size = np.array([len(g.members) for g in groups], dtype=np.int64)
    arcs_per_class = np.zeros(len(p.classes), dtype=np.int64)
    arcs_per_class[np.fromiter(chain.from_iterable(g.members for g in groups), dtype=np.int64,
                               count=int(size.sum()))] = np.repeat(
        np.bincount(grp, minlength=len(groups)), size)
    capacity = sum(a.capacity for a in p.ambassadors if a.available)
    why = functools.partial(unserved_reason, active=len(p.active), capacity=capacity,
                            demand=settings.k * len(p.classes))
    reason: dict[tuple[int, int], str] = {}  # few distinct (candidates, open slots)
    unserved = tuple(
        Unserved(c.id, settings.k - n, reason.get((arcs, slots))
                 or reason.setdefault((arcs, slots), why(candidates=arcs, open_slots=slots)))
        for c, n, arcs, slots in zip(
            p.classes, count, arcs_per_class.tolist(), p.open_slots, strict=True
        )
        if n < settings.k
    )
    stats: dict[str, int | float | bool] = {
        "k": settings.k,
        "classes": len(p.classes),
        "ambassadors": len(p.ambassadors),
        "active_ambassadors": len(p.active),
        "candidate_arcs": int(size[grp].sum()) if len(grp) else 0,
        "pruned": pruned,
        **sizes,
        "schools_served": score.schools,
        "classes_served": score.classes,
        "gendered_slots": score.gendered,
        "quality": score.quality,
        "tier_gender": tiers.gender,
        "tier_class": tiers.klass,
        "tier_school": tiers.school,
        "lexicographic_proven": tiers.proven,
        "confirmed_value": fixed_score.total(tiers),
        "seconds_candidates": built - start,
        "seconds_flow": solved - built,
        "seconds_total": time.perf_counter() - start,
    }
    return MatchResult(tuple(pairings), unserved, score.total(tiers), stats, tuple(p.notes))
