"""A1 references inside formulas, rewritten when rows or columns move (as Google Sheets does).

    =AND($E2="Oui";LEN(TRIM(G2))=0)   insert 1 column at F  ->  =AND($E2="Oui";LEN(TRIM(H2))=0)
    =SUM('Réponses'!B2:D2)            delete column C       ->  =SUM('Réponses'!B2:C2)
    =A5*2  (moved by a sort from row 5 to row 2)             ->  =A2*2

Two rewrites, both pure over the formula text (string literals are left alone):

- `remap`: the rows or columns of one tab were inserted, deleted or moved; every reference to
  that tab follows its cells (absolute or not), a range grows or shrinks, a reference to a
  deleted cell becomes #REF!.
- `offset`: the formula's cell moved (a sort); its relative references keep their distance
  (copy semantics, as in Excel and LibreOffice), `$` parts stay.

Not mirrored: named ranges, R1C1, whole-row ranges (« 2:5 »), INDIRECT text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..cells.a1 import column_letters, column_number

# One position along the moved axis -> its new position, or None once deleted.
Index = Callable[[int], int | None]
# A span (first, last), 0-based inclusive -> the new span, or None once it is all deleted.
Span = Callable[[int, int], tuple[int, int] | None]

REF_ERROR = "#REF!"
_STRING = re.compile(r'"(?:[^"]|"")*"')
_SHEET = r"(?P<sheet>'(?:[^']|'')+'!|[^\W\d][\w.]*!)?"
_CELL = r"\$?[A-Za-z]{1,3}\$?\d+"
_COLUMN = r"\$?[A-Za-z]{1,3}"
_REF = re.compile(
    r"(?<![\w$.'!])"
    + _SHEET
    + rf"(?P<ref>{_CELL}:{_CELL}|{_COLUMN}:{_COLUMN}(?![\d$])|{_CELL})"
    + r"(?![\w(!$])"
)
_PART = re.compile(r"(?P<cabs>\$?)(?P<col>[A-Za-z]{1,3})(?P<rabs>\$?)(?P<row>\d*)")


@dataclass(frozen=True)
class _Part:
    """One end of a reference: 0-based column and row (None for a whole column)."""

    col: int
    row: int | None
    col_abs: bool
    row_abs: bool

    def text(self) -> str:
        out = ("$" if self.col_abs else "") + column_letters(self.col + 1)
        if self.row is not None:
            out += ("$" if self.row_abs else "") + str(self.row + 1)
        return out


def _part(text: str) -> _Part:
    m = _PART.fullmatch(text)
    assert m is not None  # the reference pattern only matches well-formed parts
    row = int(m["row"]) - 1 if m["row"] else None
    return _Part(column_number(m["col"].upper()) - 1, row, bool(m["cabs"]), bool(m["rabs"]))


def sheet_title(prefix: str) -> str:
    """« 'L''an'! » -> « L'an »."""
    name = prefix[:-1]
    if name.startswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


def _rewrite(formula: str, change: Callable[[str | None, list[_Part]], list[_Part] | None]) -> str:
    """`formula` with each reference passed through `change` (None: #REF!)."""

    def one(m: re.Match[str]) -> str:
        parts = [_part(p) for p in m["ref"].split(":")]
        new = change(sheet_title(m["sheet"]) if m["sheet"] else None, parts)
        if new is None:
            return REF_ERROR
        return (m["sheet"] or "") + ":".join(p.text() for p in new)

    out, last = [], 0
    for s in _STRING.finditer(formula):
        out.append(_REF.sub(one, formula[last : s.start()]))
        out.append(s[0])
        last = s.end()
    out.append(_REF.sub(one, formula[last:]))
    return "".join(out)


def remap(
    formula: str, on_tab: Callable[[str | None], bool], rows: bool, index: Index, span: Span
) -> str:
    """Follow moved rows (`rows`) or columns of one tab; `on_tab(sheet title or None)` says
    whether a reference points at that tab (None: the formula's own tab)."""

    def change(sheet: str | None, parts: list[_Part]) -> list[_Part] | None:
        if not on_tab(sheet):
            return parts
        axis = [p.row if rows else p.col for p in parts]
        if None in axis:  # a whole column (« A:C »): moved rows never change it
            return parts
        if len(parts) == 1:
            moved = index(axis[0]) if axis[0] is not None else None
            return None if moved is None else [_with(parts[0], rows, moved)]
        first, last = axis
        assert first is not None and last is not None
        low, high = min(first, last), max(first, last)
        got = span(low, high)
        if got is None:
            return None
        return [_with(parts[0], rows, got[0]), _with(parts[1], rows, got[1])]

    return _rewrite(formula, change)


def offset(formula: str, rows: int) -> str:
    """The formula copied `rows` rows down (up when negative): relative rows follow."""

    def change(_sheet: str | None, parts: list[_Part]) -> list[_Part] | None:
        out = []
        for p in parts:
            if p.row is None or p.row_abs:
                out.append(p)
            elif p.row + rows < 0:
                return None
            else:
                out.append(_with(p, True, p.row + rows))
        return out

    return _rewrite(formula, change) if rows else formula


def _with(part: _Part, rows: bool, value: int) -> _Part:
    if rows:
        return _Part(part.col, value, part.col_abs, part.row_abs)
    return _Part(value, part.row, part.col_abs, part.row_abs)
