"""Lexicographic min-cost flow: the tiers optimised one after the other, the optimum proven.

A network's arcs carry *gains* per tier (schools, classes, gendered slots, points: all ≥ 0),
and an upper bound of each tier's total over any feasible flow.

One stage. When exact weights — each tier worth 1 + the largest total all lower tiers can
reach together — fit OR-Tools' int64 arithmetic (|cost| × (nodes + 1) and |cost| × supply
below 2⁶²), one flow with those weights is the lexicographic optimum (up to a few thousand
classes).

Tier by tier (France scale, where they do not fit). A tier's optimum is fixed for the tiers
below by complementary slackness: potentials d (shortest distances in the residual network of
an optimal flow for the tier, which has no negative cycle) give every arc a reduced cost
c + d(tail) − d(head); in *every* optimal flow an arc of positive reduced cost carries nothing
and an arc of negative reduced cost is full (any optimal flow and any optimal dual satisfy
complementary slackness together). The next tier runs on the arcs of reduced cost 0, the
full ones fixed and their flow moved into the supplies: its feasible flows are exactly the
optimal flows of the tiers above. The flow optimised is a first flow with small weights
(fast, usually already the optimum), *checked* for each tier: Bellman-Ford settling on its
residual network (no negative cycle) proves it optimal for the tier and gives the
potentials. Only a tier whose check fails is solved exactly (OR-Tools) on the arcs left.

Priced (one stage, many arcs: Hauts-de-France's 1.9 million). OR-Tools' time grows with the
arcs, yet an optimal flow uses few of them. The flow is solved on a few (`Network.first`, plus
every arc that is not optional; the matching gives the first arcs of a full graph of
PRICE_FROM pair arcs or more: those a pruned graph would keep), then every optional arc left
out is priced: with potentials d of the small network's residual (Bellman-Ford, as above), an
arc left out carries nothing, so only its forward residual arc exists, of reduced cost
c + d(tail) − d(head). When none is negative, d are feasible potentials of the whole residual
network too: it has no negative cycle, and the flow is optimal over every arc. Otherwise the
most negative are added (ADD_PER_HEAD per head node, fewer where fewer are negative) and the
small network solved again; nothing is taken out, so the rounds end (at worst with every
arc). The small flows are found with small weights first (fast: 2–3 times faster than the
exact costs there), their exactness checked by potentials of the exact costs, an exact solve
only where that check fails. The optimum is the one of the whole network, proven, but among
flows of equal cost it may pick another one than a flow over every arc would. At
Hauts-de-France scale: 3 rounds on 60,000 arcs (taking out arcs of positive reduced cost and
no flow, or adding the most negative per tail node too, was tried: more rounds, not faster).

`proven` is computed, not assumed: an exact one-stage flow (over every arc, or priced until no
arc left out has a negative reduced cost), or every tier checked or solved exactly with
potentials that settled.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from .scoring import IntArray

COST_LIMIT = 2**62
CHECK_ROUNDS = 200  # Bellman-Ford rounds when checking a flow that may not be optimal
PRICE_FROM = 250_000  # pair arcs from which the matching has a full graph priced (see above)
_BLOCK = 1 << 16  # arcs priced at a time (`_negative`): temporaries of 512 KiB, reused
ADD_PER_HEAD = 45  # arcs of negative reduced cost added per head node at each pricing round
# (from the pruned graph's arcs: at 650 schools, 30 and 40 take a round more and 60 or more
# only add arcs; bench_matching's Hauts-de-France instance as a full graph, 650 groups: 45
# as fast as 30, 25 % faster than 60)


@dataclass
class Network:
    """Arcs (tail, head, capacity), node supplies, and per tier the gain of each arc and an
    upper bound of the tier's total over any feasible flow."""

    tails: IntArray
    heads: IntArray
    caps: IntArray
    supplies: IntArray
    gains: Sequence[IntArray]
    bounds: Sequence[int]
    optional: int = 0  # the first arcs may be left out of a flow and priced in (see above)
    # the optional arcs a priced flow starts from, computed only if the flow is priced
    first: Callable[[], IntArray] | None = None

    @functools.cached_property
    def tops(self) -> list[int]:
        """Per tier, the best gain of an arc (0 with no arc): one pass over each, once."""
        return [int(g.max()) if len(g) else 0 for g in self.gains]


def stage_weights(bounds: Sequence[int]) -> list[int]:
    """Exact weights for tiers solved together: each one above the lower tiers' best total."""
    weights = [1] * len(bounds)
    below = 0
    for i in range(len(bounds) - 1, -1, -1):
        weights[i] = below + 1
        below += weights[i] * bounds[i]
    return weights


def one_stage(net: Network) -> bool:
    """Whether the exact weights of all the tiers fit int64 (see the module docstring)."""
    nodes, supply = len(net.supplies), int(np.abs(net.supplies).sum()) // 2 + 1
    weights = stage_weights(net.bounds)
    biggest = sum(w * t for w, t in zip(weights, net.tops, strict=True))
    return biggest * (nodes + 1) < COST_LIMIT and biggest * supply < COST_LIMIT


def _flow(
    tails: IntArray, heads: IntArray, caps: IntArray, costs: IntArray, supplies: IntArray
) -> IntArray | None:
    """OR-Tools' optimal flow, or None when it does not reach OPTIMAL."""
    solver = min_cost_flow.SimpleMinCostFlow()
    # OR-Tools' node and arc indices are int32: converted here by numpy, not element by element
    solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs)
    nodes = len(supplies)
    solver.set_nodes_supplies(np.arange(nodes, dtype=np.int32), supplies)
    if solver.solve() != solver.OPTIMAL:
        return None
    flows: IntArray = solver.flows(np.arange(len(tails), dtype=np.int32))
    return flows


def potentials(
    nodes: int,
    tails: IntArray,
    heads: IntArray,
    caps: IntArray,
    costs: IntArray,
    flows: IntArray,
    rounds: int | None = None,
) -> IntArray | None:
    """Shortest distances from a virtual root (0-cost arcs to every node) in the residual
    network of `flows` (Bellman-Ford, vectorised, at most `rounds` rounds, `nodes` + 1 by
    default); None when they do not settle: a negative cycle, the flow is not optimal (or
    `rounds` was too few to tell)."""
    room, used = flows < caps, flows > 0
    t = np.concatenate([tails[room], heads[used]])
    h = np.concatenate([heads[room], tails[used]])
    c = np.concatenate([costs[room], -costs[used]])
    d = np.zeros(nodes, dtype=np.int64)
    # Jacobi rounds: d_{i+1}(v) = min(d_i(v), d_i(u) + c(u, v)). Only arcs out of a node that
    # changed in the last round can lower anything: each round after the first scans those
    # (the same distances, round for round, as scanning every arc).
    if not len(h):
        return d
    scan_t, scan_h, scan_c = t, h, c
    for _ in range(nodes + 1 if rounds is None else rounds):
        lower = d.copy()
        np.minimum.at(lower, scan_h, d[scan_t] + scan_c)
        changed = lower < d
        if not changed.any():
            return d
        d = lower
        live = np.flatnonzero(changed[t])
        scan_t, scan_h, scan_c = t[live], h[live], c[live]
    return None


def _guess_steps(net: Network) -> list[int]:
    """The small weights of the tiers, top tier first: each one more than the best arc of
    the tier below weighs (usually already the lexicographic optimum, always to be
    checked)."""
    steps, step = [], 1
    for top in reversed(net.tops):
        steps.append(step)
        step = step * top + 1
    return steps[::-1]


def _guess_costs(
    net: Network, arcs: IntArray | None = None, steps: Sequence[int] | None = None
) -> IntArray:
    """Small costs ordering the tiers (of `arcs`, else of every arc), with `_guess_steps`
    (given, or computed: a pass over every arc)."""
    guess = np.zeros(len(net.tails) if arcs is None else len(arcs), dtype=np.int64)
    for step, gains in zip(_guess_steps(net) if steps is None else steps, net.gains,
                           strict=True):
        guess += step * (gains if arcs is None else gains[arcs])
    return -guess


def _stage_cost(net: Network) -> IntArray:
    """−Σ weight × gain over the tiers, each arc's exact one-stage cost. The densest tier is
    written straight into the costs, the others added where their gains are not 0: at
    Hauts-de-France's 1.9 million arcs, the schools', classes' and gendered slots' gains
    are on a few thousand arcs, and a temporary of every arc per tier was 15 MB to fault in
    for nothing."""
    weights = stage_weights(net.bounds)
    if not net.gains:
        return np.zeros(len(net.tails), dtype=np.int64)
    filled = [int(np.count_nonzero(g)) for g in net.gains]
    dense = filled.index(max(filled))
    cost = np.multiply(net.gains[dense], -weights[dense])
    for tier, (w, g) in enumerate(zip(weights, net.gains, strict=True)):
        if tier != dense and filled[tier]:
            at = np.flatnonzero(g)
            cost[at] -= w * g[at]
    return cost


def _exact_flow(
    nodes: int, tails: IntArray, heads: IntArray, caps: IntArray, cost: IntArray,
    fast: IntArray, supplies: IntArray,
) -> tuple[IntArray, IntArray, bool]:
    """An optimal flow for `cost` and its potentials: the flow for the small costs `fast` when
    potentials of `cost` settle on its residual network, else an exact solve. The last item
    says whether the exact solve was needed."""
    flows = _flow(tails, heads, caps, fast, supplies)
    d = None if flows is None else potentials(nodes, tails, heads, caps, cost, flows,
                                              CHECK_ROUNDS)
    if flows is not None and d is not None:
        return flows, d, False
    flows = _flow(tails, heads, caps, cost, supplies)
    if flows is None:
        raise RuntimeError("min-cost flow ended without an optimum")
    d = potentials(nodes, tails, heads, caps, cost, flows)
    if d is None:  # cannot happen for an optimal flow
        raise RuntimeError("an optimal flow's potentials did not settle")
    return flows, d, True


def _most_negative(heads: IntArray, reduced: IntArray, per_head: int) -> IntArray:
    """Positions of about `per_head` × (heads present) of the `reduced` costs (all < 0), the
    most negative relative to their head's most negative: every head gets its best, and a
    head whose arcs are all nearly as good gets more. (An exact top per head needs a sort,
    which took longer than the flows; any choice is sound: pricing goes on until none is
    negative.)"""
    count = per_head * int(np.count_nonzero(np.bincount(heads)))
    if len(heads) <= count:
        return np.arange(len(heads), dtype=np.int64)
    lowest = np.zeros(int(heads.max()) + 1, dtype=np.int64)
    np.minimum.at(lowest, heads, reduced)
    share = reduced / lowest[heads]  # in (0, 1], 1 for each head's most negative
    best = np.flatnonzero(reduced == lowest[heads])
    share[best[np.unique(heads[best], return_index=True)[1]]] = 2  # one per head, surely
    for floor in (0.5, 0.25, 0.1, 0.0):  # far fewer to partition than all
        near = np.flatnonzero(share >= floor)
        if len(near) >= count:
            break
    # the count-th largest share, then those above it and, of those equal to it, the first
    # by position: argpartition would choose among equal ones by the CPU's instructions, and
    # pairings of equal value would differ from one machine to another
    values = share[near]
    if len(values) <= count:
        return near
    cut = np.partition(values, len(values) - count)[len(values) - count]
    above = near[values > cut]
    return np.concatenate([above, near[values == cut][: count - len(above)]])


def _negative(d: IntArray, tails: IntArray, heads: IntArray, own: IntArray,
              taken: npt.NDArray[np.bool_]) -> tuple[IntArray, IntArray]:
    """The arcs not `taken` whose reduced cost c + d(tail) − d(head) is negative, and that
    cost; a block of arcs at a time (its temporaries reused, in the cache), as
    c + d(tail) < d(head): one pass less."""
    found, costs = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for lo in range(0, len(tails), _BLOCK):
        hi = min(lo + _BLOCK, len(tails))
        reduced = np.take(d, tails[lo:hi])
        reduced += own[lo:hi]
        at_head = np.take(d, heads[lo:hi])
        negative = reduced < at_head
        negative &= ~taken[lo:hi]
        at = np.flatnonzero(negative)
        if len(at):
            found.append(at + lo)
            costs.append(reduced[at] - at_head[at])
    return np.concatenate(found), np.concatenate(costs)


def _priced(net: Network, cost: IntArray) -> tuple[IntArray, dict[str, int]]:
    """The one-stage optimum over every arc, solved on a few and priced (see above)."""
    nodes, k = len(net.supplies), net.optional
    chosen = np.zeros(k, dtype=bool)
    if net.first is not None:  # else the first flow has the mandatory arcs only
        chosen[net.first()] = True
    rest = np.arange(k, len(net.tails), dtype=np.int64)
    tails, heads, own = net.tails[:k], net.heads[:k], cost[:k]
    steps = _guess_steps(net)  # once: a pass over every arc per tier
    rounds = solves = 0
    while True:
        rounds += 1
        idx = np.concatenate([np.flatnonzero(chosen), rest])
        flows, d, exact = _exact_flow(nodes, net.tails[idx], net.heads[idx], net.caps[idx],
                                      cost[idx], _guess_costs(net, idx, steps), net.supplies)
        solves += exact
        out, gain = _negative(d, tails, heads, own, chosen)
        if not len(out):
            break
        chosen[out[_most_negative(heads[out], gain, ADD_PER_HEAD)]] = True
    full = np.zeros(len(net.tails), dtype=np.int64)
    full[idx] = flows
    return full, {"stages": 1, "exact_solves": solves, "checked_tiers": 0,
                  "pricing_rounds": rounds, "priced_arcs": len(idx)}


def solve(
    net: Network, split: bool | None = None, price: bool | None = None
) -> tuple[IntArray, bool, dict[str, int]]:
    """A lexicographically optimal flow, whether that is proven, and how it was found.

    One exact flow when the tiers fit one stage and `split` is not True (tests set it to
    take the tier-by-tier path on small instances): over every arc, or priced when the
    network says where to start (`net.first`; `price` True or False forces either way,
    True without `first` starting from the mandatory arcs alone); otherwise a
    first flow whose tiers each weigh one more than the best arc of the tier below, checked
    and fixed tier by tier.
    """
    nodes = len(net.supplies)
    if one_stage(net) and not split:
        cost = _stage_cost(net)
        if price if price is not None else net.first is not None:
            priced, how = _priced(net, cost)
            return priced, True, how
        whole = _flow(net.tails, net.heads, net.caps, cost, net.supplies)
        if whole is None:
            raise RuntimeError("min-cost flow ended without an optimum")
        return whole, True, {"stages": 1, "exact_solves": 1, "checked_tiers": 0}
    first = _flow(net.tails, net.heads, net.caps, _guess_costs(net), net.supplies)
    if first is None:
        raise RuntimeError("min-cost flow ended without an optimum")
    flows = first
    live = np.arange(len(net.tails), dtype=np.int64)
    supplies = net.supplies.copy()
    proven, solves, checked = True, 1, 0
    last = len(net.gains) - 1
    for tier, gains in enumerate(net.gains):
        tails, heads, caps = net.tails[live], net.heads[live], net.caps[live]
        cost = -gains[live]
        d = potentials(nodes, tails, heads, caps, cost, flows[live], CHECK_ROUNDS)
        if d is not None:
            checked += 1
        else:
            exact = _flow(tails, heads, caps, cost, supplies)
            if exact is None:
                raise RuntimeError(f"min-cost flow ended without an optimum at tier {tier + 1}")
            flows[live] = exact
            solves += 1
            if tier == last:
                break
            d = potentials(nodes, tails, heads, caps, cost, exact)
            if d is None:  # cannot happen for an optimal flow: stop, unproven
                proven = False
                break
        if tier == last:
            break
        reduced = cost + d[tails] - d[heads]
        full = reduced < 0
        np.subtract.at(supplies, tails[full], caps[full])
        np.add.at(supplies, heads[full], caps[full])
        live = live[reduced == 0]
    return (
        flows,
        proven,
        {"stages": len(net.gains), "exact_solves": solves, "checked_tiers": checked},
    )
