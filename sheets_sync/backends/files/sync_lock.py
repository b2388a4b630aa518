"""One sync at a time per workbook: an OS lock held from the read to the write.

    sheets-sync sync ──► hold(.<name>.sheets-sync.lock) ──► read … check … write ──► release
                              │
                              └ taken: wait up to `wait` seconds (--attendre), then
                                WriteRefused naming who holds it since when (exit 2)

The lock is ``fcntl.flock`` (POSIX) or ``msvcrt.locking`` (Windows) on a small file beside the
target workbook. The system releases it when the process ends, even by kill -9: a crashed sync
never blocks the next one. The file says who took it (process, machine, time) for the
message; it is removed on release, and one a killed sync left behind is simply reused.
Removing it is safe because a holder checks, once locked, that the path still names the file
it locked (else it starts again).

A Google spreadsheet is locked by a file in the user's cache folder keyed by its id: that
protects one machine only. Across machines, Google applies each publish whole (one
batchUpdate, publish), so two syncs never mix their tabs: the later one wins whole,
and a tab renamed or removed meanwhile makes Google refuse the batch (SourceChanged); the
earlier sync's row of the Journal tab can be lost, nothing else. On a network folder the
lock is only as good as the share's locking (none where the file system refuses locks), and
the fingerprint check before the replace (write) still refuses to overwrite what
another sync wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import importlib
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import WriteRefused
from .os_reasons import disk_problem

POLL = 0.1  # seconds between two attempts while waiting

_WINDOWS_BYTE = 1 << 20  # Windows locks a byte past the text, which stays readable


def _lockers(platform: str) -> tuple[Callable[[int], bool], Callable[[int], None]]:
    """(try_lock, unlock) on a descriptor: msvcrt.locking on Windows, flock elsewhere.

    Both are released by the system when the process ends, even killed. The module is
    looked up by name so that tests can hand a stand-in msvcrt to the Windows branch.
    """
    if platform == "win32":
        msvcrt = importlib.import_module("msvcrt")

        def try_lock(fd: int) -> bool:
            os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError as exc:  # EACCES, EDEADLOCK: held; else a share without locks
                return exc.errno not in (errno.EACCES, errno.EDEADLOCK)
            return True

        def unlock(fd: int) -> None:
            os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

        return try_lock, unlock

    fcntl = importlib.import_module("fcntl")

    def try_flock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:  # a file system without locks: go on, the fingerprint check remains
            return True
        return True

    def unflock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    return try_flock, unflock


_try_lock, _unlock = _lockers(sys.platform)


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as it wrote itself in the lock file."""

    pid: int | None
    machine: str
    since: dt.datetime | None

    def describe(self) -> str:
        """« depuis le 01/09/2021 à 10:00:00 (processus 1234 sur « poste ») »."""
        parts = []
        if self.since is not None:
            parts.append(f"depuis le {self.since:%d/%m/%Y à %H:%M:%S}")
        who = f"processus {self.pid}" if self.pid is not None else ""
        if self.machine:
            who = f"{who} sur « {self.machine} »".strip()
        if who:
            parts.append(f"({who})")
        return " ".join(parts)


def lock_path(target: Path) -> Path:
    """campagne.xlsx -> .campagne.xlsx.sheets-sync.lock, beside it."""
    return target.with_name(f".{target.name}.sheets-sync.lock")


def cache_lock_path(key: str) -> Path:
    """A lock file in the user's cache folder, for a target that is not a file (Google)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in key)
    return Path(base) / "sheets-sync" / "verrous" / f"{safe}.lock"


def read_holder(path: Path) -> Holder | None:
    """Who holds (or last held) the lock at `path`, if it says so."""
    try:
        return _parse(Path(path).read_bytes())
    except OSError:
        return None


def _parse(raw: bytes) -> Holder | None:
    try:
        data = json.loads(raw.decode("utf-8"))
        pid = data.get("pid")
        since = data.get("depuis")
        return Holder(pid if isinstance(pid, int) else None, str(data.get("machine") or ""),
                      dt.datetime.fromisoformat(since) if isinstance(since, str) else None)
    except (ValueError, AttributeError):
        return None


def _read(fd: int) -> Holder | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return _parse(os.read(fd, 4096))
    except OSError:
        return None


def _record(fd: int) -> None:
    """Say who we are in the lock file (skipped when it could only be opened read-only)."""
    text = json.dumps({"pid": os.getpid(), "machine": socket.gethostname(),
                       "depuis": dt.datetime.now().isoformat(timespec="seconds")})
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text.encode("utf-8"))


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, named = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (named.st_dev, named.st_ino)


def _open(path: Path, what: str) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        if isinstance(exc, PermissionError) and path.exists():
            # someone else's leftover: locking needs no write access to it
            with contextlib.suppress(OSError):
                return os.open(path, os.O_RDONLY)
        why, todo = disk_problem(exc)
        raise WriteRefused(
            f"{what} : impossible de créer le verrou de synchronisation {path.name} dans "
            f"{path.parent} : {why}. Rien n'a été écrit ; {todo}."
        ) from None


def _busy(what: str, holder: Holder | None, wait: float) -> WriteRefused:
    who = f" {holder.describe()}" if holder is not None and holder.describe() else ""
    state = f"toujours en cours après {wait:g} s d'attente" if wait > 0 else "en cours"
    return WriteRefused(
        f"{what} : une autre synchronisation est {state}{who}. Attendez qu'elle se termine "
        "puis relancez (ou ajoutez --attendre SECONDES pour patienter). Rien n'a été écrit."
    )


def _acquire(path: Path, what: str, wait: float, on_wait: Callable[[str], None] | None,
             poll: float) -> int:
    deadline = time.monotonic() + wait
    told = False
    while True:
        fd = _open(path, what)
        if _try_lock(fd):
            if _same_file(fd, path):
                _record(fd)
                return fd
            os.close(fd)  # removed by its last holder meanwhile: lock the new one
            continue
        holder = _read(fd)
        os.close(fd)
        if time.monotonic() >= deadline:
            raise _busy(what, holder, wait)
        if on_wait is not None and not told:
            who = f" {holder.describe()}" if holder is not None and holder.describe() else ""
            on_wait(f"{what} : une autre synchronisation est en cours{who} ; attente de sa fin "
                    f"(au plus {wait:g} s)…")
            told = True
        time.sleep(min(poll, max(deadline - time.monotonic(), 0.0)))


def _release(path: Path, fd: int) -> None:
    try:
        if _same_file(fd, path):
            with contextlib.suppress(OSError):  # Windows: still open elsewhere
                path.unlink()
        with contextlib.suppress(OSError):
            _unlock(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def hold(path: Path, what: str, *, wait: float = 0.0,
         on_wait: Callable[[str], None] | None = None, poll: float = POLL) -> Iterator[Path]:
    """Hold the lock at `path` for the block; `what` names the target in messages.

    Taken by someone else: retried every `poll` seconds for up to `wait` seconds (`on_wait`
    told once, with who holds it), then WriteRefused. A lock that cannot be created (folder
    read-only, disk full) is a WriteRefused too: the write would fail the same way.
    """
    path = Path(path)
    fd = _acquire(path, what, max(wait, 0.0), on_wait, poll)
    try:
        yield path
    finally:
        _release(path, fd)


@contextlib.contextmanager
def hold_if_possible(path: Path, what: str, *, wait: float = 0.0,
                     on_wait: Callable[[str], None] | None = None) -> Iterator[Path | None]:
    """`hold`, except that a lock file that cannot be made means no lock (yields None).

    For a lock in the cache folder, which only adds to Google's own check.
    """
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        yield None
        return
    os.close(fd)
    with hold(path, what, wait=wait, on_wait=on_wait) as held:
        yield held
