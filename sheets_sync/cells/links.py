"""Links in generated cells: which are safe to keep, which tab an internal one points to.

A report stands alone, so `standalone_tabs` drops what would point nowhere once the hidden
tabs and the tabs left out of it are gone. Used by the HTML page and the report workbook.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from .grid import Chart, GeneratedTab, OutCell

_SCHEMES = ("http", "https", "mailto")
_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f\"'<>\\^`{|}]")
_INTERNAL = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?[A-Za-z]{1,3}\$?\d+$")


def link_target_tab(link: str) -> str | None:
    """The tab an internal link such as "'Réponses'!F7" points to; None for anything else."""
    m = _INTERNAL.match(link.strip())
    if not m:
        return None
    return m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)


def safe_url(link: str) -> str | None:
    """`link` if it is a well-formed mailto:, http: or https: URL, else None."""
    if not link or _BAD_URL_CHARS.search(link) or len(link) > 8000:
        return None
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or link[: len(scheme) + 1].lower() != scheme + ":":
        return None
    if scheme == "mailto":
        return link if parts.path and "@" in parts.path else None
    return link if host and link[len(scheme) + 1 :].startswith("//") else None


def standalone_tabs(tabs: Sequence[GeneratedTab]) -> list[GeneratedTab]:
    """The tabs a report holds: visible ones, without links or charts to tabs left out.

    A report stands alone: an internal link to « Réponses » or a chart over the hidden state
    tab would point nowhere.
    """
    kept = [t for t in tabs if not t.hidden]
    names = {t.name for t in kept}

    def cell(out: OutCell) -> OutCell:
        if out.link is None or safe_url(out.link) is not None:
            return out
        if link_target_tab(out.link) in names:
            return out
        return out._replace(link=None)

    def chart_ok(chart: Chart) -> bool:
        return chart.sheet is None or chart.sheet in names

    return [
        dataclasses.replace(
            t,
            rows=tuple(tuple(cell(c) for c in row) for row in t.rows),
            charts=tuple(c for c in t.charts if chart_ok(c)),
        )
        for t in kept
    ]
