"""Pull the configured source into raw answers, and name the target generated tabs go to.

    Excel workbook      answers + its tabs (state, reference)   target: the workbook itself,
                                                                or the dashboard beside it
                                                                (always for .xls/.xlsb/.ods)
    folder of fiches    one answer per file                     target: the dashboard workbook
    Google spreadsheet  answers + its tabs (2 requests)         target: the same spreadsheet

Each target plans and writes generated tabs all-or-nothing through its backend. Every file is
read within the limits of the campaign's [lecture] table (`Config.reading`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .backends import excel, google
from .cells.grid import GeneratedTab, Grid
from .config import Config
from .errors import SourceError
from .form.findings import Issue, make_issue
from .form.read import RawAnswer, extract

Progress = Callable[[int, int], None]


class Target(Protocol):
    """Where generated tabs are written."""

    @property
    def where(self) -> str: ...

    def plan(self, tabs: Sequence[GeneratedTab]) -> list[tuple[str, str]]: ...

    def obstacles(self) -> list[str]:
        """What would refuse the write now (French), for a dry run."""
        ...

    def write(self, tabs: Sequence[GeneratedTab]) -> Path | None: ...


@dataclass(frozen=True)
class WorkbookTarget:
    """An Excel workbook (created if absent); `fingerprint` as it was read, to detect edits."""

    path: Path
    fingerprint: str | None

    @property
    def where(self) -> str:
        return str(self.path)

    def plan(self, tabs: Sequence[GeneratedTab]) -> list[tuple[str, str]]:
        return excel.plan_write(self.path, tabs)

    def obstacles(self) -> list[str]:
        return excel.write_obstacles(self.path)

    def write(self, tabs: Sequence[GeneratedTab]) -> Path | None:
        return excel.write_tabs(self.path, tabs, expected_fingerprint=self.fingerprint)


@dataclass(frozen=True)
class SpreadsheetTarget:
    """A Google spreadsheet, written in one batchUpdate (staged when large)."""

    client: google.SheetsHTTPClient
    read: google.SpreadsheetRead
    published: list[google.PublishResult] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"https://docs.google.com/spreadsheets/d/{self.read.spreadsheet_id}/edit"

    def plan(self, tabs: Sequence[GeneratedTab]) -> list[tuple[str, str]]:
        return google.plan_publish(self.read, tabs)

    def obstacles(self) -> list[str]:
        return []  # a Google spreadsheet has no lock file; publish says what refuses it

    def write(self, tabs: Sequence[GeneratedTab]) -> Path | None:
        self.published.append(
            google.publish(self.client, self.read.spreadsheet_id, self.read, tabs)
        )
        return None


@dataclass(frozen=True)
class Pulled:
    """What the source holds, and where its generated tabs go."""

    layout: str  # "tableau" | "fiches"
    answers: list[RawAnswer]
    issues: list[Issue]
    grids: list[Grid]  # every tab of the source and the target (state, reference list)
    target: Target


def _no_annex(name: str, config: Config) -> SourceError:
    return SourceError(
        f"Aucun tableau de l'annexe n°1 dans « {name} » : l'onglet « {config.tabs.answers} » "
        "doit avoir en en-tête les intitulés du formulaire (par exemple « Nom de "
        "l'établissement participant »). Créez un modèle avec « sheets-sync template »."
    )


def other_tabs(config: Config) -> tuple[str, ...]:
    """Tabs never read as answers: the roster and the reference list."""
    return (config.tabs.roster, config.tabs.establishments)


def remembered(config: Config) -> tuple[str, ...]:
    """The generated tabs a sync reads back: the state, the journal it extends, and the
    pairings it published (kept at the next sync)."""
    return (config.tabs.state, config.tabs.journal, config.tabs.sponsorships)


def _dashboard(config: Config) -> tuple[list[Grid], WorkbookTarget]:
    path = config.dashboard_path()
    if not path.exists():
        return [], WorkbookTarget(path, None)
    book = excel.read_workbook(path, limits=config.reading, keep_generated=remembered(config))
    return list(book.grids), WorkbookTarget(path, book.fingerprint)


def _pull_folder(config: Config, progress: Progress | None) -> Pulled:
    files = excel.workbook_files(config.source, {config.dashboard_path().name})
    if not files:
        raise SourceError(
            f"Aucun classeur (.xlsx, .xlsm, .xls, .xlsb, .ods) dans le dossier "
            f"« {config.source} »."
        )
    answers: list[RawAnswer] = []
    issues: list[Issue] = []
    for n, path in enumerate(files, start=1):
        try:
            book = excel.read_workbook(path, origin_name=path.name, limits=config.reading)
        except SourceError as exc:
            issues.append(make_issue("fichier-illisible", tab=path.name, value=str(exc)))
            continue
        found = extract(book.grids, config.tabs.answers, other_tabs(config), origin=path.name)
        if found.layout == "vide":
            issues.append(make_issue("fichier-sans-annexe", tab=path.name))
        answers.extend(found.answers)
        issues.extend(found.issues)
        if progress:
            progress(n, len(files))
    grids, target = _dashboard(config)
    return Pulled("fiches", answers, issues, grids, target)


def _pull_workbook(config: Config) -> Pulled:
    book = excel.read_workbook(config.source, limits=config.reading,
                               keep_generated=remembered(config))
    same_book = config.same_book() and book.writable  # not an .xls renamed .xlsx, say
    # Answers read from another file than the dashboard name it, as fiches do: no link
    # from the dashboard can reach their cells.
    found = extract(book.grids, config.tabs.answers, other_tabs(config),
                    origin="" if same_book else config.source.name)
    if found.layout == "vide":
        raise _no_annex(config.source.name, config)
    grids = list(book.grids)
    target: WorkbookTarget = WorkbookTarget(config.source, book.fingerprint)
    if not same_book:
        dashboard_grids, target = _dashboard(config)
        grids.extend(dashboard_grids)
    return Pulled("tableau", list(found.answers), list(found.issues), grids, target)


def _pull_google(config: Config) -> Pulled:
    assert config.google is not None
    spreadsheet = google.parse_spreadsheet_ref(config.google.spreadsheet)
    client = google.open_client(config.google.credentials, max_wait=config.google.max_wait)
    read = google.read_spreadsheet(client, spreadsheet)
    found = extract(read.grids, config.tabs.answers, other_tabs(config))
    if found.layout == "vide":
        raise _no_annex(read.title, config)
    return Pulled("tableau", list(found.answers), list(found.issues), list(read.grids),
                  SpreadsheetTarget(client, read))


def pull(config: Config, progress: Progress | None = None) -> Pulled:
    """Read the configured source (raises SourceError when it cannot be read)."""
    if config.google is not None:
        return _pull_google(config)
    if config.source.is_dir():
        return _pull_folder(config, progress)
    return _pull_workbook(config)
