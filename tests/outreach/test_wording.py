"""Issue #14 item 5: reminders written as a principal would write them."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.config import Session
from sheets_sync.outreach.wording import deadline_sentence, greeting, of_school, person_name

SESSIONS = (Session("1re session", dt.date(2021, 7, 16)),
            Session("2e session", dt.date(2021, 9, 10)))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Bug: « Bonjour Rachid ROUSSEL, CPE, » (surname in capitals, function glued).
        ("Rachid ROUSSEL, CPE", "Bonjour Rachid Roussel,"),
        ("Sarah DUPONT, principal", "Bonjour Sarah Dupont,"),
        ("Alice MARTIN (principale adjointe)", "Bonjour Alice Martin,"),
        ("Jean-Marc LE GOFF-DURAND, CPE", "Bonjour Jean-Marc Le Goff-Durand,"),
        ("Maxence VAN DER MEERSCH", "Bonjour Maxence Van der Meersch,"),
        ("Anne D'ALEMBERT", "Bonjour Anne D'Alembert,"),
        ("Mme ROUSSEL, principale", "Bonjour Madame Roussel,"),
        ("alice martin", "Bonjour alice martin,"),  # typed in lower case: left as typed
        ("Paul McDonald", "Bonjour Paul McDonald,"),
        ("ROUSSEL", "Madame, Monsieur,"),  # a surname alone: no « Bonjour Roussel, »
        ("", "Madame, Monsieur,"),
        (None, "Madame, Monsieur,"),
        ("direction@college.example.org", "Madame, Monsieur,"),
    ],
)
def test_greeting_writes_the_name_normally_without_the_function(typed, expected) -> None:
    assert greeting(typed) == expected


def test_person_name_drops_the_function() -> None:
    assert person_name("Rachid ROUSSEL, psychologue de l'Éducation nationale") == "Rachid Roussel"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Bug: « la réponse de Collège Albert-Vandame ».
        ("Collège Albert-Vandame", "du collège Albert-Vandame"),
        ("COLLÈGE Jean Macé", "du collège Jean Macé"),
        ("Clg J. Lebas", "du collège J. Lebas"),
        ("Le collège du Canal", "du collège du Canal"),
        ("Lycée Jean-Rostand", "du lycée Jean-Rostand"),
        ("Cité scolaire Van-Der-Meersch", "de la cité scolaire Van-Der-Meersch"),
        ("École Anatole-France", "de l'école Anatole-France"),
        ("L'école Anatole-France", "de l'école Anatole-France"),
        ("Jean-Lebas", "de l'établissement Jean-Lebas"),
        ("La Fontaine", "de l'établissement La Fontaine"),
        ("Collégiale", "de l'établissement Collégiale"),
        ("Collège", "du collège"),
    ],
)
def test_of_school_contracts_the_article(name, expected) -> None:
    assert of_school(name) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2021, 7, 1), "La prochaine date limite est le 16/07/2021."),
        (dt.date(2021, 7, 16), "La prochaine date limite est aujourd'hui même, le 16/07/2021."),
        (dt.date(2021, 7, 17),
         "La date limite du 16/07/2021 est passée ; la prochaine est le 10/09/2021."),
        # Bug: every reminder cited « La prochaine date limite est le 10/09/2021 » in 2026.
        (dt.date(2026, 12, 3),
         "La dernière date limite, le 10/09/2021, est passée : écrivez-nous dès que possible "
         "si votre établissement souhaite encore participer."),
    ],
)
def test_deadline_sentence_never_cites_a_past_date_as_to_come(today, expected) -> None:
    assert deadline_sentence(SESSIONS, today) == expected


def test_no_session_no_date() -> None:
    assert deadline_sentence((), dt.date(2021, 7, 1)) == "Merci de nous répondre dès que possible."


@given(today=st.dates(), deadlines=st.lists(st.dates(), max_size=4))
def test_a_date_cited_as_to_come_is_never_past(today, deadlines) -> None:
    sessions = tuple(Session(f"Session {i}", d) for i, d in enumerate(deadlines))
    text = deadline_sentence(sessions, today)
    for d in deadlines:
        shown = f"{d:%d/%m/%Y}"
        if d < today and shown in text:
            assert f"{shown} est passée" in text or f"le {shown}, est passée" in text
        if "prochaine" in text and shown in text.split("prochaine", 1)[1]:
            assert d >= today


# No word read as a function (« aed », « cpe ») or a civility (« mme »): no d, p or m.
NAMES = st.text(st.sampled_from("abceéèïçknrstuvz"), min_size=2, max_size=10)


@given(first=NAMES, last=st.lists(NAMES, min_size=1, max_size=3), function=NAMES,
       sep=st.sampled_from([", ", " (", " - ", "; "]))
def test_any_prenom_nom_fonction_is_greeted_without_capitals_or_function(
        first, last, function, sep) -> None:
    surname = " ".join(last).upper()
    text = greeting(f"{first.capitalize()} {surname}{sep}{function}")
    assert text.startswith(f"Bonjour {first.capitalize()} ") and text.endswith(",")
    assert not any(len(w) > 1 and w.isupper() for w in text.removesuffix(",").split())
    assert function not in text.removeprefix(f"Bonjour {first.capitalize()}").lower() or (
        function in surname.lower())
