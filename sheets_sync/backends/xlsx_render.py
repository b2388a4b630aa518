"""Render generated tabs as an .xlsx package with xlsxwriter (nothing else in it).

The package is either saved as is (a new dashboard workbook) or grafted part by part into
someone's workbook (xlsx_graft). A generated tab as written::

    # Synthèse   A                                   B
    # 1          Généré par sheets-sync … (italic grey)
    # 2          Title (bold, 14 pt)
    # 3
    # 4          Header (bold, filled, wrapped)       …    ← frozen below
    # 5…         data; links internal ('Réponses'!F7) or external (mailto:, https://)

Every text is written with write_string (never a formula, a number or a URL), the sheet is
protected without a password (columns and rows may still be resized), a `hidden` tab is
hidden. xlsxwriter reports what it cannot write with warnings; they never escape from here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..grid import STYLES, CellError, CellValue, GeneratedTab, OutCell

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
# Characters XML 1.0 cannot carry: dropped, as the previous openpyxl rendering did.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

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
    "integer": {"num_format": "0"},
    "date": {"num_format": DATE_FORMAT},
}
_LINK = {"font_color": "#0563C1", "underline": 1}


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


class _Formats:
    """One xlsxwriter Format per (style, number format, link) actually used."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.cache: dict[tuple[str, str, bool], Format | None] = {}

    def get(self, style: str | None, value: CellValue, link: bool) -> Format | None:
        if style is not None and style not in STYLES:
            raise ValueError(f"unknown style: {style!r}")
        number = ""
        if "num_format" not in _PROPERTIES.get(style or "", {}) and isinstance(
            value, (dt.date, dt.time)
        ):
            number = date_format(value)
        key = (style or "", number, link)
        if key not in self.cache:
            props = dict(_PROPERTIES.get(style or "", {}))
            if number:
                props["num_format"] = number
            if link:
                props.update(_LINK)
            self.cache[key] = self.book.add_format(props) if props else None
        return self.cache[key]


def _raw(text: str) -> bool:
    """xlsxwriter copies such a string into the XML unescaped, as if it were a rich string."""
    return text.startswith("<r>") and text.endswith("</r>")


def _write_text(sheet: Worksheet, row: int, col: int, text: str, fmt: Format | None) -> None:
    if _raw(text):
        # three plain runs show the same text, escaped
        pieces: list[Any] = [text[0], text[1], text[2:]]
        sheet.write_rich_string(row, col, *pieces, *([fmt] if fmt is not None else []))
    else:
        sheet.write_string(row, col, text, fmt)


def _write_link(sheet: Worksheet, row: int, col: int, out: OutCell, fmt: Format | None) -> None:
    link = out.link or ""
    text = display_text(out.value) or link
    url = link if link.startswith(EXTERNAL) else f"internal:{link}"
    # Excel's limits (URL length, links per sheet) make xlsxwriter skip the link: the text
    # is then written alone.
    if _raw(text) or sheet.write_url(row, col, url, fmt, string=text) < 0:
        _write_text(sheet, row, col, text, fmt)


def _write_cell(sheet: Worksheet, formats: _Formats, row: int, col: int, out: OutCell) -> None:
    """Write one cell at 0-based (row, col)."""
    value = out.value
    fmt = formats.get(out.style, value, bool(out.link))
    if out.link:
        _write_link(sheet, row, col, out, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        sheet.write_datetime(row, col, value, fmt)
    elif isinstance(value, (str, CellError)):
        text = display_text(value)
        if text:
            _write_text(sheet, row, col, text, fmt)
        elif fmt is not None:
            sheet.write_blank(row, col, None, fmt)
    elif fmt is not None:
        sheet.write_blank(row, col, None, fmt)


def render_tab(book: Workbook, formats: _Formats, tab: GeneratedTab) -> Worksheet:
    """Add one generated tab to an xlsxwriter workbook."""
    sheet = book.add_worksheet(tab.name)
    for r, row in enumerate(tab.as_rows()):
        for c, out in enumerate(row):
            _write_cell(sheet, formats, r, c, out)
    for c, width in enumerate(tab.widths):
        # the width stored as given, as the openpyxl rendering did (xlsxwriter's set_column
        # would add Excel's 5-pixel padding to it)
        sheet.set_column_pixels(c, c, round(width * 7))
    sheet.freeze_panes(GeneratedTab.HEADER_ROW, 0)
    # No password: Excel warns before an edit; widening a column stays allowed.
    sheet.protect("", {"format_columns": True, "format_rows": True})
    if tab.hidden:
        sheet.hide()
    return sheet


def render_package(tabs: Sequence[GeneratedTab]) -> bytes:
    """An .xlsx package holding the generated tabs, in order; the first visible one active."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, OPTIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        formats = _Formats(book)
        sheets = [render_tab(book, formats, tab) for tab in tabs]
        visible = [s for s, t in zip(sheets, tabs, strict=True) if not t.hidden]
        if visible:
            visible[0].activate()
        book.close()
    return output.getvalue()
