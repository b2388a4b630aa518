"""Checking 7,000 answers costs less than reading the workbook that holds them.

Run on demand:  python bench/bench_check.py [--schools 7000] [--repeat 5]

Builds a « tableau » workbook of N fictional answers (a mix of complete, « Non », messy and
incomplete ones, with duplicates and a reference list), then times, each as the median of
several runs: reading the workbook alone (the I/O floor), and the pure stages after it
(find the table, check, identify against the reference list, de-duplicate, place in
sessions). Prints both times and their ratio (target: check / read < 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sheets_sync.backends.excel import read_workbook
from sheets_sync.config import load_config
from sheets_sync.form.check import check_answers
from sheets_sync.form.consolidate import consolidate
from sheets_sync.form.identity import Establishment
from sheets_sync.form.read import extract
from sheets_sync.form.sessions import EMPTY_STATE
from sheets_sync.starter.campaign import default_config_text, write_template
from sheets_sync.starter.fictional import demo_answers


def answers(n: int, seed: int = 7) -> tuple[list[dict[str, object]], list[Establishment]]:
    """N answers derived from the demo's twelve, renamed; a tenth are duplicates."""
    rng = random.Random(seed)
    base = demo_answers()
    out, reference = [], []
    for i in range(n):
        answer = dict(base[i % len(base)])
        number = i if rng.random() > 0.1 else max(0, i - 1)  # ~10% answer twice
        answer["etablissement"] = f"Collège Numéro {number} de la Cité"
        out.append(answer)
        if number == i:
            reference.append(Establishment(f"Collège Numéro {i} de la Cité"))
    return out, reference


def median_time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=7000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "config.toml").write_text(default_config_text(), encoding="utf-8")
        config = load_config(folder / "config.toml")
        rows, reference = answers(args.schools)
        write_template(config.source, "tableau", config, answers=rows)
        book = read_workbook(config.source)
        today = dt.date(2021, 8, 1)

        def check() -> None:
            found = extract(book.grids, config.tabs.answers, (config.tabs.roster,))
            schools = check_answers(found.answers, config.limits)
            consolidate(schools, reference, EMPTY_STATE, config.sessions, today)

        read_s = median_time(lambda: read_workbook(config.source), args.repeat)
        check_s = median_time(check, args.repeat)
    print(f"answers: {args.schools}, reference schools: {len(reference)}, runs: {args.repeat}")
    print(f"read workbook (I/O floor): {read_s:8.3f} s")
    print(f"check + identify + sessions: {check_s:8.3f} s")
    print(f"ratio check / read: {check_s / read_s:.2f} (target < 1)")


if __name__ == "__main__":
    main()
