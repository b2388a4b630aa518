"""Every figure of the toolkit in one table: Excel sync, Google sync, matching.

Run on demand (several minutes at full size):

    python bench/figures.py                 # 15, 650 and 7,000 schools
    python bench/figures.py --quick         # 15 and 650 only, one run each

Rows:
- Excel sync at 15 / 650 / 7,000 schools (bench_sync's instances): median time of a first
  sync and of a re-sync as whole processes, the floor of public libraries (python-calamine
  reading the input tabs + xlsxwriter writing as many cells), their ratio (target ≤ 2×),
  peak RSS.
- Google sync at 15 / 650 schools, through the real gspread client and our Sheets API
  emulator loaded with the same workbook: requests of a first and a second sync, megabytes
  sent, whether the write had to be staged (requests above 2 MB).
- Matching at the three scales of bench_matching: time, peak memory, gap to the exact
  optimum (integer program / LP bound where it can be computed) and to a greedy baseline.

The robustness figures (malformed inputs, injection payloads, kill -9 points survived) are
printed by the test run itself, in the « robustesse » section of pytest's summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_matching
import bench_sync

from sheets_sync import load_config, sync
from sheets_sync.emulator import SheetsEmulator
from sheets_sync.emulator.load_xlsx import read_xlsx_tabs

MB = 1e6


def google_figures(schools: int, ambassadors: int) -> dict[str, object]:
    """Requests and bytes of a first and a second real sync against the emulator."""
    with tempfile.TemporaryDirectory() as tmp, SheetsEmulator() as emu:
        bench_sync.build(Path(tmp), schools, ambassadors)
        config = load_config(Path(tmp) / "config.toml")
        key = emu.create_spreadsheet("Campagne fictive", read_xlsx_tabs(config.source))
        google = config.with_source(key)
        os.environ["SHEETS_EMULATOR_HOST"] = emu.host
        out: dict[str, object] = {"schools": schools}
        try:
            for n, day in enumerate((1, 2), start=1):
                emu.clear_log()
                sync(google, now=dt.datetime(2021, 8, day, 9))
                log = emu.requests
                sent = sum(len(json.dumps(r.body).encode()) for r in log if r.body)
                out[f"requests{n}"] = len(log)
                out[f"writes{n}"] = sum(r.method == "POST" for r in log)
                out[f"sent{n}"] = sent / MB
        finally:
            del os.environ["SHEETS_EMULATOR_HOST"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="15 and 650 schools, one run")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scales = ["roubaix", "hdf"] if args.quick else list(bench_sync.SCALES)
    repeat = 1 if args.quick else args.repeat

    print("Synchronisation Excel, processus entiers (médianes de", repeat,
          "passages entrelacés ; bench_sync.py)")
    print(f"{'établissements':>15} | {'ambass.':>7} | {'1re synchro':>11} | {'re-synchro':>10} | "
          f"{'plancher E/S':>12} | {'ratio':>5} | {'ratio re':>8} | {'RSS':>8}")
    for scale in scales:
        f = bench_sync.measure(scale, repeat, None)
        med: dict[str, float] = f["median"]  # type: ignore[assignment]
        rss: dict[str, float] = f["rss"]  # type: ignore[assignment]
        sync_s, resync_s, floor = med["sync après"], med["re-sync après"], med["plancher"]
        peak = max(rss["sync après"], rss["re-sync après"])
        print(f"{f['schools']:>15} | {f['ambassadors']:>7} | {sync_s:>9.2f} s | "
              f"{resync_s:>8.2f} s | {floor:>10.2f} s | {sync_s / floor:>5.2f} | "
              f"{resync_s / floor:>8.2f} | {peak:>5.0f} Mo")
    print("  cible : ratio ≤ 2 (plancher = python-calamine lit les onglets d'entrée + xlsxwriter "
          "écrit autant de cellules)")

    print("\nSynchronisation Google (client gspread réel, émulateur de l'API Sheets v4)")
    print(f"{'établissements':>15} | {'requêtes 1re':>12} | {'dont écritures':>14} | "
          f"{'envoyé 1re':>10} | {'requêtes 2e':>11} | {'envoyé 2e':>10}")
    for n, ambassadors in (bench_sync.SCALES["roubaix"], bench_sync.SCALES["hdf"]):
        g = google_figures(n, ambassadors)
        print(f"{n:>15} | {g['requests1']:>12} | {g['writes1']:>14} | {g['sent1']:>7.2f} Mo | "
              f"{g['requests2']:>11} | {g['sent2']:>7.2f} Mo")

    print("\nAppariement (flot de coût minimal)")
    print(f"{'échelle':>15} | {'classes':>7} | {'ambass.':>7} | {'temps':>7} | {'mémoire':>8} | "
          f"{'écart à l’optimum exact':>24} | {'gain sur glouton (points)':>25}")
    for scale in bench_matching.SCALES:
        lp = scale == "roubaix" or not args.quick
        m = bench_matching.measure(scale, 2021, lp)
        _, classes, ambassadors = bench_matching.SCALES[scale]
        found = m["lp"]
        exact = (f"{found['gap']} ({'PLNE' if 'integer' in found['kind'] else 'borne LP'})"
                 if isinstance(found, dict) else "non calculé (taille)")
        print(f"{scale:>15} | {classes:>7} | {ambassadors:>7} | {m['wall']:>5.2f} s | "
              f"{m['peak']:>4.0f} Mio | {exact:>24} | {m['greedy_points_gap']:>25}")


if __name__ == "__main__":
    main()
