"""Candidate pruning keeps the good arcs (issue #16: pruning lost 31 % of the points).

Bug: every group's best list held the same few ambassadors — ties broken by smallest id, and
class-independent bonuses (métier porteur, counter-stereotype, local) putting the same
« stars » on top of every list — so the ambassadors who fit one school best were reachable
only as fillers dealt to arbitrary groups.
"""

from __future__ import annotations

from sheets_sync.ambassadors.matching import (
    Ambassador,
    ClassUnit,
    MatchSettings,
    candidate_pairs,
    match,
)

THEMES = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
]


def _stars_and_specialists() -> tuple[list[ClassUnit], list[Ambassador]]:
    """12 schools with one theme each; 6 stars (37 points anywhere, smallest ids) and one
    specialist per school (15 points there, 5 elsewhere), one class each."""
    classes = [
        ClassUnit(f"C{i:02d}", f"S{i:02d}", "4e", frozenset({t})) for i, t in enumerate(THEMES)
    ]
    stars = [
        Ambassador(f"A{i:02d}", "F", "Développeuse", "Numérique", "M1805", local=True)
        for i in range(6)
    ]
    specialists = [
        Ambassador(f"B{i:02d}", None, "Comptable", "Finance", None, frozenset({t}))
        for i, t in enumerate(THEMES)
    ]
    return classes, stars + specialists


def test_pruned_lists_are_not_all_the_same_stars() -> None:
    classes, ambassadors = _stars_and_specialists()
    pruned = MatchSettings(k=1, candidates_per_class=1, filler_candidates=1, full_graph_limit=0)
    got = match(classes, ambassadors, pruned).stats
    best = match(classes, ambassadors, MatchSettings(k=1)).stats
    assert got["pruned"] and not best["pruned"]
    assert best["quality"] == 6 * 37 + 6 * 15
    assert got["quality"] == best["quality"]  # was 272 before the fix
    assert got["classes_served"] == best["classes_served"] == 12
    lists = candidate_pairs(classes, ambassadors, pruned)
    own = {c: a for c, cands in lists.items() for a, v in cands if v == 15}
    assert len(own) >= 6  # the schools left without a star keep their specialist
