"""Results as the coordinator reads them: a French text summary, every line, or JSON.

Three sizes, for people and for cron (`Output`): « summary » (the default: the ten schools
to chase first with what is missing, the workbook's own problems, the figures, where the
rest is: as many lines for 10 schools as for 650), « details » (a line per school, every
issue, the figures), « quiet » (the errors that are not in a school's answer: workbook,
roster, config; then one final line). The campaign's figures come from dashboards/figures,
like « Synthèse » and the HTML report.
"""

from __future__ import annotations

import builtins
import codecs
import json
import os
import re
import sys
from typing import TYPE_CHECKING, Any, Literal

from .dashboards.completeness import NO_ANSWER_LABEL
from .dashboards.figures import Figures, figure_lines, figures, figures_json
from .dashboards.marks import session_label
from .form.check import INCOMPLETE, STATUS_LABELS, School
from .form.findings import Issue
from .form.messages import ERROR
from .outreach.reminders import what_to_fix
from .pull import SplitTarget
from .sync import CheckResult, SyncResult

if TYPE_CHECKING:
    from rich.console import Console


def school_json(school: School) -> dict[str, Any]:
    return {
        "etablissement": school.name,
        "tab": school.origin or school.tab,
        "row": school.row,
        "status": school.status,
        "session": school.session,
        "reference": school.reference,
        "issues": [i.as_dict() for i in school.issues],
    }


def check_json(result: CheckResult) -> str:
    """The stable JSON report: {"schools": [...], "sans_reponse": [...], "issues": [...],
    "chiffres": {...}} (the figures of « Synthèse », keyed as figures.figure_lines)."""
    f = figures(result.config, result.campaign)
    return json.dumps(
        {
            "schools": [school_json(s) for s in result.schools],
            "sans_reponse": [{"etablissement": e.name, "uai": e.uai, "commune": e.commune}
                             for e in result.unanswered],
            "issues": [i.as_dict() for i in result.report],
            "chiffres": {**figures_json(f), "par_session": dict(f.per_session)},
        },
        ensure_ascii=False,
        indent=2,
    )


Output = Literal["summary", "details", "quiet"]
CHASE_FIRST = 10  # schools named in the summary
OTHER_ISSUES = 5  # issues of the workbook itself (not of a school) named in the summary


def chase_first(result: CheckResult, limit: int = CHASE_FIRST) -> list[tuple[str, str]]:
    """(school, what is missing) of the schools to chase first, at most `limit`.

    Incomplete answers first, the nearest to complete first (one missing answer is a quick
    call), then the schools of the reference list with no answer, in its order.
    """
    incomplete = sorted((s for s in result.schools if s.status == INCOMPLETE),
                        key=lambda s: (len(s.errors), s.row or 0))
    out = []
    for s in incomplete:
        missing = what_to_fix(s)
        more = f" (+{len(missing) - 1})" if len(missing) > 1 else ""
        out.append((s.name or "(sans nom)", (missing[0] if missing else "à compléter") + more))
    out += [(e.name, "aucune réponse") for e in result.unanswered]
    return out[:limit]


def to_chase(result: CheckResult) -> int:
    return sum(1 for s in result.schools if s.status == INCOMPLETE) + len(result.unanswered)


def _not_of_a_school(result: CheckResult) -> list[Issue]:
    """Issues of the workbook, roster or config, that no school's line shows."""
    of_schools = {id(i) for s in result.schools for i in s.issues}
    return [i for i in result.report if id(i) not in of_schools]


def _issue_line(i: Issue) -> str:
    where = f"{i.tab}!{i.cell}" if i.cell else i.tab
    return f"  [{i.severity}] {where} — {i.message} ({i.code})"


def final_line(result: CheckResult) -> str:
    """« 2 réponse(s) : 1 complet, … ; 0 erreur(s), 1 avertissement(s). », the last line."""
    f = figures(result.config, result.campaign)
    return (
        f"{f.received} réponse(s) : {f.complete} complet, {f.incomplete} incomplet, "
        f"{f.declined} ne participe pas"
        + (f", {f.duplicates} doublon(s) non retenu(s)" if f.duplicates else "")
        + (f" ; {f.unanswered} établissement(s) sans réponse" if f.unanswered else "")
        + f" ; {len(result.report.errors)} erreur(s), {len(result.report.warnings)} "
        "avertissement(s)."
    )


_EMOJI_CODE = re.compile(r":\S*:")  # what rich may read as an emoji code (« :smile: »)


def plain(text: str) -> bool:
    """rich prints `text` (markup and highlighting off, soft wrap) exactly as written.

    Each line printable (no tab, no control code rich strips, no lone surrogate, no
    separator but the space) and not ending with a space, and no « :code: »: rich changes
    none of it, whatever the width. tests/test_startup_console.py holds both to the same
    output.
    """
    return _EMOJI_CODE.search(text) is None and all(
        line.isprintable() and not line[-1:].isspace() for line in text.split("\n"))


class Screen:
    """Standard output as rich's Console prints to it, rich loaded only when needed.

    A plain line (`plain`) is written and flushed as rich would write it (~60 ms of rich's
    import saved on `sync --quiet`, cron's command); anything else, tables, markup, goes to
    a rich Console made as the command always made it: its terminal's width, or `width`.
    Where rich has its own ways of writing (Windows consoles, Jupyter, a redirected or
    non-UTF-8 stream, FORCE_COLOR and the like), every line goes to rich.
    """

    def __init__(self, width: int | None = None) -> None:
        self.width = width
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console() if self.width is None else Console(width=self.width)
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:
        self.console.print(*objects, **options)

    def say(self, text: str) -> None:
        """`print(text, highlight=False, markup=False, soft_wrap=True)`."""
        file = sys.stdout
        if self._console is not None or not _plain_stream(file) or not plain(text):
            self.console.print(text, highlight=False, markup=False, soft_wrap=True)
            return
        try:
            file.write(text + "\n")
            file.flush()
        except BrokenPipeError:  # as rich's Console.on_broken_pipe
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(1) from None


if TYPE_CHECKING:
    Printer = Console | Screen  # what the print_* functions print to


_RICH_ENVIRON = ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
                 "DATABRICKS_RUNTIME_VERSION")


def _plain_stream(file: Any) -> bool:
    """A stream rich would write a plain line to with a single write: not Windows (its
    legacy console), not Jupyter, a UTF-8 stream of its own, no variable rich reads to force
    colours or a terminal."""
    if sys.platform == "win32" or file is None or hasattr(builtins, "get_ipython") \
            or hasattr(file, "rich_proxied_file") or any(v in os.environ for v in _RICH_ENVIRON):
        return False
    try:
        return codecs.lookup(file.encoding).name == "utf-8"
    except (AttributeError, LookupError, TypeError):
        return False


def _say(console: Printer, text: str) -> None:
    if isinstance(console, Screen):
        console.say(text)
    else:
        console.print(text, highlight=False, markup=False, soft_wrap=True)


def print_check(console: Printer, result: CheckResult, output: Output = "summary") -> None:
    """The check, at the size asked for (see the module docstring); ends with final_line."""
    if output == "details":
        _print_details(console, result)
    elif output == "quiet":
        _print_quiet(console, result)
    else:
        _print_summary(console, result)
    _say(console, ("" if output == "quiet" else "\n") + final_line(result))


def _print_quiet(console: Printer, result: CheckResult) -> None:
    """The errors the coordinator must fix (workbook, roster, config): the schools' own are
    counted in the final line and listed in « Complétude »."""
    for i in _not_of_a_school(result):
        if i.severity == ERROR:
            _say(console, _issue_line(i))


def _print_summary(console: Printer, result: CheckResult) -> None:
    _say(console, f"Contrôle des réponses — {result.config.name}")
    first, total = chase_first(result), to_chase(result)
    if first:
        _say(console, f"\nÀ relancer en premier ({len(first)} sur {total}) :")
        for name, missing in first:
            _say(console, f"  {name} — {missing}")
    else:
        _say(console, "\nAucun établissement à relancer.")
    others = _not_of_a_school(result)
    if others:
        _say(console, "\nProblèmes hors des réponses des établissements :")
        for i in others[:OTHER_ISSUES]:
            _say(console, _issue_line(i))
        if len(others) > OTHER_ISSUES:
            _say(console, f"  … et {len(others) - OTHER_ISSUES} autre(s).")
    print_figures(console, figures(result.config, result.campaign))
    _say(console, f"\nLe détail par établissement : onglet « {result.config.tabs.completeness} » "
                  "(écrit par sheets-sync sync), ou sheets-sync check --details.")


def _print_details(console: Printer, result: CheckResult) -> None:
    """One line per school, then each issue with its cell, then the figures."""
    from rich.table import Table  # --details only: rich's tables load when drawn
    from rich.text import Text

    table = Table(title=f"Contrôle des réponses — {result.config.name}", title_justify="left")
    for column in ("Établissement", "Où", "Statut", "Session", "Erreurs", "Avert."):
        table.add_column(column)
    for s in result.schools:
        where = s.origin or (f"{s.tab} ligne {s.row}" if s.row else s.tab)
        warnings = len(s.issues) - len(s.errors)
        table.add_row(Text(s.name or "(sans nom)"), Text(where), STATUS_LABELS[s.status],
                      session_label(s.session), str(len(s.errors)), str(warnings))
    for e in result.unanswered:
        table.add_row(Text(e.name), Text(result.config.tabs.establishments), NO_ANSWER_LABEL,
                      "—", "", "")
    console.print(table)
    if len(result.report):
        console.print("\nProblèmes relevés :")
        for i in result.report:
            where = f"{i.tab}!{i.cell}" if i.cell else i.tab
            console.print(f"  [{i.severity}] {where} — {i.message} ({i.code})", markup=False,
                          highlight=False, soft_wrap=True)
    print_figures(console, figures(result.config, result.campaign))


def print_figures(console: Printer, f: Figures) -> None:
    """The campaign's figures, one « label : value » line each, as « Synthèse » shows them."""
    from .reports.svg_charts import format_value

    console.print("\nChiffres de la campagne :", highlight=False)
    for line in figure_lines(f):
        console.print(f"  {line.label} : {format_value(line.value, line.style)}",
                      highlight=False, markup=False, soft_wrap=True)


def tabs_by_file(result: SyncResult) -> list[tuple[str, list[str]]]:
    """(where, tabs) for each file the sync writes: the shared one, then the coordinator's."""
    target = result.check.target
    files: dict[str, list[str]] = {target.where: []}
    other = target.coordination.where if isinstance(target, SplitTarget) else None
    for tab, action in result.plan:
        where = other if other and action.endswith(f"(coordination : {other})") else target.where
        files.setdefault(where, []).append(tab)
    return [(where, tabs) for where, tabs in files.items() if tabs]


def sync_line(result: SyncResult) -> str:
    """« Écrit : 9 onglet(s) (5 dans …, 4 dans …). », the line a cron log keeps."""
    files = tabs_by_file(result)
    where = ", ".join(f"{len(tabs)} dans {w}" for w, tabs in files)
    if len(files) == 1:
        where = f"dans {files[0][0]}"
    elif files:
        where = f"({where})"
    if not result.written:
        return (f"Simulation (--dry-run) : {len(result.plan)} onglet(s) seraient écrits "
                f"{where} ; rien n'est écrit.")
    return f"Écrit : {len(result.plan)} onglet(s) {where}."


def print_sync(console: Printer, result: SyncResult, output: Output = "summary") -> None:
    """The check at the size asked for, then what the sync wrote (or would write) and where."""
    checked = result.check
    if output == "quiet":
        _print_quiet(console, checked)
        _say(console, f"{sync_line(result)} {final_line(checked)}")
        return
    print_check(console, checked, output)
    moved = checked.sponsorship.changes
    if moved:
        _say(console, "Parrainages modifiés :" if result.written
             else "Parrainages qui changeraient :")
        for line in moved if output == "details" else moved[:CHASE_FIRST]:
            _say(console, f"  {line}")
        if output != "details" and len(moved) > CHASE_FIRST:
            _say(console, f"  … et {len(moved) - CHASE_FIRST} autre(s) (--details).")
    verb = "Écrit" if result.written else "Simulation (--dry-run), rien n'est écrit ; serait"
    for tab, action in result.plan:  # a line per tab: as many whatever the number of schools
        _say(console, f"{verb} : onglet « {tab} » {action}.")
    if result.written:
        _say(console, f"Tableau de bord : {checked.target.where}")
        if result.backup:
            _say(console, f"Version précédente conservée : {result.backup}")
    _say(console, sync_line(result))


def sync_json(result: SyncResult) -> str:
    """check_json's shape, plus "ecrit": what the sync wrote (or, dry run, would write)."""
    data = json.loads(check_json(result.check))
    data["ecrit"] = {
        "ecrit": result.written,
        "cible": result.check.target.where,
        "onglets": [{"onglet": tab, "action": action} for tab, action in result.plan],
        "sauvegarde": str(result.backup) if result.backup else None,
        "avertissements": list(result.warnings),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def match_json(result: CheckResult) -> str:
    """The stable JSON of the matching: {"pairings": [...], "non_pourvues": [...]}."""
    sponsorship = result.sponsorship
    pairings = []
    for p in sponsorship.result.pairings:
        klass, member = sponsorship.classroom(p.class_id), sponsorship.member(p.ambassador_id)
        pairings.append({
            "classe": p.class_id,
            "etablissement": klass.school.name,
            "niveau": klass.unit.level,
            "ambassadeur": p.ambassador_id,
            "genre": member.ambassador.gender,
            "metier": member.ambassador.job,
            "secteur": member.ambassador.sector,
            "raisons": list(p.reasons),
        })
    unserved = [{"classe": u.class_id,
                 "etablissement": sponsorship.classroom(u.class_id).school.name,
                 "raison": u.reason} for u in sponsorship.result.unserved]
    return json.dumps({"pairings": pairings, "non_pourvues": unserved}, ensure_ascii=False,
                      indent=2)


def print_match(console: Printer, result: CheckResult) -> None:
    """Each class with its ambassadors, then the classes left unserved."""
    from rich.table import Table
    from rich.text import Text

    sponsorship = result.sponsorship
    table = Table(title=f"Parrainages proposés — {result.config.name}", title_justify="left")
    for column in ("Classe", "Établissement", "Ambassadeur", "Genre", "Métier"):
        table.add_column(column)
    for p in sponsorship.result.pairings:
        klass, member = sponsorship.classroom(p.class_id), sponsorship.member(p.ambassador_id)
        table.add_row(*(Text(v) for v in (klass.label, klass.school.name or "", member.name,
                                          member.ambassador.gender or "—",
                                          member.ambassador.job)))
    console.print(table)
    served = {p.class_id for p in sponsorship.result.pairings}
    for u in sponsorship.result.unserved:  # fewer than k: none at all, or some missing
        what = "Incomplète" if u.class_id in served else "Non pourvue"
        console.print(f"{what} : {u.class_id} — {u.reason}", highlight=False,
                      markup=False, soft_wrap=True)
    unserved = sponsorship.result.unserved
    none = sum(1 for u in unserved if u.class_id not in served)
    console.print(f"{len(sponsorship.classes)} classe(s), {len(sponsorship.members)} "
                  f"ambassadeur(s), {len(sponsorship.result.pairings)} parrainage(s), "
                  f"{none} classe(s) non pourvue(s), {len(unserved) - none} incomplète(s).",
                  highlight=False, soft_wrap=True)
