"""The main job: pull the source, check it, build the generated tabs, write them back.

    source ──► pull ──► check ──► consolidate ──► dashboards ──► publish
    (backend)  pull.py  form/check  form/consolidate  dashboards/  (target's backend)

The remembered state (when each answer was first seen complete) lives in a hidden generated
tab of the target; the reference list of schools in a tab or a file named in config.

With a coordinator workbook named in config, the shared file gets only the tabs principals
may read; the rest goes to the coordinator workbook (pull.SplitTarget). Without one, a
one-file campaign keeps working and is warned (`classeur-partage-expose`, `_exposure`).

One sync at a time per target: a sync holds the lock of the shared target and of the
coordinator one (backends/files/sync_lock) from the pull to the write, so a second one waits
(`wait` seconds) or is refused, never interleaves. Holding it, it removes the temp files a
killed sync left (backends/excel/write.remove_stale_temp_files).
A dry run takes no lock; it reports what would refuse the write (workbook open in Excel,
read-only) as warnings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .ambassadors.roster import Member, read_roster
from .ambassadors.sponsoring import Sponsorship, sponsor
from .ambassadors.stability import unnamed
from .backends import excel, google
from .backends.files.sync_lock import cache_lock_path, hold, hold_if_possible, lock_path
from .cells.grid import GeneratedTab, Grid
from .collector import collector_paused
from .config import Config
from .dashboards.journal import JournalEntry, changes, read_journal, toolkit_version
from .dashboards.overview import build_tabs
from .errors import ConfigError, WriteRefused
from .form.check import INCOMPLETE, School, check_answers
from .form.consolidate import Campaign, consolidate
from .form.findings import Issue, Report, make_issue
from .form.identity import Establishment, read_reference
from .form.sessions import Previous, read_previous, read_state
from .outreach.reminders import Reminder, build_reminders
from .outreach.texts import reminder_templates
from .pull import Progress, Pulled, Target, pull

if TYPE_CHECKING:
    from .schoolyear.model import Plan
    from .schoolyear.tracking import FollowUp
    from .schoolyear.year import YearPlan


@dataclass(frozen=True)
class CheckResult:
    """Every school of the source, checked and identified, and where generated tabs belong."""

    config: Config
    layout: str  # "tableau" | "fiches"
    campaign: Campaign
    sponsorship: Sponsorship
    report: Report
    target: Target
    today: dt.date
    journal: tuple[JournalEntry, ...] = ()
    previous: Previous = field(default_factory=Previous)  # the last sync: answers, pairings
    source_issues: tuple[Issue, ...] = ()  # the workbook's own, shown in « Complétude »
    year: YearPlan | None = None  # the school year's plan (None: none planned, or `check`)

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
    warnings: list[str] = field(default_factory=list)  # French, for a dry run


def _reference(config: Config, grids: Sequence[Grid]) -> tuple[list[Establishment], list[Issue]]:
    """The reference list: a file named in config, else a tab of the source or target."""
    if config.establishments_file is not None:
        grids = excel.read_workbook(config.establishments_file, limits=config.reading).grids
        tab = next(iter(grids), None)
    else:
        tab = next((g for g in grids if (g.sheet or g.tab) == config.tabs.establishments), None)
    return read_reference(tab) if tab is not None else ([], [])


def check_source(config: Config, progress: Progress | None = None,
                 today: dt.date | None = None, *, reoptimise: bool = False,
                 match: bool = True) -> CheckResult:
    """Read and check the configured source; raises SourceError when it cannot be read.

    `reoptimise`: match every class afresh instead of keeping the published pairings.
    `match` False: no pairing is computed (what `check` needs: the answers, the roster and
    the coordinators' decisions are still checked).
    """
    with collector_paused():  # millions of small objects, no cycle (collector.py)
        return _check_source(config, progress, today, reoptimise, match)


def _check_source(config: Config, progress: Progress | None, today: dt.date | None,
                  reoptimise: bool, match: bool) -> CheckResult:
    pulled = pull(config, progress)
    reference, reference_issues = _reference(config, pulled.grids)
    day = today or dt.date.today()
    campaign = consolidate(check_answers(pulled.answers, config.limits), reference,
                           read_state(pulled.grids, config.tabs.state), config.sessions, day)
    members, roster_issues = _roster(config, pulled)
    previous = read_previous(pulled.grids, config.tabs.state)
    grids = _pairings_shown(config, pulled, previous, members) if match else pulled.grids
    sponsorship = sponsor(config, campaign.kept, members, grids,
                          reoptimise=reoptimise, solve=match)
    exposure = _exposure(config, pulled)
    follow_up = _follow_up(config, pulled.grids, sponsorship)
    year = (_year(config, sponsorship, previous, follow_up, day)
            if match and follow_up is not None else None)
    # the year's plan adds its own warnings on « Suivi » (typed days, clashes) to the reader's
    tracked = (year.follow_up.issues if year is not None
               else follow_up.issues if follow_up is not None else ())
    report = Report([*pulled.issues, *exposure, *reference_issues,
                     *campaign.issues, *roster_issues, *sponsorship.issues, *tracked])
    return CheckResult(config, pulled.layout, campaign, sponsorship, report, pulled.target, day,
                       tuple(read_journal(pulled.grids, config.tabs.journal)), previous,
                       (*pulled.issues, *exposure), year)


def _pairings_shown(config: Config, pulled: Pulled, previous: Previous,
                    members: Sequence[Member]) -> Sequence[Grid]:
    """The grids, with « Parrainages » read whole first when a published pairing's
    ambassador left the roster (named there only); else as read (its marker alone)."""
    if not unnamed(previous.pairings, (m.ambassador.id for m in members)):
        return pulled.grids
    shown = pulled.read_whole(config.tabs.sponsorships)
    return pulled.grids if shown is None else [shown, *pulled.grids]


def _follow_up(config: Config, grids: Sequence[Grid],
               sponsorship: Sponsorship) -> FollowUp | None:
    """« Suivi de l'année » as typed, when config.toml plans a year with temps forts."""
    if config.schoolyear is None or not config.schoolyear.kinds:
        return None
    from .schoolyear.season import class_names, read_follow_up

    return read_follow_up(grids, config.tabs.follow_up,
                          [k.name for k in config.schoolyear.kinds], class_names(sponsorship))


def _year(config: Config, sponsorship: Sponsorship, previous: Previous, follow_up: FollowUp,
          today: dt.date) -> YearPlan:
    """The year's plan, keeping the events the last sync published (schoolyear/season.py).
    ConfigError for a year sheets-sync does not know."""
    from .schoolyear import load_calendar
    from .schoolyear.season import year_plan

    year = config.schoolyear
    assert year is not None
    return year_plan(year, load_calendar(year.calendar), sponsorship, previous.events,
                     follow_up, today)


def _roster(config: Config, pulled: Pulled) -> tuple[list[Member], list[Issue]]:
    """The ambassadors: a file named in config, else a tab of the pulled workbooks.

    A folder of fiches with no roster named anywhere has none to look for: no warning.
    """
    if config.roster_file is not None:
        grids: Sequence[Grid] = excel.read_workbook(config.roster_file,
                                                    limits=config.reading).grids
        tab = grids[0].sheet if grids else config.tabs.roster
    elif (config.coordination is not None or config.google is not None
          or not config.source.is_dir()):
        grids, tab = pulled.grids, config.tabs.roster
    else:
        return [], []
    return read_roster(grids, tab, config.matching.local_communes)


def _exposure(config: Config, pulled: Pulled) -> list[Issue]:
    """What the file principals share shows every school: the roster, the coordinator tabs."""
    tabs = config.tabs
    exposed = []
    if pulled.roster_in_shared(config):
        exposed.append("la liste des ambassadeurs (courriels, téléphones)")
    if config.coordination is None and pulled.layout == "tableau" and config.same_book():
        exposed.append(f"les onglets de coordination ({tabs.sponsorships}, {tabs.reminders}, "
                       f"{tabs.journal})")
    if not exposed:
        return []
    if config.google is not None:
        where, value = config.google.spreadsheet, "<adresse d'un second classeur Google>"
    else:
        where, value = config.source.name, "coordination.xlsx"
    if config.coordination is None:
        fix = (f"Ajoutez à config.toml « [coordination] classeur = \"{value}\" » : les onglets "
               "de coordination y seront écrits"
               + (f", puis déplacez-y l'onglet « {tabs.roster} »." if len(exposed) > 1 else "."))
    else:
        fix = (f"Déplacez l'onglet « {tabs.roster} » dans le classeur de coordination "
               f"({config.coordination}).")
    return [make_issue("classeur-partage-expose", tab=where, what=" et ".join(exposed),
                       fix=fix)]


def _target_workbook(config: Config) -> Path | None:
    """The workbook generated tabs are written to (None for a Google spreadsheet)."""
    if config.google is not None:
        return None
    return config.source if config.same_book() else config.dashboard_path()


@contextlib.contextmanager
def _one_at_a_time(config: Config, wait: float = 0.0,
                  on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the sync lock of the shared target and of the coordinator one for the block."""
    with contextlib.ExitStack() as stack:
        shared = _target_workbook(config)
        if shared is None:
            assert config.google is not None
            stack.enter_context(_hold_spreadsheet(config.google.spreadsheet, wait, on_wait))
        else:
            stack.enter_context(_hold_workbook(shared, wait, on_wait))
        if isinstance(config.coordination, Path):
            stack.enter_context(_hold_workbook(config.coordination, wait, on_wait))
        elif config.coordination is not None:
            stack.enter_context(_hold_spreadsheet(config.coordination, wait, on_wait))
        yield


@contextlib.contextmanager
def _hold_spreadsheet(spreadsheet: str, wait: float,
                      on_wait: Callable[[str], None] | None) -> Iterator[None]:
    key = google.parse_spreadsheet_ref(spreadsheet)
    with hold_if_possible(cache_lock_path(key), f"Le classeur Google {key}", wait=wait,
                          on_wait=on_wait):
        yield


@contextlib.contextmanager
def _hold_workbook(workbook: Path, wait: float,
                   on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Hold a workbook's sync lock; then clear what a killed sync left beside it."""
    if not workbook.parent.is_dir():
        yield  # nothing to protect: the pull or the write says what is missing
        return
    with hold(lock_path(workbook), workbook.name, wait=wait, on_wait=on_wait):
        excel.remove_stale_temp_files(workbook)
        yield


def sync(
    config: Config,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    wait: float = 0.0,
    on_wait: Callable[[str], None] | None = None,
    reoptimise: bool = False,
) -> SyncResult:
    """Check the source and write the generated tabs (all or nothing).

    Another sync of the same target running: wait up to `wait` seconds (`on_wait` told once),
    else WriteRefused.
    """
    if dry_run:
        with collector_paused():
            return _sync(config, True, now, progress, reoptimise)
    with _one_at_a_time(config, wait, on_wait), collector_paused():
        return _sync(config, False, now, progress, reoptimise)


def _sync(config: Config, dry_run: bool, now: dt.datetime | None,
          progress: Progress | None, reoptimise: bool = False) -> SyncResult:
    now = now or dt.datetime.now()
    checked = check_source(config, progress, now.date(), reoptimise=reoptimise)
    entry = JournalEntry(now, checked.target.where if config.google else str(config.source),
                         len(checked.schools), sum(1 for s in checked.schools if s.answered),
                         len(checked.report.errors), len(checked.report.warnings),
                         toolkit_version(),
                         tuple(changes(checked.previous, checked.campaign, checked.sponsorship,
                                       checked.year)))
    journal = [entry, *checked.journal]
    tabs = build_tabs(config, checked.campaign, checked.sponsorship, now,
                      reminder_templates(config), journal, checked.source_issues, checked.year)
    plan = checked.target.plan(tabs)
    names = [t.name for t in tabs if not t.hidden]
    if dry_run:
        warnings = [f"{o} La synchronisation réelle serait refusée."
                    for o in checked.target.obstacles()]
        return SyncResult(checked, plan, written=False, tabs=names, warnings=warnings)
    backup = checked.target.write(tabs)
    return SyncResult(checked, plan, written=True, backup=backup, tabs=names)


def chase(config: Config, progress: Progress | None = None,
          today: dt.date | None = None) -> tuple[CheckResult, list[Reminder]]:
    """The schools to chase, each with its ready message (incomplete, then no answer)."""
    checked = check_source(config, progress, today)
    reminders = build_reminders(config, checked.campaign.kept, checked.unanswered,
                                reminder_templates(config), checked.today)
    return checked, reminders


# --- standalone reports for partners --------------------------------------------------------

REPORT_FORMATS = ("xlsx", "html")



def partner_tabs(config: Config, tabs: list[GeneratedTab]) -> list[GeneratedTab]:
    """The tabs partners may read, in the workbook's order."""
    from .reports.html_page import standalone_tabs

    t = config.tabs
    wanted = set(config.partner_tabs) or {t.summary, t.classes, t.mobilisation, t.equality,
                                          t.year_events, t.year_review}
    return standalone_tabs([t for t in tabs if t.name in wanted and not t.hidden])


def write_report(config: Config, fmt: str, output: Path | None = None, *,
                 now: dt.datetime | None = None, progress: Progress | None = None) -> Path:
    """Check the source, build the partner tabs and write them as a report; returns its path."""
    from .reports.html_page import contact_cells, render_html

    now = now or dt.datetime.now()
    checked = check_source(config, progress, now.date())
    tabs = partner_tabs(config, build_tabs(config, checked.campaign, checked.sponsorship, now,
                                           reminder_templates(config), year=checked.year))
    leaks = contact_cells(tabs)
    if leaks:
        cells = ", ".join(f"{tab}!{cell}" for tab, cell in leaks[:5])
        raise WriteRefused(f"Le rapport contiendrait des coordonnées personnelles ({cells}) : "
                           "retirez ces onglets de « partenaires.onglets ». Rien n'a été écrit.")
    from .backends.excel.report_book import default_report_path, write_atomic, write_report_xlsx

    folder = config.path.parent if config.path else Path.cwd()
    path = output or default_report_path(folder, fmt, now)
    if fmt == "xlsx":
        write_report_xlsx(path, tabs)
    else:
        title = f"Rapport — {config.name}"
        write_atomic(path, render_html(tabs, title, now).encode("utf-8"))
    return path


CONVOCATIONS_FOLDER = "convocations"  # inside the calendars' folder


@dataclass(frozen=True)
class CalendarExport:
    """What `calendrier --ics` did: the plan of the year, the .ics files written, and the
    convocation drafts (.eml, never sent) when asked for; the files of an earlier export
    this one no longer makes, removed (calendars of a class or ambassador no longer in the
    plan; drafts, only with convocations)."""

    plan: Plan
    classes: int  # paired classes planned
    written: list[Path]
    convocations: list[Path] = field(default_factory=list)
    removed_calendars: list[Path] = field(default_factory=list)
    removed_convocations: list[Path] = field(default_factory=list)


def export_calendars(config: Config, folder: Path, progress: Progress | None = None,
                     now: dt.datetime | None = None, *,
                     convocations: bool = False) -> CalendarExport:
    """Plan the year's temps forts for the current pairings (what `match` computes; the
    source is only read) and write one .ics per class, school and ambassador into `folder`;
    with `convocations`, also one draft (.eml) per school and per ambassador with an event
    into `folder`/convocations, its .ics attached: the very bytes written beside it.

    ConfigError when config.toml plans no year ([annee_scolaire], [[temps_forts]]) or names
    a year sheets-sync does not know.
    """
    from .backends import ics
    from .dashboards.year_review import year_figures
    from .schoolyear.exports import calendar_files

    year = config.schoolyear
    if year is None:
        raise ConfigError(
            "Aucune année scolaire à planifier : ajoutez à config.toml la table "
            "[annee_scolaire] et au moins un [[temps_forts]] (voir docs/configuration.md).")
    if not year.kinds:
        raise ConfigError(
            "Aucun temps fort à planifier : ajoutez à config.toml au moins un [[temps_forts]] "
            "(nom, du, au ; voir docs/configuration.md).")
    result = check_source(config, progress, now.date() if now else None)
    planned = result.year  # the plan a sync shows: same published events, same days
    assert planned is not None
    figures = year_figures(planned)  # « tenu », « annulé »: as « Calendrier » shows them
    files = calendar_files(planned.plan, planned.classes, planned.names,
                           held=figures.held, cancelled=figures.cancelled)
    stamp = now or dt.datetime.now(dt.UTC)
    texts = ics.calendar_texts(folder, files, stamp)  # written, and attached: the same bytes
    written = ics.write_ics(folder, texts)
    stale = ics.remove_stale(folder, written)
    drafts: list[Path] = []
    stale_drafts: list[Path] = []
    if convocations:
        from .outreach.convocations import (
            build_convocations,
            contacts_of,
            remove_stale_drafts,
            write_convocations,
        )

        made = build_convocations(planned.plan, planned.classes, planned.names,
                                  contacts_of(result.sponsorship), files, texts,
                                  year=year.calendar.year, campaign=config.name,
                                  held=figures.held, cancelled=figures.cancelled)
        drafts = write_convocations(folder / CONVOCATIONS_FOLDER, made)
        stale_drafts = remove_stale_drafts(folder / CONVOCATIONS_FOLDER, drafts)
    return CalendarExport(planned.plan, len(planned.classes), written, drafts, stale,
                          stale_drafts)

