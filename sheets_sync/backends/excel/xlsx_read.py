"""Read .xlsx/.xlsm values with python-calamine, and only what it cannot see from the XML.

calamine parses a sheet in Rust about six times faster than openpyxl's read-only reader, but
it builds each sheet whole (from the first to the last filled cell) and it does not say
everything the checks read. So each worksheet's bytes are first scanned — C-speed searches
over the decompressed XML (`bytes.count`, `re.findall`), no second parse — for::

    shape        every <row> and <c> numbered (r="…"), no namespace prefix: else openpyxl
    extent       the last filled cell's row and column, counted against [lecture] (with
                 the tabs before) before calamine allocates: beyond, openpyxl reads the
                 file and refuses it with the message it always gave
    rows         a <row r="…"> beyond row 1 048 576: openpyxl says « endommagé »
    t="e"        error cells (calamine gives ""): put back as CellError(« #N/A »…)
    "", " "      an empty or blank shared or inline string (calamine reads an empty cell):
                 put back as typed, as openpyxl read it
    3.0, 1E3     a whole number written with a point or an exponent: a float, as openpyxl
                 casts it (calamine gives floats only; a whole one is an int otherwise)
    16+ digits   an integer beyond 2**53: exact, as openpyxl reads it

Everything else is calamine's, shaped as openpyxl gave it: a date cell with no time is a
`datetime` at midnight (calamine gives a `date`), an empty string from a formula is None.
A part calamine refuses (or panics on) goes to openpyxl too: a damaged file keeps its old
message. `openpyxl_read` is that reader, unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ...cells.grid import CellError, CellValue, Grid, is_generated
from ...config import ReadLimits
from ...errors import SourceError
from ..files.damage import is_damage
from ..files.package_guard import EXCEL_MAX_ROWS, CellBudget, over_strings
from .calamine_prescan import _forbid
from .calamine_read import _panic_report_hidden, trimmed
from .calamine_read import _value as calamine_value

WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
CHARTSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"

_UNNUMBERED = re.compile(rb'<(?:c|row)(?! r=")[\s>/]')  # a row or cell placed by position
_PREFIXED = re.compile(rb"<[A-Za-z_][-.\w]*:(?:c|row|sheetData)[\s>/]")
_STRAY = re.compile(rb"<[^A-Za-z_/?!:\x80-\xff]")  # « <<< », « < » before a digit: not XML
# the three above in one pass (one search of a 60 MB sheet instead of three)
_ODD_OR_PLACED = re.compile(
    rb"<(?:[^A-Za-z_/?!:\x80-\xff]|[A-Za-z_][-.\w]*:(?:c|row|sheetData)[\s>/]"
    rb'|(?:c|row)(?! r=")[\s>/])')
_ROW = re.compile(rb'<row r="([0-9]+)"')
_FILLED = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>/]*>')  # not <c r="B2" s="1"/>
_EXTENT_SLICE = 1 << 20  # bytes of a sheet `exact_extent` lists the cells of at a time
_ERROR = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\bt="e"[^>]*>(.*?)</c>', re.S)
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_EMPTY_INLINE = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\bt="inlineStr"[^>]*>'
    rb"<is>(?:<t/>|<t(?: [^>]*)?>([ \t\n\r]*)</t>)</is>")
_NUMBER = re.compile(  # a number cell whose text holds a point or an exponent, or 16+ digits
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*)>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?'
    rb"<v>([-+]?(?:[0-9]*[.eE][-+0-9.eE]*|[0-9]{16,}))</v>")
_BLANK_INLINE_ENDS = (b"<is><t/>", b"></t></is>", b" </t></is>", b"\n</t></is>",
                      b"\t</t></is>", b"\r</t></is>")  # may be blank: searched then
# a whole number written with a point (3.0) or an exponent (1E3), or 16 digits: one pass
_ROUND_OR_LONG = re.compile(rb"<v>[-+]?(?:[0-9]{16}|[0-9.]*[eE]|[0-9.]*\.0*</v>)")
_SHARED_ITEM = re.compile(rb"<si\b[^>]*?(/?)>")
_BLANK_SHARED = re.compile(rb"<si>(?:<t/>|<t(?: [^>]*)?>([ \t\n\r]*)</t>)?</si>|<si/>")


@dataclass
class SheetScan:
    """What one worksheet's bytes say before calamine reads them (0-based positions)."""

    rows: int = 0  # last filled row, 1-based
    columns: int = 0  # last filled column, 1-based
    fixes: dict[tuple[int, int], CellValue] = field(default_factory=dict)  # read as openpyxl
    floats: set[tuple[int, int]] = field(default_factory=set)  # whole numbers kept as float


def column_number(letters: bytes) -> int:
    n = 0
    for byte in letters:
        n = n * 26 + byte - 64
    return n


def _position(letters: bytes, digits: bytes) -> tuple[int, int]:
    return int(digits) - 1, column_number(letters) - 1


def unusual(part: bytes, placed: bool = False) -> bool:
    """A part calamine would read differently from openpyxl, or read where openpyxl refuses:
    a NUL byte or a stray « < » (not XML: quick-xml reads past them), a namespace prefix;
    `placed`: a row or cell placed by position (no reference) too, in the same pass."""
    if b"\0" in part:
        return True
    if placed:
        return _ODD_OR_PLACED.search(part) is not None
    return _STRAY.search(part) is not None or _PREFIXED.search(part) is not None


def extent(part: bytes) -> tuple[int, int] | None:
    """(rows, columns) that bound the filled area of a sheet whose every row and cell carries
    its reference (`unusual(part, placed=True)` said so), or None (a row beyond Excel's last,
    or more <row> than Excel has rows: package_guard's count, done here, counted in C before
    any list of rows is built when the part is large enough to hold that many).

    Cheap first: the last row number of the <row> elements, and a cell reference with more
    digits (or a greater leading digit) or a longer column than seen is searched for; only a
    sheet whose bound would exceed the limits pays for every reference (`exact_extent`).
    """
    if len(part) >= len(b'<row r="1"') * EXCEL_MAX_ROWS \
            and part.count(b'<row r="') > EXCEL_MAX_ROWS:  # every <row> has r="…"
        return None  # counted before a list of them is built (a hostile part: millions)
    numbers = _ROW.findall(part)
    last = max(map(int, numbers), default=0)
    if last > EXCEL_MAX_ROWS:
        return None
    digits = len(str(last))
    lead = str(last)[0]
    higher = "" if lead == "9" else f"[{int(lead) + 1}-9][0-9]{{{digits - 1}}}|"
    beyond = re.compile(rb'<c r="[A-Z]{1,3}(?:' + higher.encode()
                        + rb"[0-9]{%d,})" % (digits + 1))
    if beyond.search(part) is not None:
        return exact_extent(part)
    rows = (int(lead) + 1) * 10 ** (digits - 1) - 1 if last else 0
    for letters, columns in ((3, 16_384), (2, 702)):
        if re.search(rb'<c r="[A-Z]{%d}[0-9]' % letters, part) is not None:
            return rows, columns
    return rows, 26


def exact_extent(part: bytes) -> tuple[int, int]:
    """(last row, last column) of the cells that may hold a value (a formatted cell written
    <c r="B2" s="1"/> holds none, and calamine does not place it).

    A slice of about a megabyte at a time, cut just after a « > » (a cell's start tag ends
    at its first one, so no reference is cut): listing every cell of a 50 MB sheet at once
    took 185 MB (1.8 million cells, found while reviewing #16), several times that for a
    part as large as the limits allow."""
    rows = columns = 0
    start = 0
    while start < len(part):
        end = part.find(b">", start + _EXTENT_SLICE)
        end = len(part) if end < 0 else end + 1
        refs = _FILLED.findall(part, start, end)
        if refs:
            rows = max(rows, *map(int, set(map(itemgetter(1), refs))))
            columns = max(columns, *map(column_number, set(map(itemgetter(0), refs))))
        start = end
    return rows, columns


def fixes(part: bytes, blank_shared: dict[int, str]) -> SheetScan:
    """The cells calamine reads otherwise than openpyxl, each found by a targeted search."""
    scan = SheetScan()
    if b't="e"' in part:
        for letters, digits, inner in _ERROR.findall(part):
            value = _VALUE.search(inner)
            if value is not None:
                scan.fixes[_position(letters, digits)] = CellError(
                    value.group(1).decode("utf-8", "replace"))
    if b"<is>" in part and any(blank in part for blank in _BLANK_INLINE_ENDS):
        for letters, digits, blank in _EMPTY_INLINE.findall(part):
            scan.fixes[_position(letters, digits)] = blank.decode()
    if blank_shared and b't="s"' in part:
        indexes = b"|".join(str(i).encode() for i in sorted(blank_shared))
        pattern = rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\bt="s"[^>]*><v>(' + indexes \
            + rb")</v>"
        for letters, digits, index in re.findall(pattern, part):
            scan.fixes[_position(letters, digits)] = blank_shared[int(index)]
    if _ROUND_OR_LONG.search(part) is not None:
        for letters, digits, attrs, text in _NUMBER.findall(part):
            if b"t=" in attrs and b't="n"' not in attrs:
                continue
            where = _position(letters, digits)
            if text.strip(b"-+").isdigit():
                scan.fixes[where] = int(text)
            else:
                scan.floats.add(where)
    return scan


def blank_shared_strings(strings: bytes) -> dict[int, str]:
    """The empty or blank items of sharedStrings.xml, by index: openpyxl reads them as typed
    ("" or spaces), calamine as an empty cell."""
    found = {}
    for match in _BLANK_SHARED.finditer(strings):
        index = len(_SHARED_ITEM.findall(strings, 0, match.start()))
        found[index] = (match.group(1) or b"").decode()
    return found


@dataclass(frozen=True)
class _Tab:
    title: str
    part: str  # "" for a chartsheet
    hidden: bool


def _tabs(book: zipfile.ZipFile) -> list[_Tab] | None:
    """The tabs workbook.xml lists, in order, or None if the package is unusual."""
    from .package_index import Package, sheet_entries, workbook_part
    from .xmltext import GraftError

    try:
        package = Package.open(book)
        entries = sheet_entries(package, workbook_part(package))
    except GraftError:
        return None
    tabs = []
    for entry in entries:
        if entry.kind == CHARTSHEET:
            tabs.append(_Tab(entry.name, "", entry.state != "visible"))
        elif entry.kind == WORKSHEET and entry.part:
            tabs.append(_Tab(entry.name, entry.part, entry.state != "visible"))
        else:
            return None  # a macro or dialog sheet, a missing part: openpyxl decides
    return tabs


def _value(value: Any) -> CellValue:
    """calamine_read's value, but a date is a datetime at midnight, as openpyxl gives it."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return calamine_value(value)


def _row_values(raw: list[Any]) -> tuple[CellValue, ...]:
    """`tuple(map(_value, raw))`, with `_value` inlined for texts, most cells ("": empty)."""
    return tuple([(v or None) if type(v) is str else _value(v) for v in raw])


def _rows(sheet: Any, scan: SheetScan, nrows: int | None) -> list[tuple[CellValue, ...]]:
    rows: list[tuple[CellValue, ...]] = []
    if sheet.end is None:
        return rows
    for raw in sheet.to_python(skip_empty_area=False, nrows=nrows):
        rows.append(_row_values(raw))
    for (r, c), fixed in scan.fixes.items():
        if r < len(rows) and c < len(rows[r]):
            rows[r] = (*rows[r][:c], fixed, *rows[r][c + 1:])
    for r, c in scan.floats:
        whole = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
        if isinstance(whole, int) and not isinstance(whole, bool):
            rows[r] = (*rows[r][:c], float(whole), *rows[r][c + 1:])
    return rows


_FIRST_ROW = re.compile(rb'<row r="1"[^>]*>(.*?)</row>', re.S)
_INLINE_A1 = re.compile(
    rb'<c r="A1"[^>]*?\bt="inlineStr"[^>]*><is><t(?: [^>]*)?>([^<]*)</t></is></c>')


def _skimmed(book: zipfile.ZipFile, tabs: list[_Tab],
             keep_generated: Collection[str] | None) -> dict[str, str]:
    """The generated tabs read as their marker alone (part -> A1), not parsed at all: those
    not kept whose first row is A1 only, an inline string carrying the marker (as the graft
    writes it; a tab saved again by Excel, its A1 a shared string, is read whole)."""
    if keep_generated is None:
        return {}
    from .read import unescape

    found = {}
    for tab in tabs:
        if not tab.part or tab.title in keep_generated:
            continue
        with book.open(tab.part) as stream:
            row = _FIRST_ROW.search(stream.read(1 << 16))
        if row is None or sum(row.group(1).count(start) for start in (b"<c ", b"<c>")) != 1:
            continue
        cell = _INLINE_A1.match(row.group(1))
        if cell is None:
            continue
        text = unescape(_xml_unescape(cell.group(1).decode("utf-8", "replace")))
        if is_generated(text):
            found[tab.part] = text
    return found


class _Defer(Exception):
    """This workbook goes to openpyxl."""


def read_grids(name: str, data: bytes, origin_name: str | None, limits: ReadLimits,
               keep_generated: Collection[str] | None,
               only: str | None = None) -> tuple[Grid, ...] | None:
    """Every tab of an .xlsx/.xlsm workbook read by calamine (`only`: the tab of that title
    alone), or None: openpyxl should."""
    try:
        return _read(name, data, origin_name, limits, keep_generated, only)
    except _Defer:
        return None
    except SourceError:
        return None  # beyond a limit: openpyxl refuses it with its own message
    except BaseException as exc:  # CalamineError, PanicException (a BaseException), zip…
        from python_calamine import CalamineError

        if not (isinstance(exc, CalamineError) or type(exc).__name__ == "PanicException"
                or is_damage(exc)):
            raise  # Ctrl-C, MemoryError, a full disk, a missing codec: the machine's
        return None  # damage: openpyxl reads it, or says « endommagé » as it always did


def _read(name: str, data: bytes, origin_name: str | None, limits: ReadLimits,
          keep_generated: Collection[str] | None, only: str | None) -> tuple[Grid, ...]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    scans: dict[str, SheetScan] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        tabs = _tabs(book)
        if tabs is None or not _well_formed(book):
            raise _Defer
        strings = next((n for n in book.namelist() if n.lower() == "xl/sharedstrings.xml"), "")
        shared = book.read(strings) if strings else b""
        if unusual(shared) or over_strings(shared, limits):
            raise _Defer  # (openpyxl's path counts them exactly, and says it)
        blank = blank_shared_strings(shared)
        del shared
        skimmed = _skimmed(book, tabs, keep_generated) if only is None else {}
        for tab in tabs:
            if not tab.part or tab.part in skimmed or only not in (None, tab.title):
                continue
            with book.open(tab.part) as stream:  # a row or cell without number: openpyxl
                head = stream.read(1 << 16)  # streams it (a million rows: never held)
                found = _UNNUMBERED.search(head)
                if found is not None and (len(head) < 1 << 16 or found.end() < len(head) - 8):
                    raise _Defer  # (a « <c » cut at the end of the chunk is looked at whole)
            # read again whole, its head too: `head + rest` was a second copy of a 60 MB part
            part = book.read(tab.part) if len(head) == 1 << 16 else head
            bound = None if unusual(part, placed=True) else extent(part)
            if bound is None:
                raise _Defer
            if bound[0] * bound[1] > limits.max_cells or bound[0] > limits.max_rows \
                    or bound[1] > limits.max_columns:
                bound = exact_extent(part)  # what calamine will allocate, at most
                CellBudget(name, limits).row(*bound)  # SourceError: openpyxl says it
            scans[tab.part] = fixes(part, blank)
            del part
    origin = origin_name or name
    budget = CellBudget(name, limits)
    grids = []
    with _panic_report_hidden(), CalamineWorkbook.from_filelike(io.BytesIO(data)) as calamine:
        metas = calamine.sheets_metadata
        if [str(m.name) for m in metas] != [t.title for t in tabs]:
            raise _Defer
        for tab, meta in zip(tabs, metas, strict=True):
            if (meta.visible != SheetVisibleEnum.Visible) != tab.hidden:
                raise _Defer
            if only not in (None, tab.title):
                continue
            budget.start(tab.title)
            rows: tuple[tuple[CellValue, ...], ...] = ()
            if tab.part in skimmed:
                rows = ((skimmed[tab.part],),)
                budget.row(1, 1)
            elif tab.part:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    raise _Defer
                scan = scans.pop(tab.part)
                sheet = calamine.get_sheet_by_name(meta.name)
                skim = keep_generated is not None and tab.title not in keep_generated
                first = _rows(sheet, scan, 1) if skim else []
                if first and first[0] and is_generated(first[0][0]):
                    rows = trimmed(first)
                else:
                    if sheet.end is not None:  # SourceError: openpyxl says it
                        budget.row(sheet.end[0] + 1, sheet.end[1] + 1)
                    rows = trimmed(_rows(sheet, scan, None))
                if rows:
                    budget.row(len(rows), len(rows[0]))
            grids.append(Grid(
                tab=f"{origin_name} › {tab.title}" if origin_name else tab.title,
                rows=rows, sheet=tab.title, origin=origin, hidden=tab.hidden,
            ))
    return tuple(grids)


WORKBOOK_TYPES = tuple(
    f"application/vnd.{kind}.main+xml".encode() for kind in (
        "openxmlformats-officedocument.spreadsheetml.sheet",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled", "ms-excel.template.macroEnabled"))
CHECKED_PARTS = ("[content_types].xml", "xl/workbook.xml", "xl/styles.xml",
                 "docprops/core.xml", "xl/_rels/workbook.xml.rels")


def _well_formed(book: zipfile.ZipFile) -> bool:
    """The small parts openpyxl parses are XML, and [Content_Types].xml names a workbook
    (openpyxl finds the workbook there; calamine through _rels/.rels)."""
    from xml.parsers import expat

    names = {n.lower(): n for n in book.namelist()}
    for part in CHECKED_PARTS:
        if part not in names:
            if part in ("[content_types].xml", "xl/workbook.xml"):
                return False
            continue
        text = book.read(names[part])
        if part == "[content_types].xml" and not any(t in text for t in WORKBOOK_TYPES):
            return False
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = _forbid  # package_guard refused it already
        parser.EntityDeclHandler = _forbid
        try:
            parser.Parse(text, True)
        except (expat.ExpatError, ValueError):
            return False
    return True


def _xml_unescape(text: str) -> str:
    """xml.sax.saxutils.unescape without its imports (urllib, http, ssl, email: ~20 ms of
    every start-up): the same three entities, « &amp; » last."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
