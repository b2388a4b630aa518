"""Start-up of `sync` and `check` (issue #16): what a campaign without a school year, read
from an Excel workbook, does not import.

Each case runs the command in a fresh interpreter and lists the watched modules left in
sys.modules; never a timing (`bench/bench_startup.py` measures those).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sheets_sync.console import _RICH_ENVIRON

from .conftest import MakeCampaign
from .test_startup import SCRIPT

NOT_ON_THE_SYNC_PATH = (
    "rich",  # a plain line is written as rich would write it (console.Screen)
    "rapidfuzz",  # only for a school name that is not in the reference list word for word
    "difflib",  # a header or a config key mistyped (click loads it for « -q »: not cron's)
    "html",  # the HTML report
    "importlib.metadata",  # the journal's version is sheets_sync.__version__
    "sheets_sync.reports.html_page",
    "sheets_sync.reports.svg_charts",
    "sheets_sync.cells.template_spec",  # the templates, a coordinator workbook's first sync
    "sheets_sync.form.template",
    "sheets_sync.form.guide",
    "sheets_sync.schoolyear.calendar",  # no [annee_scolaire]: no calendar, no plan
    "sheets_sync.schoolyear.model",
    "sheets_sync.schoolyear.tracking",
    "sheets_sync.schoolyear.year",
    "sheets_sync.schoolyear.exports",
    "sheets_sync.dashboards.year_review",
    "sheets_sync.dashboards.year_tabs",
)


def loaded(args: list[str], cwd: Path, watched: tuple[str, ...]) -> tuple[list[str], str]:
    """The watched modules a command left loaded, and what it printed before."""
    env = {k: v for k, v in os.environ.items() if k not in _RICH_ENVIRON}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(args=args, watched=watched)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    *printed, modules = done.stdout.splitlines()
    return list(json.loads(modules)), "\n".join(printed)


@pytest.mark.parametrize("command", ["sync", "check"])
def test_a_quiet_command_loads_only_what_it_runs(
    make_campaign: MakeCampaign, tmp_path: Path, command: str
) -> None:
    config = make_campaign()
    modules, printed = loaded([command, "--config", str(config.path), "--quiet"], tmp_path,
                              NOT_ON_THE_SYNC_PATH)
    assert modules == []
    assert "réponse(s) : " in printed.splitlines()[-1]  # the final line, written all the same


def test_the_summary_still_loads_rich_for_its_figures(
    make_campaign: MakeCampaign, tmp_path: Path
) -> None:
    config = make_campaign()
    modules, printed = loaded(["check", "--config", str(config.path)], tmp_path, ("rich",))
    assert modules == ["rich"]
    assert "Chiffres de la campagne :" in printed


def test_the_school_year_loads_what_it_plans_with() -> None:
    code = ("import sys\n"
            "from sheets_sync.schoolyear import parse_availability\n"
            "parse_availability('lundi matin')\n"
            "loaded = [m for m in ('sheets_sync.schoolyear.calendar', "
            "'sheets_sync.schoolyear.model') if m in sys.modules]\n"
            "from sheets_sync.schoolyear import HalfDay, Plan, load_calendar\n"
            "print(loaded, HalfDay.__module__, Plan.__module__, load_calendar.__module__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == ["[]", "sheets_sync.schoolyear.calendar",
                                   "sheets_sync.schoolyear.model",
                                   "sheets_sync.schoolyear.calendar"]


MADVISE = """
import sys
from sheets_sync.cli import main
try:
    main({args!r}, standalone_mode=False)
except SystemExit:
    pass
import numpy
from numpy._core.multiarray import _get_madvise_hugepage
print(_get_madvise_hugepage())
"""


@pytest.mark.parametrize(("asked", "expected"), [(None, "False"), ("1", "True")])
def test_numpy_arrays_of_a_command_use_small_pages_unless_the_user_asked(
    make_campaign: MakeCampaign, tmp_path: Path, asked: str | None, expected: str
) -> None:
    """numpy's huge pages wait on the kernel's memory compaction (cli.small_pages_for_numpy);
    a value the user set in NUMPY_MADVISE_HUGEPAGE is kept."""
    config = make_campaign()
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if asked is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = asked
    args = ["sync", "--config", str(config.path), "--dry-run", "--quiet"]
    done = subprocess.run([sys.executable, "-c", MADVISE.format(args=args)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.splitlines()[-1] == expected
