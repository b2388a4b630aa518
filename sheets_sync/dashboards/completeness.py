"""« Complétude »: each answer's status, session and what to fix, with links to the cells.

    # 4   Établissement   | Onglet   | Ligne | Statut    | Session | À corriger | …
    # 5   Collège Exemple | Réponses | 7     | Incomplet | 1re     | Vos objectifs
    # 6   Collège Exemple | Réponses | 4     | Doublon   | —       | Doublon : supprimez la ligne 4…
    # 7   Classeur        | Feuil2   | 1     | Avertissement | —   | L'onglet « Feuil2 » ressemble …

Below the answers, a « Classeur » block lists the source-level issues (a tab not read,
text typed in « Mode d'emploi »): nothing the workbook holds is dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..cells.a1 import from_a1
from ..cells.grid import GeneratedTab, OutCell
from ..cells.layout import Table, lay_out
from ..config import CampaignView
from ..form.check import COMPLETE, DUPLICATE, INCOMPLETE, NOT_TAKING_PART, STATUS_LABELS, School
from ..form.consolidate import Campaign, where
from ..form.findings import Issue
from ..form.model import FIELD
from .marks import banner, session_label

_STATUS_STYLE = {COMPLETE: "ok", INCOMPLETE: "error", NOT_TAKING_PART: "muted",
                 DUPLICATE: "muted"}
NO_ANSWER_LABEL = "Sans réponse"
SOURCE_LABEL = "Classeur"
_SHORT = {
    "onglet-non-lu": "Onglet non lu : recopiez ces réponses dans l'onglet « {answers} ».",
    "saisie-hors-reponses": "Saisie non lue : recopiez-la dans l'onglet « {answers} ».",
}


def _sheet_ref(tab: str, cell: str) -> str:
    return "'" + tab.replace("'", "''") + "'!" + cell


def _issue_cell(issue: Issue, linkable: bool) -> OutCell:
    """A link to the faulty cell, spoken as « F7 (titre) ».

    Only a cell of the workbook the tab is written into can be linked (not a fiche's file,
    nor the source when the dashboard is a separate workbook).
    """
    assert issue.cell is not None
    short = FIELD[issue.field].label if issue.field in FIELD else issue.code
    short = short if len(short) <= 28 else short[:27] + "…"
    style = "error" if issue.severity == "erreur" else "warning"
    link = _sheet_ref(issue.tab, issue.cell) if linkable else None
    return OutCell(f"{issue.cell} ({short})", style, link=link)


def _to_fix(school: School, kept: dict[str, School]) -> str:
    """The fields to fix; for a duplicate, which row (or file) to delete instead."""
    if school.status == DUPLICATE:
        winner = kept.get(school.key)
        return (f"Doublon : supprimez {where(school)}"
                + (f" (réponse retenue : {where(winner)})" if winner else ""))
    labels = [f"colonne « {FIELD[k].label} » absente" for k in school.absent]
    for issue in school.issues:
        if issue.severity != "erreur" or issue.field is None:
            continue
        label = FIELD[issue.field].label if issue.field in FIELD else issue.field
        if label not in labels:
            labels.append(label)
    return " ; ".join(labels)


def _source_text(issue: Issue, answers_tab: str) -> str:
    """What to do about a source-level issue, short enough for the column; else its message."""
    short = _SHORT.get(issue.code)
    return short.format(answers=answers_tab) if short else issue.message


def _source_row(issue: Issue, linkable: bool, answers_tab: str) -> tuple[OutCell, ...]:
    """One source-level issue: the tab, the row, what to do, a link to the cell."""
    row = from_a1(issue.cell)[0] if issue.cell else None
    style = "error" if issue.severity == "erreur" else "warning"
    link = (_sheet_ref(issue.tab, issue.cell) if linkable and issue.cell else None)
    where = OutCell(issue.cell, style, link=link) if issue.cell else OutCell(None)
    return (OutCell(SOURCE_LABEL, "muted"), OutCell(issue.tab), OutCell(row, "integer"),
            OutCell("Erreur" if style == "error" else "Avertissement", style), OutCell("—"),
            OutCell(_source_text(issue, answers_tab), "wrap"), OutCell(None), OutCell(None), where)


def completeness_tab(config: CampaignView, campaign: Campaign, now: dt.datetime, *,
                     source_issues: Sequence[Issue] = ()) -> GeneratedTab:
    """« Complétude »: each answer's status, session and what to fix, with links to the cells.

    `source_issues`: issues of the workbook rather than of one answer (a tab not read, text
    typed in « Mode d'emploi »), listed in a « Classeur » block below the answers.
    """
    same_book = config.same_book()
    rows = []
    kept = {s.key: s for s in campaign.kept}
    for school in campaign.schools:
        linked = [_issue_cell(i, same_book and not school.origin)
                  for i in school.issues if i.cell]
        rows.append((
            OutCell(school.name or "(sans nom)", None if school.name else "muted"),
            OutCell(school.origin or school.tab),
            OutCell(school.row, "integer"),
            OutCell(STATUS_LABELS[school.status], _STATUS_STYLE[school.status]),
            OutCell(session_label(school.session)),
            OutCell(_to_fix(school, kept), "wrap"),
            OutCell(len(school.errors), "integer"),
            OutCell(len(school.issues) - len(school.errors), "integer"),
            *linked,
        ))
    for establishment in campaign.unanswered:
        rows.append((OutCell(establishment.name), OutCell(config.tabs.establishments),
                     OutCell(None), OutCell(NO_ANSWER_LABEL, "warning"), OutCell("—"),
                     OutCell("Toute l'annexe n°1", "wrap"), OutCell(None), OutCell(None)))
    # Issues of a fiche file name the file in their tab (« x.xlsx › Fiche »): no link.
    rows.extend(_source_row(i, same_book and "›" not in i.tab, config.tabs.answers)
                for i in source_issues)
    # one link a cell: a school with several cells to fix fills the columns from I on, all
    # under the last header (merged across them), each as wide as its links
    table = Table(("Établissement", "Fichier ou onglet", "Ligne", "Statut", "Session",
                   "À corriger", "Erreurs", "Avertissements",
                   "Cellules à corriger (cliquer pour y aller)"),
                  tuple(rows), widths=(34, 22, 8, 18, 14, 60, 9, 16, 30))
    return lay_out(
        config.tabs.completeness, banner(now), f"Complétude des réponses — {config.name}",
        [table],
        notes=("Statut « Incomplet » : au moins une erreur à corriger dans la réponse. "
               "Les avertissements n'empêchent pas une réponse d'être complète.",
               "Session : d'après la « Date de dépôt », sinon d'après le jour où la réponse a "
               "été vue complète pour la première fois.",
               "Doublon : deux réponses pour un même établissement ; la plus complète est "
               "retenue (puis la plus récente). Supprimez la ligne indiquée.",
               "Classeur : ce qui est saisi hors de l'onglet des réponses n'est pas lu."),
    )
