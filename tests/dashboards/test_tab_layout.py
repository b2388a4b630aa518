"""Issue #15, as the demo showed it: blocks that collided, charts over cells, headers split,
notes cut. Each generated tab now goes through the layout engine (cells/layout.py)."""

from __future__ import annotations

from sheets_sync.cells.a1 import from_a1
from sheets_sync.cells.grid import GeneratedTab, OutCell
from sheets_sync.cells.layout import LINE_POINTS, MAX_BARS, chart_cells, geometry, occupied_cells
from sheets_sync.dashboards.completeness import completeness_tab
from sheets_sync.dashboards.overview import summary_tab
from sheets_sync.dashboards.sponsorship_tabs import (
    equality_tab,
    mobilisation_tab,
    sponsorships_tab,
)

from .test_dashboards import CONFIG, NOW, campaign, named
from .test_sponsorship_tabs import (
    AWAY,
    CANAL_4E1,
    CLAIRE,
    IDLE,
    KARIM,
    LOGI,
    NADIA,
    TISSERANDS_3E1,
    sponsorship,
)

SPONSORSHIP = sponsorship([TISSERANDS_3E1, CANAL_4E1], [CLAIRE, LOGI, NADIA, KARIM, IDLE, AWAY],
                          [(TISSERANDS_3E1, CLAIRE), (TISSERANDS_3E1, NADIA),
                           (CANAL_4E1, NADIA), (CANAL_4E1, KARIM)])
CAMPAIGN = campaign(named("Collège A", orientation="stéréotypes"),
                    named("Collège B", classes_4e=2, orientation="visites d'entreprises"),
                    named("Collège C", orientation="secteurs porteurs"))


def _tabs() -> list[GeneratedTab]:
    return [summary_tab(CONFIG, CAMPAIGN, NOW, SPONSORSHIP),
            completeness_tab(CONFIG, CAMPAIGN, NOW),
            mobilisation_tab(CONFIG, SPONSORSHIP, "b"),
            equality_tab(CONFIG, SPONSORSHIP, "b"),
            sponsorships_tab(CONFIG, SPONSORSHIP, "b")]


def test_charts_only_over_empty_cells() -> None:
    for tab in _tabs():
        taken = occupied_cells(tab)
        for chart in tab.charts:
            assert chart.rows and chart.cols, (tab.name, chart.title)
            assert not chart_cells(chart) & taken, (tab.name, chart.title)


def test_synthese_blocks_have_a_blank_row_between_them() -> None:
    """A section title sat on the last row of the previous table."""
    tab = summary_tab(CONFIG, CAMPAIGN, NOW, SPONSORSHIP)
    rows = tab.as_rows()
    titles = [r for r, row in enumerate(rows, start=1)
              if r > GeneratedTab.HEADER_ROW and row and row[0].style == "title"]
    assert len(titles) >= 4
    for r in titles:
        assert not any(c.value for c in rows[r - 2]), r  # the row above is blank
    content = max(len(r) for r in rows)  # the charts after one blank column
    assert [from_a1(c.anchor)[1] for c in tab.charts] == [content + 2] * len(tab.charts)


def test_mobilisation_tables_side_by_side_with_a_blank_column() -> None:
    """« Sans classe » values ran into the next table."""
    tab = mobilisation_tab(CONFIG, SPONSORSHIP, "b")
    gap = tab.header.index("Sans classe") + 1  # 0-based index of the next column
    assert tab.header[gap] == "" and tab.header[gap + 1] == "Secteur"
    assert all(len(r) <= gap or r[gap] == OutCell(None) for r in tab.rows)
    assert tab.widths[gap - 1] >= len("Indisponible cette année")
    geo = geometry(tab)
    assert geo.heights[GeneratedTab.HEADER_ROW - 1] <= 2 * LINE_POINTS  # header: two lines


def test_equality_has_one_header_row_printed_on_each_page() -> None:
    tab = equality_tab(CONFIG, SPONSORSHIP, "b")
    headers = [r for r in tab.as_rows() if any(c.style == "header" for c in r)]
    assert len(headers) == 1
    assert tab.print_rows == (GeneratedTab.HEADER_ROW, GeneratedTab.HEADER_ROW)
    (chart,) = tab.charts
    assert tab.as_rows()[chart.first_row - 2][0].value == "Par secteur"


def test_notes_are_merged_and_tall_enough() -> None:
    """The footnote of « Égalité filles-garçons » was cut at the page edge."""
    tab = equality_tab(CONFIG, SPONSORSHIP, "b")
    geo = geometry(tab)
    first = GeneratedTab.FIRST_DATA_ROW + len(tab.rows) + 1
    for n, _ in enumerate(tab.notes):
        merge = next(m for m in geo.merges if m.first_row == first + n)
        assert (merge.first_col, merge.last_col) == (1, len(tab.header))
    assert geo.heights[first + len(tab.notes) - 2] > LINE_POINTS  # the long source note


def test_completeness_links_stay_in_their_columns() -> None:
    """The links ran over the next columns; « Avertissements » was split over two lines."""
    checked = campaign(named("Collège B", classes_3e="beaucoup", objectifs=None))
    tab = completeness_tab(CONFIG, checked, NOW)
    links = [c for row in tab.rows for c in row if c.link]
    assert len(links) == 2
    last = len(tab.header)
    widest = max(len(str(c.value)) for c in links)
    assert all(w >= widest for w in tab.widths[last - 1:last + 1])
    assert any(m.first_row == GeneratedTab.HEADER_ROW and m.first_col == last
               for m in tab.merges)  # the header across the link columns
    avert = tab.header.index("Avertissements")
    assert tab.widths[avert] >= len("Avertissements") + 1


def test_no_bar_chart_too_tall_to_label_every_school() -> None:
    many = campaign(*(named(f"Collège {n:03}") for n in range(MAX_BARS + 1)))
    titles = [c.title for c in summary_tab(CONFIG, many, NOW).charts]
    assert "Classes volontaires par établissement" not in titles
    few = campaign(*(named(f"Collège {n:03}") for n in range(MAX_BARS)))
    (bars,) = [c for c in summary_tab(CONFIG, few, NOW).charts if c.kind == "bar"]
    assert bars.last_row - bars.first_row + 1 == MAX_BARS
