"""Benchmark of the year's plan on a fictional 650-school instance (run on demand).

    python bench/bench_planning.py [--schools 650] [--classes 3000] [--seed N] [--seconds S]

Builds a fictional roster (≈3,000 classes, 1 to 2 ambassadors each, ambassadors sponsoring 1
to 3 classes, ≈1,200 companies, « Disponibilités » written as people write them and read by
`parse_availability`), the 2026-2027 zone B calendar and three temps forts (lancement at
school, immersion at a company with at least one ambassador, restitution at school with all),
then prints placed / unplaced counts, unplaced reasons, the solver status, wall and CPU time
(target ≤ 30 s wall; the CPU time is the better measure on a loaded machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sheets_sync.schoolyear import (
    PairedClass,
    PlanAmbassador,
    PlanSettings,
    TempsFort,
    load_calendar,
    parse_availability,
    plan_year,
)

PHRASES = [
    "", "", "", "tous les jours", "mardi après-midi", "mercredis", "lundi et jeudi matin",
    "pas en juin", "le matin", "sauf le vendredi", "lundi, mardi (après-midi)",
    "du lundi au jeudi", "uniquement le mercredi matin", "disponible en semaine",
    "pas pendant les vacances", "Jeudi AM", "mardi PM", "1er trimestre", "pas avant novembre",
    "de janvier à mars", "jeudi", "vendredi matin", "les après-midi", "lun. et ven.",
    "toute l'année", "mardi et jeudi", "pas le lundi",
]

KINDS = (
    TempsFort("lancement", dt.date(2026, 9, 14), dt.date(2026, 10, 16)),
    TempsFort("immersion", dt.date(2026, 11, 2), dt.date(2027, 2, 19), place="entreprise",
              attendance="au-moins-un"),
    TempsFort("restitution", dt.date(2027, 3, 8), dt.date(2027, 6, 11)),
)


def instance(schools: int, classes: int, seed: int) -> tuple[list[PairedClass],
                                                               dict[str, PlanAmbassador]]:
    """Fictional paired classes and ambassadors (no real person)."""
    rng = random.Random(seed)
    n_amb = classes * 3 // 2 // 2 + 1  # 1.5 seats per class, ≈2 classes per ambassador
    companies = [f"Entreprise {i:04d}" for i in range(classes * 2 // 5)]
    ambassadors = {}
    for i in range(n_amb):
        text = rng.choice(PHRASES)
        ambassadors[f"A{i:05d}"] = PlanAmbassador(
            f"A{i:05d}", rng.choice(companies), parse_availability(text).availability)
    ids = list(ambassadors)
    paired = []
    for c in range(classes):
        school = f"Collège {c * schools // classes:03d}"
        k = 1 if rng.random() < 0.5 else 2
        paired.append(PairedClass(f"C{c:05d}", school, tuple(rng.sample(ids, k))))
    return paired, ambassadors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=650)
    parser.add_argument("--classes", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=8.0,
                        help="CP-SAT deterministic time budget (0: greedy plan only)")
    args = parser.parse_args()
    classes, ambassadors = instance(args.schools, args.classes, args.seed)
    calendar = load_calendar("2026-2027")
    started, cpu = time.perf_counter(), time.process_time()
    plan = plan_year(classes, KINDS, calendar, ambassadors,
                     settings=PlanSettings(visits_per_week=2, solver_seconds=args.seconds))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    wanted = len(classes) * len(KINDS)
    print(f"{len(classes)} classes × {len(KINDS)} temps forts = {wanted} événements à placer, "
          f"{len(ambassadors)} ambassadeurs")
    print(f"placés : {len(plan.events)}   non placés : {len(plan.unplaced)}   "
          f"solveur : {plan.solver_status}   temps : {wall:.1f} s (CPU {cpu:.1f} s)")
    school_week = Counter((e.school, e.start.day.isocalendar()[:2]) for e in plan.events)
    amb_week = Counter((a, e.start.day.isocalendar()[:2]) for e in plan.events
                       for a in e.attendees)
    bunched = sum(n - 1 for n in school_week.values()) + sum(n - 1 for n in amb_week.values())
    print(f"regroupements (événements en trop la même semaine, par collège et par "
          f"ambassadeur) : {bunched}")
    for reason, n in Counter(u.reason for u in plan.unplaced).most_common(5):
        print(f"  {n:5d} × {reason}")


if __name__ == "__main__":
    main()
