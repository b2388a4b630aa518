"""The layout rules of pdf_layout, on a Google spreadsheet as the emulator stores it.

Google draws a sheet from its stored state, so the rules are read from it (issue #15, part 4):

  ``rangee-trop-basse``      a row holding wrapped text is lower than the lines its text needs
                             at its column's pixel width: 10 pt ≈ 7 px a character, counted
                             with TOLERANCE (20 %: most characters are narrower than 7 px,
                             so 5.6 px), 21 px a line (Google's own) but 20 accepted (15 pt,
                             Excel's line), scaled with the font size;
  ``texte-non-renvoye``      a text that needs several lines (surely wider than its column,
                             with the tolerance, and a filled right neighbour; or holding a
                             line break) is not WRAP: Google clips it at the cell border;
  ``graphique-sur-cellule``  a chart (overlayPosition: anchorCell + offsets + width/height)
                             covers a non-empty cell;
  ``graphique-sur-graphique``  two charts overlap.

Sizes are those Google uses when none is stored: columns 100 px, rows 21 px, charts 600 × 371.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from sheets_sync.cells.grid import MARKER
from sheets_sync.emulator.model import Sheet

from .pdf_layout import Fault
from .xlsx_model import CHART_PX, a1

CHAR_PX, LINE_PX, PADDING_PX = 7.0, 21.0, 6.0
COLUMN_PX, ROW_PX = 100.0, 21.0
CHART_SIZE = (600.0, 371.0)
TOLERANCE = 0.8  # characters are counted 20 % narrower than 7 px: what a text surely needs
LINE_PX_ACCEPTED = 20.0
RULES = (
    "rangee-trop-basse",
    "texte-non-renvoye",
    "graphique-sur-cellule",
    "graphique-sur-graphique",
)


def text_of(cell: dict[str, Any]) -> str:
    value = cell.get("userEnteredValue") or {}
    if "stringValue" in value:
        return str(value["stringValue"])
    if "numberValue" in value:
        return str(value["numberValue"])
    if "boolValue" in value:
        return "TRUE" if value["boolValue"] else "FALSE"
    return str(value.get("formulaValue", ""))


def _format(cell: dict[str, Any]) -> dict[str, Any]:
    return cell.get("userEnteredFormat") or {}


def is_generated(sheet: Sheet) -> bool:
    return text_of(sheet.cells.get((0, 0), {})).startswith(MARKER)


class Grid:
    """Pixel geometry of one stored sheet (0-based rows and columns, as Google's API)."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.spans: dict[tuple[int, int], tuple[int, int]] = {}  # top-left → (end row, col)
        for m in sheet.merges:
            start = (int(m.get("startRowIndex", 0)), int(m.get("startColumnIndex", 0)))
            self.spans[start] = (
                int(m.get("endRowIndex", start[0] + 1)),
                int(m.get("endColumnIndex", start[1] + 1)),
            )

    def width(self, col: int) -> float:
        return float(self.sheet.column_meta.get(col, {}).get("pixelSize", COLUMN_PX))

    def height(self, row: int) -> float:
        return float(self.sheet.row_meta.get(row, {}).get("pixelSize", ROW_PX))

    def left(self, col: int) -> float:
        return sum(self.width(c) for c in range(col))

    def top(self, row: int) -> float:
        return sum(self.height(r) for r in range(row))

    def cell_width(self, row: int, col: int) -> float:
        end = self.spans.get((row, col), (row + 1, col + 1))[1]
        return sum(self.width(c) for c in range(col, end))

    def cell_height(self, row: int, col: int) -> float:
        end = self.spans.get((row, col), (row + 1, col + 1))[0]
        return sum(self.height(r) for r in range(row, end))

    def filled(self, row: int, col: int) -> bool:
        return bool(text_of(self.sheet.cells.get((row, col), {})).strip())


def lines_needed(text: str, width_px: float, font_size: float = 10.0) -> int:
    """Lines a text takes wrapped at `width_px` (characters counted, as Google's own row
    sizing roughly does)."""
    per_line = max(1, int((width_px - PADDING_PX) / (CHAR_PX * font_size / 10)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def row_faults(sheet: Sheet) -> list[Fault]:
    """rangee-trop-basse and texte-non-renvoye, cell by cell."""
    grid = Grid(sheet)
    faults = []
    for (row, col), cell in sorted(sheet.cells.items()):
        text = text_of(cell)
        if "stringValue" not in (cell.get("userEnteredValue") or {}) or not text.strip():
            continue
        fmt = _format(cell)
        size = float((fmt.get("textFormat") or {}).get("fontSize", 10))
        width = grid.cell_width(row, col)
        lines = lines_needed(text, width, size * TOLERANCE)
        wrapped = fmt.get("wrapStrategy") == "WRAP"
        if wrapped:
            needed = lines * LINE_PX * max(size, 10) / 10
            height = grid.cell_height(row, col)
            if height < lines * LINE_PX_ACCEPTED * max(size, 10) / 10:
                faults.append(
                    Fault(
                        "rangee-trop-basse",
                        sheet.title,
                        (a1(row + 1, col + 1),),
                        tuple(text.split()),
                        f"{height:.0f} px de haut pour {lines} ligne(s) ≈ "
                        f"{needed:.0f} px à {width:.0f} px de large",
                    )
                )
        elif "\n" in text or (grid.filled(row, col + 1) and lines > 1):
            faults.append(
                Fault(
                    "texte-non-renvoye",
                    sheet.title,
                    (a1(row + 1, col + 1),),
                    tuple(text.split()),
                    f"{lines} ligne(s) à {width:.0f} px de large, "
                    f"wrapStrategy {fmt.get('wrapStrategy', 'par défaut')}",
                )
            )
    return faults


def chart_box(grid: Grid, chart: dict[str, Any]) -> tuple[float, float, float, float] | None:
    overlay = (chart.get("position") or {}).get("overlayPosition")
    if not overlay:
        return None  # a chart on a sheet of its own covers no cell
    anchor = overlay.get("anchorCell") or {}
    x = grid.left(int(anchor.get("columnIndex", 0))) + float(overlay.get("offsetXPixels", 0))
    y = grid.top(int(anchor.get("rowIndex", 0))) + float(overlay.get("offsetYPixels", 0))
    return (
        x,
        y,
        x + float(overlay.get("widthPixels", CHART_SIZE[0])),
        y + float(overlay.get("heightPixels", CHART_SIZE[1])),
    )


def chart_faults(sheet: Sheet, tolerance: float = CHART_PX) -> list[Fault]:
    grid = Grid(sheet)
    faults = []
    for chart in sheet.charts:
        box = chart_box(grid, chart)
        if box is None:
            continue
        left, top, right, bottom = box
        covered = []
        for (row, col), cell in sorted(sheet.cells.items()):
            if not text_of(cell).strip():
                continue
            x0, y0 = grid.left(col), grid.top(row)
            x1, y1 = x0 + grid.cell_width(row, col), y0 + grid.cell_height(row, col)
            if (
                min(x1, right) - max(x0, left) > tolerance
                and min(y1, bottom) - max(y0, top) > tolerance
            ):
                covered.append((row, col))
        if covered:
            title = str((chart.get("spec") or {}).get("title", chart.get("chartId", "")))
            faults.append(
                Fault(
                    "graphique-sur-cellule",
                    sheet.title,
                    tuple(a1(r + 1, c + 1) for r, c in covered),
                    tuple(text_of(sheet.cells[k]) for k in covered),
                    f"graphique « {title} », {left:.0f}–{right:.0f} × {top:.0f}–{bottom:.0f} px",
                )
            )
    return faults


def charts_over_charts(sheet: Sheet, tolerance: float = CHART_PX) -> list[Fault]:
    grid = Grid(sheet)
    boxes = [
        (str((c.get("spec") or {}).get("title", c.get("chartId", ""))), chart_box(grid, c))
        for c in sheet.charts
    ]
    placed = [(title, box) for title, box in boxes if box is not None]
    faults = []
    for n, (first, a) in enumerate(placed):
        for second, b in placed[n + 1 :]:
            if (
                min(a[2], b[2]) - max(a[0], b[0]) > tolerance
                and min(a[3], b[3]) - max(a[1], b[1]) > tolerance
            ):
                faults.append(
                    Fault(
                        "graphique-sur-graphique",
                        sheet.title,
                        (),
                        (first, second),
                        f"« {first} » et « {second} » se recouvrent",
                    )
                )
    return faults


def check_stored_sheet(sheet: Sheet, rules: Iterable[str] = RULES) -> list[Fault]:
    wanted = set(rules)
    faults = [f for f in row_faults(sheet) if f.rule in wanted]
    if "graphique-sur-cellule" in wanted:
        faults += chart_faults(sheet)
    if "graphique-sur-graphique" in wanted:
        faults += charts_over_charts(sheet)
    return faults
