"""A whole Excel sync at 15, 650 and 7,000 schools, against its I/O floor.

Run on demand:  python bench/bench_sync.py [--scales 15,650,7000] [--repeat 3]

For each scale: a « tableau » workbook of N fictional answers and N/2 ambassadors is built;
then, as medians of several interleaved runs, the whole sync (read, check, identify, match,
build every generated tab, graft them into the workbook, atomic replace), the same sync again
on the synced workbook (the usual case), and the I/O floor — reading the same workbook plus
writing the same generated cells with xlsxwriter alone. Prints them, the ratios (target ≤ 2×)
and the peak memory of the sync (tracemalloc, Python allocations).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sheets_sync import load_config, sync
from sheets_sync.backends.excel import read_workbook
from sheets_sync.backends.excel.render import render_package
from sheets_sync.dashboards.overview import build_tabs
from sheets_sync.outreach.texts import reminder_templates
from sheets_sync.starter.campaign import default_config_text, write_template
from sheets_sync.starter.fictional import demo_answers, demo_roster
from sheets_sync.sync import check_source

NOW = dt.datetime(2021, 8, 1, 9, 0)


def campaign(folder: Path, schools: int) -> Path:
    (folder / "config.toml").write_text(default_config_text(), encoding="utf-8")
    config = load_config(folder / "config.toml")
    base = demo_answers()
    answers = [{**base[i % len(base)], "etablissement": f"Collège Numéro {i} de la Cité"}
               for i in range(schools)]
    write_template(config.source, "tableau", config, answers=answers,
                   roster=demo_roster(size=max(10, schools // 2)))
    return folder / "config.toml"


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(schools: int, repeat: int) -> dict[str, float]:
    """Medians of the whole sync and of its I/O floor, and the sync's peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config_path = campaign(folder, schools)
        config = load_config(config_path)
        pristine = folder / "pristine.xlsx"
        shutil.copy(config.source, pristine)
        checked = check_source(config, today=NOW.date())
        tabs = build_tabs(config, checked.campaign, checked.sponsorship, NOW,
                          reminder_templates(config))
        out = folder / "floor.xlsx"

        def floor() -> None:
            read_workbook(pristine)
            out.write_bytes(render_package(tabs))

        def whole() -> None:
            shutil.copy(pristine, config.source)
            sync(config, now=NOW)

        def again() -> None:  # the usual case: the workbook already holds our tabs
            sync(config, now=NOW)

        # interleaved, so a noisy neighbour slows both sides alike
        runs = [(timed(floor), timed(whole), timed(again)) for _ in range(repeat)]
        floor_s, sync_s, resync_s = (statistics.median(r[i] for r in runs) for i in range(3))
        shutil.copy(pristine, config.source)
        tracemalloc.start()
        sync(config, now=NOW)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        cells = sum(len(r) for t in tabs for r in t.rows)
    return {"schools": schools, "classes": len(checked.sponsorship.classes), "cells": cells,
            "sync": sync_s, "resync": resync_s, "floor": floor_s, "ratio": sync_s / floor_s,
            "resync_ratio": resync_s / floor_s, "peak": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="15,650,7000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for schools in (int(s) for s in args.scales.split(",")):
        f = measure(schools, args.repeat)
        print(f"{schools:>6} schools | classes {f['classes']:>6.0f} | generated cells "
              f"{f['cells']:>7.0f} | sync {f['sync']:7.2f} s | I/O floor {f['floor']:6.2f} s | "
              f"ratio {f['ratio']:5.2f} (target ≤ 2) | re-sync {f['resync']:6.2f} s, ratio "
              f"{f['resync_ratio']:5.2f} | peak {f['peak']:6.0f} MiB")


if __name__ == "__main__":
    main()
