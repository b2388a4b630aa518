"""« Nombre de classes maximum » 0 means « not available this year » (issue #14, item 2):
never matched, never counted among the ambassadors without a class, counted apart."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.ambassadors.matching import (
    Ambassador,
    ClassUnit,
    MatchSettings,
    dashboard_figures,
    match,
)


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[ClassUnit], list[Ambassador]]:
    n_classes = draw(st.integers(1, 6))
    classes = [ClassUnit(f"c{i}", f"s{i % 3}", "4e", frozenset({"numérique"}))
               for i in range(n_classes)]
    ambassadors = [Ambassador(f"a{i}", draw(st.sampled_from(["F", "H", None])), "Métier",
                              "Numérique", capacity=draw(st.integers(0, 3)),
                              available=draw(st.booleans()))
                   for i in range(draw(st.integers(1, 6)))]
    return classes, ambassadors


@settings(max_examples=60, deadline=None)
@given(instances())
def test_an_ambassador_away_is_never_matched_nor_counted_idle(
        instance: tuple[list[ClassUnit], list[Ambassador]]) -> None:
    classes, ambassadors = instance
    result = match(classes, ambassadors, MatchSettings(k=2))
    away = {a.id for a in ambassadors if a.away}
    assert not away & {p.ambassador_id for p in result.pairings}
    figures = dashboard_figures(result, classes, ambassadors)
    assert set(figures["away"]) == away  # type: ignore[arg-type]
    assert not away & set(figures["unassigned"])  # type: ignore[arg-type]


def test_capacity_zero_is_away_even_when_marked_available() -> None:
    assert Ambassador("a", "F", "Pilote", "Transport", capacity=0).away
    assert not Ambassador("b", "F", "Pilote", "Transport", capacity=1).away
    assert Ambassador("c", "F", "Pilote", "Transport", available=False).away
