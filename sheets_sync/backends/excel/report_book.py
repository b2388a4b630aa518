"""Standalone report files: a new workbook of generated tabs, written atomically.

The workbook is `render.render_package` over the report's tabs (visible ones only, with
links and charts to tabs left out removed, see `links.standalone_tabs`). A file is
written next to its destination then renamed over it, so a reader never sees half a report
and a failed write leaves the previous one in place.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ...cells.grid import GeneratedTab
from ...cells.links import standalone_tabs
from ...errors import WriteRefused
from ..files.os_reasons import reason
from .render import render_package

REPORTS_DIR = "reports"
EXTENSIONS = {"xlsx": "xlsx", "html": "html"}


def default_report_path(folder: Path, fmt: str, now: dt.datetime, stem: str = "rapport") -> Path:
    """Where a report goes when no -o is given: reports/rapport-2021-07-16-1030.html."""
    if fmt not in EXTENSIONS:
        raise ValueError(f"unknown report format: {fmt!r}")
    return folder / REPORTS_DIR / f"{stem}-{now:%Y-%m-%d-%H%M}.{EXTENSIONS[fmt]}"


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` all at once: a temporary file beside it, then os.replace.

    A folder that cannot be written (read-only, a file in the way, a disk full) is a
    WriteRefused in French, never a traceback; the previous report stays in place."""
    try:
        _write_atomic(path, data)
    except OSError as exc:
        raise WriteRefused(f"Impossible d'écrire le rapport « {path} » ({reason(exc)}) ; "
                           "choisissez un autre dossier avec -o.") from None


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)  # read it back: the only portable way
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as any file the user creates, not world-readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report_xlsx(path: Path, tabs: Sequence[GeneratedTab]) -> None:
    """A new workbook at `path` holding the report's tabs (with their charts), in order."""
    write_atomic(path, render_package(standalone_tabs(tabs)))
