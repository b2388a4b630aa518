"""Formulas in the spreadsheet's locale: « ; » between arguments in a fr_FR spreadsheet.

Case « fr-fr-locale-formulas »: the template written to a French Google account's
spreadsheet must not show #ERROR! in its « Statut » column, nor be refused for its
validations and highlights.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.backends import google
from sheets_sync.backends.google.cells import comma_decimal, localise_formula
from sheets_sync.backends.google.read import METADATA_FIELDS
from sheets_sync.backends.google.template import template_requests
from sheets_sync.emulator import SheetsEmulator
from sheets_sync.emulator.formulas import parses
from sheets_sync.form.live_status import status_formula
from sheets_sync.form.model import ANSWER_FIELDS
from sheets_sync.form.template import sheets_template

from ...helpers import COMPLETE_YES, KEYS
from .test_google_backend import emulator_client


@pytest.fixture
def emu() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as server:
        yield server


def test_localise_formula_separators_and_decimals() -> None:
    formula = '=IF(AND(A2="a,b",B2>1.5),"x;y",\'Feuille, 1\'!C3)'
    assert localise_formula(formula, "fr_FR") == (
        '=IF(AND(A2="a,b";B2>1,5);"x;y";\'Feuille, 1\'!C3)'
    )
    assert localise_formula(formula, "en_US") == formula
    assert localise_formula(formula, "en_GB") == formula
    assert localise_formula('=SUM({1,2;3,4})', "de_DE") == "=SUM({1\\2;3\\4})"
    assert localise_formula('=IF(A1="""",1,2)', "fr_FR") == '=IF(A1="""";1;2)'


def test_which_locales_have_a_decimal_comma() -> None:
    assert [comma_decimal(x) for x in ("fr_FR", "de_DE", "tr_TR", "pt_BR")] == [True] * 4
    assert [comma_decimal(x) for x in ("en_US", "en_GB", "ja_JP", "", "de_CH")] == [False] * 5


@given(st.text(alphabet='AB12,.;()="\' {}', max_size=30))
def test_a_localised_formula_parses_in_fr_fr(text: str) -> None:
    """Whatever the en_US formula, once localised the fr_FR emulator never refuses it."""
    assert parses(localise_formula("=" + text, "fr_FR"), "fr_FR")


def test_emulator_fr_fr_refuses_commas_between_arguments() -> None:
    assert not parses('=IF(A1="",1,2)', "fr_FR")
    assert parses('=IF(A1="";1;2)', "fr_FR")
    assert parses("=SUM(1,5;2)", "fr_FR")  # 1,5 is a number
    assert parses('=IF(A1="";1;2)', "en_US")  # « ; » works everywhere
    assert parses('=IF(A1="",1,2)', "en_US")


def test_metadata_asks_for_the_locale() -> None:
    assert "properties(title,locale)" in METADATA_FIELDS


def test_every_formula_of_the_fr_fr_template_is_localised() -> None:
    requests = template_requests(sheets_template(None), set(), locale="fr_FR")
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("formulaValue"), str):
                found.append(value["formulaValue"])
            if value.get("type") == "CUSTOM_FORMULA":
                found.extend(v["userEnteredValue"] for v in value["values"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(requests)
    assert len(found) > 300  # 300 « Statut » rows, validations, highlights
    assert all(parses(f, "fr_FR") for f in found)
    assert not any(parses(f, "fr_FR") for f in found if "," in f and ";" not in f)


def _status_column(emu: SheetsEmulator, key: str) -> list[Any]:
    sheet = emu.spreadsheet(key).tab("Réponses")
    return [row[-1] if row else None for row in sheet.values("FORMATTED_VALUE")[1:4]]


def test_fr_fr_locale_formulas(emu: SheetsEmulator) -> None:
    """The template laid out in a fr_FR spreadsheet: no #ERROR!, validations accepted."""
    key = emu.create_spreadsheet("Campagne fr", locale="fr_FR")
    google.write_google_template(emulator_client(emu), key, sheets_template(None))
    sheet = emu.spreadsheet(key).tab("Réponses")
    status = sheet.cells[(1, len(ANSWER_FIELDS))]
    formula = status["userEnteredValue"]["formulaValue"]
    assert formula.startswith('=IF(COUNTA($A2:$O2)=0;"";')
    assert "_parseError" not in status
    validations = [c["dataValidation"] for c in sheet.cells.values() if "dataValidation" in c]
    assert any(v["condition"]["type"] == "CUSTOM_FORMULA" for v in validations)
    for rule in sheet.conditional_formats:
        for value in rule["booleanRule"]["condition"]["values"]:
            assert ";" in value["userEnteredValue"] or "," not in value["userEnteredValue"]
    assert "#ERROR!" not in _status_column(emu, key)


def test_an_en_us_formula_in_a_fr_fr_sheet_shows_error(emu: SheetsEmulator) -> None:
    """What the issue saw: the same formula, unlocalised, is #ERROR! in fr_FR (not in en_US)."""
    formula = status_formula(ANSWER_FIELDS, 2, "D")
    shown = {}
    for locale in ("fr_FR", "en_US"):
        key = emu.create_spreadsheet(f"Essai {locale}", locale=locale)
        client = emulator_client(emu)
        client.post_batch(key, {"requests": [{"updateCells": {
            "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 15},
            "rows": [{"values": [{"userEnteredValue": {"formulaValue": formula}}]}],
            "fields": "userEnteredValue",
        }}]})
        shown[locale] = emu.spreadsheet(key).tab("Sheet1").values("FORMATTED_VALUE")[1][15]
    assert shown["fr_FR"] == "#ERROR!"
    assert shown["en_US"] != "#ERROR!"


def test_fr_fr_validation_with_commas_is_refused(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Essai", locale="fr_FR")
    rule = {"condition": {"type": "CUSTOM_FORMULA",
                          "values": [{"userEnteredValue": "=AND(A2>0,A2<5)"}]}}
    body = {"requests": [{"setDataValidation": {
        "range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 3,
                  "startColumnIndex": 0, "endColumnIndex": 1}, "rule": rule}}]}
    with pytest.raises(Exception, match="ConditionValue"):
        emulator_client(emu).post_batch(key, body)
    rule["condition"]["values"][0]["userEnteredValue"] = "=AND(A2>0;A2<5)"
    emulator_client(emu).post_batch(key, body)


def test_fr_fr_status_reads_complete_row_back(emu: SheetsEmulator) -> None:
    """A principal's answers typed into the fr_FR template are read back by the sync."""
    key = emu.create_spreadsheet("Campagne fr", locale="fr_FR")
    google.write_google_template(emulator_client(emu), key, sheets_template(None))
    row = [[COMPLETE_YES.get(k, "") for k in KEYS]]
    emulator_client(emu).values_update(
        key, "'Réponses'!A2", params={"valueInputOption": "RAW"}, body={"values": row})
    read = google.read_spreadsheet(emulator_client(emu), key)
    grid = next(g for g in read.grids if g.tab == "Réponses")
    assert grid.rows[1][0] == COMPLETE_YES["etablissement"]
