"""Matching ambassadors to classes: pure functions over plain data (no spreadsheet here).

match(classes, ambassadors, settings) -> MatchResult
dashboard_figures(result, classes, ambassadors) -> dict

numpy and OR-Tools load on the first call, not on import: `sheets-sync --help` or `template`
never pay for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...cells.lazy import lazy_attributes
from .model import (
    DEFAULT_GROWTH_SECTORS,
    DEFAULT_WOMEN_SHARE,
    WOMEN_SHARE_SOURCE,
    Ambassador,
    ClassUnit,
    MatchResult,
    MatchSettings,
    Pairing,
    Unserved,
    Weights,
)

if TYPE_CHECKING:
    from .candidates import candidate_pairs
    from .scoring import Objective, Tiers, evaluate, normalise_word, pair_points, terms
    from .solver import tier_weights

_HOMES = {
    "candidate_pairs": "candidates",
    "Objective": "scoring", "Tiers": "scoring", "evaluate": "scoring",
    "normalise_word": "scoring", "pair_points": "scoring", "terms": "scoring",
    "tier_weights": "solver",
}


def match(classes: Sequence[ClassUnit], ambassadors: Sequence[Ambassador],
          settings: MatchSettings) -> MatchResult:
    """Give each class up to k ambassadors (solver.match; numpy and OR-Tools load here)."""
    from .solver import match as solve

    return solve(classes, ambassadors, settings)


def dashboard_figures(result: MatchResult, classes: Sequence[ClassUnit],
                      ambassadors: Sequence[Ambassador]) -> dict[str, object]:
    """Figures for the dashboards (explain.dashboard_figures, loaded on first use)."""
    from .explain import dashboard_figures as figures

    return figures(result, classes, ambassadors)


__getattr__ = lazy_attributes(__name__, _HOMES)


__all__ = [
    "DEFAULT_GROWTH_SECTORS",
    "DEFAULT_WOMEN_SHARE",
    "WOMEN_SHARE_SOURCE",
    "Ambassador",
    "ClassUnit",
    "MatchResult",
    "MatchSettings",
    "Objective",
    "Pairing",
    "Tiers",
    "Unserved",
    "Weights",
    "candidate_pairs",
    "dashboard_figures",
    "evaluate",
    "match",
    "normalise_word",
    "pair_points",
    "terms",
    "tier_weights",
]
