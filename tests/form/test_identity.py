import pytest

from sheets_sync.cells.grid import Grid
from sheets_sync.form.identity import (
    Establishment,
    match_school,
    read_reference,
    school_key,
    uai_is_valid,
)

REFERENCE = [
    Establishment("Collège Jean-Lebas", "0590190L"),
    Establishment("Collège Jean Macé"),
    Establishment("Collège Saint-Exupéry"),
    Establishment("Collège Maxence Van der Meersch"),
    Establishment("Collège Rosa-Parks"),
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Clg J. Lebas", "Collège Jean-Lebas"),
        ("Collège Jean-Lebas", "Collège Jean-Lebas"),
        ("COLLEGE JEAN LEBAS", "Collège Jean-Lebas"),
        ("clg st exupery", "Collège Saint-Exupéry"),
        ("Collège Van der Meersch", "Collège Maxence Van der Meersch"),
        ("College Rosa Parks", "Collège Rosa-Parks"),
    ],
)
def test_sure_matches(typed: str, expected: str) -> None:
    found = match_school(typed, REFERENCE)
    assert found is not None and found.sure
    assert found.establishment.name == expected


def test_two_alike_schools_make_an_unsure_match() -> None:
    found = match_school("Collège Jean", REFERENCE)
    assert found is not None and not found.sure


def test_unknown_school_is_no_match() -> None:
    assert match_school("Lycée Baggio", REFERENCE) is None
    assert match_school("", REFERENCE) is None
    assert match_school("Collège Jean-Lebas", []) is None


@pytest.mark.parametrize("code", ["0590190L", "0590190l", " 0590190L "])
def test_valid_uai(code: str) -> None:
    assert uai_is_valid(code)


@pytest.mark.parametrize("code", ["0590190M", "059019L", "05901900L", "ABCDEFGL", ""])
def test_invalid_uai(code: str) -> None:
    assert not uai_is_valid(code)


def test_school_key_folds_the_usual_abbreviations() -> None:
    assert school_key("Clg St-Exupéry") == school_key("Collège Saint Exupery") == "saint exupery"
    assert school_key("Collège") == "college"


def test_reference_tab_is_read_with_invalid_uai_reported() -> None:
    grid = Grid("Établissements", (
        ("Liste des collèges",),
        ("Nom de l'établissement", "UAI", "Commune"),
        ("Collège Jean-Lebas", "0590190L", "Roubaix"),
        ("Collège Rosa-Parks", "0590190M", "Roubaix"),
        (None, None, None),
    ))
    found, issues = read_reference(grid)
    assert [(e.name, e.uai, e.commune, e.cell) for e in found] == [
        ("Collège Jean-Lebas", "0590190L", "Roubaix", "A3"),
        ("Collège Rosa-Parks", None, "Roubaix", "A4"),
    ]
    assert [(i.code, i.cell) for i in issues] == [("uai-invalide", "B4")]
