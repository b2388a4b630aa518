"""« Bilan de l'année » (issue #17, item 6), printed by LibreOffice, reads right: the same
rules as every generated tab (pdf_layout: no overlap, no text cut, no chart over a cell),
for a year under way, a year where nothing is held yet, and 150 schools."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sheets_sync.backends.excel.render import render_package
from sheets_sync.dashboards.marks import banner
from sheets_sync.dashboards.year_review import year_review_tab

from ..dashboards.test_year_review import (
    CLAIRE,
    CONFIG,
    SPONSORSHIP,
    T4,
    YEAR,
    classroom,
    event,
    person,
    sponsorship,
    tracked,
    year_of,
)
from ..helpers import need_apps
from .pdf_layout import faults_of, render, report

NOW = dt.datetime(2027, 1, 4, 9, 30)


def test_year_review_prints_without_layout_fault(tmp_path: Path) -> None:
    need_apps("soffice", "pdftotext")
    mark = banner(NOW)
    early = year_of([event(T4, "lancement", dt.date(2026, 9, 22), (CLAIRE,))])
    klasses = [classroom(f"Collège n°{n:03d}", "4e", 1) for n in range(150)]
    members = [person(f"p{n:03d}", "Pré", f"NOM{n}", "F", "Infirmière", "Santé")
               for n in range(150)]
    pairs = list(zip(klasses, members, strict=True))
    many = year_of([event(k, "lancement", dt.date(2026, 9, 22), (m,)) for k, m in pairs],
                   [tracked(k.unit.id, "lancement", "tenu") for k in klasses[::3]], pairs=pairs)
    tabs = [
        year_review_tab(CONFIG, YEAR, SPONSORSHIP, mark),
        dataclasses.replace(year_review_tab(CONFIG, early, SPONSORSHIP, mark),
                            name="Bilan (début)"),
        dataclasses.replace(year_review_tab(CONFIG, many, sponsorship(klasses, members, pairs),
                                            mark), name="Bilan (150)"),
    ]
    book = tmp_path / "bilan.xlsx"
    book.write_bytes(render_package(tabs))
    rendered = render(book, tmp_path / "rendu")
    assert set(rendered.pages) == {t.name for t in tabs}
    faults = faults_of(rendered)
    assert not faults, report(faults)


