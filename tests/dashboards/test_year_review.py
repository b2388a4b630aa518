"""« Bilan de l'année » (issue #17, item 6): temps forts held against planned, productions,
ambassadors met, overall, per temps fort and per school. Years are built by hand: fictional
classes, events and « Suivi de l'année » rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.ambassadors.roster import Member
from sheets_sync.ambassadors.sponsoring import Classroom
from sheets_sync.cells.grid import GeneratedTab, OutCell
from sheets_sync.cells.layout import MAX_BARS, chart_cells, occupied_cells
from sheets_sync.dashboards.year_review import NOTHING_HELD, year_figures, year_review_tab
from sheets_sync.schoolyear.calendar import HalfDay
from sheets_sync.schoolyear.exports import Names
from sheets_sync.schoolyear.model import (
    CONFIRMED,
    PROPOSED,
    SCHOOL,
    Event,
    PairedClass,
    Plan,
    TempsFort,
    Unplaced,
)
from sheets_sync.schoolyear.tracking import (
    EVENT_STATES,
    PRODUCTION_STATES,
    PRODUCTION_TYPES,
    FollowUp,
    Tracked,
)
from sheets_sync.schoolyear.year import YearPlan

from .test_sponsorship_tabs import CONFIG, classroom, person, sponsorship

KINDS = (TempsFort("lancement", dt.date(2026, 9, 14), dt.date(2026, 10, 16)),
         TempsFort("immersion", dt.date(2026, 11, 2), dt.date(2027, 3, 26)),
         TempsFort("restitution", dt.date(2027, 4, 26), dt.date(2027, 6, 18)))
TODAY = dt.date(2027, 1, 1)

T4 = classroom("Collège des Tisserands", "4e", 1)
T3 = classroom("Collège des Tisserands", "3e", 1)
C4 = classroom("Collège du Canal", "4e", 1)
CLAIRE = person("a-claire", "Claire", "DUBOIS", "H", "Électricienne", "Bâtiment")
LOGI = person("b-logi", "Inès", "MARTIN", "F", "Logisticienne", "Logistique", consent=False)
NADIA = person("c-nadia", "Nadia", "BENALI", "F", "Data analyste", "Numérique")
KARIM = person("d-karim", "Karim", "ROUSSEL", "H", "Soudeur", "Industrie")
SACHA = person("e-sacha", "Sacha", "LEROY", None, "Avocat", "Droit")
MEMBERS = (CLAIRE, LOGI, NADIA, KARIM, SACHA)
PAIRS = ((T4, CLAIRE), (T4, LOGI), (T3, NADIA), (C4, KARIM), (C4, SACHA))


def ids(*members: Member) -> tuple[str, ...]:
    return tuple(m.ambassador.id for m in members)


def event(klass: Classroom, kind: str, day: dt.date, attendees: Sequence[Member],
          status: str = PROPOSED) -> Event:
    return Event(klass.unit.id, kind, (HalfDay(day, False),), ids(*attendees), SCHOOL,
                 "au collège", klass.unit.school, status)


def tracked(class_id: str, kind: str, state: str, *, row: int = 2) -> Tracked:
    return Tracked(row, "Collège", "4ème n°1", class_id, kind, kind not in PRODUCTION_TYPES,
                   title="Portrait de Nadia Benali", state=state, comment="nadia@example.org")


def paired(pairs: Sequence[tuple[Classroom, Member]]) -> tuple[PairedClass, ...]:
    by_class: dict[str, list[str]] = {}
    school: dict[str, str] = {}
    for klass, member in pairs:
        by_class.setdefault(klass.unit.id, []).append(member.ambassador.id)
        school[klass.unit.id] = klass.unit.school
    return tuple(PairedClass(c, school[c], tuple(a)) for c, a in by_class.items())


def names(classes: Sequence[Classroom]) -> Names:
    return Names(classes={c.unit.id: c.label for c in classes},
                 schools={c.unit.school: c.school.name or c.unit.school for c in classes})


def year_of(events: Sequence[Event], rows: Sequence[Tracked] = (),
            unplaced: Sequence[Unplaced] = (),
            pairs: Sequence[tuple[Classroom, Member]] = PAIRS) -> YearPlan:
    classes = list({k.unit.id: k for k, _ in pairs}.values())
    return YearPlan(Plan(list(events), list(unplaced)), paired(pairs), KINDS, names(classes),
                    TODAY, FollowUp(tuple(rows), found=True))


SPONSORSHIP = sponsorship([T4, T3, C4], MEMBERS, PAIRS)

YEAR = year_of(
    [event(T4, "lancement", dt.date(2026, 9, 22), (CLAIRE, LOGI)),
     event(T4, "immersion", dt.date(2026, 12, 1), (LOGI,)),
     event(T4, "restitution", dt.date(2027, 5, 4), (CLAIRE, LOGI)),
     event(T3, "lancement", dt.date(2026, 9, 24), (NADIA,)),
     event(T3, "immersion", dt.date(2026, 12, 3), (NADIA,)),
     event(C4, "lancement", dt.date(2027, 9, 29), (KARIM, SACHA), CONFIRMED),
     event(C4, "immersion", dt.date(2027, 1, 12), (KARIM,)),
     event(C4, "restitution", dt.date(2027, 5, 11), (KARIM, SACHA))],
    [tracked(T4.unit.id, "lancement", "tenu"),
     tracked(T4.unit.id, "immersion", "confirmé"),
     tracked(T3.unit.id, "lancement", "tenu"),
     tracked(T3.unit.id, "immersion", "annulé"),
     tracked("fantome-4e1", "lancement", "tenu"),  # no longer paired: not counted
     tracked(T4.unit.id, "fiche métier", "remise"),
     tracked(T4.unit.id, "portrait", "publiée"),
     tracked(T3.unit.id, "web TV", "en cours"),
     tracked(C4.unit.id, "fiche métier", "à venir"),
     tracked("fantome-4e1", "exposition", "publiée")],
    [Unplaced(T3.unit.id, "restitution", "Aucune demi-journée possible.")],
)


def block(tab: GeneratedTab, title: str) -> list[tuple[OutCell, ...]]:
    """The rows of the block under `title` (its header first; "" for the first block, whose
    header is the tab's), down to the first blank cell of its first column."""
    if not title:
        start, col, rows = 0, 0, [tuple(OutCell(h) for h in tab.header), *tab.rows]
    else:
        rows = list(tab.rows)
        start, col = next((r + 1, c) for r, row in enumerate(rows)
                          for c, cell in enumerate(row) if cell.value == title)
    out = []
    for row in rows[start:]:
        if len(row) <= col or row[col].value is None:
            break
        out.append(tuple(row[col:]))
    return out


def overall_of(tab: GeneratedTab) -> dict[object, object]:
    """The first block's figures by label (a note row below them has no value)."""
    return {row[0].value: row[1].value for row in block(tab, "")[1:] if len(row) > 1}


def values(rows: Sequence[tuple[OutCell, ...]], width: int) -> list[list[object]]:
    return [[c.value for c in row[:width]] for row in rows]


def test_overall_figures() -> None:
    tab = year_review_tab(CONFIG, YEAR, SPONSORSHIP, "b")
    assert tab.name == "Bilan de l'année" and tab.banner == "b"
    assert tab.header == ("Indicateur", "Valeur")
    assert values(block(tab, ""), 2)[1:] == [
        ["Classes suivies (parrainées)", 3],
        ["Temps forts planifiés", 7],
        ["dont confirmés, pas encore tenus", 2],
        ["Temps forts tenus", 2],
        ["Part des temps forts planifiés déjà tenus", 2 / 7],
        ["Temps forts non placés au calendrier", 1],
        ["Temps forts annulés", 1],
        ["Productions livrées (remises ou publiées)", 2],
        ["Productions en cours", 1],
        ["Productions à venir", 1],
    ]
    styles = {row[0].value: row[1].style for row in block(tab, "")[1:]}
    assert styles["Part des temps forts planifiés déjà tenus"] == "percent"
    assert styles["Temps forts tenus"] == "integer"
    assert not any(c.value == NOTHING_HELD for row in tab.rows for c in row)


def test_per_temps_fort_and_chart() -> None:
    tab = year_review_tab(CONFIG, YEAR, SPONSORSHIP, "b")
    assert values(block(tab, "Par temps fort"), 5) == [
        ["Temps fort", "Planifiés", "Tenus", "Non placés", "Annulés"],
        ["lancement", 3, 2, 0, 0],
        ["immersion", 2, 0, 0, 1],
        ["restitution", 2, 0, 1, 0],
    ]
    chart = next(c for c in tab.charts if c.title == "Temps forts planifiés et tenus")
    assert chart.kind == "column"
    assert [s.name for s in chart.series] == ["Planifiés", "Tenus"]
    first = chart.first_row - GeneratedTab.FIRST_DATA_ROW
    assert [tab.rows[r][chart.categories - 1].value
            for r in range(first, first + chart.last_row - chart.first_row + 1)] == [
        "lancement", "immersion", "restitution"]


def test_ambassadors_met_by_gender_and_growth_sector() -> None:
    """Met: Claire (H, bâtiment), Inès (F, logistique), Nadia (F, numérique) at held
    lancements; expected besides: Karim (H, industrie), Sacha (not given, droit)."""
    tab = year_review_tab(CONFIG, YEAR, SPONSORSHIP, "b")
    assert values(block(tab, "Ambassadeurs rencontrés"), 3) == [
        ["Ambassadeurs", "Rencontrés (temps forts tenus)", "Attendus (temps forts planifiés)"],
        ["Ambassadeurs (personnes)", 3, 5],
        ["dont femmes", 2, 2],
        ["dont hommes", 1, 2],
        ["dont genre non renseigné", 0, 1],
        ["Part de femmes", 2 / 3, 2 / 5],
        ["dont métier porteur", 3, 4],
        ["Part de métiers porteurs", 1.0, 4 / 5],
    ]
    assert values(block(tab, "Par métier porteur (personnes)"), 3) == [
        ["Métier porteur", "Rencontrés", "Attendus"],
        ["bâtiment", 1, 1], ["industrie", 0, 1], ["logistique", 1, 1], ["numérique", 1, 1],
    ]


def test_productions_by_type_and_state() -> None:
    tab = year_review_tab(CONFIG, YEAR, SPONSORSHIP, "b")
    assert values(block(tab, "Productions des classes par type et état"), 6) == [
        ["Type", "À venir", "En cours", "Remises", "Publiées", "Livrées (remises ou publiées)"],
        ["fiche métier", 1, 0, 1, 0, 1],
        ["portrait", 0, 0, 0, 1, 1],
        ["web TV", 0, 1, 0, 0, 0],
        ["exposition", 0, 0, 0, 0, 0],
        ["autre", 0, 0, 0, 0, 0],
        ["Total", 1, 1, 1, 1, 2],
    ]
    chart = next(c for c in tab.charts if c.title.startswith("Productions"))
    assert chart.kind == "bar" and chart.last_row - chart.first_row + 1 == len(PRODUCTION_TYPES)
    assert [s.name for s in chart.series] == ["À venir", "En cours",
                                              "Livrées (remises ou publiées)"]


def test_per_school() -> None:
    tab = year_review_tab(CONFIG, YEAR, SPONSORSHIP, "b")
    assert values(block(tab, "Par établissement"), 5) == [
        ["Établissement", "Classes", "Temps forts planifiés", "Temps forts tenus",
         "Productions livrées"],
        ["Collège des Tisserands", 2, 4, 2, 2],
        ["Collège du Canal", 1, 3, 0, 0],
    ]
    assert any(c.title == "Temps forts planifiés et tenus par établissement" for c in tab.charts)


def test_notes_say_what_held_means_and_the_date() -> None:
    tab = year_review_tab(CONFIG, YEAR, SPONSORSHIP, "b")
    text = " ".join(tab.notes)
    assert "Chiffres à la date du 1er janvier 2027." in text
    assert "« tenu »" in text and "« Suivi de l'année »" in text
    assert "classes parrainées" in text


def test_nothing_held_yet_reads_well() -> None:
    """Early in the year: zeros, no chart of all-zero series, and a sentence saying so."""
    year = year_of([event(T4, "lancement", dt.date(2026, 9, 22), (CLAIRE, LOGI))])
    tab = year_review_tab(CONFIG, year, SPONSORSHIP, "b")
    assert tab.charts == ()
    assert any(c.value == NOTHING_HELD for row in tab.rows for c in row)
    overall = overall_of(tab)
    assert overall["Temps forts tenus"] == 0 and overall["Temps forts planifiés"] == 1
    assert overall["Part des temps forts planifiés déjà tenus"] == 0
    assert values(block(tab, "Ambassadeurs rencontrés"), 3)[1] == [
        "Ambassadeurs (personnes)", 0, 2]


def test_empty_year_has_no_chart_and_no_division_by_zero() -> None:
    year = YearPlan(Plan([], []), (), KINDS, Names(), TODAY)
    tab = year_review_tab(CONFIG, year, sponsorship([], [], []), "b")
    assert tab.charts == ()
    overall = overall_of(tab)
    assert overall["Classes suivies (parrainées)"] == 0
    assert overall["Part des temps forts planifiés déjà tenus"] is None


def many_schools(count: int) -> GeneratedTab:
    """`count` schools of one class each, every lancement held."""
    klasses = [classroom(f"Collège n°{n:03d}", "4e", 1) for n in range(count)]
    members = [person(f"p{n:03d}", "Pré", f"NOM{n}", "F", "Infirmière", "Santé")
               for n in range(count)]
    pairs = list(zip(klasses, members, strict=True))
    year = year_of([event(k, "lancement", dt.date(2026, 9, 22), (m,)) for k, m in pairs],
                   [tracked(k.unit.id, "lancement", "tenu") for k in klasses], pairs=pairs)
    return year_review_tab(CONFIG, year, sponsorship(klasses, members, pairs), "b")


@pytest.mark.parametrize("count", [MAX_BARS + 1, 150])
def test_many_schools_table_without_chart(count: int) -> None:
    """150 schools: a bar chart could not label each one; the table does, and a note says so."""
    tab = many_schools(count)
    assert len(block(tab, "Par établissement")) == count + 1
    assert {c.title for c in tab.charts} == {"Temps forts planifiés et tenus"}
    assert any(f"pas de graphique au-delà de {MAX_BARS} établissements" in n for n in tab.notes)


def test_as_many_schools_as_a_chart_labels_keep_their_chart() -> None:
    tab = many_schools(MAX_BARS)
    (bars,) = [c for c in tab.charts if c.title.endswith("par établissement")]
    assert bars.last_row - bars.first_row + 1 == MAX_BARS
    assert not any("pas de graphique" in n for n in tab.notes)


def test_charts_over_empty_cells_named_after_their_columns() -> None:
    """Each chart sits right of the tables, over empty cells; its series are the header cells
    above their values (Google names series there)."""
    tab = year_review_tab(CONFIG, YEAR, SPONSORSHIP, "b")
    taken = occupied_cells(tab)
    rows = tab.as_rows()
    for chart in tab.charts:
        assert chart.rows and chart.cols and not chart_cells(chart) & taken, chart.title
        header = rows[chart.first_row - 2]
        assert [header[s.column - 1].value for s in chart.series] == [
            s.name for s in chart.series]


CONTACT = re.compile(r"@|\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}")


def test_no_person_named_nor_contact() -> None:
    """A partner tab: no ambassador's name, no e-mail, no phone, no production title (it may
    name a person) nor comment."""
    tab = year_review_tab(CONFIG, YEAR, SPONSORSHIP, "b")
    texts = [c.value for row in tab.as_rows() for c in row if isinstance(c.value, str)]
    texts += [*tab.notes, *(c.title for c in tab.charts), *(c.alt_text() for c in tab.charts)]
    for member in MEMBERS:
        for word in (member.first_name, member.last_name):
            assert not any(word.lower() in t.lower() for t in texts), word
    assert not any(CONTACT.search(t) for t in texts)
    assert not any("Portrait de" in t for t in texts)


CLASSES = {c.unit.id: c for c in (T4, T3, C4)}
keys = st.tuples(st.sampled_from(sorted(CLASSES)), st.sampled_from([k.name for k in KINDS]))


@settings(max_examples=60, deadline=None)
@given(planned=st.lists(keys, unique=True),
       states=st.lists(st.tuples(keys, st.sampled_from(EVENT_STATES))),
       productions=st.lists(st.tuples(st.sampled_from(sorted(CLASSES)),
                                      st.sampled_from(PRODUCTION_TYPES),
                                      st.sampled_from(PRODUCTION_STATES))),
       unplaced=st.lists(keys, unique=True))
def test_figures_always_add_up(planned: list[tuple[str, str]],
                               states: list[tuple[tuple[str, str], str]],
                               productions: list[tuple[str, str, str]],
                               unplaced: list[tuple[str, str]]) -> None:
    """Held and confirmed are among the planned, never more than classes × temps forts; the
    tab's totals equal the per-school and per-temps-fort sums; people met ≤ people expected."""
    year = year_of(
        [event(CLASSES[k], kind, dt.date(2026, 10, 1), [m for c, m in PAIRS if c.unit.id == k])
         for k, kind in planned],
        [tracked(k, kind, s, row=n) for n, ((k, kind), s) in enumerate(states, 2)]
        + [tracked(k, t, s) for k, t, s in productions],
        [Unplaced(k, kind, "—") for k, kind in unplaced if (k, kind) not in planned])
    f = year_figures(year)
    assert f.held <= f.planned and f.confirmed <= f.planned - f.held
    assert not f.cancelled & f.planned and not f.unplaced & f.planned
    assert len(f.planned | f.unplaced | f.cancelled) <= 3 * len(KINDS)
    tab = year_review_tab(CONFIG, year, SPONSORSHIP, "b")
    overall = overall_of(tab)
    per_kind = values(block(tab, "Par temps fort"), 5)[1:]
    per_school = values(block(tab, "Par établissement"), 5)[1:]
    assert overall["Temps forts planifiés"] == sum(r[1] for r in per_kind)  # type: ignore[misc]
    assert overall["Temps forts tenus"] == sum(r[2] for r in per_kind)  # type: ignore[misc]
    assert overall["Temps forts planifiés"] == sum(r[2] for r in per_school)  # type: ignore[misc]
    assert overall["Temps forts tenus"] == sum(r[3] for r in per_school)  # type: ignore[misc]
    assert overall["Productions livrées (remises ou publiées)"] == sum(
        r[4] for r in per_school)  # type: ignore[misc]
    met = values(block(tab, "Ambassadeurs rencontrés"), 3)
    assert all(r[1] <= r[2] for r in met[1:] if isinstance(r[1], int))  # type: ignore[operator]
    for chart in tab.charts:  # never a chart whose every series is zero
        cells = [tab.rows[r - GeneratedTab.FIRST_DATA_ROW][s.column - 1].value
                 for r in range(chart.first_row, chart.last_row + 1) for s in chart.series]
        assert any(cells), chart.title
