from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.ambassadors.roster import ambassador_id, gender, read_roster
from sheets_sync.cells.grid import Grid

DATA = Path(__file__).resolve().parents[1] / "data" / "roster"
HEADER = ("Prénom", "NOM", "Genre", "Métier", "Code ROME", "Secteur", "Entreprise ou structure",
          "Commune", "Disponibilités", "Nombre de classes maximum",
          "Thèmes ou disciplines d'intérêt", "Courriel", "Téléphone",
          "Accepte d'apparaître nommément sur les tableaux des partenaires")


def roster(*rows: tuple[object, ...], header: tuple[str, ...] = HEADER) -> Grid:
    return Grid("Ambassadeurs", (header, *rows), sheet="Ambassadeurs")  # type: ignore[arg-type]


NADIA = ("Nadia", "BENALI", "Mme", "Data analyste", "m1403", "Numérique", "Ent. A", "Roubaix",
         "toute l'année", 2, "numérique", "nadia@example.org", "06 00 00 00 01", "Oui")


def test_a_clean_row() -> None:
    (member,), issues = read_roster([roster(NADIA)], "Ambassadeurs")
    assert issues == []
    a = member.ambassador
    assert (a.gender, a.rome_code, a.capacity, a.local, a.available) == ("F", "M1403", 2, True,
                                                                         True)
    assert member.consent and member.public_name() == "Nadia BENALI"
    assert a.id == ambassador_id("Nadia", "BENALI", "nadia@example.org")


def test_problems_by_code_and_cell() -> None:
    bad = ("Karim", "ROUSSEL", "peut-être", "Soudeur", "12345", "Industrie", None, "Lille",
           "indisponible", 0, None, "pas-une-adresse", None, "bof")
    (member,), issues = read_roster([roster(bad)], "Ambassadeurs")
    assert [(i.cell, i.code) for i in issues] == [
        ("L2", "courriel-invalide"), ("C2", "genre-invalide"),
        ("E2", "code-rome-invalide"), ("N2", "oui-non-invalide")]
    a = member.ambassador
    assert (a.gender, a.rome_code, a.capacity, a.available, a.local) == (None, None, 0, False,
                                                                         False)
    assert member.public_name() == "Soudeur (Industrie)"  # no consent: job and sector only


def test_duplicates_by_name_and_email_and_explicit_ids() -> None:
    header = (*HEADER, "Identifiant")
    rows = ((*NADIA, "A-001"), (*NADIA, "A-002"), (*NADIA[:11], "autre@example.org",
                                                   *NADIA[12:], "A-003"))
    members, issues = read_roster([roster(*rows, header=header)], "Ambassadeurs")
    assert [m.ambassador.id for m in members] == ["A-001", "A-003"]
    assert [(i.cell, i.code) for i in issues] == [("B3", "ambassadeur-en-double")]


def test_gender_forms() -> None:
    for typed, expected in (("F", "F"), ("femme", "F"), ("Madame", "F"), ("H", "H"),
                            ("M.", "H"), ("Monsieur", "H"), ("non renseigné", None), (None, None)):
        assert gender(typed) == (expected, True), typed
    assert gender("X") == (None, False)


def test_roster_tab_deleted() -> None:
    """Asking for a roster tab that is gone means the campaign had one: a warning, no one."""
    members, issues = read_roster([Grid("Réponses", (("x",),))], "Ambassadeurs")
    assert members == []
    assert [(i.code, i.severity, i.tab) for i in issues] == [
        ("onglet-ambassadeurs-absent", "avertissement", "Ambassadeurs")]


def test_roster_column_missing() -> None:
    """No « Genre » nor « Nombre de classes maximum »: one warning each, on the header row."""
    drop = {"Genre", "Nombre de classes maximum"}
    header = tuple(h for h in HEADER if h not in drop)
    row = tuple(v for h, v in zip(HEADER, NADIA, strict=True) if h not in drop)
    members, issues = read_roster([roster(row, header=header)], "Ambassadeurs")
    assert [(i.code, i.field, i.cell) for i in issues] == [
        ("colonne-absente", "genre", "A1:L1"), ("colonne-absente", "capacite", "A1:L1")]
    (member,) = members
    assert (member.ambassador.gender, member.ambassador.capacity) == (None, 1)


NOTE = "Collège Rosa Parks : notre réponse complète est ligne 5…"


def test_note_typed_in_roster() -> None:
    """A note typed in the tab (Google Sheets) is one error on its first cell, not a person."""
    rows = (NADIA, (NOTE,), (None, None, None, None, None, None, None, None, None, None, NOTE))
    members, issues = read_roster([roster(*rows)], "Ambassadeurs")
    assert [m.name for m in members] == ["Nadia BENALI"]
    assert [(i.code, i.cell, i.row) for i in issues] == [("ambassadeur-invalide", "A3", 3),
                                                         ("ambassadeur-invalide", "A4", 4)]
    assert issues[0].severity == "erreur"
    assert "note" in issues[0].message and "A3" in issues[0].message


def test_note_typed_in_roster_fixture() -> None:
    """The same case as a workbook, read as a principal's file would be."""
    from sheets_sync.backends import excel

    grids = excel.read_workbook(DATA / "note-typed-in-roster.xlsx").grids
    members, issues = read_roster(grids, "Ambassadeurs")
    assert [m.name for m in members] == ["Nadia BENALI", "Karim ROUSSEL"]
    assert [(i.code, i.cell) for i in issues] == [("ambassadeur-invalide", "A3")]


@pytest.mark.parametrize(("row", "reason"), [
    (("", "", "F", "Data analyste"), "ni prénom ni nom"),
    (("Nadia", "", "F", "Data analyste"), "nom manquant"),
    (("Nadia", "BENALI", "F", ""), "métier manquant"),
    (("Nadia 2", "BENALI", "F", "Data analyste"), "note"),
    (("Voir", "la ligne du dessous pour tous les autres détails", "F", "x"), "note"),
])
def test_rows_that_are_not_people(row: tuple[object, ...], reason: str) -> None:
    members, issues = read_roster([roster(row)], "Ambassadeurs")
    assert members == []
    assert [(i.code, i.cell) for i in issues] == [("ambassadeur-invalide", "A2")]
    assert reason in issues[0].message


def test_missing_gender_alone_is_a_person() -> None:
    row = ("Nadia", "BENALI", None, "Data analyste", None, "Numérique")
    (member,), issues = read_roster([roster(row)], "Ambassadeurs")
    assert member.ambassador.gender is None and issues == []


def test_empty_roster_tab_is_no_ambassador_and_no_warning() -> None:
    assert read_roster([Grid("Ambassadeurs", (), sheet="Ambassadeurs")], "Ambassadeurs") == (
        [], [])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=60)),
                          st.one_of(st.none(), st.text(max_size=30)),
                          st.sampled_from(["F", "H", None, "?"]),
                          st.one_of(st.none(), st.text(max_size=20))), max_size=6))
def test_any_row_is_a_person_or_one_error(rows: list[tuple[object, ...]]) -> None:
    """Whatever is typed, reading never raises; each row is a member, or is reported."""
    members, issues = read_roster([roster(*rows)], "Ambassadeurs")
    invalid = [i for i in issues if i.code == "ambassadeur-invalide"]
    assert len({i.row for i in invalid}) == len(invalid)
    assert not {m.row for m in members} & {i.row for i in invalid}
    for m in members:
        assert m.last_name and m.ambassador.job and ":" not in m.name


def test_capacity_zero_is_not_available_this_year() -> None:
    """Issue #14: « Nombre de classes maximum » 0 was refused (« attend un nombre entier
    positif ou nul ») then read as 1. It means « not available this year »: no issue, kept,
    capacity 0, never matched."""
    from sheets_sync.ambassadors.matching import ClassUnit, MatchSettings, match

    words = (0, "0", "zéro", "aucune", 0.0)
    rows = [("Nadia" + "abcde"[i], *NADIA[1:9], w, *NADIA[10:11], f"n{i}@example.org",
             *NADIA[12:])
            for i, w in enumerate(words)]
    members, issues = read_roster([roster(*rows)], "Ambassadeurs")
    assert issues == []
    assert [(m.ambassador.capacity, m.ambassador.away) for m in members] == [(0, True)] * 5
    member = members[0]
    klass = ClassUnit("c-4e1", "c", "4e", frozenset({"numérique"}))
    assert match([klass], [member.ambassador], MatchSettings()).pairings == ()


def test_blank_capacity_is_still_one_class() -> None:
    blank = (*NADIA[:9], None, *NADIA[10:])
    (member,), issues = read_roster([roster(blank)], "Ambassadeurs")
    assert issues == [] and (member.ambassador.capacity, member.ambassador.away) == (1, False)


def test_anonymous_ambassadors_sharing_a_job_are_told_apart() -> None:
    """Found in the demo: three « Logisticienne (Transport et logistique) » (issue #15)."""
    from dataclasses import replace

    from sheets_sync.ambassadors.roster import public_names

    (nadia,), _ = read_roster([roster(NADIA)], "Ambassadeurs")
    anonymous = replace(nadia, consent=False)
    members = [replace(anonymous, ambassador=replace(nadia.ambassador, id=f"a{n}"), row=10 - n)
               for n in range(3)] + [replace(nadia, ambassador=replace(nadia.ambassador, id="b"))]
    shown = public_names(members)
    job = nadia.public_name() if not nadia.consent else anonymous.public_name()
    assert shown == {"a2": f"{job} n°1", "a1": f"{job} n°2", "a0": f"{job} n°3",
                     "b": "Nadia BENALI"}  # numbered in roster order; a consenting name kept
    alone = public_names([anonymous])
    assert alone == {nadia.ambassador.id: job}  # no number when nobody shares the label
