"""Read workbooks into grids (values only): .xlsx/.xlsm with openpyxl, the others via calamine.

What a file holds is told by its bytes, not its name (`package_guard.sniff`)::

    zip, OOXML workbook part      .xlsx / .xlsm   openpyxl, here
    zip, xl/workbook.bin          .xlsb           calamine_read
    zip, mimetype = ODS           .ods            calamine_read
    OLE compound file             .xls            calamine_read (encrypted OOXML: refused,
                                                  with the password message)

Before any parser runs, `package_guard` checks the file against the limits of [lecture].

openpyxl loads with ``read_only=True, data_only=True``: a formula gives the value Excel cached.
Measured on 2 CPUs (200 fiches of 40 x 3 cells; one tab of 5 000 x 30 cells)::

    read_only=True    200 fiches 1.05 s    5 000 x 30: 1.80 s    memory flat
    read_only=False   200 fiches 0.87 s    5 000 x 30: 2.42 s    whole workbook in memory

The streaming reader costs about 1 ms more per small file and wins on large ones, where it
matters; it trusts no stored dimension (``reset_dimensions``), so a wrong <dimension>
(tablib's bad_dimensions.xlsx) cannot hide rows, and it keeps only the rows that hold
something: each one is counted against the limits as it streams by (`CellBudget`), so a
1 000 000-row tab is refused at row ``lignes_max + 1`` without ever being held in memory.

openpyxl looks for each sheet's <dimension> when it loads a workbook read-only
(``ReadOnlyWorksheet._get_size``), and a sheet without one is parsed whole to find that out,
before any row reaches us: a 1 000 000-row sheet would cost its full parse first. The
dimension is reset anyway, so that look-up is skipped while we load (`_no_dimension_lookup`).

Everything that can go wrong with a file becomes a `SourceError` with a French message.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zipfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from ...cells.grid import CellError, CellValue, Grid, is_generated
from ...config import ReadLimits
from ...errors import SourceError
from ..files import package_guard
from ..files.damage import is_damage
from ..files.os_reasons import reason
from ..files.package_guard import (
    ENCRYPTED_STREAM,
    EXCEL_MAX_ROWS,
    OLE_MAGIC,
    XLSX,
    CellBudget,
    number,
)
from . import calamine_read

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")  # what a folder of fiches may hold
DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True)
class WorkbookRead:
    """Every tab of one workbook, and the fingerprint of the bytes they were read from.

    `kind` is what the bytes hold (« xlsx », « xlsb », « ods », « xls »): only an « xlsx »
    (.xlsx or .xlsm) can receive generated tabs.
    """

    path: Path
    grids: tuple[Grid, ...]
    fingerprint: str
    kind: str = XLSX

    @property
    def writable(self) -> bool:
        return self.kind == XLSX


def fingerprint_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_fingerprint(path: Path) -> str:
    """sha256 of the file as it is on disk now."""
    return fingerprint_bytes(read_bytes(path))


def read_bytes(path: Path, limits: ReadLimits | None = None) -> bytes:
    """The file's bytes, or a SourceError saying why they cannot be had.

    With `limits`, a file larger than « taille_max_mo » is refused before it is read.
    """
    if not path.exists():
        raise SourceError(f"Classeur introuvable : {path}")
    if path.is_dir():
        raise SourceError(f"{path} est un dossier : un fichier .xlsx est attendu.")
    if limits is not None:
        package_guard.check_file_size(path, limits)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"Classeur illisible : {path} ({reason(exc)}).") from None


def check_package(path: Path, data: bytes) -> None:
    """Refuse, in French, what is not an Office Open XML workbook (a workbook to write into)."""
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in data:
            raise package_guard.password_error(path.name)
        raise SourceError(
            f"{path.name} est au format Excel 97-2003 (.xls) : ouvrez-le dans Excel et "
            "enregistrez-le au format .xlsx."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SourceError(f"{path.name} n'est pas un classeur Excel (.xlsx).")


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """Undo the OOXML escape of characters XML cannot hold: « A_x000D_B » → « A\rB ».

    One pass, so « _x005F_x000D_ » (a literal « _x000D_ » typed by someone) stays as typed.
    """
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _value(cell: Any) -> CellValue:
    value = cell.value
    if getattr(cell, "data_type", None) == "e" and isinstance(value, str):
        return CellError(value)
    if isinstance(value, str):
        return unescape(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):  # datetime, date, time
        return value  # type: ignore[no-any-return]
    return str(value)  # timedelta and other oddities: shown as typed


def _sheet_rows(sheet: Any, budget: CellBudget,
                first_if_generated: bool = False) -> tuple[tuple[CellValue, ...], ...]:
    """The rows of a worksheet, streamed: trailing empty rows and columns dropped, every row
    as wide as the widest (None-padded); each row that holds something is counted against
    the limits before it is kept, empty ones are only counted.

    A cell "holds something" when its value is not None; an empty string makes a row kept
    (as before), but only filled values (not "") decide the width and the last row.
    With `first_if_generated`, a tab whose A1 carries our marker stops after its first row.
    """
    rows: list[tuple[CellValue, ...]] = []
    pending = 0  # empty rows since the last kept one, kept only if a filled row follows
    for index, cells in enumerate(sheet.iter_rows(), start=1):
        if index > EXCEL_MAX_ROWS:  # a row number no spreadsheet can hold: not a sheet
            raise SourceError(f"{budget.name} est endommagé : l'onglet « {budget.tab} » a des "
                              f"lignes au-delà de la ligne {number(EXCEL_MAX_ROWS)}.")
        values = [_value(c) for c in cells]
        end = len(values)
        while end and values[end - 1] is None:
            end -= 1
        if not end:
            pending += 1
            continue
        budget.row(index, end)
        rows.extend(() for _ in range(pending))
        pending = 0
        rows.append(tuple(values[:end]))
        if first_if_generated and index == 1 and is_generated(values[0]):
            break
    return calamine_read.trimmed(rows)


@contextmanager
def _no_dimension_lookup() -> Iterator[None]:
    """Load without openpyxl reading each sheet's <dimension> (the whole sheet if it has none).

    The method is swapped on the class for the load and put back on exit: sheets-sync reads
    one workbook at a time, in one thread.
    """
    original = ReadOnlyWorksheet.__dict__.get("_get_size")
    if original is None:  # another openpyxl: nothing to skip
        yield
        return
    ReadOnlyWorksheet._get_size = lambda self: None
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = original


def _grids(name: str, data: bytes, origin_name: str | None, limits: ReadLimits,
           keep_generated: Collection[str] | None) -> tuple[Grid, ...]:
    origin = origin_name or name
    budget = CellBudget(name, limits)
    with warnings.catch_warnings(), _no_dimension_lookup():
        warnings.simplefilter("ignore")  # openpyxl warns about what it does not read
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
        try:
            grids = []
            for sheet_name in book.sheetnames:
                sheet = book[sheet_name]
                title = str(sheet_name)
                budget.start(title)
                rows: tuple[tuple[CellValue, ...], ...] = ()
                if hasattr(sheet, "iter_rows"):  # a chartsheet has no cells
                    sheet.reset_dimensions()
                    skim = keep_generated is not None and title not in keep_generated
                    rows = _sheet_rows(sheet, budget, skim)
                grids.append(
                    Grid(
                        tab=f"{origin_name} › {title}" if origin_name else title,
                        rows=rows,
                        sheet=title,
                        origin=origin,
                        hidden=sheet.sheet_state != "visible",
                    )
                )
        finally:
            book.close()
    return tuple(grids)


def read_workbook(path: Path, *, origin_name: str | None = None,
                  limits: ReadLimits = DEFAULT_LIMITS,
                  keep_generated: Collection[str] | None = None) -> WorkbookRead:
    """Every tab of a workbook, values only, generated tabs included.

    With `origin_name` (a fiche file) each grid's tab reads "fichier.xlsx › Fiche". A file
    beyond `limits` (the campaign's [lecture] table) is refused with a SourceError. With
    `keep_generated`, only the generated tabs of those titles are read whole; the others
    (whose content the next sync rebuilds anyway) are read as their first row, the marker:
    a re-sync at 7,000 schools no longer reads back its own 370,000 generated cells.
    """
    path = Path(path)
    data = read_bytes(path, limits)
    kind = package_guard.sniff(path.name, data, limits)
    try:
        if kind == XLSX:
            grids = _grids(path.name, data, origin_name, limits, keep_generated)
        else:
            grids = calamine_read.read_grids(path.name, data, kind, origin_name, limits)
    except SourceError:
        raise
    except Exception as exc:
        if not is_damage(exc):  # the machine's own errors (codec, memory, permission)
            raise
        raise SourceError(
            f"{path.name} est endommagé ou n'est pas un classeur Excel lisible "
            f"({type(exc).__name__})."
        ) from None
    return WorkbookRead(path, grids, fingerprint_bytes(data), kind)


def workbook_files(folder: Path, skip: Collection[str] = ()) -> list[Path]:
    """The fiche files of a folder (by suffix: .xlsx .xlsm .xls .xlsb .ods), by name: no lock
    files, no hidden files, no backups (`….sauvegarde.xlsx`), none of `skip`."""
    if not folder.is_dir():
        raise SourceError(f"Dossier de fiches introuvable : {folder}")
    return sorted(
        (
            p
            for p in folder.iterdir()
            if p.suffix.lower() in SUFFIXES
            and not p.name.startswith(("~$", "."))
            and p.name not in skip
            and ".sauvegarde" not in p.name
            and p.is_file()
        ),
        key=lambda p: p.name,
    )


