"""Issue #17: the roster's « Disponibilités » column is read (schoolyear.parse_availability)
and what cannot be read is a warning on its cell — never a dropped ambassador."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.ambassadors.roster import read_roster
from sheets_sync.form.messages import MESSAGES, WARNING
from sheets_sync.schoolyear import Availability

from .test_roster import NADIA, roster


def with_availability(text: object, first: str = "Nadia") -> tuple[object, ...]:
    return (first, *NADIA[1:8], text, *NADIA[9:])


def test_readable_availability_is_kept_on_the_member() -> None:
    (member,), issues = read_roster([roster(with_availability("mardi après-midi"))],
                                    "Ambassadeurs")
    assert issues == []
    assert member.availability.slots == frozenset({(1, True)})


def test_blank_availability_constrains_nothing() -> None:
    (member,), issues = read_roster([roster(with_availability(None))], "Ambassadeurs")
    assert issues == [] and member.availability == Availability()


def test_unreadable_availability_is_a_warning_on_its_cell() -> None:
    rows = [with_availability("quand la lune est pleine", "Nadia"),
            with_availability("mardi après-midi, xyzzy", "Nadib"),
            with_availability("samedi", "Nadic")]
    rows = [(*r[:11], f"{r[0]}@example.org", *r[12:]) for r in rows]
    members, issues = read_roster([roster(*rows)], "Ambassadeurs")
    assert len(members) == 3  # never dropped
    assert [(i.cell, i.code, i.severity) for i in issues] == [
        ("I2", "disponibilite-illisible", WARNING),
        ("I3", "disponibilite-partielle", WARNING),
        ("I4", "disponibilite-aucune-demi-journee", WARNING)]
    assert "« xyzzy »" in issues[1].message and "Disponibilités" in issues[1].message
    assert members[0].availability == Availability()  # unreadable: available everywhere
    assert members[1].availability.slots == frozenset({(1, True)})


def test_every_availability_code_has_a_message() -> None:
    from sheets_sync.schoolyear.availability import MESSAGES as CODES

    assert all(MESSAGES[code][0] == WARNING for code in CODES)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_availability_text_keeps_the_ambassador(text: str) -> None:
    members, issues = read_roster([roster(with_availability(text))], "Ambassadeurs")
    assert len(members) == 1
    assert all(i.code.startswith("disponibilite-") or i.code.endswith("-invalide")
               or i.code == "texte-tres-long" for i in issues)
