"""Build the fixtures of this folder from the real template, each named after its case.

Run from the repository root: `.venv/bin/python -m tests.data.forms.make_forms`.
Every person and school here is fictional.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from sheets_sync.backends.excel.template import write_template
from sheets_sync.config import load_config
from sheets_sync.form.model import ANSWER_FIELDS
from sheets_sync.form.template import workbook_template

from ...helpers import COMPLETE_NO, COMPLETE_YES

HERE = Path(__file__).resolve().parent
CONFIG = load_config(HERE.parents[2] / "config.toml")
LATE = {**COMPLETE_YES, "etablissement": "Collège de la Filature"}


def _line(answer: dict[str, object]) -> list[object]:
    return [answer.get(f.key) for f in ANSWER_FIELDS]


def _base(path: Path) -> openpyxl.Workbook:
    write_template(path, workbook_template("tableau", CONFIG, answers=[COMPLETE_YES]))
    return openpyxl.load_workbook(path)


def answers_typed_in_second_tab(path: Path) -> None:
    """A principal added « Feuil2 », pasted the header and typed a school there."""
    book = _base(path)
    sheet = book.create_sheet("Feuil2")
    sheet.append([f.label for f in ANSWER_FIELDS])
    sheet.append(_line(LATE))
    book.save(path)


def answers_typed_in_mode_emploi(path: Path) -> None:
    """A principal typed an answer below the how-to text, and a note beside it."""
    book = _base(path)
    guide = book["Mode d'emploi"]
    last = guide.max_row
    guide.cell(last + 2, 1, LATE["etablissement"])
    guide.cell(last + 2, 2, LATE["adresse"])
    guide.cell(3, 2, "Réponse envoyée par courrier")
    book.save(path)


def answers_tab_renamed(path: Path) -> None:
    """The answers tab renamed « Réponses 2026 »: still read, with a warning."""
    book = _base(path)
    book[CONFIG.tabs.answers].title = "Réponses 2026"
    book.save(path)


def sorted_partial_row_above_complete(path: Path) -> None:
    """A sort put a partial row (row 2) above the complete one (row 3) of the same school."""
    partial = {k: v for k, v in COMPLETE_YES.items() if k not in ("objectifs", "theme")}
    write_template(path, workbook_template("tableau", CONFIG,
                                           answers=[partial, COMPLETE_YES, COMPLETE_NO]))


BUILDERS = {
    "answers-typed-in-second-tab.xlsx": answers_typed_in_second_tab,
    "answers-typed-in-mode-emploi.xlsx": answers_typed_in_mode_emploi,
    "answers-tab-renamed.xlsx": answers_tab_renamed,
    "sorted-partial-row-above-complete.xlsx": sorted_partial_row_above_complete,
}

if __name__ == "__main__":
    for name, build in BUILDERS.items():
        build(HERE / name)
        print(HERE / name)
