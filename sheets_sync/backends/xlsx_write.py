"""Write generated tabs into a workbook with openpyxl, safely.

    check        lock file ~$name, fingerprint, lossy content, someone's tab of our name
    build        load, drop our previous tabs, add the new ones at the end, in order
    save         temp file next to the workbook, flush + fsync
    re-check     the fingerprint again (changed meanwhile: temp removed, SourceChanged)
    backup       copy of the original as <name>.sauvegarde.xlsx (.xlsm kept)
    replace      os.replace(temp, workbook)

Any failure before the replace leaves the workbook byte-identical and no temp file behind.

A generated tab as written::

    # Synthèse   A                                   B
    # 1          Généré par sheets-sync … (italic grey)
    # 2          Title (bold)
    # 3
    # 4          Header (bold, filled, wrapped)       …    ← frozen below
    # 5…         data; links are internal ('Réponses'!F7)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from ..errors import SourceChanged, SourceError, WriteRefused
from ..grid import STYLES, CellValue, GeneratedTab, OutCell, is_generated
from .xlsx_losses import generated_parts, package_losses
from .xlsx_read import check_package, fingerprint_bytes, read_bytes

INVALID_TITLE = set("[]:*?/\\")
DATE_FORMAT = "dd/mm/yyyy"

_GREY = "808080"
_FILLS = {
    "header": "DDEBF7",
    "ok": "C6EFCE",
    "error": "FFC7CE",
    "warning": "FFEB9C",
}
_FONTS: dict[str, dict[str, Any]] = {
    "header": {"bold": True},
    "banner": {"italic": True, "color": _GREY},
    "title": {"bold": True, "size": 14},
    "ok": {"color": "006100"},
    "error": {"color": "9C0006"},
    "warning": {"color": "9C5700"},
    "muted": {"italic": True, "color": _GREY},
}
_FORMATS = {"percent": "0 %", "integer": "0", "date": DATE_FORMAT}
_WRAPPED = {"header", "wrap"}
_LINK_FONT = {"color": "0563C1", "underline": "single"}


def backup_path(path: Path) -> Path:
    """campagne.xlsx -> campagne.sauvegarde.xlsx (an .xlsm stays .xlsm)."""
    return path.with_name(f"{path.stem}.sauvegarde{path.suffix}")


def lock_file(path: Path) -> Path:
    return path.with_name(f"~${path.name}")


def _check_names(tabs: Sequence[GeneratedTab]) -> None:
    seen: set[str] = set()
    for tab in tabs:
        name = tab.name
        if not name or len(name) > 31 or INVALID_TITLE & set(name) or "'" in (name[0], name[-1]):
            raise WriteRefused(
                f"Nom d'onglet impossible dans Excel : « {tab.name} » (31 caractères au plus, "
                "sans [ ] : * ? / \\)."
            )
        if tab.name.casefold() in seen:
            raise WriteRefused(f"Deux onglets générés portent le nom « {tab.name} ».")
        seen.add(tab.name.casefold())


def _someone_else(tabs: Sequence[GeneratedTab], existing: dict[str, bool]) -> list[str]:
    """Titles of existing tabs that bear one of our names but not our marker."""
    ours = {t.name.casefold() for t in tabs}
    return [
        title for title, generated in existing.items() if title.casefold() in ours and not generated
    ]


def _refuse_foreign(path: Path, names: list[str]) -> None:
    if names:
        listed = ", ".join(f"« {n} »" for n in names)
        raise WriteRefused(
            f"{path.name} : l'onglet {listed} porte le nom d'un onglet généré mais n'a pas été "
            "créé par sheets-sync ; il n'est pas remplacé. Renommez-le ou changez le nom dans "
            "config.toml. Rien n'a été écrit."
        )


def _existing_tabs(path: Path, data: bytes) -> dict[str, bool]:
    check_package(path, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return generated_parts(zf)
    except Exception as exc:  # a damaged package raises anything
        raise SourceError(f"{path.name} est endommagé ({type(exc).__name__}).") from None


def _refuse_losses(path: Path, data: bytes) -> None:
    lost = _losses(path, data)
    if lost:
        raise WriteRefused(
            f"{path.name} contient ce que l'enregistrement ferait disparaître ; rien n'a été "
            "écrit. Écrivez les onglets générés dans un classeur à part (config.toml : "
            "source.onglets_dans_la_source = false) ou retirez : " + " ; ".join(lost) + "."
        )


def plan_write(path: Path, tabs: Sequence[GeneratedTab]) -> list[tuple[str, str]]:
    """What a write would do, tab by tab: « créé » or « remplacé » (for --dry-run).

    Refuses, as the write itself would, someone else's tab or content a save would lose.
    """
    _check_names(tabs)
    path = Path(path)
    data = read_bytes(path) if path.exists() else None
    existing = _existing_tabs(path, data) if data is not None else {}
    _refuse_foreign(path, _someone_else(tabs, existing))
    if data is not None:
        _refuse_losses(path, data)
    ours = {title.casefold() for title, generated in existing.items() if generated}
    return [(t.name, "remplacé" if t.name.casefold() in ours else "créé") for t in tabs]


def lossy_content(path: Path) -> list[str]:
    """French descriptions of what an openpyxl load/save would lose in input tabs."""
    path = Path(path)
    return _losses(path, read_bytes(path))


def _losses(path: Path, data: bytes) -> list[str]:
    check_package(path, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return package_losses(zf)
    except Exception as exc:
        raise SourceError(f"{path.name} est endommagé ({type(exc).__name__}).") from None


# --- rendering -----------------------------------------------------------------------------


def _cell_value(value: CellValue) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value
    return str(value)  # CellError: its text, as a string


def _write_cell(sheet: Any, row: int, col: int, out: OutCell) -> None:
    if out.style is not None and out.style not in STYLES:
        raise ValueError(f"unknown style: {out.style!r}")
    cell = sheet.cell(row=row, column=col)
    value = _cell_value(out.value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text typed as "=…" stays text, never a formula
    style = out.style or ""
    font = dict(_FONTS.get(style, {}))
    if out.link:
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=out.link)
        font.update(_LINK_FONT)
    if font:
        cell.font = Font(**font)
    if style in _FILLS:
        cell.fill = PatternFill("solid", fgColor=_FILLS[style])
    if style in _WRAPPED:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if style in _FORMATS:
        cell.number_format = _FORMATS[style]
    elif isinstance(value, (dt.date, dt.time)):
        cell.number_format = _date_format(value)


def _date_format(value: dt.date | dt.time) -> str:
    """French-looking formats for a date, a date with its time, a time."""
    if isinstance(value, dt.time):
        return "hh:mm"
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        return f"{DATE_FORMAT} hh:mm"
    return DATE_FORMAT


def render_tab(book: Any, tab: GeneratedTab) -> None:
    """Add one generated tab at the end of an openpyxl workbook."""
    sheet = book.create_sheet(title=tab.name)
    for r, row in enumerate(tab.as_rows(), start=1):
        for c, out in enumerate(row, start=1):
            _write_cell(sheet, r, c, out)
    for c, width in enumerate(tab.widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = sheet.cell(row=GeneratedTab.HEADER_ROW + 1, column=1).coordinate
    sheet.protection.sheet = True  # no password: Excel warns before an edit
    sheet.protection.formatColumns = False  # widening a column stays allowed
    sheet.protection.formatRows = False


def _build(path: Path, data: bytes | None, tabs: Sequence[GeneratedTab]) -> Any:
    if data is None:
        book = openpyxl.Workbook()
        default = book.active
        for tab in tabs:
            render_tab(book, tab)
        if tabs:
            book.remove(default)
        return book
    book = openpyxl.load_workbook(
        io.BytesIO(data),
        rich_text=True,
        keep_links=True,
        keep_vba=path.suffix.lower() == ".xlsm",
    )
    _refuse_foreign(
        path,
        _someone_else(tabs, {ws.title: is_generated(ws["A1"].value) for ws in book.worksheets}),
    )
    for sheet in list(book.worksheets):
        if is_generated(sheet["A1"].value):
            book.remove(sheet)
    for tab in tabs:
        render_tab(book, tab)
    if book.active is None or book.active.sheet_state != "visible":
        book.active = next(i for i, ws in enumerate(book.worksheets) if ws.sheet_state == "visible")
    return book


# --- the safe write -----------------------------------------------------------------------


@contextlib.contextmanager
def _temporary(path: Path) -> Iterator[Path]:
    """A temp file next to `path`, removed unless it was renamed away."""
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _save(book: Any, temp: Path) -> None:
    with temp.open("wb") as fh:
        book.save(fh)
        fh.flush()
        os.fsync(fh.fileno())
    with zipfile.ZipFile(temp) as zf:
        bad = zf.testzip()
    if bad is not None:
        raise WriteRefused(f"Le classeur produit est endommagé ({bad}) ; rien n'a été écrit.")


def _copy_mode(source: Path | None, temp: Path) -> None:
    if source is not None:
        shutil.copymode(source, temp)
    else:
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o666 & ~umask)


def _backup(path: Path) -> Path:
    target = backup_path(path)
    with _temporary(target) as temp:
        shutil.copyfile(path, temp)
        shutil.copymode(path, temp)
        os.replace(temp, target)
    return target


def _changed(path: Path) -> SourceChanged:
    return SourceChanged(
        f"{path.name} a été modifié pendant la synchronisation ; rien n'a été écrit. "
        "Relancez la synchronisation."
    )


def write_tabs(
    path: Path,
    tabs: Sequence[GeneratedTab],
    *,
    expected_fingerprint: str | None,
    backup: bool = True,
) -> Path | None:
    """Replace our generated tabs in a workbook (created if missing); returns the backup."""
    path = Path(path)
    _check_names(tabs)
    if lock_file(path).exists():
        raise WriteRefused(
            f"{path.name} : le classeur semble ouvert dans Excel (fichier {lock_file(path).name}"
            ") ; fermez-le puis relancez. Rien n'a été écrit."
        )
    if not path.parent.is_dir():
        raise WriteRefused(f"Dossier introuvable pour écrire {path.name} : {path.parent}")
    data = read_bytes(path) if path.exists() else None
    before = None if data is None else fingerprint_bytes(data)
    if expected_fingerprint is not None and before != expected_fingerprint:
        raise _changed(path)
    if data is not None:
        _refuse_losses(path, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = _build(path, data, tabs)
        with _temporary(path) as temp:
            _save(book, temp)
            _copy_mode(path if data is not None else None, temp)
            now = fingerprint_bytes(read_bytes(path)) if path.exists() else None
            if now != before:
                raise _changed(path)
            saved = _backup(path) if backup and data is not None else None
            os.replace(temp, path)
    except OSError as exc:
        raise WriteRefused(
            f"Écriture impossible dans {path} ({exc.strerror or exc}) ; le classeur n'a pas "
            "été modifié."
        ) from None
    return saved
