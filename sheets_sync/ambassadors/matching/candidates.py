"""What the flow is built from: the input sorted by id, classes grouped, candidate arcs.

Apart from the flow (solver.py) so that `candidate_pairs` can hand an independent check (the
LP test, the benchmark's greedy baseline) exactly the arcs the solver sees.

Scale. When groups × ambassadors exceeds settings.full_graph_limit, candidate arcs are pruned:
a group keeps its best `candidates_per_class` + k·m ambassadors by points plus fillers. Ties
are taken round the roster from a start that differs per group (a multiplicative hash of the
group's rank): broken by smaller id, every group picked the same few ambassadors among the
many with equal points (504 distinct ambassadors in 650 groups' lists at Hauts-de-France
scale), and the others were reachable only as fillers. And an ambassador enters at most
2 × room groups' best lists (groups in order, by their first class id), then counts as
below everyone for the next groups: the bonuses that do not depend on the class (métier
porteur, counter-stereotype, local) put the same few hundred ambassadors at the top of every
list, they filled all the lists, and the flow had little else than fillers to choose from.
Measured on the benchmark's instances (bench/bench_matching.py), same number of arcs:
Hauts-de-France 162,918 points → 219,282 (237,500 with the full graph), gendered slots
5,936 → 6,000 (the full graph's); France classes served 27,114 → 29,731 (every place used),
points 725,763 → 952,149. Fillers: every place of every ambassador (room 3 = three places)
is dealt in turn to the groups, at least `filler_candidates` per group, so every ambassador
stays reachable by as many groups as it has places.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .model import Ambassador, ClassUnit, MatchSettings
from .scoring import IntArray, Profile, ScoreTable, focus_of, profiles, terms

_STRIDE = 2_654_435_761  # Knuth's multiplicative hash: groups' tie starts spread round the roster
_LISTS_PER_PLACE = 2  # best lists an ambassador may enter per place (see the module docstring)
_DESCENT = 4  # distinct values tried from the top before a partition (see _threshold)


@dataclass
class Problem:
    """The input sorted by id, with what the coordinators already decided."""

    classes: list[ClassUnit]
    ambassadors: list[Ambassador]
    settings: MatchSettings
    class_terms: list[frozenset[str]] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    confirmed: list[tuple[int, int]] = field(default_factory=list)  # confirmed, then kept
    kept: set[tuple[int, int]] = field(default_factory=set)  # fixed but not confirmed
    blocked: dict[int, set[int]] = field(default_factory=dict)  # excluded or confirmed
    notes: list[str] = field(default_factory=list)
    open_slots: list[int] = field(default_factory=list)
    room: list[int] = field(default_factory=list)  # capacity left per ambassador
    active: list[int] = field(default_factory=list)  # ambassadors that can take a class


def prepare(
    classes: Sequence[ClassUnit], ambassadors: Sequence[Ambassador], settings: MatchSettings
) -> Problem:
    if settings.k < 1:
        raise ValueError("k must be at least 1")
    for kind, items in (("class", classes), ("ambassador", ambassadors)):
        ids = [x.id for x in items]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {kind} ids")
    p = Problem(
        sorted(classes, key=lambda c: c.id), sorted(ambassadors, key=lambda a: a.id), settings
    )
    parsed: dict[frozenset[str], frozenset[str]] = {}
    p.class_terms = [
        parsed.get(c.words) or parsed.setdefault(c.words, terms(c.words)) for c in p.classes
    ]
    p.profiles = profiles(p.ambassadors, settings)
    ci = {c.id: i for i, c in enumerate(p.classes)}
    ai = {a.id: i for i, a in enumerate(p.ambassadors)}
    for class_id, amb_id in settings.excluded:
        if class_id in ci and amb_id in ai:
            p.blocked.setdefault(ci[class_id], set()).add(ai[amb_id])
    for class_id, amb_id in sorted(settings.confirmed):
        if class_id not in ci or amb_id not in ai:
            p.notes.append(
                f"L'appariement confirmé {class_id} – {amb_id} ne correspond plus à "
                "une classe ou à un ambassadeur connus : il est ignoré."
            )
        elif (class_id, amb_id) in settings.excluded:
            p.notes.append(
                f"L'appariement {class_id} – {amb_id} est à la fois confirmé et "
                "exclu : l'exclusion l'emporte."
            )
        else:
            p.confirmed.append((ci[class_id], ai[amb_id]))
            p.blocked.setdefault(ci[class_id], set()).add(ai[amb_id])
    for class_id, amb_id in sorted(settings.kept - settings.confirmed - settings.excluded):
        if class_id in ci and amb_id in ai:
            p.confirmed.append((ci[class_id], ai[amb_id]))
            p.kept.add((ci[class_id], ai[amb_id]))
            p.blocked.setdefault(ci[class_id], set()).add(ai[amb_id])
    per_class = np.bincount([c for c, _ in p.confirmed], minlength=len(p.classes))
    per_amb = np.bincount([a for _, a in p.confirmed], minlength=len(p.ambassadors))
    p.open_slots = [max(0, settings.k - int(n)) for n in per_class]
    p.room = [
        max(0, a.capacity - int(n)) if a.available else 0
        for a, n in zip(p.ambassadors, per_amb, strict=True)
    ]
    p.active = [i for i, r in enumerate(p.room) if r > 0]
    for i, n in enumerate(per_class):
        if n > settings.k:
            p.notes.append(
                f"La classe {p.classes[i].id} a {n} ambassadeurs confirmés pour "
                f"{settings.k} places : ils sont tous conservés."
            )
    for i, n in enumerate(per_amb):
        amb = p.ambassadors[i]
        if n > amb.capacity or (n and not amb.available):
            p.notes.append(
                f"L'ambassadeur {amb.id} est confirmé sur {n} classe(s) (capacité "
                f"{amb.capacity}{'' if amb.available else ', indisponible'}) : "
                "ces appariements sont conservés."
            )
    return p


@dataclass(frozen=True)
class Group:
    """Classes of one school with the same answers and no decision of their own: they are
    interchangeable, so the flow sees them as one node (see solver.py)."""

    school: str
    terms: frozenset[str]
    members: tuple[int, ...]


def group_classes(p: Problem) -> list[Group]:
    """Groups of classes with open slots; a class with an exclusion or a confirmation is alone."""
    keyed: dict[tuple[str, frozenset[str], int], list[int]] = {}
    for i, c in enumerate(p.classes):
        if p.open_slots[i] > 0:
            alone = i if i in p.blocked else -1
            keyed.setdefault((c.school, p.class_terms[i], alone), []).append(i)
    return [Group(h, t, tuple(m)) for (h, t, _), m in keyed.items()]


def _threshold(points: IntArray, size: int) -> int:
    """The `size`-th highest of the points (0 < size < len(points)).

    Points take few distinct values and a list keeps a handful of ambassadors: stepping down
    from the best value takes two or three passes over the roster where a partition costs
    several; after `_DESCENT` steps the partition is used anyway."""
    top = points.max()
    for _ in range(_DESCENT):
        if np.count_nonzero(points >= top) >= size:
            return int(top)
        top = points[points < top].max()
    cut = len(points) - size
    return int(np.partition(points, cut)[cut])


def _best(points: IntArray, size: int, start: int = 0) -> IntArray:
    """Indices of the `size` highest points, in index order; ties are taken from index
    `start` on, round the roster (each group starts elsewhere: see `candidate_arcs`)."""
    threshold = _threshold(points, size)
    kept = np.flatnonzero(points >= threshold)  # one pass over the roster, then small arrays
    values = points[kept]
    return _pick(kept[values > threshold], kept[values == threshold], size, start)


def _pick(above: IntArray, tied: IntArray, size: int, start: int) -> IntArray:
    """`above`, then ties (sorted) taken from `start` on, round the roster, up to `size`."""
    need, at = size - len(above), int(np.searchsorted(tied, start))
    picked = [above, tied[at : at + need], tied[: max(0, need - (len(tied) - at))]]
    return np.sort(np.concatenate(picked))


class _Lists:
    """The best lists of a pruned graph, group after group (see the module docstring).

    What `_best(np.where(closed, -1, points), size, start)` gives over the whole roster,
    computed over a *pool* only: the roster less ambassadors already closed (in as many lists
    as they may enter), shrunk as they close. Closed ones count as −1, below any open one when
    points are ≥ 0, so the pool decides alone; where it cannot (points below 0, from
    negative weights), the whole roster is scored. At France scale every ambassador is
    closed after ~3,000 of the 7,000 groups and the pool is empty from then on.
    """

    def __init__(self, table: ScoreTable, rooms: IntArray, vocabulary: set[str]) -> None:
        self.table, self.vocabulary = table, vocabulary
        self.lists = np.zeros(table.size, dtype=np.int64)  # best lists each one is in
        self.max_lists = _LISTS_PER_PLACE * rooms
        self.closed = np.zeros(table.size, dtype=bool)
        self._closed_at: IntArray | None = None  # np.flatnonzero(closed), while unchanged
        self._use(np.arange(table.size, dtype=np.int64), table)

    def _use(self, pool: IntArray, table: ScoreTable) -> None:
        """Score over `pool` (sorted positions: every open one, maybe closed ones) from now."""
        self.pool, self.pool_table = pool, table
        self.shut = self.closed[pool]  # closed, per place in the pool
        self.n_shut = int(self.shut.sum())
        self.place = np.full(self.table.size, -1, dtype=np.int64)
        self.place[pool] = np.arange(len(pool), dtype=np.int64)

    def best(self, terms: frozenset[str], focus: frozenset[str], size: int, start: int) -> IntArray:
        """The group's best list (positions in the roster), entered in the counts."""
        if 4 * self.n_shut > len(self.pool):  # a quarter of the pool closed: shrink it
            pool = self.pool[~self.shut]
            self._use(pool, self.table.restricted(pool, self.vocabulary))
        points = self.pool_table.scores(terms, focus)
        points[self.shut] = -1
        n_open = len(self.pool) - self.n_shut
        best = None
        if n_open >= size:
            threshold = _threshold(points, size) if len(points) > size else int(points.min())
            if threshold >= 0:  # the closed ones outside the pool, at −1, change nothing
                kept = np.flatnonzero(points >= threshold)
                values = points[kept]
                best = _pick(self.pool[kept[values > threshold]],
                             self.pool[kept[values == threshold]], size, start)
        else:
            is_open = ~self.shut
            if not n_open or int(points[is_open].min()) >= 0:  # the open ones, then closed
                if self._closed_at is None:
                    self._closed_at = np.flatnonzero(self.closed)
                best = _pick(self.pool[is_open], self._closed_at, size, start)
        if best is None:
            whole = self.table.scores(terms, focus)
            best = _best(np.where(self.closed, -1, whole), size, start)
        self.lists[best] += 1
        now = best[(self.lists[best] >= self.max_lists[best]) & ~self.closed[best]]
        if len(now):
            self.closed[now] = True
            self._closed_at = None
            self.shut[self.place[now]] = True  # an open one is always in the pool
            self.n_shut += len(now)
        return best


def candidate_arcs(p: Problem, groups: list[Group]) -> tuple[IntArray, IntArray, IntArray, bool]:
    """Candidate arcs as (group index, ambassador index, points) arrays, and whether pruned."""
    s = p.settings
    active = np.array(p.active, dtype=np.int64)
    n = len(active)
    pruned = len(groups) * n > s.full_graph_limit
    table = ScoreTable([p.profiles[i] for i in p.active], s.weights)
    # Fillers: every place of every ambassador, dealt in turn to the groups (an ambassador
    # with room 3 appears in three rounds, so in three different groups).
    rooms = np.array([p.room[i] for i in p.active], dtype=np.int64)
    rounds = [np.flatnonzero(rooms > r) for r in range(int(rooms.max()) if n else 0)]
    places = np.concatenate(rounds) if rounds else np.zeros(0, dtype=np.int64)
    fillers = max(s.filler_candidates, -(-len(places) // max(len(groups), 1)))
    everyone = np.arange(n, dtype=np.int64)
    lists = _Lists(table, rooms, {t for g in groups for t in g.terms}) if pruned else None
    out_g, out_a, out_p = [], [], []
    for gi, g in enumerate(groups):
        focus = focus_of(g.terms)
        size = s.candidates_per_class + s.k * len(g.members)
        if lists is not None and size < n:
            fill = places[(gi * fillers + np.arange(fillers)) % len(places)]
            best = lists.best(g.terms, focus, size, (gi * _STRIDE) % n)
            sel = np.unique(np.concatenate([best, fill]))
        else:
            sel = everyone
        if g.members[0] in p.blocked:
            blocked = np.fromiter(p.blocked[g.members[0]], dtype=np.int64)
            sel = sel[~np.isin(active[sel], blocked)]
        out_g.append(np.full(len(sel), gi, dtype=np.int64))
        out_a.append(active[sel])
        out_p.append(table.scores(g.terms, focus) if sel is everyone
                     else table.points_at(sel, g.terms, focus))
    if not out_g:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, pruned
    return np.concatenate(out_g), np.concatenate(out_a), np.concatenate(out_p), pruned


def candidate_pairs(
    classes: Sequence[ClassUnit], ambassadors: Sequence[Ambassador], settings: MatchSettings
) -> dict[str, tuple[tuple[str, int], ...]]:
    """The (ambassador id, points) pairs the solver may add to each class (confirmed and
    excluded pairs left out), sorted by ambassador id."""
    p = prepare(classes, ambassadors, settings)
    groups = group_classes(p)
    grp, amb, pts, _ = candidate_arcs(p, groups)
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for g, a, v in zip(grp.tolist(), amb.tolist(), pts.tolist(), strict=True):
        for c in groups[g].members:
            out[p.classes[c].id].append((p.ambassadors[a].id, v))
    return {c: tuple(sorted(v)) for c, v in sorted(out.items())}
