"""What stable pairings cost: objective kept vs a fresh optimum when new classes arrive.

    python bench/bench_stability.py [--scale roubaix|hdf|france] [--new 0.10] [--seed N] [--full]

Matches the synthetic instance of bench_matching.py without its last `new` share of classes,
publishes that matching, then matches the whole instance twice: keeping every published
pairing (what `sync` does) and afresh (what `sync --reapparier` does). Prints the tiers of
both (schools, classes, gendered slots served), the quality points lost to stability as a
ratio of the fresh optimum's (target: under 2 %), the pairings kept and moved, and the times.
Fictional identifiers only; run on demand, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matching import SCALES, synthetic

from sheets_sync.ambassadors.matching import MatchResult, MatchSettings, match
from sheets_sync.ambassadors.stability import Published, gap, still_possible


def tiers(result: MatchResult) -> str:
    s = result.stats
    return (f"schools {s['schools_served']}, classes {s['classes_served']}, gendered slots "
            f"{s['gendered_slots']}, quality {s['quality']}")


def run(scale: str, seed: int, share: float, full: bool) -> None:
    classes, ambassadors = synthetic(scale, seed)
    cut = round(len(classes) / (1 + share))
    old = classes[:cut]
    settings = MatchSettings(full_graph_limit=10**12) if full else MatchSettings()
    started = time.perf_counter()
    first = match(old, ambassadors, settings)
    first_s = time.perf_counter() - started
    day = dt.date(2021, 10, 4)
    published = [Published(p.class_id, p.ambassador_id, False, day) for p in first.pairings]
    started = time.perf_counter()
    kept, dropped = still_possible(published, classes, ambassadors, k=settings.k)
    stable = match(classes, ambassadors, replace(settings, kept=kept))
    stable_s = time.perf_counter() - started
    started = time.perf_counter()
    fresh = match(classes, ambassadors, settings)
    fresh_s = time.perf_counter() - started
    before = {(p.class_id, p.ambassador_id) for p in published}
    after = {(p.class_id, p.ambassador_id) for p in stable.pairings}
    moved_fresh = len(before - {(p.class_id, p.ambassador_id) for p in fresh.pairings})
    lost = gap(stable, fresh)
    print(f"== {scale}: {len(old)} classes published, {len(classes) - len(old)} new "
          f"({share:.0%}), {len(ambassadors)} ambassadors, k={settings.k}")
    print(f"   first matching     {first_s:6.2f} s  {tiers(first)}")
    print(f"   stable (kept {len(kept)}) {stable_s:6.2f} s  {tiers(stable)}")
    print(f"   fresh optimum      {fresh_s:6.2f} s  {tiers(fresh)}"
          f"{', pruned' if fresh.stats['pruned'] else ''}")
    print(f"   published pairings moved: stable {len(before - after)} (dropped "
          f"{len(dropped)}), fresh {moved_fresh} of {len(before)}")
    print(f"   lost to stability (fresh − stable, fresh tiers): schools {lost.schools}, classes "
          f"{lost.classes}, gendered slots {lost.gendered}, weighted objective {lost.objective} "
          f"({lost.objective / fresh.objective:.4%})")
    print(f"   quality points lost to stability: {lost.quality} of {fresh.stats['quality']} "
          f"({lost.quality_ratio:.2%}; target under 2 %; negative: stability does better)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="hdf")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--new", type=float, default=0.10, help="share of new classes")
    parser.add_argument("--full", action="store_true",
                        help="every matching on the full graph (no candidate pruning)")
    args = parser.parse_args()
    run(args.scale, args.seed, args.new, args.full)


if __name__ == "__main__":
    main()
