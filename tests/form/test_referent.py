"""The referent read leniently (issue #14, item 12): civility apart, function with or
without a comma, name in either order."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sheets_sync.config import Limits
from sheets_sync.form.check import check_answers
from sheets_sync.form.normalise import FUNCTION_WORDS, Person, split_referent
from sheets_sync.form.read import read_table

from ..helpers import COMPLETE_YES, table


@pytest.mark.parametrize(("typed", "expected"), [
    ("Mme Durand principale", Person(None, "Durand", "principale", "Mme")),
    ("M. Martin, principal adjoint", Person(None, "Martin", "principal adjoint", "M.")),
    ("DURAND Anne – Principale", Person("Anne", "DURAND", "Principale")),
    ("Anne Durand (CPE)", Person("Anne", "Durand", "CPE")),
    ("Alice MARTIN, principale adjointe", Person("Alice", "MARTIN", "principale adjointe")),
    ("Madame Anne DURAND professeure de SVT",
     Person("Anne", "DURAND", "professeure de SVT", "Madame")),
    ("Anne DURAND CPE", Person("Anne", "DURAND", "CPE")),
    ("Monsieur Karim ROUSSEL directeur adjoint de SEGPA",
     Person("Karim", "ROUSSEL", "directeur adjoint de SEGPA", "Monsieur")),
    ("Rachid ROUSSEL", Person("Rachid", "ROUSSEL", None)),
    ("Durand", Person(None, "Durand", None)),
])
def test_referent_forms(typed: str, expected: Person) -> None:
    assert split_referent(typed) == expected


def test_mme_durand_principale_has_a_function() -> None:
    """Issue #14: « Mme Durand principale » was told its function is missing."""
    for typed in ("Mme Durand principale", "M. Martin, principal adjoint",
                  "DURAND Anne – Principale", "Anne Durand (CPE)"):
        found = read_table(table([{**COMPLETE_YES, "referent": typed}]))
        assert found is not None
        (school,) = check_answers(found.answers, Limits())
        assert [i.code for i in school.issues] == [], typed
        assert school.values["referent_fonction"] is not None
    found = read_table(table([{**COMPLETE_YES, "referent": "Mme Durand"}]))
    assert found is not None
    (school,) = check_answers(found.answers, Limits())
    assert [i.code for i in school.issues] == ["referent-sans-fonction"]


CIVILITIES = st.sampled_from(["", "Mme ", "M. ", "Madame ", "Monsieur ", "Mlle "])
LETTERS = "abcdefghijklmnopqrstuvwxyzéèëïôç"
FIRST = st.builds(lambda head, tail: head.upper() + tail,
                  st.sampled_from("ABCDEFGHIJKLMNOPRSTVYZ"), st.text(LETTERS, min_size=1,
                                                                     max_size=9))
FIRSTS = st.one_of(FIRST, st.builds(lambda a, b: f"{a}-{b}", FIRST, FIRST))
LAST = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZÉÈ", min_size=2, max_size=12)
FUNCTIONS = st.sampled_from([
    "principal", "principale", "principal adjoint", "principale adjointe", "CPE",
    "professeur de mathématiques", "professeure documentaliste", "directeur de SEGPA",
    "directrice", "documentaliste", "gestionnaire", "Principale", "Professeur d'EPS",
])


@settings(max_examples=300, deadline=None)
@given(CIVILITIES, FIRSTS, LAST, st.sampled_from([", ", " ", " – ", " ; "]), FUNCTIONS)
def test_any_civility_first_last_function_parses(civility: str, first: str, last: str,
                                                 separator: str, function: str) -> None:
    """« <civilité?> <Prénom> <NOM>[, ] <fonction> » always gives its three parts."""
    assume(first.lower() not in FUNCTION_WORDS and last.lower() not in FUNCTION_WORDS)
    person = split_referent(f"{civility}{first} {last}{separator}{function}")
    assert (person.first_name, person.last_name, person.function) == (first, last, function)
    assert person.civility == (civility.strip() or None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_splits_without_crashing(text: str) -> None:
    person = split_referent(text)
    assert all(p is None or p == p.strip() for p in (person.first_name, person.function))
