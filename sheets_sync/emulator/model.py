"""The in-memory spreadsheets the emulator serves: tabs, cells, formats, protections, charts.

Pure data and rules, no HTTP. Each `Sheet` keeps Google's own JSON shapes (SheetProperties,
CellData, ProtectedRange, EmbeddedChart) so that requests and replies need little mapping:

    Spreadsheet  spreadsheetId, properties (title, locale, timeZone…), sheets[]
    └── Sheet    properties {sheetId, title, index, sheetType, gridProperties, hidden?}
                 cells {(row0, col0): CellData}   (sparse, 0-based)
                 protected_ranges[], charts[], merges[], column_meta {col0: {pixelSize…}},
                 conditional_formats[] (ConditionalFormatRule, in priority order)

A CellData dict, once stored, is never changed in place: writers build a new dict and `put`
it. That lets `Spreadsheet.snapshot` share cells between a spreadsheet and its working copy
(all-or-nothing writes) instead of deep-copying tens of thousands of them.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import cells, formulas
from .errors import invalid_argument
from .fields import clone, parse_fields, select
from .ranges import Span, parse_cells, split_range

DEFAULT_ROWS, DEFAULT_COLUMNS = 1000, 26
_WHITE = {"red": 1, "green": 1, "blue": 1}
_THEME: list[tuple[str, dict[str, Any]]] = [
    ("TEXT", {}),
    ("BACKGROUND", _WHITE),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]


def _white() -> dict[str, Any]:
    return {"red": 1, "green": 1, "blue": 1}


def default_properties(title: str) -> dict[str, Any]:
    """Spreadsheet properties of a new file, as recorded from Google (en_US, Etc/GMT)."""
    return {
        "title": title,
        "locale": "en_US",
        "autoRecalc": "ON_CHANGE",
        "timeZone": "Etc/GMT",
        "defaultFormat": {
            "backgroundColor": _white(),
            "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
            "verticalAlignment": "BOTTOM",
            "wrapStrategy": "OVERFLOW_CELL",
            "textFormat": {
                "foregroundColor": {},
                "fontFamily": "arial,sans,sans-serif",
                "fontSize": 10,
                "bold": False,
                "italic": False,
                "strikethrough": False,
                "underline": False,
                "foregroundColorStyle": {"rgbColor": {}},
            },
            "backgroundColorStyle": {"rgbColor": _white()},
        },
        "spreadsheetTheme": {
            "primaryFontFamily": "Arial",
            "themeColors": [
                {"colorType": kind, "color": {"rgbColor": dict(rgb)}} for kind, rgb in _THEME
            ],
        },
    }


@dataclass
class Sheet:
    """One tab. `properties` is Google's SheetProperties JSON (its index is kept by the owner)."""

    properties: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    column_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    row_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def rows(self) -> int:
        return int(self.properties["gridProperties"]["rowCount"])

    @property
    def cols(self) -> int:
        return int(self.properties["gridProperties"]["columnCount"])

    @property
    def hidden(self) -> bool:
        return bool(self.properties.get("hidden", False))

    @property
    def frozen_rows(self) -> int:
        return int(self.properties["gridProperties"].get("frozenRowCount", 0))

    def put(self, row: int, col: int, data: Mapping[str, Any]) -> None:
        """Store a CellData (an empty one removes the cell)."""
        kept = {k: v for k, v in data.items() if v not in (None, {})}
        if kept:
            self.cells[(row, col)] = kept
        else:
            self.cells.pop((row, col), None)

    def grow(self, rows: int, cols: int) -> None:
        """Enlarge the grid to at least rows x cols (values writes expand it, as Google does)."""
        grid = self.properties["gridProperties"]
        grid["rowCount"] = max(self.rows, rows)
        grid["columnCount"] = max(self.cols, cols)

    def drop_outside(self) -> None:
        """Forget cells beyond the grid after a shrink."""
        for key in [k for k in self.cells if k[0] >= self.rows or k[1] >= self.cols]:
            del self.cells[key]

    def block(
        self,
        row0: int,
        col0: int,
        row_end: int,
        col_end: int,
        value_option: str = "FORMATTED_VALUE",
        date_option: str = "SERIAL_NUMBER",
        columns: bool = False,
    ) -> list[list[Any]]:
        """Rendered values of a rectangle, trailing blanks trimmed, inner blank rows as []."""
        outer = range(col0, col_end) if columns else range(row0, row_end)
        inner = range(row0, row_end) if columns else range(col0, col_end)
        out: list[list[Any]] = []
        for a in outer:
            line = []
            for b in inner:
                value = cells.render(
                    self.cells.get((b, a) if columns else (a, b)), value_option, date_option
                )
                line.append("" if value is None else value)
            while line and line[-1] == "":
                line.pop()
            out.append(line)
        while out and not out[-1]:
            out.pop()
        return out

    def values(self, value_option: str = "UNFORMATTED_VALUE") -> list[list[Any]]:
        """The whole tab's values (for tests and the command line)."""
        return self.block(0, 0, self.rows, self.cols, value_option)

    def properties_json(self, index: int) -> dict[str, Any]:
        props = copy.deepcopy(self.properties)
        props["index"] = index
        ordered: dict[str, Any] = {
            k: props.pop(k)
            for k in ("sheetId", "title", "index", "sheetType", "gridProperties")
            if k in props
        }
        ordered.update(props)
        grid = ordered["gridProperties"]
        for key in ("frozenRowCount", "frozenColumnCount"):
            if not grid.get(key):
                grid.pop(key, None)
        if not ordered.get("hidden"):
            ordered.pop("hidden", None)
        return ordered

    def grid_data(self, row0: int, col0: int, row_end: int, col_end: int) -> dict[str, Any]:
        """GridData JSON of a rectangle (Spreadsheet.get with grid data)."""
        rows: list[dict[str, Any]] = []
        for r in range(row0, row_end):
            line = [self._cell_json(self.cells.get((r, c))) for c in range(col0, col_end)]
            while line and not line[-1]:
                line.pop()
            rows.append({"values": line} if line else {})
        while rows and not rows[-1]:
            rows.pop()
        data: dict[str, Any] = {}
        if row0:
            data["startRow"] = row0
        if col0:
            data["startColumn"] = col0
        data["rowData"] = rows
        data["rowMetadata"] = [
            self.row_meta.get(r, {"pixelSize": 21}) for r in range(row0, row_end)
        ]
        data["columnMetadata"] = [
            self.column_meta.get(c, {"pixelSize": 100}) for c in range(col0, col_end)
        ]
        return data

    @staticmethod
    def _cell_json(cell: dict[str, Any] | None) -> dict[str, Any]:
        if not cell:
            return {}
        out: dict[str, Any] = {}
        user_value = cell.get("userEnteredValue")
        if user_value:
            out["userEnteredValue"] = user_value
            value = cells.effective(user_value)
            if cell.get(formulas.MARK):
                value = {"errorValue": dict(formulas.PARSE_ERROR)}
            if isinstance(value, dict):
                out["effectiveValue"] = value
            elif isinstance(value, bool):
                out["effectiveValue"] = {"boolValue": value}
            elif isinstance(value, int | float):
                out["effectiveValue"] = {"numberValue": value}
            elif value is not None:
                out["effectiveValue"] = {"stringValue": value}
            out["formattedValue"] = cells.render(cell, "FORMATTED_VALUE", "FORMATTED_STRING")
        for key in ("userEnteredFormat", "dataValidation", "note"):
            if key in cell:
                out[key] = cell[key]
        return out


@dataclass
class Spreadsheet:
    """A spreadsheet file: properties and its ordered tabs."""

    spreadsheet_id: str
    properties: dict[str, Any]
    sheets: list[Sheet]
    rng: random.Random
    created: str = ""
    modified: str = ""

    def snapshot(self) -> Spreadsheet:
        """A working copy for an all-or-nothing write (cells shared, see module docstring)."""
        rng = random.Random()
        rng.setstate(self.rng.getstate())
        sheets = [
            Sheet(
                clone(s.properties),
                dict(s.cells),
                clone(s.protected_ranges),
                clone(s.charts),
                clone(s.merges),
                clone(s.column_meta),
                clone(s.row_meta),
                clone(s.conditional_formats),
            )
            for s in self.sheets
        ]
        return Spreadsheet(
            self.spreadsheet_id, clone(self.properties), sheets, rng, self.created, self.modified
        )

    def find(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def find_title(self, title: str) -> Sheet | None:
        """Sheet titles are unique ignoring case, as in Google Sheets."""
        folded = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == folded), None)

    def tab(self, title: str) -> Sheet:
        """The tab with this title (KeyError when missing); for tests and callers."""
        sheet = self.find_title(title)
        if sheet is None:
            raise KeyError(title)
        return sheet

    def new_id(self) -> int:
        """A fresh random sheet/range/chart id, like Google's (never 0, never reused)."""
        taken = {s.sheet_id for s in self.sheets}
        for sheet in self.sheets:
            taken.update(int(p["protectedRangeId"]) for p in sheet.protected_ranges)
            taken.update(int(c["chartId"]) for c in sheet.charts)
        while True:
            candidate = self.rng.randint(1, 2**31 - 1)
            if candidate not in taken:
                return candidate

    def add_sheet(
        self,
        title: str,
        rows: int = DEFAULT_ROWS,
        cols: int = DEFAULT_COLUMNS,
        sheet_id: int | None = None,
        index: int | None = None,
    ) -> Sheet:
        sheet = Sheet(
            {
                "sheetId": self.new_id() if sheet_id is None else sheet_id,
                "title": title,
                "sheetType": "GRID",
                "gridProperties": {"rowCount": rows, "columnCount": cols},
            }
        )
        position = len(self.sheets) if index is None else max(0, min(index, len(self.sheets)))
        self.sheets.insert(position, sheet)
        return sheet

    def resolve(self, text: str) -> tuple[Sheet, Span]:
        """An A1 range -> (sheet, span); 400 "Unable to parse range" when it names nothing."""
        title, cells_text = split_range(text)
        if title is None:
            assert cells_text is not None
            named = self.find_title(cells_text)
            if named is not None:
                return named, Span()
            if not self.sheets:
                raise invalid_argument(f"Unable to parse range: {text}")
            return self.sheets[0], parse_cells(cells_text)
        sheet = self.find_title(title)
        if sheet is None:
            raise invalid_argument(f"Unable to parse range: {text}")
        return sheet, Span() if cells_text is None else parse_cells(cells_text)

    def metadata(self, params: Mapping[str, Sequence[str]]) -> dict[str, Any]:
        """Spreadsheet JSON for GET /v4/spreadsheets/{id} (ranges, includeGridData, fields)."""
        fields = params.get("fields", [""])[-1]
        wants_grid = (
            "data" in fields
            if fields
            else params.get("includeGridData", ["false"])[-1].lower() == "true"
        )
        ranges = list(params.get("ranges", []))
        picked: list[tuple[Sheet, list[Span]]] = []
        if ranges:
            for text in ranges:
                sheet, span = self.resolve(text)
                entry = next((p for p in picked if p[0] is sheet), None)
                if entry is None:
                    picked.append((sheet, [span]))
                else:
                    entry[1].append(span)
        else:
            picked = [(s, [Span()]) for s in self.sheets]
        sheets_json = []
        for sheet, spans in picked:
            item: dict[str, Any] = {"properties": sheet.properties_json(self.sheets.index(sheet))}
            if wants_grid:
                item["data"] = [
                    sheet.grid_data(*span.clip(sheet.rows, sheet.cols)) for span in spans
                ]
            if sheet.merges:
                item["merges"] = copy.deepcopy(sheet.merges)
            if sheet.conditional_formats:
                item["conditionalFormats"] = copy.deepcopy(sheet.conditional_formats)
            if sheet.protected_ranges:
                item["protectedRanges"] = copy.deepcopy(sheet.protected_ranges)
            if sheet.charts:
                item["charts"] = copy.deepcopy(sheet.charts)
            sheets_json.append(item)
        body = {
            "spreadsheetId": self.spreadsheet_id,
            "properties": copy.deepcopy(self.properties),
            "sheets": sheets_json,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit",
        }
        if not fields:
            return body
        selected: dict[str, Any] = select(body, parse_fields(fields))
        return selected
