"""Header labels as people type them, reduced to one comparable form, and the label a
reworded header is closest to (« Adresse établissement » → « Adresse de l'établissement »)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from .model import Field

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "«": '"', "»": '"',
                         "“": '"', "”": '"', "\u00a0": " ", "\u202f": " "})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise_label(text: object) -> str:
    """Fold case, accents, quotes, apostrophes, punctuation and spacing of a label.

    « Nom de l’établissement  participant » and "nom de l'etablissement participant" both
    become "nom de l etablissement participant".
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKD", str(text).translate(_QUOTES))
    folded = _COMBINING.sub("", folded).lower()
    folded = folded.replace("4eme", "4e").replace("3eme", "3e")
    folded = folded.replace("4 eme", "4e").replace("3 eme", "3e")
    return _NON_WORD.sub(" ", folded).strip()


def label_index(fields: tuple[Field, ...]) -> dict[str, str]:
    """Map each normalised label and alias to its field key."""
    index: dict[str, str] = {}
    for f in fields:
        for text in (f.label, *f.aliases):
            index.setdefault(normalise_label(text), f.key)
    return index


# Words that say little about which question a header names.
_STOP = frozenset({"de", "du", "des", "d", "l", "la", "le", "les", "a", "au", "aux", "en", "et",
                   "vos", "votre", "pour", "sur", "par", "un", "une", "ou"})
SUGGEST_FROM = 0.6  # below this, a header is unknown, not « almost » a label
READ_FROM = 0.8  # from this, a header is read as its label (with a warning to rename it)
_MARGIN = 0.15  # a suggestion is confident only when no other field comes this close
_MIN_LENGTH = 4  # « Nom », « Tél. » are aliases or nothing: too short to guess from
_MAX_LENGTH = 240  # longer than twice the longest label: an answer, not a header
_WORD_SIMILAR = 0.8  # two words this similar are one word mistyped
_TYPO = 0.88  # a whole header this similar to a label is that label mistyped


@dataclass(frozen=True)
class Suggestion:
    """The label a header is closest to, how close (0..1), and whether it is read as it."""

    key: str
    label: str
    score: float
    confident: bool


def _words(norm: str) -> frozenset[str]:
    return frozenset(w for w in norm.split() if w not in _STOP)


@functools.lru_cache(maxsize=1 << 16)
def _same_word(a: str, b: str) -> bool:
    """One word, give or take a typo or a plural: « metiers » / « metier »."""
    if a == b:
        return True
    shortest, total = min(len(a), len(b)), len(a) + len(b)
    if shortest < _MIN_LENGTH or 2 * shortest / total < _WORD_SIMILAR:
        return False
    import difflib  # a header that is not a label word for word: loaded when first needed

    return difflib.SequenceMatcher(None, a, b).ratio() >= _WORD_SIMILAR


def _near_typo(typed: str, label: str) -> bool:
    """The whole header is the label mistyped (edit similarity ≥ _TYPO); cheap bounds first."""
    if 2 * min(len(typed), len(label)) / (len(typed) + len(label)) < _TYPO:
        return False
    import difflib

    matcher = difflib.SequenceMatcher(None, typed, label, autojunk=False)
    return matcher.quick_ratio() >= _TYPO and matcher.ratio() >= _TYPO


@functools.lru_cache(maxsize=256)
def _label_words(label: str) -> tuple[str, frozenset[str]]:
    norm = normalise_label(label)
    return norm, _words(norm)


def closeness(typed: str, label: str) -> float:
    """How close two normalised labels are (0..1): the best of the meaningful words they
    share (Jaccard, a word matching give or take a typo), a near-typo of the whole (1), and
    a header made only of the label's words (READ_FROM).

    « adresse etablissement » and « adresse de l etablissement » share all their words: 1.
    """
    mine, theirs = _words(typed), _words(label)
    matched = sum(1 for w in mine if any(_same_word(w, t) for t in theirs))
    union = len(mine) + len(theirs) - matched
    shared = matched / union if union else 0.0
    within = READ_FROM if len(mine) >= 2 and matched == len(mine) else 0.0
    if max(shared, within) < 1.0 and _near_typo(typed, label):
        return 1.0
    return max(shared, within)


def suggest(text: object, fields: Iterable[Field],
            taken: Collection[str] = ()) -> Suggestion | None:
    """The field a header that names none is most likely meant to be, or None.

    Only fields not `taken` (already named by another header) are proposed; a suggestion
    needs one field clearly ahead of every other, and is confident (read) when close.
    """
    norm = normalise_label(text)
    if not _MIN_LENGTH <= len(norm) <= _MAX_LENGTH:
        return None
    scores: list[tuple[float, Field]] = []
    for f in fields:
        if f.key in taken:
            continue
        score = max(closeness(norm, _label_words(t)[0]) for t in (f.label, *f.aliases))
        scores.append((score, f))
    if not scores:
        return None
    scores.sort(key=lambda sf: -sf[0])
    best, field = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best < SUGGEST_FROM or best - runner_up < 0.05:
        return None
    return Suggestion(field.key, field.label, round(best, 2),
                      best >= READ_FROM and best - runner_up >= _MARGIN)
