"""A plain row's cells worked out once per distinct value (issue #16: same bytes).

render._plain_row remembers the XML after a text or whole-number cell's reference (its
"tail"), by cell, per tab and per kind of row (taller than a line or not), for the cells
that do not wrap. The traps: values equal in a dict but written differently (1, 1.0, True),
the same text wrapped in one column and not in another, or in a tall row and a short one, a
text written with quotePrefix, an empty text with and without a style, a text xlsxwriter
escapes itself, a full memo. Each tab is compared, zip entry by zip entry, with xlsxwriter
writing every row itself, and with nothing remembered.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sheets_sync.backends.excel import render
from sheets_sync.backends.excel.render import render_package
from sheets_sync.cells.grid import GeneratedTab, Merge, OutCell

from .test_plain_rows import BANNER, TALL, _both, entries

MEDIUM = "un texte de quarante caractères environ"


def _tab(*rows: tuple[OutCell, ...], widths: tuple[int, ...] = (),
         merges: tuple[Merge, ...] = ()) -> GeneratedTab:
    return GeneratedTab(name="Données", banner=BANNER, title="Titre",
                        header=("A", "B", "C", "D"), rows=rows, widths=widths, merges=merges)


def _same_without_tails(tab: GeneratedTab, monkeypatch: pytest.MonkeyPatch,
                        fast: dict[str, bytes]) -> None:
    """Nothing remembered (every tail worked out again), and a memo full at once."""
    for most in (0, 2):
        with monkeypatch.context() as patch:
            patch.setattr(render, "TAILS_MAX", most)
            assert entries(render_package([tab])) == fast


def _sheet(parts: dict[str, bytes]) -> str:
    return parts["xl/worksheets/sheet1.xml"].decode()


def _check(tab: GeneratedTab, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    fast = _both(tab, monkeypatch)
    _same_without_tails(tab, monkeypatch, fast)
    return fast


def test_equal_values_of_other_types_are_not_taken_for_each_other(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [(OutCell(value, style), OutCell(value), OutCell("1"))
            for value in (1, 1.0, True, 1, True, 1.0, 0, False, 0.0, 0)
            for style in (None, "integer", "percent")]
    sheet = _sheet(_check(_tab(*rows), monkeypatch))
    assert sheet.count('t="b"') == 3 * 3 * 2  # 3 booleans, 3 styles, 2 columns


def test_dates_and_times_at_midnight_are_not_taken_for_each_other(
        monkeypatch: pytest.MonkeyPatch) -> None:
    day, midnight = dt.date(2021, 8, 1), dt.datetime(2021, 8, 1)
    rows = [(OutCell(value, style), OutCell(value), OutCell(dt.time(9, 30)))
            for value in (day, midnight, day, midnight, dt.datetime(2021, 8, 1, 9))
            for style in (None, "date")]
    _check(_tab(*rows), monkeypatch)


def test_a_text_wrapped_in_one_column_and_not_in_another(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # MEDIUM fits in the wide columns (A, C), wraps in the narrow ones (B, D)
    rows = [(OutCell(MEDIUM), OutCell(MEDIUM), OutCell(MEDIUM, "ok"), OutCell(MEDIUM, "ok"),
             OutCell(12, "integer"))
            for _ in range(4)]
    fast = _check(_tab(*rows, widths=(50, 12, 50, 12)), monkeypatch)
    assert _sheet(fast).count(f"<t>{MEDIUM}</t>") == 4 * 4


def test_the_same_text_in_tall_and_short_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [(OutCell("même texte", "ok"), OutCell(7, "integer"),
             OutCell(TALL if n % 3 == 1 else "x"), OutCell("même texte"))
            for n in range(9)]
    fast = _check(_tab(*rows, widths=(20, 10, 20, 20)), monkeypatch)
    tall = {int(n) for n in re.findall(r'<row r="(\d+)"[^>]*customHeight', _sheet(fast))}
    assert {5 + n for n in range(9)} & tall == {5 + n for n in range(9) if n % 3 == 1}


def test_quoted_empty_escaped_and_dated_texts_repeated(
        monkeypatch: pytest.MonkeyPatch) -> None:
    cells = (OutCell("=1+1"), OutCell(""), OutCell("", "error"), OutCell("a & b < c"),
             OutCell(" espacé "), OutCell("_x0041_"), OutCell("\tonglet"),
             OutCell(dt.date(2021, 8, 1)), OutCell(None, "warning"), OutCell(None))
    rows = [tuple(cells[(n + k) % len(cells)] for k in range(4)) for n in range(3 * len(cells))]
    _check(_tab(*rows), monkeypatch)


def test_rows_around_merges_and_links(monkeypatch: pytest.MonkeyPatch) -> None:
    # a merged row and a row with a link take xlsxwriter's path; their cells' neighbours in
    # other rows are the same values
    rows = [(OutCell("Roubaix"), OutCell(3, "integer"), OutCell("Oui", "ok"), OutCell("z")),
            (OutCell("Roubaix"), OutCell(3, "integer"),
             OutCell("Oui", "ok", "'Données'!A5"), OutCell("z")),
            (OutCell("Roubaix"), OutCell(3, "integer"), OutCell("Oui", "ok"), OutCell("z")),
            (OutCell("Roubaix", "wrap"), OutCell(None), OutCell("Oui", "ok"), OutCell("z")),
            (OutCell("Roubaix"), OutCell(3, "integer"), OutCell("Oui", "ok"), OutCell("z"))]
    _check(_tab(*rows, merges=(Merge(8, 1, 8, 2),)), monkeypatch)


def test_a_large_tab_with_few_values(monkeypatch: pytest.MonkeyPatch) -> None:
    sectors = ("Numérique", "Santé", "Industrie", "Bâtiment")
    rows = [(OutCell(f"Ambassadeur {n}"), OutCell(sectors[n % 4]), OutCell(n % 3, "integer"),
             OutCell("Oui", "warning") if n % 5 == 0 else OutCell(""))
            for n in range(400)]
    _check(_tab(*rows), monkeypatch)
