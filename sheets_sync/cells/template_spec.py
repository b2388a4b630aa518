"""What an annex n°1 template says, as plain data: built by `form.template`, written by a backend.

A `Workbook` (Excel) holds `Table`s or a `Fiche`, then a `Guide`; Google Sheets gets `Table`s
only. Everything a principal reads (headers, notes, messages, formulas) is already composed
here; a backend only chooses how to write it (xlsxwriter options, Sheets requests).
Columns are 1-based and formulas use A1 addresses, as the principal sees them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Literal


class Entry(Enum):
    """How an answer cell is typed (its number format)."""

    TEXT = "text"  # wrapped text
    LINE = "line"
    CHOICE = "choice"
    COUNT = "count"  # whole number
    DATE = "date"
    EMAIL = "email"
    PHONE = "phone"  # text, so that a leading 0 survives


class Check(Enum):
    """A data validation, in neutral form; each backend writes it in its own dialect."""

    LIST = "list"  # one of `choices`
    WHOLE = "whole"  # a whole number from `low` to `high`
    LINE = "line"  # one line of `high` characters at most
    DATE = "date"  # a date (from `dates[0]` to `dates[1]` where the medium can say so)
    EMAIL = "email"
    LENGTH = "length"  # `high` characters at most
    ANY = "any"  # no check: the prompt only


@dataclass(frozen=True)
class Rule:
    """The validation of a column's answer cells, with what the principal is told."""

    check: Check
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = 0
    dates: tuple[dt.date, dt.date] | None = None
    strict: bool = True  # False: a warning the principal may override
    prompt_title: str = ""  # shown when a cell is selected
    prompt: str = ""
    error_title: str = ""  # shown when a value is refused
    error: str = ""


@dataclass(frozen=True)
class Column:
    """One question: its header, how its answers are typed and checked."""

    key: str
    header: str
    width: int  # in characters
    entry: Entry
    fill: str  # header background, "1F4E78"
    ink: str  # header text colour
    rule: Rule | None
    note: str = ""  # the header's note, where the medium shows one


@dataclass(frozen=True)
class Highlight:
    """Colour the columns `first`…`last` of a row where `formula` (written for row 2) holds."""

    first: int
    last: int
    formula: str
    what: str  # what the highlight is about, for error messages


@dataclass(frozen=True)
class Status:
    """The locked « Statut » column after the questions: one live formula per prepared row."""

    header: str
    fill: str
    ink: str
    width: int
    formulas: tuple[str, ...]  # rows 2, 3, …
    complete: str  # the value shown when nothing is missing
    note: str  # the header's note
    lock_note: str  # why the column is protected


@dataclass(frozen=True)
class Table:
    """A tab with one header row, then one row per answer (or per ambassador)."""

    tab: str
    columns: tuple[Column, ...]
    rows: int  # prepared answer rows, after the header
    values: tuple[tuple[object, ...], ...]  # pre-filled rows, one value per column
    highlights: tuple[Highlight, ...]
    status: Status | None
    lock_note: str  # why the header is protected


@dataclass(frozen=True)
class FicheRow:
    """One question of a fiche: label in column A, answer in column B."""

    column: Column
    value: object
    missing: str | None  # formula colouring the answer while it is missing


@dataclass(frozen=True)
class Fiche:
    """One school on a vertical form: the title in A1, then one row per question."""

    tab: str
    title: str
    widths: tuple[int, int]
    rows: tuple[FicheRow, ...]


GuideLine = tuple[Literal["title", "heading", "paragraph"], str]


@dataclass(frozen=True)
class Guide:
    """The « Mode d'emploi » tab: one paragraph per row."""

    tab: str
    lines: tuple[GuideLine, ...]


@dataclass(frozen=True)
class Workbook:
    """A whole template workbook: its properties, its answer tabs, its guide."""

    title: str
    comments: str
    sheets: tuple[Table | Fiche, ...]
    guide: Guide
