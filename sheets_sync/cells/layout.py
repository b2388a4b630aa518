"""Where each block of a generated tab goes, and how big its columns, rows and charts are.

Blocks (`Table`, tables `Side` by side, a `Plot` over a table, notes) are placed on the grid
of a `GeneratedTab`, which both backends write the same way::

    # Synthèse  A                         B        C   D  E … L
    # 1         Généré par sheets-sync …
    # 2         Synthèse — Campagne
    # 3
    # 4         Indicateur                Valeur       ·  ┌────────────┐ chart 1 (its rows × cols
    # 5         Réponses reçues           12           ·  │            │  kept empty)
    # …                                                ·  └────────────┘
    # 12        (blank row between stacked blocks)     ·
    # 13        Réponses reçues par session (title)    ·  ┌────────────┐ chart 2
    # 14        Session                   Réponses     ·  │            │
    # …
    #           notes, merged across their block, wrapped

Rules: a blank row between stacked blocks, a blank column between side-by-side blocks and
before the charts; column widths from the content (capped, then wrapped); headers on one or
two lines; every text wider than its column wraps and its row is as tall as its lines;
charts stacked at the right, each over cells left empty, sized to its categories.

`geometry(tab)` gives, for any GeneratedTab (built by `lay_out` or by hand), the numbers the
backends write: column widths, row heights in points, merged ranges, wrapped cells, chart
sizes in pixels. Widths are in characters of the default font (7 pixels each, as both
backends write them); heights in points (a pixel is 3/4 of a point).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, zip_longest
from operator import itemgetter

from .a1 import from_a1, to_a1
from .grid import CellValue, Chart, GeneratedTab, Merge, OutCell, Series

__all__ = [
    "MAX_BARS",
    "Geometry",
    "Plot",
    "PrintPlan",
    "Side",
    "Table",
    "chart_cells",
    "chart_size",
    "geometry",
    "lay_out",
    "occupied_cells",
    "points_to_pixels",
    "print_plan",
    "text_lines",
]

PIXELS_PER_WIDTH = 7  # pixels per width unit (a character of the default font)
DEFAULT_WIDTH = 64 / PIXELS_PER_WIDTH  # a column whose width is not set (Excel: 64 pixels)
LINE_POINTS = 15.0  # one line of 11-point text
TITLE_POINTS = 19.0  # one line of the 14-point title
MAX_LINES = 27  # a longer text scrolls in its cell (409 points: the tallest row Excel allows)
MIN_WIDTH, MAX_WIDTH, GAP_WIDTH = 6, 50, 2
CHART_COLUMN_WIDTH = 10  # columns under the charts
MAX_BARS = 120  # categories a bar chart can label, one each, in its tallest frame
_WRAPPED_STYLES = frozenset({"wrap", "header"})
_UNWRAPPED_STYLES = frozenset({"banner", "title"})


def points_to_pixels(points: float) -> int:
    return round(points * 4 / 3)


# --- text measures ---------------------------------------------------------------------------


def display_width(value: CellValue) -> int:
    """Characters the value shows on its longest line (numbers as formatted, roughly)."""
    if type(value) is str:  # most cells
        return len(value) if "\n" not in value else max(len(line) for line in value.split("\n"))
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


def _per_line(width: float, bold: bool = False) -> int:
    """Characters a line of a column `width` wide holds (proportional font: a French text
    averages a little less than one width unit per character; bold is wider)."""
    return max(1, int(width * (1.0 if bold else 1.1)) - 1)


def text_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines a wrapped text takes in a column `width` wide: words wrapped greedily, a word
    longer than a line cut."""
    return _lines(text, _per_line(width, bold))


@functools.lru_cache(maxsize=8192)
def _lines(text: str, per_line: int) -> int:
    """text_lines for lines of `per_line` characters (a column repeats a few long texts:
    « Parrainages » explains 5,800 pairings with 200 different sentences)."""
    lines = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= per_line:  # its words, single-spaced or less, fit on one line
            lines += 1
            continue
        count, used = 1, 0
        for word in paragraph.split():
            # a long word breaks after « - » or « / » (a path, an address), else anywhere
            if len(word) <= per_line and "-" not in word and "/" not in word:
                pieces = [word]
            else:
                pieces = [p[i:i + per_line] for p in _BREAK_AFTER.findall(word)
                          for i in range(0, len(p), per_line)]
            for n, piece in enumerate(pieces):
                gap = 0 if n else 1  # pieces of one word are not spaced
                if not used:
                    used = len(piece)
                elif used + gap + len(piece) <= per_line:
                    used += gap + len(piece)
                else:
                    count, used = count + 1, len(piece)
        lines += count
    return max(1, lines)


_BREAK_AFTER = re.compile(r"[^-/]*[-/]|[^-/]+")


# --- geometry of any generated tab -----------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """What a backend writes besides the cells (1-based rows and columns, as written)."""

    widths: tuple[float, ...]  # every column holding a cell or under a chart
    heights: tuple[float, ...]  # points, one per row of tab.as_rows()
    merges: tuple[Merge, ...]
    wrapped: frozenset[tuple[int, int]]  # (row, col) of the cells that wrap
    charts: tuple[tuple[int, int], ...]  # (width, height) in pixels, one per tab.charts

    def width(self, col: int) -> float:
        return self.widths[col - 1] if col <= len(self.widths) else DEFAULT_WIDTH

    def custom_heights(self) -> list[tuple[int, float]]:
        """(row, points) of the rows taller than one line of text."""
        return [(r, h) for r, h in enumerate(self.heights, start=1) if h != LINE_POINTS]


def _content_width(tab: GeneratedTab) -> int:
    """Columns of the tab's tables (where notes are merged)."""
    return max([len(tab.header), *(len(r) for r in tab.rows), 1])


def _note_merges(tab: GeneratedTab) -> list[Merge]:
    span = _content_width(tab)
    if not tab.notes or span < 2:
        return []
    first = GeneratedTab.FIRST_DATA_ROW + len(tab.rows) + 1
    return [Merge(first + i, 1, first + i, span) for i in range(len(tab.notes))]


def chart_cells(chart: Chart) -> set[tuple[int, int]]:
    """(row, col) of every cell under the chart's frame."""
    row, col = from_a1(chart.anchor)
    rows, cols = chart.rows or 15, chart.cols or 8
    return {(r, c) for r in range(row, row + rows) for c in range(col, col + cols)}


def occupied_cells(tab: GeneratedTab) -> set[tuple[int, int]]:
    """(row, col) of every non-empty cell, and of every cell of a merged range."""
    out = {(r, c) for r, row in enumerate(tab.as_rows(), start=1)
           for c, cell in enumerate(row, start=1) if cell.value not in (None, "")}
    for m in (*tab.merges, *_note_merges(tab)):
        out |= {(r, c) for r in range(m.first_row, m.last_row + 1)
                for c in range(m.first_col, m.last_col + 1)}
    return out


def geometry(tab: GeneratedTab) -> Geometry:
    """Widths, row heights, merges, wrapped cells and chart sizes of a generated tab."""
    widths = _widths(tab)
    merges = (*tab.merges, *_note_merges(tab))
    wrapped: set[tuple[int, int]] = set()
    heights = list(_heights(tab.as_rows(), widths, merges, wrapped))
    sizes = tuple(_chart_pixels(chart, widths, heights) for chart in tab.charts)
    return Geometry(widths, tuple(heights), tuple(merges), frozenset(wrapped), sizes)


def _widths(tab: GeneratedTab) -> tuple[float, ...]:
    """Geometry.widths: every column holding a cell or under a chart."""
    rows = tab.as_rows()
    last_chart_col = max([from_a1(c.anchor)[1] + (c.cols or 8) - 1 for c in tab.charts] + [0])
    ncols = max([len(tab.widths), *(len(r) for r in rows), last_chart_col])
    widths = tuple(float(tab.widths[c]) if c < len(tab.widths) and tab.widths[c] else
                   DEFAULT_WIDTH for c in range(ncols))
    return _header_words_fit(rows, widths)


def _heights(rows: Sequence[Sequence[OutCell]], widths: tuple[float, ...],
             merges: Sequence[Merge], wrapped: set[tuple[int, int]]) -> Iterator[float]:
    """Each row's height in points, in order, adding the cells that wrap to `wrapped` as it
    goes (a caller may stop early: _place_charts needs the rows beside its charts only)."""
    spans: dict[tuple[int, int], float] = {}
    for m in merges:
        spans[(m.first_row, m.first_col)] = sum(
            widths[c - 1] if c <= len(widths) else DEFAULT_WIDTH
            for c in range(m.first_col, m.last_col + 1))
    spanned = {r for r, _ in spans}
    fits = [_per_line(w) for w in widths]  # characters a line holds, per column (not bold)
    for r, row in enumerate(rows, start=1):
        height = TITLE_POINTS if "title" in map(_STYLE, row) else LINE_POINTS
        merged_row = r in spanned
        for c, (value, style, _) in enumerate(row if r > 2 else ()):  # c 0-based here
            # every row is within widths (one per column holding a cell)
            if not isinstance(value, str) or style in _UNWRAPPED_STYLES:
                continue
            if style is None and not merged_row and len(value) <= fits[c] \
                    and "\n" not in value:
                continue  # most cells: a short plain text, on one line
            merged = merged_row and (r, c + 1) in spans
            width = spans[(r, c + 1)] if merged else widths[c]
            bold = style == "header"
            per_line = _per_line(width, bold) if merged or bold else fits[c]
            if merged or style in _WRAPPED_STYLES or "\n" in value or len(value) > per_line:
                wrapped.add((r, c + 1))
                height = max(height, min(_lines(value, per_line), MAX_LINES) * LINE_POINTS)
        yield height


_VALUE, _STYLE = itemgetter(0), itemgetter(1)  # of an OutCell, mapped over a row in C
_NUMBERS = frozenset({int, float, bool})
_KINDS = frozenset({str, type(None), dt.date, dt.datetime, dt.time, *_NUMBERS})
_BLANK = frozenset({None, ""})  # what an empty cell holds


def _header_words_fit(rows: Sequence[Sequence[OutCell]],
                      widths: tuple[float, ...]) -> tuple[float, ...]:
    """Widen a column to its longest header word (bold, never cut: « Avertissements »)."""
    out = list(widths)
    for row in rows:
        if "header" not in map(_STYLE, row):  # most rows: no header cell, looked at in C
            continue
        for c, (value, style, _) in enumerate(row):
            if style == "header" and isinstance(value, str) and c < len(out):
                word = max((len(w) for w in value.split()), default=0)
                out[c] = max(out[c], min(float(MAX_WIDTH), word + 2.0))
    return tuple(out)


# --- printing --------------------------------------------------------------------------------

# A4 landscape (points) less the margins the backends set (0.4 in left and right, 0.5 in top,
# 0.6 in bottom) and room for the footer.
PRINT_WIDTH_POINTS = 841.9 - 2 * 0.4 * 72
PRINT_HEIGHT_POINTS = 595.3 - (0.5 + 0.6) * 72 - 36


@dataclass(frozen=True)
class PrintPlan:
    """How a tab prints one page wide: `scale` in percent, and `breaks` (1-based rows that
    start a new page) so that no chart, and no short block, is cut by a page break."""

    scale: int
    breaks: tuple[int, ...]


def print_plan(tab: GeneratedTab, geo: Geometry) -> PrintPlan:
    """The scale that fits every column (and chart) on one page wide, and the page breaks
    that keep each chart and each block (rows between two blank rows) on one page when it
    fits on one."""
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
        blank = r > len(grid) or all(map(_BLANK.__contains__, map(_VALUE, grid[r - 1])))
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
                     and used + height(r, e) > page and repeated + height(r, e) <= page),
                    None) if r in charts or r in blocks else None
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


def _chart_pixels(chart: Chart, widths: Sequence[float],
                  heights: Sequence[float]) -> tuple[int, int]:
    """The chart's frame in pixels: exactly the cells it spans (default 480 × 288)."""
    if not (chart.rows and chart.cols):
        return 480, 288
    row, col = from_a1(chart.anchor)
    width = sum(round((widths[c - 1] if c <= len(widths) else DEFAULT_WIDTH) * PIXELS_PER_WIDTH)
                for c in range(col, col + chart.cols))
    height = sum(points_to_pixels(heights[r - 1] if r <= len(heights) else LINE_POINTS)
                 for r in range(row, row + chart.rows))
    return width, height


# --- blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Table:
    """A header and rows, with an optional section title above and notes below.

    `widths`: the widest each column may be (characters; then its texts wrap); () or 0 for a
    column: from its content, at most MAX_WIDTH. A row longer than the header: the last
    header cell is merged across the extra columns (links, one per cell).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[OutCell, ...], ...] = ()
    widths: tuple[int, ...] = ()
    title: str = ""
    notes: tuple[str, ...] = ()

    @functools.cached_property
    def width(self) -> int:
        """Columns of the widest row (asked for by every step of the layout: worked out once)."""
        return max([len(self.header), *(len(r) for r in self.rows), 1])

    @property
    def height(self) -> int:
        return bool(self.title) + 1 + len(self.rows) + len(self.notes)

    def column_widths(self) -> list[int]:
        """Width of each column from its content, capped (see the class docstring)."""
        needs = [0.0] * self.width  # the widest value of each column
        for c, column in enumerate(zip_longest(*self.rows, fillvalue=_EMPTY)):
            if "title" in map(_STYLE, column):  # a section title, wider: each cell looked at
                needs[c] = max(0.0, *(display_width(value) * (1.3 if style == "title" else 1)
                                      for value, style, _ in column))
            else:  # each different value measured once
                values = tuple(map(_VALUE, column))
                kinds = set(map(type, values))
                if kinds <= _KINDS and len(kinds & _NUMBERS) <= 1:
                    distinct: Iterable[CellValue] = set(values)
                else:  # 1, 1.0 and True are equal in a set, not in width
                    typed = set(zip(map(type, values), values, strict=True))
                    distinct = (value for _, value in typed)
                needs[c] = max(0.0, *map(display_width, distinct))
        out = []
        for c in range(self.width):
            cap = self.widths[c] if c < len(self.widths) and self.widths[c] else MAX_WIDTH
            need = needs[c]
            if c < len(self.header) and self.header[c]:
                words = max((len(w) for w in self.header[c].split()), default=0)
                two_lines = math.ceil(len(self.header[c]) * 0.55)  # a header on two lines
                need = max(need, words, two_lines)
            out.append(max(MIN_WIDTH, min(cap, math.ceil(need) + 2)))
        return out


@dataclass(frozen=True)
class Side:
    """Tables side by side, a blank column between them, their headers on the same row."""

    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Plot:
    """A native chart over a table's rows (`count` rows from 0-based row `first`; None: to
    the end): categories and series are 0-based columns of the table; each series is named
    after its header cell (Google reads names there)."""

    kind: str
    title: str
    table: Table
    series: tuple[int, ...]
    categories: int = 0
    alt: str = ""
    first: int = 0
    count: int | None = None


def chart_size(kind: str, categories: int, series: int) -> tuple[int, int]:
    """Pixels a chart needs so that every category is labelled: horizontal bars grow in
    height with their categories (a label of two lines at 9 points each), columns in
    width."""
    if kind == "bar":
        return 520, min(4000, max(240, 110 + categories * max(30, 14 * series)))
    if kind == "column":
        return min(900, max(440, 120 + categories * max(48, 24 * series))), 300
    return 480, 300


_EMPTY = OutCell(None)


@dataclass
class _Canvas:
    # sheet row -> its cells: a table's row tuple as is while nothing else shares its line
    # (most rows: the tab then holds that tuple, not a copy), else a list
    lines: dict[int, tuple[OutCell, ...] | list[OutCell]] = field(default_factory=dict)
    widths: dict[int, int] = field(default_factory=dict)
    merges: list[Merge] = field(default_factory=list)
    data: dict[int, tuple[int, int]] = field(default_factory=dict)  # id(table) -> (row, col)

    def put(self, row: int, col: int, cells: Sequence[OutCell]) -> None:
        found = self.lines.get(row)
        if found is None and col == 1 and type(cells) is tuple:
            self.lines[row] = cells
            return
        if isinstance(found, list):
            line = found
        else:
            line = self.lines[row] = list(found or ())
        if len(line) < col - 1:
            line.extend([_EMPTY] * (col - 1 - len(line)))
        line[col - 1: col - 1 + len(cells)] = cells

    def merge(self, row: int, first: int, last: int) -> None:
        if last > first:
            self.merges.append(Merge(row, first, row, last))

    def table(self, t: Table, row: int, col: int) -> None:
        last = col + t.width - 1
        for c, w in enumerate(t.column_widths()):
            self.widths[col + c] = max(self.widths.get(col + c, 0), w)
        if t.title:
            self.put(row, col, [OutCell(t.title, "title")])
            self.merge(row, col, last)
            row += 1
        self.put(row, col, [OutCell(h, "header") if h else _EMPTY for h in t.header])
        if t.header and t.width > len(t.header):
            self.merge(row, col + len(t.header) - 1, last)
        row += 1
        self.data[id(t)] = (row, col)
        for r, cells in enumerate(t.rows):
            self.put(row + r, col, cells)
        row += len(t.rows)
        for n, note in enumerate(t.notes):
            self.put(row + n, col, [OutCell(note, "muted")])
            self.merge(row + n, col, last)


def lay_out(name: str, banner: str, title: str, body: Sequence[Table | Side],
            plots: Sequence[Plot] = (), notes: tuple[str, ...] = (),
            hidden: bool = False) -> GeneratedTab:
    """Place the blocks of `body` from row 4 down (a blank row between them), the charts at
    the right (a blank column before them, a blank row between them), `notes` at the end.

    The first block's header is the tab's header row (frozen, repeated when printed); a
    section title on the first block would take that row, so it is not allowed.
    """
    canvas = _Canvas()
    row = GeneratedTab.HEADER_ROW
    for n, item in enumerate(body):
        tables = item.tables if isinstance(item, Side) else (item,)
        if n == 0 and any(t.title for t in tables):
            raise ValueError("the first block's header is the tab's header: no title above it")
        col = 1
        for t in tables:
            canvas.table(t, row, col)
            col += t.width + 1
            if t is not tables[-1]:
                canvas.widths.setdefault(col - 1, GAP_WIDTH)
        row += max(t.height for t in tables) + 1
    lines = canvas.lines
    content = max([len(line) for line in lines.values()] + [1])
    widths = [canvas.widths.get(c, GAP_WIDTH) for c in range(1, content + 1)]
    last_row = max([*lines, GeneratedTab.HEADER_ROW])
    header = tuple(_text(c) for c in lines.get(GeneratedTab.HEADER_ROW, []))
    while header and not header[-1]:
        header = header[:-1]
    rows = tuple(tuple(lines.get(r, ())) for r in range(GeneratedTab.FIRST_DATA_ROW, last_row + 1))
    # Stacked blocks: row 4 heads the first block only, so it is not repeated on each page.
    tab = GeneratedTab(name=name, banner=banner, title=title, header=header, rows=rows,
                       widths=tuple(widths), notes=notes, hidden=hidden,
                       merges=tuple(canvas.merges),
                       print_rows=(GeneratedTab.HEADER_ROW,) * 2 if len(body) == 1 else None)
    if not plots:
        return tab
    return _place_charts(tab, plots, canvas, content)


def _place_charts(tab: GeneratedTab, plots: Sequence[Plot], canvas: _Canvas,
                  content: int) -> GeneratedTab:
    """Charts stacked right of the content, one blank column away, each over the rows and
    columns its pixel size needs (a blank row between two charts)."""
    first_col = content + 2
    rows_written = tab.as_rows()
    # the heights of the rows beside the charts only, worked out as they are needed
    upcoming = _heights(rows_written, _widths(tab), (*tab.merges, *_note_merges(tab)), set())
    heights: list[float] = []
    charts: list[Chart] = []
    # below the header row: LibreOffice prints what is anchored in a repeated row on every page
    row = GeneratedTab.FIRST_DATA_ROW
    ncols = 0
    for plot in plots:
        start, col = canvas.data[id(plot.table)]
        start += plot.first
        count = (len(plot.table.rows) - plot.first if plot.count is None
                 else min(plot.count, len(plot.table.rows) - plot.first))
        header = plot.table.header
        series = tuple(Series(header[s] if s < len(header) else "", col + s)
                       for s in plot.series)
        width_px, height_px = chart_size(plot.kind, count, len(series))
        cols = math.ceil(width_px / (CHART_COLUMN_WIDTH * PIXELS_PER_WIDTH))
        rows, used = 0, 0
        while used < height_px:
            if row + rows > len(heights) and len(heights) < len(rows_written):
                heights.extend(islice(upcoming, row + rows - len(heights)))
            h = heights[row + rows - 1] if row + rows <= len(heights) else LINE_POINTS
            used += points_to_pixels(h)
            rows += 1
        charts.append(Chart(plot.kind, plot.title, start, start + count - 1, col + plot.categories,
                            series, to_a1(row, first_col), rows=rows, cols=cols, alt=plot.alt))
        ncols = max(ncols, cols)
        row += rows + 1
    widths = (*tab.widths, GAP_WIDTH, *(CHART_COLUMN_WIDTH,) * ncols)
    return GeneratedTab(name=tab.name, banner=tab.banner, title=tab.title, header=tab.header,
                        rows=tab.rows, widths=widths, notes=tab.notes, hidden=tab.hidden,
                        charts=tuple(charts), merges=tab.merges, print_rows=tab.print_rows)


def _text(cell: OutCell | None) -> str:
    return "" if cell is None or cell.value is None else str(cell.value)
