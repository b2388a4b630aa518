"""A whole `sheets-sync sync`, as a user runs it, against a floor of public libraries alone.

Run on demand:
    python bench/bench_sync.py [--scales roubaix,hdf,france] [--repeat 3] [--before DIR]

Each measured command is a fresh process, start-up included (issue #16):

    sync       sheets-sync sync --config …  on the pristine workbook (first sync)
    re-sync    the same on the workbook it wrote (the usual case: our tabs are there)
    floor      python-calamine reading the answers and roster tabs, then xlsxwriter
               (constant_memory) writing as many cells as the sync's generated tabs hold
               (counted in the synced workbook): no project code at all
    imports    a fresh process that only imports the public libraries a sync cannot do without
               (numpy and OR-Tools' min-cost flow for the matching, python-calamine, xlsxwriter):
               start-up no sync can go below; the report prints what it leaves of the ratio
               target for the work itself (at Roubaix scale, nothing: the imports alone take
               about 2× the floor)
    pandas     the script a coordinator would otherwise write: pandas.read_excel of the two
               tabs, four summary tabs appended with ExcelWriter(mode="a", engine="openpyxl",
               if_sheet_exists="replace") — no checks, no matching, a lossy rewrite

Instances (fictional, `starter.fictional`): Roubaix 15 schools / 60 ambassadors,
Hauts-de-France 650 / 5 000, France 7 000 / 20 000. France takes several minutes per
repetition (its pandas script alone ~20 s): `--scales` defaults to roubaix,hdf.

Byte-code: the project's modules are compiled once into a temporary PYTHONPYCACHEPREFIX (the
first sync of each checkout, run while preparing, warms it), as an installed package has its
.pyc files; with PYTHONDONTWRITEBYTECODE, each measured sync used to compile the whole package
again (~0.2 s a run), which the floor and pandas, importing only installed libraries, never pay.

Runs are interleaved (sync, re-sync, floor, pandas, then again), so a noisy neighbour slows
every side alike; medians are printed with the ratios and the issue's targets, and each
child's CPU time (user + system, from its rusage) beside its wall time: the steadier of the
two when other work shares the cores. Peak RSS is each child's own (os.wait4's rusage:
ru_maxrss, KiB on Linux). With `--before DIR` (a
checkout, e.g. `git worktree add /tmp/before HEAD`), that code's sync and re-sync are run
too, interleaved, for a before/after table; `--after DIR` measures another checkout as
« après » (e.g. the previous commit plus one change only).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALES = {"roubaix": (15, 60), "hdf": (650, 5_000), "france": (7_000, 20_000)}
TARGETS = {"ratio": 2.0, "france_rss_mb": 500, "roubaix_s": 0.8, "pandas_speedup": 2.0}

BUILD = """
import sys
from pathlib import Path
from sheets_sync import load_config
from sheets_sync.starter.campaign import default_config_text, write_template
from sheets_sync.starter.fictional import demo_answers, demo_roster
folder, schools, ambassadors = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
(folder / "config.toml").write_text(default_config_text(), encoding="utf-8")
config = load_config(folder / "config.toml")
base = demo_answers()
answers = [{**base[i % len(base)], "etablissement": f"Collège Numéro {i} de la Cité"}
           for i in range(schools)]
write_template(config.source, "tableau", config, answers=answers,
               roster=demo_roster(size=ambassadors))
print(config.source)
"""

TABS = """
import sys
from python_calamine import CalamineWorkbook
from sheets_sync.cells.grid import is_generated
book = CalamineWorkbook.from_path(sys.argv[1])
inputs, cells = [], 0
for name in book.sheet_names:
    rows = book.get_sheet_by_name(name).to_python()
    if rows and rows[0] and is_generated(rows[0][0]):
        cells += sum(1 for row in rows for v in row if v != "")
    elif rows:
        inputs.append(name)
print(cells)
print("\\t".join(inputs))
"""

FLOOR = """
import sys
from python_calamine import CalamineWorkbook
import xlsxwriter
source, out, cells = sys.argv[1], sys.argv[2], int(sys.argv[3])
book = CalamineWorkbook.from_path(source)
read = [book.get_sheet_by_name(t).to_python() for t in sys.argv[4:]]
w = xlsxwriter.Workbook(out, {"constant_memory": True})
sheet = w.add_worksheet("Généré")
width = 12
for n in range(cells):
    r, c = divmod(n, width)
    if c % 3:
        sheet.write_number(r, c, n)
    else:
        sheet.write_string(r, c, f"Collège Numéro {n} de la Cité")
w.close()
"""

IMPORTS = """
import numpy
import ortools.graph.python.min_cost_flow
import python_calamine
import xlsxwriter
"""

PANDAS = """
import sys
import pandas as pd
path, answers_tab, roster_tab = sys.argv[1:4]
answers = pd.read_excel(path, sheet_name=answers_tab)
roster = pd.read_excel(path, sheet_name=roster_tab)
first = answers.columns[0]
summary = pd.DataFrame({"établissements": [len(answers)], "ambassadeurs": [len(roster)]})
per_column = answers.notna().sum().rename("réponses remplies").to_frame()
by_sector = roster.groupby(roster.columns[5]).size().rename("ambassadeurs").to_frame()
schools = answers[[first] + list(answers.columns[3:6])]
with pd.ExcelWriter(path, mode="a", engine="openpyxl", if_sheet_exists="replace") as writer:
    summary.to_excel(writer, sheet_name="Synthèse pandas")
    per_column.to_excel(writer, sheet_name="Complétude pandas")
    by_sector.to_excel(writer, sheet_name="Secteurs pandas")
    schools.to_excel(writer, sheet_name="Classes pandas", index=False)
"""


@dataclass
class Run:
    seconds: float
    rss_mb: float
    cpu: float = 0.0  # user + system seconds of the child (steadier than wall on a busy machine)


def child(args: list[str], cwd: Path, pythonpath: Path, pycache: Path | None = None) -> Run:
    """Run one fresh process; its wall time and its own peak RSS.

    `pycache`: where the byte-code is kept between runs (else none is written)."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "PYTHONDONTWRITEBYTECODE": "1"}
    if pycache is not None:
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
        del env["PYTHONDONTWRITEBYTECODE"]
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    error = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args[:4])} … failed ({proc.returncode}):\n{error[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def python(code: str, *args: object) -> list[str]:
    return [sys.executable, "-c", code, *map(str, args)]


def sync_command() -> list[str]:
    return [sys.executable, "-m", "sheets_sync", "sync", "--config", "config.toml", "-q"]


@dataclass
class Instance:
    folder: Path
    workbook: Path  # the pristine workbook
    synced: Path  # the same after one sync
    cells: int  # generated cells in the synced workbook
    inputs: list[str]  # the answers and roster tabs


def build(folder: Path, schools: int, ambassadors: int, code: Path = ROOT) -> Path:
    """A fictional campaign in `folder` (config.toml and its workbook); the workbook's path."""
    # cwd: `python -c` puts the current folder before PYTHONPATH (the repository's code)
    out = subprocess.run(python(BUILD, folder, schools, ambassadors), check=True, text=True,
                         capture_output=True, env={**os.environ, "PYTHONPATH": str(code)},
                         cwd=folder)
    return Path(out.stdout.strip().splitlines()[-1])


def prepare(base: Path, label: str, code: Path, schools: int, ambassadors: int) -> Instance:
    """Build the instance with `code`, and sync it once (which also compiles `code`)."""
    folder = base / label
    folder.mkdir()
    workbook = build(folder, schools, ambassadors, code)
    pristine = folder / "pristine.xlsx"
    shutil.copy(workbook, pristine)
    child(sync_command(), folder, code, base / "pycache")
    synced = folder / "synced.xlsx"
    shutil.copy(workbook, synced)
    tabs = subprocess.run(python(TABS, synced), check=True, text=True, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.splitlines()
    inputs = [t for t in tabs[1].split("\t") if t][:2]
    return Instance(folder, workbook, synced, int(tabs[0]), inputs)


def measure(scale: str, repeat: int, before: Path | None,
            after: Path = ROOT) -> dict[str, object]:
    schools, ambassadors = SCALES[scale]
    codes = {"après": after} | ({"avant": before} if before else {})
    runs: dict[str, list[Run]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        base = Path(tmp)
        made = {label: prepare(base, label, code, schools, ambassadors)
                for label, code in codes.items()}
        main = made["après"]
        for _ in range(repeat):
            for label, code in codes.items():
                inst = made[label]
                shutil.copy(inst.folder / "pristine.xlsx", inst.workbook)
                runs.setdefault(f"sync {label}", []).append(
                    child(sync_command(), inst.folder, code, base / "pycache"))
                shutil.copy(inst.synced, inst.workbook)
                runs.setdefault(f"re-sync {label}", []).append(
                    child(sync_command(), inst.folder, code, base / "pycache"))
            runs.setdefault("plancher", []).append(child(
                python(FLOOR, main.folder / "pristine.xlsx", base / "floor.xlsx", main.cells,
                       *main.inputs), base, ROOT))
            runs.setdefault("imports", []).append(child(python(IMPORTS), base, ROOT))
            shutil.copy(main.folder / "pristine.xlsx", base / "pandas.xlsx")
            runs.setdefault("pandas", []).append(child(
                python(PANDAS, base / "pandas.xlsx", *main.inputs), base, ROOT))
    med = {k: statistics.median(r.seconds for r in v) for k, v in runs.items()}
    rss = {k: max(r.rss_mb for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r.cpu for r in v) for k, v in runs.items()}
    return {"scale": scale, "schools": schools, "ambassadors": ambassadors,
            "cells": main.cells, "median": med, "rss": rss, "cpu": cpu, "runs": runs}


def report(result: dict[str, object]) -> None:
    med: dict[str, float] = result["median"]  # type: ignore[assignment]
    rss: dict[str, float] = result["rss"]  # type: ignore[assignment]
    cpu: dict[str, float] = result["cpu"]  # type: ignore[assignment]
    floor = med["plancher"]
    print(f"\n{result['scale']}: {result['schools']} établissements, {result['ambassadors']} "
          f"ambassadeurs, {result['cells']} cellules générées")
    for key in sorted(med, key=lambda k: (k.split()[0], k)):
        print(f"  {key:<16} {med[key]:7.2f} s  ×{med[key] / floor:5.2f} plancher  "
              f"RSS {rss[key]:6.0f} Mo  CPU {cpu[key]:6.2f} s  "
              f"×{cpu[key] / cpu['plancher']:5.2f}")
    s, r, p = med["sync après"], med["re-sync après"], med["pandas"]
    checks = [
        (f"sync ≤ {TARGETS['ratio']}× plancher", s / floor <= TARGETS["ratio"], s / floor),
        (f"re-sync ≤ {TARGETS['ratio']}× plancher", r / floor <= TARGETS["ratio"], r / floor),
        ("pandas / sync ≥ 2", p / s >= TARGETS["pandas_speedup"], p / s),
    ]
    if result["scale"] == "roubaix":
        checks.append(("sync ≤ 0,8 s", s <= TARGETS["roubaix_s"], s))
    if result["scale"] == "france":
        peak = max(rss["sync après"], rss["re-sync après"])
        checks.append(("RSS ≤ 500 Mo", peak <= TARGETS["france_rss_mb"], peak))
    for label, ok, value in checks:
        print(f"  cible {label:<26} {'oui' if ok else 'NON'}  ({value:.2f})")
    room = TARGETS["ratio"] * floor - med["imports"]
    print(f"  imports seuls ×{med['imports'] / floor:.2f} plancher : {max(room, 0.0):.2f} s "
          f"restent sous la cible ×{TARGETS['ratio']} pour lire, vérifier, apparier et écrire"
          + (" (hors de portée avec ces bibliothèques)" if room <= 0.05 * floor else ""))
    if "sync avant" in med:
        print(f"  avant → après : sync ×{med['sync avant'] / s:.2f} plus rapide, re-sync "
              f"×{med['re-sync avant'] / r:.2f} (CPU : ×{cpu['sync avant'] / cpu['sync après']:.2f}"
              f", ×{cpu['re-sync avant'] / cpu['re-sync après']:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="roubaix,hdf")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--after", type=Path, default=ROOT,
                        help="the code measured as « après » (default: this checkout)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPU, load {os.getloadavg()[0]:.1f} (machine partagée : ratios "
          "d'exécutions entrelacées)")
    for scale in args.scales.split(","):
        started = time.perf_counter()
        report(measure(scale.strip(), args.repeat, args.before, args.after))
        print(f"  (mesure en {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
