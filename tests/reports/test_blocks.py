"""A generated tab cut into the tables a reader sees: blank rows and columns separate them."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.cells.grid import GeneratedTab, OutCell
from sheets_sync.reports.blocks import Block, filled, tab_bands

from ..report_tabs import BANNER, classes_tab, summary_tab


def tab(header: tuple[str, ...], *rows: tuple[OutCell, ...]) -> GeneratedTab:
    return GeneratedTab(name="Essai", banner=BANNER, title="Essai", header=header, rows=rows)


def values(row: tuple[OutCell, ...]) -> list[object]:
    return [c.value for c in row]


def test_a_plain_table_is_one_block() -> None:
    bands = tab_bands(classes_tab())
    assert len(bands) == 1 and len(bands[0]) == 1 and len(bands[0][0]) == 1
    block = bands[0][0][0]
    assert block.caption == "" and values(block.head)[0] == "Établissement"
    assert len(block.rows) == 4 and block.columns == (1, 2, 3, 4, 5)


def test_blank_rows_cut_bands_and_blank_columns_cut_blocks() -> None:
    x = OutCell("x")
    bands = tab_bands(
        tab(
            ("A", "B", "", "D"),
            (x, x, OutCell(None), x),
            (),
            (OutCell(None), OutCell(None), OutCell(None), OutCell("Par secteur", "title")),
            (OutCell(None), OutCell(None), OutCell(None), OutCell(1)),
        )
    )
    assert [[[b.columns for b in s] for s in band] for band in bands] == [
        [[(1, 2)], [(4,)]],
        [[(4,)]],
    ]
    last = bands[1][0][0]
    assert last.caption == "Par secteur" and values(last.head) == ["D"]  # the tab's header


def test_title_alone_and_header_after_data() -> None:
    bands = tab_bands(
        tab(
            ("Indicateur", "Valeur"),
            (OutCell("Reçues"), OutCell(12)),
            (OutCell("Session", "header"), OutCell("Réponses", "header")),
            (OutCell("1re session"), OutCell(4)),
            (),
            (OutCell("Ambassadeurs sans classe : 18", "title"),),
        )
    )
    blocks = [b for band in bands for s in band for b in s]
    assert [(b.caption, values(b.head), len(b.rows)) for b in blocks] == [
        ("", ["Indicateur", "Valeur"], 1),
        ("", ["Session", "Réponses"], 1),
        ("Ambassadeurs sans classe : 18", [], 0),
    ]


def test_no_row_no_band_header_only_kept() -> None:
    assert tab_bands(tab(())) == []
    [[[block]]] = tab_bands(tab(("A", "B")))
    assert values(block.head) == ["A", "B"] and block.rows == ()


def test_summary_blocks_keep_every_value() -> None:
    blocks = [b for band in tab_bands(summary_tab()) for s in band for b in s]
    assert sum(len(b.rows) for b in blocks) == len(summary_tab().rows)


CELL = st.one_of(
    st.just(OutCell(None)),
    st.just(OutCell("")),
    st.builds(OutCell, st.text(min_size=1, max_size=5).filter(str.strip)),
    st.builds(OutCell, st.integers(0, 99), st.sampled_from([None, "integer", "ok"])),
)
ROW = st.one_of(
    st.lists(CELL, max_size=6).map(tuple),
    st.just(()),
    st.builds(lambda t: (OutCell(t, "title"),), st.text(min_size=1, max_size=5)),
    st.lists(st.builds(OutCell, st.text(min_size=1, max_size=5), st.just("header")),
             min_size=1, max_size=6).map(tuple),
)  # fmt: skip


def _is_heading(row: tuple[OutCell, ...]) -> bool:
    return any(filled(c) for c in row) and all(
        c.style in ("title", "header") for c in row if filled(c)
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=4), max_size=6).map(tuple), st.lists(ROW, max_size=14))
def test_every_value_shown_once_never_a_blank_row(
    header: tuple[str, ...], rows: list[tuple[OutCell, ...]]
) -> None:
    """Whatever the layout: each data value lands in exactly one table row, no table row is
    blank, every row has its table's width, every caption is a title of the tab."""
    blocks: list[Block] = [b for band in tab_bands(tab(header, *rows)) for s in band for b in s]
    data = Counter(c.value for r in rows if not _is_heading(r) for c in r if filled(c))
    shown = Counter(c.value for b in blocks for r in b.rows for c in r if filled(c))
    assert shown == data
    titles = {str(r[0].value) for r in rows if len(r) == 1 and r[0].style == "title"}
    for b in blocks:
        assert all(any(filled(c) for c in r) for r in b.rows)
        assert all(len(r) == len(b.columns) for r in (*b.rows, *([b.head] if b.head else [])))
        assert b.caption == "" or b.caption in titles
        assert b.rows or b.head or b.caption
