"""Every figure of the toolkit in one table: Excel sync, Google sync, matching.

Run on demand (several minutes at full size):

    python bench/figures.py                 # 15, 650 and 7,000 schools
    python bench/figures.py --quick         # 15 and 650 only, one run each

Rows:
- Excel sync at 15 / 650 / 7,000 schools: median time of a first sync and of a re-sync, the
  I/O floor (reading the workbook + writing the same generated cells with xlsxwriter), their
  ratio (target ≤ 2×), peak Python memory (bench_sync).
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


def google_figures(schools: int) -> dict[str, object]:
    """Requests and bytes of a first and a second real sync against the emulator."""
    with tempfile.TemporaryDirectory() as tmp, SheetsEmulator() as emu:
        config = load_config(bench_sync.campaign(Path(tmp), schools))
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
    scales = (15, 650) if args.quick else (15, 650, 7000)
    repeat = 1 if args.quick else args.repeat

    print("Synchronisation Excel (médianes de", repeat, "passages entrelacés)")
    print(f"{'établissements':>15} | {'classes':>7} | {'1re synchro':>11} | {'re-synchro':>10} | "
          f"{'plancher E/S':>12} | {'ratio':>5} | {'ratio re':>8} | {'mémoire':>8}")
    for n in scales:
        f = bench_sync.measure(n, repeat)
        print(f"{n:>15} | {f['classes']:>7.0f} | {f['sync']:>9.2f} s | {f['resync']:>8.2f} s | "
              f"{f['floor']:>10.2f} s | {f['ratio']:>5.2f} | {f['resync_ratio']:>8.2f} | "
              f"{f['peak']:>4.0f} Mio")
    print("  cible : ratio ≤ 2 (plancher = lire le classeur + écrire les mêmes cellules)")

    print("\nSynchronisation Google (client gspread réel, émulateur de l'API Sheets v4)")
    print(f"{'établissements':>15} | {'requêtes 1re':>12} | {'dont écritures':>14} | "
          f"{'envoyé 1re':>10} | {'requêtes 2e':>11} | {'envoyé 2e':>10}")
    for n in (15, 650):
        g = google_figures(n)
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
