"""Cells built once per distinct value, rows kept as built, chart rows from the heights
beside them only (issue #16: the same tabs, built with fewer objects).

The row builders of « Parrainages », « Classes », « Mobilisation » and the state tab's
pairings are checked against their previous code (kept here as the reference), cell by
cell and type by type (1 == True == 1.0 in a plain comparison)."""

from __future__ import annotations

import datetime as dt

from sheets_sync.ambassadors.matching import MatchResult, Pairing
from sheets_sync.ambassadors.sponsoring import Sponsorship
from sheets_sync.cells.a1 import from_a1
from sheets_sync.cells.grid import GeneratedTab, OutCell
from sheets_sync.cells.layout import (
    LINE_POINTS,
    Plot,
    Side,
    Table,
    geometry,
    lay_out,
    points_to_pixels,
)
from sheets_sync.dashboards.marks import SharedCells
from sheets_sync.dashboards.memory import _pairings
from sheets_sync.dashboards.sponsorship_tabs import (
    AWAY,
    GENDER_LABELS,
    classes_tab,
    idle_members,
    mobilisation_tab,
    sponsorships_tab,
)
from sheets_sync.form.sessions import NO, YES, pseudonym

from .test_sponsorship_tabs import AWAY as AWAY_MEMBER
from .test_sponsorship_tabs import (
    CONFIG,
    IDLE,
    KARIM,
    LOGI,
    NADIA,
    classroom,
    pair,
    person,
)

TODAY = dt.date(2021, 8, 1)


def _typed(rows: tuple[tuple[OutCell, ...], ...] | list[tuple[OutCell, ...]]) -> list[object]:
    return [[(type(c.value), c) for c in row] for row in rows]


def _campaign() -> Sponsorship:
    """Classes of two schools, ambassadors with several classes, one confirmed pairing."""
    classes = [classroom("Collège du Canal", "4e", n) for n in (1, 2, 3)] + [
        classroom("Collège des Tisserands", "3e", n) for n in (1, 2)]
    many = person("g-many", "Lou", "NOEL", None, "Data analyste", "Numérique", capacity=4)
    members = [NADIA, KARIM, LOGI, IDLE, AWAY_MEMBER, many]
    pairs = [(classes[0], NADIA), (classes[0], KARIM), (classes[1], NADIA), (classes[1], many),
             (classes[2], many), (classes[3], LOGI), (classes[3], many), (classes[4], KARIM)]
    pairings = [pair(c, m) for c, m in pairs]
    pairings[2] = Pairing(pairings[2].class_id, pairings[2].ambassador_id, "libre", 1,
                          ("confirmé", "mot commun"), confirmed=True,
                          gender=pairings[2].gender)
    result = MatchResult(tuple(sorted(pairings, key=lambda p: (p.class_id, p.ambassador_id))),
                         (), 0, {})
    return Sponsorship(tuple(classes), tuple(members), result, ())


def _old_pairing_rows(s: Sponsorship) -> list[tuple[OutCell, ...]]:
    rows: list[tuple[OutCell, ...]] = []
    for p in s.result.pairings:
        klass, member = s.classroom(p.class_id), s.member(p.ambassador_id)
        rows.append((
            OutCell(p.class_id), OutCell(klass.school.name), OutCell(klass.label),
            OutCell(member.name), OutCell(p.ambassador_id),
            OutCell(GENDER_LABELS[member.ambassador.gender]), OutCell(member.ambassador.job),
            OutCell(member.ambassador.sector), OutCell(" ".join(p.reasons), "wrap"),
            OutCell("Oui" if p.confirmed else "", "ok" if p.confirmed else None),
        ))
    return rows


def _old_idle_rows(s: Sponsorship) -> list[tuple[OutCell, ...]]:
    return [(*(OutCell(None),) * 3, OutCell(member.name), OutCell(member.ambassador.id),
             OutCell(GENDER_LABELS[member.ambassador.gender]), OutCell(member.ambassador.job),
             OutCell(member.ambassador.sector), OutCell(why, "wrap"),
             OutCell(member.ambassador.capacity, "integer"))
            for member, why in idle_members(s)]


def _old_mobilisation_rows(s: Sponsorship) -> list[tuple[OutCell, ...]]:
    load = s.figures["load"]
    unassigned = s.figures["unassigned"]
    assert isinstance(load, dict) and isinstance(unassigned, tuple)
    idle = set(unassigned)
    rows: list[tuple[OutCell, ...]] = []
    for member in sorted(s.members, key=lambda m: (m.ambassador.sector, m.name)):
        a = member.ambassador
        flag = ("Oui", "warning") if a.id in idle else (
            (AWAY.capitalize(), None) if a.away and not load.get(a.id, 0) else ("", None))
        rows.append((OutCell(s.public_names[a.id]), OutCell(a.job), OutCell(a.sector),
                     OutCell(GENDER_LABELS[a.gender]), OutCell(load.get(a.id, 0), "integer"),
                     OutCell(a.capacity, "integer"), OutCell(*flag)))
    return rows


def _old_state_pairings(s: Sponsorship) -> list[tuple[OutCell, ...]]:
    return [(OutCell(p.class_id), OutCell(pseudonym(p.ambassador_id)),
             OutCell(YES if p.confirmed else NO),
             OutCell(s.since(p.class_id, p.ambassador_id, TODAY), "date"))
            for p in s.result.pairings]


def test_rows_are_those_of_the_previous_code() -> None:
    s = _campaign()
    parrainages = sponsorships_tab(CONFIG, s, "b")
    n = len(s.result.pairings)
    assert _typed(parrainages.rows[:n]) == _typed(_old_pairing_rows(s))
    idle = _old_idle_rows(s)
    assert len(idle) == 2 and _typed(parrainages.rows[-len(idle):]) == _typed(idle)
    assert any(row[9].value == "Oui" for row in parrainages.rows[:n])
    mobilisation = mobilisation_tab(CONFIG, s, "b")
    old = _old_mobilisation_rows(s)
    assert _typed([row[:7] for row in mobilisation.rows[:len(old)]]) == _typed(old)
    assert _typed(_pairings(s, TODAY)) == _typed(_old_state_pairings(s))


def test_a_capacity_that_is_not_an_int_keeps_its_type() -> None:
    # 1 and True are one key of a dict: a count shared by value must not change its type
    odd = person("h-odd", "Max", "ODD", "H", "Cuisinier", "Hôtellerie", capacity=True)
    s = Sponsorship((), (KARIM, odd), MatchResult((), (), 0, {}), ())
    rows = mobilisation_tab(CONFIG, s, "b").rows
    capacities = {row[0].value: row[5].value for row in rows[:2]}
    assert [type(v) for v in capacities.values()] in ([int, bool], [bool, int])


def test_a_class_and_an_ambassador_are_the_same_cells_in_each_of_their_rows() -> None:
    s = _campaign()
    rows = sponsorships_tab(CONFIG, s, "b").rows[:len(s.result.pairings)]
    by_class: dict[str, set[int]] = {}
    for row in rows:
        by_class.setdefault(row[0].value, set()).add(id(row[1]))  # type: ignore[arg-type]
    assert all(len(ids) == 1 for ids in by_class.values())
    names = classes_tab(CONFIG, s, "b").rows
    assert len({id(row[0]) for row in names}) == 2  # two schools


def test_shared_cells() -> None:
    cells = SharedCells("integer")
    assert cells[3] is cells[3] and cells[3] == OutCell(3, "integer")
    assert SharedCells()["x"] == OutCell("x") and len(cells) == 1


# ── the layout: rows as built, chart rows ───────────────────────────────────────────────────


def _tables() -> tuple[Table, Table]:
    long_text = "un texte qui revient à la ligne dans sa colonne étroite " * 2
    people = Table(("Nom", "Pourquoi"),
                   tuple((OutCell(f"Personne {n}"), OutCell(long_text if n % 4 == 0 else "ok",
                                                            "wrap"))
                         for n in range(60)), widths=(20, 16))
    counts = Table(("Secteur", "Nombre"),
                   tuple((OutCell(f"Secteur {n}"), OutCell(n, "integer")) for n in range(12)))
    return people, counts


def test_a_table_row_is_the_tab_row_itself() -> None:
    people, counts = _tables()
    tab = lay_out("T", "b", "Titre", [people, counts])
    assert all(tab.rows[n] is people.rows[n] for n in range(len(people.rows)))
    side = lay_out("T", "b", "Titre", [Side((people, counts))])
    assert side.rows[0] == (*people.rows[0], OutCell(None), *counts.rows[0])
    assert side.rows[len(counts.rows) + 1] is people.rows[len(counts.rows) + 1]


def _chart_rows(tab: GeneratedTab, heights: tuple[float, ...]) -> list[tuple[str, int]]:
    """Where each chart starts and the rows it spans, stacked as _place_charts stacks them,
    from every row's height (the previous code)."""
    out, row = [], GeneratedTab.FIRST_DATA_ROW
    for chart in tab.charts:
        _, height_px = geometry(tab).charts[tab.charts.index(chart)]
        rows, used = 0, 0
        while used < height_px:
            h = heights[row + rows - 1] if row + rows <= len(heights) else LINE_POINTS
            used += points_to_pixels(h)
            rows += 1
        out.append((chart.anchor, rows))
        row += rows + 1
    return out


def test_charts_span_the_rows_the_heights_of_all_rows_give() -> None:
    people, counts = _tables()
    cases: list[tuple[list[Table | Side], list[Plot]]] = [
        ([Side((people, counts))], [Plot("bar", "Par secteur", counts, (1,)),
                                    Plot("column", "Encore", counts, (1,))]),
        ([counts], [Plot("bar", "Par secteur", counts, (1,)),  # below the last row
                    Plot("bar", "Par secteur", counts, (1,))]),
    ]
    for body, plots in cases:
        plain = lay_out("T", "b", "Titre", body)
        tab = lay_out("T", "b", "Titre", body, plots)
        assert [(c.anchor, c.rows) for c in tab.charts] == _chart_rows(
            tab, geometry(plain).heights)
        assert geometry(tab).heights == geometry(plain).heights
        assert from_a1(tab.charts[-1].anchor)[0] > 0
