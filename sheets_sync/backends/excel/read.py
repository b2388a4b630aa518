"""Read workbooks into grids (values only), with python-calamine.

What a file holds is told by its bytes, not its name (`package_guard.sniff`)::

    zip, OOXML workbook part      .xlsx / .xlsm   xlsx_read (openpyxl_read when unusual)
    zip, xl/workbook.bin          .xlsb           calamine_read
    zip, mimetype = ODS           .ods            calamine_read
    OLE compound file             .xls            calamine_read (encrypted OOXML: refused,
                                                  with the password message)

Before any parser runs, `package_guard` checks the file against the limits of [lecture]
(the <row> and <si> of an .xlsx's large parts are counted by xlsx_read in the passes it makes
anyway, and by the guard before openpyxl parses a package).

.xlsx/.xlsm: calamine reads the values, after a scan of the sheet XML for what it cannot
see (error cells, empty strings, the extent against the limits: `xlsx_read`); a workbook of
unusual shape, beyond a limit or refused by calamine is read by the previous openpyxl reader
(`openpyxl_read`), so every refusal keeps its message. Measured on a 2-core machine (loaded),
the 650-school campaign workbook: see bench/bench_sync.py and issue #16.

Everything that can go wrong with a file becomes a `SourceError` with a French message.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...cells.grid import CellError, CellValue, Grid
from ...config import ReadLimits
from ...errors import SourceError
from ..files import package_guard
from ..files.damage import is_damage
from ..files.os_reasons import reason
from ..files.package_guard import ENCRYPTED_STREAM, OLE_MAGIC, XLSX
from . import calamine_read, xlsx_read

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
    # the bytes read, kept for `read_tab` (a tab skimmed at first, read whole if needed)
    data: bytes = field(default=b"", repr=False, compare=False)
    origin_name: str | None = None
    limits: ReadLimits = field(default_factory=ReadLimits, repr=False, compare=False)

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



def _grids(name: str, data: bytes, origin_name: str | None, limits: ReadLimits,
           keep_generated: Collection[str] | None,
           only: str | None = None) -> tuple[Grid, ...]:
    """An .xlsx/.xlsm workbook: calamine when its XML has the usual shape, else openpyxl.
    `only`: the tab of that title alone, read whole (none if there is no such tab)."""
    grids = xlsx_read.read_grids(name, data, origin_name, limits, keep_generated, only)
    if grids is not None:
        return grids
    package_guard.count_tags(name, data, limits)  # openpyxl parses every part it reads
    from .openpyxl_read import read_grids_openpyxl

    return read_grids_openpyxl(name, data, origin_name, limits, keep_generated, only)


def read_workbook(path: Path, *, origin_name: str | None = None,
                  limits: ReadLimits = DEFAULT_LIMITS,
                  keep_generated: Collection[str] | None = None) -> WorkbookRead:
    """Every tab of a workbook, values only, generated tabs included.

    With `origin_name` (a fiche file) each grid's tab reads "fichier.xlsx › Fiche". A file
    beyond `limits` (the campaign's [lecture] table) is refused with a SourceError. With
    `keep_generated`, only the generated tabs of those titles are read whole; the others
    (whose content the next sync rebuilds anyway) are read as their first row, the marker:
    a re-sync at 7,000 schools no longer reads back its own 370,000 generated cells. One of
    them the sync turns out to need is read whole later, from the same bytes (`read_tab`).
    """
    path = Path(path)
    data = read_bytes(path, limits)
    # large parts' tags counted by the reader, in the passes it makes anyway (`_grids`)
    kind = package_guard.sniff(path.name, data, limits, tags=False)
    with _damage_said(path):
        if kind == XLSX:
            grids = _grids(path.name, data, origin_name, limits, keep_generated)
        else:
            grids = calamine_read.read_grids(path.name, data, kind, origin_name, limits)
    return WorkbookRead(path, grids, fingerprint_bytes(data), kind,
                        data if kind == XLSX and keep_generated is not None else b"",
                        origin_name, limits)


def read_tab(book: WorkbookRead, title: str) -> Grid | None:
    """The tab `title` of a workbook already read, whole: a generated tab read at first as
    its marker alone is read again from the same bytes (those the fingerprint is of, so
    nothing typed since can slip in); None when the workbook has no such tab."""
    found = next((g for g in book.grids if g.sheet == title), None)
    if found is None or not book.data or len(found.rows) != 1:
        return found  # not there, or read whole already (a skimmed tab is its marker row)
    with _damage_said(book.path):
        grids = _grids(book.path.name, book.data, book.origin_name, book.limits, (title,),
                       only=title)
    return next(iter(grids), None)


@contextlib.contextmanager
def _damage_said(path: Path) -> Iterator[None]:
    """A workbook's damage said as a SourceError; the machine's own errors left as they are."""
    try:
        yield
    except SourceError:
        raise
    except Exception as exc:
        if not is_damage(exc):  # the machine's own errors (codec, memory, permission)
            raise
        raise SourceError(
            f"{path.name} est endommagé ou n'est pas un classeur Excel lisible "
            f"({type(exc).__name__})."
        ) from None


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


