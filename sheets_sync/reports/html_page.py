"""A standalone HTML report of generated tabs, to send by e-mail: one offline French page.

Pure: tabs in, text out. The page needs nothing else: inline CSS, charts as inline SVG, no
script (a Content-Security-Policy forbids any), no font, image or URL fetched. Each tab is a
section (title, charts, table, notes); tables scroll sideways on a phone, charts scale, and
each section starts a new page when printed. Every value is escaped; a link is kept only when
it is an internal link to a tab of the page (a `#` anchor) or a well-formed mailto/http(s) URL.

    Rapport — Campagne 2021-2022          (h1, date of generation, contents)
    Synthèse — …                          (h2 per tab)
      [SVG chart] ▸ Données du graphique  (text alternative: <title>, <desc>, data table)
      Indicateur              | Valeur
      Part des réponses complètes (participation) | 45 %
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from ..cells.a1 import to_a1
from ..cells.grid import GeneratedTab, OutCell
from ..cells.links import link_target_tab, safe_url, standalone_tabs
from ..form.contacts import find_contacts
from .svg_charts import charts_of, format_value

__all__ = [
    "contact_cells",
    "format_value",
    "link_target_tab",
    "render_html",
    "safe_url",
    "standalone_tabs",
]


CSS = """
:root{color-scheme:light;--ink:#1f2328;--muted:#5f6670;--line:#d0d7de;--head:#ddebf7}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem;font:16px/1.45 system-ui,-apple-system,
"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;color:var(--ink);background:#fff}
h1,h2,p,li,figcaption,summary{overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.25rem;margin:0 0 .2rem}
.meta,.tab-name,.notes,footer{color:var(--muted)}.meta{margin:.2rem 0 .8rem}
.tab-name{margin:0 0 1rem;font-size:.9rem}
nav ol{margin:.3rem 0 0;padding-left:1.4rem}
section.tab{border-top:2px solid var(--line);padding-top:1rem;margin-top:1.5rem}
.charts{display:flex;flex-wrap:wrap;gap:.5rem 2rem}
figure.chart{margin:0 0 1.2rem;flex:1 1 20rem;max-width:30rem}
figure.chart figcaption{font-weight:600;margin-bottom:.3rem}
svg{display:block;width:100%;height:auto}
svg text{font-family:inherit;fill:var(--ink)}
details{margin-top:.3rem;font-size:.9rem}summary{cursor:pointer;color:var(--muted)}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin-bottom:.8rem;max-width:100%}
table{border-collapse:collapse;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top;
white-space:pre-line;max-width:36ch;overflow-wrap:break-word}
th{background:var(--head);font-weight:600}
tr.sub th{background:#f3f6f9;padding-top:.7rem}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.wrap{min-width:18ch}
.ok{color:#006100;background:#c6efce}.error{color:#9c0006;background:#ffc7ce}
.warning{color:#9c5700;background:#ffeb9c}.muted{color:var(--muted);font-style:italic}
a{color:#0563c1}.notes{font-size:.9rem;padding-left:1.2rem}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-top:.5rem;font-size:.85rem}
@media (max-width:40rem){body{padding:.6rem;font-size:15px}h1{font-size:1.3rem}
th,td{max-width:26ch}}
@media print{body{max-width:none;padding:0;font-size:11pt}nav,details{display:none}
section.tab{break-before:page;border:0;margin-top:0}section.tab:first-of-type{break-before:auto}
.table-wrap{overflow:visible}th,td{max-width:none}figure.chart{break-inside:avoid}
thead{display:table-header-group}tr{break-inside:avoid}a{color:inherit;text-decoration:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""
_HEADINGS = ("title", "header", "banner")
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def contact_cells(tabs: Sequence[GeneratedTab]) -> list[tuple[str, str]]:
    """(tab, A1 cell) of every cell showing or linking an e-mail address or a phone number.

    What tests assert is empty in a partner report (the tabs are masked before: form/contacts
    finds the same contacts). A nine-digit number counts too: a phone typed as a number loses
    its leading 0.
    """
    found: list[tuple[str, str]] = []
    for tab in tabs:
        for r, row in enumerate(tab.as_rows(), start=1):
            for c, out in enumerate(row, start=1):
                texts = [out.link or ""]
                value = out.value
                if isinstance(value, str):
                    texts.append(value)
                digits = (
                    isinstance(value, (int, float))
                    and not isinstance(value, bool)
                    and 10**8 <= value < 10**9
                )
                if digits or any(find_contacts(t) for t in texts):
                    found.append((tab.name, to_a1(r, c)))
    return found


def _cell_html(out: OutCell, anchors: dict[str, str]) -> str:
    text = _e(format_value(out.value, out.style))
    classes = [out.style] if out.style in ("ok", "error", "warning", "muted", "wrap") else []
    if isinstance(out.value, (int, float, dt.date, dt.time)) and not isinstance(out.value, bool):
        classes.append("num")
    if out.link:
        url = safe_url(out.link)
        target = link_target_tab(out.link)
        href = url if url is not None else anchors.get(target or "")
        if href is not None:
            text = f'<a href="{_e(href)}">{text or _e(out.link)}</a>'
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}>{text}</td>"


def _row_html(row: Sequence[OutCell], width: int, anchors: dict[str, str]) -> str:
    """A data row; a row of « title » or « header » cells heads the block below it."""
    filled = [c for c in row if c.value not in (None, "")]
    if filled and all(c.style in _HEADINGS for c in filled):
        if len(row) == 1:
            return (
                f'<tr class="sub"><th scope="colgroup" colspan="{width}">'
                f"{_e(format_value(row[0].value))}</th></tr>"
            )
        cells = "".join(f'<th scope="col">{_e(format_value(c.value))}</th>' for c in row)
        return f'<tr class="sub">{cells}{"<th></th>" * (width - len(row))}</tr>'
    cells = "".join(_cell_html(c, anchors) for c in row)
    return f"<tr>{cells}{'<td></td>' * (width - len(row))}</tr>"


def _table_html(tab: GeneratedTab, anchors: dict[str, str], label_id: str) -> str:
    width = max([len(tab.header), *(len(r) for r in tab.rows)])
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in tab.header)
    head += "<th></th>" * (width - len(tab.header))
    body: list[str] = []
    for row in tab.rows:
        body.append(_row_html(row, width, anchors))
    if not body:
        body.append(f'<tr><td class="muted" colspan="{width or 1}">Aucune ligne.</td></tr>')
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{label_id}">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _section_html(tab: GeneratedTab, tabs: Sequence[GeneratedTab], anchors: dict[str, str]) -> str:
    sid = anchors[tab.name][1:]
    charts = charts_of(tab, tabs, sid)
    if charts:
        charts = f'<div class="charts">{charts}</div>'
    notes = "".join(f"<li>{_e(n)}</li>" for n in tab.notes)
    return (
        f'<section class="tab" id="{sid}" aria-labelledby="{sid}-titre">'
        f'<h2 id="{sid}-titre">{_e(tab.title or tab.name)}</h2>'
        f'<p class="tab-name">Onglet « {_e(tab.name)} »</p>'
        f"{charts}{_table_html(tab, anchors, sid + '-titre')}"
        + (f'<ul class="notes">{notes}</ul>' if notes else "")
        + "</section>"
    )


def render_html(tabs: Sequence[GeneratedTab], title: str, generated_at: dt.datetime) -> str:
    """One self-contained HTML5 page showing the visible tabs, in order."""
    shown = standalone_tabs(tabs)
    anchors = {t.name: f"#onglet-{i}" for i, t in enumerate(shown, start=1)}
    when = f"{generated_at:%d/%m/%Y à %H:%M}"
    nav = ""
    if len(shown) > 1:
        items = "".join(f'<li><a href="{anchors[t.name]}">{_e(t.name)}</a></li>' for t in shown)
        nav = f'<nav aria-label="Sommaire"><strong>Sommaire</strong><ol>{items}</ol></nav>'
    sections = "".join(_section_html(t, shown, anchors) for t in shown)
    if not sections:
        sections = '<p class="muted">Aucun onglet à afficher.</p>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="generator" content="sheets-sync">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>{_e(title)}</h1><p class="meta">Rapport établi le {_e(when)}.</p>'
        f"{nav}</header>\n<main>\n{sections}\n</main>\n"
        f"<footer>Document généré par sheets-sync le {_e(when)} à partir des réponses à "
        "l'annexe n°1 ; il n'est pas mis à jour automatiquement.</footer>\n"
        "</body>\n</html>\n"
    )
