"""Which school an answer is: names matched to a reference list, UAI codes, duplicates.

« Clg J. Lebas » one day and « Collège Jean-Lebas » the next are one school. Typed names are
reduced (accents, « clg » → « college », « St » → « saint », hyphens, punctuation), then
compared to the reference list with rapidfuzz; an unsure match is a warning, never a silent
merge.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..cells.a1 import to_a1
from ..cells.grid import Grid
from .findings import Issue, make_issue
from .labels import normalise_label

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI = re.compile(r"^(\d{7})([A-Z])$")
SURE = 90.0  # at or above: the same school
UNSURE = 75.0  # between UNSURE and SURE: probably, but the coordinator should look

_WORDS = {
    "clg": "college", "coll": "college", "col": "college", "st": "saint", "ste": "sainte",
    "cite": "cite", "sc": "scolaire", "pr": "prive", "pub": "public",
}
_NOISE = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "college"}


def uai_is_valid(code: str) -> bool:
    """A UAI (ex-RNE) code: seven digits and a check letter (number mod 23 in UAI_LETTERS)."""
    m = _UAI.match(code.strip().upper())
    return m is not None and UAI_LETTERS[int(m.group(1)) % 23] == m.group(2)


@functools.lru_cache(maxsize=65536)
def school_key(name: str) -> str:
    """A name reduced to what identifies the school: « Clg St-Exupéry » → « saint exupery »."""
    words = [_WORDS.get(w, w) for w in normalise_label(name).split()]
    kept = [w for w in words if w not in _NOISE]
    return " ".join(kept or words)


@dataclass(frozen=True)
class Establishment:
    """One school of the reference list."""

    name: str
    uai: str | None = None
    commune: str | None = None
    cell: str | None = None  # where it sits in the reference tab
    email: str | None = None  # the optional « Courriel » column: where reminders go

    @property
    def key(self) -> str:
        return self.uai or school_key(self.name)


@dataclass(frozen=True)
class Match:
    """A typed name's best reference school, with the score (0–100)."""

    establishment: Establishment
    score: float

    @property
    def sure(self) -> bool:
        return self.score >= SURE


def _expand_initials(typed: str, reference: str) -> str:
    """« j lebas » read against « jean lebas » becomes « jean lebas »: initials stand for words."""
    ref_words = reference.split()
    words = []
    for word in typed.split():
        if len(word) == 1:
            word = next((r for r in ref_words if r.startswith(word)), word)
        words.append(word)
    return " ".join(words)


@dataclass(frozen=True)
class ReferenceIndex:
    """A reference list prepared once for many look-ups: reduced names, and exact matches."""

    establishments: tuple[Establishment, ...]
    keys: Mapping[int, str]
    exact: Mapping[str, tuple[int, ...]]

    @classmethod
    def of(cls, reference: Sequence[Establishment]) -> ReferenceIndex:
        keys = {i: school_key(e.name) for i, e in enumerate(reference)}
        exact: dict[str, tuple[int, ...]] = {}
        for i, key in keys.items():
            exact[key] = (*exact.get(key, ()), i)
        return cls(tuple(reference), keys, exact)


def match_school(name: str, reference: Sequence[Establishment] | ReferenceIndex) -> Match | None:
    """The reference school a typed name designates, or None below UNSURE.

    Scored with rapidfuzz's token-set ratio (word order and extra words don't count); the
    five best are rescored with initials expanded. Two schools scoring alike make it unsure.
    """
    index = reference if isinstance(reference, ReferenceIndex) else ReferenceIndex.of(reference)
    typed = school_key(name)
    if not index.establishments or not typed:
        return None
    exact = index.exact.get(typed, ())
    if len(exact) == 1:  # the usual case: the same name, give or take accents and « clg »
        return Match(index.establishments[exact[0]], 100.0)
    from rapidfuzz import fuzz, process  # a name typed otherwise: loaded when first needed

    choices = index.keys
    best = process.extract(typed, choices, scorer=fuzz.token_set_ratio, limit=5)
    scored = sorted(
        ((max(score, fuzz.token_set_ratio(_expand_initials(typed, choice), choice)), -position)
         for choice, score, position in best),
        reverse=True,
    )
    if not scored or scored[0][0] < UNSURE:
        return None
    score, position = scored[0]
    if len(scored) > 1 and scored[1][0] == score:
        score = min(score, SURE - 0.1)
    return Match(index.establishments[-position], float(score))


_REFERENCE_COLUMNS = {
    "name": {"nom de l etablissement", "etablissement", "nom", "nom de l etablissement participant",
             "college", "denomination"},
    "uai": {"uai", "code uai", "rne", "uai rne", "code rne"},
    "commune": {"commune", "ville", "localite"},
    "email": {"courriel", "adresse electronique", "email", "e mail", "mail", "mel",
              "adresse mail", "courriel de l etablissement", "adresse de courriel"},
}


def read_reference(grid: Grid) -> tuple[list[Establishment], list[Issue]]:
    """The reference list (name, UAI, commune, courriel) from a tab whose header is in its
    first rows; only the name column is required."""
    for r in range(1, min(len(grid.rows), 10) + 1):
        columns: dict[str, int] = {}
        for c, value in enumerate(grid.rows[r - 1], start=1):
            for role, labels in _REFERENCE_COLUMNS.items():
                if normalise_label(value) in labels:
                    columns.setdefault(role, c)
        if "name" in columns:
            return _reference_rows(grid, r, columns)
    return [], []


def _reference_rows(grid: Grid, header: int,
                    columns: dict[str, int]) -> tuple[list[Establishment], list[Issue]]:
    found: list[Establishment] = []
    issues: list[Issue] = []
    for r in range(header + 1, len(grid.rows) + 1):
        name = grid.value(r, columns["name"])
        if not isinstance(name, str) or not name.strip():
            continue
        uai = grid.value(r, columns["uai"]) if "uai" in columns else None
        code = str(uai).strip().upper() if uai not in (None, "") else None
        if code is not None and not uai_is_valid(code):
            issues.append(make_issue("uai-invalide", tab=grid.tab, cell=to_a1(r, columns["uai"]),
                                     field="uai", label="UAI", value=uai, row=r))
            code = None
        commune = grid.value(r, columns["commune"]) if "commune" in columns else None
        email = grid.value(r, columns["email"]) if "email" in columns else None
        found.append(Establishment(name.strip(), code,
                                   commune.strip() if isinstance(commune, str) else None,
                                   to_a1(r, columns["name"]),
                                   (email.strip() or None) if isinstance(email, str) else None))
    return found, issues
