"""Values the French way and charts as inline SVG, for the HTML report (pure).

A chart reads its block of a generated tab as written (rows 1-based, banner in row 1, so the
first data row is 5), like the native chart the Excel renderer draws over the same cells:

    # Synthèse   A (categories)                 B (series « Valeur »)
    # 5          Participent (Oui)              7
    # 6          Ne participent pas (Non)       2

Each chart is a <figure>: an SVG with <title> and <desc> (its data in words), one
`rect.bar` per value (column, bar) or one `path.slice` per non-zero value (pie), then the
same data as a table in a <details> for screen readers and copy-paste.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..cells.grid import CellValue, Chart, GeneratedTab, OutCell

NNBSP = "\u202f"  # espace fine insécable: thousands separator and before « % »
WIDTH = 400  # SVG user units; the figure scales to its box
FONT = 14
PALETTE = ("#2f5597", "#c55a11", "#548235", "#7030a0", "#9a7400", "#1f7a8c", "#7f7f7f", "#843c0c")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHAR = 0.58  # average glyph width, in font sizes


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _half_up(x: float) -> int:
    """Round half away from zero, as a spreadsheet displays it."""
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def _group(n: int) -> str:
    return f"{n:,}".replace(",", NNBSP)


def format_value(value: CellValue, style: str | None = None) -> str:
    """The text a French reader expects: « 1 234 », « 45 % », « 3,5 », « 16/07/2021 »."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return "—"
        if style == "percent":
            return f"{_group(_half_up(value * 100))}{NNBSP}%"
        if isinstance(value, int):
            return _group(value)
        if style == "integer" or value.is_integer():
            return _group(_half_up(value))
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", NNBSP).replace(".", ",")
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M}" if value.time() != dt.time(0) else f"{value:%d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return _ILLEGAL.sub("", str(value))


@dataclass(frozen=True)
class SeriesData:
    name: str
    values: tuple[float | None, ...]  # None: the cell holds no number
    texts: tuple[str, ...]  # each value as displayed


@dataclass(frozen=True)
class ChartData:
    category_header: str
    categories: tuple[str, ...]
    series: tuple[SeriesData, ...]

    @property
    def top(self) -> float:
        return max((v for s in self.series for v in s.values if v is not None), default=0.0)


def chart_data(chart: Chart, source: GeneratedTab) -> ChartData:
    """The categories and values a chart shows, read from its tab as written."""
    rows = source.as_rows()

    def at(r: int, c: int) -> OutCell:
        row = rows[r - 1] if 1 <= r <= len(rows) else []
        return row[c - 1] if 1 <= c <= len(row) else OutCell(None)

    span = range(chart.first_row, chart.last_row + 1)
    categories = tuple(
        format_value(at(r, chart.categories).value, at(r, chart.categories).style) or "(vide)"
        for r in span
    )
    series = []
    for s in chart.series:
        cells = [at(r, s.column) for r in span]
        values = tuple(
            float(c.value)
            if isinstance(c.value, (int, float))
            and not isinstance(c.value, bool)
            and math.isfinite(c.value)
            else None
            for c in cells
        )
        texts = tuple(
            format_value(c.value, c.style) if v is not None else "—"
            for c, v in zip(cells, values, strict=True)
        )
        series.append(SeriesData(s.name, values, texts))
    return ChartData(_block_header(at, chart) or "Catégorie", categories, tuple(series))


def _block_header(at: Callable[[int, int], OutCell], chart: Chart) -> str:
    """The header of the charted block's category column: the nearest header cell above its
    rows (a tab of stacked tables has one header per table, not only the tab's row 4)."""
    for r in range(chart.first_row - 1, GeneratedTab.HEADER_ROW - 1, -1):  # not the tab title
        cell = at(r, chart.categories)
        if cell.style in ("header", "title") and cell.value not in (None, ""):
            return str(cell.value)  # a block's header, else its title (« Par secteur »)
    return ""


def _column_chars(categories: int) -> int:
    """How many characters a column chart's category label may have on a line."""
    return int(WIDTH / categories / (FONT * _CHAR))


def _columns_fit(data: ChartData) -> bool:
    """Column charts need each word of every label to fit under its column, unbroken.

    Otherwise (many categories, long words) the chart is drawn as horizontal bars, whose
    labels have the whole width: « Transport et logistique » stays readable on a phone.
    """
    chars = _column_chars(len(data.categories))
    return chars >= 4 and all(len(w) <= chars for c in data.categories for w in c.split())


def _wrap(text: str, chars: int, lines: int) -> list[str]:
    out = textwrap.wrap(text, max(chars, 4)) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(chars - 1, 1)].rstrip() + "…"
    return out


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{FONT}"'
        f"{extra}>{_e(text)}</text>"
    )


def _legend(data: ChartData) -> tuple[list[str], float]:
    if len(data.series) < 2:
        return [], 0.0
    parts = []
    for j, s in enumerate(data.series):
        y = 4 + j * 18
        parts.append(f'<rect x="0" y="{y}" width="12" height="12" fill="{PALETTE[j % 8]}"/>')
        parts.append(_text(18, y + 11, s.name))
    return parts, 4 + len(data.series) * 18 + 6


def _bar(x: float, y: float, w: float, h: float, color: str, tip: str) -> str:
    return (
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" '
        f'height="{max(h, 0):.1f}" fill="{color}"><title>{_e(tip)}</title></rect>'
    )


def _bars_svg(data: ChartData) -> tuple[list[str], float]:
    """Horizontal bars, each category's label on its own line above its bars."""
    parts, y = _legend(data)
    room = WIDTH - 64
    top = data.top or 1.0
    for i, label in enumerate(data.categories):
        for line in _wrap(label, int(WIDTH / (FONT * _CHAR)), 2):
            y += FONT + 3
            parts.append(_text(0, y, line))
        y += 4
        for j, s in enumerate(data.series):
            v = s.values[i]
            if v is not None:
                w = room * max(v, 0.0) / top
                parts.append(_bar(0, y, w, 16, PALETTE[j % 8], f"{label} : {s.texts[i]}"))
                parts.append(_text(w + 5, y + 12.5, s.texts[i]))
            else:
                parts.append(_text(0, y + 12.5, "—", extra=' fill="#5f6670"'))
            y += 19
        y += 6
    return parts, y


def _columns_svg(data: ChartData) -> tuple[list[str], float]:
    """Vertical bars over a baseline, value above each bar, wrapped category below."""
    parts, top_y = _legend(data)
    n, m = len(data.categories), len(data.series)
    slot = WIDTH / n
    bar_w = min(56.0, slot * 0.72 / m)
    plot_h = 170.0
    base = top_y + FONT + 8 + plot_h
    top = data.top or 1.0
    for i, label in enumerate(data.categories):
        x0 = i * slot + (slot - m * bar_w) / 2
        for j, s in enumerate(data.series):
            v = s.values[i]
            if v is None:
                continue
            h = plot_h * max(v, 0.0) / top
            x = x0 + j * bar_w
            parts.append(_bar(x, base - h, bar_w - 2, h, PALETTE[j % 8], f"{label} : {s.texts[i]}"))
            parts.append(_text(x + (bar_w - 2) / 2, base - h - 4, s.texts[i], "middle"))
        lines = _wrap(label, _column_chars(n), 3)
        for k, line in enumerate(lines):
            parts.append(
                _text(i * slot + slot / 2, base + FONT + 5 + k * (FONT + 2), line, "middle")
            )
    parts.append(f'<line x1="0" y1="{base:.1f}" x2="{WIDTH}" y2="{base:.1f}" stroke="#5f6670"/>')
    return parts, base + 3 * (FONT + 2) + 10


def _pie_svg(data: ChartData) -> tuple[list[str], float]:
    """The first series as a pie, legend (label, value, share) below it."""
    s = data.series[0]
    values = [max(v or 0.0, 0.0) for v in s.values]
    total = sum(values)
    r, cx, cy = 95.0, WIDTH / 2, 100.0
    parts: list[str] = []
    angle = -math.pi / 2
    for i, v in enumerate(values):
        if v <= 0 or total <= 0:
            continue
        color = PALETTE[i % 8]
        tip = f"<title>{_e(data.categories[i])} : {_e(s.texts[i])}</title>"
        if v >= total:
            parts.append(
                f'<circle class="slice" cx="{cx}" cy="{cy}" r="{r}" fill="{color}" '
                f'stroke="#fff">{tip}</circle>'
            )
            continue
        end = angle + 2 * math.pi * v / total
        x0, y0 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        x1, y1 = cx + r * math.cos(end), cy + r * math.sin(end)
        large = 1 if end - angle > math.pi else 0
        parts.append(
            f'<path class="slice" d="M{cx:.1f},{cy:.1f} L{x0:.2f},{y0:.2f} '
            f'A{r},{r} 0 {large} 1 {x1:.2f},{y1:.2f} Z" fill="{color}" '
            f'stroke="#fff">{tip}</path>'
        )
        angle = end
    y = cy + r + 16
    for i, label in enumerate(data.categories):
        share = f" ({_half_up(100 * values[i] / total)}{NNBSP}%)" if total > 0 else ""
        lines = _wrap(f"{label} — {s.texts[i]}{share}", int((WIDTH - 20) / (FONT * _CHAR)), 2)
        parts.append(f'<rect x="0" y="{y:.1f}" width="12" height="12" fill="{PALETTE[i % 8]}"/>')
        for k, line in enumerate(lines):
            parts.append(_text(18, y + 11 + k * (FONT + 3), line))
        y += len(lines) * (FONT + 3) + 6
    return parts, y + 4


def describe(data: ChartData) -> str:
    """The chart's data in words, for <desc>."""
    runs = []
    for s in data.series:
        points = " ; ".join(f"{c} : {t}" for c, t in zip(data.categories, s.texts, strict=True))
        runs.append(f"{s.name} — {points}." if len(data.series) > 1 else f"{points}.")
    return " ".join(runs) or "Aucune donnée."


def _data_table(data: ChartData) -> str:
    head = f'<th scope="col">{_e(data.category_header)}</th>' + "".join(
        f'<th scope="col">{_e(s.name)}</th>' for s in data.series
    )
    rows = "".join(
        f'<tr><th scope="row">{_e(c)}</th>'
        + "".join(f'<td class="num">{_e(s.texts[i])}</td>' for s in data.series)
        + "</tr>"
        for i, c in enumerate(data.categories)
    )
    return (
        f'<details><summary>Données du graphique</summary><div class="table-wrap">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
        "</details>"
    )


def chart_svg(chart: Chart, source: GeneratedTab, ident: str) -> str:
    """A <figure> with the chart as inline SVG, its text alternative and its data table."""
    data = chart_data(chart, source)
    if (
        not data.categories
        or not data.series
        or all(v is None for s in data.series for v in s.values)
    ):
        parts, height = [_text(WIDTH / 2, 30, "Aucune donnée", "middle")], 48.0
    elif chart.kind == "pie":
        parts, height = _pie_svg(data)
    elif chart.kind == "column" and _columns_fit(data):
        parts, height = _columns_svg(data)
    else:
        parts, height = _bars_svg(data)
    h = math.ceil(height)
    title = chart.title or "Graphique"
    return (
        f'<figure class="chart" aria-labelledby="{ident}-cap">'
        f'<figcaption id="{ident}-cap">{_e(title)}</figcaption>'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" '
        f'height="{h}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'data-kind="{_e(chart.kind)}">'
        f'<title id="{ident}-title">{_e(title)}</title>'
        f'<desc id="{ident}-desc">{_e(describe(data))}</desc>'
        f"{''.join(parts)}</svg>{_data_table(data)}</figure>"
    )


def charts_of(tab: GeneratedTab, tabs: Sequence[GeneratedTab], ident: str) -> str:
    """Every chart of `tab`, each over its own source tab (itself when `sheet` is None)."""
    by_name = {t.name: t for t in tabs}
    return "".join(
        chart_svg(c, by_name.get(c.sheet or tab.name, tab), f"{ident}-g{n}")
        for n, c in enumerate(tab.charts, start=1)
    )
