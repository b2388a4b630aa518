"""Plain data exchanged with the backends: grids read, tabs to write.

A backend turns a spreadsheet into `Grid`s (values only, as typed) and writes
`GeneratedTab`s back; every stage in between works on these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class CellError:
    """A spreadsheet error value such as #N/A or #DIV/0!."""

    text: str

    def __str__(self) -> str:
        return self.text


CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | CellError | None


@dataclass(frozen=True)
class Grid:
    """One tab's values, row by row; rows[0] is sheet row 1, rows[r][c] is column c+1.

    `tab` is how issues name the tab (for a fiche file: "fichier.xlsx › Fiche");
    `sheet` is the tab's own name inside its workbook; `origin` the file it came from.
    """

    tab: str
    rows: tuple[tuple[CellValue, ...], ...]
    sheet: str = ""
    origin: str = ""
    hidden: bool = False

    def value(self, row: int, col: int) -> CellValue:
        """The value at 1-based (row, col), None outside the grid."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


# Styles a generated cell may ask for; each backend maps them to its own formats.
STYLES = ("header", "banner", "title", "percent", "integer", "date", "ok", "error", "warning",
          "muted", "wrap")


class OutCell(NamedTuple):
    """A cell of a generated tab (a tuple: a dashboard holds hundreds of thousands).

    `value` is always written as a value, never a formula.

    `link` is an internal target such as "'Réponses'!F7", or an external "mailto:…" /
    "https://…" address (shown as a hyperlink; the value stays the displayed text).
    """

    value: CellValue
    style: str | None = None
    link: str | None = None


CHART_KINDS = ("column", "bar", "pie")


class Merge(NamedTuple):
    """Cells shown as one (a note across its block): 1-based, inclusive, as written."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(frozen=True)
class Series:
    """One series of a chart: its name and the 1-based column of its values."""

    name: str
    column: int


@dataclass(frozen=True)
class Chart:
    """A native chart over a block of a generated tab (rows and columns 1-based, as written).

    Categories are read in column `categories`, values in each series' column, over rows
    `first_row`..`last_row` of the tab named `sheet` (None: the tab holding the chart).
    The chart's top-left corner sits at `anchor` (an A1 cell of the tab holding it); it
    covers `rows` × `cols` cells from there (0: the default 480 × 288 pixels), which the
    layout engine (cells/layout.py) keeps empty. `alt` is its alternative text (empty: made
    from the title and the series).
    """

    kind: str
    title: str
    first_row: int
    last_row: int
    categories: int
    series: tuple[Series, ...]
    anchor: str
    sheet: str | None = None
    rows: int = 0
    cols: int = 0
    alt: str = ""

    def alt_text(self) -> str:
        """What the chart shows, for a reader who cannot see it."""
        if self.alt:
            return self.alt
        names = ", ".join(s.name for s in self.series)
        kind = {"column": "Histogramme", "bar": "Barres", "pie": "Secteurs"}.get(self.kind, "")
        return f"{kind} : {self.title} ({names})" if names else f"{kind} : {self.title}"


@dataclass(frozen=True)
class GeneratedTab:
    """A tab the toolkit owns: replaced whole at each sync.

    Layout written by the backends:
      row 1            banner (marker « Généré par sheets-sync … — ne pas modifier »)
      row 2            title
      row 3            empty
      row 4            header (frozen)
      rows 5…          data
      then             a blank row and the notes, each merged across the table and wrapped

    Tabs made of several blocks (cells/layout.py `lay_out`) hold them in `rows`: `merges`
    lists the cells shown as one (notes and block titles across their block), `print_rows`
    the header rows repeated on each printed page (1-based, inclusive). Row heights and
    wrapped cells are computed from the content by cells/layout.py, for both backends.
    """

    name: str
    banner: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[OutCell, ...], ...]
    widths: tuple[int, ...] = ()
    notes: tuple[str, ...] = field(default=())  # lines below the table (explanations)
    hidden: bool = False  # a tab for the toolkit itself (its remembered state)
    charts: tuple[Chart, ...] = ()
    merges: tuple[Merge, ...] = ()
    print_rows: tuple[int, int] | None = (4, 4)

    FIRST_DATA_ROW = 5

    HEADER_ROW = 4

    def as_rows(self) -> list[list[OutCell]]:
        """Every row of the tab as written, banner first (row 1).

        Built once per tab and shared by its readers (layout, rendering, each chart's
        cache): read it, never change it."""
        built: list[list[OutCell]] | None = self.__dict__.get("_as_rows")
        if built is None:
            built = self.__dict__["_as_rows"] = self._rows_written()
        return built

    def _rows_written(self) -> list[list[OutCell]]:
        out: list[list[OutCell]] = [
            [OutCell(self.banner, "banner")],
            [OutCell(self.title, "title")],
            [],
            [OutCell(h, "header") if h else OutCell(None) for h in self.header],
        ]
        out.extend(list(r) for r in self.rows)
        if self.notes:
            out.append([])
            out.extend([OutCell(n, "muted")] for n in self.notes)
        return out


MARKER = "Généré par sheets-sync"


def is_generated(first_cell: CellValue) -> bool:
    """A tab whose A1 carries our marker is ours to replace."""
    return isinstance(first_cell, str) and first_cell.startswith(MARKER)
