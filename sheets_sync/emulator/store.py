"""Every spreadsheet the emulator holds, by id, and how a new one is made.

A new spreadsheet is Google's: one empty "Sheet1" (sheetId 0, 1000 x 26), or one tab per
entry of preloaded plain values (dates become serials with a DATE format, as in Sheets).
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Mapping, Sequence
from typing import Any

from . import cells
from .errors import ApiError, not_found, permission_denied
from .model import DEFAULT_COLUMNS, DEFAULT_ROWS, Spreadsheet, default_properties


def now_stamp() -> str:
    """An RFC 3339 UTC time with milliseconds, as Drive prints it."""
    moment = dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


Tabs = Mapping[str, Sequence[Sequence[object]]]


class Store:
    """Every spreadsheet the emulator holds, by id; ids of "private" files answer 403."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.private: set[str] = set()

    def new_spreadsheet_id(self) -> str:
        alphabet = string.ascii_letters + string.digits + "-_"
        while True:
            key = "1" + "".join(self.rng.choice(alphabet) for _ in range(43))
            if key not in self.spreadsheets:
                return key

    def create(
        self, title: str, tabs: Tabs | None = None, spreadsheet_id: str | None = None,
        locale: str = "en_US",
    ) -> Spreadsheet:
        """A new file: one empty "Sheet1" (sheetId 0), or one tab per entry of `tabs`.

        `locale` (« fr_FR ») is the syntax its formulas are parsed in (`formulas`).
        """
        key = spreadsheet_id or self.new_spreadsheet_id()
        stamp = now_stamp()
        book = Spreadsheet(
            key,
            {**default_properties(title), "locale": locale},
            [],
            random.Random(self.rng.getrandbits(64)),
            stamp,
            stamp,
        )
        if not tabs:
            book.add_sheet("Sheet1", sheet_id=0)
        for position, (name, rows) in enumerate(tabs.items() if tabs else ()):
            width = max((len(r) for r in rows), default=0)
            sheet = book.add_sheet(
                name,
                max(DEFAULT_ROWS, len(rows)),
                max(DEFAULT_COLUMNS, width),
                0 if position == 0 else None,
            )
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    user_value, number_format = cells.from_python(value)
                    data: dict[str, Any] = {"userEnteredValue": user_value}
                    if number_format:
                        data["userEnteredFormat"] = {"numberFormat": number_format}
                    sheet.put(r, c, data)
        self.spreadsheets[key] = book
        return book

    def get(self, spreadsheet_id: str) -> Spreadsheet:
        if spreadsheet_id in self.private:
            raise permission_denied()
        book = self.spreadsheets.get(spreadsheet_id)
        if book is None:
            raise not_found()
        return book

    def commit(self, book: Spreadsheet) -> None:
        """Replace a spreadsheet by its updated copy (all-or-nothing writes)."""
        book.modified = now_stamp()
        self.spreadsheets[book.spreadsheet_id] = book

    def delete(self, spreadsheet_id: str) -> None:
        if self.spreadsheets.pop(spreadsheet_id, None) is None:
            raise ApiError(404, f"File not found: {spreadsheet_id}.")
