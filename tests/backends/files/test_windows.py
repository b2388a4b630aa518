"""Windows, tested here on any system (issue #14, 13): Excel's lock, msvcrt, odd paths.

On Windows a workbook Excel keeps open cannot be replaced: os.replace fails with a sharing
violation (winerror 32, 33) or access denied (5). It gets the same French refusal as the
~$ owner file gives everywhere. The sync lock uses msvcrt.locking there: its branch is run
with a stand-in msvcrt that keeps its locks in a table, as Windows does per file and byte.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from sheets_sync.backends import excel
from sheets_sync.backends.excel import write as xlsx_write
from sheets_sync.backends.files import os_reasons, sync_lock
from sheets_sync.backends.files.sync_lock import (
    cache_lock_path,
    hold,
    lock_path,
    read_holder,
)
from sheets_sync.cells.grid import MARKER, GeneratedTab
from sheets_sync.errors import WriteRefused

HOSTILE = Path(__file__).resolve().parents[2] / "data" / "hostile"
TAB = GeneratedTab(name="Synthèse", banner=f"{MARKER} le 01/09/2021", title="Synthèse",
                   header=("Établissement",), rows=())


def windows_error(winerror: int, code: int = errno.EACCES) -> PermissionError:
    """What Windows raises; `winerror` is set by hand (POSIX's OSError has none)."""
    exc = PermissionError(code, "Le processus ne peut pas accéder au fichier")
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


# --- Excel keeps the workbook open: the replace fails -------------------------------------


@pytest.mark.parametrize("winerror", [5, 32, 33])
def test_open_elsewhere_is_windows_sharing_or_access_denied(winerror: int) -> None:
    assert os_reasons.open_elsewhere(windows_error(winerror))


@pytest.mark.parametrize("exc", [PermissionError(errno.EACCES, "Permission denied"),
                                 OSError(errno.ENOSPC, "No space left on device"),
                                 windows_error(112, errno.ENOSPC)])
def test_other_failures_are_not_open_elsewhere(exc: OSError) -> None:
    assert not os_reasons.open_elsewhere(exc)


def refusing_replace(monkeypatch: pytest.MonkeyPatch, target: Path, exc: OSError) -> None:
    """os.replace fails as Windows does when `target` is open in Excel."""
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst) == target:
            raise exc
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def workbook(folder: Path, name: str = "reponses.xlsx") -> Path:
    path = folder / name
    path.write_bytes((HOSTILE / "campagne.xlsx").read_bytes())
    return path


@pytest.mark.parametrize("winerror", [5, 32, 33])
def test_workbook_open_in_excel_on_windows_is_refused_in_french(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, winerror: int) -> None:
    path = workbook(tmp_path)
    before = path.read_bytes()
    refusing_replace(monkeypatch, path, windows_error(winerror))
    with pytest.raises(WriteRefused) as info:
        excel.write_tabs(path, [TAB], expected_fingerprint=None)
    message = str(info.value)
    assert message.startswith("reponses.xlsx semble ouvert dans Excel")
    assert "fermez-le puis relancez" in message and "rien n'a été écrit" in message
    assert path.read_bytes() == before
    assert xlsx_write.stale_temp_files(path) == []  # the temp file went away


def test_backup_open_in_excel_on_windows_is_refused_in_french(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path)
    before = path.read_bytes()
    refusing_replace(monkeypatch, excel.backup_path(path), windows_error(32))
    with pytest.raises(WriteRefused, match=r"^reponses\.sauvegarde\.xlsx semble ouvert dans "
                                           r"Excel .*fermez-le puis relancez"):
        excel.write_tabs(path, [TAB], expected_fingerprint=None)
    assert path.read_bytes() == before
    assert xlsx_write.stale_temp_files(path) == []


def test_permission_denied_without_winerror_keeps_its_own_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path)
    refusing_replace(monkeypatch, path, PermissionError(errno.EACCES, "Permission denied"))
    with pytest.raises(WriteRefused, match="permission refusée") as info:
        excel.write_tabs(path, [TAB], expected_fingerprint=None)
    assert "ouvert dans Excel" not in str(info.value)


# --- the sync lock's Windows branch ---------------------------------------------------------


class FakeMsvcrt:
    """msvcrt.locking as Windows behaves: a byte range of a file, one holder, no waiting."""

    LK_UNLCK, LK_NBLCK = 0, 2

    def __init__(self, fail: OSError | None = None) -> None:
        self.held: dict[tuple[int, int, int], int] = {}  # (dev, inode, offset) -> fd
        self.fail = fail

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        assert nbytes == 1
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        if mode == self.LK_NBLCK:
            if self.fail is not None:
                raise self.fail
            if self.held.get(key, fd) != fd:
                raise PermissionError(errno.EACCES, "Permission denied")
            self.held[key] = fd
        else:
            assert mode == self.LK_UNLCK and self.held.pop(key) == fd


@pytest.fixture
def msvcrt(monkeypatch: pytest.MonkeyPatch) -> FakeMsvcrt:
    """The Windows branch of the lock, with a stand-in msvcrt."""
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    try_lock, unlock = sync_lock._lockers("win32")
    monkeypatch.setattr(sync_lock, "_try_lock", try_lock)
    monkeypatch.setattr(sync_lock, "_unlock", unlock)
    return fake


def test_windows_lock_refuses_a_second_sync_and_says_who(tmp_path: Path,
                                                         msvcrt: FakeMsvcrt) -> None:
    target = tmp_path / "Campagne été 2021" / "Réponses collège n°2.xlsx"
    target.parent.mkdir()
    lock = lock_path(target)
    assert lock.name == ".Réponses collège n°2.xlsx.sheets-sync.lock"
    with hold(lock, target.name):
        assert list(msvcrt.held) == [(lock.stat().st_dev, lock.stat().st_ino, 1 << 20)]
        holder = read_holder(lock)  # the locked byte is past the text: still readable
        assert holder is not None and holder.pid == os.getpid()
        with pytest.raises(WriteRefused, match="une autre synchronisation est en cours"), \
                hold(lock, target.name):
            pass
    assert msvcrt.held == {} and not lock.exists()
    with hold(lock, target.name):  # released: the next sync takes it
        assert len(msvcrt.held) == 1


@pytest.mark.parametrize(("code", "locked"), [(errno.EACCES, False), (errno.EDEADLOCK, False),
                                              (errno.EINVAL, True)])
def test_windows_lock_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int,
                             locked: bool) -> None:
    """Held by another process (EACCES, EDEADLOCK); any other error: a share without locks,
    where the sync goes on as on POSIX (the fingerprint check before the replace remains)."""
    monkeypatch.setitem(sys.modules, "msvcrt", FakeMsvcrt(fail=OSError(code, "x")))
    try_lock, _ = sync_lock._lockers("win32")
    fd = os.open(tmp_path / "verrou", os.O_RDWR | os.O_CREAT)
    try:
        assert try_lock(fd) is locked
    finally:
        os.close(fd)


@pytest.mark.skipif(sys.platform == "win32", reason="flock: POSIX only")
def test_posix_branch_is_flock(tmp_path: Path) -> None:
    try_lock, unlock = sync_lock._lockers("linux")
    path = tmp_path / "verrou"
    first, second = (os.open(path, os.O_RDWR | os.O_CREAT) for _ in range(2))
    try:
        assert try_lock(first) and not try_lock(second)
        unlock(first)
        assert try_lock(second)
    finally:
        os.close(first)
        os.close(second)


def test_cache_lock_on_windows_is_in_local_app_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", "C:\\Users\\Élodie Martin\\AppData\\Local")
    path = cache_lock_path("1AbC-d_é f")
    assert path.parts[-3:] == ("sheets-sync", "verrous", "1AbC-d_é_f.lock")
    assert str(path).startswith("C:\\Users\\Élodie Martin\\AppData\\Local")


# --- paths with accents and spaces ----------------------------------------------------------


def test_workbook_with_accents_and_spaces_is_written_and_cleaned(tmp_path: Path) -> None:
    folder = tmp_path / "Campagne été 2021 — collèges"
    folder.mkdir()
    path = workbook(folder, "Réponses « 4e » n°2.xlsx")
    stale = folder / ".Réponses « 4e » n°2.xlsx.sheets-sync-a1b2c3d4.tmp"
    stale.write_bytes(b"")
    assert xlsx_write.stale_temp_files(path) == [stale]
    with hold(lock_path(path), path.name):
        assert xlsx_write.remove_stale_temp_files(path) == [stale]
        saved = excel.write_tabs(path, [TAB], expected_fingerprint=None)
    assert saved == folder / "Réponses « 4e » n°2.sauvegarde.xlsx"
    assert "Synthèse" in [g.sheet for g in excel.read_workbook(path).grids]
    assert sorted(p.name for p in folder.iterdir()) == [
        "Réponses « 4e » n°2.sauvegarde.xlsx", "Réponses « 4e » n°2.xlsx"]
