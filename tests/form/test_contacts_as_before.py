"""Finding and masking contacts, made lean for issue #16, finds and masks what it did.

`find_contacts` now runs only the patterns that can match (an « @ », an « at », eight
digits) and `mask_tab` remembers each different text: the reference below is the previous
`find_contacts`, and hypothesis looks for a text where the two disagree.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells.grid import GeneratedTab, OutCell
from sheets_sync.form.contacts import (
    _EMAIL,
    _FRENCH,
    _INTERNATIONAL,
    _MAYBE,
    _OBFUSCATED,
    EMAIL,
    MASK,
    PHONE,
    Found,
    find_contacts,
    mask,
    mask_tab,
)


def reference_find_contacts(text: str) -> list[Found]:
    """find_contacts as it was: every pattern on every text with a digit, « @ » or « at »."""
    spans: list[Found] = []
    if not _MAYBE.search(text):
        return spans
    for kind, pattern in ((EMAIL, _EMAIL), (EMAIL, _OBFUSCATED), (PHONE, _FRENCH),
                          (PHONE, _INTERNATIONAL)):
        for m in pattern.finditer(text):
            if kind == PHONE and not 8 <= sum(ch.isdigit() for ch in m.group()) <= 15:
                continue
            if not any(f.start < m.end() and m.start() < f.end for f in spans):
                spans.append(Found(kind, m.start(), m.end()))
    return sorted(spans, key=lambda f: f.start)


# What the patterns look at: digits (ASCII and others), separators, « @ », « at », words.
_PIECES = st.sampled_from(["0", "6", "12", "34", "+33", "0033", "(0)", " ", ".", "-", "@",
                           "at", " at ", "[at]", "(arobase)", "AT", "exemple", ".fr", "m.dupont",
                           "٣", "²", "\n", "Collège", "03/06/2022", "59100", "0590001A"])
TEXTS = st.lists(_PIECES, max_size=16).map("".join) | st.text(max_size=40)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_find_contacts_as_before(text: str) -> None:
    assert find_contacts(text) == reference_find_contacts(text)


def test_seven_digits_are_no_phone_and_eight_may_be() -> None:
    assert find_contacts("+33 1 23 45") == reference_find_contacts("+33 1 23 45") == []
    assert [f.kind for f in find_contacts("appeler le +4412345678")] == [PHONE]
    assert [f.kind for f in find_contacts("06 12 34 56 78 ou m.dupont@exemple.fr")] == [
        PHONE, EMAIL]
    assert [f.kind for f in find_contacts("m.dupont [at] exemple.fr")] == [EMAIL]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(TEXTS, max_size=4), max_size=6))
def test_a_masked_tab_masks_each_cell_as_mask_does(texts: list[list[str]]) -> None:
    rows = tuple(tuple(OutCell(t, None, "mailto:x@y.fr" if i == 1 else None)
                       for i, t in enumerate(row)) for row in texts)
    tab = GeneratedTab("Onglet", "Généré par sheets-sync", "Titre", (), rows)
    masked = mask_tab(tab)
    assert [[c.value for c in row] for row in masked.rows] == [[mask(t) for t in row]
                                                                for row in texts]
    assert all(c.link is None for row in masked.rows for c in row)
    # twice: the second time from memory, the same cells
    assert mask_tab(tab) == masked


def test_an_unchanged_cell_is_kept_as_it_is() -> None:
    cell = OutCell("Data analyste", "wrap")
    tab = GeneratedTab("Onglet", "Généré par sheets-sync", "Titre", (), ((cell,),))
    assert mask_tab(tab).rows[0][0] is cell
    phone = OutCell("tél. 06 12 34 56 78")
    assert mask_tab(GeneratedTab("O", "B", "T", (), ((phone,),))).rows[0][0].value == \
        f"tél. {MASK}"
