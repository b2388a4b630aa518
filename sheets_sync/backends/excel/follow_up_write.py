"""Add rows to a tab people type in (« Suivi de l'année »), changing no byte of what they typed.

    absent tab     rendered alone by xlsxwriter (header, widths, frozen header, drop-down
                   lists), then grafted in like a generated tab (graft): every other part
                   is copied; a missing workbook is that rendered package
    present tab    its worksheet part edited as text: new <row> elements of inline strings
                   before </sheetData>, <dimension> widened; every other zip member copied
                   compressed as it was (zip_raw), the sheet's existing rows untouched

The rest is the sync's safe write (write.py): refused when the workbook is open in Excel or
LibreOffice or read-only, fingerprint checked before and again just before the replace, temp
file beside the workbook, fsync, backup of the bytes read, os.replace. openpyxl never loads
and saves the workbook.

A typed tab carries no banner: the sync never treats it as its own and never rewrites it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ...errors import SourceChanged, SourceError, WriteRefused
from ..files.os_reasons import disk_problem
from ..files.zip_raw import copy_member
from ..typed_tab import Row, TypedTab
from . import xmltext as xt
from .graft import GraftError, _info, graft
from .package_index import MAIN, WORKSHEET_TYPE, Package, sheet_entries, workbook_part
from .read import check_package, fingerprint_bytes, read_bytes
from .write import (
    _copy_mode,
    _replace,
    _save,
    _sync_folder,
    _temporary,
    _write_file,
    write_obstacles,
)

__all__ = ["TypedTab", "add_rows", "append_to_sheet", "render_typed_tab"]

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


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _cell_text(text: str) -> str:
    """Text as an inline string's content: « _x0041_ » stays itself, control characters
    are written as Excel's own _xHHHH_ escapes (XML cannot carry them)."""
    text = _ESCAPED.sub(r"_x005F_x\1_", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return xt.escape(text)


def _last_row(text: str, start: int, end: int) -> int:
    """The highest row number inside sheetData (0 when none); a row without one is refused."""
    numbers = [int(n) for n in _NUMBERED_ROW.findall(text, start, end)]
    if len(numbers) != sum(1 for _ in _ROW.finditer(text, start, end)):
        raise GraftError("ligne sans numéro dans l'onglet")
    return max(numbers, default=0)


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
    new = f"{first.group(1).upper()}{first.group(2)}:{_letters(col)}{row}"
    return text[:start] + xt.set_attr(head, "ref", new) + text[open_end:]


def append_to_sheet(text: str, rows: Sequence[Row]) -> tuple[str, int]:
    """A worksheet's XML with `rows` added after its last row, and the first new row's number.

    Only text is inserted: before </sheetData> (or in place of an empty <sheetData/>) and
    in <dimension>'s ref; every existing byte stays where it was.
    """
    span = xt.element(text, "sheetData")
    if span is None:
        raise GraftError("onglet sans sheetData")
    _, open_end, close, _, prefix = span
    first = _last_row(text, open_end, close) + 1
    p = prefix
    items = []
    for n, row in enumerate(rows):
        r = first + n
        cells = "".join(
            f'<{p}c r="{_letters(col)}{r}" t="inlineStr"><{p}is><{p}t xml:space="preserve">'
            f"{_cell_text(value)}</{p}t></{p}is></{p}c>"
            for col, value in sorted(row.items()))
        items.append(f'<{p}row r="{r}">{cells}</{p}row>')
    if not items:
        return text, first
    xt.parse(f'<{p}sheetData xmlns{":" + p[:-1] if p else ""}="{MAIN}">{"".join(items)}'
             f"</{p}sheetData>".encode())  # what is inserted is well formed: so is the whole
    last_col = max((max(row, default=1) for row in rows), default=1)
    text = _widen(text, first + len(rows) - 1, last_col)
    return xt.append_plain(text, "sheetData", items), first


def _append(data: bytes, part: str, rows: Sequence[Row]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        text, _ = append_to_sheet(xt.decode(src.read(part)), rows)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename == part:
                    dst.writestr(_info(info), text.encode("utf-8"))
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


def _package(path: Path, data: bytes | None, tab: TypedTab, rows: Sequence[Row]) -> bytes:
    if data is None:
        return render_typed_tab(tab, rows)
    check_package(path, data)
    try:
        part = _sheet_part(data, tab.name)
        if part is None:
            return graft(data, render_typed_tab(tab, rows), [False], generated=())
        return _append(data, part, rows)
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
             expected_fingerprint: str | None, backup: Path | None) -> Path | None:
    """Append `rows` to the typed tab `tab.name` of the workbook (tab, or workbook, created
    when absent, with `rows` under its header); returns the backup written, if any.

    `expected_fingerprint`: the bytes' sha256 when the tab was read (None: the workbook did
    not exist); a workbook changed since is refused (SourceChanged), as is one open in
    Excel or LibreOffice, or read-only (WriteRefused). `backup`: where the bytes read are
    kept before the replace (nothing is kept for a workbook created here).
    """
    path = Path(path)
    obstacles = write_obstacles(path)
    if obstacles:
        raise WriteRefused(f"{obstacles[0]} Rien n'a été écrit.")
    if not path.parent.is_dir():
        raise WriteRefused(f"Dossier introuvable pour écrire {path.name} : {path.parent}")
    data = read_bytes(path) if path.exists() else None
    before = None if data is None else fingerprint_bytes(data)
    if before != expected_fingerprint:
        raise _changed(path)
    package = _package(path, data, tab, rows)
    saved = None
    try:
        with _temporary(path) as temp:
            _save(package, temp)
            _copy_mode(path if data is not None else None, temp)
            now = fingerprint_bytes(read_bytes(path)) if path.exists() else None
            if now != before:
                raise _changed(path)
            if backup is not None and data is not None:
                _keep_backup(path, data, backup)
                saved = backup
            _replace(temp, path)
    except OSError as exc:
        why, todo = disk_problem(exc)
        raise WriteRefused(
            f"Écriture impossible de {path.name} dans {path.parent} : {why}. Le classeur n'a "
            f"pas été modifié ; {todo}."
        ) from None
    _sync_folder(path.parent)
    return saved
