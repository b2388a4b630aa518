"""Faults during an Excel sync: kill -9, disk full, read-only, open in Excel, two syncs at once.

Real faults where the system can make them: children forked from this process (the package
imported once) are killed with SIGKILL (at each step of the write, by a hook in the child,
and at seeded moments by the clock), limited with RLIMIT_FSIZE, or run as « nobody ».
What must hold after each: the workbook opens, its input parts are byte-identical, the
previous good workbook is the workbook or its backup, a French message says what to do
(exit 2, no traceback), and the next sync runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from sheets_sync.backends import excel
from sheets_sync.backends.excel import write as xlsx_write
from sheets_sync.backends.files.sync_lock import (
    cache_lock_path,
    hold,
    hold_if_possible,
    lock_path,
    read_holder,
)
from sheets_sync.cells.grid import MARKER, GeneratedTab
from sheets_sync.cli import main
from sheets_sync.config import Config, load_config
from sheets_sync.errors import WriteRefused
from sheets_sync.outreach import texts
from sheets_sync.starter.campaign import default_config_text, write_template
from sheets_sync.starter.fictional import demo_answers, demo_roster
from sheets_sync.sync import sync

from ...conftest import MakeCampaign
from ...helpers import COMPLETE_NO, COMPLETE_YES
from ...robustness import KILLS, tried

ROOT = Path(__file__).resolve().parents[3]
NOBODY = 65534
EARLIER = dt.datetime(2021, 9, 1, 9, 0)
KILLED_AT = dt.datetime(2021, 9, 1, 10, 0)
FOLLOW = dt.datetime(2021, 9, 1, 11, 0)
# Parts a graft may rewrite; every other part of the template is an input part.
EDITED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
          "xl/styles.xml", "docProps/app.xml", "docProps/core.xml", "xl/calcChain.xml"}
TEMP = re.compile(r"\.reponses(\.sauvegarde)?\.xlsx\.sheets-sync-[a-z0-9_]{8}\.tmp")
HANG = 120.0  # seconds before a stuck child is a failure (a guard, not a timing assertion)
TAB = GeneratedTab(name="Synthèse", banner=f"{MARKER} le 01/09/2021", title="Synthèse",
                   header=("Établissement",), rows=())


# --- children -----------------------------------------------------------------------------


def fork(run: Callable[[], Any]) -> tuple[int, int]:
    """A child running `run`, its JSON result sent back on a pipe: (pid, read end).

    The child never returns into pytest: it leaves by os._exit, 0 when `run` returned.
    """
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:
        code = 3
        try:
            os.close(read_end)
            os.write(write_end, json.dumps(run()).encode("utf-8"))
            code = 0
        except BaseException:
            with contextlib.suppress(BaseException):
                traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def wait_for(fd: int, what: str) -> bytes:
    """One message from a child, or a failure if none comes (the child hangs or died)."""
    ready, _, _ = select.select([fd], [], [], HANG)
    assert ready, f"no « {what} » from the child"
    data = os.read(fd, 4096)
    assert data, f"the child ended before « {what} »"
    return data


def finish(pid: int, fd: int) -> Any:
    """The child's result, once it has exited 0."""
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], HANG)
        assert ready, "the child hangs"
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"child status {status}"
    return json.loads(b"".join(chunks).decode("utf-8"))


def cli(*args: str) -> dict[str, Any]:
    """The command's exit code and output; « crash » names an exception that escaped it."""
    result = CliRunner().invoke(main, list(args))
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    return {"code": result.exit_code, "out": result.stdout, "err": result.stderr,
            "crash": repr(result.exception) if crashed else ""}


def cli_in_child(*args: str, before: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """The command run in a child, after `before` (drop privileges, lower limits)."""

    def run() -> dict[str, Any]:
        before()
        return cli(*args)

    return finish(*fork(run))  # type: ignore[no-any-return]


# --- files --------------------------------------------------------------------------------


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def input_parts(template: bytes) -> dict[str, bytes]:
    """The template's parts no sync may touch: input tabs, shared strings, theme, rels."""
    found = {n: b for n, b in parts(template).items() if n not in EDITED}
    assert any(n.startswith("xl/worksheets/") for n in found)
    return found


def assert_inputs_intact(data: bytes, inputs: dict[str, bytes]) -> None:
    now = parts(data)
    assert {n: now.get(n) for n in inputs} == inputs


def opens(path: Path) -> list[str]:
    """The workbook opens: its zip is sound and openpyxl loads it; its tab names."""
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path)
    names: list[str] = book.sheetnames
    book.close()
    return names


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def plant_decoys(folder: Path) -> dict[str, bytes]:
    """Files a cleanup must never delete: look-alikes of our temp files, and a link."""
    decoys = {
        ".reponses.xlsx.brouillon.tmp": b"a moi",
        ".reponses.k3j2h1x0.tmp": b"ancien nom",
        ".reponses.xlsx.sheets-sync-ABCDEFGH.tmp": b"majuscules : pas mkstemp",
        "notes.tmp": b"notes",
    }
    for name, data in decoys.items():
        (folder / name).write_bytes(data)
    (folder / ".reponses.xlsx.sheets-sync-zzzzzzzz.tmp").symlink_to("notes.tmp")
    return decoys


def assert_decoys_kept(folder: Path, decoys: dict[str, bytes]) -> None:
    assert {n: (folder / n).read_bytes() for n in decoys} == decoys
    assert (folder / ".reponses.xlsx.sheets-sync-zzzzzzzz.tmp").is_symlink()


DECOY_NAMES = {".reponses.xlsx.brouillon.tmp", ".reponses.k3j2h1x0.tmp",
               ".reponses.xlsx.sheets-sync-ABCDEFGH.tmp", "notes.tmp",
               ".reponses.xlsx.sheets-sync-zzzzzzzz.tmp"}


def ours(name: str) -> bool:
    return bool(TEMP.fullmatch(name)) and name not in DECOY_NAMES


def put(path: Path, workbook: bytes, backup: bytes | None) -> None:
    """The folder as a scenario starts: this workbook, this backup (or none)."""
    path.write_bytes(workbook)
    saved = excel.backup_path(path)
    if backup is None:
        saved.unlink(missing_ok=True)
    else:
        saved.write_bytes(backup)


# --- 1. kill -9 ---------------------------------------------------------------------------


def demo_campaign(make_campaign: MakeCampaign) -> Config:
    return make_campaign(demo_answers(), roster=demo_roster())


def sync_at(config: Config, now: dt.datetime) -> None:
    sync(config, now=now)


def synced(config: Config, start: bytes, now: dt.datetime) -> bytes:
    """What a sync at `now` makes of the workbook `start` (the folder is left as it was)."""
    put(config.source, start, None)
    sync(config, now=now)
    excel.backup_path(config.source).unlink()
    return config.source.read_bytes()


def moment(config: Config, event: str | None) -> Callable[[], bool]:
    """Whether `event` has happened in the folder: a temp file shows, or the replace."""
    folder, path = config.source.parent, config.source
    if event is None:
        return lambda: True
    if event == "remplacement":
        inode = path.stat().st_ino  # put() writes in place: only os.replace changes it
        return lambda: path.stat().st_ino != inode
    prefix = ".reponses.sauvegarde.xlsx." if event == "sauvegarde" else ".reponses.xlsx."
    return lambda: any(ours(n) and n.startswith(prefix) for n in os.listdir(folder))


def run_and_kill(config: Config, delay: float, event: str | None) -> tuple[bool, float]:
    """A child syncing, SIGKILLed `delay` s after its start or after `event`.

    Returns whether the kill landed before the child ended, and when the child started.
    """
    happened = moment(config, event)
    start = time.perf_counter()
    pid, fd = fork(lambda: sync_at(config, KILLED_AT))
    status = None
    while status is None and not happened():  # poll; the child has the other core
        done, status_now = os.waitpid(pid, os.WNOHANG)
        if done:
            status = status_now
    if status is None:
        if delay:
            time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    os.close(fd)
    if os.WIFEXITED(status):
        assert os.WEXITSTATUS(status) == 0, "the sync failed on its own"
        return False, start
    assert os.WTERMSIG(status) == signal.SIGKILL
    return True, start


def calibrate(config: Config, expected: bytes) -> tuple[float, float]:
    """One whole sync in a child: its duration, and when its temp file showed."""
    temp_shows = moment(config, "classeur")
    start = time.perf_counter()
    pid, fd = fork(lambda: sync_at(config, KILLED_AT))
    temp_at = None
    while not os.waitpid(pid, os.WNOHANG)[0]:
        if temp_at is None and temp_shows():
            temp_at = time.perf_counter() - start
    duration = time.perf_counter() - start
    os.close(fd)
    assert config.source.read_bytes() == expected  # a forked sync writes what one in-process does
    return duration, temp_at if temp_at is not None else duration * 0.8


def check_after_kill(config: Config, pristine: bytes, old_backup: bytes | None, new: bytes,
                     inputs: dict[str, bytes], opened: dict[bytes, list[str]]) -> str:
    """Everything a kill at any moment must leave true; returns where the kill landed."""
    path, folder = config.source, config.source.parent
    saved = excel.backup_path(path)
    allowed = {"config.toml", path.name, saved.name, lock_path(path).name} | DECOY_NAMES
    left = listing(folder)
    assert all(n in allowed or ours(n) for n in left), left  # nothing but ours was created
    data = path.read_bytes()
    assert data in (pristine, new), "the workbook is neither the previous nor the new one"
    if data not in opened:  # the same bytes open the same way: each content loaded once
        opened[data] = opens(path)
    assert len(opened[data]) >= 3
    assert_inputs_intact(data, inputs)
    backup = saved.read_bytes() if saved.exists() else None
    if data == new:  # replaced: the previous good workbook is the backup
        assert backup == pristine
        return "après le remplacement"
    assert backup in (old_backup, pristine)
    return "pendant l'écriture" if any(ours(n) for n in left) else "avant l'écriture"


def kill_plan(rng: random.Random, wanted: int) -> list[tuple[str, float]]:
    """When to kill by the clock, as (moment, fraction): half over the whole sync, half
    after its write began (the temp file shows) and before its end."""
    half = wanted // 2
    return ([("début", rng.random()) for _ in range(half)]
            + [("écriture", rng.random()) for _ in range(wanted - half)])


def delay_for(moment_name: str, fraction: float, duration: float,
              temp_at: float) -> tuple[float, str | None]:
    """(seconds to wait, event to wait for first) for one entry of the plan.

    The write is aimed from its event: the temp file shows 1.3 to 1.55 s into a 1.5 s sync
    here, a spread wider than the write itself, so a delay from the start (as before) put
    all 20 of those kills before the write.
    """
    tail = max(duration - temp_at, 0.001)
    return {
        "début": (fraction * duration, None),
        "écriture": (fraction * tail, "classeur"),
    }[moment_name]


# Where a child kills itself (SIGKILL) inside the write, and where that must leave the
# folder: the clock cannot aim at moments a few milliseconds long, a hook in the child can.
DURING, AFTER, BEFORE = "pendant l'écriture", "après le remplacement", "avant l'écriture"
STEPS: list[tuple[str, str]] = [
    *((f"classeur écrit à {p} %", DURING) for p in (0, 25, 50, 75, 100)),
    *((f"sauvegarde écrite à {p} %", DURING) for p in (0, 25, 50, 75, 100)),
    ("avant le remplacement de la sauvegarde", DURING),
    ("après le remplacement de la sauvegarde", DURING),
    ("avant le remplacement du classeur", DURING),
    ("après le remplacement du classeur", AFTER),
    ("avant le fsync du dossier", AFTER),
]


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(step: str) -> None:
    """In the child: kill itself at `step` of the write (one of STEPS)."""
    real_write, real_replace = xlsx_write._write_file, os.replace

    def write_file(path: Path, data: bytes) -> None:
        which = "sauvegarde écrite" if ".sauvegarde." in path.name else "classeur écrit"
        if step.startswith(which):
            percent = int(step.rsplit(" ", 2)[1])
            with path.open("wb") as fh:  # what the disk holds when the kill lands
                fh.write(data[: len(data) * percent // 100])
            die()
        real_write(path, data)

    def replace(src: Any, dst: Any) -> None:
        which = "de la sauvegarde" if ".sauvegarde." in Path(dst).name else "du classeur"
        if step == f"avant le remplacement {which}":
            die()
        real_replace(src, dst)
        if step == f"après le remplacement {which}":
            die()

    def sync_folder(folder: Path) -> None:
        die()

    xlsx_write._write_file = write_file
    os.replace = replace  # type: ignore[assignment]
    if step == "avant le fsync du dossier":
        xlsx_write._sync_folder = sync_folder


def kill_at_step(config: Config, step: str) -> None:
    """A child syncing, that kills itself at `step`; fails if it ends any other way."""
    def run() -> None:
        arm(step)
        sync_at(config, KILLED_AT)
        raise AssertionError(f"the sync ended without reaching « {step} »")

    pid, fd = fork(run)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (step, status)


def kill_scenario(config: Config, pristine: bytes, old_backup: bytes | None,
                  inputs: dict[str, bytes], decoys: dict[str, bytes], seed: int,
                  timed: int) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Kills over a whole sync, each checked and followed: one at each of STEPS, then
    `timed` by the clock at seeded moments. Returns where each kind landed."""
    path = config.source
    new = synced(config, pristine, KILLED_AT)
    follow = {pristine: synced(config, pristine, FOLLOW), new: synced(config, new, FOLLOW)}
    opened: dict[bytes, list[str]] = {}

    def check_and_follow() -> str:
        before = path.read_bytes()
        landed = check_after_kill(config, pristine, old_backup, new, inputs, opened)
        # the next sync runs: stale temp files and lock removed, decoys kept
        sync(config, now=FOLLOW)
        assert path.read_bytes() == follow[before]
        assert excel.backup_path(path).read_bytes() == before
        assert listing(path.parent) == {"config.toml", path.name,
                                         excel.backup_path(path).name} | DECOY_NAMES
        assert_decoys_kept(path.parent, decoys)
        put(path, pristine, old_backup)
        return landed

    stepped: Counter[str] = Counter()
    put(path, pristine, old_backup)
    for step, expected in STEPS:
        kill_at_step(config, step)
        landed = check_and_follow()
        assert landed == expected, (step, landed)
        stepped[landed] += 1
    runs = []
    for _ in range(2):  # the quicker of two: a slow run would put moments past the end
        put(path, pristine, old_backup)
        runs.append(calibrate(config, new))
    put(path, pristine, old_backup)
    duration, temp_at = min(runs)
    where: Counter[tuple[str, str]] = Counter()  # (aimed at, landed)
    attempts = 0
    for aim, fraction in kill_plan(random.Random(seed), timed):
        while True:
            attempts += 1
            assert attempts <= 3 * timed, f"only {sum(where.values())} kills landed"
            delay, event = delay_for(aim, fraction, duration, temp_at)
            killed, started = run_and_kill(config, delay, event)
            landed = check_and_follow()
            if killed:
                where[aim, landed] += 1
                break
            if event is None:  # it ended sooner than measured
                duration = min(duration, time.perf_counter() - started)
            fraction /= 2  # aim earlier
    return stepped, where


@pytest.mark.slow
def test_kill_9_at_50_moments_leaves_a_workbook_that_opens(make_campaign: MakeCampaign) -> None:
    config = demo_campaign(make_campaign)
    template = config.source.read_bytes()
    inputs = input_parts(template)
    decoys = plant_decoys(config.source.parent)
    # first sync: no generated tab yet, no backup
    first = kill_scenario(config, template, None, inputs, decoys, seed=7, timed=10)
    # re-sync: generated tabs replaced, the backup of the previous sync in place
    synced_once = synced(config, template, EARLIER)
    again = kill_scenario(config, synced_once, template, inputs, decoys, seed=8, timed=10)
    for label, (stepped, timed) in (("première synchro", first), ("re-synchro", again)):
        print(f"\nkill -9, {label} : {dict(stepped)} par étape ; "
              + ", ".join(f"{aim} → {landed} : {n}" for (aim, landed), n in sorted(timed.items()))
              + " à l'horloge")
    # each step lands where it aims, in both scenarios: most kills during the write
    for stepped, _ in (first, again):
        assert stepped == Counter({DURING: 13, AFTER: 2})
    # by the clock: 5 over the whole sync (reading and checking take 90 % of it, so most of
    # those land before the write), 5 once the write began, which land in it or just after
    for _, timed in (first, again):
        assert sum(n for (aim, _), n in timed.items() if aim == "début") == 5
        assert sum(n for (aim, _), n in timed.items() if aim == "écriture") == 5
        assert {landed for (aim, landed) in timed if aim == "écriture"} <= {DURING, AFTER}
    tried(KILLS, 2 * len(STEPS) + 2 * 10)


def test_stale_temp_files_are_ours_only(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    folder = config.source.parent
    decoys = plant_decoys(folder)
    stale = [folder / ".reponses.xlsx.sheets-sync-a1b2c3d4.tmp",
             folder / ".reponses.sauvegarde.xlsx.sheets-sync-_9x8y7z6.tmp"]
    for temp in stale:
        temp.write_bytes(b"PK\x03\x04 moitie")
    (folder / "autre.xlsx.sheets-sync-a1b2c3d4.tmp").write_bytes(b"autre classeur")
    assert xlsx_write.stale_temp_files(config.source) == sorted(stale)
    sync(config)
    assert not any(t.exists() for t in stale)
    assert_decoys_kept(folder, decoys)
    assert (folder / "autre.xlsx.sheets-sync-a1b2c3d4.tmp").exists()


def test_a_killed_lock_holder_frees_the_lock(tmp_path: Path) -> None:
    target = tmp_path / "reponses.xlsx"

    def holder() -> None:
        with hold(lock_path(target), target.name):
            os.write(ready_w, b"x")
            time.sleep(HANG)

    ready_r, ready_w = os.pipe()
    pid, fd = fork(holder)
    try:
        wait_for(ready_r, "verrou pris")
        holder_seen = read_holder(lock_path(target))
        assert holder_seen is not None and holder_seen.pid == pid
        assert holder_seen.since is not None and holder_seen.machine
        with pytest.raises(WriteRefused, match=f"en cours depuis le .* \\(processus {pid} sur"):
            hold(lock_path(target), target.name).__enter__()
        told: list[str] = []
        with pytest.raises(WriteRefused, match=r"toujours en cours après 0\.3 s d'attente"):
            hold(lock_path(target), target.name, wait=0.3, on_wait=told.append).__enter__()
        assert len(told) == 1 and f"processus {pid}" in told[0]  # told once, however long
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    with hold(lock_path(target), target.name):  # no wait: the system released it
        holder_seen = read_holder(lock_path(target))
        assert holder_seen is not None and holder_seen.pid == os.getpid()
    assert not lock_path(target).exists()


# --- 2. disk full -------------------------------------------------------------------------


@pytest.fixture
def synced_campaign(make_campaign: MakeCampaign) -> tuple[Config, bytes, bytes]:
    """A campaign synced once: (config, workbook bytes, backup bytes)."""
    config = make_campaign()
    sync(config, now=EARLIER)
    return (config, config.source.read_bytes(),
            excel.backup_path(config.source).read_bytes())


def assert_untouched(config: Config, workbook: bytes, backup: bytes | None) -> None:
    path = config.source
    assert path.read_bytes() == workbook
    saved = excel.backup_path(path)
    assert (saved.read_bytes() if saved.exists() else None) == backup
    expected = {"config.toml", path.name} | ({saved.name} if backup is not None else set())
    assert listing(path.parent) == expected  # no temp file, no lock left


def assert_refused(result: dict[str, Any], *words: str) -> None:
    assert result["code"] == 2 and not result["crash"], result
    assert result["err"].startswith("Erreur : ") and "Traceback" not in result["err"]
    for word in words:
        assert word in result["err"], (word, result["err"])


def test_file_size_limit_is_a_french_refusal(
    synced_campaign: tuple[Config, bytes, bytes]
) -> None:
    config, workbook, backup = synced_campaign

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(workbook) // 2, hard))

    result = cli_in_child("sync", "--config", str(config.path), before=small_disk)
    assert_refused(result, "reponses.xlsx", "espace insuffisant", "n'a pas été modifié",
                   "libérez de la place")
    assert_untouched(config, workbook, backup)


@pytest.mark.parametrize(("where", "code"), [("write", errno.ENOSPC), ("fsync", errno.EDQUOT),
                                             ("write", errno.EFBIG)])
def test_no_space_on_write_is_a_french_refusal(
    synced_campaign: tuple[Config, bytes, bytes], monkeypatch: pytest.MonkeyPatch,
    where: str, code: int
) -> None:
    config, workbook, backup = synced_campaign
    full = OSError(code, os.strerror(code))
    if where == "write":
        def half_then_full(path: Path, data: bytes) -> None:
            path.write_bytes(data[: len(data) // 2])
            raise full

        monkeypatch.setattr(xlsx_write, "_write_file", half_then_full)
    else:
        def fsync(fd: int) -> None:
            raise full

        monkeypatch.setattr(os, "fsync", fsync)
    assert_refused(cli("sync", "--config", str(config.path)), "reponses.xlsx",
                   "espace insuffisant", "n'a pas été modifié")
    assert_untouched(config, workbook, backup)


def test_backup_without_space_is_refused_and_keeps_the_old_backup(
    synced_campaign: tuple[Config, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, workbook, backup = synced_campaign
    real = xlsx_write._write_file

    def backup_fails(path: Path, data: bytes) -> None:
        if path.name.startswith(".reponses.sauvegarde.xlsx."):
            path.write_bytes(data[:100])
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(xlsx_write, "_write_file", backup_fails)
    assert_refused(cli("sync", "--config", str(config.path)), "Sauvegarde impossible",
                   "reponses.sauvegarde.xlsx", "espace insuffisant",
                   "reponses.xlsx n'a pas été modifié")
    assert_untouched(config, workbook, backup)


# --- 3. read-only -------------------------------------------------------------------------


@pytest.fixture
def own_folder(tmp_path: Path) -> Iterator[Path]:
    """A campaign folder « nobody » can reach when the tests run as root (CI)."""
    if os.geteuid() != 0:
        folder = tmp_path / "campagne"
        folder.mkdir()
        try:
            yield folder
        finally:
            for p in (folder, *folder.iterdir()):
                p.chmod(0o755 if p.is_dir() else 0o644)
        return
    shared = Path("/tmp")  # world-traversable, unlike pytest's 0700 folders or $TMPDIR
    base = Path(tempfile.mkdtemp(prefix="sheets-sync-faults-",
                                 dir=shared if shared.is_dir() else None))
    try:
        base.chmod(0o755)  # mkdtemp makes it 0700: nobody could not go through
        folder = base / "campagne"
        folder.mkdir()
        yield folder
    finally:
        shutil.rmtree(base)


def campaign_in(folder: Path) -> Config:
    (folder / "config.toml").write_text(default_config_text(), encoding="utf-8")
    config = load_config(folder / "config.toml")
    write_template(config.source, "tableau", config, answers=(COMPLETE_YES, COMPLETE_NO))
    return config


CODECS = ("ascii", "cp437", "cp1252", "idna", "latin-1", "utf-8", "utf-8-sig", "utf-16",
          "utf-16-le", "utf-16-be", "utf-32")


def preload(folder: Path) -> None:
    """Load, while still root, what the child would otherwise look up on disk as nobody.

    Python and the checkout may sit where nobody cannot read (root's home, 0700: pyenv, a
    clone in /root): a codec or module first needed after the drop fails to load, and that
    is the machine, not the workbook (it once read « reponses.xlsx est endommagé
    (LookupError) », then ModuleNotFoundError: colorsys, then PermissionError on
    sheets_sync/resources/relance.txt, read at each sync). Codecs are cached once looked up;
    the modules a sync imports on first use are loaded by a sync and a dry run, in this
    process, on a copy of the campaign.
    """
    for codec in CODECS:
        "".encode(codec)
    with tempfile.TemporaryDirectory() as copy:
        shutil.copytree(folder, Path(copy) / folder.name)
        config = Path(copy) / folder.name / "config.toml"
        for args in (("--dry-run",), ()):
            result = cli("sync", "--config", str(config), *args)
            assert result["code"] == 0 and not result["crash"], result


def as_owner(folder: Path) -> Callable[[], None]:
    """Make `folder` nobody's when root, and return what a child runs to become nobody."""
    if os.geteuid() != 0:
        return lambda: None
    preload(folder)
    shipped = {p.name: p.read_text("utf-8") for p in texts.RESOURCES.glob("*.txt")}
    for p in (folder, *folder.iterdir()):
        os.chown(p, NOBODY, NOBODY)

    def drop() -> None:
        # the reminder texts are read at each sync, from the checkout nobody may not read
        setattr(texts, "resource_text", shipped.__getitem__)  # noqa: B010 - the child only
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        assert os.geteuid() == NOBODY

    return drop


def test_read_only_workbook_is_refused(own_folder: Path) -> None:
    config = campaign_in(own_folder)
    become = as_owner(own_folder)
    config.source.chmod(0o444)  # the folder stays writable: os.replace would succeed
    workbook = config.source.read_bytes()
    result = cli_in_child("sync", "--config", str(config.path), before=become)
    assert_refused(result, "reponses.xlsx est en lecture seule", "Retirez la lecture seule",
                   "Rien n'a été écrit")
    assert_untouched(config, workbook, None)
    # the dry run says the same as a warning, and writes nothing either
    dry = cli_in_child("sync", "--config", str(config.path), "--dry-run", before=become)
    assert dry["code"] == 0 and "Traceback" not in dry["err"]
    assert "Attention : reponses.xlsx est en lecture seule" in dry["err"]
    assert "serait refusée" in dry["err"]
    assert_untouched(config, workbook, None)


def test_read_only_folder_is_refused(own_folder: Path) -> None:
    config = campaign_in(own_folder)
    become = as_owner(own_folder)
    workbook = config.source.read_bytes()
    own_folder.chmod(0o555)
    result = cli_in_child("sync", "--config", str(config.path), before=become)
    assert_refused(result, "reponses.xlsx", "permission refusée", str(own_folder),
                   "vérifiez que vous pouvez écrire dans ce dossier")

    def write_without_lock() -> str:  # the writer alone says it too (no temp file possible)
        become()
        try:
            excel.write_tabs(config.source, [TAB], expected_fingerprint=None)
        except WriteRefused as exc:
            return str(exc)
        return "écrit"

    message = finish(*fork(write_without_lock))
    assert message.startswith("Écriture impossible de reponses.xlsx")
    assert "permission refusée" in message and "n'a pas été modifié" in message
    own_folder.chmod(0o755)
    assert_untouched(config, workbook, None)


# --- 4. open in Excel (~$name) ------------------------------------------------------------


@pytest.mark.parametrize("owner", ["~$reponses.xlsx", ".~lock.reponses.xlsx#"])
def test_open_workbook_is_refused_and_the_dry_run_warns(make_campaign: MakeCampaign,
                                                        owner: str) -> None:
    config = make_campaign()
    workbook = config.source.read_bytes()
    (config.source.parent / owner).write_bytes(b"Alice")
    app = "Excel" if owner.startswith("~$") else "LibreOffice"
    assert_refused(cli("sync", "--config", str(config.path)),
                   f"reponses.xlsx semble ouvert dans {app}", f"fichier {owner}", "fermez-le",
                   "supprimez-le", "Rien n'a été écrit")
    dry = cli("sync", "--config", str(config.path), "--dry-run")
    assert dry["code"] == 0
    assert f"Attention : reponses.xlsx semble ouvert dans {app}" in dry["err"]
    assert "Simulation" in dry["out"]
    (config.source.parent / owner).unlink()
    assert_untouched(config, workbook, None)


def test_open_dashboard_workbook_is_refused(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    text = config.path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    config.path.write_text(  # type: ignore[union-attr]
        text.replace("onglets_dans_la_source = true", "onglets_dans_la_source = false"),
        encoding="utf-8")
    folder = config.source.parent
    assert cli("sync", "--config", str(config.path))["code"] == 0
    dashboard = folder / "tableau-de-bord.xlsx"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "~$tableau-de-bord.xlsx").write_bytes(b"Alice")
    assert_refused(cli("sync", "--config", str(config.path)),
                   "tableau-de-bord.xlsx semble ouvert dans Excel")
    dry = cli("sync", "--config", str(config.path), "--dry-run")
    assert dry["code"] == 0 and "tableau-de-bord.xlsx semble ouvert" in dry["err"]
    (folder / "~$tableau-de-bord.xlsx").unlink()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert dashboard.name in before


# --- 5. two syncs at once -----------------------------------------------------------------


def hold_in_child(target: Path) -> tuple[int, int, int]:
    """A child holding the target's sync lock until told: (pid, result fd, release fd)."""
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()

    def holder() -> None:
        with hold(lock_path(target), target.name):
            os.write(ready_w, b"x")
            wait_for(go_r, "fin")

    pid, fd = fork(holder)
    wait_for(ready_r, "verrou pris")
    return pid, fd, go_w


def test_second_sync_is_refused_while_one_runs(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    workbook = config.source.read_bytes()
    pid, fd, go = hold_in_child(config.source)
    result = cli("sync", "--config", str(config.path))
    assert_refused(result, "reponses.xlsx : une autre synchronisation est en cours depuis le ",
                   f"(processus {pid} sur « ", "--attendre", "Rien n'a été écrit")
    assert config.source.read_bytes() == workbook
    os.write(go, b"x")
    finish(pid, fd)
    assert cli("sync", "--config", str(config.path))["code"] == 0  # once it has finished
    assert not lock_path(config.source).exists()


def journal_times(path: Path) -> list[str]:
    grid = next(g for g in excel.read_workbook(path).grids if g.sheet == "Journal")
    return [str(grid.value(r, 1)) for r in range(GeneratedTab.FIRST_DATA_ROW, len(grid.rows) + 1)
            if grid.value(r, 1)]


def test_waiting_sync_runs_after_the_first_and_never_interleaves(
    make_campaign: MakeCampaign,
) -> None:
    config = demo_campaign(make_campaign)
    path = config.source
    pristine = path.read_bytes()
    first_alone = synced(config, pristine, KILLED_AT)
    expected = synced(config, first_alone, FOLLOW)  # one after the other
    put(path, pristine, None)
    paused_r, paused_w = os.pipe()
    go_r, go_w = os.pipe()
    waiting_r, waiting_w = os.pipe()

    def first() -> None:  # reads the workbook, then pauses before building the tabs
        module: Any = sys.modules["sheets_sync.sync"]  # the package's « sync » is the function
        build = module.build_tabs

        def paused(*args: Any) -> Any:
            os.write(paused_w, b"x")
            wait_for(go_r, "reprise")
            return build(*args)

        module.build_tabs = paused  # in this child only
        sync(config, now=KILLED_AT)

    def tell(message: str) -> None:
        os.write(waiting_w, message.encode("utf-8"))

    def second() -> None:
        sync(config, now=FOLLOW, wait=HANG, on_wait=tell)

    one = fork(first)
    wait_for(paused_r, "lu, en pause")
    two = fork(second)
    told = wait_for(waiting_r, "en attente").decode("utf-8")
    assert told.startswith("reponses.xlsx : une autre synchronisation est en cours depuis")
    assert f"processus {one[0]}" in told
    assert path.read_bytes() == pristine  # nothing written while the first is paused
    os.write(go_w, b"x")
    finish(*one)
    finish(*two)
    assert path.read_bytes() == expected  # the second read what the first wrote
    assert excel.backup_path(path).read_bytes() == first_alone
    assert journal_times(path) == [f"{FOLLOW:%d/%m/%Y %H:%M:%S}", f"{KILLED_AT:%d/%m/%Y %H:%M:%S}"]
    assert listing(path.parent) == {"config.toml", path.name, excel.backup_path(path).name}


def test_attendre_waits_for_the_running_sync(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with hold(lock_path(config.source), config.source.name):
        waiting = subprocess.Popen(
            [sys.executable, "-m", "sheets_sync", "sync", "--config", str(config.path),
             "--attendre", str(HANG)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert waiting.stderr is not None
        told = waiting.stderr.readline().decode("utf-8")
        assert "une autre synchronisation est en cours" in told and "attente" in told
        assert f"processus {os.getpid()}" in told
        assert not excel.backup_path(config.source).exists()  # it has written nothing yet
    out, err = waiting.communicate(timeout=HANG)
    assert waiting.returncode == 0, err.decode("utf-8")
    assert "onglet « Synthèse » créé" in out.decode("utf-8")
    assert excel.backup_path(config.source).exists()


def test_google_source_is_locked_on_this_machine(make_campaign: MakeCampaign, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sheet_id = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    config = make_campaign().with_source(
        f"https://docs.google.com/spreadsheets/d/{sheet_id}/edit#gid=0")
    lock = cache_lock_path(sheet_id)
    assert lock == tmp_path / "cache" / "sheets-sync" / "verrous" / f"{sheet_id}.lock"
    lock.parent.mkdir(parents=True)
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()

    def holder() -> None:
        with hold(lock, sheet_id):
            os.write(ready_w, b"x")
            wait_for(go_r, "fin")

    pid, fd = fork(holder)
    wait_for(ready_r, "verrou pris")
    with pytest.raises(WriteRefused, match=f"Le classeur Google {sheet_id} : une autre "):
        sync(config)  # refused before any request: no network needed
    os.write(go_w, b"x")
    finish(pid, fd)


def test_unusable_cache_folder_means_no_lock(tmp_path: Path) -> None:
    (tmp_path / "fichier").write_text("pas un dossier")
    with hold_if_possible(tmp_path / "fichier" / "verrous" / "x.lock", "x") as held:
        assert held is None


def test_dry_run_takes_no_lock(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    pid, fd, go = hold_in_child(config.source)
    try:
        result = sync(config, dry_run=True)
        assert not result.written and result.warnings == []
    finally:
        os.write(go, b"x")
        finish(pid, fd)
