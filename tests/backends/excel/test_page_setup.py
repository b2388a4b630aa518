"""Generated tabs print on A4 landscape, one page wide, with a footer, and show no gridlines
(issue #15, item 3) — in a report workbook and in a tab grafted into a principal's workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync.backends.excel.report_book import write_report_xlsx
from sheets_sync.cells.grid import GeneratedTab, OutCell
from sheets_sync.config import load_config
from sheets_sync.sync import sync

from ...conftest import MakeCampaign


def assert_printable(sheet: Worksheet, title: str) -> None:
    setup = sheet.page_setup
    assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9")
    if sheet.row_breaks.brk:  # page breaks keep charts whole: Excel ignores them under
        # « fit to », so the scale is set instead (cells/layout.print_plan: one page wide)
        assert sheet.sheet_properties.pageSetUpPr is None or \
            not sheet.sheet_properties.pageSetUpPr.fitToPage
        assert setup.scale is not None and 10 <= int(setup.scale) < 100
    else:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0  # absent width: 1
    assert sheet.oddFooter.left.text == title.replace("&", "&&")
    assert sheet.oddFooter.left.size == 8 and sheet.oddFooter.right.size == 8
    assert str(sheet.oddFooter.right.text).endswith(" — page &P / &N")
    assert sheet.sheet_view.showGridLines is False and sheet.print_options.gridLines is not True
    assert sheet.sheet_view.zoomScale == 90


def test_a_report_tab_prints_one_page_wide_with_its_footer(tmp_path: Path) -> None:
    title = "Classes & ambassadeurs — Campagne « R&D »"
    tab = GeneratedTab(name="Classes", banner="Généré par sheets-sync le 20/07/2021 — ne pas "
                       "modifier", title=title, header=("École",), rows=((OutCell("A"),),))
    path = tmp_path / "rapport.xlsx"
    write_report_xlsx(path, [tab])
    sheet = openpyxl.load_workbook(path)["Classes"]
    assert_printable(sheet, title)
    assert sheet.oddFooter.right.text == "Généré par sheets-sync le 20/07/2021 — page &P / &N"


def test_a_grafted_tab_keeps_its_page_setup_and_the_answers_keep_theirs(
    make_campaign: MakeCampaign,
) -> None:
    config = make_campaign()
    before = openpyxl.load_workbook(config.source)["Réponses"]
    answers_setup = (before.page_setup.orientation, before.sheet_view.showGridLines)
    sync(load_config(config.path), now=dt.datetime(2021, 7, 20, 9, 30))
    book = openpyxl.load_workbook(config.source)
    summary = book[config.tabs.summary]
    assert_printable(summary, str(summary["A2"].value))
    after = book["Réponses"]
    assert (after.page_setup.orientation, after.sheet_view.showGridLines) == answers_setup
