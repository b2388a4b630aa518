"""Standalone reports for partners: the partner tabs as one .xlsx or one offline HTML file.

Only the tabs config lists for partners go in (never « Relances » or « Parrainages »), and a
report in which any cell shows an e-mail address or a phone number is refused, not written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .backends.xlsx_report import default_report_path, write_atomic, write_report_xlsx
from .campaign import reminder_templates
from .config import Config
from .dashboards import build_tabs
from .errors import WriteRefused
from .grid import GeneratedTab
from .pull import Progress
from .report_html import contact_cells, render_html, standalone_tabs
from .sync import check_source

FORMATS = ("xlsx", "html")


def partner_tabs(config: Config, tabs: list[GeneratedTab]) -> list[GeneratedTab]:
    """The tabs partners may read, in the workbook's order."""
    wanted = set(config.partner_tabs) or {config.tabs.summary, config.tabs.classes,
                                          config.tabs.mobilisation, config.tabs.equality}
    return standalone_tabs([t for t in tabs if t.name in wanted and not t.hidden])


def write_report(config: Config, fmt: str, output: Path | None = None, *,
                 now: dt.datetime | None = None, progress: Progress | None = None) -> Path:
    """Check the source, build the partner tabs and write them as a report; returns its path."""
    now = now or dt.datetime.now()
    checked = check_source(config, progress, now.date())
    tabs = partner_tabs(config, build_tabs(config, checked.campaign, checked.sponsorship, now,
                                           reminder_templates(config)))
    leaks = contact_cells(tabs)
    if leaks:
        cells = ", ".join(f"{tab}!{cell}" for tab, cell in leaks[:5])
        raise WriteRefused(f"Le rapport contiendrait des coordonnées personnelles ({cells}) : "
                           "retirez ces onglets de « partenaires.onglets ». Rien n'a été écrit.")
    folder = config.path.parent if config.path else Path.cwd()
    path = output or default_report_path(folder, fmt, now)
    if fmt == "xlsx":
        write_report_xlsx(path, tabs)
    else:
        title = f"Rapport — {config.name}"
        write_atomic(path, render_html(tabs, title, now).encode("utf-8"))
    return path
