"""Orientations typed freely are counted by the annex's choices (issue #15, item 2)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.dashboards.choices import OTHER, count_orientations, orientations_of
from sheets_sync.form.model import ORIENTATIONS

STEREOTYPES, SECTORS, FIGURES = ORIENTATIONS


def test_spellings_of_one_choice_are_one_slice() -> None:
    typed = ["lutte contre les déterminismes et les stéréotypes",
             "Lutte contre les STÉRÉOTYPES !", "stereotypes", "Préjugés et clichés"]
    assert count_orientations(typed) == [(STEREOTYPES, 4)]


def test_an_answer_naming_two_choices_counts_in_each_and_the_rest_is_other() -> None:
    assert orientations_of("Secteurs porteurs et figures emblématiques de Roubaix") == (
        SECTORS, FIGURES)
    assert orientations_of("Découverte de l'entreprise") == (OTHER,)
    assert count_orientations(["métiers d'avenir", "des modèles de réussite", "visites",
                               "secteurs qui recrutent"]) == [
        (SECTORS, 2), (FIGURES, 1), (OTHER, 1)]


@given(st.lists(st.text(max_size=40), max_size=30))
def test_every_answer_is_counted_once_at_least(answers: list[str]) -> None:
    counts = dict(count_orientations(answers))
    assert set(counts) <= {*ORIENTATIONS, OTHER} and all(n > 0 for n in counts.values())
    assert len(answers) <= sum(counts.values()) <= 3 * len(answers)
    assert counts.get(OTHER, 0) == sum(1 for a in answers if orientations_of(a) == (OTHER,))
