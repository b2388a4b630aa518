"""Native charts of generated tabs as Sheets addChart requests (BasicChartSpec or PieChartSpec).

A grid.Chart over rows 5..9 of « Synthèse » (categories in A, one series in B), anchored at
E4, becomes, in the publish's single batch::

    {"addChart": {"chart": {
        "spec": {"title": …, "basicChart": {"chartType": "COLUMN",
                 "domains": [{"domain": {"sourceRange": {"sources": [
                     {"sheetId": 7, "startRowIndex": 4, "endRowIndex": 9,
                      "startColumnIndex": 0, "endColumnIndex": 1}]}}}],
                 "series": [{"series": {"sourceRange": …column B…}, "targetAxis": …}]}},
        "position": {"overlayPosition": {"anchorCell":
                     {"sheetId": 7, "rowIndex": 3, "columnIndex": 4}, …}}}}}

Ranges are 0-based and half-open. Replacing a tab (deleteSheet + addSheet) drops its old
charts with it, so a re-publish never duplicates them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...cells.a1 import from_a1
from ...cells.grid import CHART_KINDS, Chart, GeneratedTab

Request = dict[str, Any]

CHART_TYPES = {"column": "COLUMN", "bar": "BAR"}
CHART_WIDTH, CHART_HEIGHT = 480, 288  # pixels, as xlsxwriter's default Excel chart


def column_range(sheet_id: int, col: int, first_row: int, last_row: int) -> dict[str, int]:
    """GridRange of 1-based column `col`, rows first_row..last_row (0-based, half-open)."""
    return {
        "sheetId": sheet_id,
        "startRowIndex": first_row - 1,
        "endRowIndex": last_row,
        "startColumnIndex": col - 1,
        "endColumnIndex": col,
    }


def _source(rng: dict[str, int]) -> dict[str, Any]:
    return {"sourceRange": {"sources": [rng]}}


def _named_by_header(chart: Chart, source: GeneratedTab | None) -> bool:
    """Whether the row above the chart's rows holds each series' name (Sheets names a series
    after its header cell only: a BasicChartSeries has no name of its own)."""
    if source is None or chart.first_row < 2:
        return False
    rows = source.as_rows()
    above = rows[chart.first_row - 2] if chart.first_row - 1 <= len(rows) else []
    return all(s.column <= len(above) and above[s.column - 1].value == s.name for s in chart.series)


def chart_spec(chart: Chart, source_id: int, source: GeneratedTab | None = None) -> dict[str, Any]:
    """The ChartSpec of a chart over tab `source_id` (its cells: `source`, when known)."""
    # a PieChartSpec has no headerCount: its range holds data rows only
    header = 1 if chart.kind != "pie" and _named_by_header(chart, source) else 0
    first = chart.first_row - header

    def rng(col: int) -> dict[str, int]:
        return column_range(source_id, col, first, chart.last_row)

    spec: dict[str, Any] = {"title": chart.title}
    if chart.kind == "pie":
        spec["pieChart"] = {
            "legendPosition": "RIGHT_LEGEND",
            "domain": _source(rng(chart.categories)),
            "series": _source(rng(chart.series[0].column)),
        }
        return spec
    axis = "BOTTOM_AXIS" if chart.kind == "bar" else "LEFT_AXIS"
    spec["basicChart"] = {
        "axis": [_count_axis(axis, chart, source)],
        "chartType": CHART_TYPES[chart.kind],
        "legendPosition": "BOTTOM_LEGEND",
        "headerCount": header,
        "domains": [{"domain": _source(rng(chart.categories))}],
        "series": [{"series": _source(rng(s.column)), "targetAxis": axis} for s in chart.series],
    }
    return spec


def _count_axis(position: str, chart: Chart, source: GeneratedTab | None) -> dict[str, Any]:
    """The value axis of counts: from 0 up to a multiple of a round step (1, 2, 5, 10…),
    so Sheets draws whole-number gridlines (the API sets no major unit itself)."""
    window: dict[str, Any] = {"viewWindowMode": "EXPLICIT", "viewWindowMin": 0}
    values: list[float] = []
    if source is not None:
        rows = source.as_rows()
        for r in range(chart.first_row, chart.last_row + 1):
            row = rows[r - 1] if r <= len(rows) else []
            for s in chart.series:
                value = row[s.column - 1].value if s.column <= len(row) else None
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    values.append(value)
    if values and all(float(v).is_integer() for v in values):
        top, step = max(values), 1
        while top / step > 10:
            step = {1: 2, 2: 5, 5: 10}[int(str(step)[0])] * 10 ** (len(str(step)) - 1)
        window["viewWindowMax"] = max(step, -(-top // step) * step)
    return {"position": position, "viewWindowOptions": window}


def chart_requests(
    tab: GeneratedTab,
    sheet_id: int,
    gids: Mapping[str, int] | None = None,
    tabs: Mapping[str, GeneratedTab] | None = None,
    sizes: Sequence[tuple[int, int]] = (),
) -> list[Request]:
    """One addChart per chart of the tab, anchored on `sheet_id` at the chart's anchor cell,
    `sizes[n]` pixels wide and high (from the layout; default 480 × 288).

    A chart reads its own tab unless it names another (`chart.sheet`, looked up in `gids`,
    title -> sheetId, ignoring case). A chart over no row (nothing to count yet) is not drawn;
    a pie shows its first series. Series are named after the row above the chart's rows when
    it holds their names (see _named_by_header).
    """
    folded = {title.casefold(): gid for title, gid in (gids or {}).items()}
    known = {name.casefold(): t for name, t in (tabs or {}).items()}
    out: list[Request] = []
    for n, chart in enumerate(tab.charts):
        width, height = sizes[n] if n < len(sizes) else (CHART_WIDTH, CHART_HEIGHT)
        if chart.kind not in CHART_KINDS:
            raise ValueError(f"unknown chart kind: {chart.kind!r}")
        if chart.last_row < chart.first_row or not chart.series:
            continue
        name = chart.sheet if chart.sheet is not None else tab.name
        source_id = sheet_id if chart.sheet is None else folded.get(name.casefold())
        if source_id is None:
            raise ValueError(f"chart {chart.title!r} reads an unknown tab: {name!r}")
        source = tab if chart.sheet is None else known.get(name.casefold())
        row, col = from_a1(chart.anchor)
        out.append(
            {
                "addChart": {
                    "chart": {
                        "spec": chart_spec(chart, source_id, source),
                        "position": {
                            "overlayPosition": {
                                "anchorCell": {
                                    "sheetId": sheet_id,
                                    "rowIndex": row - 1,
                                    "columnIndex": col - 1,
                                },
                                "widthPixels": width,
                                "heightPixels": height,
                            }
                        },
                    }
                }
            }
        )
    return out
