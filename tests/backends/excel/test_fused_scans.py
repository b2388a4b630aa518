"""The reader's fused byte scans find what the separate ones found (issue #16).

A 60 MB sheet was searched three times for what sends it to openpyxl (a stray « < », a
namespace prefix, a row or cell placed by position) and three times for numbers calamine
reads otherwise (3.0, 1E3, 16 digits); each is now one pass. The first fusion is the same
search; the second is narrower (it looks inside <v> only), and must never skip a number
whose reading it changes: a whole float kept as a float, or an integer made exact.
"""

from __future__ import annotations

import re
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.backends.excel import xlsx_read
from sheets_sync.backends.excel.xlsx_read import (
    _NUMBER,
    _ROUND_OR_LONG,
    _UNNUMBERED,
    fixes,
    unusual,
)

# the old number gate, as it was before the fusion
_OLD_GATE = (re.compile(rb"\.0*</v>"), re.compile(rb"<v>[-+]?[0-9]{16}"),
             re.compile(rb"<v>[-+]?[0-9.]*[eE]"))

FRAGMENTS = [
    b'<row r="1">', b"<row>", b"<row ", b"</row>", b'<c r="A1">', b'<c r="B2" t="n">',
    b"<c>", b"<c ", b"<c/>", b'<c r="C3" t="str">', b"</c>", b"<x:c ", b"<x:row>",
    b"<x:sheetData>", b"<sheetData>", b"<<", b"<1", b"< ", b"<?xml", b"<!--", b"<v>",
    b"</v>", b"3", b"0", b"9", b".", b"e", b"E", b"-", b"+", b"1234567890123456", b".0",
    b"a", b" ", b"<f>SUM(A1)</f>", b"<is><t>x</t></is>", b"\xc3\xa9", b"\0",
]
parts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(b"".join)
numbers = st.from_regex(rb"\A[-+]?[0-9]{0,18}(\.[0-9]{0,4})?([eE][-+]?[0-9]{1,3})?\Z",
                        fullmatch=True)


@given(parts)
def test_one_pass_finds_what_three_found(part: bytes) -> None:
    assert unusual(part, placed=True) == (unusual(part)
                                           or _UNNUMBERED.search(part) is not None)


def _matters(text: bytes) -> bool:
    """Whether the reading of a number cell holding `text` is changed by the scan."""
    if text.strip(b"-+").isdigit():
        return True  # made an exact integer (or one openpyxl reads the same)
    try:
        value = float(text)
    except ValueError:
        return False  # calamine and openpyxl both give up on it alike
    return value.is_integer()  # a whole float kept as a float


@given(st.lists(st.tuples(numbers, st.sampled_from([b"", b' t="n"', b' t="str"'])),
                max_size=6), parts)
def test_the_number_gate_never_skips_a_number_that_matters(
        cells: list[tuple[bytes, bytes]], noise: bytes) -> None:
    part = noise + b"".join(b'<c r="A%d"%s><v>%s</v></c>' % (i + 1, kind, text)
                            for i, (text, kind) in enumerate(cells))
    found = [(attrs, text) for _, _, attrs, text in _NUMBER.findall(part)
             if not (b"t=" in attrs and b't="n"' not in attrs)]
    if _ROUND_OR_LONG.search(part) is None:
        assert not any(_matters(text) for _, text in found)
    if any(g.search(part) for g in _OLD_GATE) and any(_matters(t) for _, t in found):
        assert _ROUND_OR_LONG.search(part) is not None


def test_fixes_of_each_kind_still_found() -> None:
    part = (b'<row r="1"><c r="A1"><v>3.0</v></c><c r="B1"><v>1E3</v></c>'
            b'<c r="C1"><v>12345678901234567</v></c><c r="D1"><v>2.5</v></c>'
            b'<c r="E1"><v>7</v></c></row>')
    scan = fixes(part, {})
    assert scan.fixes == {(0, 2): 12345678901234567}
    assert {(0, 0), (0, 1)} <= scan.floats
    assert (0, 4) not in scan.floats
    assert not unusual(part, placed=True)
    assert xlsx_read.extent(part) == (1, 26)


def _extent_at_once(part: bytes) -> tuple[int, int]:
    """exact_extent as it was: every filled cell of the part listed at once."""
    refs = xlsx_read._FILLED.findall(part)
    if not refs:
        return 0, 0
    return (max(int(d) for _, d in refs),
            max(xlsx_read.column_number(letters) for letters, _ in refs))


CELLS = [b'<c r="A1">', b'<c r="B22" t="s">', b'<c r="AB7">', b'<c r="ZZZ3">', b'<c r="C9"/>',
         b'<c r="D4" s="1"/>', b"<v>1</v></c>", b"</row>", b'<row r="9">', b">", b"/", b"<c ",
         b'<c r="Q12', b'"', b" ", b"x"]


@given(st.lists(st.sampled_from(CELLS), max_size=60).map(b"".join), st.integers(1, 12))
def test_extent_a_slice_at_a_time_is_the_extent_at_once(part: bytes, size: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xlsx_read, "_EXTENT_SLICE", size)
        assert xlsx_read.exact_extent(part) == _extent_at_once(part)


def test_extent_of_a_large_sheet_never_lists_every_cell() -> None:
    """600,000 filled cells (a sheet under the default limits): the cells of a slice only,
    found while reviewing #16 (listing them all took 185 MB for 1.8 million)."""
    row = b"".join(b'<c r="%s%d"><v>1</v></c>' % (c.encode(), 1) for c in ("A", "B", "AC"))
    part = b"".join(row.replace(b'1"', b'%d"' % r) for r in range(1, 200_001))
    tracemalloc.start()
    try:
        extent = xlsx_read.exact_extent(part)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert extent == (200_000, 29)
    assert peak < 16 * 1024 * 1024, peak
