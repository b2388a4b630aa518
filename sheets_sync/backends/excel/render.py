"""Render generated tabs as an .xlsx package with xlsxwriter (nothing else in it).

The package is either saved as is (a new dashboard workbook) or grafted part by part into
someone's workbook (graft). A generated tab as written::

    # Synthèse   A                                   B
    # 1          Généré par sheets-sync … (italic grey)
    # 2          Title (bold, 14 pt)
    # 3
    # 4          Header (bold, filled, wrapped)       …    ← frozen below
    # 5…         data; links internal ('Réponses'!F7) or external (mailto:, https://)
    #            charts (grid.Chart) floating over the sheet, top-left corner at their anchor

Each chart is a native Excel chart whose series read the tab's own cells, e.g. categories
'Synthèse'!$A$5:$A$9 and values 'Synthèse'!$B$5:$B$9; the values are also cached in the chart
part so a reader that does not recalculate still draws them. A chart over no row
(last_row < first_row: nothing to count yet) is not drawn; a pie shows its first series.

Every text is stored as xlsxwriter's write_string stores it (never a formula, a number or
a URL; OPTIONS also turn xlsxwriter's strings_to_* guesses off, so a stray write() could not
make one either), the sheet is protected without a password (columns and rows may still be
resized), a `hidden` tab is hidden. xlsxwriter reports what it cannot write with warnings;
they never escape from here.

Formula injection (issue #7): a text such as « =HYPERLINK(…) » or « @SUM(1+1) » typed by a
principal is written back as that text, in a string cell (t="inlineStr"), which no
spreadsheet evaluates. No apostrophe is added to the value (OWASP's advice for CSV): it would
become part of the text for every reader of the cells (openpyxl, the HTML report, a
partner's copy). Instead a text starting with = + - @, a tab or a CR (or the full-width
＝ ＋ － ＠) gets the cell style's quotePrefix, what Excel itself records when one types
'=1+1: the cell stays text even if someone later edits it and presses Enter. Links are only
internal ('Réponses'!F7, from tab names and A1 addresses) or the mailto: of « Relances »,
whose every character from input is percent-encoded (reminders.Reminder.mailto).

Speed (issue #16): a row without merge is written in one go, its XML built from the values
(_plain_row; a text or whole number's XML after its reference is worked out once per
distinct cell of a tab), and the rows xlsxwriter stores are written out by
sheet_rows.SheetRows, one f-string per cell, both to the same bytes as xlsxwriter's own
writer; merged ranges, links, rich-looking texts and a tab's last row when xlsxwriter stored
it take xlsxwriter's own path (tests/backends/excel/test_render_identity.py,
test_sheet_rows.py and test_render_tails.py).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ...cells.a1 import column_letters, from_a1
from ...cells.grid import (
    CHART_KINDS,
    STYLES,
    CellError,
    CellValue,
    Chart,
    GeneratedTab,
    Merge,
    OutCell,
)
from ...cells.layout import LINE_POINTS, PIXELS_PER_WIDTH, Geometry, geometry, print_plan
from .sheet_rows import NEEDS_XLSXWRITER, PRESERVE, SheetRows

DATE_FORMAT = "dd/mm/yyyy"
# constant_memory: rows are streamed to a temp file and every text is an inline string, so
# a grafted tab never needs the target's sharedStrings.xml (nor leaves a stale one behind).
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    "remove_timezone": True,
}
EXTERNAL = ("mailto:", "http://", "https://")
# Characters XML 1.0 cannot carry: dropped, as the previous openpyxl rendering did; a lone
# surrogate (a Google Sheets reply can carry one) too: UTF-8 cannot encode it.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

# The value types _plain_row stores itself; a longer text may be cut by xlsxwriter.
_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime, dt.time})
SHORT_TEXT = 32_767 // 2
_FLOAT_BITS = 1023  # a longer int may not fit a float: _write_number's OverflowError, at once
_NUMBERS = frozenset({int, float, bool, type(None)})  # no number format of their own
TAILS_MAX = 1 << 16  # cells whose XML _plain_row remembers, per tab and kind of row
# the value types whose cells it remembers: equal values of other types (1.0, True, a date
# and time at midnight) are never equal keys to these
_REMEMBERED = frozenset({str, int, dt.date})

_GREY = "#808080"
_PROPERTIES: dict[str, dict[str, Any]] = {
    "header": {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"},
    "banner": {"italic": True, "font_color": _GREY},
    "title": {"bold": True, "font_size": 14},
    "ok": {"font_color": "#006100", "bg_color": "#C6EFCE"},
    "error": {"font_color": "#9C0006", "bg_color": "#FFC7CE"},
    "warning": {"font_color": "#9C5700", "bg_color": "#FFEB9C"},
    "muted": {"italic": True, "font_color": _GREY},
    "wrap": {"text_wrap": True, "valign": "top"},
    "percent": {"num_format": "0 %"},
    "integer": {"num_format": "0"},  # no grouping: a C-locale viewer would show « 1,234 »
    "date": {"num_format": DATE_FORMAT},
}
_LINK = {"font_color": "#0563C1", "underline": 1}
# A text a spreadsheet would read as a formula if it were typed again (see the docstring).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_FORMULA_FIRST = frozenset(FORMULA_START)  # each one character: text[:1] in it, faster


def date_format(value: dt.date | dt.time) -> str:
    """French-looking formats for a date, a date with its time, a time."""
    if isinstance(value, dt.time):
        return "hh:mm"
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        return f"{DATE_FORMAT} hh:mm"
    return DATE_FORMAT


def display_text(value: CellValue) -> str:
    """The text a cell shows for `value`, as a string (links show their cell's value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return ILLEGAL.sub("", str(value))


_Key = tuple[str | None, str, bool, bool, bool, bool]


class _Formats:
    """One xlsxwriter Format per (style, number format, link) actually used.

    Formats are numbered in the order of their first use (cells ask in reading order); the
    properties of a key are worked out the first time it is seen only."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.cache: dict[_Key, Format | None] = {}
        self.xf: dict[Format, str] = {}  # ' s="N"' by format, for SheetRows
        # by style, the format of (style, "", False, False, False, top), in rows `top` or not:
        # most cells of a plain row (_plain_row)
        self.simple: tuple[dict[str | None, Format | None], ...] = ({}, {})

    def get(
        self, style: str | None, value: CellValue, link: bool, quoted: bool = False,
        wrap: bool = False, top: bool = False,
    ) -> Format | None:
        return self.of((style, _number(style, value), link, quoted, wrap, top))

    def of(self, key: _Key) -> Format | None:
        """The format for key: (style, number format or "", link, quoted, wrap, top)."""
        try:
            return self.cache[key]
        except KeyError:
            pass
        style, number, link, quoted, wrap, top = key
        if style is not None and style not in STYLES:
            raise ValueError(f"unknown style: {style!r}")
        props = dict(_PROPERTIES.get(style or "", {}))
        if wrap:  # a text wider than its column, or a note merged across its block
            props.update(text_wrap=True, valign="top")
        if top:  # a row taller than a line: every cell starts at its top
            props["valign"] = "top"
        if number:
            props["num_format"] = number
        if link:
            props.update(_LINK)
        if quoted:
            props["quote_prefix"] = True
        made = self.cache[key] = self.book.add_format(props) if props else None
        return made


def _number(style: str | None, value: CellValue) -> str:
    """The number format a date or time takes when its style has none ("" otherwise)."""
    if isinstance(value, (dt.date, dt.time)) and "num_format" not in _PROPERTIES.get(
        style or "", {}
    ):
        return date_format(value)
    return ""


def _raw(text: str) -> bool:
    """xlsxwriter copies such a string into the XML unescaped, as if it were a rich string."""
    return text.startswith("<r>") and text.endswith("</r>")


def _write_text(rows: SheetRows, row: int, col: int, text: str, fmt: Format | None) -> None:
    if _raw(text):
        # three plain runs show the same text, escaped
        pieces: list[Any] = [text[0], text[1], text[2:]]
        rows.sheet.write_rich_string(row, col, *pieces, *([fmt] if fmt is not None else []))
    else:
        rows.advance(row, col)
        rows.sheet._write_string(row, col, text, fmt)


def _write_link(rows: SheetRows, row: int, col: int, out: OutCell, fmt: Format | None) -> None:
    link = out.link or ""
    text = display_text(out.value) or link
    url = link if link.startswith(EXTERNAL) else f"internal:{link}"
    # Excel's limits (URL length, links per sheet) make xlsxwriter skip the link: the text
    # is then written alone.
    if _raw(text):
        _write_text(rows, row, col, text, fmt)
        return
    rows.advance(row, col)
    if rows.sheet._write_url(row, col, url, fmt, text) < 0:
        _write_text(rows, row, col, text, fmt)


def _write_cell(rows: SheetRows, formats: _Formats, row: int, col: int, out: OutCell,
                wrap: bool = False, top: bool = False) -> None:
    """Write one cell at 0-based (row, col): what sheet.write_*() would store, stored with
    xlsxwriter's undecorated methods once `rows` has written the previous row."""
    value, style, link = out
    sheet = rows.sheet
    if type(value) is str:  # most cells: a text, written once and styled by its first char
        text = value if value.isprintable() else ILLEGAL.sub("", value)
        fmt = formats.of((style, "", bool(link), text.startswith(FORMULA_START), wrap, top))
        if link:
            _write_link(rows, row, col, out, fmt)
        elif not text:
            if fmt is not None:
                rows.advance(row, col)
                sheet._write_blank(row, col, None, fmt)
        elif text.startswith("<r>") and text.endswith("</r>"):
            _write_text(rows, row, col, text, fmt)
        else:
            rows.advance(row, col)
            sheet._write_string(row, col, text, fmt)
        return
    quoted = isinstance(value, str) and display_text(value).startswith(FORMULA_START)
    fmt = formats.of((style, _number(style, value), bool(link), quoted, wrap, top))
    if link:
        _write_link(rows, row, col, out, fmt)
    elif isinstance(value, bool):
        rows.advance(row, col)
        sheet._write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        rows.advance(row, col)
        sheet._write_number(row, col, value, fmt)
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        rows.advance(row, col)
        sheet._write_datetime(row, col, value, fmt)
    elif isinstance(value, (str, CellError)):
        text = display_text(value)
        if text:
            _write_text(rows, row, col, text, fmt)
        elif fmt is not None:
            rows.advance(row, col)
            sheet._write_blank(row, col, None, fmt)
    elif fmt is not None:
        rows.advance(row, col)
        sheet._write_blank(row, col, None, fmt)


def _plain_row(rows: SheetRows, formats: _Formats, row: int, cells: Sequence[OutCell],
               wraps: set[int], top: bool, tails: dict[OutCell, str] | None = None) -> bool:
    """Write a row without merge at once, its XML built from the values, to the bytes
    _write_cell would make xlsxwriter write one cell at a time.

    False when a cell needs _write_cell (a link, an error, a text that looks rich or is very
    long, a NaN, any other type) or when the row is not a later one (xlsxwriter then refuses
    its cells): nothing of the row is written then, and _write_cell writes it all again.
    Formats are asked for in the same order, and numbered (xf) in the order of the cells
    stored once the previous row is written, as xlsxwriter numbers them.

    `tails`: a text, whole-number or date cell's XML after its reference, by cell (one dict
    per `top`: its format depends on it), for the cells that do not wrap; "" for a cell not
    stored. A column repeats its values: each is worked out once (per tab), as long as the
    dict holds fewer than TAILS_MAX."""
    sheet = rows.sheet
    if len(cells) > sheet.xls_colmax or not rows.direct(row):
        return False
    xf = rows.xf
    cache = formats.cache
    simple = formats.simple[top]
    row_number = str(row + 1)
    letters = rows.letters_to(len(cells))
    out: list[str] = []
    first = last = -1
    if tails is None or len(tails) >= TAILS_MAX:
        learn: dict[OutCell, str] = {}  # what is learnt is forgotten
        tails = tails or learn
    else:
        learn = tails
    for col, cell in enumerate(cells):
        value: Any = cell[0]  # narrowed by `kind`, which mypy does not follow
        kind = type(value)
        wrap = col + 1 in wraps
        if kind in _REMEMBERED and not wrap:  # 1.0, True, a datetime: never looked for
            tail = tails.get(cell)
            if tail is not None:
                if tail:
                    if first < 0:  # the row stores a cell: the row before is written first
                        first = col
                        rows.flush(row)
                    last = col
                    out.append(f'<c r="{letters[col]}{row_number}"{tail}')
                continue
        _, style, link = cell
        if link or kind not in _PLAIN:
            return False
        if kind is str:
            # most texts are printable: no control character, and no space but " "
            printable = value.isprintable()
            if printable:
                text = value
                plain = "&" not in text and "<" not in text and ">" not in text and (
                    "_x" not in text)
            else:
                text = ILLEGAL.sub("", value)
                plain = NEEDS_XLSXWRITER.search(text) is None
            quoted = text[:1] in _FORMULA_FIRST
            if quoted or wrap:
                key: _Key = (style, "", False, quoted, wrap, top)
                fmt = cache[key] if key in cache else formats.of(key)
            elif style in simple:
                fmt = simple[style]
            else:
                fmt = simple[style] = formats.of((style, "", False, False, False, top))
            if len(text) > SHORT_TEXT or (not plain and _raw(text)):
                return False
            if not text and fmt is None:
                if not wrap:
                    learn[cell] = ""
                continue
        else:
            if kind in _NUMBERS and not wrap:
                if style in simple:
                    fmt = simple[style]
                else:
                    fmt = simple[style] = formats.of((style, "", False, False, False, top))
            else:
                key = (style, _number(style, value), False, False, wrap, top)
                fmt = cache[key] if key in cache else formats.of(key)
            if kind is int and value.bit_length() > _FLOAT_BITS:
                return False  # _write_number refuses it at once, as before
            if kind is float and not math.isfinite(value):
                return False
            if value is None and fmt is None:
                continue
            if fmt is None and kind is not int and kind is not float and kind is not bool:
                fmt = sheet.default_date_format  # a date, a date and time, a time
        if first < 0:  # the row stores a cell: the row before is written first
            first = col
            rows.flush(row)
        last = col
        s = "" if fmt is None else xf.get(fmt) or rows.style(fmt)
        if kind is str:
            if not text:
                tail = f"{s}/>"
            elif plain:
                if printable:
                    space = PRESERVE if text[0] == " " or text[-1] == " " else ""
                else:
                    space = PRESERVE if text[0].isspace() or text[-1].isspace() else ""
                tail = f'{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'
            else:
                out.append(rows.escaped(row, col, text, fmt))
                continue
            if not wrap:
                learn[cell] = tail
            out.append(f'<c r="{letters[col]}{row_number}"{tail}')
            continue
        ref = letters[col] + row_number
        if kind is int or kind is float:
            if kind is int and not wrap:
                tail = learn[cell] = f"{s}><v>{value:.16G}</v></c>"
                out.append(f'<c r="{ref}"{tail}')
            else:
                out.append(f'<c r="{ref}"{s}><v>{value:.16G}</v></c>')
        elif kind is bool:
            out.append(f'<c r="{ref}"{s} t="b"><v>{1 if value else 0}</v></c>')
        elif value is None:
            out.append(f'<c r="{ref}"{s}/>')
        elif kind is dt.date and not wrap:
            tail = learn[cell] = f"{s}><v>{sheet._convert_date_time(value):.16G}</v></c>"
            out.append(f'<c r="{ref}"{tail}')
        else:
            out.append(f'<c r="{ref}"{s}><v>{sheet._convert_date_time(value):.16G}</v></c>')
    if first >= 0:
        rows.put_row(row, first, last, out)
    return True


def sheet_ref(name: str) -> str:
    """A tab name as a formula writes it, always quoted: 'Synthèse', 'L''été'."""
    return "'" + name.replace("'", "''") + "'"


def column_range(sheet: str, col: int, first_row: int, last_row: int) -> str:
    """'Synthèse'!$A$5:$A$9 for 1-based column 1, rows 5 to 9."""
    letters = column_letters(col)
    return f"{sheet_ref(sheet)}!${letters}${first_row}:${letters}${last_row}"


def _column_values(tab: GeneratedTab | None, chart: Chart, col: int, numbers: bool) -> Any:
    """What the chart's cells hold, for its cache: numbers (else None) or texts.

    None when the source tab is not rendered here (an input tab of the target workbook).
    """
    if tab is None:
        return None
    rows = tab.as_rows()
    out: list[Any] = []
    for r in range(chart.first_row, chart.last_row + 1):
        row = rows[r - 1] if r <= len(rows) else []
        value = row[col - 1].value if col <= len(row) else None
        if numbers:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            out.append(value if ok else None)
        else:
            out.append(display_text(value))
    return out


def _literal(text: str) -> str:
    """A chart title or series name xlsxwriter would read as a formula gets a leading space."""
    text = ILLEGAL.sub("", text)
    return f" {text}" if text.startswith("=") else text


def round_step(top: float, most: int = 10) -> int:
    """The major unit of a count axis: 1, 2, 5, 10, 20, 50… so that at most `most`
    gridlines cover 0..top."""
    step = 1
    while top / step > most:
        step = _next_step(step)
    return step


def _next_step(step: int) -> int:
    digits = str(step)
    lead, zeros = int(digits[0]), len(digits) - 1
    return int({1: 2, 2: 5, 5: 10}[lead] * 10**zeros)


def _count_axis(values: Sequence[Any] | None) -> dict[str, Any]:
    """A value axis for counts: from 0, whole numbers, a round major unit."""
    numbers = [v for v in values or () if isinstance(v, (int, float))]
    top = max(numbers, default=0)
    axis: dict[str, Any] = {"min": 0, "num_format": "0", "major_gridlines": {"visible": True}}
    if all(float(v).is_integer() for v in numbers):
        step = round_step(top)
        axis["major_unit"] = step
        axis["max"] = max(step, math.ceil(top / step) * step)
    return axis


def add_chart(
    book: Workbook, sheet: Worksheet, tab: GeneratedTab, chart: Chart, source: GeneratedTab | None,
    size: tuple[int, int] | None = None,
) -> bool:
    """Insert one native chart in `sheet` (`size`: its frame in pixels, from the layout);
    False when it has no row to draw.

    Counts read right: a value axis from 0 in whole numbers with a round major unit, every
    category labelled, horizontal bars listed top-down in the table's order; the chart has
    an alternative text."""
    if chart.kind not in CHART_KINDS:
        raise ValueError(f"unknown chart kind: {chart.kind!r}")
    if chart.last_row < chart.first_row or not chart.series:
        return False
    name = chart.sheet if chart.sheet is not None else tab.name
    row, col = from_a1(chart.anchor)
    made = book.add_chart({"type": chart.kind})
    if made is None:
        raise ValueError(f"chart kind refused by xlsxwriter: {chart.kind!r}")
    categories = column_range(name, chart.categories, chart.first_row, chart.last_row)
    labels = _column_values(source, chart, chart.categories, numbers=False)
    series = chart.series[:1] if chart.kind == "pie" else chart.series
    values: list[Any] = []
    for item in series:
        options: dict[str, Any] = {
            "name": _literal(item.name),
            "categories": f"={categories}",
            "values": f"={column_range(name, item.column, chart.first_row, chart.last_row)}",
        }
        if labels is not None:
            options["categories_data"] = labels
            options["values_data"] = _column_values(source, chart, item.column, numbers=True)
            values.extend(options["values_data"])
        made.add_series(options)
    made.set_title({"name": _literal(chart.title), "name_font": {"size": 12, "bold": True}})
    made.set_legend({"position": "right" if chart.kind == "pie" else "bottom"}
                    if len(series) > 1 or chart.kind == "pie" else {"none": True})
    if chart.kind != "pie":
        value_axis = _count_axis(values if labels is not None else None)
        category_axis: dict[str, Any] = {"interval_unit": 1, "num_font": {"size": 9}}
        if chart.kind == "bar":  # the value axis is horizontal; first category on top
            category_axis.update(reverse=True, crossing="max")  # values axis at the bottom
            made.set_x_axis(value_axis)
            made.set_y_axis(category_axis)
        else:
            made.set_x_axis(category_axis)
            made.set_y_axis(value_axis)
    if size is not None:
        made.set_size({"width": size[0], "height": size[1]})
    sheet.insert_chart(row - 1, col - 1, made,
                       {"description": _literal(chart.alt_text()), "object_position": 1})
    return True


def _page_setup(sheet: Worksheet, tab: GeneratedTab, geo: Geometry) -> None:
    """Printed on A4 landscape, one page wide; a footer with the tab's title (the tab and the
    campaign), when it was generated and the page; no gridlines, zoom 90 % on screen.

    The header rows (tab.print_rows) are repeated on each printed page: that is a
    _xlnm.Print_Titles defined name in workbook.xml, which the graft carries along."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    plan = print_plan(tab, geo)
    if plan.breaks:  # Excel ignores manual page breaks under « fit to »: the scale is ours
        sheet.set_print_scale(plan.scale)
        sheet.set_h_pagebreaks([r - 1 for r in plan.breaks])  # before these 1-based rows
    else:
        sheet.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    generated = tab.banner.split(" — ")[0]
    footer = (f"&L&8{_footer_text(tab.title, 100)}"
              f"&R&8{_footer_text(generated, 60)} — page &P / &N")
    sheet.set_footer(footer)
    sheet.hide_gridlines(2)  # neither on screen nor printed
    sheet.set_zoom(90)
    if tab.print_rows is not None and not tab.hidden:
        sheet.repeat_rows(tab.print_rows[0] - 1, tab.print_rows[1] - 1)
    placed = [c for c in tab.charts if c.rows and c.cols]
    if placed and not tab.hidden:  # a reader that prints only the cells would cut the charts
        ends = [(r + c.rows - 1, col + c.cols - 1)
                for c in placed for r, col in [from_a1(c.anchor)]]
        rows = max([len(geo.heights)] + [r for r, _ in ends])  # a height per row written
        cols = max([len(tab.widths), *(len(r) for r in tab.rows)] + [c for _, c in ends])
        sheet.print_area(0, 0, rows - 1, cols - 1)


def _footer_text(text: str, limit: int) -> str:
    """Plain text for a header/footer section: « & » doubled (it starts a code), cut short
    (Excel refuses a footer over 255 characters)."""
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return short.replace("&", "&&")


def render_tab(
    book: Workbook,
    formats: _Formats,
    tab: GeneratedTab,
    tabs: dict[str, GeneratedTab] | None = None,
) -> Worksheet:
    """Add one generated tab to an xlsxwriter workbook (`tabs`: the package's, by name, whose
    values the charts cache)."""
    sheet = book.add_worksheet(tab.name)
    geo = geometry(tab)
    for c, width in enumerate(geo.widths[: max(len(tab.widths), _charted(tab))]):
        # the width stored as given, as the openpyxl rendering did (xlsxwriter's set_column
        # would add Excel's 5-pixel padding to it)
        sheet.set_column_pixels(c, c, round(width * PIXELS_PER_WIDTH))
    _write_rows(SheetRows(sheet, formats.xf), formats, tab, geo)
    sheet.freeze_panes(GeneratedTab.HEADER_ROW, 0)
    _page_setup(sheet, tab, geo)
    # No password: Excel warns before an edit; widening a column stays allowed.
    sheet.protect("", {"format_columns": True, "format_rows": True})
    if tab.hidden:
        sheet.hide()
    known = tabs if tabs is not None else {tab.name: tab}
    for chart, size in zip(tab.charts, geo.charts, strict=True):
        source = known.get(chart.sheet if chart.sheet is not None else tab.name)
        add_chart(book, sheet, tab, chart, source, size if chart.rows else None)
    return sheet


def _charted(tab: GeneratedTab) -> int:
    """Columns up to the last one under a chart the layout placed (their widths are set)."""
    return max([from_a1(c.anchor)[1] + c.cols - 1 for c in tab.charts if c.cols] + [0])


def _write_rows(rows: SheetRows, formats: _Formats, tab: GeneratedTab, geo: Geometry) -> None:
    """Every row in order (constant_memory): its height first (a reader that does not fit
    rows itself, LibreOffice, then shows every line), merged ranges, then its cells.

    Wrapped cells and merges are looked up per row (most rows have neither)."""
    wrapped: dict[int, set[int]] = {}
    for r, c in geo.wrapped:
        wrapped.setdefault(r, set()).add(c)
    starts: dict[int, dict[int, Merge]] = {}
    for m in geo.merges:
        starts.setdefault(m.first_row, {})[m.first_col] = m
    hidden: dict[int, set[int]] = {}  # the cells a merge covers, after its first
    nothing: set[int] = set()
    tails: tuple[dict[OutCell, str], dict[OutCell, str]] = ({}, {})  # by `tall`: _plain_row
    sheet = rows.sheet
    for r, row in enumerate(tab.as_rows(), start=1):
        height = geo.heights[r - 1]
        tall = height > LINE_POINTS and r > 2
        if height != LINE_POINTS:
            sheet.set_row(r - 1, height)
        wraps = wrapped.get(r, nothing)
        merged = starts.get(r)
        covered = hidden.pop(r, None)
        if merged is None and not covered and _plain_row(rows, formats, r - 1, row, wraps, tall,
                                                         tails[tall]):
            continue
        if covered is None:
            covered = set()
        for c, out in enumerate(row, start=1):
            if c in covered:
                continue
            wrap = c in wraps
            merge = merged.get(c) if merged else None
            if merge is not None:
                value = out.value
                text = display_text(value) if isinstance(value, str) else ""
                fmt = formats.get(out.style, value, False, text.startswith(FORMULA_START), wrap,
                                  tall)
                sheet.merge_range(r - 1, c - 1, merge.last_row - 1, merge.last_col - 1, "", fmt)
                cols = range(merge.first_col, merge.last_col + 1)
                covered.update(cols)
                for rr in range(r + 1, merge.last_row + 1):
                    hidden.setdefault(rr, set()).update(cols)
            _write_cell(rows, formats, r - 1, c - 1, out, wrap, tall)


def render_package(tabs: Sequence[GeneratedTab]) -> bytes:
    """An .xlsx package holding the generated tabs, in order; the first visible one active."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, OPTIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            formats = _Formats(book)
            by_name = {tab.name: tab for tab in tabs}
            sheets = [render_tab(book, formats, tab, by_name) for tab in tabs]
            visible = [s for s, t in zip(sheets, tabs, strict=True) if not t.hidden]
            if visible:
                visible[0].activate()
        finally:
            book.close()  # always: an unclosed workbook leaks its temporary files
    return output.getvalue()
