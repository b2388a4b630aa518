"""« Bilan de l'année » (issue #17, item 6) in the HTML report: one section among the partner
tabs, each block a captioned table, each chart an SVG named by its title and described by its
data, no contact, the early-year tab without any chart."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sheets_sync.cells.grid import GeneratedTab
from sheets_sync.dashboards.year_review import NOTHING_HELD, year_review_tab
from sheets_sync.reports.html_page import contact_cells
from sheets_sync.reports.svg_charts import NNBSP

from ..dashboards.test_year_review import CLAIRE, CONFIG, SPONSORSHIP, T4, YEAR, event, year_of
from ..report_tabs import BANNER, partner_tabs
from .test_html_page import page

EARLY = year_of([event(T4, "lancement", dt.date(2026, 9, 22), (CLAIRE,))])


def tabs() -> list[GeneratedTab]:
    review = year_review_tab(CONFIG, YEAR, SPONSORSHIP, BANNER)
    early = dataclasses.replace(year_review_tab(CONFIG, EARLY, SPONSORSHIP, BANNER),
                                name="Bilan (début d'année)")
    return [*partner_tabs(), review, early]


def sections(text: str) -> list[str]:
    return text.split('<section class="tab"')[1:]


def test_a_section_with_captioned_tables_and_described_charts() -> None:
    text, _ = page(tabs())
    review = next(s for s in sections(text) if "Onglet « Bilan de l&#x27;année »" in s)
    _, part = page([year_review_tab(CONFIG, YEAR, SPONSORSHIP, BANNER)])
    captions = [t for _, t in part.all("caption")]
    assert [c for c in captions if c != "Données du graphique"][:6] == [
        f"Bilan de l'année — {CONFIG.name} ({CONFIG.school_year})",
        "Par temps fort",
        "Ambassadeurs rencontrés",
        "Par métier porteur (personnes)",
        "Productions des classes par type et état",
        "Par établissement",
    ]
    svgs = part.all("svg")
    assert [a["data-kind"] for a, _ in svgs] == ["column", "bar", "bar"]
    assert all(a["role"] == "img" and a["aria-labelledby"] for a, _ in svgs)
    titles = [t for a, t in part.all("title") if a.get("id", "").endswith("-title")]
    assert titles == ["Temps forts planifiés et tenus", "Productions des classes par type et état",
                      "Temps forts planifiés et tenus par établissement"]
    assert part.texts("desc")[0] == ("Planifiés — lancement : 3 ; immersion : 2 ; restitution : 2. "
                                     "Tenus — lancement : 2 ; immersion : 0 ; restitution : 0.")
    assert len(part.all("details")) == 3  # each chart's data as a table
    assert f"29{NNBSP}%" in review  # percent style: 2 held of 7 planned
    assert all('scope="col"' in t for t in review.split("<table")[1:])


def test_early_year_section_has_no_chart_and_says_why() -> None:
    text, _ = page(tabs())
    early = next(s for s in sections(text) if "Onglet « Bilan (début d&#x27;année) »" in s)
    assert "<svg" not in early
    assert NOTHING_HELD.replace("'", "&#x27;") in early


def test_no_contact_in_the_report() -> None:
    assert contact_cells(tabs()) == []
    text, _ = page(tabs())
    assert "@" not in text.split("<main", 1)[1]
