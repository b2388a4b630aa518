"""How long a command takes before it does anything: whole processes, wall time.

Run on demand:  python bench/bench_startup.py [--repeat 7]

Builds the demo in a temporary folder (`sheets-sync demo`), then times, each as the median
of N fresh processes: `python -c pass` and `python -c "import openpyxl"` (the floors),
`sheets-sync --help`, `check` on the demo, `template -o modele.xlsx`. Prints each time and its
ratio to the interpreter floor. Targets on a quiet machine: `--help` under 0.25 s, `check` on
the demo under 0.5 s.

Byte-code is cached in a temporary PYTHONPYCACHEPREFIX (and one warm-up run per case), as
an installed package would have it: with PYTHONDONTWRITEBYTECODE set, every run would
compile the package again and measure the compiler.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"sheets-sync --help": 0.25, "sheets-sync check (démo)": 0.5}


def cases(folder: Path) -> dict[str, list[str]]:
    cli = [sys.executable, "-m", "sheets_sync"]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import openpyxl'": [sys.executable, "-c", "import openpyxl"],
        "sheets-sync --help": [*cli, "--help"],
        "sheets-sync check (démo)": [*cli, "check", "--config", "demo/config.toml", "-q"],
        "sheets-sync template": [*cli, "template", "-o", str(folder / "modele.xlsx"), "--force"],
    }


def wall(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        env["PYTHONPATH"] = str(ROOT)
        subprocess.run(
            [sys.executable, "-m", "sheets_sync", "demo", "-q"],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        times = {}
        for name, command in cases(folder).items():
            wall(command, folder, env)  # warm-up: byte-code and the OS file cache
            times[name] = statistics.median(wall(command, folder, env) for _ in range(args.repeat))
        floor = times["python -c pass"]
        print(f"Médiane de {args.repeat} processus (secondes, temps réel) :")
        for name, seconds in times.items():
            target = TARGETS.get(name)
            mark = (
                ""
                if target is None
                else (
                    f"  cible < {target:g} s : " + ("atteinte" if seconds < target else "manquée")
                )
            )
            print(f"  {name:<30} {seconds:6.3f}  ×{seconds / floor:5.1f}{mark}")


if __name__ == "__main__":
    main()
