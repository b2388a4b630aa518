"""The live « Statut » formula never says « Complet » for a row the sync calls incomplete.

The formula is evaluated by LibreOffice (headless, one conversion per batch of rows), then the
same recalculated file is read back by the sync's own reader and checker.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sheets_sync.backends.excel.read import read_workbook
from sheets_sync.config import Limits
from sheets_sync.form.check import COMPLETE, NOT_TAKING_PART, check_answer
from sheets_sync.form.live_status import (
    COMPLETE_TEXT,
    TO_CONFIRM_TEXT,
    TO_FILL_TEXT,
    TO_FIX_TEXT,
    status_formula,
)
from sheets_sync.form.model import ANSWER_FIELDS
from sheets_sync.form.read import read_table

from ..helpers import COMPLETE_NO, COMPLETE_YES, HEADER, KEYS, need_apps

STATUS_COL = len(ANSWER_FIELDS) + 1
TITLE_LENGTH = 40  # a small limit so that generated titles cross it often
LIMITS = Limits(title_length=TITLE_LENGTH)

# Rows named after the cases of issue #13 item 9, then a few the formula must get right.
NAMED: dict[str, dict[str, Any]] = {
    "statut-complet-title-with-line-break": {**COMPLETE_YES, "titre": "Des métiers\npour tous"},
    "statut-complet-date-le-3-juin": {**COMPLETE_YES, "date_depot": "le 3 juin"},
    "statut-complet-zero-classes": {**COMPLETE_YES, "classes_4e": 0, "classes_3e": 0},
    "complete-yes": COMPLETE_YES,
    "complete-no": COMPLETE_NO,
    "yes-in-capitals": {**COMPLETE_YES, "participation": "OUI"},
    "yes-as-x": {**COMPLETE_YES, "participation": "x"},
    "count-in-words": {**COMPLETE_YES, "classes_3e": "deux classes"},
    "count-negative": {**COMPLETE_YES, "classes_3e": -1},
    "title-too-long": {**COMPLETE_YES, "titre": "T" * (TITLE_LENGTH + 1)},
    "title-at-the-limit": {**COMPLETE_YES, "titre": "T" * TITLE_LENGTH},
    "missing-objectives": {**COMPLETE_YES, "objectifs": None},
    "a-real-date": {**COMPLETE_YES, "date_depot": dt.date(2026, 6, 3)},
}

EXPECTED: dict[str, str] = {
    "statut-complet-title-with-line-break": TO_CONFIRM_TEXT + "titre",
    "statut-complet-date-le-3-juin": TO_CONFIRM_TEXT + "date de dépôt",
    "statut-complet-zero-classes": TO_FIX_TEXT + "au moins une classe",
    "complete-yes": COMPLETE_TEXT,
    "complete-no": COMPLETE_TEXT,
    "yes-in-capitals": COMPLETE_TEXT,  # LOWER: « OUI » is surely yes
    "yes-as-x": TO_CONFIRM_TEXT + "Oui/Non",
    "count-in-words": TO_CONFIRM_TEXT + "classes de 3ème",
    "count-negative": TO_FIX_TEXT + "classes de 3ème",
    "title-too-long": TO_CONFIRM_TEXT + "titre",
    "title-at-the-limit": COMPLETE_TEXT,
    "missing-objectives": TO_FILL_TEXT + "objectifs",
    "a-real-date": COMPLETE_TEXT,
}


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Réponses"
    sheet.append([*HEADER, "Statut"])
    yes = openpyxl.utils.get_column_letter(KEYS.index("participation") + 1)
    for r, answer in enumerate(rows, start=2):
        for c, key in enumerate(KEYS, start=1):
            value = answer.get(key)
            cell = sheet.cell(r, c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text typed by a principal, never a formula
        sheet.cell(r, STATUS_COL).value = status_formula(
            ANSWER_FIELDS, r, yes, title_length=TITLE_LENGTH)
    book.save(path)


def _recalculate(path: Path, out: Path) -> Path:
    """Open and save `path` with LibreOffice, which computes every formula."""
    profile = out / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out / "lo"), str(path)],
        check=True, capture_output=True, timeout=180,
        env={**os.environ, "HOME": str(out)},
    )
    return out / "lo" / path.name


def _evaluate(tmp: Path, rows: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """For each row: what the formula says in LibreOffice, and the sync's status."""
    source = tmp / "statut.xlsx"
    _write(source, rows)
    done = _recalculate(source, tmp)
    shown = openpyxl.load_workbook(done, data_only=True)["Réponses"]
    grid = next(g for g in read_workbook(done).grids if g.tab == "Réponses")
    out = []
    for r in range(2, len(rows) + 2):
        status = shown.cell(r, STATUS_COL).value
        one = grid.rows[0:1] + grid.rows[r - 1:r]
        found = read_table(type(grid)(tab=grid.tab, rows=one, sheet=grid.sheet))
        answers = found.answers if found else []
        sync = check_answer(answers[0], LIMITS).status if answers else None
        out.append(("" if status is None else str(status), sync))
    return out


def _complete_means_complete(results: list[tuple[str, str | None]],
                             rows: list[dict[str, Any]]) -> None:
    for (shown, sync), row in zip(results, rows, strict=True):
        if shown == COMPLETE_TEXT:
            assert sync in (COMPLETE, NOT_TAKING_PART), row


@pytest.mark.usefixtures("libreoffice")
def test_named_cases_in_libreoffice(tmp_path: Path) -> None:
    need_apps("soffice")
    rows = list(NAMED.values())
    results = _evaluate(tmp_path, rows)
    said = dict(zip(NAMED, (shown for shown, _ in results), strict=True))
    assert said == EXPECTED
    _complete_means_complete(results, rows)


# What openpyxl refuses to write (XML 1.0 forbids these controls).
_ILLEGAL = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)])
_TEXT = st.one_of(
    st.none(),
    st.sampled_from(["Collège Test", "  ", "\t", "\xa0", "\n", "a\nb", "Oui.", "x"]),
    st.text(st.characters(codec="latin-1", exclude_categories=("Cs",),
                          exclude_characters=_ILLEGAL + "="), max_size=12),
)
_YES = st.sampled_from(["Oui", "Non", "oui ", "OUI", " non", "x", "Non.", "peut-être", "",
                        None, 1, 0, True, "faux", "\toui"])
_COUNT = st.one_of(st.none(), st.integers(-2, 10_002), st.sampled_from(
    [2.5, 0.0, "2", "deux", "2 classes", " ", True, 1e9, "0"]))
_TITLE = st.one_of(_TEXT, st.integers(TITLE_LENGTH - 2, TITLE_LENGTH + 2).map(lambda n: "t" * n),
                   st.sampled_from(["Titre\n", "\nTitre", "Un\r\ntitre", " Titre "]))
_DATE = st.one_of(st.none(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
                  st.sampled_from(["le 3 juin", "03/06/2026", "2026-06-03", "x", -5, 3e6, 45000]))
_BY_KIND = {"participation": _YES, "classes_4e": _COUNT, "classes_3e": _COUNT,
            "titre": _TITLE, "date_depot": _DATE}


def _row() -> st.SearchStrategy[dict[str, Any]]:
    base = st.sampled_from([COMPLETE_YES, COMPLETE_NO, {}])
    changes = st.fixed_dictionaries(
        {}, optional={k: _BY_KIND.get(k, _TEXT) for k in KEYS})
    return st.tuples(base, changes).map(lambda bc: {**bc[0], **bc[1]})


@pytest.mark.usefixtures("libreoffice")
@settings(max_examples=4, deadline=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(rows=st.lists(_row(), min_size=40, max_size=40))
def test_complet_in_libreoffice_means_complete_for_the_sync(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]]
) -> None:
    need_apps("soffice")
    results = _evaluate(tmp_path_factory.mktemp("statut"), rows)
    _complete_means_complete(results, rows)
    broken = [(shown, row) for (shown, _), row in zip(results, rows, strict=True)
              if shown.startswith(("#", "Err:"))]
    assert not broken


def test_formula_fits_excel_and_names_the_title_limit() -> None:
    formula = status_formula(ANSWER_FIELDS, 2, "D", title_length=77)
    assert len(formula) <= 8192  # Excel's limit on a formula's length
    assert "<=77)" in formula
    assert formula.startswith('=IF(COUNTA($A2:$O2)=0,"",')
