"""Scan .xls, .xlsb and .ods bytes before calamine opens them: what it would allocate, and
the error cells it would lose.

calamine builds each sheet whole, in Rust, when the workbook is opened (.xls, .ods) or when a
sheet is asked for (.xlsb): a 6 KB .xls whose one cell sits at column 65 535, row 65 535 makes
it reserve 137 GB, and the process aborts — no Python exception to catch. So before calamine
sees the bytes, this scan mirrors what it will allocate and stops beyond the limits of
[lecture] (`CellBudget`)::

    .ods   content.xml, streamed with expat: each filled cell, with its repeats
           (table:number-rows-repeated, table:number-columns-repeated; empty repeats are
           not expanded by calamine and not counted)
    .xls   the BIFF records of the Workbook stream (via olefile): the sheets calamine reads
           (BoundSheet8 offsets), their cells, the cells their DIMENSIONS record makes it
           reserve, the SST's declared count; FILEPASS means a password
    .xlsb  the sheets workbook.bin names, their BIFF12 row and cell records

python-calamine gives an error cell as an empty string: the scan keeps the error values it
meets (.ods calcext:value-type="error", .xls BoolErr and Formula results, .xlsb BrtCellError)
so that calamine_read puts them back as `CellError`.
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

import defusedxml.ElementTree as SafeET

from ...cells.grid import CellError
from ...config import ReadLimits
from ...errors import SourceError
from ..files.damage import is_damage
from ..files.package_guard import (
    EXCEL_MAX_ROWS,
    ODS,
    XLS,
    XLSB,
    CellBudget,
    limit_error,
    number,
    password_error,
)

Errors = dict[str, dict[tuple[int, int], CellError]]  # sheet -> 0-based (row, col) -> error

ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!",
               0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
FORMATS = {ODS: "OpenDocument (.ods)", XLS: "Excel 97-2003 (.xls)", XLSB: "Excel binaire (.xlsb)"}


def damaged(name: str, kind: str, why: str) -> SourceError:
    return SourceError(
        f"{name} est au format {FORMATS[kind]} mais n'a pas pu être lu ({why}) : ouvrez-le "
        "dans un tableur et enregistrez-le au format .xlsx."
    )


def scan(name: str, data: bytes, kind: str, limits: ReadLimits, budget: CellBudget) -> Errors:
    """Refuse beyond the limits what calamine would build; return the error cells it loses."""
    return {ODS: _scan_ods, XLS: _scan_xls, XLSB: _scan_xlsb}[kind](name, data, limits, budget)


# --- .ods: content.xml ------------------------------------------------------------------

def _repeat(attrs: dict[str, str], key: str) -> int:
    try:
        return max(1, int(attrs.get(key, "1")))
    except ValueError:
        return 1


class _OdsScan:
    """Rows and filled cells of content.xml, with their repeats, as calamine expands them.

    Names are matched with their usual prefixes (« table:table-cell »), as calamine does.
    Whatever lies inside a cell (text, an annotation, a table nested in it) only makes the cell
    filled: calamine does not expand a nested table's rows either (tested).
    """

    CELLS = ("table:table-cell", "table:covered-table-cell")

    def __init__(self, budget: CellBudget, errors: Errors) -> None:
        self.budget, self.errors = budget, errors
        self.tables = 0  # depth of table:table
        self.tab = ""
        self.row = 0  # 0-based index of the current row
        self.row_repeat = 1
        self.row_last = 0  # 1-based column of the row's last filled cell
        self.col = 0
        self.cell_depth = 0  # inside a cell: depth of elements
        self.cell_repeat = 1
        self.filled = False
        self.error: list[str] | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.cell_depth:
            self.cell_depth += 1
            self.filled = True  # text, a paragraph, an annotation: calamine may read it
        elif tag == "table:table":
            self.tables += 1
            if self.tables == 1:
                self.tab = attrs.get("table:name", "")
                self.row = 0
                self.budget.start(self.tab)
        elif tag == "table:table-row" and self.tables:
            self.row_repeat = _repeat(attrs, "table:number-rows-repeated")
            self.col, self.row_last = 0, 0
        elif tag in self.CELLS and self.tables:
            self.cell_depth = 1
            self.cell_repeat = _repeat(attrs, "table:number-columns-repeated")
            kind = attrs.get("calcext:value-type") or attrs.get("office:value-type")
            self.filled = kind is not None
            self.error = [] if kind == "error" else None

    def text(self, data: str) -> None:
        if self.error is not None and len(self.error) < 64:
            self.error.append(data)

    def end(self, tag: str) -> None:
        if self.cell_depth:
            self.cell_depth -= 1
            if self.cell_depth == 0:
                self._end_cell()
        elif tag == "table:table-row" and self.tables:
            if self.row_last:
                self.budget.row(self.row + self.row_repeat, self.row_last)
            self.row += self.row_repeat
        elif tag == "table:table" and self.tables:
            self.tables -= 1

    def _end_cell(self) -> None:
        if self.filled:
            self.row_last = self.col + self.cell_repeat
            if self.error is not None and self.row_repeat * self.cell_repeat <= 1024:
                value = CellError("".join(self.error).strip() or "#N/A")
                found = self.errors.setdefault(self.tab, {})
                for r in range(self.row, self.row + self.row_repeat):
                    for c in range(self.col, self.col + self.cell_repeat):
                        found[r, c] = value
        self.col += self.cell_repeat
        self.error = None


def _forbid(*_: object) -> None:
    raise ValueError("DTD")


def _scan_ods(name: str, data: bytes, limits: ReadLimits, budget: CellBudget) -> Errors:
    errors: Errors = {}
    scan = _OdsScan(budget, errors)
    parser = expat.ParserCreate()
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            if "META-INF/manifest.xml" in book.namelist() \
                    and b"encryption-data" in book.read("META-INF/manifest.xml"):
                raise password_error(name)  # an encrypted .ods lists its keys there
            with book.open("content.xml") as part:
                while chunk := part.read(1 << 16):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
    except SourceError:
        raise
    except Exception as exc:  # KeyError (no content.xml), ExpatError, BadZipFile…
        if not is_damage(exc):
            raise
        raise damaged(name, ODS, type(exc).__name__) from None
    return errors


# --- .xls: BIFF records of the Workbook stream ---------------------------------------------

def _biff(stream: bytes, at: int) -> Iterator[tuple[int, int, memoryview]]:
    """(position, type, data) of each record from `at` on."""
    view = memoryview(stream)
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        yield at, kind, view[at + 4 : at + 4 + size]
        at += 4 + size


def _workbook_stream(name: str, data: bytes, limits: ReadLimits) -> bytes:
    import olefile  # only an .xls needs it (start-up of every other read spared)
    from olefile.olefile import OleFileError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
                if stream is None:
                    raise damaged(name, XLS, "pas de flux Workbook")
                if ole.get_size(stream) > limits.max_bytes:
                    raise limit_error(name, "son flux Workbook dépasse la taille permise",
                                      "taille_max_mo", limits.max_megabytes)
                return bytes(ole.openstream(stream).read())
    except SourceError:
        raise
    except Exception as exc:  # olefile raises OleFileError (an OSError) and others
        if not (is_damage(exc) or isinstance(exc, OleFileError)):
            raise
        raise damaged(name, XLS, type(exc).__name__) from None


def _sheet_name(record: memoryview, biff8: bool) -> str:
    if len(record) < 7:
        return ""
    count = record[6]
    if biff8 and len(record) >= 8:
        raw = bytes(record[8:])
        text = raw[: 2 * count].decode("utf-16-le", "replace") if record[7] & 1 \
            else raw[:count].decode("latin-1")
    else:
        text = bytes(record[7 : 7 + count]).decode("cp1252", "replace")
    return text.replace("\0", "")


def _scan_xls(name: str, data: bytes, limits: ReadLimits, budget: CellBudget) -> Errors:
    stream = _workbook_stream(name, data, limits)
    sheets: list[tuple[int, str]] = []
    biff8 = True
    for _, kind, record in _biff(stream, 0):
        if kind == 0x000A:  # EOF of the globals
            break
        if kind == 0x0809 and len(record) >= 2:  # BOF
            version = struct.unpack_from("<H", record)[0]
            biff8 = version not in (0x0200, 0x0002, 0x0007, 0x0300, 0x0400, 0x0500)
        elif kind == 0x002F:  # FILEPASS
            raise password_error(name)
        elif kind == 0x0085 and len(record) >= 6:  # BoundSheet8
            sheets.append((struct.unpack_from("<I", record)[0], _sheet_name(record, biff8)))
        elif kind == 0x00FC and len(record) >= 8:  # SST: calamine reserves its count
            (count,) = struct.unpack_from("<i", record, 4)
            if count < 0 or count > len(stream) // 3 + 1:
                raise damaged(name, XLS, "table de textes incohérente")
            if count > limits.max_cells:
                raise limit_error(name, f"il déclare {number(count)} textes différents",
                                  "cellules_max", limits.max_cells)
    errors: Errors = {}
    scanned: dict[int, _XlsSheet] = {}
    work = 0
    for at, title in sheets:
        if at not in scanned:  # two sheets at one offset: read once, counted twice
            scanned[at] = _xls_sheet(name, stream, at, title, limits)
            work += scanned[at].length
            if work > 2 * len(stream):  # overlapping sheets: a scan without end
                raise damaged(name, XLS, "onglets qui se chevauchent")
        sheet = scanned[at]
        budget.start(title)
        if sheet.rows:
            budget.row(sheet.rows, sheet.cols)
        if sheet.errors:
            errors.setdefault(title, {}).update(sheet.errors)
    budget.start("")
    return errors


@dataclass
class _XlsSheet:
    """What calamine will build for one sheet: A1 to the last cell, the error cells, and the
    length of the records read."""

    rows: int = 0
    cols: int = 0
    errors: dict[tuple[int, int], CellError] = field(default_factory=dict)
    length: int = 0


# Number, Label, BoolErr, Rk, LabelSst, Formula, MulRk: each starts with its row and column
# (BLANK is not kept by calamine; STRING, a formula's text, sits where its Formula is)
_XLS_CELLS = {0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006, 0x00BD}


def _xls_sheet(name: str, stream: bytes, at: int, title: str, limits: ReadLimits) -> _XlsSheet:
    sheet = _XlsSheet()
    for position, kind, record in _biff(stream, at):
        sheet.length = position - at
        if kind == 0x000A:
            break
        if kind == 0x0200:  # DIMENSIONS: calamine reserves rows x columns cells
            _check_dimensions(name, title, record, limits)
            continue
        if kind not in _XLS_CELLS or len(record) < 6:
            continue
        row, col = struct.unpack_from("<HH", record)
        if kind == 0x00BD:  # MulRk: row, first column, …, last column
            col = max(col, struct.unpack_from("<H", record, len(record) - 2)[0])
        elif kind == 0x0205 and len(record) >= 8 and record[7] == 1:  # BoolErr: an error
            sheet.errors[row, col] = CellError(ERROR_CODES.get(record[6], "#N/A"))
        elif kind == 0x0006 and len(record) >= 14 and record[6] == 2 \
                and bytes(record[12:14]) == b"\xff\xff":  # Formula whose result is an error
            sheet.errors[row, col] = CellError(ERROR_CODES.get(record[8], "#N/A"))
        sheet.rows, sheet.cols = max(sheet.rows, row + 1), max(sheet.cols, col + 1)
        if sheet.rows > limits.max_rows or sheet.cols > limits.max_columns:
            break  # the budget refuses it; no need to read further
    return sheet


def _check_dimensions(name: str, title: str, record: memoryview, limits: ReadLimits) -> None:
    if len(record) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", record)
    elif len(record) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", record)
    else:
        return
    if last_row < 1 or last_col < 1:
        return
    if last_row - 1 < first_row or last_col - 1 < first_col:
        raise damaged(name, XLS, f"dimensions incohérentes dans l'onglet « {title} »")
    area = (last_row - first_row) * (last_col - first_col)
    if area > limits.max_cells:
        raise limit_error(name, f"l'onglet « {title} » déclare {number(area)} cellules",
                          "cellules_max", limits.max_cells)


# --- .xlsb: BIFF12 records ----------------------------------------------------------------

def _biff12(part: bytes) -> Iterator[tuple[int, memoryview]]:
    """(type, data) of each record: type on 1-2 bytes, size on 1-4 bytes (7 bits each)."""
    view, at, end = memoryview(part), 0, len(part)
    while at < end:
        kind = part[at]
        at += 1
        if kind & 0x80:
            if at >= end:
                return
            kind = (kind & 0x7F) | ((part[at] & 0x7F) << 7)
            at += 1
        size = shift = 0
        for _ in range(4):
            if at >= end:
                return
            byte = part[at]
            at += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield kind, view[at : at + size]
        at += size


def _xlsb_sheets(book: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, part) of each sheet workbook.bin lists, through workbook.bin.rels."""
    targets: dict[str, str] = {}
    try:
        rels = SafeET.fromstring(book.read("xl/_rels/workbook.bin.rels"))
    except KeyError:
        rels = None
    for rel in rels.iter() if rels is not None else ():
        if str(rel.tag).rsplit("}", 1)[-1] == "Relationship":
            targets[rel.get("Id", "")] = rel.get("Target", "")
    sheets = []
    for kind, record in _biff12(book.read("xl/workbook.bin")):
        if kind == 0x0090:  # BrtEndBundleShs
            break
        if kind != 0x009C or len(record) < 12:  # BrtBundleSh
            continue
        (count,) = struct.unpack_from("<I", record, 8)
        if count == 0xFFFFFFFF:
            continue
        rel_id = bytes(record[12 : 12 + 2 * count]).decode("utf-16-le", "replace")
        at = 12 + 2 * count
        title = ""
        if len(record) >= at + 4:
            (length,) = struct.unpack_from("<I", record, at)
            title = bytes(record[at + 4 : at + 4 + 2 * length]).decode("utf-16-le", "replace")
        sheets.append((title, "xl/" + targets.get(rel_id, "")))
    return sheets


def _scan_xlsb(name: str, data: bytes, limits: ReadLimits, budget: CellBudget) -> Errors:
    errors: Errors = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            names = set(book.namelist())
            for title, part in _xlsb_sheets(book):
                budget.start(title)
                if part not in names:
                    continue
                rows, cols, found = _xlsb_sheet(book.read(part), limits)
                if rows:
                    budget.row(rows, cols)
                if found:
                    errors.setdefault(title, {}).update(found)
            budget.start("")
    except SourceError:
        raise
    except Exception as exc:  # KeyError, ParseError, BadZipFile, struct.error…
        if not is_damage(exc):
            raise
        raise damaged(name, XLSB, type(exc).__name__) from None
    return errors


def _xlsb_sheet(part: bytes,
                limits: ReadLimits) -> tuple[int, int, dict[tuple[int, int], CellError]]:
    rows = cols = row = 0
    errors: dict[tuple[int, int], CellError] = {}
    for kind, record in _biff12(part):
        if kind == 0x0092:  # BrtEndSheetData
            break
        if kind == 0x0000 and len(record) >= 4:  # BrtRowHdr
            (row,) = struct.unpack_from("<I", record)
            if row > EXCEL_MAX_ROWS:
                break  # calamine stops there too
        elif 0x0002 <= kind <= 0x0009 and len(record) >= 4:  # a cell: column first
            (col,) = struct.unpack_from("<I", record)
            if kind == 0x0003 and len(record) >= 9:  # BrtCellError
                errors[row, col] = CellError(ERROR_CODES.get(record[8], "#N/A"))
            rows, cols = max(rows, row + 1), max(cols, col + 1)
            if rows > limits.max_rows or cols > limits.max_columns:
                break
    return rows, cols, errors
