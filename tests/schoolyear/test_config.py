"""Issue #17: [annee_scolaire], [[fermetures]] and [[temps_forts]] in config.toml — checked by
the one schema (line, closest key, French) and given to the schoolyear modules as they are."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sheets_sync.config import load_config
from sheets_sync.errors import ConfigError
from sheets_sync.schoolyear import HalfDay, TempsFort, UnknownSchoolYear, load_calendar
from sheets_sync.starter.campaign import default_config_text
from sheets_sync.starter.demo import DEMO_CONFIG

YEAR = """
[annee_scolaire]
annee = "2026-2027"
demi_journees_fermees = ["mercredi après-midi"]
visites_par_semaine = 3

[[fermetures]]
nom = "Brevet blanc"
du = 2027-01-25
au = 2027-01-26
demi_journee = "après-midi"

[[temps_forts]]
nom = "lancement"
du = 2026-09-14
au = 2026-10-16
lieu = "etablissement"
presence = "tous"
duree = 1

[[temps_forts]]
nom = "immersion"
du = 2027-01-11
au = 2027-04-09
lieu = "entreprise"
presence = "au-moins-un"
duree = 2
"""


def write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(default_config_text() + extra, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.startswith(text))


def test_no_school_year_section_plans_nothing(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")).schoolyear is None


def test_the_proposed_shape_is_read_into_the_schoolyear_dataclasses(tmp_path: Path) -> None:
    year = load_config(write(tmp_path, YEAR)).schoolyear
    assert year is not None
    assert year.calendar.year == "2026-2027"
    assert year.calendar.weekly_closed == frozenset({(2, True)})
    assert year.plan.visits_per_week == 3
    (closure,) = year.calendar.closures
    assert (closure.name, closure.start, closure.end, closure.afternoon) == (
        "Brevet blanc", dt.date(2027, 1, 25), dt.date(2027, 1, 26), True)
    assert year.kinds == (
        TempsFort("lancement", dt.date(2026, 9, 14), dt.date(2026, 10, 16)),
        TempsFort("immersion", dt.date(2027, 1, 11), dt.date(2027, 4, 9), "entreprise",
                  "au-moins-un", 2))
    calendar = load_calendar(year.calendar)
    assert not calendar.is_open(HalfDay(dt.date(2027, 1, 25), True))  # brevet blanc
    assert calendar.is_open(HalfDay(dt.date(2027, 1, 25), False))


def test_year_defaults_to_the_campaign_year(tmp_path: Path) -> None:
    path = write(tmp_path, '[[temps_forts]]\nnom = "x"\ndu = 2026-09-14\nau = 2026-10-16\n')
    config = load_config(path)
    assert config.schoolyear is not None
    assert config.schoolyear.calendar.year == config.school_year
    assert config.schoolyear.calendar.weekly_closed == frozenset({(2, True)})


@pytest.mark.parametrize(("old", "new", "key", "words"), [
    ("visites_par_semaine = 3", "visites_par_semain = 2", "visites_par_semain",
     "vouliez-vous dire visites_par_semaine"),
    ("visites_par_semaine = 3", "visites_par_semaine = 0", "visites_par_semaine",
     "nombre entier positif"),
    ('demi_journees_fermees = ["mercredi après-midi"]', 'demi_journees_fermees = "mercredi"',
     "demi_journees_fermees", "liste de textes"),
    ('annee = "2026-2027"', "annee = 2026", "annee =", "doit être un texte"),
])
def test_annee_scolaire_errors_name_line_and_key(tmp_path: Path, old: str, new: str, key: str,
                                                  words: str) -> None:
    path = write(tmp_path, YEAR.replace(old, new))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert words in message and f"ligne {line_of(path, key)}" in message


@pytest.mark.parametrize(("old", "new", "words"), [
    ('lieu = "entreprise"', 'lieu = "usine"', "attendu « etablissement » ou « entreprise »"),
    ('presence = "au-moins-un"', 'presense = "tous"', "vouliez-vous dire presence"),
    ("duree = 2", "duree = -1", "nombre entier positif"),
    ("au = 2027-04-09", "au = 2026-04-09", "« au » (2026-04-09) précède « du »"),
    ('demi_journee = "après-midi"', 'demi_journee = "soir"', "attendu « journée »"),
])
def test_temps_forts_and_fermetures_errors(tmp_path: Path, old: str, new: str,
                                           words: str) -> None:
    path = write(tmp_path, YEAR.replace(old, new))
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_config(path)


def test_an_unknown_key_in_an_array_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, YEAR.replace('lieu = "entreprise"', 'lieux = "entreprise"'))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "temps_forts[2].lieux" in str(caught.value) or "lieux : clé inconnue" in str(
        caught.value)
    assert f"ligne {line_of(path, 'lieux')}" in str(caught.value)
    assert "vouliez-vous dire lieu" in str(caught.value)


def test_a_missing_required_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, YEAR.replace('nom = "lancement"\n', ""))
    with pytest.raises(ConfigError, match=re.escape("temps_forts[1].nom » est absente")):
        load_config(path)


def test_a_venue_needs_its_address(tmp_path: Path) -> None:
    path = write(tmp_path, YEAR.replace('lieu = "etablissement"', 'lieu = "lieu"'))
    with pytest.raises(ConfigError, match="adresse"):
        load_config(path)
    fixed = write(tmp_path, YEAR.replace('lieu = "etablissement"',
                                         'lieu = "lieu"\nadresse = "Salle Watremez"'))
    year = load_config(fixed).schoolyear
    assert year is not None and year.kinds[0].venue == "Salle Watremez"


def test_same_temps_fort_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, YEAR.replace('nom = "immersion"', 'nom = "Lancement"'))
    with pytest.raises(ConfigError, match="déjà décrit"):
        load_config(path)


def test_a_weekly_closed_half_day_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, YEAR.replace('["mercredi après-midi"]', '["le soir"]'))
    with pytest.raises(ConfigError, match="« le soir » n'est pas une demi-journée"):
        load_config(path)


def test_no_weekly_closure_at_all(tmp_path: Path) -> None:
    year = load_config(write(tmp_path, YEAR.replace('["mercredi après-midi"]', "[]"))).schoolyear
    assert year is not None and year.calendar.weekly_closed == frozenset()


def test_unknown_year_is_a_clear_error_when_the_calendar_loads(tmp_path: Path) -> None:
    year = load_config(write(tmp_path, YEAR.replace('"2026-2027"', '"2030-2031"'))).schoolyear
    assert year is not None
    with pytest.raises(UnknownSchoolYear, match="2030-2031"):
        load_calendar(year.calendar)


def test_a_year_not_shipped_can_be_given_in_config(tmp_path: Path) -> None:
    extra = YEAR.replace('"2026-2027"', '"2030-2031"').replace(
        "visites_par_semaine = 3",
        "visites_par_semaine = 3\npremier_jour = 2030-09-02\ndernier_jour = 2031-07-04\n"
        "[[annee_scolaire.vacances]]\nnom = \"Toussaint\"\ndebut = 2030-10-19\n"
        "reprise = 2030-11-04\n")
    year = load_config(write(tmp_path, extra)).schoolyear
    assert year is not None
    calendar = load_calendar(year.calendar)
    assert calendar.closed_reason(HalfDay(dt.date(2030, 10, 21), False)) == "Toussaint"
    assert calendar.is_open(HalfDay(dt.date(2030, 11, 4), False))


def test_first_day_without_last_day_is_refused(tmp_path: Path) -> None:
    extra = YEAR.replace("visites_par_semaine = 3",
                         "visites_par_semaine = 3\npremier_jour = 2026-09-01")
    with pytest.raises(ConfigError, match="premier_jour et dernier_jour ensemble"):
        load_config(write(tmp_path, extra))


def test_demo_config_plans_its_fictional_year() -> None:
    """The demo's year (2021-2022) is not shipped: its config gives the official dates."""
    config = load_config(DEMO_CONFIG)
    assert config.schoolyear is not None
    assert config.school_year == config.schoolyear.calendar.year == "2021-2022"
    assert [k.name for k in config.schoolyear.kinds] == ["lancement", "immersion",
                                                         "restitution"]
    calendar = load_calendar(config.schoolyear.calendar)
    assert calendar.first_day == dt.date(2021, 9, 2)
    assert calendar.closed_reason(HalfDay(dt.date(2022, 2, 14), False)) == "Vacances d'hiver"
    assert calendar.closed_reason(HalfDay(dt.date(2022, 1, 24), False)) == "Brevet blanc"
    for kind in config.schoolyear.kinds:  # every window has open half-days
        assert calendar.open_half_days(kind.start, kind.end)


def test_cross_key_errors_name_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, YEAR.replace("au = 2027-04-09", "au = 2026-04-09"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"ligne {line_of(path, 'au = 2026-04-09')}" in str(caught.value)
    path = write(tmp_path, YEAR.replace('["mercredi après-midi"]', '["le soir"]'))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"ligne {line_of(path, 'demi_journees_fermees')}" in str(caught.value)
