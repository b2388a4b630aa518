"""The calamine reader converts a row with texts inlined (issue #16): the same values as
`_value` cell by cell, for every type calamine gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.backends.excel.xlsx_read import _row_values, _value

CALAMINE = st.one_of(st.text(max_size=8), st.just(""), st.floats(), st.integers(), st.booleans(),
                     st.dates(), st.datetimes(), st.times(),
                     st.timedeltas(max_value=dt.timedelta(days=3)))


@settings(max_examples=300, deadline=None)
@given(st.lists(CALAMINE, max_size=12))
def test_a_row_converts_as_each_cell_did(raw: list[Any]) -> None:
    assert _row_values(raw) == tuple(map(_value, raw))
    assert [type(v) for v in _row_values(raw)] == [type(_value(v)) for v in raw]
