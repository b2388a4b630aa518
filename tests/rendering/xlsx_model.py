"""A workbook's sheets read from the .xlsx package itself, as LibreOffice and Excel lay them out.

No spreadsheet library: the sheet parts give the cells (the text shown), column widths, row
heights, margins and merges; the drawing parts (``xl/drawings/drawingN.xml``) give the frame
of each chart (two-cell, one-cell or absolute anchor), in pixels from A1's top-left corner.
Also: a copy of a workbook whose input tabs are hidden, to print the generated tabs only.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from sheets_sync.cells.a1 import column_letters, from_a1
from sheets_sync.cells.grid import MARKER

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
EMU_PER_PX = 9525
DEFAULT_COL_PX = 64  # Excel's default column (8.43 characters of Calibri 11)
DEFAULT_ROW_PT = 15.0
CHART_PX = 3  # a frame may graze a cell border by a few pixels


@dataclass(frozen=True)
class ChartFrame:
    """A drawing anchored on the grid: its name and pixel box (left, top, right, bottom)."""

    name: str
    box: tuple[float, float, float, float]


@dataclass
class SheetModel:
    """What the package says of one sheet: cells (text shown), sizes, merges, chart frames."""

    name: str
    visible: bool
    cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based
    text_cells: set[tuple[int, int]] = field(default_factory=set)
    col_px: dict[int, float] = field(default_factory=dict)
    row_pt: dict[int, float] = field(default_factory=dict)
    default_col_px: float = DEFAULT_COL_PX
    default_row_pt: float = DEFAULT_ROW_PT
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    charts: list[ChartFrame] = field(default_factory=list)
    margins: dict[str, float] = field(default_factory=dict)  # inches, as in pageMargins
    _lefts: list[float] = field(default_factory=list, repr=False)  # read once sizes are known
    _tops: list[float] = field(default_factory=list, repr=False)

    @property
    def generated(self) -> bool:
        return self.cells.get((1, 1), "").startswith(MARKER)

    def width_px(self, col: int) -> float:
        return 0.0 if col in self.hidden_cols else self.col_px.get(col, self.default_col_px)

    def height_px(self, row: int) -> float:
        if row in self.hidden_rows:
            return 0.0
        return self.row_pt.get(row, self.default_row_pt) * 4 / 3

    def col_left(self, col: int) -> float:
        return self._offset(col, self._lefts, self.width_px)

    def row_top(self, row: int) -> float:
        return self._offset(row, self._tops, self.height_px)

    @staticmethod
    def _offset(n: int, known: list[float], size: Callable[[int], float]) -> float:
        """Pixels before row/column `n` (1-based), summed once: known[i] is before i + 1."""
        while len(known) < n:
            known.append((known[-1] + size(len(known))) if known else 0.0)
        return known[n - 1]

    def cell_box(self, row: int, col: int) -> tuple[float, float, float, float]:
        left, top = self.col_left(col), self.row_top(row)
        return left, top, left + self.width_px(col), top + self.height_px(row)

    def at(self, x_px: float, y_px: float) -> tuple[int, int]:
        """The cell under a point of the grid (pixels from A1's top-left corner)."""
        col, left = 1, 0.0
        while left + self.width_px(col) <= x_px and col < 16384:
            left += self.width_px(col)
            col += 1
        row, top = 1, 0.0
        while top + self.height_px(row) <= y_px and row < 1048576:
            top += self.height_px(row)
            row += 1
        return row, col

    def covered(
        self, box: tuple[float, float, float, float], tolerance: float = CHART_PX
    ) -> list[tuple[int, int]]:
        """Non-empty cells a box (pixels) covers by more than `tolerance` each way."""
        left, top, right, bottom = box
        out = []
        for (r, c), text in sorted(self.cells.items()):
            if not text.strip():
                continue
            x0, y0, x1, y1 = self.cell_box(r, c)
            if (
                min(x1, right) - max(x0, left) > tolerance
                and min(y1, bottom) - max(y0, top) > tolerance
            ):
                out.append((r, c))
        return out


def a1(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


def _parts(book: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → target part of a part's .rels, resolved against the part's folder."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in book.namelist():
        return {}
    root = ElementTree.fromstring(book.read(rels))
    out = {}
    for rel in root.iter(f"{PKG_REL}Relationship"):
        target = rel.get("Target", "")
        out[rel.get("Id", "")] = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
    return out


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root.iter(f"{MAIN}si")]


def _number(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else text


def read_sheets(workbook: Path) -> list[SheetModel]:
    """Every sheet of the package, in order."""
    with zipfile.ZipFile(workbook) as book:
        strings = _shared_strings(book)
        rels = _parts(book, "xl/workbook.xml")
        root = ElementTree.fromstring(book.read("xl/workbook.xml"))
        sheets = []
        for s in root.iter(f"{MAIN}sheet"):
            part = rels[s.get(f"{REL}id", "")]
            model = SheetModel(s.get("name", ""), s.get("state", "visible") == "visible")
            _read_sheet(book, part, model, strings)
            sheets.append(model)
        return sheets


def _read_sheet(book: zipfile.ZipFile, part: str, model: SheetModel, strings: list[str]) -> None:
    root = ElementTree.fromstring(book.read(part))
    fmt = root.find(f"{MAIN}sheetFormatPr")
    if fmt is not None:
        model.default_row_pt = float(fmt.get("defaultRowHeight", DEFAULT_ROW_PT))
        if fmt.get("defaultColWidth"):
            model.default_col_px = width_to_px(float(fmt.get("defaultColWidth", 0)))
    for col in root.iter(f"{MAIN}col"):
        for c in range(int(col.get("min", 1)), int(col.get("max", 1)) + 1):
            if c > 256:
                break
            if col.get("hidden") in ("1", "true"):
                model.hidden_cols.add(c)
            if col.get("width"):
                model.col_px[c] = width_to_px(float(col.get("width", 0)))
    for row in root.iter(f"{MAIN}row"):
        r = int(row.get("r", 0))
        if row.get("ht"):
            model.row_pt[r] = float(row.get("ht", 0))
        if row.get("hidden") in ("1", "true"):
            model.hidden_rows.add(r)
        for cell in row.iter(f"{MAIN}c"):
            _read_cell(cell, model, strings)
    margins = root.find(f"{MAIN}pageMargins")
    if margins is not None:
        model.margins = {k: float(v) for k, v in margins.attrib.items()}
    for m in root.iter(f"{MAIN}mergeCell"):
        first, _, last = m.get("ref", "").partition(":")
        (r0, c0), (r1, c1) = from_a1(first), from_a1(last or first)
        model.merges.append((r0, c0, r1, c1))
    for d in root.iter(f"{MAIN}drawing"):
        drawing = _parts(book, part).get(d.get(f"{REL}id", ""))
        if drawing:
            model.charts += _frames(ElementTree.fromstring(book.read(drawing)), model)


def _read_cell(c: Element, model: SheetModel, strings: list[str]) -> None:
    kind = c.get("t", "n")
    row, col = from_a1(c.get("r", "A1"))
    v = c.find(f"{MAIN}v")
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in c.iter(f"{MAIN}t"))
    elif kind == "s" and v is not None and v.text:
        text = strings[int(v.text)]
    elif kind == "str" and v is not None:
        text = v.text or ""
    elif v is not None and v.text:
        model.cells[(row, col)] = v.text if kind in ("b", "e") else _number(v.text)
        return
    else:
        return
    model.cells[(row, col)] = text
    if text.strip():
        model.text_cells.add((row, col))


def width_to_px(width: float) -> float:
    """Excel's column width (characters of the default font) in pixels."""
    return float(int(width * 7 + 5)) if width >= 1 else round(width * 12)


def _anchor_point(marker: Element, model: SheetModel) -> tuple[float, float]:
    col = int(marker.findtext(f"{XDR}col", "0")) + 1
    row = int(marker.findtext(f"{XDR}row", "0")) + 1
    x = model.col_left(col) + int(marker.findtext(f"{XDR}colOff", "0")) / EMU_PER_PX
    y = model.row_top(row) + int(marker.findtext(f"{XDR}rowOff", "0")) / EMU_PER_PX
    return x, y


def _frames(root: Element, model: SheetModel) -> list[ChartFrame]:
    """The pixel box of each drawing anchored on the sheet (two-cell, one-cell, absolute)."""
    out = []
    for anchor in root:
        tag = anchor.tag.removeprefix(XDR)
        if tag not in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor"):
            continue
        props = next(anchor.iter(f"{XDR}cNvPr"), None)
        name = props.get("name", tag) if props is not None else tag
        ext = anchor.find(f"{XDR}ext")
        size = (
            (int(ext.get("cx", 0)) / EMU_PER_PX, int(ext.get("cy", 0)) / EMU_PER_PX)
            if ext is not None
            else (0.0, 0.0)
        )
        start_marker = anchor.find(f"{XDR}from")
        if tag == "absoluteAnchor":
            pos = anchor.find(f"{XDR}pos")
            start = (
                (int(pos.get("x", 0)) / EMU_PER_PX, int(pos.get("y", 0)) / EMU_PER_PX)
                if pos is not None
                else (0.0, 0.0)
            )
        elif start_marker is not None:
            start = _anchor_point(start_marker, model)
        else:
            continue
        end_marker = anchor.find(f"{XDR}to")
        if tag == "twoCellAnchor" and end_marker is not None:
            end = _anchor_point(end_marker, model)
        else:
            end = (start[0] + size[0], start[1] + size[1])
        out.append(ChartFrame(name, (*start, *end)))
    return out


def generated_only(workbook: Path, target: Path) -> Path:
    """A copy of `workbook` whose input tabs are hidden, so that only the generated tabs are
    printed (the generated tabs' parts are untouched: they print as in the workbook)."""
    sheets = read_sheets(workbook)
    keep = {s.name for s in sheets if s.visible and s.generated}
    with (
        zipfile.ZipFile(workbook) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = _hide_sheets(data, keep)
            out.writestr(item, data)
    return target


def _hide_sheets(workbook_xml: bytes, keep: set[str]) -> bytes:
    """workbook.xml with the sheets not in `keep` hidden, the first kept one active
    (LibreOffice shows, and prints, an active sheet even when it is hidden)."""
    all_names = [
        s.get("name", "") for s in ElementTree.fromstring(workbook_xml).iter(f"{MAIN}sheet")
    ]
    names = iter(all_names)
    active = next((i for i, n in enumerate(all_names) if n in keep), 0)

    def hide(match: re.Match[bytes]) -> bytes:
        tag = re.sub(rb'\sstate="[^"]*"', b"", match.group(0))
        return tag if next(names) in keep else tag.replace(b"<sheet ", b'<sheet state="hidden" ')

    text = re.sub(rb"<sheet\s[^>]*>", hide, workbook_xml)
    text = re.sub(rb'\s(activeTab|firstSheet)="\d+"', b"", text)
    return text.replace(b"<workbookView ", f'<workbookView activeTab="{active}" '.encode(), 1)
