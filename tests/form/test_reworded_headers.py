"""Headers and labels reworded by a principal (issue #14, item 3): close to a label, they
are proposed it; close and unambiguous, they are read as it (with a warning to rename), so
nothing typed is lost. A column the tab lacks is reported once, never once per school."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.ambassadors.roster import read_roster
from sheets_sync.backends import excel
from sheets_sync.cells.grid import Grid
from sheets_sync.config import Limits
from sheets_sync.form.check import COMPLETE, INCOMPLETE, NOT_TAKING_PART, check_answers
from sheets_sync.form.labels import READ_FROM, closeness, normalise_label, suggest
from sheets_sync.form.model import ANSWER_FIELDS, REFERENT_PARTS, ROSTER_FIELDS
from sheets_sync.form.read import extract, read_table

from ..helpers import COMPLETE_NO, COMPLETE_YES, HEADER, KEYS, table

FORMS = Path(__file__).resolve().parents[1] / "data" / "forms"
FIELDS = ANSWER_FIELDS + REFERENT_PARTS


def read(name: str):
    grids = excel.read_workbook(FORMS / name).grids
    found = extract(grids, "Réponses", ("Ambassadeurs", "Établissements"))
    return grids, found, check_answers(found.answers, Limits())


def test_adresse_etablissement_is_read_and_told_to_rename() -> None:
    """Issue #14: « Adresse établissement » gave a cascade of missing fields."""
    _, found, schools = read("header-reworded-adresse-etablissement.xlsx")
    assert [(i.code, i.cell, i.field, i.severity) for i in found.issues] == [
        ("intitule-ressemblant-lu", "B1", "adresse", "avertissement")]
    assert found.issues[0].message == (
        "La colonne « Adresse établissement » (B1) ressemble à « Adresse de l'établissement » : "
        "elle est lue comme telle ; renommez-la ainsi.")
    assert [s.status for s in schools] == [COMPLETE, NOT_TAKING_PART, COMPLETE]
    assert [s.values["adresse"] for s in schools] == [COMPLETE_YES["adresse"],
                                                      COMPLETE_NO["adresse"],
                                                      COMPLETE_YES["adresse"]]
    assert schools[0].cells["adresse"] == "B2"
    assert all(s.issues == () for s in schools)


def test_almost_a_label_is_proposed_and_the_missing_column_reported_once() -> None:
    _, found, schools = read("header-almost-a-label.xlsx")
    assert [(i.code, i.cell, i.field) for i in found.issues] == [
        ("intitule-ressemblant", "C1", "referent"), ("colonne-absente", "A1", "referent")]
    assert "renommez-la ainsi" in found.issues[0].message
    # incomplete (the referent is required) but no `champ-obligatoire` per school
    assert [s.status for s in schools] == [INCOMPLETE, INCOMPLETE]
    assert [i.code for s in schools for i in s.issues] == []
    assert [s.absent for s in schools] == [("referent",), ("referent",)]


def test_missing_column_is_not_a_cascade_of_required_fields() -> None:
    keys = [k for k in KEYS if k != "objectifs"]
    header = [h for h, k in zip(HEADER, KEYS, strict=True) if k != "objectifs"]
    found = read_table(table([COMPLETE_YES] * 5, header=header, keys=keys))
    assert found is not None
    assert [(i.code, i.cell) for i in found.issues] == [("colonne-absente", "A1")]
    schools = check_answers(found.answers, Limits())
    assert [s.status for s in schools] == [INCOMPLETE] * 5
    assert [i.code for s in schools for i in s.issues] == []
    # a « Non » does not need the project's columns: still complete
    (no,) = check_answers(read_table(table([COMPLETE_NO], header=header, keys=keys)).answers,
                          Limits())
    assert no.status == NOT_TAKING_PART


def test_fiche_label_reworded_is_read() -> None:
    _, found, schools = read("fiche-label-reworded.xlsx")
    assert found.layout == "fiche"
    assert [(i.code, i.cell) for i in found.issues] == [("intitule-ressemblant-lu", "A3")]
    assert found.issues[0].message.startswith("La ligne « Adresse établissement » (A3)")
    (school,) = schools
    assert school.status == COMPLETE and school.values["adresse"] == COMPLETE_YES["adresse"]


def test_roster_header_reworded_and_capacity_zero() -> None:
    grids, _, _ = read("roster-reworded-capacity-zero.xlsx")
    members, issues = read_roster(grids, "Ambassadeurs")
    assert [(i.code, i.cell, i.field) for i in issues] == [
        ("intitule-ressemblant-lu", "D1", "metier")]
    assert [(m.ambassador.job, m.ambassador.capacity, m.ambassador.away) for m in members] == [
        ("Data analyste", 2, False), ("Pilote", 0, True)]


@pytest.mark.parametrize(("typed", "key", "read_as"), [
    ("Adresse établissement", "adresse", True),
    ("Adresse de l'etablisement", "adresse", True),
    ("Nom établissement", "etablissement", True),
    ("Classes 4e", "classes_4e", True),
    ("Vos objectif", "objectifs", True),
    ("Titre du projet", "titre", True),
    ("Courriel référent", "courriel", True),
    ("Nom et fonction du référent", "referent", False),
])
def test_suggestions(typed: str, key: str, read_as: bool) -> None:
    found = suggest(typed, FIELDS)
    assert found is not None and (found.key, found.confident) == (key, read_as)


@pytest.mark.parametrize("typed", [
    "Code postal", "Observations du rectorat", "Classes 5e", "Établissement", "Mail du référent",
    "Nom du collège", "Remarques du principal", "Annexe n°1 : Formulaire", "Nombre de classes",
    "Référent", "", None, 42,
])
def test_no_suggestion_for_what_names_no_question(typed: object) -> None:
    assert suggest(typed, FIELDS) is None


def test_a_field_already_present_is_never_proposed_again() -> None:
    assert suggest("Adresse établissement", FIELDS, taken={"adresse"}) is None


def test_table_with_a_present_column_does_not_read_its_lookalike() -> None:
    grid = Grid("Réponses", ((*HEADER, "Adresse établissement"),
                             (*(COMPLETE_YES.get(k) for k in KEYS), "autre adresse")))
    found = read_table(grid)
    assert found is not None
    extra = f"{chr(65 + len(HEADER))}1"
    assert [(i.code, i.cell) for i in found.issues] == [("colonne-inconnue", extra)]
    assert found.answers[0].cells["adresse"].value == COMPLETE_YES["adresse"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FIELDS + ROSTER_FIELDS), st.sampled_from(["upper", "lower", "same"]))
def test_every_label_is_closest_to_itself(field, case: str) -> None:
    typed = {"upper": field.label.upper(), "lower": field.label.lower()}.get(case, field.label)
    assert closeness(normalise_label(typed), normalise_label(field.label)) == 1.0
    assert READ_FROM < 1.0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_header_text_never_crashes(text: str) -> None:
    found = suggest(text, FIELDS)
    assert found is None or 0.0 <= found.score <= 1.0
    grid = Grid("Réponses", ((*HEADER, text), tuple(COMPLETE_YES.get(k) for k in KEYS)))
    assert read_table(grid) is not None
