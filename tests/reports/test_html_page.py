"""The HTML report: one self-contained French page, every value escaped, charts as SVG."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells.grid import Chart, GeneratedTab, OutCell, Series
from sheets_sync.reports.html_page import (
    contact_cells,
    link_target_tab,
    render_html,
    safe_url,
    standalone_tabs,
)
from sheets_sync.reports.svg_charts import NNBSP, format_value

from ..report_tabs import BANNER, NOW, classes_tab, partner_tabs, summary_tab

HOSTILE = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "wbr", "source"}


class Page(HTMLParser):
    """The parsed page: every element (tag, attrs, text inside), in document order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self.open: list[int] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))
        if tag not in VOID:
            self.open.append(len(self.elements) - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.elements[self.open[-1]][0] == tag, f"misnested </{tag}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        for i in self.open:
            self.elements[i][2].append(data)

    def all(self, tag: str, cls: str | None = None) -> list[tuple[dict[str, str], str]]:
        return [
            (a, "".join(t))
            for g, a, t in self.elements
            if g == tag and (cls is None or cls in a.get("class", "").split())
        ]

    def texts(self, tag: str) -> list[str]:
        return [t for _, t in self.all(tag)]


def page(tabs: list[GeneratedTab], title: str = "Rapport de test") -> tuple[str, Page]:
    text = render_html(tabs, title, NOW)
    return text, Page(text)


def tab_with(rows: tuple[tuple[OutCell, ...], ...], **extra: object) -> GeneratedTab:
    fields: dict[str, object] = {
        "name": "Essai",
        "banner": BANNER,
        "title": "Essai",
        "header": ("A", "B"),
        "rows": rows,
        **extra,
    }
    return GeneratedTab(**fields)  # type: ignore[arg-type]


def test_one_french_page_a_section_per_visible_tab() -> None:
    text, p = page(partner_tabs())
    assert text.startswith("<!DOCTYPE html>\n")
    assert [a.get("lang") for a, _ in p.all("html")] == ["fr"]
    assert p.texts("title")[0] == "Rapport de test"  # then the charts' and bars' titles
    assert p.texts("h2") == [
        "Synthèse — Classes Proch'Orientation (2021-2022)",
        "Classes volontaires par établissement",
    ]
    assert [a["id"] for a, _ in p.all("section")] == ["onglet-1", "onglet-2"]
    assert [a["href"] for a, _ in p.all("a")][:3] == ["#contenu", "#onglet-1", "#onglet-2"]
    assert [a.get("id") for a, _ in p.all("main")] == ["contenu"]  # the skip link's target
    assert "Mémoire" not in text and "college-des-tisserands" not in text  # hidden tab
    assert "Rapport établi le 16/07/2021 à 10:30." in p.texts("p")
    assert p.texts("th")[:2] == ["Indicateur", "Valeur"]
    assert "Les doublons ne sont pas comptés." in p.texts("li")
    assert p.open == []  # every element closed


def test_self_contained_no_script_no_external_resource() -> None:
    text, p = page(partner_tabs())
    tags = {tag for tag, _, _ in p.elements}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base", "form"}
    assert not any(
        k in ("src", "srcset", "action") or k.startswith("on")
        for _, attrs, _ in p.elements
        for k in attrs
    )
    assert len(p.all("style")) == 1
    assert "@import" not in text and "url(" not in text
    csp = [a["content"] for a, _ in p.all("meta") if a.get("http-equiv")]
    assert csp and csp[0].startswith("default-src 'none'")
    viewport = [a["content"] for a, _ in p.all("meta") if a.get("name") == "viewport"]
    assert viewport == ["width=device-width, initial-scale=1"]
    assert "@media print" in text and "break-before:page" in text
    assert ".table-wrap{overflow-x:auto" in text


def test_values_formatted_the_french_way() -> None:
    _, p = page(partner_tabs())
    cells = p.texts("td")
    assert f"75{NNBSP}%" in cells
    assert f"1{NNBSP}234" in cells
    assert "16/07/2021" in cells
    numeric = [t for a, t in p.all("td", "num")]
    assert f"1{NNBSP}234" in numeric and "16/07/2021" in numeric


@pytest.mark.parametrize(
    ("value", "style", "shown"),
    [
        (0.45, "percent", f"45{NNBSP}%"),
        (0.125, "percent", f"13{NNBSP}%"),  # half up, as a spreadsheet shows it
        (1, "percent", f"100{NNBSP}%"),
        (1234, "integer", f"1{NNBSP}234"),
        (1234567, None, f"1{NNBSP}234{NNBSP}567"),
        (-2500, None, f"-2{NNBSP}500"),
        (2.5, "integer", "3"),
        (3.5, None, "3,5"),
        (1234.25, None, f"1{NNBSP}234,25"),
        (4.0, None, "4"),
        (float("nan"), None, "—"),
        (dt.date(2021, 7, 16), "date", "16/07/2021"),
        (dt.datetime(2021, 9, 10, 8, 5), None, "10/09/2021 08:05"),
        (dt.datetime(2021, 9, 10), "date", "10/09/2021"),
        (dt.time(14, 30), None, "14:30"),
        (True, None, "Oui"),
        (False, None, "Non"),
        (None, "integer", ""),
        ("a\x00b\x1fc", None, "abc"),
    ],
)
def test_format_value(value: object, style: str | None, shown: str) -> None:
    assert format_value(value, style) == shown  # type: ignore[arg-type]


def hostile_tabs() -> list[GeneratedTab]:
    rows = (
        (OutCell(HOSTILE), OutCell(3, "integer")),
        (OutCell(FORMULA), OutCell(5, "integer")),
        (OutCell('"><img src=x onerror=alert(1)>'), OutCell("&amp; <b>gras</b>")),
    )
    chart = Chart("column", HOSTILE, 5, 6, 1, (Series("</desc><script>x()</script>", 2),), "D4")
    return [
        tab_with(
            rows,
            name="<b>onglet</b>",
            title=HOSTILE,
            header=(HOSTILE, FORMULA),
            notes=(HOSTILE,),
            charts=(chart,),
        )
    ]


def test_hostile_text_is_shown_as_text() -> None:
    text, p = page(hostile_tabs(), title=HOSTILE)
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert not {tag for tag, _, _ in p.elements} & {"script", "img", "b"}
    assert p.texts("title")[0] == HOSTILE
    assert p.texts("h1") == [HOSTILE] and p.texts("h2") == [HOSTILE]
    cells = p.texts("td")
    assert HOSTILE in cells and FORMULA in cells
    assert '"><img src=x onerror=alert(1)>' in cells and "&amp; <b>gras</b>" in cells
    heads = p.texts("th")  # the chart's data table, then the tab's table
    assert heads[:2] == [HOSTILE, "</desc><script>x()</script>"]
    assert heads[-2:] == [HOSTILE, FORMULA]
    assert "Onglet « <b>onglet</b> »" in p.texts("p")
    assert p.texts("figcaption") == [HOSTILE]
    assert [t for t in p.texts("title") if t == HOSTILE] == [HOSTILE, HOSTILE]  # page, chart
    assert not any(k.startswith("on") for _, attrs, _ in p.elements for k in attrs)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.text(max_size=30))
def test_any_text_stays_one_cell(value: str, title: str) -> None:
    tab = tab_with(((OutCell(value), OutCell(title, link="javascript:" + title)),), title=title)
    _, p = page([tab], title=title)
    assert not {tag for tag, _, _ in p.elements} & {"script", "img"}
    assert [a["href"] for a, _ in p.all("a")] == ["#contenu"]  # the skip link only
    shown = [format_value(value), format_value(title)]
    blank = value == "" and title == ""  # a blank row is not drawn
    assert p.texts("td") == (["Aucune ligne."] if blank else shown)
    assert p.texts("h2") == [title or "Essai"] and p.open == []


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("mailto:ambassadeur@example.org", True),
        ("mailto:a@example.org?subject=Classes%20Proch%27Orientation&body=Bonjour", True),
        ("https://example.org/rapport?a=1&b=2", True),
        ("HTTP://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox", False),
        ("file:///etc/passwd", False),
        ("https://", False),
        ("https:example.org", False),
        ("https://exa mple.org/", False),
        ('https://example.org/"onmouseover="x', False),
        ("https://[::1", False),
        ("mailto:", False),
        ("mailto:?subject=x", False),
        ("//example.org", False),
    ],
)
def test_safe_url(link: str, kept: bool) -> None:
    assert (safe_url(link) == link) is kept
    assert safe_url(link) is None or kept


def test_links_kept_only_when_safe_or_internal_to_the_page() -> None:
    rows = (
        (OutCell("Écrire", link="mailto:a@example.org?subject=Essai"), OutCell(1)),
        (OutCell("Site", link="https://example.org/x?a=1&b=2"), OutCell(2)),
        (OutCell("Piège", link="javascript:alert(1)"), OutCell(3)),
        (OutCell("Synthèse B7", link="'Synthèse'!B7"), OutCell(4)),
        (OutCell("F7 (Vos objectifs)", link="'Réponses'!F7"), OutCell(5)),
        (OutCell(None, link="https://example.org/seul"), OutCell(6)),
    )
    text, p = page([summary_tab(), tab_with(rows)])
    links = [(a["href"], t) for a, t in p.all("a")]
    assert links[3:] == [  # after the skip link and the contents
        ("mailto:a@example.org?subject=Essai", "Écrire"),
        ("https://example.org/x?a=1&b=2", "Site"),
        ("#onglet-1", "Synthèse B7"),
        ("https://example.org/seul", "https://example.org/seul"),
    ]
    assert "Piège" in p.texts("td") and "F7 (Vos objectifs)" in p.texts("td")
    assert "javascript:" not in text and "b=2" in text and "&amp;b=2" in text
    # no URL in the page but the kept links and the SVG namespace
    urls = set(re.findall(r"(?:https?:)?//[^\s\"'<>)]+", text))
    assert urls == {
        "https://example.org/x?a=1&amp;b=2",
        "https://example.org/seul",
        "http://www.w3.org/2000/svg",
    }


@pytest.mark.parametrize(
    ("link", "tab"),
    [
        ("'Réponses'!F7", "Réponses"),
        ("Synthèse!$B$7", "Synthèse"),
        ("'L''école'!A1", "L'école"),
        ("https://example.org", None),
        ("Réponses", None),
        ("'Réponses'!", None),
    ],
)
def test_link_target_tab(link: str, tab: str | None) -> None:
    assert link_target_tab(link) == tab


def test_svg_charts_one_bar_per_value_with_text_alternative() -> None:
    _, p = page(partner_tabs())
    svgs = p.all("svg")
    assert [a["data-kind"] for a, _ in svgs] == ["column", "pie", "bar"]
    assert all(a["role"] == "img" and a["viewbox"].startswith("0 0 400 ") for a, _ in svgs)
    assert len(p.all("rect", "bar")) == 3 + 4 * 2  # column: 3 rows; bar: 4 rows × 2 series
    assert len(p.all("path", "slice")) == 3
    titles = [t for a, t in p.all("title") if a.get("id", "").endswith("-title")]
    assert titles == [
        "Réponses des établissements",
        "Réponses complètes par session",
        "Classes par établissement",
    ]
    descs = p.texts("desc")
    assert descs[0] == (
        "Établissements ayant répondu : 12 ; Participent (Oui) : 9 ; Ne participent pas (Non) : 3."
    )
    assert descs[2].startswith("4ème — Collège des Tisserands : 2 ; ")
    assert len(p.all("details")) == 3
    # the data table fallback: header + one row per category
    row_heads = [t for a, t in p.all("th") if a.get("scope") == "row"]
    assert row_heads[:3] == [
        "Établissements ayant répondu",
        "Participent (Oui)",
        "Ne participent pas (Non)",
    ]
    assert f"Réponses complètes — 1re session — 6 (67{NNBSP}%)" in p.texts("text")


def test_bar_lengths_follow_the_values() -> None:
    _, p = page([classes_tab()])
    widths = [float(a["width"]) for a, _ in p.all("rect", "bar")]
    fourth = widths[0::2]  # 4ème of each school: 2, 1, 0, 3
    assert fourth[3] == max(widths) and fourth[2] == 0.0
    assert fourth[0] == pytest.approx(2 * fourth[1], abs=0.2)


def test_chart_edge_cases() -> None:
    rows = (
        (OutCell("Seul"), OutCell(5)),
        (OutCell("Rien"), OutCell(0)),
        (OutCell("Texte"), OutCell("n/a")),
    )
    charts = (
        Chart("pie", "Camembert", 5, 7, 1, (Series("V", 2),), "D4"),
        Chart("column", "Vide", 7, 7, 1, (Series("V", 2),), "D20"),
        Chart("column", "Hors tableau", 40, 41, 1, (Series("V", 9),), "D30"),
    )
    _, p = page([tab_with(rows, charts=charts)])
    assert len(p.all("circle", "slice")) == 1 and not p.all("path", "slice")  # 100 %: a disc
    assert p.texts("desc") == [
        "Seul : 5 ; Rien : 0 ; Texte : —.",
        "Texte : —.",
        "(vide) : — ; (vide) : —.",
    ]
    assert p.texts("text").count("Aucune donnée") == 2


def test_many_categories_column_chart_drawn_as_bars() -> None:
    rows = tuple((OutCell(f"Collège n°{i}"), OutCell(i)) for i in range(1, 13))
    chart = Chart("column", "Douze", 5, 16, 1, (Series("V", 2),), "D4")
    _, p = page([tab_with(rows, charts=(chart,))])
    bars = p.all("rect", "bar")
    assert len(bars) == 12 and all(float(a["height"]) == 16 for a, _ in bars)


def test_chart_over_another_tab() -> None:
    source = summary_tab()
    chart = Chart(
        "bar", "Depuis la synthèse", 5, 6, 1, (Series("Valeur", 2),), "A1", sheet=source.name
    )
    _, p = page([source, tab_with((), charts=(chart,))])
    assert p.texts("desc")[-1] == "Établissements ayant répondu : 12 ; Participent (Oui) : 9."
    assert "Aucune ligne." in p.texts("td")


def test_standalone_tabs_drop_what_points_outside() -> None:
    summary = summary_tab()
    outside = Chart("pie", "État", 5, 6, 1, (Series("V", 2),), "D4", sheet="_sheets_sync")
    linked = tab_with(
        (
            (OutCell("a", link="'Réponses'!F7"), OutCell("b", link="'Synthèse'!B5")),
            (OutCell("c", link="mailto:x@example.org"), OutCell("d", link="javascript:x")),
        ),
        charts=(outside, *summary.charts),
    )
    hidden = dataclasses.replace(summary, name="_sheets_sync", hidden=True)
    kept = standalone_tabs([summary, linked, hidden])
    assert [t.name for t in kept] == ["Synthèse", "Essai"]
    assert [c.link for row in kept[1].rows for c in row] == [
        None,
        "'Synthèse'!B5",
        "mailto:x@example.org",
        None,
    ]
    assert kept[1].charts == summary.charts
    assert kept[0] == summary


def test_contact_cells_finds_emails_and_phones() -> None:
    assert contact_cells(partner_tabs()) == []
    rows = (
        (OutCell("Karim BENALI"), OutCell("karim.benali@example.org")),
        (OutCell("Écrire", link="mailto:sophie@example.org"), OutCell("06 12 34 56 78")),
        (OutCell("+33 6 12 34 56 78"), OutCell("03.20.00.00.00")),
        (OutCell("Classes : 12 34 56"), OutCell(612345678)),
        (OutCell("UAI 0590001A"), OutCell("2021-2022")),
    )
    assert contact_cells([tab_with(rows)]) == [
        ("Essai", "B5"),
        ("Essai", "A6"),
        ("Essai", "B6"),
        ("Essai", "A7"),
        ("Essai", "B7"),
        ("Essai", "B8"),
    ]


def test_no_tab() -> None:
    _, p = page([])
    assert p.texts("p")[-1] == "Aucun onglet à afficher." and not p.all("section")


def test_block_titles_inside_a_tab_head_their_rows() -> None:
    rows = (
        (OutCell("Participent"), OutCell(9, "integer")),
        (OutCell("Classes par établissement", "title"),),
        (OutCell("Établissement", "header"), OutCell("4ème", "header"), OutCell("3ème", "header")),
        (OutCell("Collège du Canal"), OutCell(1, "integer"), OutCell(2, "integer")),
    )
    _, p = page([tab_with(rows)])
    assert [(a.get("class"), t) for a, t in p.all("caption")] == [
        ("sr-only", "Essai"),  # the first table is named by the section's heading
        (None, "Classes par établissement"),
    ]
    heads = [(a.get("scope"), a.get("colspan"), t) for a, t in p.all("th")]
    assert heads == [(("col", None, h)) for h in ("A", "B", "Établissement", "4ème", "3ème")]
    assert p.texts("td") == ["Participent", "9", "Collège du Canal", "1", "2"]
    regions = [a["aria-labelledby"] for a, _ in p.all("div", "table-wrap")]
    assert regions == [a["id"] for a, _ in p.all("caption")]


def test_blank_rows_between_blocks_are_not_drawn_as_empty_table_rows() -> None:
    """The bug: the blank separator rows of a generated tab showed as thin empty rows."""
    blank = (OutCell(None), OutCell(""), OutCell(None))
    rows = (
        (OutCell("Réponses reçues"), OutCell(12, "integer")),
        blank,
        (OutCell("Réponses reçues par session", "header"), OutCell("Réponses", "header")),
        (OutCell("1re session"), OutCell(4, "integer")),
        blank,
        blank,
        (OutCell("Orientations choisies", "title"),),
        (OutCell("Orientation", "header"), OutCell("Établissements", "header")),
        (OutCell("secteurs porteurs"), OutCell(4, "integer")),
        (),
    )
    _, p = page([tab_with(rows)])
    assert len(p.all("table")) == 3
    assert [t for _, t in p.all("caption")] == [
        "Essai",
        "Réponses reçues par session",  # its first header, for screen readers
        "Orientations choisies",
    ]
    assert [a.get("class") for a, _ in p.all("caption")] == ["sr-only", "sr-only", None]
    text, _ = page([tab_with(rows)])
    assert "<td></td>" not in text and "<tr></tr>" not in text
    assert p.texts("td") == ["Réponses reçues", "12", "1re session", "4", "secteurs porteurs", "4"]


def test_side_by_side_blocks_become_two_tables() -> None:
    """Two blocks set side by side with a blank column between them (« Mobilisation »)."""
    rows = (
        (OutCell("Julie F."), OutCell("Boulanger"), OutCell(None), OutCell("Artisanat"),
         OutCell(3, "integer")),
        (OutCell("Lucas F."), OutCell("Boulanger"), OutCell(None), OutCell("Bâtiment"),
         OutCell(1, "integer")),
        (OutCell("Louis C."), OutCell("Électricien")),
    )  # fmt: skip
    tab = tab_with(rows, header=("Ambassadeur", "Métier", "", "Secteur", "Ambassadeurs"))
    text, p = page([tab])
    assert text.count('<div class="side">') == 1 and len(p.all("table")) == 2
    assert p.texts("th") == ["Ambassadeur", "Métier", "Secteur", "Ambassadeurs"]
    assert p.texts("td") == [
        "Julie F.", "Boulanger", "Lucas F.", "Boulanger", "Louis C.", "Électricien",
        "Artisanat", "3", "Bâtiment", "1",
    ]  # fmt: skip


def test_a_block_under_the_tab_header_keeps_its_column_headers() -> None:
    """« Égalité »: the tab's header, a blank row, then « Par secteur » and its rows."""
    rows = (
        (),
        (OutCell("Par secteur", "title"),),
        (OutCell("Industrie"), OutCell(3, "integer"), OutCell(2, "integer")),
        (),
        (OutCell("Ambassadeurs sans classe : 18", "title"),),
    )
    _, p = page([tab_with(rows, header=("", "Femmes", "Hommes"))])
    assert [t for _, t in p.all("caption")] == ["Par secteur"]
    assert p.texts("th") == ["Femmes", "Hommes"]
    assert p.texts("td") == ["", "Industrie", "3", "2"]  # the corner cell, then the row
    assert "Ambassadeurs sans classe : 18" in p.texts("p") and "Aucune ligne." not in p.texts("td")


def test_notes_written_in_the_grid_are_a_list_not_a_table() -> None:
    rows = (
        (OutCell("Participent"), OutCell(9, "integer")),
        (),
        (OutCell("Les doublons ne sont pas comptés.", "muted"),),
        (OutCell(None), OutCell("Source : annexe n°1.", "muted")),
    )
    _, p = page([tab_with(rows)])
    assert len(p.all("table")) == 1 and p.texts("td") == ["Participent", "9"]
    assert p.texts("li")[-2:] == ["Les doublons ne sont pas comptés.", "Source : annexe n°1."]


def test_a_tab_with_no_header_and_no_row_says_so() -> None:
    _, p = page([tab_with((), header=())])
    assert not p.all("table") and "Aucune ligne." in p.texts("p")


def test_trailing_empty_header_cells_are_spanned_by_the_last_header() -> None:
    rows = ((OutCell("Collège du Canal"), OutCell("I4"), OutCell("K4")),)
    _, p = page([tab_with(rows, header=("Établissement", "Cellules à corriger"))])
    assert [(a.get("colspan"), t) for a, t in p.all("th")] == [
        (None, "Établissement"),
        ("2", "Cellules à corriger"),
    ]


@pytest.mark.parametrize(
    ("labels", "vertical"),
    [
        (("Bâtiment", "Industrie", "Santé"), True),
        (
            ("Bâtiment", "Industrie", "Numérique", "Santé", "Transport et logistique", "Énergie"),
            False,
        ),  # « logistique » would be cut under its column
    ],
)
def test_column_chart_keeps_its_labels_whole(labels: tuple[str, ...], vertical: bool) -> None:
    rows = tuple((OutCell(label), OutCell(i + 1)) for i, label in enumerate(labels))
    chart = Chart("column", "Secteurs", 5, 4 + len(labels), 1, (Series("V", 2),), "D4")
    _, p = page([tab_with(rows, charts=(chart,))])
    bars = [a for a, _ in p.all("rect", "bar")]
    assert len(bars) == len(labels)
    assert all(float(a["height"]) == 16 for a in bars) is not vertical
    words = {w for t in p.texts("text") for w in t.split()}
    assert {w for label in labels for w in label.split()} <= words
