"""Only a damaged file is called damaged: the machine's own errors are not (issue #14, 9).

A read-only sync dropped to « nobody » once said « reponses.xlsx est endommagé (LookupError) »:
the child could not load the cp437 codec from Python's folder in root's home. A missing codec,
MemoryError, PermissionError or Ctrl-C during parsing now propagate; the exceptions that
damaged files really raise (tests/backends/files/test_hostile_files.py, several hundred of
them) stay a SourceError in French.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat
from xml.parsers.expat import ExpatError

import olefile
import openpyxl
import pytest
from olefile.olefile import NotOleFileError
from python_calamine import CalamineError

from sheets_sync.backends import excel
from sheets_sync.backends.excel import calamine_prescan, calamine_read, xlsx_read
from sheets_sync.backends.excel import write as xlsx_write
from sheets_sync.backends.files.damage import DAMAGE, is_damage
from sheets_sync.cells.grid import MARKER, GeneratedTab
from sheets_sync.errors import SourceError

HOSTILE = Path(__file__).resolve().parents[2] / "data" / "hostile"
TAB = GeneratedTab(name="Synthèse", banner=f"{MARKER} le 01/09/2021", title="Synthèse",
                   header=("Établissement",), rows=())


def denied() -> PermissionError:
    return PermissionError(13, "Permission denied", "/usr/lib/python3/encodings/cp437.py")


# the machine, not the file: each must reach the caller as itself
MACHINE: list[BaseException] = [
    LookupError("unknown encoding: cp437"),
    ModuleNotFoundError("No module named 'colorsys'"),
    MemoryError(),
    denied(),
    OSError(28, "No space left on device"),
    RecursionError("maximum recursion depth exceeded"),
    KeyboardInterrupt(),
]
# what damaged files raise (found with the fixtures of test_hostile_files.py)
FILE: list[Exception] = [
    zipfile.BadZipFile("File is not a zip file"), zlib.error("invalid stored block lengths"),
    EOFError(), KeyError("There is no item named 'xl/workbook.xml' in the archive"),
    IndexError("list index out of range"), ValueError("invalid literal for int()"),
    UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
    TypeError("expected <class 'int'>"), struct.error("unpack requires a buffer of 4 bytes"),
    ParseError("not well-formed (invalid token)"), ExpatError("syntax error"),
    OSError("File contains no valid workbook part"),  # openpyxl, from memory: no errno
]


@pytest.mark.parametrize("exc", FILE, ids=lambda e: type(e).__name__)
def test_what_a_damaged_file_raises_is_damage(exc: Exception) -> None:
    assert is_damage(exc)


@pytest.mark.parametrize("exc", MACHINE, ids=lambda e: type(e).__name__)
def test_the_machine_s_errors_are_not_damage(exc: BaseException) -> None:
    assert not is_damage(exc)


def test_damage_does_not_include_lookup_error_through_key_error() -> None:
    # KeyError is a LookupError: the tuple must name KeyError, never LookupError itself
    assert LookupError not in DAMAGE and KeyError in DAMAGE


def raiser(exc: BaseException) -> Any:
    def fail(*_: object, **__: object) -> Any:
        raise exc

    return fail


@pytest.mark.parametrize("exc", MACHINE, ids=lambda e: type(e).__name__)
def test_xlsx_reader_lets_the_machine_s_errors_through(monkeypatch: pytest.MonkeyPatch,
                                                       exc: BaseException) -> None:
    monkeypatch.setattr(openpyxl, "load_workbook", raiser(exc))
    monkeypatch.setattr(xlsx_read, "_read", raiser(exc))  # the calamine reader
    with pytest.raises(type(exc)):
        excel.read_workbook(HOSTILE / "campagne.xlsx")


@pytest.mark.parametrize("exc", FILE, ids=lambda e: type(e).__name__)
def test_xlsx_reader_calls_damage_damaged(monkeypatch: pytest.MonkeyPatch,
                                          exc: Exception) -> None:
    monkeypatch.setattr(openpyxl, "load_workbook", raiser(exc))
    monkeypatch.setattr(xlsx_read, "_read", raiser(exc))  # the calamine reader
    with pytest.raises(SourceError, match=r"campagne\.xlsx est endommagé .*\(" +
                       type(exc).__name__):
        excel.read_workbook(HOSTILE / "campagne.xlsx")


@pytest.mark.parametrize("exc", [LookupError("unknown encoding: cp437"), MemoryError(),
                                 denied()], ids=lambda e: type(e).__name__)
def test_writer_lets_the_machine_s_errors_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  exc: BaseException) -> None:
    path = tmp_path / "campagne.xlsx"
    original = (HOSTILE / "campagne.xlsx").read_bytes()
    path.write_bytes(original)
    monkeypatch.setattr(xlsx_write, "_generated_in", raiser(exc))
    with pytest.raises(type(exc)):
        excel.write_tabs(path, [TAB], expected_fingerprint=None)
    assert path.read_bytes() == original


def test_writer_calls_a_damaged_package_damaged(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "campagne.xlsx"
    path.write_bytes((HOSTILE / "campagne.xlsx").read_bytes())
    monkeypatch.setattr(xlsx_write, "_generated_in", raiser(zlib.error("bad")))
    with pytest.raises(SourceError, match=r"campagne\.xlsx est endommagé \(error\)"):
        excel.write_tabs(path, [TAB], expected_fingerprint=None)


class FakeCalamine:
    def __init__(self, exc: BaseException) -> None:
        self.from_filelike = raiser(exc)


@pytest.mark.parametrize("name", ["campagne.xls", "campagne.ods", "valeurs.xlsb"])
@pytest.mark.parametrize("exc", MACHINE, ids=lambda e: type(e).__name__)
def test_calamine_reader_lets_the_machine_s_errors_through(monkeypatch: pytest.MonkeyPatch,
                                                           exc: BaseException,
                                                           name: str) -> None:
    monkeypatch.setattr(calamine_read, "CalamineWorkbook", FakeCalamine(exc))
    with pytest.raises(type(exc)):
        excel.read_workbook(HOSTILE / name)


class PanicException(BaseException):
    """Stands for pyo3_runtime.PanicException, which cannot be imported."""


@pytest.mark.parametrize("exc", [CalamineError("bad"), PanicException("index out of bounds"),
                                 ValueError("bad")], ids=lambda e: type(e).__name__)
def test_calamine_reader_calls_damage_damaged(monkeypatch: pytest.MonkeyPatch,
                                              exc: BaseException) -> None:
    monkeypatch.setattr(calamine_read, "CalamineWorkbook", FakeCalamine(exc))
    with pytest.raises(SourceError, match=rf"campagne\.xls .*\({type(exc).__name__}\)"):
        excel.read_workbook(HOSTILE / "campagne.xls")


@pytest.mark.parametrize("exc", [LookupError("unknown encoding"), MemoryError(), denied()],
                         ids=lambda e: type(e).__name__)
def test_xls_scan_lets_the_machine_s_errors_through(monkeypatch: pytest.MonkeyPatch,
                                                    exc: BaseException) -> None:
    monkeypatch.setattr(olefile, "OleFileIO", raiser(exc))
    with pytest.raises(type(exc)):
        excel.read_workbook(HOSTILE / "campagne.xls")


def test_xls_scan_calls_a_bad_container_damaged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(olefile, "OleFileIO",
                        raiser(NotOleFileError("not an OLE2 structured storage file")))
    with pytest.raises(SourceError, match=r"campagne\.xls .*\(NotOleFileError\)"):
        excel.read_workbook(HOSTILE / "campagne.xls")


@pytest.mark.parametrize("exc", [LookupError("unknown encoding"), MemoryError()],
                         ids=lambda e: type(e).__name__)
def test_ods_and_xlsb_scans_let_the_machine_s_errors_through(monkeypatch: pytest.MonkeyPatch,
                                                             exc: BaseException) -> None:
    monkeypatch.setattr(expat, "ParserCreate", raiser(exc))
    with pytest.raises(type(exc)):
        excel.read_workbook(HOSTILE / "campagne.ods")
    monkeypatch.setattr(calamine_prescan, "_xlsb_sheets", raiser(exc))
    with pytest.raises(type(exc)):
        excel.read_workbook(HOSTILE / "valeurs.xlsb")
