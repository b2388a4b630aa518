"""Results as the coordinator reads them: a French text table, or JSON for scripts.

The campaign's figures come from dashboards/figures, like « Synthèse » and the HTML report.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .dashboards.completeness import NO_ANSWER_LABEL
from .dashboards.figures import Figures, figure_lines, figures, figures_json
from .dashboards.marks import session_label
from .form.check import STATUS_LABELS, School
from .reports.svg_charts import format_value
from .sync import CheckResult, SyncResult


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


def print_check(console: Console, result: CheckResult) -> None:
    """One line per school, then each issue with its cell."""
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
    f = figures(result.config, result.campaign)
    print_figures(console, f)
    console.print(
        f"\n{f.received} réponse(s) : {f.complete} complet, {f.incomplete} incomplet, "
        f"{f.declined} ne participe pas"
        + (f", {f.duplicates} doublon(s) non retenu(s)" if f.duplicates else "")
        + (f" ; {f.unanswered} établissement(s) sans réponse" if f.unanswered else "")
        + f" ; {len(result.report.errors)} erreur(s), {len(result.report.warnings)} "
        "avertissement(s).",
        highlight=False,
        soft_wrap=True,
    )


def print_figures(console: Console, f: Figures) -> None:
    """The campaign's figures, one « label : value » line each, as « Synthèse » shows them."""
    console.print("\nChiffres de la campagne :", highlight=False)
    for line in figure_lines(f):
        console.print(f"  {line.label} : {format_value(line.value, line.style)}",
                      highlight=False, markup=False, soft_wrap=True)


def print_sync(console: Console, result: SyncResult) -> None:
    """What the sync wrote (or would write) and where."""
    checked = result.check
    print_check(console, checked)
    verb = "Écrit" if result.written else "Simulation (--dry-run), rien n'est écrit ; serait"
    moved = checked.sponsorship.changes
    if moved:
        console.print("Parrainages modifiés :" if result.written
                      else "Parrainages qui changeraient :", highlight=False)
        for line in moved:
            console.print(f"  {line}", highlight=False)
    for tab, action in result.plan:
        console.print(f"{verb} : onglet « {tab} » {action}.", highlight=False)
    if result.written:
        console.print(f"Tableau de bord : {checked.target.where}", highlight=False)
        if result.backup:
            console.print(f"Version précédente conservée : {result.backup}", highlight=False)


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


def print_match(console: Console, result: CheckResult) -> None:
    """Each class with its ambassadors, then the classes left unserved."""
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
    for u in sponsorship.result.unserved:
        console.print(f"Non pourvue : {u.class_id} — {u.reason}", highlight=False,
                      markup=False, soft_wrap=True)
    console.print(f"{len(sponsorship.classes)} classe(s), {len(sponsorship.members)} "
                  f"ambassadeur(s), {len(sponsorship.result.pairings)} parrainage(s), "
                  f"{len(sponsorship.result.unserved)} classe(s) non pourvue(s).",
                  highlight=False, soft_wrap=True)
