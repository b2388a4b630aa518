"""`yes_no` remembers what each text reads as (issue #16: a roster column repeats « Oui » and
« Non » thousands of times): the answer is the one the previous code gave, every time."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells.grid import CellValue
from sheets_sync.form.normalise import _NO, _YES, CellError, Parsed, _fold, is_empty, yes_no


def reference_yes_no(value: CellValue) -> Parsed[bool]:
    """yes_no as it was, nothing remembered."""
    if isinstance(value, CellError):
        return Parsed(None, "valeur-erreur")
    if is_empty(value):
        return Parsed(None)
    if isinstance(value, bool):
        return Parsed(value)
    if isinstance(value, int | float) and value in (0, 1):
        return Parsed(bool(value))
    word = _fold(str(value)).rstrip(".!;,").strip()
    if word in _YES:
        return Parsed(True)
    if word in _NO:
        return Parsed(False)
    return Parsed(None, "oui-non-invalide")


WORDS = st.sampled_from(["Oui", "oui ", " NON", "non.", "x", "✓", "Vrai", "1", "0", "", "  ",
                         "\t", "peut-être", "Ouí", "oui!", "N"])
VALUES = st.one_of(WORDS, st.text(max_size=12), st.none(), st.booleans(), st.integers(-2, 3),
                   st.floats(allow_nan=False), st.builds(CellError, st.just("#N/A")))


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_yes_no_as_before(value: CellValue) -> None:
    assert yes_no(value) == reference_yes_no(value)
    assert yes_no(value) == reference_yes_no(value)  # remembered


def test_blank_text_is_empty_and_a_typo_is_flagged() -> None:
    assert yes_no("   ") == Parsed(None)
    assert yes_no("Oiu") == Parsed(None, "oui-non-invalide")
    assert yes_no(" Oui. ") == Parsed(True)
