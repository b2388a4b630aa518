"""« Complétude »: each answer's status, session and what to fix, with links to the cells.

    # 4   Établissement   | Fichier ou onglet | Ligne | Statut    | Session    | À corriger | …
    # 5   Collège Exemple | Réponses          | 7     | Incomplet | 1re session | Vos objectifs
"""

from __future__ import annotations

import datetime as dt

from ..cells.grid import GeneratedTab, OutCell
from ..config import CampaignView
from ..form.check import COMPLETE, DUPLICATE, INCOMPLETE, NOT_TAKING_PART, STATUS_LABELS, School
from ..form.consolidate import Campaign
from ..form.findings import Issue
from ..form.model import FIELD
from .marks import banner, session_label

_STATUS_STYLE = {COMPLETE: "ok", INCOMPLETE: "error", NOT_TAKING_PART: "muted",
                 DUPLICATE: "muted"}
NO_ANSWER_LABEL = "Sans réponse"


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


def _to_fix(school: School) -> str:
    labels: list[str] = []
    for issue in school.issues:
        if issue.severity != "erreur" or issue.field is None:
            continue
        label = FIELD[issue.field].label if issue.field in FIELD else issue.field
        if label not in labels:
            labels.append(label)
    return " ; ".join(labels)


def completeness_tab(config: CampaignView, campaign: Campaign, now: dt.datetime) -> GeneratedTab:
    """« Complétude »: each answer's status, session and what to fix, with links to the cells."""
    same_book = config.same_book()
    rows = []
    for school in campaign.schools:
        linked = [_issue_cell(i, same_book and not school.origin)
                  for i in school.issues if i.cell]
        rows.append((
            OutCell(school.name or "(sans nom)", None if school.name else "muted"),
            OutCell(school.origin or school.tab),
            OutCell(school.row, "integer"),
            OutCell(STATUS_LABELS[school.status], _STATUS_STYLE[school.status]),
            OutCell(session_label(school.session)),
            OutCell(_to_fix(school), "wrap"),
            OutCell(len(school.errors), "integer"),
            OutCell(len(school.issues) - len(school.errors), "integer"),
            *linked,
        ))
    for establishment in campaign.unanswered:
        rows.append((OutCell(establishment.name), OutCell(config.tabs.establishments),
                     OutCell(None), OutCell(NO_ANSWER_LABEL, "warning"), OutCell("—"),
                     OutCell("Toute l'annexe n°1", "wrap"), OutCell(None), OutCell(None)))
    return GeneratedTab(
        name=config.tabs.completeness,
        banner=banner(now),
        title=f"Complétude des réponses — {config.name}",
        header=("Établissement", "Fichier ou onglet", "Ligne", "Statut", "Session",
                "À corriger", "Erreurs", "Avertissements",
                "Cellules à corriger (cliquer pour y aller)"),
        rows=tuple(rows),
        widths=(34, 22, 8, 18, 14, 48, 9, 14, 30),
        notes=("Statut « Incomplet » : au moins une erreur à corriger dans la réponse. "
               "Les avertissements n'empêchent pas une réponse d'être complète.",
               "Session : d'après la « Date de dépôt », sinon d'après le jour où la réponse a "
               "été vue complète pour la première fois."),
    )
