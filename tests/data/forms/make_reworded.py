"""Build the fixtures of issue #14 items 2, 3 and 12 from the real template, each named
after its case: headers and labels reworded by a principal, a referent typed in a sentence,
an ambassador not available this year.

Run from the repository root: `.venv/bin/python -m tests.data.forms.make_reworded`.
The bytes are the same at every run (write_template fixes the workbook's dates). Every
person and school here is fictional.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sheets_sync.backends.excel.template import write_template
from sheets_sync.cells.template_spec import Fiche, Table, Workbook
from sheets_sync.config import load_config
from sheets_sync.form.template import workbook_template

from ...helpers import COMPLETE_NO, COMPLETE_YES

HERE = Path(__file__).resolve().parent
CONFIG = load_config(HERE.parents[2] / "config.toml")
DURAND = {**COMPLETE_YES, "etablissement": "Collège de la Filature",
          "referent": "Mme Durand principale"}
NADIA = {"prenom": "Nadia", "nom": "BENALI", "genre": "F", "metier": "Data analyste",
         "secteur": "Numérique", "capacite": 2}
HUGO = {"prenom": "Hugo", "nom": "LEROY", "genre": "H", "metier": "Pilote",
        "secteur": "Transport", "capacite": 0}


def _renamed(book: Workbook, renames: dict[str, str]) -> Workbook:
    """The template with some questions' headers (or fiche labels) typed otherwise."""
    sheets: list[Table | Fiche] = []
    for sheet in book.sheets:
        if isinstance(sheet, Table):
            columns = tuple(replace(c, header=renames.get(c.key, c.header))
                            for c in sheet.columns)
            sheets.append(replace(sheet, columns=columns))
        else:
            rows = tuple(replace(r, column=replace(r.column,
                                                   header=renames.get(r.column.key,
                                                                      r.column.header)))
                         for r in sheet.rows)
            sheets.append(replace(sheet, rows=rows))
    return replace(book, sheets=tuple(sheets))


def header_reworded(path: Path) -> None:
    """« Adresse établissement » for « Adresse de l'établissement »: read, and told to rename;
    the referent typed « Mme Durand principale »."""
    book = workbook_template("tableau", CONFIG, answers=[COMPLETE_YES, COMPLETE_NO, DURAND])
    write_template(path, _renamed(book, {"adresse": "Adresse établissement"}))


def header_almost_a_label(path: Path) -> None:
    """« Nom et fonction du référent »: close to the referent's label but not sure enough to
    read; the missing referent column is reported once, not once per school."""
    book = workbook_template("tableau", CONFIG, answers=[COMPLETE_YES, COMPLETE_NO])
    write_template(path, _renamed(book, {"referent": "Nom et fonction du référent"}))


def fiche_label_reworded(path: Path) -> None:
    """A fiche whose « Adresse de l'établissement » line reads « Adresse établissement »."""
    book = workbook_template("fiche", CONFIG, answers=[COMPLETE_YES])
    write_template(path, _renamed(book, {"adresse": "Adresse établissement"}))


def roster_reworded_capacity_zero(path: Path) -> None:
    """A roster whose « Métier » column reads « Métiers », one ambassador at 0 classes."""
    book = workbook_template("tableau", CONFIG, answers=[COMPLETE_YES], roster=[NADIA, HUGO])
    write_template(path, _renamed(book, {"metier": "Métiers"}))


BUILDERS = {
    "header-reworded-adresse-etablissement.xlsx": header_reworded,
    "header-almost-a-label.xlsx": header_almost_a_label,
    "fiche-label-reworded.xlsx": fiche_label_reworded,
    "roster-reworded-capacity-zero.xlsx": roster_reworded_capacity_zero,
}

if __name__ == "__main__":
    for name, build in BUILDERS.items():
        build(HERE / name)
        print(HERE / name)
