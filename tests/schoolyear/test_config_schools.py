"""Issue #17: [[annee_scolaire.etablissements]] (a school's accepted and preferred half-days)
and annee_scolaire.productions in config.toml."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sheets_sync.config import load_config
from sheets_sync.errors import ConfigError
from sheets_sync.schoolyear import HalfDay

from .test_config import YEAR, line_of, write

SCHOOLS = """
[[annee_scolaire.etablissements]]
nom = "Collège des Tisserands"
disponibilites = "mardi et jeudi ; pas en juin"
preferer = "jeudi matin"

[[annee_scolaire.etablissements]]
nom = "0590001A"
preferer = "lundi"
"""


def with_schools(extra: str) -> str:
    """The year with `extra` inside [annee_scolaire] (before its first [[array]])."""
    return YEAR.replace("visites_par_semaine = 3\n", "visites_par_semaine = 3\n" + extra)


def test_schools_half_days_are_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, YEAR + SCHOOLS))
    assert config.schoolyear is not None
    first, second = config.schoolyear.schools
    assert first.name == "Collège des Tisserands" and second.name == "0590001A"
    assert first.allowed is not None and first.preferred is not None
    tuesday, friday = HalfDay(dt.date(2027, 3, 2), False), HalfDay(dt.date(2027, 3, 5), False)
    assert first.allowed.allows(tuesday) and not first.allowed.allows(friday)
    assert not first.allowed.allows(HalfDay(dt.date(2027, 6, 1), False))  # pas en juin
    assert second.allowed is None and second.preferred is not None


def test_an_unreadable_school_availability_names_the_key_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, YEAR + SCHOOLS.replace('"mardi et jeudi ; pas en juin"',
                                                  '"quand ça les arrange"'))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "annee_scolaire.etablissements[1].disponibilites" in message
    assert "quand ça les arrange" in message
    assert f"ligne {line_of(path, 'disponibilites =')}" in message


def test_a_school_without_a_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=re.escape("etablissements[2].nom")):
        load_config(write(tmp_path, YEAR + SCHOOLS.replace('nom = "0590001A"\n', "")))


def test_productions_default_and_given(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, YEAR))
    assert config.schoolyear is not None
    assert config.schoolyear.productions == ("fiche métier", "portrait")
    config = load_config(write(tmp_path, with_schools(
        'productions = ["web TV", "fiche métier", "web TV"]\n')))
    assert config.schoolyear is not None
    assert config.schoolyear.productions == ("web TV", "fiche métier")


def test_an_unknown_production_is_refused_in_french(tmp_path: Path) -> None:
    path = write(tmp_path, with_schools('productions = ["podcast"]\n'))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "annee_scolaire.productions" in message and "« podcast »" in message
    assert "fiche métier, portrait, web TV, exposition, autre" in message


def test_productions_are_matched_whatever_the_case_and_accents(tmp_path: Path) -> None:
    """Review finding 7: « Fiche métier » was refused for its capital F, though the tab
    reader takes any case."""
    config = load_config(write(tmp_path, with_schools(
        'productions = ["Fiche métier", "PORTRAIT", "Web tv", "fiche metier"]\n')))
    assert config.schoolyear is not None
    assert config.schoolyear.productions == ("fiche métier", "portrait", "web TV")


@pytest.mark.parametrize(("typed", "part"), [
    ("jamais", "jamais"),
    ("mardi jamais", "jamais"),
    ("pas le lundi, jamais", "jamais"),
    ("pas de préférence", "pas de préférence"),
    ("lundi et mardi ; sauf", "sauf"),
])
def test_a_negation_excluding_nothing_is_refused(tmp_path: Path, typed: str,
                                                 part: str) -> None:
    """Review finding 7: « jamais » read as every half-day, with no finding."""
    path = write(tmp_path, YEAR + SCHOOLS.replace('"mardi et jeudi ; pas en juin"',
                                                  f'"{typed}"'))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "annee_scolaire.etablissements[1].disponibilites" in message
    assert f"« {part} » n'est pas compris" in message
    assert f"ligne {line_of(path, 'disponibilites =')}" in message


@pytest.mark.parametrize("typed", [
    "Jamais le mercredi", "ni lundi ni mardi", "tous les jours sauf le vendredi",
    "pas avant novembre", "indisponible", "lundi, hors vacances"])
def test_a_negation_that_excludes_something_is_read(tmp_path: Path, typed: str) -> None:
    config = load_config(write(tmp_path, YEAR + SCHOOLS.replace(
        '"mardi et jeudi ; pas en juin"', f'"{typed}"')))
    assert config.schoolyear is not None and config.schoolyear.schools[0].allowed is not None


def test_a_partly_read_preference_names_the_part_not_understood(tmp_path: Path) -> None:
    path = write(tmp_path, YEAR + SCHOOLS.replace('"jeudi matin"', '"jeudi matin, réunion"'))
    with pytest.raises(ConfigError, match="« réunion » n'est pas compris"):
        load_config(path)
