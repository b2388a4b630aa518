"""The layout engine: blocks placed with gaps, widths and heights from content, charts over
empty cells only."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells.a1 import from_a1
from sheets_sync.cells.grid import GeneratedTab, Merge, OutCell
from sheets_sync.cells.layout import (
    CHART_COLUMN_WIDTH,
    GAP_WIDTH,
    LINE_POINTS,
    MAX_WIDTH,
    MIN_WIDTH,
    PRINT_HEIGHT_POINTS,
    PRINT_WIDTH_POINTS,
    Geometry,
    Plot,
    PrintPlan,
    Side,
    Table,
    chart_cells,
    chart_size,
    geometry,
    lay_out,
    occupied_cells,
    print_plan,
    text_lines,
)


def _table(n: int, label: str = "x", title: str = "") -> Table:
    return Table(("Nom", "N"), tuple((OutCell(f"{label}{i}"), OutCell(i, "integer"))
                                     for i in range(n)), title=title)


def _values(tab: GeneratedTab) -> list[list[object]]:
    return [[c.value for c in row] for row in tab.as_rows()]


def test_a_blank_row_between_stacked_blocks() -> None:
    tab = lay_out("T", "b", "t", [_table(2), _table(3, "y", title="Deuxième")])
    rows = _values(tab)
    assert rows[3] == ["Nom", "N"]  # row 4: first header
    assert rows[4:6] == [["x0", 0], ["x1", 1]]
    assert rows[6] == []  # row 7: blank
    assert rows[7] == ["Deuxième"] and rows[8] == ["Nom", "N"]
    assert Merge(8, 1, 8, 2) in tab.merges  # the section title across its block


def test_a_blank_column_between_side_by_side_blocks() -> None:
    left = Table(("Ambassadeur", "Sans classe"),
                 ((OutCell("Ambassadrice n°1"), OutCell("Indisponible cette année")),))
    right = Table(("Secteur", "Ambassadeurs"), ((OutCell("Santé"), OutCell(3, "integer")),))
    tab = lay_out("T", "b", "t", [Side((left, right))])
    assert tab.header == ("Ambassadeur", "Sans classe", "", "Secteur", "Ambassadeurs")
    assert [c.value for c in tab.rows[0]] == [
        "Ambassadrice n°1", "Indisponible cette année", None, "Santé", 3]
    assert tab.widths[2] == 2  # the gap
    assert tab.widths[1] >= len("Indisponible cette année")  # widths from content


def test_widths_capped_then_wrapped() -> None:
    long = "mot " * 60
    tab = lay_out("T", "b", "t", [Table(("Pourquoi",), ((OutCell(long.strip()),),))])
    assert tab.widths == (MAX_WIDTH,)
    geo = geometry(tab)
    assert (5, 1) in geo.wrapped
    assert geo.heights[4] == text_lines(long, MAX_WIDTH) * LINE_POINTS > 3 * LINE_POINTS


def test_preferred_width_is_a_cap() -> None:
    table = Table(("A", "B"), ((OutCell("x" * 80), OutCell("court")),), widths=(20, 0))
    assert table.column_widths() == [20, len("court") + 2]


def test_header_on_two_lines_with_its_height() -> None:
    tab = lay_out("T", "b", "t", [Table(("Parrainages par des femmes", "N"),
                                        ((OutCell(1), OutCell(2)),))])
    geo = geometry(tab)
    assert tab.widths[0] < len("Parrainages par des femmes")
    assert geo.heights[3] == 2 * LINE_POINTS


def test_heights_grow_with_text_length() -> None:
    heights = [text_lines("mot " * n, 20) for n in (1, 10, 40, 80)]
    assert heights == sorted(heights) and heights[0] == 1 and heights[-1] > heights[1]


def test_a_long_word_is_cut() -> None:
    assert text_lines("x" * 100, 10) == 10  # 10 characters a line (10 × 1.1 - 1)


def test_notes_merged_across_the_table_and_wrapped() -> None:
    note = "Une note assez longue pour tenir sur plusieurs lignes d'un tableau étroit. " * 3
    tab = GeneratedTab("T", "b", "t", ("A", "B", "C"), ((OutCell(1), OutCell(2), OutCell(3)),),
                       widths=(10, 10, 10), notes=(note,))
    geo = geometry(tab)
    assert Merge(7, 1, 7, 3) in geo.merges  # row 5 data, 6 blank, 7 the note
    assert (7, 1) in geo.wrapped
    assert geo.heights[6] == text_lines(note, 30) * LINE_POINTS


def test_block_notes_merged() -> None:
    tab = lay_out("T", "b", "t", [Table(("A", "B"), ((OutCell(1), OutCell(2)),),
                                        notes=("note",))])
    assert tab.rows[1][0] == OutCell("note", "muted")
    assert Merge(6, 1, 6, 2) in tab.merges


def test_extra_columns_under_the_last_header() -> None:
    rows = ((OutCell("a"), OutCell("F7", link="'R'!F7"), OutCell("G7", link="'R'!G7")),)
    tab = lay_out("T", "b", "t", [Table(("Nom", "Cellules"), rows)])
    assert Merge(4, 2, 4, 3) in tab.merges


def test_charts_sized_to_categories() -> None:
    assert chart_size("bar", 40, 1)[1] > chart_size("bar", 5, 1)[1]
    assert chart_size("column", 30, 2)[0] > chart_size("column", 3, 2)[0]
    small = _table(3)
    big = _table(40)
    tab = lay_out("T", "b", "t", [small, big], plots=[Plot("bar", "Petit", small, (1,)),
                                                       Plot("bar", "Grand", big, (1,))])
    first, second = tab.charts
    assert second.rows > first.rows
    assert from_a1(second.anchor)[0] == from_a1(first.anchor)[0] + first.rows + 1
    assert (first.first_row, first.last_row, first.categories) == (5, 7, 1)
    assert first.series[0].name == "N" and first.series[0].column == 2
    assert geometry(tab).charts[0][1] >= chart_size("bar", 3, 1)[1]


def test_chart_after_a_blank_column() -> None:
    table = _table(3)
    tab = lay_out("T", "b", "t", [table], plots=[Plot("column", "C", table, (1,))])
    # A:B, blank C, chart from D5: below the header row, which is repeated on each page
    assert from_a1(tab.charts[0].anchor) == (5, 4)
    assert "C" in tab.charts[0].alt_text()


def test_the_first_block_has_no_title() -> None:
    try:
        lay_out("T", "b", "t", [_table(1, title="Non")])
    except ValueError:
        return
    raise AssertionError("a title on the first block must be refused")


_text = st.text(alphabet="abc dé\n", max_size=120)
_cell = st.one_of(st.builds(OutCell, _text), st.builds(OutCell, st.integers(0, 999)),
                  st.just(OutCell(None)))


@st.composite
def _tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(1, 4))
    header = tuple(draw(st.lists(_text, min_size=width, max_size=width)))
    rows = draw(st.lists(st.lists(_cell, min_size=0, max_size=width + 1).map(tuple),
                         max_size=12))
    notes = tuple(draw(st.lists(_text.filter(bool), max_size=2)))
    return Table(header, tuple(rows), notes=notes,
                 title=draw(st.sampled_from(["", "Titre"])))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_tables(), min_size=1, max_size=3), min_size=1, max_size=4),
       st.data())
def test_charts_never_over_a_non_empty_cell(groups: list[list[Table]], data: st.DataObject
                                            ) -> None:
    groups[0] = [Table(t.header, t.rows, t.widths, "", t.notes) for t in groups[0]]
    body = [Side(tuple(g)) if len(g) > 1 else g[0] for g in groups]
    tables = [t for g in groups for t in g]
    plots = [Plot(data.draw(st.sampled_from(["bar", "column", "pie"])), "C", t, (0,))
             for t in data.draw(st.lists(st.sampled_from(tables), max_size=4))]
    tab = lay_out("T", "b", "t", body, plots=plots, notes=("fin",))
    taken = occupied_cells(tab)
    covered: set[tuple[int, int]] = set()
    for chart in tab.charts:
        cells = chart_cells(chart)
        assert not cells & taken
        assert not cells & covered  # charts do not overlap either
        covered |= cells
    geo = geometry(tab)
    assert len(geo.heights) == len(tab.as_rows())
    assert all(h >= LINE_POINTS for h in geo.heights)
    assert all(MIN_WIDTH <= w <= MAX_WIDTH or w in (GAP_WIDTH, CHART_COLUMN_WIDTH)
               for w in tab.widths)


# --- printing (issue #15: a chart cut by a page break, the page split in two across) ----------


def _page_rows(plan: PrintPlan, tab: GeneratedTab, geo: Geometry) -> list[tuple[int, int]]:
    """(first, last) rows of each printed page, breaking where the plan says and where a page
    is full (as the spreadsheet application does)."""
    page = PRINT_HEIGHT_POINTS * 100 / plan.scale
    last = max([len(geo.heights)] + [from_a1(c.anchor)[0] + c.rows - 1 for c in tab.charts])
    heights = [*geo.heights, *(LINE_POINTS,) * (last - len(geo.heights))]
    pages, top, used = [], 1, 0.0
    for r, h in enumerate(heights, start=1):
        if r > top and (r in plan.breaks or used + h > page):
            pages.append((top, r - 1))
            top, used = r, 0.0
        used += h
    return [*pages, (top, last)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=2, max_size=5))
def test_no_chart_straddles_a_page_break(sizes: list[int]) -> None:
    tables = [_table(n, title="" if i == 0 else f"Bloc {i}") for i, n in enumerate(sizes)]
    plots = [Plot("bar", f"G{i}", t, (1,)) for i, t in enumerate(tables)]
    tab = lay_out("T", "b", "t", tables, plots=plots)
    geo = geometry(tab)
    plan = print_plan(tab, geo)
    page = PRINT_HEIGHT_POINTS * 100 / plan.scale
    pages = _page_rows(plan, tab, geo)
    for chart in tab.charts:
        first = from_a1(chart.anchor)[0]
        last = first + chart.rows - 1
        tall = sum(geo.heights[first - 1:last]) + LINE_POINTS * max(0, last - len(geo.heights))
        # a chart taller than a page is cut anyway; one beside the first table starts on the
        # first page by design (a page break before it would leave only the tab's title)
        if tall <= page and first > GeneratedTab.FIRST_DATA_ROW:
            assert any(a <= first and last <= b for a, b in pages), (chart.anchor, pages)


def test_the_scale_fits_every_column_and_chart_on_one_page_wide() -> None:
    table = Table(("Nom", "N"), tuple((OutCell("x" * 40), OutCell(i)) for i in range(80)))
    tab = lay_out("T", "b", "t", [table, _table(3, title="Bloc")],
                  plots=[Plot("bar", "G", table, (1,))])
    geo = geometry(tab)
    plan = print_plan(tab, geo)
    last = max(len(geo.widths), *(from_a1(c.anchor)[1] + c.cols - 1 for c in tab.charts))
    printed = sum((geo.width(c) * 7 + 5) * 0.75 for c in range(1, last + 1)) * plan.scale / 100
    assert printed <= PRINT_WIDTH_POINTS
    assert plan.scale >= 50  # no needless shrinking


def test_a_header_word_is_never_cut() -> None:
    tab = GeneratedTab("J", "b", "t", ("Avertissements",), ((OutCell(1),),), widths=(8,))
    assert geometry(tab).widths[0] >= len("Avertissements")


def test_stacked_blocks_do_not_repeat_the_first_header_but_one_table_does() -> None:
    assert lay_out("T", "b", "t", [_table(2), _table(2, title="Bloc")]).print_rows is None
    assert lay_out("T", "b", "t", [_table(2)]).print_rows == (4, 4)
