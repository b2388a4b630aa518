"""Start-up: a command loads only what it needs (issue #14, item 8).

Each case runs in a fresh interpreter and lists the heavy modules left in sys.modules.
`bench/bench_startup.py` measures the times; this only checks what is imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MakeCampaign

HEAVY = ("ortools", "gspread", "google.auth", "requests", "numpy", "pandas", "pyarrow")
ANALYSIS = ("pandas", "pyarrow", "sheets_sync.analysis")
GOOGLE = ("gspread", "google.auth", "google.oauth2", "requests")

SCRIPT = """
import json, sys
from sheets_sync.cli import main
try:
    main({args!r}, standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))
"""


def loaded(args: list[str], cwd: Path, watched: tuple[str, ...] = HEAVY) -> list[str]:
    code = SCRIPT.format(args=args, watched=watched)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return list(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [["--help"], ["sync", "--help"], ["check", "--help"], ["watch", "--help"], ["--version"]],
)
def test_help_loads_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    assert loaded(args, tmp_path, (*HEAVY, "openpyxl", "xlsxwriter", "rich")) == []


def test_template_loads_neither_matching_nor_google(tmp_path: Path) -> None:
    assert loaded(["template", "-o", "m.xlsx"], tmp_path, ("ortools", *GOOGLE)) == []
    assert (tmp_path / "m.xlsx").exists()


def test_template_does_not_load_the_reader(tmp_path: Path) -> None:
    assert loaded(["template", "-o", "m.xlsx"], tmp_path,
                  ("openpyxl", "numpy", *ANALYSIS)) == []


@pytest.mark.parametrize("command", ["check", "sync"])
def test_check_and_sync_never_load_pandas(
    make_campaign: MakeCampaign, tmp_path: Path, command: str
) -> None:
    config = make_campaign()
    assert loaded([command, "--config", str(config.path), "-q"], tmp_path, ANALYSIS) == []


def test_check_of_an_excel_source_loads_no_google_client(
    make_campaign: MakeCampaign, tmp_path: Path
) -> None:
    config = make_campaign()
    assert loaded(["check", "--config", str(config.path), "-q"], tmp_path,
                  (*GOOGLE, "ortools")) == []  # check pairs no one: no solver either


def test_the_public_api_is_still_reachable_lazily() -> None:
    import sheets_sync
    from sheets_sync.backends import google

    assert callable(sheets_sync.sync) and callable(google.publish)
    assert sheets_sync.sync.__module__ == "sheets_sync.sync"
    assert google.publish.__module__ == "sheets_sync.backends.google.publish"
    with pytest.raises(AttributeError):
        _ = sheets_sync.nothing_here  # type: ignore[attr-defined]
