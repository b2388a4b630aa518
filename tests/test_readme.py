"""The README's two commands exist, stay what CI runs, and the demo one works."""

import os
import re
import subprocess
import sys
from pathlib import Path

from sheets_sync.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command(marker: str) -> str:
    m = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```", README)
    assert m, f"README: bloc « {marker} » introuvable"
    return m.group(1).strip()


def test_readme_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    demo, tests = command("commande-demo"), command("commande-tests")
    assert demo.endswith("sheets-sync demo") and "pip install" in demo
    assert tests.endswith("pytest") and "'.[dev]'" in tests
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_is_documented() -> None:
    for name in main.commands:
        assert f"sheets-sync {name}" in README, name


def test_demo_command_runs_on_a_fresh_folder(tmp_path: Path) -> None:
    """An empty folder: the demo brings its own config (issue #14)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "sheets_sync", "demo"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Classeur de démonstration créé" in done.stdout
    assert (tmp_path / "demo" / "campagne-demo.xlsx").exists()
    assert "onglet « Complétude » créé" in done.stdout
    # a second run keeps the demo workbook and replaces the generated tabs
    again = subprocess.run([sys.executable, "-m", "sheets_sync", "demo"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0, again.stderr
    assert "créé :" not in again.stdout and "remplacé" in again.stdout
