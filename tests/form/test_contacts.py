"""Contact details typed in free text: found, described without echoing them, masked."""

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sheets_sync.cells.grid import GeneratedTab, OutCell
from sheets_sync.form.contacts import (
    EMAIL,
    MASK,
    PHONE,
    describe,
    find_contacts,
    mask,
    mask_tab,
)

PHONES = [
    "06 12 34 56 78",
    "06.12.34.56.78",
    "06-12-34-56-78",
    "0612345678",
    "+33 6 12 34 56 78",
    "+33612345678",
    "+33 (0)6 12 34 56 78",
    "0033 6 12 34 56 78",
    "0033 (0)6 12 34 56 78",
    "03\u00a020\u00a012\u00a034\u00a056",
    "+44 20 7946 0958",
    "+1 202 555 0143",
    "0044 20 7946 0958",
]
EMAILS = [
    "m.dupont@exemple.fr",
    "prenom.nom+projet@ac-lille.fr",
    "m.dupont at exemple.fr",
    "m.dupont[at]exemple.fr",
    "m.dupont (at) exemple.fr",
    "m.dupont(arobase)exemple.fr",
]
NOT_CONTACTS = [
    "03/06/2022",
    "le 03/06/2022 à 14h30",
    "2021-2022",
    "année scolaire 2021 2022",
    "3 classes de 4ème et 2 de 3ème",
    "UAI 0590001A",
    "0590001A",
    "59100 Roubaix",
    "1 rue de l'Exemple, 59100 Roubaix",
    "14h30 - 16h00",
    "de 8h à 12h, salle 104",
    "20 21 22 23 24",
    "rendez-vous at school",
    "Code ROME M1805",
    "10 000 élèves, 250 enseignants",
]


@pytest.mark.parametrize("phone", PHONES)
def test_every_phone_form_is_found_and_masked(phone: str) -> None:
    text = f"Contact : {phone}, merci."
    assert [f.kind for f in find_contacts(text)] == [PHONE]
    assert mask(text) == f"Contact : {MASK}, merci."


@pytest.mark.parametrize("email", EMAILS)
def test_every_email_form_is_found_and_masked(email: str) -> None:
    text = f"Écrire à {email} avant juin"
    assert [f.kind for f in find_contacts(text)] == [EMAIL]
    assert mask(text) == f"Écrire à {MASK} avant juin"


@pytest.mark.parametrize("text", NOT_CONTACTS)
def test_dates_years_counts_uai_postcodes_and_times_are_not_contacts(text: str) -> None:
    assert find_contacts(text) == []
    assert mask(text) is text


def test_describe_names_the_kinds_never_the_contact() -> None:
    found = find_contacts("contact : m.dupont@exemple.fr / 06 12 34 56 78")
    assert describe(found) == "une adresse électronique et un numéro de téléphone"
    assert describe(find_contacts("06 12 34 56 78")) == "un numéro de téléphone"
    assert describe([]) == ""


def test_mask_tab_masks_text_cells_and_drops_contact_links() -> None:
    tab = GeneratedTab(
        name="Classes", banner="b", title="Classes",
        header=("Établissement", "Thème", "Classes"),
        rows=((OutCell("Collège A"), OutCell("Le numérique, tél. 0612345678"), OutCell(3)),
              (OutCell("Écrire", link="mailto:m.dupont@exemple.fr"), OutCell(None),
               OutCell("Voir", link="'Réponses'!K7"))),
    )
    masked = mask_tab(tab)
    assert masked.rows[0][1].value == f"Le numérique, tél. {MASK}"
    assert masked.rows[0][2] == OutCell(3)
    assert masked.rows[1][0] == OutCell("Écrire")
    assert masked.rows[1][2].link == "'Réponses'!K7"
    assert mask_tab(masked) == masked


_PHONE_DIGITS = re.compile(r"\d(?:[\s.\-()]*\d){7,}")

_local = st.from_regex(r"[a-z][a-z0-9._]{0,10}[a-z0-9]", fullmatch=True)
_domain = st.from_regex(r"[a-z][a-z0-9\-]{0,8}[a-z0-9]\.(fr|com|org|eu)", fullmatch=True)
_emails = st.builds(lambda local, domain: f"{local}@{domain}", _local, _domain)
_sep = st.sampled_from(["", " ", ".", "-"])
_french = st.builds(
    lambda prefix, first, pairs, sep: prefix + first + "".join(sep + p for p in pairs),
    st.sampled_from(["0", "+33 ", "+33", "0033 ", "+33 (0)"]),
    st.sampled_from("123456789"),
    st.lists(st.from_regex(r"[0-9]{2}", fullmatch=True), min_size=4, max_size=4),
    _sep,
)
_contacts = st.one_of(_emails, _french, st.sampled_from(PHONES + EMAILS))
_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(before=_words, contact=_contacts, after=_words)
def test_a_contact_embedded_anywhere_never_survives_masking(before: str, contact: str,
                                                           after: str) -> None:
    """Separated by a space from what surrounds it, any contact is masked, whatever the rest."""
    masked = mask(f"{before} {contact} {after}")
    assert find_contacts(masked) == []
    assert contact not in masked
    if "@" in contact:
        assert "@" not in mask(contact)
    else:
        assert not _PHONE_DIGITS.search(mask(contact))


_plain = st.text(st.characters(codec="utf-8", exclude_characters="@0123456789+",
                               exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=300, deadline=None)
@given(text=_plain, numbers=st.lists(st.integers(0, 99999), max_size=4))
def test_text_without_contacts_is_unchanged(text: str, numbers: list[int]) -> None:
    """Words and short numbers (counts, years, postcodes) are left exactly as typed."""
    assume("at" not in text.lower() and "arobase" not in text.lower())
    sample = " ".join([text, *(f"{n} élèves" for n in numbers)])
    assert find_contacts(sample) == []
    assert mask(sample) == sample
