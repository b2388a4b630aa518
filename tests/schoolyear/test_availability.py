"""« Disponibilités » cells as people write them, read as allowed half-days and months."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.schoolyear import HalfDay, parse_availability
from sheets_sync.schoolyear.availability import MESSAGES

EVERY = "toutes les demi-journées"
WEEK = "lundi, mardi, mercredi, jeudi, vendredi"
MORNINGS = "lundi matin, mardi matin, mercredi matin, jeudi matin, vendredi matin"
AFTERNOONS = ("lundi après-midi, mardi après-midi, mercredi après-midi, jeudi après-midi, "
              "vendredi après-midi")
SCHOOL_YEAR = ("septembre", "octobre", "novembre", "décembre", "janvier", "février", "mars",
               "avril", "mai", "juin", "juillet", "août")


def months(*names: str) -> str:
    return ", ".join(n for n in SCHOOL_YEAR if n in names)


def without(*names: str) -> str:
    return ", ".join(n for n in SCHOOL_YEAR if n not in names)


# (cell, what is understood, finding codes)
CASES = [
    ("mardi après-midi", "mardi après-midi", []),
    ("Mardi après midi", "mardi après-midi", []),
    ("  MARDI   APRÈS-MIDI ", "mardi après-midi", []),
    ("mercredis", "mercredi", []),
    ("le mercredi", "mercredi", []),
    ("lundi et jeudi matin", "lundi matin, jeudi matin", []),
    ("lundi matin et jeudi", "lundi matin, jeudi", []),
    ("pas en juin", f"{WEEK} ; {without('juin')}", []),
    ("tous les jours", EVERY, []),
    ("Tous les jours", EVERY, []),
    ("le matin", MORNINGS, []),
    ("les après-midis", AFTERNOONS, []),
    ("matin de préférence", MORNINGS, []),
    ("sauf le vendredi", "lundi, mardi, mercredi, jeudi", []),
    ("tous les jours sauf le vendredi", "lundi, mardi, mercredi, jeudi", []),
    ("tous les jours sauf le vendredi après-midi", "lundi, mardi, mercredi, jeudi, vendredi matin",
     []),
    ("lundi, mardi (après-midi)", "lundi après-midi, mardi après-midi", []),
    ("du lundi au jeudi", "lundi, mardi, mercredi, jeudi", []),
    ("du lundi au vendredi", EVERY, []),
    ("du lundi au vendredi matin", MORNINGS, []),
    ("uniquement le mercredi matin", "mercredi matin", []),
    ("seulement le mardi", "mardi", []),
    ("disponible en semaine", EVERY, []),
    ("toute la semaine", EVERY, []),
    ("pas pendant les vacances", EVERY, []),
    ("hors vacances scolaires", EVERY, []),
    ("Jeudi AM", "jeudi", ["disponibilite-ambigue"]),
    ("mardi PM", "mardi après-midi", []),
    ("1er trimestre", f"{WEEK} ; {months('septembre', 'octobre', 'novembre', 'décembre')}", []),
    ("premier trimestre", f"{WEEK} ; {months('septembre', 'octobre', 'novembre', 'décembre')}",
     []),
    ("2e trimestre", f"{WEEK} ; {months('janvier', 'février', 'mars')}", []),
    ("T3", f"{WEEK} ; {months('avril', 'mai', 'juin', 'juillet')}", []),
    ("pas avant novembre", f"{WEEK} ; {without('septembre', 'octobre')}", []),
    ("à partir de janvier", f"{WEEK} ; {without('septembre', 'octobre', 'novembre', 'décembre')}",
     []),
    ("de janvier à mars", f"{WEEK} ; {months('janvier', 'février', 'mars')}", []),
    ("entre octobre et décembre", f"{WEEK} ; {months('octobre', 'novembre', 'décembre')}", []),
    ("jusqu'en mars", f"{WEEK} ; {without('avril', 'mai', 'juin', 'juillet', 'août')}", []),
    ("avant Noël", f"{WEEK} ; {months('septembre', 'octobre', 'novembre', 'décembre')}", []),
    ("après les vacances de Noël",
     f"{WEEK} ; {without('septembre', 'octobre', 'novembre', 'décembre')}", []),
    ("lun. et jeu. matin", "lundi matin, jeudi matin", []),
    ("LUN. ET VEN.", "lundi, vendredi", []),
    ("mer. matin", "mercredi matin", []),
    ("mardis et jeudis", "mardi, jeudi", []),
    ("mardi / jeudi", "mardi, jeudi", []),
    ("lundi matin et après-midi", "lundi", []),
    ("mardi après-midi, jeudi matin", "mardi après-midi, jeudi matin", []),
    ("pas le mercredi ni le vendredi", "lundi, mardi, jeudi", []),
    ("pas le lundi", "mardi, mercredi, jeudi, vendredi", []),
    ("jamais le vendredi après-midi",
     "lundi, mardi, mercredi, jeudi, vendredi matin", []),
    ("le jeudi, pas en juin", f"jeudi ; {without('juin')}", []),
    ("mardi matin. Pas en mai ni en juin", f"mardi matin ; {without('mai', 'juin')}", []),
    ("toute l'année", EVERY, []),
    ("n'importe quand", EVERY, []),
    ("je suis disponible le lundi", "lundi", []),  # bug: « je » was read as jeudi
    ("pas en mars", f"{WEEK} ; {without('mars')}", []),  # bug: « mars » was read as mardi
    ("", EVERY, []),
    ("indisponible", "aucune demi-journée", []),
    ("samedi", "samedi", ["disponibilite-aucune-demi-journee"]),
    ("lundi sauf si réunion", "lundi", ["disponibilite-partielle"]),
    ("Mardi matin (sauf réunion d'équipe)", "mardi matin", ["disponibilite-partielle"]),
    ("à voir avec mon manager", EVERY, ["disponibilite-illisible"]),
    ("???", EVERY, ["disponibilite-illisible"]),
]


@pytest.mark.parametrize(("text", "understood", "codes"), CASES, ids=[c[0] or "vide"
                                                                      for c in CASES])
def test_phrasings(text: str, understood: str, codes: list[str]) -> None:
    reading = parse_availability(text)
    assert reading.availability.describe() == understood
    assert [f.code for f in reading.findings] == codes


def test_at_least_forty_phrasings() -> None:
    assert len(CASES) >= 40


def test_unreadable_cell_constrains_nothing_and_says_so() -> None:
    reading = parse_availability("à voir avec mon manager")
    assert reading.availability.unconstrained
    (finding,) = reading.findings
    assert finding.code == "disponibilite-illisible"
    assert "Aucune contrainte n'est retenue" in finding.message
    assert "« à voir avec mon manager »" in finding.message


def test_partly_read_cell_names_the_part_not_understood() -> None:
    (finding,) = parse_availability("lundi sauf si réunion").findings
    assert finding.part == "réunion"
    assert "le reste est pris en compte" in finding.message


def test_the_part_not_understood_is_quoted_as_typed() -> None:
    (finding,) = parse_availability("Mardi matin (sauf réunion d'équipe)").findings
    assert finding.part == "réunion équipe"
    assert finding.message == (
        "Disponibilités « Mardi matin (sauf réunion d'équipe) » : « réunion équipe » n'a pas "
        "été compris et est ignoré ; le reste est pris en compte.")


def test_allows_a_half_day() -> None:
    availability = parse_availability("mardi après-midi, pas en juin").availability
    assert availability.allows(HalfDay(dt.date(2027, 3, 2), True))
    assert not availability.allows(HalfDay(dt.date(2027, 3, 2), False))
    assert not availability.allows(HalfDay(dt.date(2027, 6, 1), True))


def test_every_code_has_a_french_message() -> None:
    for code, message in MESSAGES.items():
        assert code == code.lower() and " " not in code
        assert message.startswith("Disponibilités")


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_reading_never_raises(text: str) -> None:
    reading = parse_availability(text)
    assert reading.availability is not None
    for finding in reading.findings:
        assert finding.code in MESSAGES


WORDS = ["lundi", "mardi", "mer.", "jeudi", "vendredi", "matin", "après-midi", "AM", "PM",
         "pas", "sauf", "en", "juin", "mars", "du", "au", "de", "à", "et", ",", ".", "(", ")",
         "tous les jours", "1er trimestre", "avant", "après", "jusqu'en", "à partir de", "ni",
         "Noël", "vacances", "blabla", "2", "-", "/"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(WORDS), max_size=12))
def test_word_salad_never_raises(words: list[str]) -> None:
    """Mixing the words the parser knows never crashes it; a cell read with no finding
    always allows only real half-days (weekday 0-6, morning or afternoon) and months."""
    reading = parse_availability(" ".join(words))
    assert all(f.code in MESSAGES for f in reading.findings)
    assert all(0 <= d <= 6 for d, _ in reading.availability.slots)
    assert reading.availability.months <= set(range(1, 13))


@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True)))
def test_non_text_cells(value: object) -> None:
    parse_availability(value)
