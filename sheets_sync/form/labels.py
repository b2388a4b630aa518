"""Header labels as people type them, reduced to one comparable form."""

from __future__ import annotations

import re
import unicodedata

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
