"""Add rows to a tab people type in (« Suivi de l'année »), changing no byte of what they typed.

    absent tab     rendered alone by xlsxwriter (header, widths, frozen header, drop-down
                   lists), then grafted in like a generated tab (graft): every other part
                   is copied; a missing workbook is that rendered package
    present tab    its worksheet part edited as text: the rows go after the last row
                   holding a value (place_rows): rows below that only hold formatting
                   receive the new cells (their attributes and cell styles kept), others
                   are new <row> elements of inline strings; <dimension> widened; a table
                   (ListObject) reaching the last value grown to cover them
                   (extend_table); every other zip member copied compressed as it was
                   (zip_raw), every cell holding a value untouched

The rest is the sync's safe write (write.py): refused when the workbook is open in Excel or
LibreOffice or read-only, fingerprint checked before and again just before the replace, temp
file beside the workbook, fsync, backup of the bytes read, os.replace. openpyxl never loads
and saves the workbook.

A typed tab carries no banner: the sync never treats it as its own and never rewrites it.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...cells.a1 import column_letters
from ...errors import SourceChanged, SourceError, WriteRefused
from ..files.os_reasons import disk_problem
from ..files.zip_raw import copy_member
from ..typed_tab import Row, TypedTab
from . import xmltext as xt
from .graft import GraftError, _info, graft
from .package_index import (
    MAIN,
    REL,
    WORKSHEET_TYPE,
    Package,
    sheet_entries,
    workbook_part,
)
from .read import check_package, fingerprint_bytes
from .write import (
    _copy_mode,
    _replace,
    _temporary,
    _write_file,
    bytes_to_replace,
    replace_workbook,
)

__all__ = ["EXCEL_ROWS", "Appended", "GridFull", "HeaderTooLow", "TypedTab", "add_rows",
           "append_to_sheet", "extend_table", "place_rows", "render_typed_tab"]

TABLE_TYPE = f"{REL}/table"

# --- a new tab ------------------------------------------------------------------------------

_LIST_MAX = 255  # Excel's limit on a list typed in the validation


def render_typed_tab(tab: TypedTab, rows: Sequence[Row]) -> bytes:
    """A workbook holding only `tab`: header, then `rows`, every value written as text."""
    import xlsxwriter  # only when a tab is created

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet(tab.name)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                              "text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for c, width in enumerate(tab.widths):
        sheet.set_column(c, c, width, day if c + 1 in tab.dates else None)
    for c, label in enumerate(tab.header):
        sheet.write_string(0, c, label, header)
    sheet.freeze_panes(1, 0)
    for col, choices in tab.lists:
        if len(",".join(choices)) <= _LIST_MAX and not any("," in c for c in choices):
            sheet.data_validation(1, col - 1, tab.data_rows, col - 1, {
                "validate": "list", "source": list(choices), "error_type": "warning",
                "error_title": "Valeur hors liste",
                "error_message": "Cette valeur n'est pas dans la liste : sheets-sync la "
                                 "signalera. Choisissez-en une dans la liste déroulante.",
            })
    for r, row in enumerate(rows, start=1):
        for col, text in row.items():
            sheet.write_string(r, col - 1, text)
    book.close()
    return out.getvalue()


# --- rows appended to a present tab ---------------------------------------------------------

_ROW = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_NUMBERED_ROW = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?(?<=\s)r=[\"']([0-9]+)[\"']")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff]")  # and CR: XML reads it as LF
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_START = re.compile(r"""<[^\s/>]+(?:[^>"']|"[^"]*"|'[^']*')*>""")


class GridFull(GraftError):
    """The new rows would go beyond Excel's last row (EXCEL_ROWS)."""


class HeaderTooLow(GraftError):
    """The first new row (a header) would be below the rows it must be found in."""

    def __init__(self, row: int) -> None:
        super().__init__(f"l'en-tête irait à la ligne {row}")
        self.row = row


EXCEL_ROWS = 1_048_576  # Excel's grid: rows 1..1048576


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _cell_text(text: str) -> str:
    """Text as an inline string's content: « _x0041_ » stays itself, control characters
    are written as Excel's own _xHHHH_ escapes (XML cannot carry them)."""
    text = _ESCAPED.sub(r"_x005F_x\1_", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return xt.escape(text)


def _widen(text: str, last_row: int, last_col: int) -> str:
    """<dimension ref="A1:I20"> grown to cover `last_row` and `last_col` (kept if absent)."""
    span = xt.element(text, "dimension")
    if span is None:
        return text
    start, open_end = span[0], span[1]
    head = text[start:open_end]
    ref = (xt.attr(head, "ref") or "A1").split(":")
    first = _CELL_REF.match(ref[0])
    final = _CELL_REF.match(ref[-1])
    if first is None or final is None:
        return text
    col = max(_column(final.group(1)), last_col)
    row = max(int(final.group(2)), last_row)
    new = f"{first.group(1).upper()}{first.group(2)}:{column_letters(col)}{row}"
    return text[:start] + xt.set_attr(head, "ref", new) + text[open_end:]


@dataclass(frozen=True)
class _Row:
    """One <row> element of sheetData: where it is and its number."""

    start: int
    end: int
    number: int


def _head(element: str) -> str:
    """An element's start tag (quotes may hold « > »)."""
    found = _START.match(element)
    if found is None:
        raise GraftError("élément illisible dans l'onglet")
    return found.group(0)


def _valued(cell: str) -> bool:
    """A <c> holding anything (<v>, <f>, <is>…): only <c …/> or <c …></c> is empty."""
    if cell.endswith("/>"):
        return False
    return bool(cell[len(_head(cell)):cell.rindex("<")].strip())


def _rows(text: str, start: int, end: int, prefix: str) -> list[_Row]:
    """The <row> elements between `start` and `end`; a row without its number is refused."""
    out = []
    for found in xt.children(text, "row", prefix).finditer(text, start, end):
        number = _NUMBERED_ROW.match(found.group(0))
        if number is None:
            raise GraftError("ligne sans numéro dans l'onglet")
        out.append(_Row(found.start(), found.end(), int(number.group(1))))
    if len(out) != sum(1 for _ in _ROW.finditer(text, start, end)):
        raise GraftError("ligne illisible dans l'onglet")
    return out


def _last_valued(text: str, rows: list[_Row], prefix: str) -> int:
    """The highest number of a row holding a value (0: none), read from the bottom up: the
    rows above it are not looked into (rows are in order, as the format requires; else all
    are)."""
    cell = xt.children(text, "c", prefix)
    numbers = [r.number for r in rows]
    ordered = all(a < b for a, b in itertools.pairwise(numbers))
    best = 0
    for row in reversed(rows):
        if row.number > best and any(_valued(c.group(0))
                                     for c in cell.finditer(text, row.start, row.end)):
            best = row.number
            if ordered:
                break
    return best


def _new_cell(p: str, col: int, r: int, value: str, style: str | None) -> str:
    s = "" if style is None else f' s="{xt.escape(style)}"'
    ref = f"{column_letters(col)}{r}"
    return (f'<{p}c r="{ref}"{s} t="inlineStr"><{p}is><{p}t xml:space="preserve">'
            f"{_cell_text(value)}</{p}t></{p}is></{p}c>")


def _merged(element: str, row: Row, r: int, p: str) -> str:
    """An existing <row> holding no value, given the new cells: its attributes kept (spans
    widened), its empty <c> kept, or replaced by the new cell of the same column keeping
    their style; a new cell without one takes the row's style when the row has one."""
    head = _head(element)
    row_style = xt.attr(head, "s") if xt.attr(head, "customFormat") in ("1", "true") else None
    old: dict[int, tuple[str, str | None]] = {}
    cell = xt.children(element, "c", p)
    inner = "" if head.endswith("/>") else element[len(head):element.rindex("<")]
    rest = cell.sub("", inner).strip()  # what a row holds besides cells: <extLst>
    for found in cell.finditer(inner):
        tag = _head(found.group(0))
        at = _CELL_REF.match(xt.attr(tag, "r") or "")
        if at is None:
            raise GraftError("cellule sans référence dans l'onglet")
        old[_column(at.group(1))] = (found.group(0), xt.attr(tag, "s"))
    cells = []
    for col in sorted({*old, *row}):
        if col in row:
            style = old[col][1] if col in old else row_style
            cells.append(_new_cell(p, col, r, row[col], style))
        else:
            cells.append(old[col][0])
    spans = xt.attr(head, "spans")
    if spans is not None and re.fullmatch(r"[0-9]+:[0-9]+", spans) and row:
        low, high = (int(n) for n in spans.split(":"))
        wanted = f"{min(low, min(row))}:{max(high, max(row))}"
        if wanted != spans:
            head = xt.set_attr(head, "spans", wanted)
    if head.endswith("/>"):
        head = head[:-2] + ">"
    return f'{head}{"".join(cells)}{rest}</{p}row>'


def _fresh(row: Row, r: int, p: str) -> str:
    cells = "".join(_new_cell(p, col, r, value, None) for col, value in sorted(row.items()))
    return f'<{p}row r="{r}">{cells}</{p}row>'


@dataclass(frozen=True)
class Appended:
    """Where append_to_sheet put the rows: the first new row, the last row holding a value
    before (0: none), and the last new row."""

    first: int
    last_valued: int
    last: int


def place_rows(text: str, rows: Sequence[Row], *,
               first_at_most: int | None = None) -> tuple[str, Appended]:
    """A worksheet's XML with `rows` added after its last row holding a value.

    Rows below it that only hold formatting (a fill, a border, a height) receive the new
    cells: the <row> keeps its attributes, its empty <c> are kept or, in a column given a
    value, replaced by the new cell with their style. A cell holding a value is never
    changed; every other byte stays where it was. `first_at_most`: the first new row may
    not be lower (HeaderTooLow otherwise: a header the reader would not find); GridFull when
    the rows would go beyond Excel's last row.
    """
    span = xt.element(text, "sheetData")
    if span is None:
        raise GraftError("onglet sans sheetData")
    start, open_end, close, end, p = span
    existing = _rows(text, open_end, close, p)
    last_valued = _last_valued(text, existing, p)
    first = last_valued + 1
    last = first + len(rows) - 1
    done = Appended(first, last_valued, last)
    if not rows:
        return text, done
    if first_at_most is not None and first > first_at_most:
        raise HeaderTooLow(first)
    if last > EXCEL_ROWS:
        raise GridFull(f"ligne {last} au-delà de la dernière ligne d'Excel ({EXCEL_ROWS})")
    wanted = {first + n: row for n, row in enumerate(rows)}
    pieces: list[str] = []
    inserted: list[str] = []
    cursor, next_new = open_end, first  # rows first..next_new-1 are placed
    for e in existing:
        if e.number < first or next_new > last:
            continue
        if next_new < e.number:  # new rows before this one
            pieces.append(text[cursor:e.start])
            new = [_fresh(wanted[r], r, p) for r in range(next_new, min(e.number, last + 1))]
            pieces.extend(new)
            inserted.extend(new)
            cursor, next_new = e.start, min(e.number, last + 1)
        if e.number == next_new <= last:
            pieces.append(text[cursor:e.start])
            merged = _merged(text[e.start:e.end], wanted[e.number], e.number, p)
            pieces.append(merged)
            inserted.append(merged)
            cursor, next_new = e.end, e.number + 1
    tail = [_fresh(wanted[r], r, p) for r in range(next_new, last + 1)]
    inserted.extend(tail)
    xt.parse(f'<{p}sheetData xmlns{":" + p[:-1] if p else ""}="{MAIN}">{"".join(inserted)}'
             f"</{p}sheetData>".encode())  # what is inserted is well formed: so is the whole
    head = text[start:open_end]
    if head.endswith("/>"):  # <sheetData/>
        body = f'{head[:-2]}>{"".join(tail)}</{p}sheetData>'
        text = text[:start] + body + text[end:]
    else:
        text = text[:open_end] + "".join(pieces) + text[cursor:close] + "".join(tail) + text[close:]
    last_col = max((max(row, default=1) for row in rows), default=1)
    return _widen(text, last, last_col), done


def append_to_sheet(text: str, rows: Sequence[Row]) -> tuple[str, int]:
    """place_rows' XML and the first new row's number."""
    out, done = place_rows(text, rows)
    return out, done.first


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7}):\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def _to_row(text: str, local: str, old_end: int, last: int) -> str:
    """Each <local> start tag whose ref ends on row `old_end` made to end on row `last`."""
    out, cursor = [], 0
    for found in xt.tag(local).finditer(text):
        ref = _REF.match(xt.attr(found.group(0), "ref") or "")
        if ref is None or int(ref.group(4)) != old_end:
            continue
        new = f"{ref.group(1)}{ref.group(2)}:{ref.group(3)}{last}"
        out += [text[cursor:found.start()], xt.set_attr(found.group(0), "ref", new)]
        cursor = found.end()
    return "".join(out) + text[cursor:]


def extend_table(text: str, done: Appended) -> str | None:
    """A table part (xl/tables/tableN.xml) grown down to the last new row when its range
    reaches the last row holding a value and stops before the new rows end (its ref, its
    autoFilter's and sortState's); None when it is left as it was (elsewhere, or ending
    with a totals row the new rows would pass)."""
    found = xt.tag("table").search(text)
    if found is None:
        return None
    head = found.group(0)
    ref = _REF.match(xt.attr(head, "ref") or "")
    if ref is None or (xt.attr(head, "totalsRowCount") or "0") != "0":
        return None
    top, bottom = int(ref.group(2)), int(ref.group(4))
    if not top <= done.last_valued <= bottom < done.last:
        return None
    for local in ("autoFilter", "sortState"):
        text = _to_row(text, local, bottom, done.last)
    return _to_row(text, "table", bottom, done.last)


def _append(data: bytes, part: str, rows: Sequence[Row], first_at_most: int | None) -> bytes:
    """The package with `rows` placed in the worksheet `part`, the tables of that sheet
    that end at its last row holding a value grown to cover them."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        text, done = place_rows(xt.decode(src.read(part)), rows, first_at_most=first_at_most)
        package = Package.open(src)
        changed = {part: text}
        for _, kind, target in package.rels.get(part.lower(), []):
            member = package.member(target) if kind == TABLE_TYPE and target else None
            if member is not None:
                table = extend_table(xt.decode(src.read(member)), done)
                if table is not None:
                    changed[member] = table
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename in changed:
                    dst.writestr(_info(info), changed[info.filename].encode("utf-8"))
                else:
                    copy_member(src, dst, info, _info(info))
    return out.getvalue()


def _sheet_part(data: bytes, name: str) -> str | None:
    """The zip member of the worksheet titled `name` (any case), None when there is none."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        package = Package.open(zf)
        for entry in sheet_entries(package, workbook_part(package)):
            if entry.name.casefold() == name.casefold():
                if entry.kind != WORKSHEET_TYPE or not entry.part:
                    raise GraftError(f"« {entry.name} » n'est pas une feuille de calcul")
                return entry.part
    return None


def _package(path: Path, data: bytes | None, tab: TypedTab, rows: Sequence[Row],
             first_at_most: int | None) -> bytes:
    if data is None:
        return render_typed_tab(tab, rows)
    check_package(path, data)
    try:
        part = _sheet_part(data, tab.name)
        if part is None:
            return graft(data, render_typed_tab(tab, rows), [False], generated=())
        return _append(data, part, rows, first_at_most)
    except GridFull:
        limit = f"{EXCEL_ROWS:,}".replace(",", "\u202f")
        raise WriteRefused(
            f"{path.name} : l'onglet « {tab.name} » n'a plus de place pour {len(rows)} "
            f"ligne{'s' if len(rows) > 1 else ''} de plus (Excel s'arrête à la ligne {limit}) "
            "; effacez ce qui est tapé tout en bas de l'onglet, puis relancez. Rien n'a été "
            "écrit.") from None
    except HeaderTooLow as exc:
        raise WriteRefused(
            f"{path.name} : l'onglet « {tab.name} » n'a pas d'en-tête lisible mais des valeurs "
            f"jusqu'à la ligne {exc.row - 1} : l'en-tête irait à la ligne {exc.row}, trop bas "
            f"pour être retrouvé (il est cherché dans les {first_at_most} premières lignes). "
            "Videz ces cellules ou tapez l'en-tête en ligne 1, puis relancez. Rien n'a été "
            "écrit.") from None
    except GraftError as exc:
        raise WriteRefused(
            f"{path.name} : structure inattendue de l'onglet « {tab.name} » ({exc}) ; rien "
            "n'a été écrit."
        ) from None
    except (zipfile.BadZipFile, KeyError, EOFError) as exc:
        raise SourceError(f"{path.name} est endommagé ({type(exc).__name__}).") from None


def _keep_backup(source: Path, data: bytes, backup: Path) -> None:
    """The bytes read, at `backup` (its folder made), written whole before it gets its name."""
    try:
        backup.parent.mkdir(parents=True, exist_ok=True)
        with _temporary(backup) as temp:
            _write_file(temp, data)
            _copy_mode(source, temp)
            _replace(temp, backup)
    except OSError as exc:
        why, todo = disk_problem(exc)
        raise WriteRefused(
            f"Sauvegarde impossible : {backup.name} n'a pas pu être écrite dans "
            f"{backup.parent} ({why}). {source.name} n'a pas été modifié ; {todo}."
        ) from None


def _changed(path: Path) -> SourceChanged:
    return SourceChanged(f"{path.name} a été modifié pendant la préparation du suivi ; rien "
                         "n'a été écrit. Relancez la commande.")


def add_rows(path: Path, tab: TypedTab, rows: Sequence[Row], *,
             expected_fingerprint: str | None, backup: Path | None,
             first_at_most: int | None = None) -> Path | None:
    """Append `rows` to the typed tab `tab.name` of the workbook (tab, or workbook, created
    when absent, with `rows` under its header); returns the backup written, if any.

    `expected_fingerprint`: the bytes' sha256 when the tab was read (None: the workbook did
    not exist); a workbook changed since is refused (SourceChanged), as is one open in
    Excel or LibreOffice, or read-only (WriteRefused). `backup`: where the bytes read are
    kept before the replace (nothing is kept for a workbook created here).
    `first_at_most`: the lowest row the first of `rows` may go on in a present tab (a header
    the reader must find); refused (WriteRefused) otherwise, as are rows beyond Excel's last.
    """
    path = Path(path)
    data = bytes_to_replace(path)
    before = None if data is None else fingerprint_bytes(data)
    if before != expected_fingerprint:
        raise _changed(path)
    package = _package(path, data, tab, rows, first_at_most)

    def keep() -> Path | None:
        if backup is None or data is None:
            return None
        _keep_backup(path, data, backup)
        return backup

    return replace_workbook(path, package, before, _changed, keep)
