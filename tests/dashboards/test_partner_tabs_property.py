"""Properties of the partner tabs: for any roster and pairings, every partner row agrees with
« Parrainages » and with the roster (same people, same genders in the same order, counts of
women and men = distinct people)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.ambassadors.roster import Member
from sheets_sync.ambassadors.sponsoring import Sponsorship
from sheets_sync.dashboards.sponsorship_tabs import (
    GENDER_LABELS,
    classes_tab,
    equality_tab,
    mobilisation_tab,
    sponsorships_tab,
)

from .test_sponsorship_tabs import CONFIG, classroom, person, sponsorship

SECTORS = ("Numérique", "Santé", "Bâtiment")
SCHOOLS = ("Collège A", "Collège B")


@st.composite
def campaigns(draw: st.DrawFn) -> Sponsorship:
    n = draw(st.integers(1, 7))
    members = [person(f"amb-{i}", f"Prénom{i}", f"NOM{i}",
                      draw(st.sampled_from(["F", "H", None])), f"Métier{i}",
                      draw(st.sampled_from(SECTORS)), consent=draw(st.booleans()),
                      capacity=draw(st.integers(1, 3)), available=draw(st.booleans()))
               for i in range(n)]
    classes = [classroom(draw(st.sampled_from(SCHOOLS)), level, k)
               for k, level in enumerate(draw(st.lists(st.sampled_from(["4e", "3e"]),
                                                       min_size=1, max_size=5)), start=1)]
    unique = list({c.unit.id: c for c in classes}.values())
    pairs = draw(st.sets(st.tuples(st.integers(0, len(unique) - 1), st.integers(0, n - 1))))
    return sponsorship(unique, members, [(unique[c], members[m]) for c, m in sorted(pairs)])


def _coordinator_view(s: Sponsorship) -> dict[str, list[Member]]:
    """Who sponsors which class, read from « Parrainages » (columns A and E)."""
    out: dict[str, list[Member]] = defaultdict(list)
    classes = {c.unit.id for c in s.classes}
    for row in sponsorships_tab(CONFIG, s, "b").rows:
        if row and row[0].value in classes and row[4].value:
            out[str(row[0].value)].append(s.member(str(row[4].value)))
    return out


@settings(max_examples=150, deadline=None)
@given(campaigns())
def test_classes_rows_agree_with_parrainages_and_roster(s: Sponsorship) -> None:
    view = _coordinator_view(s)
    rows = classes_tab(CONFIG, s, "b").rows
    assert len(rows) == len(s.classes)
    for klass, row in zip(s.classes, rows, strict=True):
        members = view.get(klass.unit.id, [])
        names, genders, jobs = (str(row[i].value or "") for i in (3, 4, 5))
        if not members:
            assert genders == jobs == "" and names.startswith("Aucun")
            continue
        shown = names.split(" ; ")
        assert [n.split(" n°")[0] for n in shown] == [m.public_name() for m in members]
        assert all(n == m.name for n, m in zip(shown, members, strict=True) if m.consent)
        assert genders.split(" ; ") == [GENDER_LABELS[m.ambassador.gender] for m in members]
        assert jobs.split(" ; ") == [m.ambassador.job for m in members]


@settings(max_examples=150, deadline=None)
@given(campaigns())
def test_equality_counts_distinct_people_and_every_sponsorship(s: Sponsorship) -> None:
    pairings = s.result.pairings
    rows = equality_tab(CONFIG, s, "b").rows
    end = rows.index(())
    by_sector = {r[0].value: [c.value for c in r[1:]] for r in rows[1:end]}
    for sector, values in by_sector.items():
        ids = {p.ambassador_id for p in pairings if s.member(p.ambassador_id).ambassador.sector
               == sector}
        people = [s.member(i).ambassador.gender for i in ids]
        sponsored = [p for p in pairings if p.ambassador_id in ids]
        assert values[:3] == [people.count("F"), people.count("H"), people.count(None)]
        assert values[4] == len(sponsored)
        assert values[5] + values[6] <= values[4]
        assert values[5] == sum(s.member(p.ambassador_id).ambassador.gender == "F"
                                for p in sponsored)
        assert values[0] <= values[5]  # a woman counted as a person has ≥ 1 sponsorship
    assert sum(v[4] for v in by_sector.values()) == len(pairings)
    assert sum(sum(v[:3]) for v in by_sector.values()) == len({p.ambassador_id
                                                               for p in pairings})
    by_school = [[c.value for c in r[1:]] for r in rows[end + 2:]]
    assert sum(v[4] for v in by_school) == len(pairings)


@settings(max_examples=100, deadline=None)
@given(campaigns())
def test_idle_ambassadors_counted_for_partners_and_listed_for_coordinators(
        s: Sponsorship) -> None:
    busy = {p.ambassador_id for p in s.result.pairings}
    idle = [m for m in s.members if m.ambassador.id not in busy]
    available_idle = [m for m in idle if m.ambassador.available]
    title = mobilisation_tab(CONFIG, s, "b").title
    assert title.endswith(f"Ambassadeurs sans classe : {len(available_idle)} sur "
                          f"{len(s.members)}")
    listed = [r[4].value for r in sponsorships_tab(CONFIG, s, "b").rows
              if r and r[0].value is None and r[4].value]
    assert sorted(map(str, listed)) == sorted(m.ambassador.id for m in idle)
