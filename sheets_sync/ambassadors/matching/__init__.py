"""Matching ambassadors to classes: pure functions over plain data (no spreadsheet here).

match(classes, ambassadors, settings) -> MatchResult
dashboard_figures(result, classes, ambassadors) -> dict
"""

from __future__ import annotations

from .candidates import candidate_pairs
from .explain import dashboard_figures
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
from .scoring import Objective, Tiers, evaluate, normalise_word, pair_points, terms
from .solver import match, tier_weights

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
