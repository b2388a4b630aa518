"""« Calendrier » (coordinators) and « Temps forts » (partners), from a YearPlan built by hand
(issue #17)."""

from __future__ import annotations

import datetime as dt

from sheets_sync.cells.grid import GeneratedTab
from sheets_sync.config import Tabs
from sheets_sync.dashboards.year_tabs import calendar_tab, year_events_tab
from sheets_sync.schoolyear import Event, HalfDay, PairedClass, Plan, TempsFort, Unplaced
from sheets_sync.schoolyear.exports import Names
from sheets_sync.schoolyear.model import CONFIRMED, PUBLISHED
from sheets_sync.schoolyear.tracking import FollowUp, Tracked
from sheets_sync.schoolyear.year import YearPlan

D = dt.date
MARK = "Généré par sheets-sync le 7/9/2026 à 10:00 — ne pas modifier"


class View:
    name = "Campagne"
    school_year = "2026-2027"
    sessions = ()
    tabs = Tabs()

    def same_book(self) -> bool:
        return True


KINDS = (TempsFort("lancement", D(2026, 9, 14), D(2026, 10, 16)),
         TempsFort("immersion", D(2027, 1, 4), D(2027, 3, 26), place="entreprise",
                   attendance="au-moins-un", duration=2),
         TempsFort("restitution", D(2027, 5, 3), D(2027, 6, 18)))
CLASSES = (PairedClass("tis-4e1", "tisserands", ("nadia", "paul")),
           PairedClass("mace-3e1", "0590001A", ("paul",)))
NAMES = Names(classes={"tis-4e1": "4ème n°1", "mace-3e1": "3ème n°1"},
              schools={"tisserands": "Collège des Tisserands", "0590001A": "Collège Jean Macé"},
              public={"nadia": "Technicienne (industrie)", "paul": "Paul Roy"},
              own={"nadia": "Nadia Benali", "paul": "Paul Roy"})
LANCEMENT = Event("tis-4e1", "lancement", (HalfDay(D(2026, 9, 15), True),), ("nadia", "paul"),
                  "etablissement", "tisserands", "tisserands", CONFIRMED)
IMMERSION = Event("tis-4e1", "immersion", (HalfDay(D(2027, 1, 5), False),
                                           HalfDay(D(2027, 1, 5), True)), ("paul",),
                  "entreprise", "Alpha Industries", "tisserands", PUBLISHED)
MACE = Event("mace-3e1", "lancement", (HalfDay(D(2026, 10, 1), False),), ("paul",),
             "etablissement", "0590001A", "0590001A")
OLD_MACE = Event("mace-3e1", "lancement", (HalfDay(D(2026, 9, 17), False),), ("paul",),
                 "etablissement", "0590001A", "0590001A", PUBLISHED)
PLAN = Plan([LANCEMENT, MACE, IMMERSION],
            [Unplaced("mace-3e1", "restitution", "Aucune demi-journée ouverte."),
             Unplaced("tis-4e1", "restitution", "Aucune demi-journée ouverte.")],
            [(OLD_MACE, "l'ambassadeur paul n'est plus disponible")])
HELD = FollowUp((Tracked(2, "Collège des Tisserands", "4ème n°1", "tis-4e1", "lancement", True,
                         state="tenu", day=D(2026, 9, 15)),), (), True)
YEAR = YearPlan(PLAN, CLASSES, KINDS, NAMES, D(2026, 9, 7), HELD)


def values(tab: GeneratedTab) -> list[list[object]]:
    return [[c.value for c in row] for row in tab.as_rows()]


def block(tab: GeneratedTab, first: str) -> list[list[object]]:
    rows = values(tab)
    start = next(i for i, r in enumerate(rows) if r and r[0] == first) + 1
    out = []
    for r in rows[start:]:
        if not r or all(v is None for v in r):
            break
        out.append(r)
    return out


def test_calendar_lists_every_event_by_date_with_who_where_and_status() -> None:
    tab = calendar_tab(View(), YEAR, MARK)
    assert tab.name == "Calendrier" and tab.header[:8] == (
        "Date", "Demi-journée", "Temps fort", "Établissement", "Classe", "Ambassadeurs",
        "Lieu", "Statut")
    assert block(tab, "Date") == [
        [D(2026, 9, 15), "après-midi", "lancement", "Collège des Tisserands", "4ème n°1",
         "Nadia Benali, Paul Roy", "Collège des Tisserands", "tenu"],
        [D(2026, 10, 1), "matin", "lancement", "Collège Jean Macé", "3ème n°1", "Paul Roy",
         "Collège Jean Macé", "proposé"],
        [D(2027, 1, 5), "2 demi-journées", "immersion", "Collège des Tisserands", "4ème n°1",
         "Paul Roy", "Alpha Industries", "publié"],
    ]
    assert tab.rows[0][0].style == "date"


def test_calendar_lists_what_is_not_planned_and_what_moved_with_why() -> None:
    tab = calendar_tab(View(), YEAR, MARK)
    rows = values(tab)
    titles = [r[0] for r in rows if r and isinstance(r[0], str) and ":" in r[0]]
    assert "Non planifiés : 2" in titles
    assert "Déplacés depuis la dernière synchronisation : 1" in titles
    assert block(tab, "Établissement")[0] == [
        "Collège Jean Macé", "3ème n°1", "restitution", "Aucune demi-journée ouverte."]
    moved = [r for r in rows if r and r[0] == "Collège Jean Macé" and len(r) >= 8
             and r[3] == D(2026, 9, 17)]
    assert moved == [["Collège Jean Macé", "3ème n°1", "lancement", D(2026, 9, 17), "matin",
                      D(2026, 10, 1), "matin", "L'ambassadeur paul n'est plus disponible."]]


def test_calendar_without_unplaced_nor_moved_has_one_block() -> None:
    year = YearPlan(Plan([MACE], []), CLASSES, KINDS, NAMES, D(2026, 9, 7))
    firsts = [str(r[0]) for r in values(calendar_tab(View(), year, MARK)) if r]
    assert not [f for f in firsts if f.startswith(("Non planifiés", "Déplacés"))]


def test_year_events_counts_per_school_and_month_september_to_june() -> None:
    tab = year_events_tab(View(), YEAR, MARK)
    assert tab.header == ("Établissement", "sept. 2026", "oct. 2026", "nov. 2026",
                          "déc. 2026", "janv. 2027", "févr. 2027", "mars 2027", "avr. 2027",
                          "mai 2027", "juin 2027", "Total")
    assert block(tab, "Établissement") == [
        ["Collège Jean Macé", 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        ["Collège des Tisserands", 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2],
    ]
    assert next(r for r in values(tab) if r and r[0] == "Temps fort")[2] == (
        "Confirmés, pas encore tenus")
    # planned, confirmed not yet held, held, cancelled, not placed
    assert block(tab, "Temps fort") == [["lancement", 2, 0, 1, 0, 0],
                                        ["immersion", 1, 0, 0, 0, 0],
                                        ["restitution", 0, 0, 0, 0, 2]]
    assert block(tab, "Mois")[:2] == [["sept. 2026", 1], ["oct. 2026", 1]]
    (chart,) = tab.charts
    assert chart.kind == "column"


def test_year_events_names_no_ambassador_nor_company() -> None:
    text = " ".join(str(v) for r in values(year_events_tab(View(), YEAR, MARK)) for v in r)
    for shown in ("Nadia", "Benali", "Paul", "Roy", "Technicienne", "Alpha"):
        assert shown not in text


def test_a_cancelled_temps_fort_is_counted_as_the_year_review_counts_it() -> None:
    """Bug: « Temps forts » counted an event marked « annulé » in « Suivi de l'année » as
    planned and its held ones as confirmed, where « Bilan de l'année » did not: two partner
    tabs, two answers."""
    from sheets_sync.dashboards.year_review import year_figures

    cancelled = Tracked(3, "Collège des Tisserands", "4ème n°1", "tis-4e1", "immersion", True,
                        state="annulé", day=D(2027, 1, 5))
    year = YearPlan(PLAN, CLASSES, KINDS, NAMES, D(2026, 9, 7),
                    FollowUp((*HELD.rows, cancelled), (), True))
    tab = year_events_tab(View(), year, MARK)
    assert block(tab, "Temps fort")[1] == ["immersion", 0, 0, 0, 1, 0]
    assert ["janv. 2027", 0] in block(tab, "Mois")
    figures = year_figures(year)
    planned = {k: sum(1 for _, kind in figures.planned if kind == k) for k in
               ("lancement", "immersion", "restitution")}
    assert [row[1] for row in block(tab, "Temps fort")] == list(planned.values())
    statuses = {(r[2], r[4]): r[7] for r in values(calendar_tab(View(), year, MARK))
                if len(r) == 8 and isinstance(r[0], dt.date)}
    assert statuses[("immersion", "4ème n°1")] == "annulé"
    assert statuses[("lancement", "4ème n°1")] == "tenu"


def test_confirmed_day_unchecked_month_grid_total_agrees_with_the_year_review() -> None:
    """Review finding 5: a lancement typed on 18/09/2012 fell out of the month grid (Total 5
    where « Bilan de l'année » counted 6); a pair held without a day (no event since the
    plan leaves it out) did too. Both get a column, shown only then."""
    from sheets_sync.dashboards.year_review import year_figures

    typo = Event("mace-3e1", "lancement", (HalfDay(D(2012, 9, 18), False),), ("paul",),
                 "etablissement", "0590001A", "0590001A", CONFIRMED)
    held = Tracked(4, "Collège Jean Macé", "3ème n°1", "mace-3e1", "restitution", True,
                   state="tenu")
    year = YearPlan(Plan([LANCEMENT, typo, IMMERSION], []), CLASSES, KINDS, NAMES,
                    D(2026, 9, 7), FollowUp((*HELD.rows, held), (), True))
    tab = year_events_tab(View(), year, MARK)
    assert tab.header[-3:] == ("Hors année", "Tenus sans date", "Total")
    grid = block(tab, "Établissement")
    assert grid == [["Collège Jean Macé", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2],
                    ["Collège des Tisserands", 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]]
    figures = year_figures(year)
    assert sum(row[-1] for row in grid) == len(figures.planned) == 4
    assert block(tab, "Mois")[-2:] == [["Hors année", 1], ["Tenus sans date", 1]]
    notes = " ".join(str(v) for r in values(tab) for v in r if isinstance(v, str))
    assert "« Hors année » : un jour saisi hors de septembre à juin" in notes
