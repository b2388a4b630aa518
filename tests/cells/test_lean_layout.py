"""The layout's measures, made lean for issue #16, give what they gave before.

`text_lines` caches its counts and skips the word cutting where a paragraph or a word fits,
`display_width` and `Table.column_widths` look at each cell once, `geometry` works out the
characters a line holds once per column: the references below are the previous code, word
for word, and hypothesis looks for any text where the two disagree.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells.grid import CellValue, GeneratedTab, OutCell
from sheets_sync.cells.layout import (
    MAX_WIDTH,
    MIN_WIDTH,
    Table,
    display_width,
    geometry,
    text_lines,
)

_BREAK_AFTER = re.compile(r"[^-/]*[-/]|[^-/]+")


def reference_lines(text: str, width: float, bold: bool = False) -> int:
    """text_lines as it was before the cache and the shortcuts."""
    per_line = max(1, int(width * (1.0 if bold else 1.1)) - 1)
    lines = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in paragraph.split():
            pieces = [p[i:i + per_line] for p in _BREAK_AFTER.findall(word)
                      for i in range(0, len(p), per_line)]
            for n, piece in enumerate(pieces):
                gap = 0 if n else 1
                if not used:
                    used = len(piece)
                elif used + gap + len(piece) <= per_line:
                    used += gap + len(piece)
                else:
                    count, used = count + 1, len(piece)
        lines += count
    return max(1, lines)


def reference_width(value: CellValue) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        return 4
    if isinstance(value, dt.datetime):
        return 16 if value.time() != dt.time(0) else 10
    if isinstance(value, (dt.date, dt.time)):
        return 10
    if isinstance(value, float):
        return 6
    return max((len(line) for line in str(value).split("\n")), default=0)


def reference_column_widths(table: Table) -> list[int]:
    out = []
    for c in range(table.width):
        cap = table.widths[c] if c < len(table.widths) and table.widths[c] else MAX_WIDTH
        need = max((reference_width(r[c].value) * (1.3 if r[c].style == "title" else 1)
                    for r in table.rows if c < len(r)), default=0)
        if c < len(table.header) and table.header[c]:
            words = max((len(w) for w in table.header[c].split()), default=0)
            two_lines = math.ceil(len(table.header[c]) * 0.55)
            need = max(need, words, two_lines)
        out.append(max(MIN_WIDTH, min(cap, math.ceil(need) + 2)))
    return out


# Texts made of what changes a count: words, spaces of all kinds, « - » and « / », breaks.
_PIECES = st.sampled_from(["a", "mot", "collège", "très-long-mot", "chemin/vers/x", " ", "  ",
                           "\u00a0", "\t", "-", "/", "\n", "x" * 30, "Établissement"])
TEXTS = st.lists(_PIECES, max_size=30).map("".join) | st.text(max_size=120)
VALUES = st.one_of(TEXTS, st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                   st.datetimes(min_value=dt.datetime(2000, 1, 1)), st.dates(), st.times())


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.floats(min_value=0, max_value=80), st.booleans())
def test_text_lines_counts_as_before(text: str, width: float, bold: bool) -> None:
    assert text_lines(text, width, bold) == reference_lines(text, width, bold)
    assert text_lines(text, width, bold) == reference_lines(text, width, bold)  # cached


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_display_width_as_before(value: CellValue) -> None:
    assert display_width(value) == reference_width(value)


_CELLS = st.builds(OutCell, VALUES, st.sampled_from([None, "title", "wrap", "header", "muted"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELLS, max_size=5).map(tuple), max_size=8).map(tuple),
       st.lists(st.text(max_size=30), max_size=5).map(tuple),
       st.lists(st.integers(0, 60), max_size=5).map(tuple))
def test_column_widths_as_before(rows: tuple[tuple[OutCell, ...], ...], header: tuple[str, ...],
                                 widths: tuple[int, ...]) -> None:
    table = Table(header, rows, widths)
    assert table.column_widths() == reference_column_widths(table)


def test_a_paragraph_just_longer_than_a_line_wraps() -> None:
    # the shortcut « fits on one line » stops exactly at the line's length
    per_line = 10  # width 10 → int(11.0) - 1
    assert text_lines("a" * 4 + " " + "b" * 5, 10) == 1
    assert text_lines("a" * 5 + " " + "b" * 5, 10) == 2
    assert reference_lines("a" * 5 + " " + "b" * 5, 10) == 2
    assert len("a" * 4 + " " + "b" * 5) == per_line


def test_geometry_of_a_column_of_repeated_long_texts() -> None:
    # « Parrainages »: thousands of rows explained by a few long sentences, each wrapped
    why = ("Points communs avec le projet : industrie, métiers. Assure la mixité de l'équipe "
           "(une femme et un homme).")
    rows = tuple((OutCell(f"Classe {i}"), OutCell(why if i % 2 else why[:20]))
                 for i in range(300))
    tab = GeneratedTab("Parrainages", "Généré par sheets-sync", "Parrainages",
                       ("Classe", "Pourquoi"), rows, widths=(12, 30))
    geo = geometry(tab)
    lines = reference_lines(why, 30)
    assert lines > 1
    assert geo.heights[GeneratedTab.FIRST_DATA_ROW] == 15.0 * lines  # row 6: the long one
    assert (GeneratedTab.FIRST_DATA_ROW + 1, 2) in geo.wrapped
    assert (GeneratedTab.FIRST_DATA_ROW, 2) not in geo.wrapped  # 20 characters fit in 32
    assert geo.heights[GeneratedTab.FIRST_DATA_ROW - 1] == 15.0
