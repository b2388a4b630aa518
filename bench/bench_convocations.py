"""Benchmark of the calendars and convocation drafts on the fictional 650-school instance.

    python bench/bench_convocations.py [--schools 650] [--classes 3000] [--seed N] [--runs 3]

Plans the year greedily (bench_planning.instance, no solver: the plan's time is measured
there), then times, median of `--runs`: the .ics bytes of every calendar
(backends/ics.calendar_texts), writing them, building the convocations and writing the .eml
drafts — a first export into an empty folder, then a second one over it (SEQUENCE read back
from every previous .ics).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_planning import KINDS, instance

from sheets_sync.backends.ics import calendar_texts, write_ics
from sheets_sync.outreach.convocations import (
    Contact,
    Contacts,
    build_convocations,
    write_convocations,
)
from sheets_sync.schoolyear import PlanSettings, load_calendar, plan_year
from sheets_sync.schoolyear.exports import Names, calendar_files

NOW = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)
T = TypeVar("T")


def timed(step: Callable[..., T], *args: object, **kwargs: object) -> tuple[float, T]:
    started = time.perf_counter()
    result = step(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=650)
    parser.add_argument("--classes", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    classes, ambassadors = instance(args.schools, args.classes, args.seed)
    plan = plan_year(classes, KINDS, load_calendar("2026-2027"), ambassadors,
                     settings=PlanSettings(solver_seconds=0))
    people = sorted(ambassadors)
    names = Names(public={a: f"Métier {i % 40} (Secteur {i % 9})" for i, a in enumerate(people)},
                  own={a: f"Prénom{i} NOM{i}" for i, a in enumerate(people)})
    contacts = Contacts(
        {a: Contact(f"ambassadeur{i}@example.org", f"Prénom{i} NOM{i}")
         for i, a in enumerate(people)},
        {c.school: Contact(f"ce.{i:07d}x@ac-lille.example.fr", "Alice MARTIN, principale")
         for i, c in enumerate(classes)})
    files = calendar_files(plan, classes, names)
    print(f"{len(plan.events)} événements, {len(files)} calendriers")
    steps: dict[str, list[float]] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for export in ("1re", "2e"):
                took, texts = timed(calendar_texts, folder, files, NOW)
                took_write, _ = timed(write_ics, folder, texts)
                took_build, drafts = timed(
                    build_convocations, plan, classes, names, contacts, files, texts,
                    year="2026-2027", campaign="Classes Proch'Orientation")
                took_eml, _ = timed(write_convocations, folder / "convocations", drafts)
                for name, value in ((".ics (octets)", took), (".ics (écriture)", took_write),
                                    ("convocations (texte)", took_build),
                                    ("convocations (.eml)", took_eml)):
                    steps.setdefault(f"{export} export, {name}", []).append(value)
    print(f"{len(drafts)} convocations ; médianes sur {args.runs} passages :")
    for name, values in steps.items():
        print(f"  {name:40s} {statistics.median(values):6.2f} s")


if __name__ == "__main__":
    main()
