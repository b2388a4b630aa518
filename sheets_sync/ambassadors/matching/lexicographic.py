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

`proven` is computed, not assumed: an exact one-stage flow, or every tier checked or solved
exactly with potentials that settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .scoring import IntArray

COST_LIMIT = 2**62
CHECK_ROUNDS = 200  # Bellman-Ford rounds when checking a flow that may not be optimal


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
    top = [int(g.max()) if len(g) else 0 for g in net.gains]
    biggest = sum(w * t for w, t in zip(weights, top, strict=True))
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


def solve(net: Network, split: bool | None = None) -> tuple[IntArray, bool, dict[str, int]]:
    """A lexicographically optimal flow, whether that is proven, and how it was found.

    One exact flow when the tiers fit one stage and `split` is not True (tests set it to
    take the tier-by-tier path on small instances); otherwise a first flow whose tiers each
    weigh one more than the best arc of the tier below, checked and fixed tier by tier.
    """
    nodes = len(net.supplies)
    if one_stage(net) and not split:
        cost = np.zeros(len(net.tails), dtype=np.int64)
        term = np.empty_like(cost)
        for w, g in zip(stage_weights(net.bounds), net.gains, strict=True):
            np.subtract(cost, np.multiply(g, w, out=term), out=cost)  # −Σ w·gain, in place
        flows = _flow(net.tails, net.heads, net.caps, cost, net.supplies)
        if flows is None:
            raise RuntimeError("min-cost flow ended without an optimum")
        return flows, True, {"stages": 1, "exact_solves": 1, "checked_tiers": 0}
    step = 1
    guess = np.zeros(len(net.tails), dtype=np.int64)
    for gains in reversed(net.gains):
        guess += step * gains
        step = step * (int(gains.max()) if len(gains) else 0) + 1
    flows = _flow(net.tails, net.heads, net.caps, -guess, net.supplies)
    if flows is None:
        raise RuntimeError("min-cost flow ended without an optimum")
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
