"""The main job: read the source, check it, build the generated tabs, write them back.

    source ──► read ──► check ──► dashboards ──► publish
    (backend)  read.py  check.py  dashboards.py  (backend)

A source is one shared workbook (« tableau ») or a folder of one-school workbooks
(« fiches »), whose generated tabs go to a dashboard workbook named in config.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .backends import excel
from .check import COMPLETE, NOT_TAKING_PART, School, check_answers
from .config import Config
from .dashboards import build_tabs
from .errors import SourceError
from .read import RawAnswer, extract
from .report import Issue, Report, make_issue

Progress = Callable[[int, int], None]
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class CheckResult:
    """Every school of the source, checked, and where generated tabs belong."""

    config: Config
    layout: str  # "tableau" | "fiches"
    schools: tuple[School, ...]
    report: Report
    target: Path
    fingerprint: str | None

    @property
    def all_complete(self) -> bool:
        return not self.report.errors and all(
            s.status in (COMPLETE, NOT_TAKING_PART) for s in self.schools
        )


@dataclass(frozen=True)
class SyncResult:
    """What a sync did (or, with dry_run, would do)."""

    check: CheckResult
    plan: list[tuple[str, str]]
    written: bool
    backup: Path | None = None
    tabs: list[str] = field(default_factory=list)


def _no_annex(path: Path, config: Config) -> SourceError:
    return SourceError(
        f"Aucun tableau de l'annexe n°1 dans « {path.name} » : l'onglet « {config.tabs.answers} » "
        "doit avoir en en-tête les intitulés du formulaire (par exemple « Nom de "
        "l'établissement participant »). Créez un modèle avec « sheets-sync template »."
    )


def _read_workbook(config: Config) -> tuple[list[RawAnswer], list[Issue], str]:
    book = excel.read_workbook(config.source)
    found = extract(book.grids, config.tabs.answers, config.tabs.roster)
    if found.layout == "vide":
        raise _no_annex(config.source, config)
    return list(found.answers), list(found.issues), book.fingerprint


def _fiche_files(folder: Path, skip: set[str]) -> list[Path]:
    return sorted(
        p for p in folder.iterdir()
        if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith("~$")
        and p.name not in skip and ".sauvegarde" not in p.name
    )


def _read_folder(config: Config, progress: Progress | None) -> tuple[list[RawAnswer], list[Issue]]:
    files = _fiche_files(config.source, {config.dashboard_path().name})
    if not files:
        raise SourceError(f"Aucun classeur (.xlsx) dans le dossier « {config.source} ».")
    answers: list[RawAnswer] = []
    issues: list[Issue] = []
    for n, path in enumerate(files, start=1):
        try:
            book = excel.read_workbook(path, origin_name=path.name)
        except SourceError as exc:
            issues.append(make_issue("fichier-illisible", tab=path.name, value=str(exc)))
            continue
        found = extract(book.grids, config.tabs.answers, config.tabs.roster, origin=path.name)
        if found.layout == "vide":
            issues.append(make_issue("fichier-sans-annexe", tab=path.name))
        answers.extend(found.answers)
        issues.extend(found.issues)
        if progress:
            progress(n, len(files))
    return answers, issues


def check_source(config: Config, progress: Progress | None = None) -> CheckResult:
    """Read and check the configured source; raises SourceError when it cannot be read."""
    target = config.target()
    fingerprint: str | None
    if config.source.is_dir():
        answers, issues = _read_folder(config, progress)
        layout = "fiches"
    else:
        answers, issues, fingerprint = _read_workbook(config)
        layout = "tableau"
    if target != config.source:
        fingerprint = excel.file_fingerprint(target) if target.exists() else None
    schools = check_answers(answers, config.limits)
    report = Report(issues)
    for school in schools:
        report.extend(school.issues)
    return CheckResult(config, layout, tuple(schools), report, target, fingerprint)


def sync(
    config: Config,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Check the source and write the generated tabs (all or nothing)."""
    checked = check_source(config, progress)
    tabs = build_tabs(config, checked.schools, now or dt.datetime.now())
    plan = excel.plan_write(checked.target, tabs)
    names = [t.name for t in tabs]
    if dry_run:
        return SyncResult(checked, plan, written=False, tabs=names)
    backup = excel.write_tabs(checked.target, tabs, expected_fingerprint=checked.fingerprint)
    return SyncResult(checked, plan, written=True, backup=backup, tabs=names)
