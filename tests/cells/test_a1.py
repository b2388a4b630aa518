import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.cells.a1 import MAX_COLUMN, MAX_ROW, column_letters, column_number, from_a1, to_a1


@given(st.integers(1, MAX_ROW), st.integers(1, MAX_COLUMN))
def test_a1_round_trips(row: int, col: int) -> None:
    assert from_a1(to_a1(row, col)) == (row, col)


@pytest.mark.parametrize(("col", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"),
                                               (703, "AAA"), (16384, "XFD")])
def test_column_letters(col: int, letters: str) -> None:
    assert column_letters(col) == letters
    assert column_number(letters) == col


@pytest.mark.parametrize("bad", ["", "A0", "1A", "XFE1", "A1048577", "A-1"])
def test_bad_addresses_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        from_a1(bad)


def test_dollar_signs_are_accepted() -> None:
    assert from_a1("$F$7") == (7, 6)
