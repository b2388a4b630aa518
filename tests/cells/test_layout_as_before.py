"""The layout's measures, made leaner again for issue #16 (650 schools), give what they gave.

`geometry` skips in one test the cells that cannot wrap and looks for title and header cells
a row at a time, `Table.column_widths` measures each different value of a column once,
`print_plan` finds blank rows in C: the references below are the previous code, and
hypothesis looks for any tab where the two disagree (typed values that are equal in a set,
1, 1.0 and True, have different widths: they are mixed in on purpose).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells import layout as L
from sheets_sync.cells.a1 import from_a1, to_a1
from sheets_sync.cells.grid import STYLES, Chart, GeneratedTab, Merge, OutCell
from sheets_sync.cells.layout import (
    DEFAULT_WIDTH,
    LINE_POINTS,
    MAX_LINES,
    MAX_WIDTH,
    MIN_WIDTH,
    PIXELS_PER_WIDTH,
    PRINT_HEIGHT_POINTS,
    PRINT_WIDTH_POINTS,
    TITLE_POINTS,
    Geometry,
    PrintPlan,
    Table,
    display_width,
    geometry,
    print_plan,
)

_WRAPPED_STYLES = frozenset({"wrap", "header"})
_UNWRAPPED_STYLES = frozenset({"banner", "title"})


# --- the previous code ----------------------------------------------------------------


def reference_geometry(tab: GeneratedTab) -> Geometry:
    """geometry as it was, cell by cell."""
    rows = tab.as_rows()
    merges = (*tab.merges, *L._note_merges(tab))
    last_chart_col = max([from_a1(c.anchor)[1] + (c.cols or 8) - 1 for c in tab.charts] + [0])
    ncols = max([len(tab.widths), *(len(r) for r in rows), last_chart_col])
    widths = tuple(float(tab.widths[c]) if c < len(tab.widths) and tab.widths[c] else
                   DEFAULT_WIDTH for c in range(ncols))
    widths = reference_header_words_fit(rows, widths)
    spans: dict[tuple[int, int], float] = {}
    for m in merges:
        spans[(m.first_row, m.first_col)] = sum(
            widths[c - 1] if c <= len(widths) else DEFAULT_WIDTH
            for c in range(m.first_col, m.last_col + 1))
    heights: list[float] = []
    wrapped: set[tuple[int, int]] = set()
    spanned = {r for r, _ in spans}
    fits = [L._per_line(w) for w in widths]  # characters a line holds, per column (not bold)
    for r, row in enumerate(rows, start=1):
        height = LINE_POINTS
        for c, (value, style, _) in enumerate(row, start=1):
            if style == "title":
                height = max(height, TITLE_POINTS)
            if r <= 2 or style in _UNWRAPPED_STYLES or not isinstance(value, str):
                continue
            # every row is within widths (one per column holding a cell)
            merged = r in spanned and (r, c) in spans
            width = spans[(r, c)] if merged else widths[c - 1]
            bold = style == "header"
            if not (merged or style in _WRAPPED_STYLES or "\n" in value
                    or len(value) > (L._per_line(width, bold) if bold else fits[c - 1])):
                continue
            wrapped.add((r, c))
            lines = min(L.text_lines(value, width, bold), MAX_LINES)
            height = max(height, lines * LINE_POINTS)
        heights.append(height)
    sizes = tuple(L._chart_pixels(chart, widths, heights) for chart in tab.charts)
    return Geometry(widths, tuple(heights), tuple(merges), frozenset(wrapped), sizes)


def reference_header_words_fit(rows: Sequence[Sequence[OutCell]],
                      widths: tuple[float, ...]) -> tuple[float, ...]:
    """Widen a column to its longest header word (bold, never cut: « Avertissements »)."""
    out = list(widths)
    for row in rows:
        for c, (value, style, _) in enumerate(row):
            if style == "header" and isinstance(value, str) and c < len(out):
                word = max((len(w) for w in value.split()), default=0)
                out[c] = max(out[c], min(float(MAX_WIDTH), word + 2.0))
    return tuple(out)


def reference_print_plan(tab: GeneratedTab, geo: Geometry) -> PrintPlan:
    """print_plan as it was."""
    last_col = max([len(geo.widths)] + [from_a1(c.anchor)[1] + (c.cols or 8) - 1
                                        for c in tab.charts])
    # a column stored `w` wide shows w × 7 pixels plus 5 of padding (Excel, LibreOffice)
    width = sum((geo.width(c) * PIXELS_PER_WIDTH + 5) * 0.75 for c in range(1, last_col + 1))
    scale = max(10, min(100, math.floor(100 * PRINT_WIDTH_POINTS / max(width, 1.0)) - 2))
    repeated = (sum(geo.heights[r - 1] for r in range(tab.print_rows[0], tab.print_rows[1] + 1)
                    if r <= len(geo.heights)) if tab.print_rows else 0.0)
    rows = max([len(geo.heights)] + [from_a1(c.anchor)[0] + (c.rows or 15) - 1
                                     for c in tab.charts])
    heights = [*geo.heights, *(LINE_POINTS,) * (rows - len(geo.heights))]
    charts: dict[int, int] = {}  # first row -> last row of a chart, kept on one page
    for chart in tab.charts:
        first = from_a1(chart.anchor)[0]
        charts[first] = max(charts.get(first, 0), first + (chart.rows or 15) - 1)
    grid = tab.as_rows()
    blocks: dict[int, int] = {}  # runs of non-blank rows, kept on one page when they fit
    start = None
    for r in range(GeneratedTab.FIRST_DATA_ROW, rows + 2):
        blank = r > len(grid) or not any(c.value not in (None, "") for c in grid[r - 1])
        if not blank and start is None:
            start = r
        elif blank and start is not None:
            blocks[start] = r - 1
            start = None

    def height(first: int, last: int) -> float:
        return sum(heights[r - 1] if r <= rows else LINE_POINTS for r in range(first, last + 1))

    def whole(b: int) -> bool:
        return not any(f < b <= e for f, e in charts.items())  # never inside a chart

    page = PRINT_HEIGHT_POINTS * 100 / scale
    breaks: list[int] = []
    top, used = 1, 0.0
    for r in range(1, rows + 1):
        # a chart (else a block) starting here that would straddle a page starts the next one
        last = next((e for e in (charts.get(r), blocks.get(r)) if e is not None
                     and used + height(r, e) > page and repeated + height(r, e) <= page), None)
        cut = None
        if r > top and last is not None:
            # with the short block it cuts (a table beside a chart), if it began on this page
            cut = next((b for b in [
                *(b for b, e in blocks.items() if top < b < r <= e
                  and repeated + height(b, max(e, last)) <= page),
                r, *(f for f, e in charts.items() if f < r <= e)]
                if b > max(top, GeneratedTab.FIRST_DATA_ROW) and whole(b)), None)
        if cut is not None:
            breaks.append(cut)
            top, used = cut, repeated + height(cut, r - 1)
        elif r > top and used + heights[r - 1] > page:
            top, used = r, repeated  # the application breaks here by itself
        used += heights[r - 1]
    return PrintPlan(scale, tuple(breaks))


def reference_column_widths(table: Table) -> list[int]:
    """Table.column_widths as it was, cell by cell."""
    needs = [0.0] * table.width
    for row in table.rows:
        for c, (value, style, _) in enumerate(row):
            shown = display_width(value) * (1.3 if style == "title" else 1)
            if shown > needs[c]:
                needs[c] = shown
    out = []
    for c in range(table.width):
        cap = table.widths[c] if c < len(table.widths) and table.widths[c] else MAX_WIDTH
        need = needs[c]
        if c < len(table.header) and table.header[c]:
            words = max((len(w) for w in table.header[c].split()), default=0)
            two_lines = math.ceil(len(table.header[c]) * 0.55)
            need = max(need, words, two_lines)
        out.append(max(MIN_WIDTH, min(cap, math.ceil(need) + 2)))
    return out


# What changes a measure: short and long texts, line breaks, spaces, « - » and « / », and
# values of every type (1, 1.0, True and 1 as text side by side in a column).
_PIECES = st.sampled_from(["a", "mot", "collège", "très-long-mot", "chemin/vers/x", " ", "\n",
                           "x" * 30, "Établissement", "-", "/"])
TEXTS = (st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=60)
         | st.integers(1, 70).map(lambda n: "x" * n))  # each length, about a line
VALUES = st.one_of(TEXTS, TEXTS, st.none(), st.booleans(), st.sampled_from([0, 1, 1.0, 0.0, True,
                   False, 2, 2.5, "1"]), st.integers(), st.floats(allow_nan=False),
                   st.dates(), st.datetimes(min_value=dt.datetime(2000, 1, 1)), st.times())
CELLS = st.builds(OutCell, VALUES, st.sampled_from([None, *STYLES]),
                  st.none() | st.just("'Réponses'!A2"))
ROWS = st.lists(st.lists(CELLS, max_size=6).map(tuple), max_size=14).map(tuple)


@st.composite
def tabs(draw: st.DrawFn) -> GeneratedTab:
    """A generated tab of any shape: rows, widths, merges inside it, notes, charts."""
    rows = draw(ROWS)
    header = draw(st.lists(TEXTS, max_size=5).map(tuple))
    widths = draw(st.lists(st.integers(0, 60), max_size=7).map(tuple))
    first = GeneratedTab.FIRST_DATA_ROW
    merges = []
    for r, row in enumerate(rows, start=first):
        if len(row) > 1 and draw(st.booleans()):
            start = draw(st.integers(1, len(row) - 1))
            merges.append(Merge(r, start, r, draw(st.integers(start + 1, len(row)))))
    notes = draw(st.lists(TEXTS, max_size=3).map(tuple))
    width = max([len(header), *(len(r) for r in rows), 1])
    charts = tuple(Chart("bar", "Graphique", first, first, 1, (),
                         to_a1(draw(st.integers(first, first + 20)), width + 2),
                         rows=draw(st.integers(0, 25)), cols=draw(st.integers(0, 6)))
                   for _ in range(draw(st.integers(0, 2))))
    return GeneratedTab("Onglet", "Généré par sheets-sync", draw(TEXTS), header, rows,
                        widths=widths, notes=notes, merges=tuple(merges), charts=charts,
                        print_rows=draw(st.sampled_from([None, (4, 4)])))


@settings(max_examples=300, deadline=None)
@given(tabs())
def test_geometry_as_before(tab: GeneratedTab) -> None:
    assert geometry(tab) == reference_geometry(tab)


@settings(max_examples=200, deadline=None)
@given(tabs())
def test_print_plan_as_before(tab: GeneratedTab) -> None:
    geo = geometry(tab)
    assert print_plan(tab, geo) == reference_print_plan(tab, geo)


@settings(max_examples=300, deadline=None)
@given(ROWS, st.lists(TEXTS, max_size=5).map(tuple),
       st.lists(st.integers(0, 60), max_size=6).map(tuple))
def test_column_widths_as_before(rows: tuple[tuple[OutCell, ...], ...],
                                 header: tuple[str, ...], widths: tuple[int, ...]) -> None:
    table = Table(header, rows, widths)
    assert table.column_widths() == reference_column_widths(table)


def test_one_true_and_one_point_zero_keep_their_own_widths() -> None:
    # equal in a set (1 == 1.0 == True), not in width: 1, 6 and 4 characters
    for column in ([1, True], [True, 1], [1.0, 1], [1, 1.0, True, "1"]):
        table = Table(("",), tuple((OutCell(v),) for v in column))
        assert table.column_widths() == reference_column_widths(table)
    assert Table(("",), ((OutCell(1),), (OutCell(True),))).column_widths() == [MIN_WIDTH]
    wide = Table(("",), tuple((OutCell(v),) for v in [1] * 3 + [12345.5] + ["abcdefgh"] * 2))
    assert wide.column_widths() == [10]  # « abcdefgh » and 2


def test_a_title_row_and_a_wrapping_cell_set_their_row_heights() -> None:
    long = "mot " * 40
    rows = ((OutCell("Section", "title"), OutCell(None)), (OutCell("court"), OutCell(long)),
            (OutCell("a\nb\nc"), OutCell(1)), (OutCell(long, "wrap"),))
    tab = GeneratedTab("Onglet", "Généré par sheets-sync", "Titre", ("A", "B"), rows,
                       widths=(20, 30))
    geo = geometry(tab)
    first = GeneratedTab.FIRST_DATA_ROW
    assert geo.heights[first - 1] == TITLE_POINTS
    assert geo.heights[first] > LINE_POINTS and (first + 1, 2) in geo.wrapped
    assert geo.heights[first + 1] == 3 * LINE_POINTS and (first + 2, 1) in geo.wrapped
    assert (first + 1, 1) not in geo.wrapped
    assert geo == reference_geometry(tab)


def test_a_plain_text_one_character_longer_than_its_line_wraps() -> None:
    # width 20 holds int(20 * 1.1) - 1 = 21 characters: the one-test shortcut stops there
    rows = ((OutCell("x" * 21), OutCell("y" * 22)),)
    tab = GeneratedTab("Onglet", "Généré par sheets-sync", "Titre", ("A", "B"), rows,
                       widths=(20, 20))
    geo = geometry(tab)
    first = GeneratedTab.FIRST_DATA_ROW
    assert (first, 1) not in geo.wrapped
    assert (first, 2) in geo.wrapped
    assert geo.heights[first - 1] == 2 * LINE_POINTS
    assert geo == reference_geometry(tab)
