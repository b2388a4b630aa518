"""adopt_sheet remaps a rendered sheet's style indices a few megabytes of rows at a time, in
its UTF-8 bytes (issue #16): the result is the one a single substitution over the whole text
gives, wherever the chunks end, whatever the characters."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.backends.excel import graft
from sheets_sync.backends.excel.graft import adopt_sheet

XF_MAP = {0: 0, 1: 7, 2: 8, 3: 31, 12: 4}
HEAD = '<worksheet><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'


def _reference(xml: str) -> str:
    """One substitution over the whole text, as the graft did before."""
    styled = re.sub(r'(<c r="[A-Z]{1,3}[0-9]{1,7}" s=")([0-9]+)(?=")',
                    lambda m: m.group(1) + str(XF_MAP[int(m.group(2))]), xml)
    return styled.replace(' tabSelected="1"', "", 1)


cells = st.lists(st.tuples(st.sampled_from(sorted(XF_MAP)), st.text(max_size=8)),
                 min_size=0, max_size=4)
rows = st.lists(cells, min_size=0, max_size=12)


def _sheet(table: list[list[tuple[int, str]]]) -> str:
    out = [HEAD, "<sheetData>"]
    for r, row in enumerate(table, start=1):
        out.append(f'<row r="{r}">')
        for c, (style, text) in enumerate(row):
            col = "ABCD"[c]
            safe = text.replace("&", "&amp;").replace("<", "&lt;")
            out.append(f'<c r="{col}{r}" s="{style}" t="inlineStr"><is><t>{safe}</t></is></c>')
        out.append("</row>")
    out.append('</sheetData><pageSetup s="3"/></worksheet>')
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(table=rows, chunk=st.integers(min_value=1, max_value=300))
def test_chunks_give_the_whole_substitution(table: list[list[tuple[int, str]]],
                                            chunk: int) -> None:
    xml = _sheet(table)
    saved = graft._CHUNK
    graft._CHUNK = chunk
    try:
        adopted = adopt_sheet(xml.encode("utf-8"), [], XF_MAP)
    finally:
        graft._CHUNK = saved
    assert adopted.decode("utf-8") == _reference(xml)


def test_a_tab_larger_than_a_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of rows of « Éléonore » across many chunks: every style remapped once."""
    table = [[(1, "Éléonore"), (3, "x")] for _ in range(3_000)]
    xml = _sheet(table)
    monkeypatch.setattr(graft, "_CHUNK", 4_096)
    adopted = adopt_sheet(xml.encode("utf-8"), [], XF_MAP).decode("utf-8")
    assert adopted == _reference(xml)
    assert adopted.count(' s="7"') == 3_000 and adopted.count(' s="31"') == 3_000
    assert 'tabSelected' not in adopted
