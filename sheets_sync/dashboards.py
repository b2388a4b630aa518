"""Generated tabs, as plain data: « Complétude » (per school) and « Synthèse » (figures).

Complétude, one row per school:

    # 4   Établissement   | Onglet   | Ligne | Statut    | À corriger      | … | Cellules…
    # 5   Collège Exemple | Réponses | 7     | Incomplet | Vos objectifs ; … | … | F7 | H7
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .check import COMPLETE, INCOMPLETE, NOT_TAKING_PART, STATUS_LABELS, School
from .config import Config
from .form import FIELD
from .grid import MARKER, GeneratedTab, OutCell
from .report import Issue

_STATUS_STYLE = {COMPLETE: "ok", INCOMPLETE: "error", NOT_TAKING_PART: "muted"}


def banner(now: dt.datetime) -> str:
    """The marker row of every generated tab."""
    return (f"{MARKER} le {now:%d/%m/%Y à %H:%M} — ne pas modifier "
            "(onglet remplacé à chaque synchronisation)")


def _sheet_ref(tab: str, cell: str) -> str:
    return "'" + tab.replace("'", "''") + "'!" + cell


def _issue_cell(issue: Issue, school: School) -> OutCell:
    """A link to the faulty cell, spoken as « F7 (titre) »."""
    assert issue.cell is not None
    short = FIELD[issue.field].label if issue.field in FIELD else issue.code
    short = short if len(short) <= 28 else short[:27] + "…"
    text = f"{issue.cell} ({short})"
    if school.origin:  # a fiche in its own file: the cell cannot be linked from here
        return OutCell(text, "error" if issue.severity == "erreur" else "warning")
    return OutCell(text, "error" if issue.severity == "erreur" else "warning",
                   link=_sheet_ref(issue.tab, issue.cell))


def _to_fix(school: School) -> str:
    labels: list[str] = []
    for issue in school.issues:
        if issue.severity != "erreur" or issue.field is None:
            continue
        label = FIELD[issue.field].label if issue.field in FIELD else issue.field
        if label not in labels:
            labels.append(label)
    return " ; ".join(labels)


def completeness_tab(config: Config, schools: Sequence[School], now: dt.datetime) -> GeneratedTab:
    """« Complétude »: each school's status and what to fix, with links to the cells."""
    rows = []
    for school in schools:
        where = school.origin or school.tab
        linked = [_issue_cell(i, school) for i in school.issues if i.cell]
        rows.append((
            OutCell(school.name or "(sans nom)", None if school.name else "muted"),
            OutCell(where),
            OutCell(school.row, "integer"),
            OutCell(STATUS_LABELS[school.status], _STATUS_STYLE[school.status]),
            OutCell(_to_fix(school), "wrap"),
            OutCell(len(school.errors), "integer"),
            OutCell(len(school.issues) - len(school.errors), "integer"),
            *linked,
        ))
    return GeneratedTab(
        name=config.tabs.completeness,
        banner=banner(now),
        title=f"Complétude des réponses — {config.name}",
        header=("Établissement", "Fichier ou onglet", "Ligne", "Statut", "À corriger",
                "Erreurs", "Avertissements", "Cellules à corriger (cliquer pour y aller)"),
        rows=tuple(rows),
        widths=(34, 22, 8, 16, 48, 9, 14, 30),
        notes=("Statut « Incomplet » : au moins une erreur à corriger dans la réponse. "
               "Les avertissements n'empêchent pas une réponse d'être complète.",),
    )


@dataclass(frozen=True)
class Figures:
    """The campaign at a glance."""

    answered: int
    taking_part: int
    not_taking_part: int
    undecided: int
    classes_4e: int
    classes_3e: int
    complete: int
    incomplete: int

    @property
    def classes(self) -> int:
        return self.classes_4e + self.classes_3e


def figures(schools: Sequence[School]) -> Figures:
    """Count answers and classes; classes count only for schools taking part."""
    taking = [s for s in schools if s.participates is True]

    def total(key: str) -> int:
        return sum(v for s in taking if isinstance(v := s.values.get(key), int))

    return Figures(
        answered=len(schools),
        taking_part=len(taking),
        not_taking_part=sum(1 for s in schools if s.participates is False),
        undecided=sum(1 for s in schools if s.participates is None),
        classes_4e=total("classes_4e"),
        classes_3e=total("classes_3e"),
        complete=sum(1 for s in schools if s.status in (COMPLETE, NOT_TAKING_PART)),
        incomplete=sum(1 for s in schools if s.status == INCOMPLETE),
    )


def summary_tab(config: Config, schools: Sequence[School], now: dt.datetime) -> GeneratedTab:
    """« Synthèse »: the figures partners read first."""
    f = figures(schools)
    share = f.complete / f.answered if f.answered else 0.0
    rows: list[tuple[OutCell, ...]] = [
        (OutCell("Établissements ayant répondu"), OutCell(f.answered, "integer")),
        (OutCell("Participent (Oui)"), OutCell(f.taking_part, "integer")),
        (OutCell("Ne participent pas (Non)"), OutCell(f.not_taking_part, "integer")),
        (OutCell("Réponse Oui/Non manquante ou illisible"), OutCell(f.undecided, "integer")),
        (OutCell("Classes de 4ème volontaires"), OutCell(f.classes_4e, "integer")),
        (OutCell("Classes de 3ème volontaires"), OutCell(f.classes_3e, "integer")),
        (OutCell("Classes volontaires (total)"), OutCell(f.classes, "integer")),
        (OutCell("Réponses complètes"), OutCell(f.complete, "integer")),
        (OutCell("Réponses incomplètes"), OutCell(f.incomplete, "integer")),
        (OutCell("Part des réponses complètes"), OutCell(share, "percent")),
    ]
    rows.extend(
        (OutCell(f"Date limite — {s.name}"), OutCell(s.deadline, "date"))
        for s in config.sessions
    )
    return GeneratedTab(
        name=config.tabs.summary,
        banner=banner(now),
        title=f"Synthèse — {config.name}"
        + (f" ({config.school_year})" if config.school_year else ""),
        header=("Indicateur", "Valeur"),
        rows=tuple(rows),
        widths=(44, 16),
        notes=("Les classes sont comptées pour les établissements qui participent (Oui), "
               "même si leur réponse est encore incomplète.",),
    )


def build_tabs(config: Config, schools: Sequence[School], now: dt.datetime) -> list[GeneratedTab]:
    """Every generated tab of a sync, in the order they appear in the workbook."""
    return [summary_tab(config, schools, now), completeness_tab(config, schools, now)]
