"""Write generated tabs into a workbook, safely and without changing a byte of the rest.

    check        open in Excel (~$name) or LibreOffice (.~lock.name#), read-only file,
                 fingerprint, someone's tab bearing one of our names
    render       the generated tabs alone, as an xlsxwriter package (render)
    graft        into the original package, part by part (graft): input tabs and all
                 they use stay byte-identical; a missing workbook is the rendered package
    save         temp file next to the workbook, flush + fsync, zip checked
    re-check     the fingerprint again (changed meanwhile: temp removed, SourceChanged)
    backup       the bytes read, as <name>.sauvegarde.xlsx (.xlsm kept): temp, fsync, replace
    replace      os.replace(temp, workbook), then fsync of the folder

Any failure before the replace leaves the workbook byte-identical and no temp file behind; a
disk or permission failure is a WriteRefused saying, in French, why and what to do. On
Windows, a workbook (or backup) Excel keeps open makes the replace fail (sharing violation,
access denied): refused as « ouvert dans Excel … fermez-le », as the ~$ file says elsewhere.

Killed at any moment (kill -9; tests/backends/files/test_faults.py), the folder holds the old
workbook or
the complete new one, and the previous one stays in the workbook or its backup. Data is
fsynced before each rename and the folder after the last one, so that a power cut should not
leave a half-written workbook either (that part is not tested).
What a killed write leaves is a temp file named ``.<name>.sheets-sync-XXXXXXXX.tmp`` (for
the workbook or its backup): `remove_stale_temp_files` deletes those exact names and nothing
else; the sync calls it while it holds the sync lock (sync_lock), when no live sync of ours
can be writing them.

A read-only workbook (no write permission bit, or not writable by this user) is refused even
where the folder would allow the replace: someone said « do not modify ».

openpyxl never loads and saves the workbook, so nothing it would drop is at risk (the tests
keep the list of what it would: tests/backends/excel/openpyxl_losses.py).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ...cells.grid import GeneratedTab
from ...errors import SourceChanged, SourceError, WriteRefused
from ..files.damage import is_damage
from ..files.os_reasons import disk_problem, open_elsewhere
from .generated_tabs import generated_parts
from .graft import GraftError, NoVisibleTab, graft
from .read import check_package, fingerprint_bytes, read_bytes
from .render import render_package

INVALID_TITLE = set("[]:*?/\\")


def backup_path(path: Path) -> Path:
    """campagne.xlsx -> campagne.sauvegarde.xlsx (an .xlsm stays .xlsm)."""
    return path.with_name(f"{path.stem}.sauvegarde{path.suffix}")


def lock_file(path: Path) -> Path:
    """The owner file Excel keeps beside a workbook it has open."""
    return path.with_name(f"~${path.name}")


def office_lock_file(path: Path) -> Path:
    """The lock file LibreOffice keeps beside a workbook it has open."""
    return path.with_name(f".~lock.{path.name}#")


TEMP_INFIX = ".sheets-sync-"


def _temp_name(path: Path) -> re.Pattern[str]:
    # mkstemp's random part: 8 characters of [a-z0-9_]
    return re.compile(rf"\.{re.escape(path.name)}{re.escape(TEMP_INFIX)}[a-z0-9_]{{8}}\.tmp")


def stale_temp_files(path: Path) -> list[Path]:
    """Temp files a killed write of `path` (or of its backup) left beside it."""
    path = Path(path)
    patterns = (_temp_name(path), _temp_name(backup_path(path)))
    try:
        names = sorted(os.listdir(path.parent))
    except OSError:
        return []
    found = []
    for name in names:
        if any(p.fullmatch(name) for p in patterns):
            candidate = path.parent / name
            with contextlib.suppress(OSError):
                if stat.S_ISREG(candidate.lstat().st_mode):  # never a link, never a folder
                    found.append(candidate)
    return found


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Delete what `stale_temp_files` lists; call it only while holding the sync lock."""
    removed = []
    for temp in stale_temp_files(path):
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
            removed.append(temp)
    return removed


def write_obstacles(path: Path) -> list[str]:
    """Why writing `path` would be refused before any work: open elsewhere, read-only.

    French sentences, each saying what to do; empty when nothing stands in the way.
    """
    path = Path(path)
    found = []
    for lock, app, of_app in ((lock_file(path), "Excel", "d'Excel"),
                              (office_lock_file(path), "LibreOffice", "de LibreOffice")):
        if lock.exists():
            found.append(
                f"{path.name} semble ouvert dans {app} (fichier {lock.name} à côté) : fermez-le "
                f"puis relancez. S'il n'est ouvert nulle part, {lock.name} est le reste d'une "
                f"fermeture brutale {of_app} : supprimez-le."
            )
    if path.is_file() and _read_only(path):
        found.append(
            f"{path.name} est en lecture seule, ou vous n'avez pas le droit de le modifier "
            f"(dans {path.parent}) : sheets-sync ne le modifie pas. Retirez la lecture seule "
            "(propriétés du fichier) ou demandez le droit de le modifier, puis relancez."
        )
    return found


def _read_only(path: Path) -> bool:
    """No write bit at all (even root is refused), or not writable by this user."""
    return not path.stat().st_mode & 0o222 or not os.access(path, os.W_OK)




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
    """Tab title -> whether it is one of ours (its A1 carries the marker)."""
    check_package(path, data)
    try:
        return _generated_in(data)
    except Exception as exc:
        if not is_damage(exc):  # the machine's own errors (codec, memory, permission)
            raise
        raise SourceError(f"{path.name} est endommagé ({type(exc).__name__}).") from None


@functools.lru_cache(maxsize=2)
def _generated_in(data: bytes) -> dict[str, bool]:
    """The scan behind _existing_tabs, done once per workbook content: a sync plans, then
    builds, then grafts the same bytes (the graft is handed the result too)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return generated_parts(zf)


def plan_write(path: Path, tabs: Sequence[GeneratedTab]) -> list[tuple[str, str]]:
    """What a write would do, tab by tab: « créé » or « remplacé » (for --dry-run).

    Refuses, as the write itself would, someone else's tab bearing one of our names.
    """
    _check_names(tabs)
    path = Path(path)
    data = read_bytes(path) if path.exists() else None
    existing = _existing_tabs(path, data) if data is not None else {}
    _refuse_foreign(path, _someone_else(tabs, existing))
    ours = {title.casefold() for title, generated in existing.items() if generated}
    return [(t.name, "remplacé" if t.name.casefold() in ours else "créé") for t in tabs]


# --- building the new package ------------------------------------------------------------


def _build(path: Path, data: bytes | None, tabs: Sequence[GeneratedTab]) -> bytes:
    """The whole new workbook, as bytes."""
    existing = _existing_tabs(path, data) if data is not None else {}
    _refuse_foreign(path, _someone_else(tabs, existing))
    if tabs and all(t.hidden for t in tabs) and data is None:
        raise WriteRefused(f"{path.name} : aucun onglet visible à écrire ; rien n'a été écrit.")
    if data is None:
        return render_package(tabs)
    with _stored():
        rendered = render_package(tabs)
    try:
        ours = {title for title, generated in existing.items() if generated}
        return graft(data, rendered, [t.hidden for t in tabs], generated=ours)
    except NoVisibleTab:
        raise WriteRefused(
            f"{path.name} : aucun onglet visible ne resterait dans le classeur ; rien n'a été "
            "écrit."
        ) from None
    except GraftError as exc:
        raise WriteRefused(
            f"{path.name} : structure du classeur inattendue ({exc}) ; rien n'a été écrit. "
            "Écrivez les onglets générés dans un classeur à part (config.toml : "
            "source.onglets_dans_la_source = false)."
        ) from None
    except (zipfile.BadZipFile, KeyError, EOFError) as exc:
        raise SourceError(f"{path.name} est endommagé ({type(exc).__name__}).") from None


@contextlib.contextmanager
def _stored() -> Iterator[None]:
    """xlsxwriter deflates its package; a package the graft unzips at once, its sheets
    deflated in the workbook written, is stored here: the same workbook written, without
    deflating some 50 MB of sheets once for nothing at 7,000 schools (level 1 did it in a
    third of the time; storing, in none). xlsxwriter opens its zip by its module's name
    `ZipFile`; an xlsxwriter without it is left as it is."""
    import xlsxwriter.workbook as xw

    plain = getattr(xw, "ZipFile", None)
    if plain is not zipfile.ZipFile:
        yield
        return

    def stored(*args: Any, **kwargs: Any) -> zipfile.ZipFile:
        return zipfile.ZipFile(*args, **{**kwargs, "compression": zipfile.ZIP_STORED})

    xw.ZipFile = stored
    try:
        yield
    finally:
        xw.ZipFile = plain


# --- the safe write -----------------------------------------------------------------------


@contextlib.contextmanager
def _temporary(path: Path) -> Iterator[Path]:
    """A temp file next to `path`, removed unless it was renamed away."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}{TEMP_INFIX}", suffix=".tmp",
                                dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _write_file(path: Path, data: bytes) -> None:
    """The whole of `data` in `path`, on the disk (fsync) before returning."""
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _save(package: bytes, temp: Path) -> None:
    _write_file(temp, package)
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


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); nothing to do where a folder cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _backup(path: Path, data: bytes) -> Path:
    """The bytes read (and fingerprinted) as <name>.sauvegarde.xlsx, replaced atomically."""
    target = backup_path(path)
    try:
        with _temporary(target) as temp:
            _write_file(temp, data)
            shutil.copymode(path, temp)
            _replace(temp, target)
    except OSError as exc:
        why, todo = disk_problem(exc)
        raise WriteRefused(
            f"Sauvegarde impossible : {target.name} n'a pas pu être écrite dans {path.parent} "
            f"({why}). {path.name} n'a pas été modifié ; {todo}."
        ) from None
    return target


def _replace(temp: Path, path: Path) -> None:
    """os.replace, refused in French where Windows says the workbook is open elsewhere.

    Excel keeps a workbook it has open locked: the replace fails (sharing violation, or
    access denied), even when no ~$ owner file told us before (write_obstacles).
    """
    try:
        os.replace(temp, path)
    except OSError as exc:
        if open_elsewhere(exc):
            raise WriteRefused(
                f"{path.name} semble ouvert dans Excel ou un autre programme (Windows refuse de "
                "le remplacer) : fermez-le puis relancez. Le classeur n'a pas été modifié ; "
                "rien n'a été écrit."
            ) from None
        raise


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
    data = bytes_to_replace(path)
    before = None if data is None else fingerprint_bytes(data)
    if expected_fingerprint is not None and before != expected_fingerprint:
        raise _changed(path)
    package = _build(path, data, tabs)
    return replace_workbook(
        path, package, before, _changed,
        lambda: _backup(path, data) if backup and data is not None else None)


def bytes_to_replace(path: Path) -> bytes | None:
    """The workbook's bytes before it is rewritten (None: no file yet); WriteRefused when it
    is open in Excel or LibreOffice, read-only, or its folder is missing."""
    obstacles = write_obstacles(path)
    if obstacles:
        raise WriteRefused(f"{obstacles[0]} Rien n'a été écrit.")
    if not path.parent.is_dir():
        raise WriteRefused(f"Dossier introuvable pour écrire {path.name} : {path.parent}")
    return read_bytes(path) if path.exists() else None


def replace_workbook(path: Path, package: bytes, before: str | None,
                     changed: Callable[[Path], Exception],
                     keep: Callable[[], Path | None]) -> Path | None:
    """Put `package` in `path`'s place, all or nothing: written whole beside it (checked as a
    zip), then, if `path` still has the fingerprint `before` (None: still absent; else
    `changed(path)` is raised), `keep()` writes the backup, and one rename replaces the
    workbook. Returns what `keep` returned; WriteRefused in French on a disk problem."""
    try:
        with _temporary(path) as temp:
            _save(package, temp)
            _copy_mode(path if before is not None else None, temp)
            now = fingerprint_bytes(read_bytes(path)) if path.exists() else None
            if now != before:
                raise changed(path)
            saved = keep()
            _replace(temp, path)
    except OSError as exc:
        why, todo = disk_problem(exc)
        raise WriteRefused(
            f"Écriture impossible de {path.name} dans {path.parent} : {why}. Le classeur n'a "
            f"pas été modifié ; {todo}."
        ) from None
    _sync_folder(path.parent)
    return saved
