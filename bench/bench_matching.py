"""Benchmark of the matching solver on synthetic, fictional instances (run on demand).

    python bench/bench_matching.py [--scale roubaix|hdf|france|all] [--no-lp] [--seed N]

Prints, per scale: wall and CPU time of `match` (candidates included); a digest of the result
(pairings, reasons, unserved classes, objective, stats but timings: the same digest before and
after a change meant only to be faster, as tests/ambassadors/matching/test_speed_identity.py
pins on smaller instances); whether the
lexicographic optimum is proven and how (lexicographic.py: stages, exact flows, tiers checked
by potentials); memory (the process's peak RSS, which
includes OR-Tools' C++ memory, and tracemalloc's peak of Python allocations in a second run);
the objective's tiers against the independent lexicographic program of
tests/ambassadors/matching/test_matching_lp.py on the same candidate arcs (integer program on
small instances,
its LP relaxation, an upper bound, on larger ones, skipped where it does not fit) and against
a greedy class-by-class baseline.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sheets_sync.ambassadors.matching import (
    Ambassador,
    ClassUnit,
    MatchSettings,
    Objective,
    Tiers,
    candidate_pairs,
    evaluate,
    match,
)
from sheets_sync.form.model import CONTENTS, DISCIPLINES, ORIENTATIONS

SCALES = {  # schools, classes, ambassadors
    "roubaix": (15, 40, 60),
    "hdf": (650, 3_000, 5_000),
    "france": (7_000, 30_000, 20_000),
}
LP_LIMIT = 200_000  # candidate arcs above which the LP check is skipped
INTEGRAL_LIMIT = 20_000  # above this, the LP relaxation gives an upper bound instead
FORCE_INTEGRAL = False

THEMES = [
    "numérique",
    "santé",
    "environnement",
    "robotique",
    "cuisine",
    "sport",
    "cinéma",
    "industrie",
    "énergie",
    "transport",
    "commerce",
    "architecture",
    "journalisme",
    "musique",
    "agriculture",
    "aéronautique",
    "mode",
    "jeux vidéo",
    "droit",
    "finance",
    "logistique",
    "biologie",
    "chimie",
    "bâtiment",
    "tourisme",
    "artisanat",
    "sécurité",
    "social",
    "théâtre",
    "photographie",
]
JOBS = [  # job, sector, ROME code
    ("Développeur informatique", "Numérique", "M1805"),
    ("Infirmier", "Santé", "J1506"),
    ("Aide-soignant", "Santé", "J1501"),
    ("Maçon", "Bâtiment", "F1703"),
    ("Électricien", "Bâtiment", "F1602"),
    ("Technicien de maintenance", "Industrie", "I1304"),
    ("Cuisinier", "Hôtellerie restauration", "G1602"),
    ("Comptable", "Finance", "M1203"),
    ("Conducteur de poids lourd", "Logistique", "N4101"),
    ("Journaliste", "Médias", "E1106"),
    ("Ingénieur énergie", "Énergie", "H1206"),
    ("Éducateur spécialisé", "Social", "K1207"),
    ("Agricultrice", "Agriculture", "A1416"),
    ("Architecte", "Architecture", "F1101"),
    ("Vendeur", "Commerce", "D1214"),
    ("Chargé de communication", "Communication", "E1103"),
    ("Pilote de ligne", "Transport", "N2102"),
    ("Data scientist", "Numérique", "M1805"),
    ("Auxiliaire de vie", "Services à la personne", "K1302"),
    ("Régisseur", "Spectacle", "L1508"),
]


def synthetic(scale: str, seed: int) -> tuple[list[ClassUnit], list[Ambassador]]:
    """Fictional schools, classes and ambassadors (identifiers only, no names)."""
    n_schools, n_classes, n_amb = SCALES[scale]
    rnd = random.Random(seed)
    answers = []
    for _ in range(n_schools):
        words = {rnd.choice(ORIENTATIONS), rnd.choice(DISCIPLINES), rnd.choice(THEMES)}
        words.update(rnd.sample(CONTENTS, 2))
        answers.append(frozenset(words))
    classes = []
    for i in range(n_classes):
        h = i % n_schools if i < n_schools else rnd.randrange(n_schools)
        classes.append(ClassUnit(f"C{i:06d}", f"E{h:05d}", rnd.choice(["4e", "3e"]), answers[h]))
    ambassadors = []
    for i in range(n_amb):
        job, sector, rome = rnd.choice(JOBS)
        gender = rnd.choices(["F", "H", None], weights=[45, 45, 10])[0]
        interests = frozenset(rnd.sample(THEMES, rnd.randint(1, 3)))
        ambassadors.append(
            Ambassador(
                f"A{i:06d}",
                gender,
                job,
                sector,
                rome if rnd.random() < 0.8 else None,
                interests,
                capacity=rnd.choices([1, 2, 3], weights=[50, 35, 15])[0],
                available=rnd.random() < 0.9,
                local=rnd.random() < 0.25,
            )
        )
    return classes, ambassadors


def greedy(
    classes: list[ClassUnit],
    ambassadors: list[Ambassador],
    settings: MatchSettings,
    cands: dict[str, tuple[tuple[str, int], ...]],
    tiers: Tiers,
) -> Objective:
    """Class by class (id order): each slot takes the candidate of best marginal value."""
    room = {a.id: a.capacity if a.available else 0 for a in ambassadors}
    gender = {a.id: a.gender for a in ambassadors}
    school = {c.id: c.school for c in classes}
    served: set[str] = set()
    chosen: list[tuple[str, str, int]] = []
    for c in sorted(classes, key=lambda x: x.id):
        has: set[object] = set()
        taken: set[str] = set()
        for _ in range(settings.k):
            best, best_value = None, -1
            for a, v in cands.get(c.id, ()):
                if room[a] <= 0 or a in taken:
                    continue
                value = v + (
                    tiers.gender if settings.k >= 2 and gender[a] and gender[a] not in has else 0
                )
                if value > best_value:
                    best, best_value = (a, v), value
            if best is None:
                break
            a, v = best
            room[a] -= 1
            taken.add(a)
            has.add(gender[a])
            served.add(school[c.id])
            chosen.append((c.id, a, v))
    return evaluate(chosen, school, gender, settings.k)


def measure(scale: str, seed: int, lp: bool) -> dict[str, object]:
    """Every figure of one scale: time, memory, sizes, and how far greedy and the LP are."""
    classes, ambassadors = synthetic(scale, seed)
    settings = MatchSettings()
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, cpu = time.perf_counter(), time.process_time()
    result = match(classes, ambassadors, settings)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    match(classes, ambassadors, settings)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    st = result.stats
    tiers = Tiers(int(st["tier_gender"]), int(st["tier_class"]), int(st["tier_school"]),
                  bool(st["lexicographic_proven"]))
    ours = Objective(int(st["schools_served"]), int(st["classes_served"]),
                     int(st["gendered_slots"]), int(st["quality"]))
    base = greedy(classes, ambassadors, settings, candidate_pairs(classes, ambassadors, settings),
                  tiers)
    out: dict[str, object] = {
        "scale": scale, "sizes": SCALES[scale], "wall": wall, "cpu": cpu, "rss": rss,
        "digest": result.digest(),
        "base_rss": base_rss, "peak": peak, "stats": st, "ours": ours, "greedy": base,
        "greedy_gap": gap(ours.total(tiers), base.total(tiers)),
        "greedy_points_gap": gap(ours.quality, base.quality),
        "capacity": sum(a.capacity for a in ambassadors if a.available),
        "slots": settings.k * len(classes), "pairings": len(result.pairings),
        # result.unserved lists every class with fewer than k ambassadors, not only those
        # with none: at France scale (one place per class) that is every class
        "short": len(result.unserved),
        "none": sum(u.missing == settings.k for u in result.unserved),
        "schools": len({c.school for c in classes}),
        "lp": None,
    }
    if lp and st["candidate_arcs"] <= LP_LIMIT:
        from tests.ambassadors.matching.test_matching_lp import lp_optimum

        start = time.perf_counter()
        integral = st["candidate_arcs"] <= INTEGRAL_LIMIT or FORCE_INTEGRAL
        best = lp_optimum(classes, ambassadors, settings, integral=integral)
        out["lp"] = {
            "kind": "integer program" if integral else "LP relaxation (upper bound per tier)",
            "key": best.key(), "seconds": time.perf_counter() - start,
            "gap": gap(best.total(tiers), ours.total(tiers)), "same": best.key() == ours.key(),
        }
    return out


def run(scale: str, seed: int, lp: bool) -> None:
    f = measure(scale, seed, lp)
    st, ours, base = f["stats"], f["ours"], f["greedy"]
    assert isinstance(st, dict) and isinstance(ours, Objective) and isinstance(base, Objective)
    n_schools, n_classes, n_amb = SCALES[scale]
    print(f"== {scale}: {n_schools} établissements, {n_classes} classes, {n_amb} ambassadeurs")
    print(
        f"   time {f['wall']:.2f} s wall, {f['cpu']:.2f} s CPU (candidates "
        f"{st['seconds_candidates']:.2f} s, flow {st['seconds_flow']:.2f} s); memory: process "
        f"peak {f['rss']:.0f} MB (before the match {f['base_rss']:.0f} MB), Python allocations "
        f"peak {f['peak']:.0f} MB"
    )
    print(
        f"   arcs {st['candidate_arcs']} candidate / {st['arcs']} total, pruned "
        f"{st['pruned']}, lexicographic proven {st['lexicographic_proven']} ("
        f"{st['stages']} stage(s), {st['exact_solves']} exact flow(s), "
        f"{st['checked_tiers']} tier(s) checked by potentials"
        + (f", priced in {st['pricing_rounds']} round(s) on {st['priced_arcs']} of "
           f"{st['arcs']} arcs" if "pricing_rounds" in st else "") + ")"
    )
    print(
        f"   pairings {f['pairings']} (places {f['capacity']}, slots {f['slots']}); classes "
        f"served {ours.classes}/{n_classes}; schools {ours.schools}/{f['schools']}; classes "
        f"with fewer than {st['k']} ambassadors {f['short']}, with none {f['none']}"
    )
    print(f"   ours   (schools, classes, gendered, points) = {ours.key()}, digest {f['digest']}")
    print(
        f"   greedy (schools, classes, gendered, points) = {base.key()}; objective gap "
        f"{f['greedy_gap']}, points gap {f['greedy_points_gap']}"
    )
    if not lp:
        return
    found = f["lp"]
    if not isinstance(found, dict):
        print(f"   LP skipped ({st['candidate_arcs']} arcs > {LP_LIMIT})")
        return
    print(
        f"   LP     (schools, classes, gendered, points) = {found['key']} by {found['kind']} in "
        f"{found['seconds']:.1f} s; gap to LP {found['gap']}"
    )
    if found["same"]:
        verdict = "ours is optimal on these arcs"
    elif found["kind"].startswith("LP relaxation") and found["key"] >= ours.key():
        verdict = "the relaxation's bound is above ours (a fractional optimum: no verdict)"
    else:
        verdict = "tiers differ"
    print(f"   LP check: {verdict}")


def gap(best: int, other: int) -> str:
    """How far `other` is below `best`, in percent of `best`."""
    return f"{100 * (best - other) / best:.4f} %" if best else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=[*SCALES, "all"], default="all")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--no-lp", action="store_true")
    parser.add_argument("--integral", action="store_true", help="integer program at any size")
    args = parser.parse_args()
    global FORCE_INTEGRAL
    FORCE_INTEGRAL = args.integral
    for scale in SCALES if args.scale == "all" else [args.scale]:
        run(scale, args.seed, not args.no_lp)


if __name__ == "__main__":
    main()
