"""Two checkouts write the same workbooks: every zip entry compared (issue #16).

Run on demand, after a change meant to make rendering or writing faster without changing
what is written:

    git worktree add /tmp/before HEAD      # or any copy of the code before the change
    python bench/bench_identity.py --before /tmp/before [--after .] [--scales demo,hdf]

Each checkout, in a fresh process, syncs the same campaigns twice at a fixed date (a first
sync, then a re-sync of the workbook it wrote), in the same folder so that the paths the
« Journal » records are the same: the demo (`sheets-sync demo`'s two workbooks) and the
fictional instances of bench_sync.py (roubaix, hdf: 650 schools / 5,000 ambassadors). Every
entry of every workbook written is then compared byte for byte, docProps/core.xml excepted
(its dates). Prints the differing entries; exit code 1 if there is one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_sync

ROOT = Path(__file__).resolve().parent.parent
VOLATILE = frozenset({"docProps/core.xml"})

SYNC_TWICE = """
import datetime as dt, shutil, sys
from pathlib import Path
from sheets_sync import load_config, sync
config, out = load_config(sys.argv[1]), Path(sys.argv[2])
for n, day in enumerate((1, 2), start=1):
    sync(config, now=dt.datetime(2021, 8, day, 9))
    for f in sorted(config.source.parent.glob("*.xls[xm]")):
        if ".sauvegarde." not in f.name and f.name != "pristine.xlsx":
            shutil.copy(f, out / f"sync{n}-{f.name}")
"""

DEMO = """
import sys
from pathlib import Path
from sheets_sync import load_config
from sheets_sync.starter.campaign import build_demo
from sheets_sync.starter.demo import demo_config
path, _ = demo_config(Path(sys.argv[1]))
build_demo(load_config(path))
print(path)
"""


def _python(code: Path, cwd: Path, script: str, *args: object) -> str:
    """Run `script` with `code` imported. `cwd` must not be a checkout: `python -c` puts the
    current folder first on sys.path, before PYTHONPATH (run from the repository, both sides
    imported the repository's code and were always « identiques »)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.run([sys.executable, "-c", script, *map(str, args)], check=True,
                          text=True, capture_output=True, env=env, cwd=cwd).stdout


def written(code: Path, scale: str, work: Path, out: Path) -> None:
    """The workbooks `code` writes for `scale`, copied into `out`."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    out.mkdir(parents=True)
    if scale == "demo":
        config = Path(_python(code, work, DEMO, work / "demo").strip().splitlines()[-1])
    else:
        schools, ambassadors = bench_sync.SCALES[scale]
        bench_sync.build(work, schools, ambassadors, code)
        config = work / "config.toml"
    _python(code, work, SYNC_TWICE, config, out)


def differing(before: Path, after: Path) -> list[str]:
    """« workbook: entry » for every entry that differs or exists on one side only."""
    out = []
    for old in sorted(before.glob("*.xls[xm]")):
        new = after / old.name
        if not new.exists():
            out.append(f"{old.name}: absent")
            continue
        with zipfile.ZipFile(old) as a, zipfile.ZipFile(new) as b:
            names = (set(a.namelist()) | set(b.namelist())) - VOLATILE
            for name in sorted(names):
                if name not in a.NameToInfo or name not in b.NameToInfo or (
                        a.read(name) != b.read(name)):
                    out.append(f"{old.name}: {name}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=ROOT)
    parser.add_argument("--scales", default="demo,roubaix,hdf")
    args = parser.parse_args()
    found = []
    with tempfile.TemporaryDirectory(prefix="bench-identity-") as tmp:
        base = Path(tmp)
        for scale in args.scales.split(","):
            for label, code in (("avant", args.before), ("après", args.after)):
                written(code.resolve(), scale, base / "work" / scale, base / label / scale)
            diff = differing(base / "avant" / scale, base / "après" / scale)
            count = len(list((base / "avant" / scale).glob("*.xls[xm]")))
            print(f"{scale}: {count} classeurs, "
                  f"{'identiques' if not diff else f'{len(diff)} parties différentes'}")
            found += [f"  {scale}/{d}" for d in diff]
    print("\n".join(found))
    raise SystemExit(1 if found else 0)


if __name__ == "__main__":
    main()
