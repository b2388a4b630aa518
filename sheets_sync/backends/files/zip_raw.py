"""Copy a zip member into another archive as it is: compressed bytes, CRC and sizes unchanged.

`zipfile` only offers read() (inflate) then writestr() (deflate again): for a workbook of
7,000 answers that round trip of the input parts was a third of the graft. Here the member's
stored bytes are moved as they are, which also keeps them byte-identical *compressed*, not
only once unzipped. Members the shortcut cannot carry safely (encrypted, zip64-sized, an
unknown compression) go through the slow, ordinary path; so does everything if this
Python's zipfile lacks the internals used (checked once, below).

The internals used are ZipFile.fp, .filelist, .NameToInfo, .start_dir and ._didModify, the
same that ZipFile.writestr updates (CPython 3.11-3.13).
"""

from __future__ import annotations

import struct
import zipfile

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # zipfile.structFileHeader
_LOCAL_MAGIC = b"PK\x03\x04"
_ENCRYPTED = 0x1
_DATA_DESCRIPTOR = 0x8
_ZIP64_LIMIT = (1 << 31) - 1
_STORED_KINDS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _raw_bytes(src: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The member's compressed bytes, or None when the local header does not look right."""
    fp = src.fp
    if fp is None:
        return None
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        return None
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_MAGIC:
        return None
    name_length, extra_length = fields[-2], fields[-1]
    fp.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    data = fp.read(info.compress_size)
    return data if len(data) == info.compress_size else None


def _can_carry(info: zipfile.ZipInfo, dst: zipfile.ZipFile) -> bool:
    return (
        not info.flag_bits & _ENCRYPTED
        and info.compress_type in _STORED_KINDS
        and max(info.file_size, info.compress_size, info.header_offset) < _ZIP64_LIMIT
        and all(hasattr(dst, a) for a in ("fp", "filelist", "NameToInfo", "start_dir"))
    )


def copy_member(src: zipfile.ZipFile, dst: zipfile.ZipFile, info: zipfile.ZipInfo,
                twin: zipfile.ZipInfo) -> None:
    """Write member `info` of `src` into `dst` under `twin` (its name, date, attributes)."""
    raw = _raw_bytes(src, info) if _can_carry(info, dst) else None
    if raw is None or dst.fp is None:
        dst.writestr(twin, src.read(info))
        return
    twin.compress_type = info.compress_type
    twin.CRC = info.CRC
    twin.compress_size = info.compress_size
    twin.file_size = info.file_size
    twin.flag_bits = info.flag_bits & ~_DATA_DESCRIPTOR
    twin.header_offset = dst.fp.tell()
    dst.fp.write(twin.FileHeader(False))
    dst.fp.write(raw)
    dst.filelist.append(twin)
    dst.NameToInfo[twin.filename] = twin
    dst.start_dir = dst.fp.tell()
    dst._didModify = True  # type: ignore[attr-defined]
