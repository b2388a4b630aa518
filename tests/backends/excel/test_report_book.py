"""The standalone report workbook: the report's tabs with their charts, written atomically."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.backends.excel import report_book as xlsx_report
from sheets_sync.backends.excel.report_book import (
    default_report_path,
    write_atomic,
    write_report_xlsx,
)
from sheets_sync.cells.grid import OutCell
from sheets_sync.errors import WriteRefused

from ...report_tabs import classes_tab, partner_tabs, summary_tab


def test_report_workbook_holds_the_visible_tabs_with_their_charts(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "rapport.xlsx"
    write_report_xlsx(path, partner_tabs())
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Synthèse", "Classes"]  # the hidden state tab is left out
    summary, classes = book["Synthèse"], book["Classes"]
    assert summary["A2"].value == "Synthèse — Classes Proch'Orientation (2021-2022)"
    assert [summary["A4"].value, summary["B4"].value] == ["Indicateur", "Valeur"]
    assert [summary["A9"].value, summary["B9"].value] == ["Part des réponses complètes", 0.75]
    assert summary["B9"].number_format == "0 %"
    assert summary["B13"].value == dt.datetime(2021, 7, 16)
    assert [classes.cell(6, c).value for c in range(1, 6)] == [
        "Collège du Canal",
        1,
        1,
        1234,
        "Complète",
    ]
    with zipfile.ZipFile(path) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3
    assert sorted(p.name for p in path.parent.iterdir()) == ["rapport.xlsx"]  # no temp left


def test_links_to_tabs_left_out_are_dropped(tmp_path: Path) -> None:
    summary = summary_tab()
    row = (
        OutCell("F7 (Vos objectifs)", link="'Réponses'!F7"),
        OutCell("Synthèse", link="'Synthèse'!A1"),
    )
    linked = dataclasses.replace(classes_tab(), rows=(row,), charts=())
    path = tmp_path / "rapport.xlsx"
    write_report_xlsx(path, [summary, linked])
    sheet = openpyxl.load_workbook(path)["Classes"]
    assert sheet["A5"].value == "F7 (Vos objectifs)" and sheet["A5"].hyperlink is None
    assert sheet["B5"].hyperlink is not None and sheet["B5"].hyperlink.location == "'Synthèse'!A1"


def test_a_failed_write_leaves_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rapport.xlsx"
    write_report_xlsx(path, partner_tabs())
    before = path.read_bytes()

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_report.os, "replace", disk_full)
    with pytest.raises(WriteRefused, match="espace insuffisant"):  # in French, no traceback
        write_report_xlsx(path, [summary_tab()])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.xlsx"]


def test_write_atomic_replaces_and_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "rapport.html"
    write_atomic(path, b"un")
    write_atomic(path, b"deux")
    assert path.read_bytes() == b"deux"
    assert [p.name for p in path.parent.iterdir()] == ["rapport.html"]
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # 0o644 with the usual umask 022


def test_a_report_follows_the_umask(tmp_path: Path) -> None:
    """Reports hold names: with umask 077 nobody else may read them."""
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "rapport.html", b"un")
    finally:
        os.umask(old)
    assert (tmp_path / "rapport.html").stat().st_mode & 0o777 == 0o600


def test_default_report_path() -> None:
    now = dt.datetime(2021, 7, 16, 10, 30)
    assert default_report_path(Path("campagne"), "html", now) == Path(
        "campagne/reports/rapport-2021-07-16-1030.html"
    )
    assert default_report_path(Path("."), "xlsx", now).name == "rapport-2021-07-16-1030.xlsx"
    with pytest.raises(ValueError):
        default_report_path(Path("."), "pdf", now)


def test_a_wrapped_text_gets_a_row_tall_enough_for_its_lines(tmp_path: Path) -> None:
    """LibreOffice does not fit rows written by xlsxwriter: wrapped texts overlapped."""
    from sheets_sync.cells.grid import GeneratedTab

    reasons = " ; ".join(["Points communs avec le projet : géographie, histoire."] * 3)
    tab = GeneratedTab(
        name="Parrainages", banner="b", title="t", header=("Classe", "Pourquoi"),
        rows=((OutCell("a-4e1"), OutCell(reasons, "wrap")),
              (OutCell("a-4e2"), OutCell("Court.", "wrap")),
              (OutCell("a-3e1"), OutCell("x" * 5000, "wrap"))),
        widths=(12, 40))
    path = tmp_path / "rapport.xlsx"
    write_report_xlsx(path, [tab])
    sheet = openpyxl.load_workbook(path)["Parrainages"]
    assert sheet.row_dimensions[5].height == 15 * 4  # 161 characters at 43 a line
    assert sheet.row_dimensions[6].height is None  # one line: Excel's default height
    assert sheet.row_dimensions[7].height == 15 * 27  # at most 27 lines (409 pt), then it scrolls


def test_a_report_into_a_folder_that_is_a_file_is_refused_in_french(tmp_path: Path) -> None:
    """Review of #15: `report -o afile/x.html` ended in a FileExistsError traceback."""
    (tmp_path / "afile").write_text("déjà là", encoding="utf-8")
    with pytest.raises(WriteRefused, match=r"Impossible d'écrire le rapport .*afile"):
        write_atomic(tmp_path / "afile" / "x.html", b"<html></html>")
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "déjà là"
