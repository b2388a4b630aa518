"""Small builders shared by the tests: grids from plain rows, the form's header."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pytest

from sheets_sync.cells.grid import CellValue, Grid
from sheets_sync.form.model import ANSWER_FIELDS

HEADER = tuple(f.label for f in ANSWER_FIELDS)
KEYS = tuple(f.key for f in ANSWER_FIELDS)

COMPLETE_YES: dict[str, Any] = {
    "etablissement": "Collège des Essais",
    "adresse": "1 rue de l'Exemple, 59100 Roubaix",
    "referent": "Alice MARTIN, principale",
    "participation": "Oui",
    "classes_4e": 1,
    "classes_3e": 2,
    "titre": "Des métiers pour tous",
    "orientation": "informations sur les secteurs porteurs",
    "objectifs": "Découvrir des métiers",
    "discipline": "Technologie",
    "theme": "Le numérique",
    "contenu": "ateliers, rencontres",
}
COMPLETE_NO: dict[str, Any] = {
    "etablissement": "Collège du Refus",
    "adresse": "2 rue de l'Exemple, 59100 Roubaix",
    "referent": "Bruno DURAND, principal",
    "participation": "Non",
}


def table(answers: Sequence[Mapping[str, Any]], *, header: Sequence[str] = HEADER,
          keys: Sequence[str] = KEYS, tab: str = "Réponses",
          above: Sequence[Sequence[CellValue]] = ()) -> Grid:
    """A shared-table grid: optional rows above the header, the header, one row per answer."""
    rows: list[tuple[CellValue, ...]] = [tuple(r) for r in above]
    rows.append(tuple(header))
    rows.extend(tuple(a.get(k) for k in keys) for a in answers)
    return Grid(tab=tab, rows=tuple(rows), sheet=tab)


def in_ci() -> bool:
    """True under CI (CI=true): there, a missing application is a failure, not a skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> NoReturn:
    """Skip on a developer machine without the application; fail in CI, which installs it."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set: .ci/run installs it)", pytrace=False)
    pytest.skip(reason)


def need_apps(*commands: str) -> None:
    """Skip (fail in CI) unless every command is on the PATH."""
    missing = [c for c in commands if shutil.which(c) is None]
    if missing:
        skip_or_fail(f"absent: {', '.join(missing)}")


def present(paths: Iterable[Path]) -> list[Path]:
    """The sorted reference files; none at all is an error at collection, never a silent skip
    (pytest skips a test whose parameter list is empty)."""
    found = sorted(paths)
    if not found:
        raise FileNotFoundError("no reference file: tests/data/reference/ is incomplete")
    return found


def libreoffice_texts(workbooks: list[Path], folder: Path) -> list[str]:
    """The text of each workbook as LibreOffice prints it (headless PDF, then pdftotext)."""
    import subprocess

    profile = folder / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(folder / "pdf"), *map(str, workbooks)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return [subprocess.run(["pdftotext", str(folder / "pdf" / f"{w.stem}.pdf"), "-"],
                           check=True, capture_output=True, text=True).stdout
            for w in workbooks]


def run_cli(*args: str) -> tuple[int, str, str]:
    """`sheets-sync ARGS` in-process: (exit code, stdout, stderr)."""
    from click.testing import CliRunner

    from sheets_sync.cli import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
