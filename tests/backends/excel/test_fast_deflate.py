"""A package rendered for the graft is deflated at level 1, the workbook written is the same.

xlsxwriter deflates its package at zlib's default level, and the graft inflates the sheets at
once to deflate them again in the workbook it writes: the first deflate is done fast (issue
#16). What anyone opens must not change: the grafted workbook is byte-identical to the one
grafted from a package deflated at the default level; a new workbook (no graft) keeps the
default level; xlsxwriter is left as it was, after an error too.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter.workbook as xw

from sheets_sync.backends.excel import write
from sheets_sync.backends.excel.render import render_package

from .test_render_identity import tabs

TEMPLATE = Path(__file__).resolve().parents[2] / "data" / "corpus" / \
    "answers-beside-roster-and-generated-tabs.xlsx"


def _levels(package: bytes) -> dict[str, int]:
    """Per sheet part, its deflated size (larger at level 1 than at the default level)."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return {i.filename: i.compress_size for i in zf.infolist()
                if i.filename.startswith("xl/worksheets/sheet")}


def test_grafted_workbook_is_identical_to_one_from_a_default_level_package(
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = TEMPLATE.read_bytes()
    rendered: list[bytes] = []
    plain = render_package

    def spy(generated: object) -> bytes:
        rendered.append(plain(generated))  # type: ignore[arg-type]
        return rendered[-1]

    monkeypatch.setattr(write, "render_package", spy)
    fast = write._build(TEMPLATE, data, tabs())
    monkeypatch.setattr(write, "_deflated_fast", contextlib.nullcontext)
    slow = write._build(TEMPLATE, data, tabs())
    assert fast == slow
    quick, default = (_levels(p) for p in rendered)
    assert quick.keys() == default.keys() and quick
    assert all(quick[n] > default[n] for n in quick)  # the first was deflated at level 1
    assert xw.ZipFile is zipfile.ZipFile


def test_a_new_workbook_is_deflated_at_the_default_level() -> None:
    assert _levels(write._build(Path("nouveau.xlsx"), None, tabs())) == \
        _levels(render_package(tabs()))


def test_xlsxwriter_is_restored_after_an_error() -> None:
    with pytest.raises(RuntimeError), write._deflated_fast():
        assert xw.ZipFile is not zipfile.ZipFile
        raise RuntimeError("boom")
    assert xw.ZipFile is zipfile.ZipFile
