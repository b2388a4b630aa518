"""A package rendered for the graft is stored, not deflated; the workbook written is the same.

xlsxwriter deflates its package, and the graft inflates the sheets at once to deflate them
again in the workbook it writes: the first deflate is skipped (issue #16). What anyone opens
must not change: the grafted workbook is byte-identical to the one grafted from a deflated
package; a new workbook (no graft) stays deflated; xlsxwriter is left as it was, after an
error too. The generated sheets of a grafted workbook are deflated at level 1, as Excel
itself deflates the parts it saves; the parts the principals typed are copied as they were.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter.workbook as xw

from sheets_sync.backends.excel import write
from sheets_sync.backends.excel.render import render_package

from .test_render_identity import tabs

TEMPLATE = Path(__file__).resolve().parents[2] / "data" / "corpus" / \
    "answers-beside-roster-and-generated-tabs.xlsx"


def _kinds(package: bytes) -> dict[str, int]:
    """Per sheet part, its compression method."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return {i.filename: i.compress_type for i in zf.infolist()
                if i.filename.startswith("xl/worksheets/sheet")}


def test_grafted_workbook_is_identical_to_one_from_a_deflated_package(
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = TEMPLATE.read_bytes()
    rendered: list[bytes] = []
    plain = render_package

    def spy(generated: object) -> bytes:
        rendered.append(plain(generated))  # type: ignore[arg-type]
        return rendered[-1]

    monkeypatch.setattr(write, "render_package", spy)
    fast = write._build(TEMPLATE, data, tabs())
    monkeypatch.setattr(write, "_stored", contextlib.nullcontext)
    slow = write._build(TEMPLATE, data, tabs())
    assert fast == slow
    stored, deflated = (_kinds(p) for p in rendered)
    assert stored.keys() == deflated.keys() and stored
    assert set(stored.values()) == {zipfile.ZIP_STORED}
    assert set(deflated.values()) == {zipfile.ZIP_DEFLATED}
    assert xw.ZipFile is zipfile.ZipFile


def test_generated_sheets_deflated_as_excel_does_typed_parts_copied_as_they_were() -> None:
    data = TEMPLATE.read_bytes()
    written = write._build(TEMPLATE, data, tabs())
    with zipfile.ZipFile(io.BytesIO(data)) as before, \
            zipfile.ZipFile(io.BytesIO(written)) as after:
        old = {i.filename: i for i in before.infolist()}
        typed = checked = 0
        for info in after.infolist():
            if not info.filename.startswith("xl/worksheets/sheet"):
                continue
            content = after.read(info)
            if info.filename in old and before.read(info.filename) == content:
                # a typed sheet: its compressed bytes are the original ones
                assert info.compress_size == old[info.filename].compress_size
                typed += 1
                continue
            level_1 = zlib.compressobj(1, zlib.DEFLATED, -15)
            raw = level_1.compress(content) + level_1.flush()
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.compress_size == len(raw), info.filename
            checked += 1
        assert checked == len(tabs()) and typed >= 2  # the answers and the roster


def test_a_new_workbook_stays_deflated() -> None:
    assert set(_kinds(write._build(Path("nouveau.xlsx"), None, tabs())).values()) == \
        {zipfile.ZIP_DEFLATED}


def test_xlsxwriter_is_restored_after_an_error() -> None:
    with pytest.raises(RuntimeError), write._stored():
        assert xw.ZipFile is not zipfile.ZipFile
        raise RuntimeError("boom")
    assert xw.ZipFile is zipfile.ZipFile
