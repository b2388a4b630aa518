"""Write generated tabs into a workbook, safely and without changing a byte of the rest.

    check        lock file ~$name, fingerprint, someone's tab bearing one of our names
    render       the generated tabs alone, as an xlsxwriter package (xlsx_render)
    graft        into the original package, part by part (xlsx_graft): input tabs and all
                 they use stay byte-identical; a missing workbook is the rendered package
    save         temp file next to the workbook, flush + fsync, zip checked
    re-check     the fingerprint again (changed meanwhile: temp removed, SourceChanged)
    backup       copy of the original as <name>.sauvegarde.xlsx (.xlsm kept)
    replace      os.replace(temp, workbook)

Any failure before the replace leaves the workbook byte-identical and no temp file behind.
openpyxl never loads and saves the workbook, so nothing it would drop (xlsx_losses) is at
risk: `lossy_content` stays as a diagnostic and no longer blocks a write.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import SourceChanged, SourceError, WriteRefused
from ..grid import GeneratedTab
from .xlsx_graft import GraftError, NoVisibleTab, graft
from .xlsx_losses import generated_parts, package_losses
from .xlsx_read import check_package, fingerprint_bytes, read_bytes
from .xlsx_render import render_package

INVALID_TITLE = set("[]:*?/\\")


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


def lossy_content(path: Path) -> list[str]:
    """French descriptions of what an openpyxl load/save would lose in input tabs.

    A diagnostic only: the write grafts parts and loses none of it.
    """
    path = Path(path)
    return _losses(path, read_bytes(path))


def _losses(path: Path, data: bytes) -> list[str]:
    check_package(path, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return package_losses(zf)
    except Exception as exc:
        raise SourceError(f"{path.name} est endommagé ({type(exc).__name__}).") from None


# --- building the new package ------------------------------------------------------------


def _build(path: Path, data: bytes | None, tabs: Sequence[GeneratedTab]) -> bytes:
    """The whole new workbook, as bytes."""
    if data is not None:
        _refuse_foreign(path, _someone_else(tabs, _existing_tabs(path, data)))
    if tabs and all(t.hidden for t in tabs) and data is None:
        raise WriteRefused(f"{path.name} : aucun onglet visible à écrire ; rien n'a été écrit.")
    rendered = render_package(tabs)
    if data is None:
        return rendered
    try:
        return graft(data, rendered, [t.hidden for t in tabs])
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


def _save(package: bytes, temp: Path) -> None:
    with temp.open("wb") as fh:
        fh.write(package)
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
    package = _build(path, data, tabs)
    try:
        with _temporary(path) as temp:
            _save(package, temp)
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
