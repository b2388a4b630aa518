"""Free-text answers to a question with suggested choices, counted by choice.

Annex n°1 suggests three orientations; principals type them as they like (« stéréotypes »,
« Lutte contre les stéréotypes ! », « secteurs porteurs et figures de la ville »). Counted
as typed, one choice is split into as many pie slices as spellings. Here each answer is
mapped to the annex's choices it names (by keywords, accents and case folded), or to
« Autre »; an answer naming several counts in each.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..form.labels import normalise_label
from ..form.model import ORIENTATIONS

OTHER = "Autre"

# Words that name each suggested orientation (folded as normalise_label folds them).
_ORIENTATION_WORDS: dict[str, tuple[str, ...]] = {
    ORIENTATIONS[0]: ("determinism", "stereotyp", "prejuge", "cliche"),
    ORIENTATIONS[1]: ("porteur", "porteuse", "d avenir", "qui recrut", "en tension"),
    ORIENTATIONS[2]: ("emblemat", "figure", "modele", "personnalite"),
}


def orientations_of(answer: str) -> tuple[str, ...]:
    """The annex's orientations an answer names, in the annex's order; else (« Autre »,)."""
    folded = normalise_label(answer)
    named = tuple(choice for choice, words in _ORIENTATION_WORDS.items()
                  if any(word in folded for word in words))
    return named or (OTHER,)


def count_orientations(answers: Iterable[str]) -> list[tuple[str, int]]:
    """(choice, number of answers naming it), the annex's order then « Autre »; zeros left out."""
    counts = dict.fromkeys((*ORIENTATIONS, OTHER), 0)
    for answer in answers:
        for choice in orientations_of(answer):
            counts[choice] += 1
    return [(choice, n) for choice, n in counts.items() if n]
