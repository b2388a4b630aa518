"""The corpus of awkward workbooks: what each must give, code by code and cell by cell.

Every file under tests/data/corpus/ is built by make_corpus.py and has one entry in CASES:
the exact `[cell, code]` list of the report (in report order) and each school's status (by
sheet row, or by file name for fiches), or the SourceError a file that cannot be read gives.
A case that reveals a bug asserts the correct behaviour and is listed in BUGS (strict xfail).
"""

from __future__ import annotations

import datetime as dt
import json
import runpy
import time
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheets_sync.cli import main
from sheets_sync.config import Config, parse_config
from sheets_sync.errors import SourceError
from sheets_sync.form.findings import Report
from sheets_sync.starter.campaign import default_config_text
from sheets_sync.sync import CheckResult, check_source

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
SCRIPT = CORPUS / "make_corpus.py"
TODAY = dt.date(2021, 7, 10)  # before the first deadline: complete answers fall in session 1
FIRST, SECOND, LATE = "1re session", "2e session", "hors-delai"
OK, INCOMPLETE, NO, DUPLICATE = "complet", "incomplet", "ne-participe-pas", "doublon"
REQUIRED = "champ-obligatoire"


@dataclass(frozen=True)
class Expect:
    """What checking a corpus file gives.

    `schools` pairs each school's sheet row (or fiche file name) with its status;
    `values` checks some normalised values of the school at that index.
    """

    issues: list[list[str | None]]
    schools: list[tuple[int | str | None, str]]
    sessions: list[str | None] | None = None
    values: dict[int, dict[str, Any]] = field(default_factory=dict)
    tabs: list[str] | None = None  # the tab of each issue, where the cell alone is ambiguous
    unanswered: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Refused:
    """A file that cannot be read: SourceError, whose French message contains `words`."""

    words: str


CASES: dict[str, Expect | Refused] = {
    # --- layout of the answers tab ---
    "merged-cells-across-a-row.xlsx": Expect(
        [["J3", REQUIRED], ["K3", REQUIRED]],  # a merged cell's text belongs to its first cell
        [(2, OK), (3, INCOMPLETE)],
        values={1: {"objectifs": "Découvrir les métiers du textile, en arts plastiques, la mode"}},
    ),
    # Row 1 « Nombre de classes » over E1:F1, row 2 « 4ème » / « 3ème »: the reader cannot
    # combine the two rows; it says so with the columns it misses (once each, issue #14: no
    # `champ-obligatoire` per school for a column the tab lacks), and the counts are missing.
    "header-split-over-two-rows.xlsx": Expect(
        [
            ["E1", "colonne-inconnue"],
            ["A1", "colonne-absente"],
            ["A1", "colonne-absente"],
        ],
        [(3, INCOMPLETE), (4, NO)],
    ),
    "header-in-row-3-under-a-title.xlsx": Expect([["B5", REQUIRED]], [(4, OK), (5, INCOMPLETE)]),
    "header-repeated-mid-table.xlsx": Expect([["I4", REQUIRED]], [(2, OK), (4, INCOMPLETE)]),
    "blank-rows-between-answers.xlsx": Expect(
        [["G9", REQUIRED]], [(2, OK), (5, OK), (9, INCOMPLETE)]
    ),
    "hidden-columns.xlsx": Expect(
        [["M1", "colonne-inconnue"], ["B3", REQUIRED]],
        [(2, OK), (3, INCOMPLETE)],
        values={0: {"adresse": "1 rue de l'Exemple, 59100 Roubaix"}},
    ),
    "hidden-rows.xlsx": Expect([["C3", REQUIRED]], [(2, OK), (3, INCOMPLETE), (4, OK)]),
    "autofilter-left-on.xlsx": Expect([["G4", REQUIRED]], [(2, OK), (3, NO), (4, INCOMPLETE)]),
    "frozen-pane.xlsx": Expect([], [(2, OK), (3, NO)]),
    "protected-sheet.xlsx": Expect([["L3", REQUIRED]], [(2, OK), (3, INCOMPLETE)]),
    "chart-next-to-answers.xlsx": Expect([], [(2, OK), (3, OK)]),
    "macro-enabled.xlsm": Expect([], [(2, OK), (3, NO)]),
    "one-thousand-answers.xlsx": Expect(
        [[f"I{n + 1}", REQUIRED] for n in range(100, 1001, 100)],
        [(n + 1, INCOMPLETE if n % 100 == 0 else OK) for n in range(1, 1001)],
    ),
    "header-only.xlsx": Expect([], []),
    "answers-tab-named-feuil1.xlsx": Expect(
        [[None, "onglet-reponses-absent"], ["I3", REQUIRED]], [(2, OK), (3, INCOMPLETE)]
    ),
    "answers-tab-named-sheet1.xlsx": Expect(
        [[None, "onglet-reponses-absent"]], [(2, OK), (3, NO)]
    ),
    "how-to-tab-before-renamed-answers.xlsx": Expect(
        [[None, "onglet-reponses-absent"], ["I3", REQUIRED]], [(2, OK), (3, INCOMPLETE)]
    ),
    "answers-beside-roster-and-generated-tabs.xlsx": Expect(  # a roster of six columns
        [["A1:F1", "colonne-absente"]] * 3, [(2, OK)]
    ),
    "single-fiche-as-the-source.xlsx": Expect([["B12", REQUIRED]], [(None, INCOMPLETE)]),
    # --- headers as people type them ---
    "duplicate-headers.xlsx": Expect(
        [["M1", "colonne-en-double"], ["I3", REQUIRED]], [(2, OK), (3, INCOMPLETE)]
    ),
    "spaces-and-non-breaking-spaces.xlsx": Expect(
        [["I3", REQUIRED]],
        [(2, OK), (3, INCOMPLETE)],
        values={0: {"etablissement": "Collège des Essais", "participation": True, "classes_4e": 2}},
    ),
    "curly-apostrophes-and-guillemets-in-headers.xlsx": Expect([], [(2, OK), (3, NO)]),
    "labels-in-capitals-without-accents.xlsx": Expect(
        [["K3", REQUIRED]], [(2, OK), (3, INCOMPLETE)]
    ),
    "status-number-and-remarks-columns.xlsx": Expect([], [(2, OK), (3, NO)]),
    "unknown-columns.xlsx": Expect(
        [["C1", "colonne-inconnue"], ["N1", "colonne-inconnue"]], [(2, OK)]
    ),
    "columns-in-reverse-order.xlsx": Expect(
        [["D3", REQUIRED], ["F3", REQUIRED]], [(2, OK), (3, INCOMPLETE)]
    ),
    # --- values as people type them ---
    "numbers-stored-as-text.xlsx": Expect(
        [],
        [(2, OK), (3, OK), (4, OK)],
        values={
            0: {"classes_4e": 2, "classes_3e": 2},
            1: {"classes_4e": 3, "classes_3e": 1},
            2: {"classes_4e": 2, "classes_3e": 1},
        },
    ),
    "counts-in-words-and-ranges.xlsx": Expect(
        [
            ["E3", "nombre-invalide"],
            ["F3", "nombre-invalide"],
            ["E4", "nombre-invalide"],
            ["F5", "nombre-invalide"],
        ],
        [(2, OK), (3, INCOMPLETE), (4, INCOMPLETE), (5, INCOMPLETE)],
        values={0: {"classes_4e": 2, "classes_3e": 1}, 2: {"classes_3e": 0}, 3: {"classes_4e": 3}},
    ),
    "yes-no-typed-every-way.xlsx": Expect(
        [["D7", "oui-non-invalide"], ["D8", "oui-non-invalide"]],
        [(2, OK), (3, OK), (4, OK), (5, NO), (6, NO), (7, INCOMPLETE), (8, INCOMPLETE)],
        values={i: {"participation": v} for i, v in enumerate([True, True, True, False, False])},
    ),
    "deposit-dates-typed-every-way.xlsx": Expect(
        [["M7", "date-invalide"]],
        [(2, NO), (3, NO), (4, NO), (5, NO), (6, NO), (7, INCOMPLETE), (8, NO), (9, NO)],
        sessions=[FIRST, FIRST, FIRST, SECOND, LATE, None, SECOND, FIRST],
        values={
            0: {"date_depot": dt.date(2021, 7, 2)},
            1: {"date_depot": dt.date(2021, 7, 16)},
            2: {"date_depot": dt.date(2021, 7, 16)},
            3: {"date_depot": dt.date(2021, 9, 10)},
            6: {"date_depot": dt.date(2021, 9, 1)},
        },
    ),
    "cached-error-values.xlsx": Expect(
        [["B2", "valeur-erreur"], ["E3", "valeur-erreur"]], [(2, INCOMPLETE), (3, INCOMPLETE)]
    ),
    # No cached value (a file saved by a tool, not by Excel): the reader sees an empty cell.
    "formulas-without-cached-values.xlsx": Expect(
        [["B2", REQUIRED], ["E3", REQUIRED]], [(2, INCOMPLETE), (3, INCOMPLETE)]
    ),
    "title-with-line-break.xlsx": Expect(
        [["G2", "titre-multiligne"]],
        [(2, INCOMPLETE), (3, OK)],
        values={1: {"titre": "Les métiers du textile"}},
    ),
    "text-with-carriage-returns.xlsx": Expect(
        [["G3", "titre-multiligne"]],
        [(2, OK), (3, INCOMPLETE)],
        values={
            0: {"titre": "Des métiers pour tous", "adresse": "1 rue de l'Exemple\r\n59100 Roubaix"}
        },
    ),
    "very-long-texts.xlsx": Expect(
        [["I2", "texte-trop-long"], ["G3", "titre-trop-long"]], [(2, OK), (3, INCOMPLETE)]
    ),
    "implausible-count-25.xlsx": Expect([["E2", "nombre-improbable"]], [(2, OK)]),
    "oui-with-zero-classes.xlsx": Expect(
        [["E2", "aucune-classe"], ["E3", "aucune-classe"]], [(2, INCOMPLETE), (3, INCOMPLETE)]
    ),
    "answer-no-with-empty-project-fields.xlsx": Expect(
        [["C4", REQUIRED]], [(2, NO), (3, NO), (4, INCOMPLETE)]
    ),
    "referent-in-three-columns.xlsx": Expect(
        [["E3", "referent-incomplet"], ["C4", REQUIRED]],
        [(2, OK), (3, OK), (4, INCOMPLETE)],
        values={0: {"referent": "Alice MARTIN, principale"}},
    ),
    "referent-and-email-as-typed.xlsx": Expect(
        [["C3", "referent-sans-fonction"], ["M3", "courriel-invalide"]], [(2, OK), (3, OK)]
    ),
    # --- who the school is ---
    "two-answers-one-school-with-dates.xlsx": Expect(
        [["A3", "doublon"]], [(2, OK), (3, DUPLICATE)]
    ),
    "two-answers-one-school-without-dates.xlsx": Expect(
        [["A2", "doublon"]], [(2, DUPLICATE), (3, OK)]
    ),
    "school-typed-two-ways-with-reference-list.xlsx": Expect(
        [["A3", "doublon"], ["A4", "etablissement-inconnu"]],
        [(2, OK), (3, DUPLICATE), (4, OK), (5, OK)],
        values={0: {"etablissement": "Clg J. Tisserand"}},
        unanswered=["Collège de la Filature"],
    ),
    "invalid-uai-in-reference-list.xlsx": Expect(
        [["B3", "uai-invalide"], ["B4", "uai-invalide"]],
        [(2, OK), (3, OK)],
        tabs=["Établissements", "Établissements"],
        unanswered=["Collège Jules-Tisserand"],
    ),
    # --- files that cannot be read ---
    "empty-workbook.xlsx": Refused("Aucun tableau de l'annexe n°1 dans « empty-workbook.xlsx »"),
    "roster-in-a-renamed-tab.xlsx": Refused("Aucun tableau de l'annexe n°1"),
    "text-file-renamed.xlsx": Refused("n'est pas un classeur Excel (.xlsx)"),
    "excel-97-file-renamed.xlsx": Refused("au format Excel 97-2003 (.xls)"),
    "zip-without-a-workbook.xlsx": Refused("est endommagé"),
    # --- folders of fiches ---
    "fiches-extra-column": Expect(
        [],
        [("college-des-essais.xlsx", OK), ("college-du-refus.xlsx", NO)],
        values={0: {"titre": "Des métiers pour tous", "classes_4e": 1}},
    ),
    "fiches-remark-beside-an-empty-answer": Expect(
        [["B11", REQUIRED]], [("college-du-canal.xlsx", INCOMPLETE)]
    ),
    "fiches-labels-in-column-b": Expect(
        [["C13", REQUIRED]], [("college-du-canal.xlsx", INCOMPLETE)]
    ),
    "fiches-labels-merged-over-two-columns": Expect(
        [["C11", REQUIRED]], [("college-du-canal.xlsx", INCOMPLETE)]
    ),
    "fiches-referent-in-three-cells": Expect(
        [["B7", "referent-incomplet"]],
        [("college-des-essais.xlsx", OK), ("college-du-canal.xlsx", OK)],
        values={0: {"referent": "Alice MARTIN, principale"}},
    ),
    "fiches-two-for-one-school": Expect(
        [["B3", "doublon"]],
        [("filature-v1.xlsx", DUPLICATE), ("filature-v2.xlsx", OK)],
    ),
    "fiches-unreadable-foreign-and-lock-files": Expect(
        [[None, "fichier-sans-annexe"], [None, "fichier-illisible"]],
        [("college-du-canal.xlsx", OK)],
        tabs=["budget.xlsx", "notes.xlsx"],
    ),
}

# Files whose correct behaviour the code does not have yet (see the report of this corpus).
BUGS: dict[str, str] = {}  # every bug this corpus found is fixed; add new ones here


def config_for(path: Path) -> Config:
    """The default campaign, reading `path` (a workbook or a folder of fiches)."""
    base = parse_config(tomllib.loads(default_config_text()), CORPUS)
    return base.with_source(path)


# About the campaign's files, not the answers: the default config is a one-file campaign
# with no roster here (see test_a_one_file_campaign_without_roster_is_warned_once).
CAMPAIGN_CODES = frozenset({"classeur-partage-expose", "onglet-ambassadeurs-absent"})


def check(name: str) -> CheckResult:
    result = check_source(config_for(CORPUS / name), today=TODAY)
    answers = [i for i in result.report if i.code not in CAMPAIGN_CODES]
    return replace(result, report=Report(answers))


def test_a_one_file_campaign_without_roster_is_warned_once() -> None:
    result = check_source(config_for(CORPUS / "frozen-pane.xlsx"), today=TODAY)
    campaign = [i for i in result.report if i.code in CAMPAIGN_CODES]
    assert [(i.code, i.severity, i.cell) for i in campaign] == [
        ("classeur-partage-expose", "avertissement", None),
        ("onglet-ambassadeurs-absent", "avertissement", None),
    ]


def _params() -> list[Any]:
    """One case per file; a known bug must fail on an assertion (a traceback is not it)."""
    wrong = (AssertionError, pytest.fail.Exception)
    return [
        pytest.param(
            name,
            expected,
            id=name,
            marks=[pytest.mark.xfail(strict=True, raises=wrong, reason=BUGS[name])]
            if name in BUGS
            else [],
        )
        for name, expected in CASES.items()
    ]


@pytest.mark.parametrize(("name", "expected"), _params())
def test_corpus_file_gives_its_codes_and_cells(name: str, expected: Expect | Refused) -> None:
    if isinstance(expected, Refused):
        with pytest.raises(SourceError) as refused:
            check(name)
        assert expected.words in str(refused.value)
        return
    result = check(name)
    assert result.report.flatten(["cell", "code"]) == expected.issues
    assert [(s.row or s.origin or None, s.status) for s in result.schools] == expected.schools
    if expected.sessions is not None:
        assert [s.session for s in result.schools] == expected.sessions
    for index, values in expected.values.items():
        seen = result.schools[index].values
        assert {k: seen.get(k) for k in values} == values, index
    if expected.tabs is not None:
        assert [i.tab for i in result.report] == expected.tabs
    assert [e.name for e in result.unanswered] == expected.unanswered


def test_every_corpus_file_has_a_case() -> None:
    present = {p.name for p in CORPUS.iterdir()} - {SCRIPT.name, "__pycache__"}
    assert present == set(CASES)
    assert len([n for n in CASES if not n.startswith("fiches-")]) >= 30
    assert set(BUGS) <= set(CASES)
    assert all(isinstance(e, Expect | Refused) for e in CASES.values())


def test_make_corpus_rebuilds_byte_identical_files(tmp_path: Path) -> None:
    """Every file, xlsxwriter's and openpyxl's alike, comes out with the same bytes."""
    build = runpy.run_path(str(SCRIPT), run_name="make_corpus")["build"]
    build(tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {
        p.relative_to(CORPUS): p.read_bytes()
        for p in CORPUS.rglob("*")
        if p.is_file() and p != SCRIPT and "__pycache__" not in p.parts
    }
    assert sorted(fresh) == sorted(committed)
    stale = [str(p) for p, data in fresh.items() if committed[p] != data]
    assert not stale, f"corpus périmé : relancez make_corpus.py ({', '.join(stale)})"


def test_text_beyond_excel_limit_is_read_as_excel_kept_it() -> None:
    """40,000 characters typed: the file holds Excel's 32,767, flagged as very long."""
    objectives = check("very-long-texts.xlsx").schools[0].values["objectifs"]
    assert len(objectives) == 32767
    assert objectives.startswith("Faire découvrir les métiers du territoire.")


def test_one_thousand_answers_are_checked_quickly() -> None:
    start = time.perf_counter()
    result = check("one-thousand-answers.xlsx")
    elapsed = time.perf_counter() - start
    assert len(result.schools) == 1000
    assert elapsed < 5.0, f"{elapsed:.2f} s"


def test_duplicates_name_the_answer_kept() -> None:
    (issue,) = [i for i in check("fiches-two-for-one-school").report if i.code == "doublon"]
    assert issue.tab == "filature-v1.xlsx › Fiche"
    assert "filature-v2.xlsx" in issue.message


@pytest.mark.parametrize(
    "name", [n for n, e in CASES.items() if isinstance(e, Refused) and n not in BUGS]
)
def test_cli_refuses_unreadable_files_in_one_french_line(name: str, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(default_config_text(), encoding="utf-8")
    args = ["check", "--config", str(tmp_path / "config.toml"), "--source", str(CORPUS / name)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    words = CASES[name]
    assert isinstance(words, Refused)
    assert words.words in result.stderr
    assert "Traceback" not in result.output


def test_cli_exits_1_on_a_corpus_file_with_errors(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(default_config_text(), encoding="utf-8")
    source = str(CORPUS / "counts-in-words-and-ranges.xlsx")
    args = ["check", "--config", str(tmp_path / "config.toml"), "--source", source, "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    issues = json.loads(result.stdout)["issues"]
    assert [i["cell"] for i in issues if i["code"] not in CAMPAIGN_CODES] == [
        "E3", "F3", "E4", "F5"]
