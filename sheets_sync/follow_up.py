"""`sheets-sync suivi --preparer`: the rows of new classes added to « Suivi de l'année ».

    check_source ──► classes to sponsor ──► read the tab ──► rows_to_add ──► backend
    (sync.py)        (id, school, label)    (tracking)       (tracking)      append / create

The only command that adds rows to a tab people type in. It never changes a typed cell:
every cell holding a value stays byte for byte (Excel: the rows go after the last row
holding a value, into the rows below that only hold formatting, and a table reaching that
row grows over them — only the tab's sheet part and that table's part change; Google: one
appendCells), and a class already named in the tab gets nothing. The header of a tab found
empty goes on its first row, never below the rows the reader looks for it in. Where the tab
lives (`follow_up_workbook`): the shared workbook of a « tableau » campaign (or the Google
spreadsheet), the coordinator workbook of a folder of fiches when `[coordination]` names
one, else the dashboard workbook. Absent, it is created (header, drop-down lists, no
banner: the sync never rewrites it).

Before writing, a copy of what was read goes to `sauvegardes/` beside config.toml (the
whole workbook for Excel, the tab's values as CSV for Google), named with the time, never
replaced by a later run. Like the sync, it holds the target's sync lock, refuses a workbook
open in Excel or LibreOffice, and refuses to write over a workbook changed since it was read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .backends import excel, google
from .backends.files.sync_lock import cache_lock_path, hold, hold_if_possible, lock_path
from .backends.typed_tab import TypedTab
from .cells.grid import Grid
from .config import WRITABLE_SUFFIXES, Config, SchoolYear
from .errors import ConfigError, WriteRefused
from .form.findings import Issue
from .pull import Progress, SpreadsheetTarget
from .schoolyear.tracking import (
    EVENT_STATES,
    FIELDS,
    HEADER,
    HEADER_SCAN_ROWS,
    PRODUCTION_STATES,
    PRODUCTION_TYPES,
    UNREADABLE,
    FollowUp,
    placed,
    production_types,
    read_follow_up,
    rows_to_add,
)
from .sync import CheckResult, check_source

DEFAULT_PRODUCTIONS = ("fiche métier", "portrait")
BACKUP_FOLDER = "sauvegardes"
WIDTHS = (34, 12, 24, 18, 30, 12, 12, 34, 40)  # HEADER's columns, in characters


@dataclass(frozen=True)
class Preparation:
    """What `suivi --preparer` did: rows added (0: nothing written), where, the backup."""

    where: str  # the workbook's path, or the spreadsheet's address
    tab: str
    rows: int
    classes: tuple[str, ...]  # the identifiers of the classes given rows, in the tab's order
    created: bool  # the tab did not exist
    backup: Path | None  # the copy of what was read (None when nothing was written)
    issues: tuple[Issue, ...] = ()  # the tab's own problems, as read before adding


def follow_up_workbook(config: Config) -> Path | None:
    """The Excel workbook « Suivi de l'année » lives in (None for a Google spreadsheet)."""
    if config.google is not None:
        return None
    if not config.source.is_dir():
        if config.source.suffix.lower() in WRITABLE_SUFFIXES:
            return config.source
        return config.dashboard_path()
    if isinstance(config.coordination, Path):
        return config.coordination
    return config.dashboard_path()


def productions_of(config: Config) -> tuple[str, ...]:
    """The productions `suivi --preparer` gives each class a row for (config or default)."""
    typed = getattr(config.schoolyear, "productions", DEFAULT_PRODUCTIONS)
    known, unknown = production_types(tuple(typed))
    if unknown:
        raise ConfigError(
            f"Configuration : production inconnue {', '.join(f'« {u} »' for u in unknown)} "
            f"dans [annee_scolaire] ; possibles : {', '.join(PRODUCTION_TYPES)}.")
    return known


def typed_tab(name: str, kinds: tuple[str, ...]) -> TypedTab:
    """« Suivi de l'année » as created: HEADER, Type and État as drop-down lists."""
    states = tuple(dict.fromkeys((*EVENT_STATES, *PRODUCTION_STATES)))
    return TypedTab(name, HEADER, WIDTHS,
                    ((FIELDS.index("type") + 1, (*kinds, *PRODUCTION_TYPES)),
                     (FIELDS.index("etat") + 1, states)),
                    (FIELDS.index("date") + 1,))


def _classes(checked: CheckResult) -> list[tuple[str, str, str]]:
    """(id, school name, label) of every class to sponsor, the school named as the sync
    reads the tab (schoolyear/season.class_names)."""
    return [(c.unit.id, c.school.name or c.school.reference or c.unit.school, c.label)
            for c in checked.sponsorship.classes]


def _backup_path(config: Config, near: Path, name: str) -> Path:
    folder = config.path.parent if config.path is not None else near
    return folder / BACKUP_FOLDER / name


def _refuse_unreadable(follow: FollowUp, where: str) -> None:
    problem = next((i for i in follow.issues if i.code in UNREADABLE), None)
    if problem is not None:
        raise WriteRefused(f"{where} : {problem.message} Aucune ligne n'a été ajoutée.")


@dataclass(frozen=True)
class _Plan:
    """The cells to append (the header first when the tab is there but empty), the classes
    they are for, and how many rows of classes that makes."""

    cells: tuple[dict[int, str], ...]
    classes: tuple[str, ...]
    rows: int
    header: bool = False  # cells[0] is the header: it must land where the reader finds it


def _plan(checked: CheckResult, follow: FollowUp, kinds: tuple[str, ...],
          productions: tuple[str, ...]) -> _Plan:
    rows = rows_to_add(_classes(checked), follow, kinds, productions)
    cells = placed(rows, follow.columns)
    header = bool(rows) and follow.found and not follow.header_row
    if header:
        cells = (dict(enumerate(HEADER, start=1)), *cells)
    ids = tuple(dict.fromkeys(r[FIELDS.index("identifiant")] for r in rows))
    return _Plan(cells, ids, len(rows), header)


@contextlib.contextmanager
def _hold_workbook(path: Path, wait: float,
                   on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """The workbook's sync lock, as the sync holds it; then what a killed write left, gone."""
    if not path.parent.is_dir():
        yield  # the write says the folder is missing
        return
    with hold(lock_path(path), path.name, wait=wait, on_wait=on_wait):
        excel.remove_stale_temp_files(path)
        yield


def prepare_follow_up(config: Config, progress: Progress | None = None, *,
                      now: dt.datetime | None = None, wait: float = 0.0,
                      on_wait: Callable[[str], None] | None = None) -> Preparation:
    """Add to « Suivi de l'année » the rows of the classes it does not name yet.

    One row per temps fort of config.toml (in its order) and per production of
    `[annee_scolaire] productions` (default: fiche métier, portrait), état « à venir ».
    ConfigError without [annee_scolaire]; WriteRefused when the tab's header cannot be
    read, the workbook is open elsewhere or read-only, or another sync holds the lock
    (after `wait` seconds); SourceChanged when the workbook changed since it was read.
    """
    year = _schoolyear(config)
    kinds = tuple(k.name for k in year.kinds)
    productions = productions_of(config)
    now = now or dt.datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    if config.google is not None:
        key = google.parse_spreadsheet_ref(config.google.spreadsheet)
        with hold_if_possible(cache_lock_path(key), f"Le classeur Google {key}", wait=wait,
                              on_wait=on_wait):
            return _prepare_google(config, key, kinds, productions, progress, now, stamp)
    path = follow_up_workbook(config)
    assert path is not None
    with _hold_workbook(path, wait, on_wait):
        return _prepare_excel(config, path, kinds, productions, progress, now, stamp)


def _prepare_excel(config: Config, path: Path, kinds: tuple[str, ...],
                   productions: tuple[str, ...], progress: Progress | None,
                   now: dt.datetime, stamp: str) -> Preparation:
    from .backends.excel import follow_up_write

    tab = config.tabs.follow_up
    if path == config.coordination and not path.exists():
        raise WriteRefused(
            f"Le classeur de coordination {path.name} n'existe pas encore : lancez d'abord "
            "« sheets-sync sync », qui le crée, puis relancez. Rien n'a été écrit.")
    checked = check_source(config, progress, now.date(), match=False)
    fingerprint = None
    grids: tuple[Grid, ...] = ()
    if path.exists():
        book = excel.read_workbook(path, limits=config.reading)
        if not book.writable:
            raise WriteRefused(f"{path.name} n'est pas un classeur .xlsx : l'onglet « {tab} » "
                               "ne peut pas y être ajouté. Rien n'a été écrit.")
        grids, fingerprint = book.grids, book.fingerprint
    follow = read_follow_up(grids, tab, kinds, {c: (s, label) for c, s, label in
                                                _classes(checked)})
    _refuse_unreadable(follow, path.name)
    plan = _plan(checked, follow, kinds, productions)
    if not plan.rows:
        return Preparation(str(path), follow.sheet or tab, 0, (), False, None, follow.issues)
    backup = _backup_path(config, path.parent, f"{path.stem}.avant-suivi-{stamp}{path.suffix}")
    saved = follow_up_write.add_rows(
        path, typed_tab(follow.sheet or tab, kinds), plan.cells,
        expected_fingerprint=fingerprint, backup=backup,
        first_at_most=HEADER_SCAN_ROWS if plan.header else None)
    return Preparation(str(path), follow.sheet or tab, plan.rows, plan.classes,
                       not follow.found, saved, follow.issues)


def _prepare_google(config: Config, key: str, kinds: tuple[str, ...],
                    productions: tuple[str, ...], progress: Progress | None,
                    now: dt.datetime, stamp: str) -> Preparation:
    from .backends.google import follow_up_write

    assert config.google is not None
    checked = check_source(config, progress, now.date(), match=False)
    target = getattr(checked.target, "shared", checked.target)
    if isinstance(target, SpreadsheetTarget):  # what the check read: no second read
        client, read = target.client, target.read
    else:
        client = google.open_client(config.google.credentials, max_wait=config.google.max_wait)
        read = google.read_spreadsheet(client, key)
    tab = config.tabs.follow_up
    where = f"https://docs.google.com/spreadsheets/d/{read.spreadsheet_id}/edit"
    follow = read_follow_up(read.grids, tab, kinds, {c: (s, label) for c, s, label in
                                                     _classes(checked)})
    _refuse_unreadable(follow, f"Le classeur Google « {read.title} »")
    plan = _plan(checked, follow, kinds, productions)
    if not plan.rows:
        return Preparation(where, follow.sheet or tab, 0, (), False, None, follow.issues)
    sheet = read.sheet(follow.sheet) if follow.found else None
    grid = next((g for g in read.grids if sheet is not None and g.sheet == sheet.title), None)
    backup = _backup_path(config, Path.cwd(), f"suivi-{read.spreadsheet_id[:16]}-{stamp}.csv")
    saved = follow_up_write.add_rows(
        client, read.spreadsheet_id, typed_tab(follow.sheet or tab, kinds), plan.cells,
        grid=grid, sheet_id=None if sheet is None else sheet.sheet_id,
        taken=tuple(read.tabs.values()), backup=backup)
    return Preparation(where, follow.sheet or tab, plan.rows, plan.classes, not follow.found,
                       saved, follow.issues)


@dataclass(frozen=True)
class Reading:
    """What `sheets-sync suivi` (without --preparer) shows: the tab as read, nothing written."""

    where: str
    tab: str
    follow_up: FollowUp

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.follow_up.issues

    @property
    def summary(self) -> str:
        """One French paragraph: how many rows, by état, for temps forts and productions."""
        if not self.follow_up.found:
            return (f"L'onglet « {self.tab} » n'existe pas encore ({self.where}) : "
                    "« sheets-sync suivi --preparer » le crée, avec une ligne par temps fort "
                    "et par production de chaque classe.")
        rows = self.follow_up.rows
        events = [r.state for r in rows if r.is_event]
        works = [r.state for r in rows if not r.is_event]
        n = len({r.class_id for r in rows})
        return (f"« {self.tab} » ({self.where}) : {len(rows)} ligne{'s' if len(rows) > 1 else ''}"
                f" pour {n} classe{'s' if n > 1 else ''}.\n"
                f"  Temps forts : {_counts(events, EVENT_STATES)}.\n"
                f"  Productions : {_counts(works, PRODUCTION_STATES)}.")


def _counts(states: list[str], order: tuple[str, ...]) -> str:
    if not states:
        return "aucune ligne"
    return ", ".join(f"{n} {_plural(s, n)}" for s in order for n in [states.count(s)])


def _plural(state: str, n: int) -> str:
    """« 2 tenus », « 3 remises », « 1 confirmé », « 4 à venir » (unchanged)."""
    return state + "s" if n > 1 and " " not in state else state


def _schoolyear(config: Config) -> SchoolYear:
    """The campaign's [annee_scolaire]; ConfigError without it."""
    if config.schoolyear is None:
        raise ConfigError(
            "Aucune année scolaire à suivre : ajoutez à config.toml la table [annee_scolaire] "
            "et ses [[temps_forts]] (voir docs/configuration.md).")
    return config.schoolyear


def read_follow_up_tab(config: Config, progress: Progress | None = None) -> Reading:
    """« Suivi de l'année » read and checked against the classes of the campaign (nothing is
    written). ConfigError without [annee_scolaire]."""
    year = _schoolyear(config)
    kinds = tuple(k.name for k in year.kinds)
    checked = check_source(config, progress, match=False)
    classes = {c: (s, label) for c, s, label in _classes(checked)}
    tab = config.tabs.follow_up
    if config.google is not None:
        target = getattr(checked.target, "shared", checked.target)
        assert isinstance(target, SpreadsheetTarget)
        read = target.read
        where = f"https://docs.google.com/spreadsheets/d/{read.spreadsheet_id}/edit"
        return Reading(where, tab, read_follow_up(read.grids, tab, kinds, classes))
    path = follow_up_workbook(config)
    assert path is not None
    grids: tuple[Grid, ...] = ()
    if path.exists():
        grids = tuple(excel.read_workbook(path, limits=config.reading).grids)
    follow = read_follow_up(grids, tab, kinds, classes)
    return Reading(str(path), follow.sheet or tab, follow)
