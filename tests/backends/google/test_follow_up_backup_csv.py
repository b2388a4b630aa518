"""The CSV kept before `suivi --preparer` writes to a Google spreadsheet
(backends/google/follow_up_write.backup_csv): a text Excel would open as a formula gets a
leading apostrophe (OWASP CSV injection guidance), everything else is written as read."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.backends.google.follow_up_write import backup_csv
from sheets_sync.backends.tables import FORMULA_START
from sheets_sync.cells.grid import CellError, Grid


def read_back(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_formula_like_text_is_escaped_in_the_backup(tmp_path: Path) -> None:
    typed = ("=HYPERLINK(\"http://x\")", "+33 6 12", "-remis", "@SUM(A1)", "\tx", "\rx",
             "'déjà cité", "normal", "un = deux")
    grid = Grid("Suivi", (typed, (-3, 2.5, True, None, dt.date(2026, 10, 12),
                                  CellError("#N/A"))))
    path = backup_csv(grid, tmp_path / "sauvegardes" / "suivi.csv")
    text_row, other_row = read_back(path)
    assert text_row == ["'=HYPERLINK(\"http://x\")", "'+33 6 12", "'-remis", "'@SUM(A1)",
                        "'\tx", "'\rx", "''déjà cité", "normal", "un = deux"]
    assert other_row == ["-3", "2.5", "True", "", "2026-10-12", "#N/A"]  # numbers stay numbers


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=5))
def test_no_backed_up_text_starts_like_a_formula(tmp_path_factory: pytest.TempPathFactory,
                                                 texts: list[str]) -> None:
    folder = tmp_path_factory.mktemp("csv")
    (row,) = read_back(backup_csv(Grid("Suivi", (tuple(texts),)), folder / "s.csv"))
    assert not any(cell.startswith(FORMULA_START) for cell in row)
    assert [c.removeprefix("'") if t.startswith((*FORMULA_START, "'")) else c
            for c, t in zip(row, texts, strict=True)] == texts
