"""What the report's « Données du graphique » tables are headed with (review of #15)."""

from __future__ import annotations

from sheets_sync.cells.grid import OutCell
from sheets_sync.cells.layout import Plot, Table, lay_out
from sheets_sync.reports.svg_charts import chart_data


def _rows(*pairs: tuple[str, int]) -> tuple[tuple[OutCell, ...], ...]:
    return tuple((OutCell(name), OutCell(n, "integer")) for name, n in pairs)


def test_a_chart_of_a_stacked_table_is_headed_by_that_table_not_by_the_tab() -> None:
    first = Table(("Indicateur", "Valeur"), _rows(("Réponses", 12)))
    sessions = Table(("Session", "Réponses"), _rows(("1re session", 4), ("2e session", 7)),
                     title="Réponses reçues par session")
    tab = lay_out("Synthèse", "b", "t", [first, sessions],
                  plots=[Plot("column", "Réponses reçues par session", sessions, (1,))])
    data = chart_data(tab.charts[0], tab)
    assert data.category_header == "Session"  # was « Indicateur », the tab's first header
    assert data.categories == ("1re session", "2e session")


def test_a_category_column_without_a_header_is_called_categorie_never_the_tab_title() -> None:
    first = Table(("", "Femmes"), _rows(("Industrie", 3)))
    tab = lay_out("Égalité", "b", "t", [first], plots=[Plot("bar", "G", first, (1,))])
    assert chart_data(tab.charts[0], tab).category_header == "Catégorie"  # nothing to name it
