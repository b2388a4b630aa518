"""Pull the configured source into raw answers, and name the target generated tabs go to.

    Excel workbook      answers + its tabs (state, reference)   target: the workbook itself,
                                                                or the dashboard beside it
                                                                (always for .xls/.xlsb/.ods)
    folder of fiches    one answer per file                     target: the dashboard workbook
    Google spreadsheet  answers + its tabs (2 requests)         target: the same spreadsheet

With a coordinator workbook named in config (`[coordination] classeur`), the target is split
(`SplitTarget`): the shared file gets only the tabs principals may read (partner tabs,
Complétude); the roster, « Ajustements » and the coordinator tabs (Parrainages, Relances,
Journal, the state) are read from and written to the coordinator workbook or spreadsheet,
created from its template on the first sync (Excel). Each file is still written all-or-nothing.

Each target plans and writes generated tabs all-or-nothing through its backend. Every file is
read within the limits of the campaign's [lecture] table (`Config.reading`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .backends import excel, google
from .cells.grid import GeneratedTab, Grid
from .config import Config
from .errors import SourceError
from .form.findings import Issue, make_issue
from .form.read import RawAnswer, extract

if TYPE_CHECKING:
    from .cells.template_spec import Workbook

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
class SeededWorkbookTarget(WorkbookTarget):
    """A coordinator workbook: when absent, first written from `seed` (roster, Ajustements)."""

    seed: Workbook | None = None

    def write(self, tabs: Sequence[GeneratedTab]) -> Path | None:
        if self.seed is not None and not self.path.exists():
            from .backends.excel import template as excel_template  # xlsxwriter: on first sync

            excel_template.write_template(self.path, self.seed)
            return excel.write_tabs(self.path, tabs, expected_fingerprint=None, backup=False)
        return super().write(tabs)


@dataclass(frozen=True)
class SplitTarget:
    """The shared file (principals) and the coordinator file: each tab goes to one of them."""

    shared: Target
    coordination: Target
    shared_tabs: frozenset[str]

    @property
    def where(self) -> str:
        return self.shared.where

    def _split(self, tabs: Sequence[GeneratedTab]) -> tuple[list[GeneratedTab],
                                                            list[GeneratedTab]]:
        shared = [t for t in tabs if t.name in self.shared_tabs]
        return shared, [t for t in tabs if t.name not in self.shared_tabs]

    def plan(self, tabs: Sequence[GeneratedTab]) -> list[tuple[str, str]]:
        shared, coordination = self._split(tabs)
        where = self.coordination.where
        return [*self.shared.plan(shared),
                *((tab, f"{action} (coordination : {where})")
                  for tab, action in self.coordination.plan(coordination))]

    def obstacles(self) -> list[str]:
        return [*self.shared.obstacles(), *self.coordination.obstacles()]

    def write(self, tabs: Sequence[GeneratedTab]) -> Path | None:
        """Coordinator file first: a refusal there leaves the shared file as it was."""
        shared, coordination = self._split(tabs)
        self.coordination.write(coordination)
        return self.shared.write(shared)


def _nowhere(title: str) -> Grid | None:
    """No file read holds a tab skimmed at first (Google's are read whole, or none)."""
    return None


@dataclass(frozen=True)
class Pulled:
    """What the source holds, and where its generated tabs go."""

    layout: str  # "tableau" | "fiches"
    answers: list[RawAnswer]
    issues: list[Issue]
    grids: list[Grid]  # every tab of the source and the target (state, reference list)
    target: Target
    coordination_tabs: frozenset[str] | None = None  # casefolded; None: no coordinator file
    # a generated tab read at first as its marker alone (`remembered`), read whole from the
    # bytes already read; None when no file read has it
    read_whole: Callable[[str], Grid | None] = field(default=_nowhere, repr=False,
                                                     compare=False)

    def roster_in_shared(self, config: Config) -> bool:
        """Whether the roster is read from the file principals share (one-file campaign)."""
        roster = config.tabs.roster.casefold()
        if config.roster_file is not None or self.layout != "tableau":
            return False
        if self.coordination_tabs is not None and roster in self.coordination_tabs:
            return False
        return any((g.sheet or g.tab).casefold() == roster for g in self.grids)


def _no_annex(name: str, config: Config) -> SourceError:
    return SourceError(
        f"Aucun tableau de l'annexe n°1 dans « {name} » : l'onglet « {config.tabs.answers} » "
        "doit avoir en en-tête les intitulés du formulaire (par exemple « Nom de "
        "l'établissement participant »). Créez un modèle avec « sheets-sync template »."
    )


def other_tabs(config: Config) -> tuple[str, ...]:
    """Tabs never read as answers: the roster, the reference list, « Suivi de l'année »."""
    return (config.tabs.roster, config.tabs.establishments, config.tabs.follow_up)


def remembered(config: Config) -> tuple[str, ...]:
    """The generated tabs a sync reads back whole: the state (with the pairings' pseudonyms
    and the temps forts it published, kept at the next sync) and the journal it extends.
    « Parrainages » is read whole only when the sync needs it (`Pulled.read_whole`: a
    published ambassador no longer on the roster is named there only). « Suivi de l'année »
    is typed, not generated: always read."""
    return (config.tabs.state, config.tabs.journal)


def _reader(book: excel.WorkbookRead) -> Callable[[str], Grid | None]:
    return functools.partial(excel.read_tab, book)


def _either(first: Callable[[str], Grid | None],
            then: Callable[[str], Grid | None]) -> Callable[[str], Grid | None]:
    """The tab from `first`'s file, else from `then`'s (the grids' order: first wins)."""
    return lambda title: first(title) or then(title)


def _dashboard(config: Config) -> tuple[list[Grid], WorkbookTarget,
                                        Callable[[str], Grid | None]]:
    path = config.dashboard_path()
    if not path.exists():
        return [], WorkbookTarget(path, None), _nowhere
    book = excel.read_workbook(path, limits=config.reading, keep_generated=remembered(config))
    return list(book.grids), WorkbookTarget(path, book.fingerprint), _reader(book)


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
    grids, target, whole = _dashboard(config)
    return _with_coordination(config, Pulled("fiches", answers, issues, grids, target,
                                             read_whole=whole))


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
    whole = _reader(book)
    if not same_book:
        dashboard_grids, target, dashboard_whole = _dashboard(config)
        grids.extend(dashboard_grids)
        whole = _either(whole, dashboard_whole)
    return _with_coordination(
        config, Pulled("tableau", list(found.answers), list(found.issues), grids, target,
                       read_whole=whole))


def _pull_google(config: Config) -> Pulled:
    assert config.google is not None
    spreadsheet = google.parse_spreadsheet_ref(config.google.spreadsheet)
    client = google.open_client(config.google.credentials, max_wait=config.google.max_wait)
    read = google.read_spreadsheet(client, spreadsheet)
    found = extract(read.grids, config.tabs.answers, other_tabs(config))
    if found.layout == "vide":
        raise _no_annex(read.title, config)
    pulled = Pulled("tableau", list(found.answers), list(found.issues), list(read.grids),
                    SpreadsheetTarget(client, read))
    if config.coordination is None:
        return pulled
    other = google.read_spreadsheet(client, google.parse_spreadsheet_ref(str(config.coordination)))
    return _split(config, pulled, list(other.grids), SpreadsheetTarget(client, other))


def _with_coordination(config: Config, pulled: Pulled) -> Pulled:
    """Excel: the coordinator workbook's tabs read, and the target split (if one is named)."""
    if config.coordination is None:
        return pulled
    path = Path(config.coordination)
    if not path.exists():
        # A one-file campaign moving its coordinator tabs out keeps reading its roster where
        # it is until coordinators move it: no empty roster tab to take its place.
        from .form.template import coordination_template  # its first sync only

        keep = pulled.roster_in_shared(config)
        seed = coordination_template(config, with_roster=not keep)
        return _split(config, pulled, [], SeededWorkbookTarget(path, None, seed))
    book = excel.read_workbook(path, limits=config.reading, keep_generated=remembered(config))
    return _split(config, pulled, list(book.grids), WorkbookTarget(path, book.fingerprint),
                  _reader(book))


def _split(config: Config, pulled: Pulled, grids: list[Grid], coordination: Target,
           whole: Callable[[str], Grid | None] = _nowhere) -> Pulled:
    """The coordinator file's tabs come first: its roster, state and journal win over stale
    copies left in the shared file."""
    target = SplitTarget(pulled.target, coordination, config.shared_tabs())
    names = frozenset((g.sheet or g.tab).casefold() for g in grids)
    return Pulled(pulled.layout, pulled.answers, pulled.issues, [*grids, *pulled.grids], target,
                  names, _either(whole, pulled.read_whole))


def pull(config: Config, progress: Progress | None = None) -> Pulled:
    """Read the configured source (raises SourceError when it cannot be read)."""
    if config.google is not None:
        return _pull_google(config)
    if config.source.is_dir():
        return _pull_folder(config, progress)
    return _pull_workbook(config)
