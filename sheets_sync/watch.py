"""`sheets-sync watch`: sync again whenever the source changed, every N minutes.

    round ──► fingerprint ──► changed since the last sync? ──► sync ──► fingerprint again
                                  │ no                                  (the sync's own write
                                  └──► « rien n'a changé »               is not a change)

Excel: a file's (mtime, size) decides whether it is hashed again; its sha256 decides whether it
changed, so a file saved unchanged does not cause a sync. Watched: the source (workbook or
every fiche of the folder), the coordinator workbook, the roster and reference files, the
config. Google: the revision of a spreadsheet needs the Drive scope, which the service account
does not have, so a Google campaign is synced every round.

A sync that cannot run (workbook open in Excel, source changed while reading…) is reported
and tried again next round; the loop never ends on it. The clock, the sleep and the number of
rounds are injected for tests.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .backends import excel
from .config import Config
from .errors import SheetsSyncError


@dataclass
class Fingerprints:
    """sha256 per watched file, recomputed only when its (mtime, size) moved."""

    seen: dict[Path, tuple[int, int, str]] = field(default_factory=dict)

    def of(self, paths: list[Path]) -> tuple[tuple[str, str], ...]:
        out = []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                out.append((str(path), "absent"))
                continue
            known = self.seen.get(path)
            if known is None or known[:2] != (stat.st_mtime_ns, stat.st_size):
                known = (stat.st_mtime_ns, stat.st_size, excel.file_fingerprint(path))
                self.seen[path] = known
            out.append((str(path), known[2]))
        return tuple(out)


def watched_files(config: Config) -> list[Path] | None:
    """The files whose change calls for a sync; None for a Google campaign (sync each round)."""
    if config.google is not None:
        return None
    if config.source.is_dir():
        paths = excel.workbook_files(config.source, {config.dashboard_path().name})
    else:
        paths = [config.source]
    extra = [
        config.coordination if isinstance(config.coordination, Path) else None,
        config.roster_file,
        config.establishments_file,
        config.path,
    ]
    return [*paths, *(p for p in extra if p is not None)]


@dataclass(frozen=True)
class Round:
    """One round of the watch: when, and what happened (a French line)."""

    number: int
    at: dt.datetime
    synced: bool
    line: str


def watch(
    config: Config,
    every: float,
    run: Callable[[dt.datetime], str],
    *,
    clock: Callable[[], dt.datetime] | None = None,
    sleep: Callable[[float], None] | None = None,
    rounds: int | None = None,
) -> Iterator[Round]:
    """Yield a Round every `every` seconds: `run(now)` (a sync, returning its final line)
    when the watched files changed since the last sync, else « rien n'a changé »."""
    clock = clock or dt.datetime.now
    sleep = sleep or time.sleep
    prints = Fingerprints()
    last: tuple[tuple[str, str], ...] | None = None
    number = 0
    while rounds is None or number < rounds:
        if number:
            sleep(every)
        number += 1
        now = clock()
        try:
            paths = watched_files(config)
            current = prints.of(paths) if paths is not None else None
            if current is not None and current == last:
                yield Round(
                    number, now, False, "Rien n'a changé depuis la dernière synchronisation."
                )
                continue
            line = run(now)
            last = prints.of(paths) if paths is not None else None
            yield Round(number, now, True, line)
        except SheetsSyncError as exc:
            last = None  # try again next round
            yield Round(number, now, False, f"Erreur : {exc} (nouvel essai au prochain tour)")
