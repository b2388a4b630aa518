"""Plain data of the matching stage: classes, ambassadors, settings, result.

Every value here is what the coordinators' configuration or the roster says, already read and
checked by earlier stages; the matching stage never touches a spreadsheet.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from . import women_share as _women_share

Gender = Literal["F", "H"]
SlotKind = Literal["femme", "homme", "libre"]

WOMAN: Final = "F"
MAN: Final = "H"


@dataclass(frozen=True)
class ClassUnit:
    """One volunteer class; `words` are the school's answers (orientation, discipline, theme,
    content) as typed, split or not: scoring normalises them."""

    id: str
    school: str
    level: str  # "4e" or "3e"
    words: frozenset[str]
    school_name: str = ""


@dataclass(frozen=True)
class Ambassador:
    """One professional of the roster; `local` is the Roubaix / former-pupil flag."""

    id: str
    gender: Gender | None
    job: str
    sector: str
    rome_code: str | None = None
    interests: frozenset[str] = frozenset()
    capacity: int = 1
    available: bool = True
    local: bool = False

    @property
    def away(self) -> bool:
        """Not available this year: « indisponible », or at most 0 classes. Never matched,
        never counted among the ambassadors without a class, counted apart."""
        return not self.available or self.capacity <= 0


@dataclass(frozen=True)
class Weights:
    """Points of the quality part of the objective (whole numbers).

    A pairing is worth
      assign
      + word × min(shared words, max_shared_words)
      + growth × (boost if the project's orientation is « secteurs porteurs » else 1)
        when the ambassador's job or sector is a métier porteur
      + counter_stereotype × (boost if the orientation is « stéréotypes ») when the ambassador
        is a woman in a job family with few women, or a man in one with few men
      + local × (boost if the orientation is « figures emblématiques ») for a local role model.
    Coverage and mixed gender are lexicographic tiers above these points (see solver.py);
    `assign` > 0 makes filling a slot always worth it.
    """

    assign: int = 5
    word: int = 10
    max_shared_words: int = 3
    growth: int = 12
    counter_stereotype: int = 12
    local: int = 8
    orientation_boost: int = 2


# Illustrative defaults; the campaign's config is expected to replace them.
DEFAULT_GROWTH_SECTORS: Final = frozenset(
    {
        "numérique",
        "informatique",
        "santé",
        "logistique",
        "industrie",
        "bâtiment",
        "transition écologique",
        "énergie",
        "services à la personne",
        "hôtellerie restauration",
    }
)

# Women's share of employment per ROME domain letter, or a more precise ROME prefix such as
# "M18", with its provenance: see women_share.py.
DEFAULT_WOMEN_SHARE: Final[Mapping[str, float]] = _women_share.WOMEN_SHARE
WOMEN_SHARE_SOURCE: Final = _women_share.WOMEN_SHARE_SOURCE


@dataclass(frozen=True)
class MatchSettings:
    """How to match: k ambassadors per class, weights, reference tables, coordinator decisions.

    `confirmed` and `excluded` hold (class_id, ambassador_id) pairs: a confirmed pairing is
    kept (even beyond k or a capacity, with a note), an excluded one never proposed; a pair in
    both is excluded. `kept` holds published pairings still possible (ambassadors/stability.py
    filters them): fixed before the flow like confirmed ones, reported as not confirmed.
    Candidate pruning: when groups × ambassadors exceeds `full_graph_limit`, each group of
    identical classes keeps its `candidates_per_class` + k × (classes in the group) best
    ambassadors (ties spread round the roster), plus at least `filler_candidates` spread over
    the roster's places (see candidates.py). `low_share` / `high_share`: a woman in a job
    family whose women's share is below `low_share`, or a man where it is above `high_share`,
    is counter-stereotypical.
    """

    k: int = 2
    weights: Weights = field(default_factory=Weights)
    growth_sectors: frozenset[str] = DEFAULT_GROWTH_SECTORS
    women_share_by_job_family: Mapping[str, float] = field(
        default_factory=lambda: DEFAULT_WOMEN_SHARE
    )
    women_share_source: str = WOMEN_SHARE_SOURCE
    low_share: float = 0.3
    high_share: float = 0.7
    confirmed: frozenset[tuple[str, str]] = frozenset()
    excluded: frozenset[tuple[str, str]] = frozenset()
    kept: frozenset[tuple[str, str]] = frozenset()
    candidates_per_class: int = 12
    filler_candidates: int = 4
    full_graph_limit: int = 2_000_000


@dataclass(frozen=True)
class Pairing:
    """An ambassador sponsoring a class, with why (French, shown to coordinators)."""

    class_id: str
    ambassador_id: str
    slot: SlotKind
    score: int
    reasons: tuple[str, ...]
    confirmed: bool = False
    shared_words: tuple[str, ...] = ()
    growth: bool = False
    counter_stereotype: bool = False
    local: bool = False
    gender: Gender | None = None


@dataclass(frozen=True)
class Unserved:
    """A class that gets fewer than k ambassadors, and why (French)."""

    class_id: str
    missing: int
    reason: str


@dataclass(frozen=True)
class MatchResult:
    """Pairings sorted by (class id, ambassador id); `notes` are French remarks on the input
    (confirmations that could not be kept as such); `stats` are counts and timings."""

    pairings: tuple[Pairing, ...]
    unserved: tuple[Unserved, ...]
    objective: int
    stats: Mapping[str, int | float | bool]
    notes: tuple[str, ...] = ()

    def digest(self) -> str:
        """Everything the result says but timings, as a short hash: two checkouts, or two
        versions of the solver meant only to be faster, compare results by it."""
        stats = {k: v for k, v in self.stats.items() if not k.startswith("seconds_")}
        blob = json.dumps([
            [[p.class_id, p.ambassador_id, p.slot, p.score, list(p.reasons), p.confirmed,
              list(p.shared_words), p.growth, p.counter_stereotype, p.local, p.gender]
             for p in self.pairings],
            [[u.class_id, u.missing, u.reason] for u in self.unserved],
            self.objective, sorted(stats.items()), list(self.notes),
        ], ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]
