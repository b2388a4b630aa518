"""A1 ranges as the Sheets API reads and echoes them.

    'Réponses'!A1:D4   Réponses!B2   Sheet1   A:A   2:3   A2:C   (no title: first sheet)

Parsing yields a `Span` (0-based, ends inclusive, None = open to the grid's edge); `Span.clip`
bounds it to a grid, `echo` prints a range back the way Google does (title quoted only when
needed, one cell as "A1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cells.a1 import column_letters, column_number
from .errors import invalid_argument

_END = re.compile(r"^\$?([A-Za-z]{0,3})\$?([0-9]{0,7})$")
_PLAIN_TITLE = re.compile(r"^[^\W\d]\w*$")
_LOOKS_LIKE_CELL = re.compile(r"^([A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*)$")


@dataclass(frozen=True)
class Span:
    """A rectangle of a sheet: 0-based rows and columns, ends inclusive, None = open."""

    row0: int = 0
    col0: int = 0
    row1: int | None = None
    col1: int | None = None
    anchor: bool = False  # written as one cell ("B2"): a write starts there, unbounded

    def clip(self, rows: int, cols: int) -> tuple[int, int, int, int]:
        """(row0, col0, row_end, col_end) half-open, bounded by a rows x cols grid."""
        r1 = rows if self.row1 is None else min(self.row1 + 1, rows)
        c1 = cols if self.col1 is None else min(self.col1 + 1, cols)
        return self.row0, self.col0, r1, c1


def split_range(text: str) -> tuple[str | None, str | None]:
    """ "'My tab'!A1:B2" -> ("My tab", "A1:B2"); "Tab" -> ("Tab", None) when it has no '!'
    and is quoted; an unquoted text without '!' is returned as (None, text): the caller
    decides whether it names a sheet or cells."""
    text = text.strip()
    if text.startswith("'"):
        i, chars = 1, []
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    chars.append("'")
                    i += 2
                    continue
                break
            chars.append(text[i])
            i += 1
        else:
            raise invalid_argument(f"Unable to parse range: {text}")
        rest = text[i + 1 :]
        if not rest:
            return "".join(chars), None
        if not rest.startswith("!"):
            raise invalid_argument(f"Unable to parse range: {text}")
        return "".join(chars), rest[1:]
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return title, cells
    return None, text


def parse_cells(text: str) -> Span:
    """ "B2:D4" -> Span(1, 1, 3, 3); "A:A" -> Span(0, 0, None, 0); "2:3" -> Span(1, 0, 2, None)."""
    first, sep, second = text.strip().partition(":")
    r0, c0 = _endpoint(first, text)
    if not sep:
        if r0 is None and c0 is None:
            raise invalid_argument(f"Unable to parse range: {text}")
        if r0 is None:  # "A": a whole column
            return Span(0, c0 or 0, None, c0)
        if c0 is None:  # "5": a whole row
            return Span(r0, 0, r0, None)
        return Span(r0, c0, r0, c0, anchor=True)
    r1, c1 = _endpoint(second, text)
    if (r0 is None and c0 is None) or (r1 is None and c1 is None):
        raise invalid_argument(f"Unable to parse range: {text}")
    start_row, start_col = r0 or 0, c0 or 0
    if r1 is not None and r1 < start_row:
        start_row, r1 = r1, start_row
    if c1 is not None and c1 < start_col:
        start_col, c1 = c1, start_col
    return Span(start_row, start_col, r1, c1)


def _endpoint(part: str, whole: str) -> tuple[int | None, int | None]:
    m = _END.match(part)
    if not m or not (m.group(1) or m.group(2)):
        raise invalid_argument(f"Unable to parse range: {whole}")
    try:
        col = column_number(m.group(1)) - 1 if m.group(1) else None
    except ValueError:
        raise invalid_argument(f"Unable to parse range: {whole}") from None
    if m.group(2) and int(m.group(2)) < 1:
        raise invalid_argument(f"Unable to parse range: {whole}")
    row = int(m.group(2)) - 1 if m.group(2) else None
    return row, col


def quote_title(title: str) -> str:
    """Sheet1 -> Sheet1; "My tab" -> 'My tab'; quotes inside are doubled.

    The recorded replies show Sheet1 bare and "🌵 test_values_batch_get 1" quoted; a title
    of letters (accented ones too), digits and "_" that cannot be read as a cell stays bare.
    """
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def cell_name(row0: int, col0: int) -> str:
    return f"{column_letters(col0 + 1)}{row0 + 1}"


def echo(title: str, row0: int, col0: int, row_end: int, col_end: int) -> str:
    """The range Google echoes for a half-open rectangle: 'T'!A1:B2, or 'T'!A1 for one cell."""
    start = cell_name(row0, col0)
    if row_end - row0 <= 1 and col_end - col0 <= 1:
        return f"{quote_title(title)}!{start}"
    return f"{quote_title(title)}!{start}:{cell_name(row_end - 1, col_end - 1)}"
