"""Raw member copy: compressed bytes, CRC and sizes carried as they are."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from sheets_sync.backends.files.zip_raw import copy_member

from ...helpers import present

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
FILES = present(p for d in ("excel-made", "awkward") for p in (REFERENCE / d).glob("*.xlsx"))


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes data descriptors (flag 0x08)."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.buffer += data
        return len(data)


def _streamed() -> bytes:
    """An archive whose members carry data descriptors, as streaming writers make them."""
    stream = _Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as zf:  # type: ignore[arg-type]
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(b"<worksheet>" + b"<row/>" * 5000 + b"</worksheet>")
        zf.writestr(zipfile.ZipInfo("stored.txt"), "é" * 100)
        zf.writestr("docProps/app.xml", "<Properties/>")
    return bytes(stream.buffer)


def _copied(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            copy_member(src, dst, info, zipfile.ZipInfo(info.filename, info.date_time))
        dst.writestr("added.xml", "<after/>")  # writing after raw copies still works
    return out.getvalue()


def _raw(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The stored (compressed) bytes of a member, read independently of copy_member."""
    assert zf.fp is not None
    zf.fp.seek(info.header_offset + 26)
    name_length, extra_length = int.from_bytes(zf.fp.read(2), "little"), int.from_bytes(
        zf.fp.read(2), "little")
    zf.fp.seek(info.header_offset + 30 + name_length + extra_length)
    return zf.fp.read(info.compress_size)


@pytest.mark.parametrize("data", [pytest.param(_streamed(), id="data-descriptors")]
                         + [pytest.param(p.read_bytes(), id=p.name) for p in FILES])
def test_members_are_carried_compressed_and_unchanged(data: bytes) -> None:
    copy = _copied(data)
    with zipfile.ZipFile(io.BytesIO(data)) as a, zipfile.ZipFile(io.BytesIO(copy)) as b:
        assert b.testzip() is None
        assert b.namelist() == [*a.namelist(), "added.xml"]
        for info in a.infolist():
            twin = b.getinfo(info.filename)
            assert b.read(twin) == a.read(info)
            assert (twin.CRC, twin.compress_type, twin.file_size) == (
                info.CRC, info.compress_type, info.file_size)
            assert _raw(b, twin) == _raw(a, info)
            assert not twin.flag_bits & 0x8
        assert b.read("added.xml") == b"<after/>"


def test_an_encrypted_member_goes_the_ordinary_way(monkeypatch: pytest.MonkeyPatch) -> None:
    with zipfile.ZipFile(io.BytesIO(_streamed())) as src:
        info = src.getinfo("docProps/app.xml")
        info.flag_bits |= 0x1  # encrypted: its stored bytes cannot be carried blindly
        reads: list[str] = []
        monkeypatch.setattr(src, "read", lambda i: reads.append(i.filename) or b"<P/>")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            copy_member(src, dst, info, zipfile.ZipInfo(info.filename))
    assert reads == ["docProps/app.xml"]
    with zipfile.ZipFile(out) as result:
        assert result.read("docProps/app.xml") == b"<P/>"
