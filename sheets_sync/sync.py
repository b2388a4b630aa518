"""The main job: read the source, check it, build the generated tabs, write them back.

    source ──► read ──► check ──► consolidate ──► dashboards ──► publish
    (backend)  read.py  check.py  consolidate.py  dashboards.py  (backend)

A source is one shared workbook (« tableau ») or a folder of one-school workbooks
(« fiches »). Generated tabs go to the source workbook, or to a dashboard workbook named in
config (always, for a folder of fiches). The remembered state (when each answer was first
seen complete) lives in a hidden generated tab of that target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .backends import excel
from .campaign import reminder_templates
from .check import INCOMPLETE, School, check_answers
from .config import Config
from .consolidate import Campaign, consolidate
from .dashboards import build_tabs
from .errors import SourceError
from .grid import Grid
from .identity import Establishment, read_reference
from .read import RawAnswer, extract
from .reminders import Reminder, build_reminders
from .report import Issue, Report, make_issue
from .sessions import EMPTY_STATE, read_state

Progress = Callable[[int, int], None]
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class CheckResult:
    """Every school of the source, checked and identified, and where generated tabs belong."""

    config: Config
    layout: str  # "tableau" | "fiches"
    campaign: Campaign
    report: Report
    target: Path
    fingerprint: str | None
    today: dt.date

    @property
    def schools(self) -> tuple[School, ...]:
        return self.campaign.schools

    @property
    def unanswered(self) -> tuple[Establishment, ...]:
        return self.campaign.unanswered

    @property
    def all_complete(self) -> bool:
        return not self.report.errors and not self.unanswered and all(
            s.status != INCOMPLETE for s in self.schools
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


def _other_tabs(config: Config) -> tuple[str, ...]:
    return (config.tabs.roster, config.tabs.establishments)


def _fiche_files(folder: Path, skip: set[str]) -> list[Path]:
    return sorted(
        p for p in folder.iterdir()
        if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", "."))
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
        found = extract(book.grids, config.tabs.answers, _other_tabs(config), origin=path.name)
        if found.layout == "vide":
            issues.append(make_issue("fichier-sans-annexe", tab=path.name))
        answers.extend(found.answers)
        issues.extend(found.issues)
        if progress:
            progress(n, len(files))
    return answers, issues


def _read_workbook(config: Config) -> tuple[list[RawAnswer], list[Issue], excel.WorkbookRead]:
    book = excel.read_workbook(config.source)
    found = extract(book.grids, config.tabs.answers, _other_tabs(config))
    if found.layout == "vide":
        raise _no_annex(config.source, config)
    return list(found.answers), list(found.issues), book


def _reference(config: Config, grids: Sequence[Grid]) -> tuple[list[Establishment], list[Issue]]:
    """The reference list: a file named in config, else a tab of the source or target."""
    if config.establishments_file is not None:
        grids = excel.read_workbook(config.establishments_file).grids
        tab = next(iter(grids), None)
    else:
        tab = next((g for g in grids if (g.sheet or g.tab) == config.tabs.establishments), None)
    return read_reference(tab) if tab is not None else ([], [])


def check_source(config: Config, progress: Progress | None = None,
                 today: dt.date | None = None) -> CheckResult:
    """Read and check the configured source; raises SourceError when it cannot be read."""
    target = config.target()
    grids: list[Grid] = []
    fingerprint: str | None = None
    if config.source.is_dir():
        answers, issues = _read_folder(config, progress)
        layout = "fiches"
    else:
        answers, issues, book = _read_workbook(config)
        layout, fingerprint = "tableau", book.fingerprint
        grids.extend(book.grids)
    if target != config.source:
        fingerprint = None
        if target.exists():
            dashboard = excel.read_workbook(target)
            grids.extend(dashboard.grids)
            fingerprint = dashboard.fingerprint
    reference, reference_issues = _reference(config, grids)
    state = read_state(grids, config.tabs.state) if grids else EMPTY_STATE
    day = today or dt.date.today()
    campaign = consolidate(check_answers(answers, config.limits), reference, state,
                           config.sessions, day)
    report = Report([*issues, *reference_issues, *campaign.issues])
    return CheckResult(config, layout, campaign, report, target, fingerprint, day)


def sync(
    config: Config,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Check the source and write the generated tabs (all or nothing)."""
    now = now or dt.datetime.now()
    checked = check_source(config, progress, now.date())
    tabs = build_tabs(config, checked.campaign, now, reminder_templates(config))
    plan = excel.plan_write(checked.target, tabs)
    names = [t.name for t in tabs if not t.hidden]
    if dry_run:
        return SyncResult(checked, plan, written=False, tabs=names)
    backup = excel.write_tabs(checked.target, tabs, expected_fingerprint=checked.fingerprint)
    return SyncResult(checked, plan, written=True, backup=backup, tabs=names)


def chase(config: Config, progress: Progress | None = None,
          today: dt.date | None = None) -> tuple[CheckResult, list[Reminder]]:
    """The schools to chase, each with its ready message (incomplete, then no answer)."""
    checked = check_source(config, progress, today)
    reminders = build_reminders(config, checked.campaign.kept, checked.unanswered,
                                reminder_templates(config), checked.today)
    return checked, reminders
