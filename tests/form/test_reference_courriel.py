"""Issue #14: the reference list's optional « Courriel » column, where reminders to schools
that never answered are sent."""

import pytest

from sheets_sync.cells.grid import Grid
from sheets_sync.form.identity import read_reference


@pytest.mark.parametrize("header", ["Courriel", "Adresse électronique", "E-mail", "Mél"])
def test_reference_list_reads_an_optional_courriel_column(header: str) -> None:
    grid = Grid("Établissements", (
        ("Nom de l'établissement", "UAI", "Commune", header),
        ("Collège Jean-Lebas", "0590190L", "Roubaix", " direction@jean-lebas.example.org "),
        ("Collège Rosa-Parks", None, "Roubaix", None),
        ("Collège Muet", None, "Roubaix", "  "),
    ))
    found, issues = read_reference(grid)
    assert [(e.name, e.email) for e in found] == [
        ("Collège Jean-Lebas", "direction@jean-lebas.example.org"),
        ("Collège Rosa-Parks", None), ("Collège Muet", None)]
    assert issues == []


def test_reference_list_without_courriel_column_still_reads() -> None:
    grid = Grid("Établissements", (("Nom de l'établissement",), ("Collège Jean-Lebas",)))
    found, _ = read_reference(grid)
    assert [(e.name, e.email) for e in found] == [("Collège Jean-Lebas", None)]
