"""A1 cell addresses, as the principal sees them (rows and columns 1-based)."""

from __future__ import annotations

import re

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")
MAX_COLUMN = 16384  # XFD
MAX_ROW = 1048576


def column_letters(col: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    if not 1 <= col <= MAX_COLUMN:
        raise ValueError(f"column out of range: {col}")
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    """"A" -> 1, "AA" -> 27."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column: {letters!r}")
        n = n * 26 + ord(ch) - 64
    if not 1 <= n <= MAX_COLUMN:
        raise ValueError(f"column out of range: {letters!r}")
    return n


def to_a1(row: int, col: int) -> str:
    """(1, 1) -> "A1"."""
    if not 1 <= row <= MAX_ROW:
        raise ValueError(f"row out of range: {row}")
    return f"{column_letters(col)}{row}"


def from_a1(address: str) -> tuple[int, int]:
    """"B7" -> (7, 2)."""
    m = _A1.match(address.strip())
    if not m:
        raise ValueError(f"not an A1 address: {address!r}")
    row = int(m.group(2))
    if row > MAX_ROW:
        raise ValueError(f"row out of range: {address!r}")
    return row, column_number(m.group(1))
