"""Values no sheet should hold but the rendering must survive (review of #16's lean
rendering): a lone surrogate is dropped like the control characters XML cannot carry, and
an int too large for a float stops the rendering with no temporary file left behind."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest

from sheets_sync.backends.excel.render import render_package
from sheets_sync.cells.grid import GeneratedTab, OutCell

BANNER = "Généré par sheets-sync le 01/08/2021 à 09:00 — ne pas modifier"


def _tab(*cells: OutCell) -> GeneratedTab:
    return GeneratedTab("Synthèse", BANNER, "Titre", ("A", "B"), ((OutCell("x"),), cells))


def test_a_lone_surrogate_is_dropped_not_a_crash() -> None:
    data = render_package([_tab(OutCell("avant\ud800après"), OutCell("\udfff"))])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<t>avantaprès</t>" in sheet


def test_an_int_too_big_for_a_float_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    with pytest.raises(OverflowError):
        render_package([_tab(OutCell(10**400))])
    assert os.listdir(tmp_path) == []
