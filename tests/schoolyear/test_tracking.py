"""Issue #17 item 5: « Suivi de l'année » read and checked like the answers — every row
normalised, every problem an issue with a stable code, the A1 cell and a French message —
and the rows `suivi --preparer` adds for new classes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells.grid import CellError, CellValue, Grid
from sheets_sync.form import messages
from sheets_sync.form.findings import Report
from sheets_sync.schoolyear.tracking import (
    FIELDS,
    HEADER,
    FollowUp,
    Tracked,
    placed,
    production_types,
    read_follow_up,
    rows_to_add,
)

TAB = "Suivi de l'année"
KINDS = ("lancement", "immersion", "restitution")
CLASSES = {
    "tisserands-4e1": ("Collège Les Tisserands", "4ème n°1"),
    "tisserands-4e2": ("Collège Les Tisserands", "4ème n°2"),
    "tisserands-3e1": ("Collège Les Tisserands", "3ème n°1"),
    "baudelaire-3e1": ("Collège Charles Baudelaire", "3ème n°1"),
    "baudelaire-3e10": ("Collège Charles Baudelaire", "3ème n°10"),
}


def grid(*rows: tuple[CellValue, ...], header: tuple[str, ...] = HEADER,
         above: tuple[tuple[CellValue, ...], ...] = (), tab: str = TAB) -> Grid:
    return Grid(tab, (*above, header, *rows), sheet=tab)


def read(g: Grid, kinds: tuple[str, ...] = KINDS) -> FollowUp:
    return read_follow_up([Grid("Réponses", (("x",),), sheet="Réponses"), g], TAB, kinds,
                          CLASSES)


def flat(follow: FollowUp, keys: tuple[str, ...] = ("cell", "code")) -> list[list[object]]:
    return Report(list(follow.issues)).flatten(keys)


# Établissement, Classe, Identifiant, Type, Intitulé, État, Date, Lien, Commentaire — as
# coordinators and principals type them: accents dropped, capitals, feminine and plural
# states, dates as dates or text, links with or without the scheme, rows left blank.
TYPED: tuple[tuple[CellValue, ...], ...] = (
    ("Collège Les Tisserands", "4ème n°1", "tisserands-4e1", "lancement", "", "Tenu",
     dt.datetime(2026, 10, 12), None, "Salle polyvalente"),
    ("Collège Les Tisserands", "4ème n°1", "tisserands-4e1", "Immersion", "", "confirmée",
     "12/01/2027", None, None),
    ("Collège Les Tisserands", "4ème n°1", "tisserands-4e1", "restitution", "", "à venir",
     None, None, None),
    ("Collège Les Tisserands", "4ème n°1", "tisserands-4e1", "Fiche métier", "Soudeuse",
     "publié", "3 mars 2027", "https://cite-educative.example/fiches/soudeuse", None),
    ("Collège Les Tisserands", "4ème n°1", "tisserands-4e1", "fiches métiers", "Infirmier",
     "En cours", None, None, "relire avec la prof de SVT"),
    (None, None, None, None, None, None, None, None, None),  # row 7: blank, skipped
    ("Collège Les Tisserands", "4ème n°2", "TISSERANDS-4E2", "LANCEMENT", None, "tenue",
     "13/10/2026", None, None),
    ("Collège Les Tisserands", "4ème n°2", "tisserands-4e2", "portrait", "Mme Diallo, "
     "cheffe de chantier", "remis", 46451, None, None),  # an Excel serial
    ("Collège Les Tisserands", "4ème n°2", "tisserands-4e2", "Web TV", "", "a venir", None,
     "www.webtv-roubaix.example", None),  # row 10: link without http(s)
    ("Collège Les Tisserands", "4e2", "", "exposition", "Les métiers du textile", "publiee",
     "2027-05-20", "http://expo.example", None),  # row 11: no identifier, label as typed
    ("Collège Les Tisserands", "3ème n°1", "tisserands-3e1", "lancement", "", "confirmé",
     None, None, None),  # row 12: confirmed without a date (warning)
    ("Collège Les Tisserands", "3ème n°1", "tisserands-3e1", "lancement", "", "tenu",
     "14/10/2026", None, "en double"),  # row 13: the same temps fort twice (warning)
    ("Collège Les Tisserands", "3ème n°1", "tisserands-3e1", "visite", "", "à venir",
     None, None, None),  # row 14: unknown type
    ("Collège Les Tisserands", "3ème n°1", "tisserands-3e1", "immersion", "", "publiée",
     None, None, None),  # row 15: a production's state on a temps fort
    ("Collège Les Tisserands", "3ème n°1", "tisserands-3e1", "portrait", "", "tenu", None,
     None, None),  # row 16: a temps fort's state on a production
    ("Collège Les Tisserands", "3ème n°1", "tisserands-3e1", "restitution", "", "tenu",
     "31/02/2027", None, None),  # row 17: no such day
    ("Collège Charles Baudelaire", "3ème n°1", "baudelaire-3e1", "lancement", "", "annulée",
     None, None, "grève"),
    ("Collège Charles Baudelaire", "3ème n°1", "baudelaire-3e5", "lancement", "", "tenu",
     "15/10/2026", None, None),  # row 19: unknown identifier
    ("Collège Victor Hugo", "4ème n°1", None, "lancement", "", "à venir", None, None,
     None),  # row 20: no identifier, and no such class
    (None, None, None, "lancement", None, "à venir", None, None, "à compléter"),  # row 21
    ("Collège Charles Baudelaire", "3ème n°10", "baudelaire-3e10", None, "", "à venir",
     None, None, None),  # row 22: no type
    ("Collège Charles Baudelaire", "3ème n°10", "baudelaire-3e10", "autre", "Podcast",
     "en cours", CellError("#REF!"), "https://podcast.example/ep1", None),  # row 23
    ("Collège Charles Baudelaire", "3ème n°10", "baudelaire-3e10", "Restitution", "",
     "Tenu", dt.date(2027, 6, 3), "mailto:cpe@college.example", None),  # row 24
)


def test_rows_as_people_type_them_are_normalised_and_checked() -> None:
    follow = read(grid(*TYPED))
    assert follow.found and follow.header_row == 1
    assert flat(follow) == [
        ["H10", "suivi-lien-invalide"],
        ["G12", "suivi-date-manquante"],
        ["D13", "suivi-doublon"],
        ["D14", "suivi-type-inconnu"],
        ["F15", "suivi-etat-invalide"],
        ["F16", "suivi-etat-invalide"],
        ["G17", "suivi-date-invalide"],
        ["C19", "suivi-identifiant-inconnu"],
        ["B20", "suivi-classe-inconnue"],
        ["C21", "suivi-classe-absente"],
        ["D22", "suivi-type-absent"],
        ["G23", "suivi-date-invalide"],
        ["H24", "suivi-lien-invalide"],
    ]
    shown = [(r.row, r.class_id, r.kind, r.is_event, r.state, r.day) for r in follow.rows]
    assert shown == [
        (2, "tisserands-4e1", "lancement", True, "tenu", dt.date(2026, 10, 12)),
        (3, "tisserands-4e1", "immersion", True, "confirmé", dt.date(2027, 1, 12)),
        (4, "tisserands-4e1", "restitution", True, "à venir", None),
        (5, "tisserands-4e1", "fiche métier", False, "publiée", dt.date(2027, 3, 3)),
        (6, "tisserands-4e1", "fiche métier", False, "en cours", None),
        (8, "tisserands-4e2", "lancement", True, "tenu", dt.date(2026, 10, 13)),
        (9, "tisserands-4e2", "portrait", False, "remise", dt.date(2027, 3, 5)),
        (10, "tisserands-4e2", "web TV", False, "à venir", None),
        (11, "tisserands-4e2", "exposition", False, "publiée", dt.date(2027, 5, 20)),
        (12, "tisserands-3e1", "lancement", True, "confirmé", None),
        (15, "tisserands-3e1", "immersion", True, "à venir", None),
        (16, "tisserands-3e1", "portrait", False, "à venir", None),
        (17, "tisserands-3e1", "restitution", True, "tenu", None),
        (18, "baudelaire-3e1", "lancement", True, "annulé", None),
        (23, "baudelaire-3e10", "autre", False, "en cours", None),
        (24, "baudelaire-3e10", "restitution", True, "tenu", dt.date(2027, 6, 3)),
    ]
    first = follow.rows[3]
    assert (first.school, first.class_label, first.title, first.link) == (
        "Collège Les Tisserands", "4ème n°1", "Soudeuse",
        "https://cite-educative.example/fiches/soudeuse")
    assert follow.rows[4].comment == "relire avec la prof de SVT"
    assert follow.rows[7].link is None  # « www… » is reported, not kept
    # what the planner and the year review take from it
    assert follow.confirmed_days() == {
        ("tisserands-4e1", "lancement"): dt.date(2026, 10, 12),
        ("tisserands-4e1", "immersion"): dt.date(2027, 1, 12),
        ("tisserands-4e2", "lancement"): dt.date(2026, 10, 13),
        ("baudelaire-3e10", "restitution"): dt.date(2027, 6, 3),
    }
    assert ("tisserands-3e1", "restitution") in follow.held()
    assert len(follow.productions()) == 7
    # a class named by a dropped row still counts as present for the preparer
    assert follow.class_ids == {"tisserands-4e1", "tisserands-4e2", "tisserands-3e1",
                                "baudelaire-3e1", "baudelaire-3e10"}


def test_messages_are_french_and_name_what_was_typed() -> None:
    issues = read(grid(*TYPED)).issues
    by_code = {i.code: i for i in issues}
    assert by_code["suivi-type-inconnu"].message == (
        "Ligne 14 : « visite » n'est ni un temps fort ni un type de production ; la ligne est "
        "ignorée. Choisissez parmi : lancement, immersion, restitution, fiche métier, "
        "portrait, web TV, exposition, autre.")
    assert by_code["suivi-doublon"].message == (
        "Ligne 13 : « lancement » figure déjà pour la classe 3ème n°1 de Collège Les "
        "Tisserands (ligne 12) ; seule la première ligne compte.")
    wrong_state = [i.message for i in issues if i.code == "suivi-etat-invalide"]
    assert wrong_state == [
        "Ligne 15 : « publiée » n'est pas un état possible pour « immersion » ; il est lu "
        "« à venir ». Choisissez parmi : à venir, confirmé, tenu, annulé.",
        "Ligne 16 : « tenu » n'est pas un état possible pour « portrait » ; il est lu "
        "« à venir ». Choisissez parmi : à venir, en cours, remise, publiée."]
    assert [i.value for i in issues if i.code == "suivi-date-invalide"] == ["31/02/2027",
                                                                            "#REF!"]
    for issue in by_code.values():
        assert issue.tab == TAB and issue.row is not None
        assert "{" not in issue.message
    severities = {c: messages.severity_of(c) for c in by_code}
    assert {c for c, s in severities.items() if s == messages.WARNING} == {
        "suivi-date-manquante", "suivi-doublon", "suivi-lien-invalide"}


def test_every_suivi_code_is_in_the_catalogue_and_renders() -> None:
    codes = [c for c in messages.MESSAGES if c.startswith("suivi-")]
    assert len(codes) == 16
    for code in codes:
        text = messages.render(code, label="Date", cell="G2", tab=TAB, value="x", line=2,
                               columns="A", choices="a", kind="lancement", state="tenu",
                               other=1, label_class="4ème n°1", school="Collège X",
                               start="01/09/2026", end="02/09/2026", reason="Toussaint",
                               other_kind="immersion", half="matin", who="la classe")
        assert "{" not in text and text.endswith((".", ")"))


def test_header_anywhere_in_any_order_with_other_spellings() -> None:
    header = ("Commentaires", "Statut", "Type", "Collège", "Niveau et classe", "N°",
              "identifiant  de la classe", "DATE", "url")
    row = ("ok", "tenue", "lancement", "x", "x", 3, "tisserands-4e1", "12/10/2026",
           "https://a.example")
    follow = read(grid(row, header=header, above=(("Suivi des classes 2026-2027",), ())))
    assert not follow.issues and follow.header_row == 3
    assert dict(follow.columns) == {"commentaire": 1, "etat": 2, "type": 3,
                                    "etablissement": 4, "classe": 5, "identifiant": 7,
                                    "date": 8, "lien": 9}
    (tracked,) = follow.rows
    assert (tracked.row, tracked.state, tracked.day, tracked.comment) == (
        4, "tenu", dt.date(2026, 10, 12), "ok")


def test_the_header_repeated_lower_down_is_not_a_row() -> None:
    follow = read(grid(TYPED[0], HEADER, TYPED[1]))
    assert not follow.issues and [r.row for r in follow.rows] == [2, 4]


def test_the_tab_is_found_whatever_its_case_and_accents() -> None:
    follow = read(grid(TYPED[0], tab="SUIVI DE L'ANNEE"))
    assert follow.found and follow.sheet == "SUIVI DE L'ANNEE" and len(follow.rows) == 1


def test_absent_tab_empty_tab_no_header_missing_column() -> None:
    assert read_follow_up([], TAB, KINDS, CLASSES) == FollowUp()
    empty = read(Grid(TAB, ((None, None), (None,)), sheet=TAB))
    assert empty.found and empty.readable and not empty.issues and not empty.header_row
    no_header = read(Grid(TAB, (("notes de la réunion",), ("à voir",)), sheet=TAB))
    assert flat(no_header) == [["A1", "suivi-entete-absent"]] and not no_header.readable
    no_type = read(grid(("a", "b", "tisserands-4e1"), header=HEADER[:3]))
    assert flat(no_type, ("cell", "code", "field")) == [["A1", "suivi-colonne-absente", "type"]]
    assert not no_type.readable and no_type.header_row == 1
    no_class = read(grid(("lancement", "tenu", "x"), header=("Type", "État", "Date")))
    assert flat(no_class, ("code", "field")) == [["suivi-colonne-absente", "identifiant"]]


def test_class_found_by_school_and_label_when_no_identifier_column() -> None:
    follow = read(grid(("Collège les tisserands", "4E N°2", "portrait", "Remise"),
                       header=("Établissement", "Classe", "Type", "État")))
    assert not follow.issues
    assert [(r.class_id, r.class_label, r.state) for r in follow.rows] == [
        ("tisserands-4e2", "4ème n°2", "remise")]


def test_a_temps_fort_named_like_a_production_is_the_temps_fort() -> None:
    follow = read(grid(("", "", "tisserands-4e1", "Exposition", "", "tenu", "1/6/2027")),
                  kinds=("exposition",))
    assert not follow.issues and follow.rows[0].is_event and follow.rows[0].state == "tenu"


def test_productions_may_repeat_temps_forts_may_not() -> None:
    rows = [("", "", "tisserands-4e1", t, "", "", None) for t in
            ("portrait", "portrait", "lancement", "Lancement")]
    follow = read(grid(*rows))
    assert flat(follow) == [["D5", "suivi-doublon"]] and len(follow.rows) == 3


# --- rows to add -------------------------------------------------------------------------------

NEW = [("tisserands-4e1", "Collège Les Tisserands", "4ème n°1"),
       ("baudelaire-3e10", "Collège Charles Baudelaire", "3ème n°10"),
       ("baudelaire-3e2", "Collège Charles Baudelaire", "3ème n°2"),
       ("avelghem-4e1", "Collège d'Avelghem", "4ème n°1")]


def test_rows_to_add_one_per_temps_fort_then_production_ordered() -> None:
    rows = rows_to_add(NEW, FollowUp(), ("lancement", "restitution"), ("fiche métier",))
    assert [(r[2], r[3]) for r in rows] == [
        ("baudelaire-3e2", "lancement"), ("baudelaire-3e2", "restitution"),
        ("baudelaire-3e2", "fiche métier"),
        ("baudelaire-3e10", "lancement"), ("baudelaire-3e10", "restitution"),
        ("baudelaire-3e10", "fiche métier"),
        ("avelghem-4e1", "lancement"), ("avelghem-4e1", "restitution"),
        ("avelghem-4e1", "fiche métier"),
        ("tisserands-4e1", "lancement"), ("tisserands-4e1", "restitution"),
        ("tisserands-4e1", "fiche métier"),
    ]
    assert rows[6] == ("Collège d'Avelghem", "4ème n°1", "avelghem-4e1", "lancement", "",
                       "à venir", "", "", "")
    assert all(len(r) == len(FIELDS) for r in rows)


def test_a_class_present_gets_nothing_even_with_rows_deleted() -> None:
    """tisserands-4e1 kept only its « lancement » row (people deleted the others): the
    preparer does not put them back."""
    follow = read(grid(TYPED[0]))
    rows = rows_to_add(NEW, follow, KINDS, ("fiche métier", "portrait"))
    assert "tisserands-4e1" not in {r[2] for r in rows}
    assert len(rows) == 3 * 5


def test_placed_follows_the_tab_columns() -> None:
    header = ("Type", "Identifiant", "État", "Établissement", "Classe")
    follow = read(grid(header=header))
    (row,) = placed(rows_to_add(NEW[:1], follow, ("lancement",), ()), follow.columns)
    assert row == {1: "lancement", 2: "tisserands-4e1", 3: "à venir",
                   4: "Collège Les Tisserands", 5: "4ème n°1"}
    (fresh,) = placed(rows_to_add(NEW[:1], FollowUp(), ("lancement",), ()), ())
    assert fresh == {1: "Collège Les Tisserands", 2: "4ème n°1", 3: "tisserands-4e1",
                     4: "lancement", 6: "à venir"}


def test_production_types_of_config_are_spelled_as_the_list() -> None:
    assert production_types(("Fiches métiers", "WebTV", "portrait", "podcast")) == (
        ("fiche métier", "web TV", "portrait"), ("podcast",))


# --- properties -----------------------------------------------------------------------------

CELL = st.one_of(
    st.none(), st.text(max_size=30), st.integers(-10**6, 10**7),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(), st.sampled_from(["tenu", "Tenue", "lancement", "portrait", "tisserands-4e1",
                                 "12/10/2026", "https://x.example", "Type", "État"]),
    st.builds(CellError, st.sampled_from(["#N/A", "#REF!"])),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELL, min_size=0, max_size=10), max_size=12), st.booleans())
def test_any_content_never_crashes_and_every_issue_has_a_cell(
        rows: list[list[CellValue]], with_header: bool) -> None:
    body = tuple(tuple(r) for r in rows)
    g = Grid(TAB, ((HEADER,) if with_header else ()) + body, sheet=TAB)
    follow = read(g)
    for issue in follow.issues:
        assert issue.cell and issue.code in messages.MESSAGES
        assert "{" not in issue.message.replace(issue.value or "", "")  # every field filled
    for tracked in follow.rows:
        assert isinstance(tracked, Tracked) and tracked.class_id in CLASSES
        assert tracked.kind in (*KINDS, "fiche métier", "portrait", "web TV", "exposition",
                                "autre")
        assert tracked.link is None or tracked.link.startswith(("http://", "https://"))
    events = [(r.class_id, r.kind) for r in follow.rows if r.is_event]
    assert len(events) == len(set(events))


@settings(max_examples=100, deadline=None)
@given(st.permutations(NEW), st.sets(st.sampled_from([c for c, _, _ in NEW])))
def test_rows_to_add_do_not_depend_on_class_order(
        classes: list[tuple[str, str, str]], present: set[str]) -> None:
    follow = FollowUp(found=True, class_ids=frozenset(present))
    rows = rows_to_add(classes, follow, KINDS, ("portrait",))
    assert rows == rows_to_add(NEW, follow, KINDS, ("portrait",))
    assert {r[2] for r in rows} == {c for c, _, _ in NEW} - present
    assert len(rows) == 4 * len({c for c, _, _ in NEW} - present)


@pytest.mark.parametrize(("typed", "state"), [
    ("Tenu", "tenu"), ("tenue", "tenu"), ("TENUS", "tenu"), ("réalisé", "tenu"),
    ("Confirmée", "confirmé"), ("annulées", "annulé"), ("A venir", "à venir"),
    ("prévu", "à venir"),
])
def test_event_states_as_typed(typed: str, state: str) -> None:
    follow = read(grid(("", "", "tisserands-4e1", "lancement", "", typed, "12/10/2026")))
    assert not follow.issues and follow.rows[0].state == state


@pytest.mark.parametrize(("typed", "state"), [
    ("publié", "publiée"), ("Publiées", "publiée"), ("remis", "remise"),
    ("EN COURS", "en cours"), ("à venir", "à venir"), ("en ligne", "publiée"),
])
def test_production_states_as_typed(typed: str, state: str) -> None:
    follow = read(grid(("", "", "tisserands-4e1", "portrait", "", typed)))
    assert not follow.issues and follow.rows[0].state == state
