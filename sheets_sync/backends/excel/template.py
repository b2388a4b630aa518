"""Write an annex n°1 template (`cells.template_spec.Workbook`) as an .xlsx workbook.

What the template says (columns, rules, messages, highlights, the guide) is composed by
`form.template`; this module only lays it out with xlsxwriter:

    # Réponses  A                                   B                            … P
    # 1         header (locked, frozen, filled by need)                          Statut
    # 2…301     prepared rows: validations, input messages, highlighting, live status

Row 1 of a table is frozen and locked, everything else is unlocked; a fiche locks its labels
(column A) and title (row 1). Sheets are protected without a password.

Only features openpyxl keeps on load/save are used (inline lists, no x14 extensions, no
images), since the sync later opens the filled workbook with openpyxl. The output is
deterministic: same input, byte-identical file (fixed creation date, fixed zip timestamps).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import DuplicateWorksheetName, InvalidWorksheetName

from ...cells.a1 import to_a1
from ...cells.template_spec import Check, Column, Entry, Fiche, Guide, Rule, Table, Workbook
from ...errors import ConfigError, SheetsSyncError
from ..files.os_reasons import reason

__all__ = ["write_template"]

AUTHOR = "sheets-sync"
CREATED = dt.datetime(2021, 1, 1)  # fixed, so that regenerated templates are byte-identical
_PROTECTION = {
    "format_columns": True,
    "format_rows": True,
    "insert_rows": True,
    "sort": True,
    "autofilter": True,
}
# Control characters mean nothing in a cell and would be stored as _xHHHH_ escapes, which
# openpyxl does not decode; line ends become Excel's own line break (LF).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def write_template(path: Path, template: Workbook) -> None:
    """Write `template` to `path`: the file is replaced whole, or not at all.

    Text is always written as text, never as a formula.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "remove_timezone": True,
        },
    )
    book.set_properties(
        {
            "title": template.title,
            "author": AUTHOR,
            "created": CREATED,
            "comments": template.comments,
        }
    )
    styles = _Styles(book)
    for sheet in template.sheets:
        if isinstance(sheet, Table):
            _table(book, styles, sheet)
        else:
            _fiche(book, styles, sheet)
    _guide(_add_sheet(book, template.guide.tab), styles, template.guide)
    book.close()
    _replace(path, buffer.getvalue())


class _Styles:
    """The formats of one workbook, created once."""

    def __init__(self, book: Any) -> None:
        self._book = book
        self._headers: dict[tuple[str, str], Any] = {}
        base = {"valign": "top", "font_size": 10}
        self.label = book.add_format(
            {
                **base,
                "bold": True,
                "text_wrap": True,
                "locked": True,
                "border": 1,
                "bg_color": "#D9E1F2",
            }
        )
        self.title = book.add_format({"bold": True, "font_size": 14, "locked": True})
        self.heading = book.add_format({"bold": True, "font_size": 11, "font_color": "#1F4E78"})
        self.paragraph = book.add_format({"text_wrap": True, "valign": "top"})
        self.free = book.add_format({"locked": False})
        unlocked = {**base, "locked": False}
        self.data = {
            Entry.TEXT: book.add_format({**unlocked, "text_wrap": True}),
            Entry.LINE: book.add_format(unlocked),
            Entry.CHOICE: book.add_format(unlocked),
            Entry.COUNT: book.add_format({**unlocked, "num_format": "0"}),
            Entry.DATE: book.add_format({**unlocked, "num_format": "dd/mm/yyyy"}),
            Entry.EMAIL: book.add_format(unlocked),
            Entry.PHONE: book.add_format({**unlocked, "num_format": "@"}),  # keeps a leading 0
        }
        self.timestamp = book.add_format({**unlocked, "num_format": "dd/mm/yyyy hh:mm"})
        self.missing = book.add_format({"bg_color": "#FCE4D6", "font_color": "#9C0006"})
        self.status = book.add_format(
            {**base, "locked": True, "italic": True, "font_color": "#9C5700", "bg_color": "#F2F2F2"}
        )
        self.complete = book.add_format({"font_color": "#006100", "bg_color": "#C6EFCE"})

    def header(self, fill: str, ink: str) -> Any:
        """The header format of one fill and text colour (xlsxwriter merges equal ones)."""
        if (fill, ink) not in self._headers:
            self._headers[fill, ink] = self._book.add_format(
                {
                    "valign": "top",
                    "font_size": 10,
                    "bold": True,
                    "text_wrap": True,
                    "border": 1,
                    "bg_color": f"#{fill}",
                    "locked": True,
                    "font_color": f"#{ink}",
                }
            )
        return self._headers[fill, ink]


def _add_sheet(book: Any, name: str) -> Any:
    try:
        return book.add_worksheet(name)
    except (InvalidWorksheetName, DuplicateWorksheetName):
        raise ConfigError(
            f"Configuration : le nom d'onglet « {name} » n'est pas accepté par Excel "
            "(31 caractères au plus, sans [ ] : * ? / \\, différent des autres onglets)."
        ) from None


def _table(book: Any, styles: _Styles, table: Table) -> None:
    """A header row of labels, then one row per record; validations span the prepared rows."""
    sheet = _add_sheet(book, table.tab)
    columns = table.columns
    last = table.rows  # 0-based index of the last prepared row
    for col, c in enumerate(columns):
        sheet.set_column(col, col, c.width, styles.data[c.entry])
        sheet.write_string(0, col, c.header, styles.header(c.fill, c.ink))
        if c.rule is not None:
            options = _validation(c.rule, to_a1(2, col + 1))
            _check(sheet.data_validation(1, col, last, col, options), c.key)
    sheet.set_column(len(columns) + (1 if table.status else 0), 16383, None, styles.free)
    sheet.set_row(0, _header_height(columns))
    for row, values in enumerate(table.values, start=1):
        for col, (c, value) in enumerate(zip(columns, values, strict=True)):
            _write_value(sheet, styles, row, col, c.entry, value)
    for h in table.highlights:
        _highlight(sheet, styles, (1, h.first - 1, last, h.last - 1), h.formula, h.what)
    status = table.status
    if status:  # a locked column telling principals, as they type, what is still empty
        col = len(columns)
        sheet.set_column(col, col, status.width, styles.status)
        sheet.write_string(0, col, status.header, styles.header(status.fill, status.ink))
        for row, formula in enumerate(status.formulas, start=1):
            sheet.write_formula(row, col, formula, styles.status, "")
        sheet.conditional_format(
            1,
            col,
            last,
            col,
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{status.complete}"',
                "format": styles.complete,
            },
        )
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, last, len(columns) - 1)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.repeat_rows(0)
    sheet.protect("", _PROTECTION)


def _fiche(book: Any, styles: _Styles, fiche: Fiche) -> None:
    """One school's form: labels in column A, answers in column B, one row per field."""
    sheet = _add_sheet(book, fiche.tab)
    sheet.set_column(0, 0, fiche.widths[0], styles.label)
    sheet.set_column(1, 1, fiche.widths[1], styles.data[Entry.TEXT])
    sheet.write_string(0, 0, fiche.title, styles.title)
    sheet.set_row(0, 24)
    for row, line in enumerate(fiche.rows, start=1):  # 0-based, as xlsxwriter counts
        c = line.column
        sheet.write_string(row, 0, c.header, styles.label)
        sheet.write_blank(row, 1, None, styles.data[c.entry])
        _write_value(sheet, styles, row, 1, c.entry, line.value)
        if c.rule is not None:
            options = _validation(c.rule, to_a1(row + 1, 2))
            _check(sheet.data_validation(row, 1, row, 1, options), c.key)
        label_lines = math.ceil(len(c.header) / (fiche.widths[0] - 6))
        sheet.set_row(row, 15 * max(label_lines, 3 if c.entry is Entry.TEXT else 1) + 4)
        if line.missing is not None:
            _highlight(sheet, styles, (row, 1, row, 1), line.missing, c.key)
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.protect("", _PROTECTION)


def _highlight(
    sheet: Any, styles: _Styles, cells: tuple[int, int, int, int], criteria: str, what: str
) -> None:
    """Colour the cells (0-based first row, first col, last row, last col) where `criteria`."""
    options = {"type": "formula", "criteria": criteria, "format": styles.missing}
    _check(sheet.conditional_format(*cells, options), what)


def _validation(rule: Rule, cell: str) -> dict[str, Any]:
    """xlsxwriter's data validation for `rule`; `cell` is the range's top-left A1 address."""
    options: dict[str, Any]
    if rule.check is Check.LIST:
        options = {"validate": "list", "source": list(rule.choices)}
    elif rule.check is Check.WHOLE:
        options = {
            "validate": "integer",
            "criteria": "between",
            "minimum": rule.low,
            "maximum": rule.high,
        }
    elif rule.check is Check.LINE:
        no_break = f"ISERROR(FIND(CHAR(10),{cell})),ISERROR(FIND(CHAR(13),{cell}))"
        options = {"validate": "custom", "value": f"=AND(LEN({cell})<={rule.high},{no_break})"}
    elif rule.check is Check.DATE:
        low, high = rule.dates or (dt.date(1900, 1, 1), dt.date(9999, 12, 31))  # any date
        options = {"validate": "date", "criteria": "between", "minimum": low, "maximum": high}
    elif rule.check is Check.EMAIL:
        options = {
            "validate": "custom",
            "value": f'=AND(ISNUMBER(FIND("@",{cell})),ISERROR(FIND(" ",{cell})))',
        }
    elif rule.check is Check.LENGTH:
        options = {"validate": "length", "criteria": "<=", "value": rule.high}
    else:
        options = {"validate": "any"}
    if not rule.strict:
        options["error_type"] = "warning"
    if rule.error:
        options["error_message"] = rule.error
    options["error_title"] = rule.error_title
    options["input_title"] = rule.prompt_title
    options["input_message"] = rule.prompt
    return options


def _header_height(columns: tuple[Column, ...]) -> float:
    lines = max(math.ceil(len(c.header) * 1.1 / max(c.width - 2, 1)) for c in columns)
    return float(min(15 * lines + 4, 409))


def _write_value(
    sheet: Any, styles: _Styles, row: int, col: int, entry: Entry, value: object
) -> None:
    """Write one pre-filled value as what it is; text stays text, never a formula."""
    fmt = styles.data[entry]
    if value is None or value == "":
        return  # an empty string would count as typed (COUNTA) and start the row
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float) and math.isfinite(value):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        timed = value.time() != dt.time(0)
        day = styles.data[Entry.DATE]
        sheet.write_datetime(row, col, value, styles.timestamp if timed else day)
    elif isinstance(value, dt.date | dt.time):
        sheet.write_datetime(row, col, value, styles.data[Entry.DATE])
    else:
        text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
        if text:  # Excel keeps at most 32 767 characters
            sheet.write_string(row, col, text, fmt)


def _check(status: int, what: str) -> None:
    """xlsxwriter reports a rejected validation or format by a status code; never ignore it."""
    if status != 0:
        raise RuntimeError(f"xlsxwriter refused the option set for {what!r} (status {status})")


def _guide(sheet: Any, styles: _Styles, guide: Guide) -> None:
    sheet.set_column(0, 0, 100)
    style = {"title": styles.title, "heading": styles.heading, "paragraph": styles.paragraph}
    for row, (kind, text) in enumerate(guide.lines):
        sheet.write_string(row, 0, text, style[kind])
        if kind == "paragraph":
            sheet.set_row(row, 15 * math.ceil(len(text) / 95) + 3)
        elif kind == "title":
            sheet.set_row(row, 24)


def _replace(path: Path, content: bytes) -> None:
    """Write the whole file, or leave the old one untouched."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise SheetsSyncError(
            f"Impossible d'écrire le modèle « {path} » : {reason(exc)}."
        ) from None
