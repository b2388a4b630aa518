"""Small builders shared by the tests: grids from plain rows, the form's header."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sheets_sync.cells.grid import CellValue, Grid
from sheets_sync.form.model import ANSWER_FIELDS

HEADER = tuple(f.label for f in ANSWER_FIELDS)
KEYS = tuple(f.key for f in ANSWER_FIELDS)

COMPLETE_YES: dict[str, Any] = {
    "etablissement": "Collège des Essais",
    "adresse": "1 rue de l'Exemple, 59100 Roubaix",
    "referent": "Alice MARTIN, principale",
    "participation": "Oui",
    "classes_4e": 1,
    "classes_3e": 2,
    "titre": "Des métiers pour tous",
    "orientation": "informations sur les secteurs porteurs",
    "objectifs": "Découvrir des métiers",
    "discipline": "Technologie",
    "theme": "Le numérique",
    "contenu": "ateliers, rencontres",
}
COMPLETE_NO: dict[str, Any] = {
    "etablissement": "Collège du Refus",
    "adresse": "2 rue de l'Exemple, 59100 Roubaix",
    "referent": "Bruno DURAND, principal",
    "participation": "Non",
}


def table(answers: Sequence[Mapping[str, Any]], *, header: Sequence[str] = HEADER,
          keys: Sequence[str] = KEYS, tab: str = "Réponses",
          above: Sequence[Sequence[CellValue]] = ()) -> Grid:
    """A shared-table grid: optional rows above the header, the header, one row per answer."""
    rows: list[tuple[CellValue, ...]] = [tuple(r) for r in above]
    rows.append(tuple(header))
    rows.extend(tuple(a.get(k) for k in keys) for a in answers)
    return Grid(tab=tab, rows=tuple(rows), sheet=tab)
