"""A standalone HTML report of generated tabs, to send by e-mail: one offline French page.

Pure: tabs in, text out. The page needs nothing else: inline CSS, charts as inline SVG, no
script (a Content-Security-Policy forbids any), no font, image or URL fetched. Each tab is a
section (title, charts, tables, notes); each block of a tab is its own table (`blocks`: no
blank separator row is drawn), tables scroll sideways on a phone, charts scale, and each
section starts a new page when printed. Every value is escaped; a link is kept only when it
is an internal link to a tab of the page (a `#` anchor) or a well-formed mailto/http(s) URL.

Accessible (RGAA / WCAG 2.1 AA, checked by axe-core in tests/reports/test_accessibility.py):
lang="fr", landmarks (header, nav, main, footer), a skip link to <main> first in the Tab
order, a visible focus outline, every table with a caption and `scope`d header cells, every
scrolling table a focusable named region, every chart an `role="img"` SVG named by its
<title> and <desc> with its data as a table beside it.

    [Aller au contenu]                    (skip link, shown on focus)
    Rapport — Campagne 2021-2022          (h1, date of generation, contents)
    Synthèse — …                          (h2 per tab)
      [SVG chart] ▸ Données du graphique  (text alternative: <title>, <desc>, data table)
      Indicateur              | Valeur    (first table: caption = the tab, visually hidden)
      Part des réponses complètes (participation) | 45 %
      Orientations choisies               (next block: its title is its caption)
      Orientation             | Établissements
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from ..cells.a1 import to_a1
from ..cells.grid import GeneratedTab, OutCell
from ..cells.links import link_target_tab, safe_url, standalone_tabs
from ..form.contacts import find_contacts
from .blocks import Block, filled, is_note, tab_bands
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
table{border-collapse:collapse;font-size:.92rem;min-width:min(100%,22rem)}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top;
white-space:pre-line;max-width:36ch;overflow-wrap:break-word}
th{background:var(--head);font-weight:600}
caption{text-align:left;font-weight:600;padding:0 0 .3rem;overflow-wrap:anywhere}
.lead{font-weight:600;margin:.2rem 0 .8rem}
.side{display:flex;flex-wrap:wrap;gap:0 2rem;align-items:flex-start}
.side>div{flex:0 1 auto;min-width:0;max-width:100%}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;
clip:rect(0,0,0,0);white-space:nowrap;border:0}
.skip{position:absolute;left:.5rem;top:-4rem;z-index:9;padding:.5rem .8rem;background:#fff;
border:2px solid #0b57d0;border-radius:4px;font-weight:600}.skip:focus{top:.5rem}
:focus-visible,.skip:focus{outline:3px solid #0b57d0;outline-offset:2px}
main:focus{outline:none}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.wrap{min-width:18ch}
.ok{color:#006100;background:#c6efce}.error{color:#9c0006;background:#ffc7ce}
.warning{color:#9c5700;background:#ffeb9c}.muted{color:var(--muted);font-style:italic}
a{color:#0563c1}.notes{font-size:.9rem;padding-left:1.2rem}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-top:.5rem;font-size:.85rem}
@media (max-width:40rem){body{padding:.6rem;font-size:15px}h1{font-size:1.3rem}
th,td{max-width:26ch}}
@media print{body{max-width:none;padding:0;font-size:11pt}nav,details,.skip{display:none}
section.tab{break-before:page;border:0;margin-top:0}section.tab:first-of-type{break-before:auto}
.table-wrap{overflow:visible}th,td{max-width:none}figure.chart{break-inside:avoid}
thead{display:table-header-group}tr{break-inside:avoid}a{color:inherit;text-decoration:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""
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


def _head_html(head: Sequence[OutCell]) -> str:
    """The header row; empty cells after the last header belong to it (a colspan), as links
    spilling over two columns under « Cellules à corriger »."""
    last = max((i for i, c in enumerate(head) if filled(c)), default=-1)
    cells = [
        f'<th scope="col">{_e(format_value(c.value))}</th>' if filled(c) else "<td></td>"
        for c in head[: last + 1]
    ]
    if last < len(head) - 1 and cells:
        cells[-1] = cells[-1].replace("<th ", f'<th colspan="{len(head) - last}" ', 1)
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


def _block_html(
    block: Block, caption: str, hidden: bool, ident: str, anchors: dict[str, str]
) -> str:
    """One table in its scrolling region, named by its caption (visually hidden when the
    caption only repeats the section heading or the first column's header)."""
    if not block.head and not block.rows:  # a title alone: a line of text
        return f'<p class="lead" id="{ident}">{_e(caption)}</p>'
    if is_note(block):
        lines = (format_value(c.value) for r in block.rows for c in r if filled(c))
        return '<ul class="notes">' + "".join(f"<li>{_e(t)}</li>" for t in lines) + "</ul>"
    width = len(block.head) or max((len(r) for r in block.rows), default=1)
    body = (
        "".join(
            "<tr>" + "".join(_cell_html(c, anchors) for c in row) + "</tr>" for row in block.rows
        )
        or f'<tr><td class="muted" colspan="{width}">Aucune ligne.</td></tr>'
    )
    cls = ' class="sr-only"' if hidden else ""
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{ident}">'
        f'<table><caption id="{ident}"{cls}>{_e(caption)}</caption>'
        f"{_head_html(block.head) if block.head else ''}<tbody>{body}</tbody></table></div>"
    )


def _tables_html(tab: GeneratedTab, anchors: dict[str, str], sid: str) -> str:
    """Every block of the tab as its own table; side-by-side blocks share a flexible row."""
    bands = tab_bands(tab)
    if not bands:
        return '<p class="muted">Aucune ligne.</p>'
    out: list[str] = []
    n = 0
    for band in bands:
        columns: list[str] = []
        for stacked in band:
            html_blocks = []
            for block in stacked:
                n += 1
                if block.caption:
                    caption, hidden = block.caption, False
                elif n == 1:
                    caption, hidden = tab.title or tab.name, True
                elif block.head and filled(block.head[0]):
                    caption, hidden = format_value(block.head[0].value), True
                else:
                    caption, hidden = f"{tab.name} (suite)", True
                html_blocks.append(_block_html(block, caption, hidden, f"{sid}-t{n}", anchors))
            columns.append("".join(html_blocks))
        if len(columns) > 1:
            out.append(
                '<div class="side">' + "".join(f"<div>{c}</div>" for c in columns) + "</div>"
            )
        else:
            out.extend(columns)
    return "".join(out)


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
        f"{charts}{_tables_html(tab, anchors, sid)}"
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
        '<a class="skip" href="#contenu">Aller au contenu</a>\n'
        f'<header><h1>{_e(title)}</h1><p class="meta">Rapport établi le {_e(when)}.</p>'
        f'{nav}</header>\n<main id="contenu" tabindex="-1">\n{sections}\n</main>\n'
        f"<footer>Document généré par sheets-sync le {_e(when)} à partir des réponses à "
        "l'annexe n°1 ; il n'est pas mis à jour automatiquement.</footer>\n"
        "</body>\n</html>\n"
    )
