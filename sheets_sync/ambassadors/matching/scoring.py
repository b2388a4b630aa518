"""How well an ambassador fits a class: words, métiers porteurs, counter-stereotypes, local.

Words are compared after normalisation: lower case, accents removed, French stop words and
words of fewer than 3 letters dropped, a light plural stemming (« métiers » → « metier »,
« animaux » → « animal »). A school's orientation also sets its *focus*: « stéréotypes »,
« porteurs » or « local » (see FOCUS_TERMS); a focus multiplies the matching bonus by
`Weights.orientation_boost`. The formula is in `Weights`' docstring.

`pair_points` scores one pair; `ScoreTable` scores one class against a whole roster with numpy,
with the same formula (tests check they agree): the solver needs the second at scale.

`evaluate` scores a whole assignment. The objective is lexicographic, in this order:
  1. schools served (at least one ambassador in one of its classes),
  2. classes served (at least one ambassador),
  3. gendered slots: per class, one for having a woman and one for having a man (k >= 2),
  4. quality: the sum of the pairings' points.
It is folded into one integer, schools·S + classes·C + gendered·G + quality, with exact tier
weights S > C > G from the instance's bounds (lexicographic.stage_weights). Tests, the LP
check and the benchmark's greedy baseline score pairings with `evaluate`, never with the
solver's own arithmetic.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

from .model import MAN, WOMAN, Ambassador, Gender, MatchSettings, Weights

_STOP_WORDS_TEXT: Final = """
    les des une aux avec dans pour par sur sous entre vers chez sans que qui quoi dont
    est sont ete etre avoir ses son sa leurs leur nos notre vos votre mes mon ma tes ton ta
    ces cet cette ceux celle celles elle elles ils nous vous lui eux
    mais ou donc car pas plus moins tres tout tous toute toutes autre autres meme
    comme ainsi aussi bien faire fait etc afin lors contre
    aujourd hui
"""
STOP_WORDS: Final = frozenset(_STOP_WORDS_TEXT.split())

FOCUS_STEREOTYPES: Final = "stereotypes"
FOCUS_GROWTH: Final = "porteurs"
FOCUS_LOCAL: Final = "local"
FOCUS_TERMS: Final[Mapping[str, frozenset[str]]] = {
    FOCUS_STEREOTYPES: frozenset({"stereotype", "determinisme", "egalite", "mixite"}),
    FOCUS_GROWTH: frozenset({"porteur"}),
    FOCUS_LOCAL: frozenset({"emblematique", "figure", "local"}),
}

_TOKEN = re.compile(r"[^\W_]+")
_DENSE_CELLS = 1 << 25  # profile × word cells of ScoreTable.pairs_points' table (32 MB)
_CHUNK = 1 << 18  # pairs scored per pass by ScoreTable.pairs_points

IntArray = npt.NDArray[np.int64]


def fold(text: str) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def normalise_word(token: str) -> str:
    """One token reduced to its comparable stem, or "" when it is a stop word or too short."""
    word = fold(token)
    if len(word) < 3 or word in STOP_WORDS or word.isdigit():
        return ""
    if len(word) > 5 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    return "" if word in STOP_WORDS else word


def word_forms(texts: Iterable[str]) -> dict[str, str]:
    """Each stem found in `texts`, mapped to the first lower-case form it was typed in."""
    forms: dict[str, str] = {}
    for text in texts:
        for token in _TOKEN.findall(text.lower()):
            stem = normalise_word(token)
            if stem:
                forms.setdefault(stem, token)
    return forms


def terms(texts: Iterable[str]) -> frozenset[str]:
    """The normalised words of some texts (« Les métiers du numérique » → metier, numerique)."""
    found: set[str] = set()
    for text in texts:
        found.update(_text_terms(text))
    return frozenset(found)


@lru_cache(maxsize=65536)
def _text_terms(text: str) -> frozenset[str]:
    """The normalised words of one text (rosters repeat jobs, sectors and interests)."""
    stems = (normalise_word(token) for token in _TOKEN.findall(text.lower()))
    return frozenset(stem for stem in stems if stem)


@lru_cache(maxsize=65536)
def focus_of(class_terms: frozenset[str]) -> frozenset[str]:
    """Which orientations a class's words ask for (FOCUS_TERMS)."""
    return frozenset(name for name, words in FOCUS_TERMS.items() if class_terms & words)


def women_share(amb: Ambassador, table: Mapping[str, float]) -> float | None:
    """Women's share of the ambassador's job family: ROME prefix (3 then 1 characters), then
    the sector's name as typed in the table (case and accents ignored); None when unknown."""
    return _share(amb, table, {fold(k).strip(): v for k, v in table.items()})


def _share(
    amb: Ambassador, table: Mapping[str, float], by_name: Mapping[str, float]
) -> float | None:
    code = (amb.rome_code or "").strip().upper()
    for key in (code[:3], code[:1]):
        if key and key in table:
            return table[key]
    return by_name.get(fold(amb.sector).strip())


def is_counter_stereotype(
    gender: Gender | None, share: float | None, settings: MatchSettings
) -> bool:
    """A woman in a job with few women, or a man in a job with few men."""
    if share is None:
        return False
    return (gender == WOMAN and share < settings.low_share) or (
        gender == MAN and share > settings.high_share
    )


@lru_cache(maxsize=64)
def _growth_entries(sectors: frozenset[str]) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((e, terms((e,))) for e in sorted(sectors) if terms((e,)))


def growth_sector(amb: Ambassador, sectors: frozenset[str]) -> str | None:
    """The métier-porteur entry the ambassador's job or sector matches (all its words)."""
    own = terms((amb.job, amb.sector))
    for entry, wanted in _growth_entries(sectors):
        if wanted <= own:
            return entry
    return None


@dataclass(frozen=True)
class Profile:
    """What scoring needs to know about an ambassador, computed once."""

    terms: frozenset[str]
    growth: str | None
    women_share: float | None
    counter_stereotype: bool
    local: bool


def profile(amb: Ambassador, settings: MatchSettings) -> Profile:
    """The ambassador's scoring profile under these settings."""
    return profiles([amb], settings)[0]


def profiles(ambassadors: Sequence[Ambassador], settings: MatchSettings) -> list[Profile]:
    """Profiles of a whole roster, reading the reference tables once."""
    table = settings.women_share_by_job_family
    by_name = {fold(k).strip(): v for k, v in table.items()}
    # rosters repeat jobs, sectors and ROME codes: each distinct one is looked up once
    shares: dict[tuple[str | None, str], float | None] = {}
    growth: dict[tuple[str, str], str | None] = {}
    words: dict[tuple[str, str, frozenset[str]], frozenset[str]] = {}
    out = []
    for amb in ambassadors:
        key = (amb.rome_code, amb.sector)
        if key not in shares:
            shares[key] = _share(amb, table, by_name)
        share = shares[key]
        job = (amb.job, amb.sector)
        if job not in growth:
            growth[job] = growth_sector(amb, settings.growth_sectors)
        texts = (amb.job, amb.sector, amb.interests)
        if texts not in words:
            words[texts] = terms((amb.job, amb.sector, *sorted(amb.interests)))
        out.append(
            Profile(
                terms=words[texts],
                growth=growth[job],
                women_share=share,
                counter_stereotype=is_counter_stereotype(amb.gender, share, settings),
                local=amb.local,
            )
        )
    return out


def _boost(focus: frozenset[str], name: str, weights: Weights) -> int:
    return weights.orientation_boost if name in focus else 1


def pair_points(
    class_terms: frozenset[str], focus: frozenset[str], prof: Profile, weights: Weights
) -> int:
    """Quality points of one pairing (formula in `Weights`)."""
    shared = min(len(class_terms & prof.terms), weights.max_shared_words)
    points = weights.assign + weights.word * shared
    if prof.growth is not None:
        points += weights.growth * _boost(focus, FOCUS_GROWTH, weights)
    if prof.counter_stereotype:
        points += weights.counter_stereotype * _boost(focus, FOCUS_STEREOTYPES, weights)
    if prof.local:
        points += weights.local * _boost(focus, FOCUS_LOCAL, weights)
    return points


class ScoreTable:
    """`pair_points` of one class against every profile at once (numpy)."""

    def __init__(self, profiles: Sequence[Profile], weights: Weights) -> None:
        self.size = len(profiles)
        self.weights = weights
        self._growth = np.array([p.growth is not None for p in profiles], dtype=np.int64)
        self._counter = np.array([p.counter_stereotype for p in profiles], dtype=np.int64)
        self._local = np.array([p.local for p in profiles], dtype=np.int64)
        index: dict[str, list[int]] = {}
        for i, p in enumerate(profiles):
            for t in p.terms:
                index.setdefault(t, []).append(i)
        self._index = {t: np.array(ix, dtype=np.int64) for t, ix in index.items()}
        self._base: dict[frozenset[str], IntArray] = {}

    def restricted(self, rows: IntArray, vocabulary: Collection[str]) -> ScoreTable:
        """The same table over the profiles at `rows` (sorted positions), in that order,
        knowing only the words of `vocabulary` (the classes' words: the only ones looked up)."""
        sub = copy.copy(self)
        sub.size = len(rows)
        sub._growth, sub._counter, sub._local = (
            self._growth[rows], self._counter[rows], self._local[rows])
        position = np.full(self.size, -1, dtype=np.int64)
        position[rows] = np.arange(len(rows), dtype=np.int64)
        sub._index = {}
        for t, ix in self._index.items():
            if t in vocabulary:
                moved = position[ix]
                moved = moved[moved >= 0]
                if len(moved):
                    sub._index[t] = moved
        sub._base = {}
        return sub

    def points_at(
        self, rows: IntArray, class_terms: frozenset[str], focus: frozenset[str]
    ) -> IntArray:
        """`scores(class_terms, focus)[rows]`, computed for those rows only."""
        shared = np.zeros(len(rows), dtype=np.int64)
        for t in class_terms:
            ix = self._index.get(t)
            if ix is not None:  # sorted positions of the profiles with that word
                at = np.minimum(np.searchsorted(ix, rows), len(ix) - 1)
                shared += ix[at] == rows
        np.minimum(shared, self.weights.max_shared_words, out=shared)
        result: IntArray = self.base(focus)[rows] + self.weights.word * shared
        return result

    def pairs_points(
        self, kinds: Sequence[frozenset[str]], which: IntArray, rows: IntArray
    ) -> IntArray:
        """`points_at` of many classes at once: pair i is the class of words kinds[which[i]]
        with the profile at rows[i] (a pruned graph's arcs in a few array passes, not one
        call per group).

        Shared words are read from a table profile × word (the classes' words that some
        profile has); past `_DENSE_CELLS` cells, one `points_at` per kind instead."""
        column: dict[str, int] = {}
        kind_columns = [
            [column.setdefault(t, len(column)) for t in sorted(words) if t in self._index]
            for words in kinds
        ]
        if self.size * (len(column) + 1) > _DENSE_CELLS:
            return self._pairs_points_by_kind(kinds, which, rows)
        has = np.zeros((self.size, len(column) + 1), dtype=np.int8)  # last column: no word
        for t, j in column.items():
            has[self._index[t], j] = 1
        width = max(map(len, kind_columns), default=0)
        columns = np.full((len(kinds), width), len(column), dtype=np.int64)
        for k, js in enumerate(kind_columns):
            columns[k, : len(js)] = js
        focus_ix: dict[frozenset[str], int] = {}
        kind_focus = np.array([focus_ix.setdefault(focus_of(w), len(focus_ix)) for w in kinds],
                              dtype=np.int64)
        base = np.stack([self.base(f) for f in focus_ix]) if focus_ix else np.zeros((0, 0))
        out = np.empty(len(rows), dtype=np.int64)
        for lo in range(0, len(rows), _CHUNK):
            r, of = rows[lo : lo + _CHUNK], which[lo : lo + _CHUNK]
            shared = has[r[:, None], columns[of]].sum(axis=1, dtype=np.int64)
            np.minimum(shared, self.weights.max_shared_words, out=shared)
            out[lo : lo + _CHUNK] = base[kind_focus[of], r] + self.weights.word * shared
        return out

    def _pairs_points_by_kind(
        self, kinds: Sequence[frozenset[str]], which: IntArray, rows: IntArray
    ) -> IntArray:
        out = np.empty(len(rows), dtype=np.int64)
        order = np.argsort(which, kind="stable")
        bounds = np.searchsorted(which[order], np.arange(len(kinds) + 1))
        for k, words in enumerate(kinds):
            at = order[bounds[k] : bounds[k + 1]]
            out[at] = self.points_at(rows[at], words, focus_of(words))
        return out

    def base(self, focus: frozenset[str]) -> IntArray:
        """Points that do not depend on shared words, for a class with this focus."""
        if focus not in self._base:
            w = self.weights
            self._base[focus] = (
                w.assign
                + self._growth * (w.growth * _boost(focus, FOCUS_GROWTH, w))
                + self._counter * (w.counter_stereotype * _boost(focus, FOCUS_STEREOTYPES, w))
                + self._local * (w.local * _boost(focus, FOCUS_LOCAL, w))
            )
        return self._base[focus]

    def scores(self, class_terms: frozenset[str], focus: frozenset[str]) -> IntArray:
        """Points of the class with every profile, in profile order."""
        result: IntArray = self.base(focus) + self.weights.word * self.shared(class_terms)
        return result

    def shared(self, class_terms: frozenset[str]) -> IntArray:
        """Words each profile shares with the class, at most `max_shared_words`."""
        found = [ix for t in class_terms if (ix := self._index.get(t)) is not None]
        shared = (
            np.bincount(np.concatenate(found), minlength=self.size)
            if found
            else np.zeros(self.size, dtype=np.int64)
        )
        np.minimum(shared, self.weights.max_shared_words, out=shared)
        return shared


@dataclass(frozen=True)
class Tiers:
    """Weights of the upper tiers; `proven` when they make the order provably lexicographic."""

    gender: int
    klass: int
    school: int
    proven: bool


@dataclass(frozen=True)
class Objective:
    """The four tiers of an assignment."""

    schools: int
    classes: int
    gendered: int
    quality: int

    def total(self, tiers: Tiers) -> int:
        return (
            self.schools * tiers.school
            + self.classes * tiers.klass
            + self.gendered * tiers.gender
            + self.quality
        )

    def key(self) -> tuple[int, int, int, int]:
        return (self.schools, self.classes, self.gendered, self.quality)


def evaluate(
    pairs: Iterable[tuple[str, str, int]],
    school_of: Mapping[str, str],
    gender_of: Mapping[str, Gender | None],
    k: int,
) -> Objective:
    """Tiers of a set of (class id, ambassador id, points) pairings."""
    schools: set[str] = set()
    classes: set[str] = set()
    gendered: set[tuple[str, Gender]] = set()
    quality = 0
    for class_id, amb_id, points in pairs:
        classes.add(class_id)
        schools.add(school_of[class_id])
        gender = gender_of[amb_id]
        if k >= 2 and gender in (WOMAN, MAN):
            gendered.add((class_id, gender))
        quality += points
    return Objective(len(schools), len(classes), len(gendered), quality)
