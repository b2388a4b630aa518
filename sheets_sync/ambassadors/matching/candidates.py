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
        self.left = _LISTS_PER_PLACE * rooms  # best lists each one may still enter
        self.closed = np.zeros(table.size, dtype=bool)
        self._closed_at: IntArray | None = None  # np.flatnonzero(closed), while unchanged
        # below 0 whatever the words shared: closed ones rank as at −1 where it matters
        self._far = -1 - max(0, table.weights.word * table.weights.max_shared_words)
        self._use(np.arange(table.size, dtype=np.int64), table)

    @property
    def exhausted(self) -> bool:
        """Every ambassador closed (an open one is always in the pool): from now on a best
        list is the ties round the roster from its start, and nothing changes."""
        return self.n_shut == len(self.pool)

    def _use(self, pool: IntArray, table: ScoreTable) -> None:
        """Score over `pool` (sorted positions: every open one, maybe closed ones) from now."""
        self.pool, self.pool_table = pool, table
        self.shut = self.closed[pool]  # closed, per place in the pool
        self.n_shut = int(self.shut.sum())
        self.place = np.full(self.table.size, -1, dtype=np.int64)
        self.place[pool] = np.arange(len(pool), dtype=np.int64)
        self._bases: dict[frozenset[str], IntArray] = {}

    def _base(self, focus: frozenset[str]) -> IntArray:
        """The pool's points without shared words, closed ones far below 0 (kept up to date
        as they close: no pass per group to push them down)."""
        base = self._bases.get(focus)
        if base is None:
            base = self._bases[focus] = self.pool_table.base(focus).copy()
            base[self.shut] = self._far
        return base

    def best(self, terms: frozenset[str], focus: frozenset[str], size: int, start: int) -> IntArray:
        """The group's best list (positions in the roster), entered in the counts.

        Closed ones in the pool score below 0 rather than at −1: either way they are below
        the threshold when it is ≥ 0, and the threshold is below 0 in both cases or in
        neither (then the whole roster decides)."""
        if 4 * self.n_shut > len(self.pool):  # a quarter of the pool closed: shrink it
            pool = self.pool[~self.shut]
            self._use(pool, self.table.restricted(pool, self.vocabulary))
        n_open = len(self.pool) - self.n_shut
        best = None
        if n_open >= size:
            points = self._base(focus) + self.table.weights.word * self.pool_table.shared(terms)
            threshold = _threshold(points, size) if len(points) > size else int(points.min())
            if threshold >= 0:  # the closed ones outside the pool, at −1, change nothing
                kept = np.flatnonzero(points >= threshold)
                values = points[kept]
                best = _pick(self.pool[kept[values > threshold]],
                             self.pool[kept[values == threshold]], size, start)
        else:
            is_open = ~self.shut
            points = self.pool_table.scores(terms, focus)
            if not n_open or int(points[is_open].min()) >= 0:  # the open ones, then closed
                if self._closed_at is None:
                    self._closed_at = np.flatnonzero(self.closed)
                best = _pick(self.pool[is_open], self._closed_at, size, start)
        if best is None:
            whole = self.table.scores(terms, focus)
            best = _best(np.where(self.closed, -1, whole), size, start)
        self.left[best] -= 1
        now = best[self.left[best] == 0]  # each list counts once: those that just closed
        if len(now):
            self.closed[now] = True
            self._closed_at = None
            at = self.place[now]  # an open one is always in the pool
            self.shut[at] = True
            self.n_shut += len(now)
            for base in self._bases.values():
                base[at] = self._far
        return best


def candidate_arcs(p: Problem, groups: list[Group]) -> tuple[IntArray, IntArray, IntArray, bool]:
    """Candidate arcs as (group index, ambassador index, points) arrays, sorted by group then
    ambassador, and whether pruned."""
    s = p.settings
    active = np.array(p.active, dtype=np.int64)
    n = len(active)
    pruned = len(groups) * n > s.full_graph_limit
    table = ScoreTable([p.profiles[i] for i in p.active], s.weights)
    kinds: dict[frozenset[str], int] = {}  # groups' distinct words
    kind = np.array([kinds.setdefault(g.terms, len(kinds)) for g in groups], dtype=np.int64)
    blocked = _blocked_keys(p, groups, active)
    if not pruned:  # every group with every active ambassador
        scores = [table.scores(t, focus_of(t)) for t in kinds]
        grp = np.repeat(np.arange(len(groups), dtype=np.int64), n)
        amb = np.tile(active, len(groups))
        pts = np.stack(scores)[kind].ravel() if scores else np.zeros(0, dtype=np.int64)
        if len(blocked):
            keep = np.ones(len(grp), dtype=bool)
            keep[blocked] = False
            grp, amb, pts = grp[keep], amb[keep], pts[keep]
        return grp, amb, pts, pruned
    keys = _pruned_keys(p, groups, table)
    if len(blocked):
        keys = keys[~np.isin(keys, blocked)]
    grp, rows = np.divmod(keys, n) if n else (keys, keys)
    return grp, active[rows], table.pairs_points(list(kinds), kind[grp], rows), pruned


def starting_arcs(p: Problem, grp: IntArray, amb: IntArray, pts: IntArray,
                  n_groups: int) -> IntArray:
    """The candidate arcs (positions in grp, amb, pts) a priced flow starts from
    (lexicographic.py): those a pruned graph would keep (`_pruned_keys`: each group's best
    list, every ambassador in at most 2 × room lists, and the fillers).

    Why not each group's plain best (its 24 best by points, 8 best women, 8 best men, as
    first done): the bonuses that do not depend on the class put the same few hundred
    ambassadors at the top of every list, and a flow over those arcs served 355 schools and
    469 classes of 380 and 977 at Hauts-de-France scale (650 schools, 5,000 ambassadors);
    pricing then took 4 rounds and 166,000 of the 1.9 million arcs. Spread as pruning
    spreads them (15,000 arcs, no dense groups × ambassadors table), the first flow serves
    every school and class, 1,868 of the 1,954 gendered slots, 120,590 of the 124,040
    points, and pricing ends in 3 rounds on 60,000 arcs.
    """
    n = len(p.active)
    if not n or not len(grp):
        return np.zeros(0, dtype=np.int64)
    groups = group_classes(p)  # the groups the arcs were built from (the same order)
    if len(groups) != n_groups:
        raise ValueError("starting_arcs needs the groups of group_classes(p)")
    table = ScoreTable([p.profiles[i] for i in p.active], p.settings.weights)
    keys = _pruned_keys(p, groups, table)  # sorted, as the arcs' own keys
    if len(grp) == n_groups * n:  # every pair is an arc: arc i is key i
        return keys
    position = np.full(len(p.ambassadors), -1, dtype=np.int64)
    position[p.active] = np.arange(n, dtype=np.int64)
    arcs = grp * n + position[amb]  # sorted: by group, then ambassador (as `active`)
    at = np.minimum(np.searchsorted(arcs, keys), len(arcs) - 1)
    found: IntArray = at[arcs[at] == keys]  # a pair a decision blocked is no arc: left out
    return found


def _blocked_keys(p: Problem, groups: list[Group], active: IntArray) -> IntArray:
    """group × len(active) + position in `active` of the pairs a decision blocks."""
    position = np.full(len(p.ambassadors), -1, dtype=np.int64)
    position[active] = np.arange(len(active), dtype=np.int64)
    keys = [np.zeros(0, dtype=np.int64)]
    for gi, g in enumerate(groups):
        if g.members[0] in p.blocked:
            at = position[np.fromiter(p.blocked[g.members[0]], dtype=np.int64)]
            keys.append(gi * len(active) + at[at >= 0])
    return np.concatenate(keys)


def _pruned_keys(p: Problem, groups: list[Group], table: ScoreTable) -> IntArray:
    """The pairs of a pruned graph as group × n + position among the n active ambassadors,
    sorted: each group's best list and fillers (everyone when its list would be).

    Once every ambassador is closed, a best list is the ties round the roster from the
    group's start (what `_Lists.best` gives then): those are dealt for all the remaining
    groups at once, as are the fillers."""
    s, n = p.settings, table.size
    rooms = np.array([p.room[i] for i in p.active], dtype=np.int64)
    # Fillers: every place of every ambassador, dealt in turn to the groups (an ambassador
    # with room 3 appears in three rounds, so in three different groups).
    rounds = [np.flatnonzero(rooms > r) for r in range(int(rooms.max()) if n else 0)]
    places = np.concatenate(rounds) if rounds else np.zeros(0, dtype=np.int64)
    fillers = max(s.filler_candidates, -(-len(places) // max(len(groups), 1)))
    lists = _Lists(table, rooms, {t for g in groups for t in g.terms})
    parts = [np.zeros(0, dtype=np.int64)]
    listed: list[int] = []  # groups with a best list (size < n)
    ring: list[tuple[int, int, int]] = []  # (group, start, size): ties round the roster
    for gi, g in enumerate(groups):
        size = s.candidates_per_class + s.k * len(g.members)
        if size >= n:
            parts.append(gi * n + np.arange(n, dtype=np.int64))
            continue
        listed.append(gi)
        start = (gi * _STRIDE) % n
        if lists.exhausted:
            ring.append((gi, start, size))
        else:
            parts.append(gi * n + lists.best(g.terms, focus_of(g.terms), size, start))
    if ring:
        rg, rs, rz = (np.array(x, dtype=np.int64) for x in zip(*ring, strict=True))
        step = np.arange(int(rz.sum()), dtype=np.int64) - np.repeat(np.cumsum(rz) - rz, rz)
        parts.append(np.repeat(rg * n, rz) + (np.repeat(rs, rz) + step) % n)
    if listed and fillers:
        fg = np.array(listed, dtype=np.int64)[:, None]
        deal = places[(fg * fillers + np.arange(fillers, dtype=np.int64)) % len(places)]
        parts.append((fg * n + deal).ravel())
    keys = np.sort(np.concatenate(parts))
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


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
