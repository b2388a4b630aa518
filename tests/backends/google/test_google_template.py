"""The Google template equals the Excel one for principals (issue #14, item 12).

The same « Mode d'emploi », help texts written once for both media, each protection described
by what it protects, a clear refusal when the tabs are already there; then a rehearsal: a
principal sorts the answers and inserts a column in the emulator (real gspread client), and
`sync` still reads every answer and the « Statut » formulas still point at their rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import gspread
import pytest
from click.testing import CliRunner

from sheets_sync.backends import google
from sheets_sync.cli import main
from sheets_sync.config import Limits
from sheets_sync.emulator import LoopbackSession, SheetsEmulator
from sheets_sync.errors import WriteRefused
from sheets_sync.form.model import ANSWER_FIELDS, FIELD, ROSTER_FIELDS
from sheets_sync.form.template import (
    ADJUSTMENTS_HEADER_NOTE,
    HEADER_NOTE,
    ROSTER_HEADER_NOTE,
    STATUS_LOCK_NOTE,
    coordination_sheets,
    coordination_sheets_guide,
    help_text,
    sheets_guide,
    sheets_template,
)

from ...conftest import MakeCampaign
from ...helpers import COMPLETE_NO, COMPLETE_YES, KEYS
from .test_google_backend import INCOMPLETE, emulator_client


@pytest.fixture
def emu(monkeypatch: pytest.MonkeyPatch) -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as server:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", server.host)
        yield server


def lay_out(emu: SheetsEmulator, key: str) -> None:
    google.write_google_template(
        emulator_client(emu), key, sheets_template(None), guide=sheets_guide(None)
    )


# --- the same template as Excel -------------------------------------------------------------


def test_google_template_has_the_excel_guide_after_the_tables(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne")
    lay_out(emu, key)
    assert [r.method for r in emu.requests] == ["GET", "GET", "POST"]  # still one write
    book = emu.spreadsheet(key)
    assert [s.title for s in book.sheets] == ["Réponses", "Ambassadeurs", "Mode d'emploi"]
    guide = sheets_guide(None)
    tab = book.tab("Mode d'emploi")
    assert [row[0] for row in tab.values()] == [text for _, text in guide.lines]
    texts = " ".join(text for _, text in guide.lines)
    assert "n'y écrivez ni le nom ni les coordonnées" in texts  # the rules principals need
    assert "« Oui »" in texts and "Dates limites" in texts
    title = tab.cells[(0, 0)]["userEnteredFormat"]["textFormat"]
    assert title["bold"] is True and title["fontSize"] == 14


def test_coordination_guide_is_laid_out_too(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Coordination")
    google.write_google_template(
        emulator_client(emu), key, coordination_sheets(None), guide=coordination_sheets_guide(None)
    )
    book = emu.spreadsheet(key)
    assert [s.title for s in book.sheets] == ["Ambassadeurs", "Ajustements", "Mode d'emploi"]
    assert book.tab("Mode d'emploi").values()[0] == ["Mode d'emploi (coordination)"]


@pytest.mark.parametrize("field", ANSWER_FIELDS + ROSTER_FIELDS, ids=lambda f: f.key)
def test_header_notes_never_repeat_a_sentence(field: object) -> None:
    """Bug: « Une seule ligne, sans retour à la ligne. / Une seule ligne, 120 caractères… »."""
    fields = ANSWER_FIELDS if field in ANSWER_FIELDS else ROSTER_FIELDS
    table = sheets_template(None)[0 if fields is ANSWER_FIELDS else 1]
    note = next(c.note for c in table.columns if c.key == field.key)  # type: ignore[attr-defined]
    lines = note.split("\n")
    openings = [" ".join(line.casefold().split()[:3]) for line in lines]
    assert len(set(openings)) == len(openings), note
    assert note.count("une autre") <= 1 and note.count("jj/mm/aaaa") <= 1, note


def test_title_note_says_each_rule_once() -> None:
    note = next(c.note for c in sheets_template(None)[0].columns if c.key == "titre")
    assert note == (
        "Une seule ligne, sans retour à la ligne.\n120 caractères au plus.\n"
        "Obligatoire si l'établissement répond « Oui »."
    )


def test_notes_and_validation_help_come_from_the_shared_help_text() -> None:
    limits = Limits()
    for table, fields in zip(sheets_template(None), (ANSWER_FIELDS, ROSTER_FIELDS), strict=True):
        for column, field in zip(table.columns, fields, strict=True):
            assert column.note == help_text(field, limits, need=True)
            if column.rule is not None:
                assert column.rule.prompt == help_text(field, limits, need=True, limit=250)
                assert len(column.rule.prompt) <= 250
    assert "Obligatoire" in help_text(FIELD["titre"], limits, need=True)
    assert "Obligatoire" not in help_text(FIELD["titre"], limits)  # Excel: its title says it


def test_each_protection_says_what_it_protects(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne")
    lay_out(emu, key)
    coordination = emu.create_spreadsheet("Coordination")
    google.write_google_template(emulator_client(emu), coordination, coordination_sheets(None))
    described = {
        (tab, p["description"])
        for k, tabs in ((key, ("Réponses", "Ambassadeurs")), (coordination, ("Ajustements",)))
        for tab in tabs
        for p in emu.spreadsheet(k).tab(tab).protected_ranges
    }
    assert described == {
        ("Réponses", HEADER_NOTE),
        ("Réponses", STATUS_LOCK_NOTE),
        ("Ambassadeurs", ROSTER_HEADER_NOTE),
        ("Ajustements", ADJUSTMENTS_HEADER_NOTE),
    }
    assert "ambassadeurs" in ROSTER_HEADER_NOTE and "annexe" not in ROSTER_HEADER_NOTE
    assert "ajustements" in ADJUSTMENTS_HEADER_NOTE


def test_rerunning_the_template_names_the_tabs_and_what_to_do(emu: SheetsEmulator) -> None:
    """Bug: « contient déjà l'onglet « Réponses », « Ambassadeurs » … qui ne l'a pas »."""
    key = emu.create_spreadsheet("Campagne")
    lay_out(emu, key)
    before = emu.spreadsheet(key).metadata({})
    emu.clear_log()
    with pytest.raises(WriteRefused) as refused:
        lay_out(emu, key)
    message = str(refused.value)
    assert message.startswith(
        "Le classeur Google contient déjà les onglets « Réponses », « Ambassadeurs » et "
        "« Mode d'emploi » : le modèle y a sans doute déjà été posé"
    )
    assert "renommez ou supprimez ces onglets" in message and "qui ne l'a pas" not in message
    assert [r.method for r in emu.requests] == ["GET"]
    assert emu.spreadsheet(key).metadata({}) == before


def test_one_tab_already_there_is_named_in_the_singular(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne", {"Ambassadeurs": [["Prénom"]]})
    with pytest.raises(WriteRefused, match=r"l'onglet « Ambassadeurs » .* supprimez cet onglet"):
        lay_out(emu, key)


# --- rehearsal: what principals do to the sheet ---------------------------------------------


_ROW_REF = re.compile(r"(?<![\w$])\$?[A-Z]{1,3}(\$?)(\d+)(?![\w(])")


def _rows_named(formula: str) -> set[int]:
    """The rows of the relative references of a formula (string literals dropped)."""
    code = re.sub(r'"(?:[^"]|"")*"', '""', formula)
    return {int(m[2]) for m in _ROW_REF.finditer(code) if not m[1]}


def test_principal_sorts_and_inserts_a_column_then_sync_reads_every_answer(
    emu: SheetsEmulator, make_campaign: MakeCampaign
) -> None:
    config = make_campaign()
    key = emu.create_spreadsheet("Campagne")
    google.write_google_template(
        emulator_client(emu), key, sheets_template(config), guide=sheets_guide(config)
    )
    gc = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
    answers = gc.open_by_key(key).worksheet("Réponses")
    typed = [COMPLETE_YES, COMPLETE_NO, {**INCOMPLETE, "etablissement": "Collège Albert"}]
    answers.update(
        [["" if a.get(k) is None else a[k] for k in KEYS] for a in typed], "A2", raw=False
    )
    status = len(ANSWER_FIELDS)  # 0-based column of « Statut » (P)
    laid_out = emu.spreadsheet(key).tab("Réponses")
    template_status = {  # the formulas as laid out, row by row
        row: laid_out.cells[(row - 1, status)]["userEnteredValue"]["formulaValue"]
        for row in range(2, 302)
    }

    # the principal sorts the answers by school name, then adds a column before « Statut »
    answers.sort((1, "asc"), range=f"A2:{chr(ord('A') + status)}301")
    answers.spreadsheet.batch_update(
        {
            "requests": [
                {
                    "insertDimension": {
                        "range": {
                            "sheetId": answers.id,
                            "dimension": "COLUMNS",
                            "startIndex": status,
                            "endIndex": status + 1,
                        },
                        "inheritFromBefore": True,
                    }
                }
            ]
        }
    )
    answers.update_acell(f"{chr(ord('A') + status)}1", "Remarques")

    tab = emu.spreadsheet(key).tab("Réponses")
    values = tab.values()
    assert [row[0] for row in values[1:4]] == [
        "Collège Albert",
        "Collège des Essais",
        "Collège du Refus",
    ]
    assert values[0][status : status + 2] == ["Remarques", "Statut"]
    for row in range(2, 302):  # every « Statut » formula points at its own row, as laid out
        formula = tab.cells[(row - 1, status + 1)]["userEnteredValue"]["formulaValue"]
        assert _rows_named(formula) == {row}, (row, formula)
        assert formula == template_status[row]
    header = tab.protected_ranges[0]["range"]  # the header protection grew with the column
    assert header["endColumnIndex"] == status + 2

    result = CliRunner().invoke(
        main,
        ["check", "--config", str(config.path), "--source", key, "--json"],
        catch_exceptions=False,
    )
    schools = json.loads(result.stdout)["schools"]
    assert [(s["etablissement"], s["row"], s["status"]) for s in schools] == [
        ("Collège Albert", 2, "incomplet"),
        ("Collège des Essais", 3, "complet"),
        ("Collège du Refus", 4, "ne-participe-pas"),
    ], result.stdout
    assert {i["cell"] for i in schools[0]["issues"]} == {"E2", "G2"}  # its row after the sort
    result = CliRunner().invoke(
        main, ["sync", "--config", str(config.path), "--source", key], catch_exceptions=False
    )
    # it ran and wrote everything (0 or 1 for the incomplete answer; 2: could not run)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    completeness = emu.spreadsheet(key).tab("Complétude").values()
    assert [row[:3] for row in completeness if row and str(row[0]).startswith("Collège")] == [
        ["Collège Albert", "Réponses", 2],
        ["Collège des Essais", "Réponses", 3],
        ["Collège du Refus", "Réponses", 4],
    ]


def test_column_inserted_among_the_questions_moves_statut_references(
    emu: SheetsEmulator, make_campaign: MakeCampaign
) -> None:
    config = make_campaign()
    key = emu.create_spreadsheet("Campagne")
    google.write_google_template(emulator_client(emu), key, sheets_template(config))
    gc = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
    answers = gc.open_by_key(key).worksheet("Réponses")
    answers.update(
        [["" if INCOMPLETE.get(k) is None else INCOMPLETE[k] for k in KEYS]], "A2", raw=False
    )
    titre = [f.key for f in ANSWER_FIELDS].index("titre")  # column G
    answers.spreadsheet.batch_update(
        {
            "requests": [
                {
                    "insertDimension": {
                        "range": {
                            "sheetId": answers.id,
                            "dimension": "COLUMNS",
                            "startIndex": titre,
                            "endIndex": titre + 1,
                        },
                        "inheritFromBefore": True,
                    }
                }
            ]
        }
    )
    answers.update_acell("G1", "Notes du principal")

    tab = emu.spreadsheet(key).tab("Réponses")
    status = tab.cells[(1, len(ANSWER_FIELDS) + 1)]["userEnteredValue"]["formulaValue"]
    assert "TRIM(H2)" in status and "TRIM(G2)" not in status  # « Titre » moved to H
    highlight = [
        r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
        for r in tab.conditional_formats
    ]
    assert '=AND($D2="Oui",LEN(TRIM(H2))=0)' in highlight
    assert "=AND(COUNTA($A2:$P2)>0,LEN(TRIM(A2))=0)" in highlight  # the row span grew
    result = CliRunner().invoke(
        main,
        ["check", "--config", str(config.path), "--source", key, "--json"],
        catch_exceptions=False,
    )
    school = json.loads(result.stdout)["schools"][0]
    assert school["status"] == "incomplet"
    assert {i["cell"] for i in school["issues"]} == {"E2", "H2"}  # « Titre » read in H


def test_template_command_lays_out_the_guide_too(emu: SheetsEmulator) -> None:
    """The command principals' sheet is made with, not only the backend call."""
    from click.testing import CliRunner

    from sheets_sync.cli import main

    key = emu.create_spreadsheet("Campagne")
    result = CliRunner().invoke(main, ["template", "--google", key])
    assert result.exit_code == 0, result.output
    assert [s.title for s in emu.spreadsheet(key).sheets][-1] == "Mode d'emploi"
