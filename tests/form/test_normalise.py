import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.cells.grid import CellError
from sheets_sync.form import normalise


@pytest.mark.parametrize("typed", ["Oui", "OUI", " oui ", "oui.", "Yes", "x", "✓", True, 1, "o"])
def test_yes(typed: object) -> None:
    assert normalise.yes_no(typed) == normalise.Parsed(True)


@pytest.mark.parametrize("typed", ["Non", "NON", "non !", "n", False, 0, "no"])
def test_no(typed: object) -> None:
    assert normalise.yes_no(typed) == normalise.Parsed(False)


@pytest.mark.parametrize("typed", ["peut-être", "oui/non", 2, "à voir"])
def test_neither_yes_nor_no(typed: object) -> None:
    assert normalise.yes_no(typed).problem == "oui-non-invalide"


@pytest.mark.parametrize(
    ("typed", "n"),
    [(2, 2), (2.0, 2), ("2", 2), (" 2 ", 2), ("2,0", 2), ("2 classes", 2), ("1 classe", 1),
     ("deux", 2), ("Une", 1), ("douze classes", 12), ("0", 0), ("aucune", 0)],
)
def test_counts(typed: object, n: int) -> None:
    assert normalise.count(typed) == normalise.Parsed(n)


@pytest.mark.parametrize("typed", ["2 ou 3", "2-3", "à définir", -1, 1.5, True, "beaucoup"])
def test_counts_never_guessed(typed: object) -> None:
    assert normalise.count(typed).problem == "nombre-invalide"


@pytest.mark.parametrize(
    "typed",
    [dt.datetime(2021, 7, 16, 10, 30), dt.date(2021, 7, 16), 44393, "16/07/2021", "16-07-21",
     "16 juillet 2021", "vendredi 16 juillet 2021", "2021-07-16", "2021-07-16T08:00:00"],
)
def test_dates(typed: object) -> None:
    assert normalise.date(typed) == normalise.Parsed(dt.date(2021, 7, 16))


@pytest.mark.parametrize("typed", ["31/02/2021", "demain", -3, True])
def test_bad_dates(typed: object) -> None:
    assert normalise.date(typed).problem == "date-invalide"


def test_spreadsheet_errors_are_reported_by_every_parser() -> None:
    for parse in (normalise.yes_no, normalise.count, normalise.date, normalise.as_text):
        assert parse(CellError("#N/A")).problem == "valeur-erreur"


def test_text_is_trimmed_and_blank_is_empty() -> None:
    assert normalise.as_text("  Collège  ") == normalise.Parsed("Collège")
    assert normalise.as_text(" \t ") == normalise.Parsed(None)
    assert normalise.as_text(3.0) == normalise.Parsed("3")


def test_email() -> None:
    assert normalise.email("a.b@example.org").problem is None
    assert normalise.email("pas une adresse").problem == "courriel-invalide"


cells = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.datetimes(), st.dates(), st.times(), st.builds(CellError, st.text()),
)


@given(cells)
def test_no_parser_ever_raises(value: object) -> None:
    for parse in (normalise.yes_no, normalise.count, normalise.date, normalise.as_text,
                  normalise.email):
        parse(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [10_001, 10_001.0, "10001", "1" * 30, 10**30, "9" * 5000])
def test_a_count_beyond_ten_thousand_is_invalid_not_huge(value: object) -> None:
    """A pasted number must not reach the solver (int64) nor build millions of classes."""
    assert normalise.count(value) == normalise.Parsed(None, "nombre-invalide")  # type: ignore[arg-type]


def test_ten_thousand_is_still_a_count() -> None:
    assert normalise.count(10_000).value == normalise.count("10000 classes").value == 10_000
