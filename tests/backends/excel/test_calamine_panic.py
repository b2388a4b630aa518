"""A damaged .xls that makes calamine panic: one French line, no Rust panic report.

Fixture `calamine-panique.xls`: the .xls twin of tests/data/hostile/valeurs.xlsx with eight
bytes changed; calamine panics on it (and printed a whole Rust backtrace when RUST_BACKTRACE
was set) before the French message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sheets_sync.backends.excel import calamine_read
from sheets_sync.backends.excel.read import read_workbook
from sheets_sync.errors import SourceError
from sheets_sync.starter.campaign import default_config_text

PANIC = Path(__file__).resolve().parents[2] / "data" / "hostile" / "calamine-panique.xls"


def test_the_panic_becomes_a_french_message_and_its_report_is_dropped(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SourceError, match="PanicException") as caught:
        read_workbook(PANIC)
    assert "enregistrez-le au format .xlsx" in str(caught.value)
    err = capfd.readouterr().err
    assert "panicked" not in err and "backtrace" not in err.lower()


class PanicException(BaseException):  # pyo3's name, matched by name
    """Stands for pyo3's exception in the tests below."""


def test_what_else_is_written_meanwhile_is_kept(capfd: pytest.CaptureFixture[str]) -> None:
    with calamine_read._panic_report_hidden():
        os.write(2, b"un avertissement\n")
    assert capfd.readouterr().err == "un avertissement\n"
    with pytest.raises(PanicException), calamine_read._panic_report_hidden():
        os.write(2, b"thread '<unnamed>' panicked at src/xls.rs\n")
        raise PanicException
    assert capfd.readouterr().err == ""


def test_through_the_command_line(tmp_path: Path) -> None:
    shutil.copy(PANIC, tmp_path / "reponses.xls")
    text = default_config_text().replace('chemin = "reponses.xlsx"', 'chemin = "reponses.xls"')
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "from sheets_sync.cli import main; main()", "check",
         "--config", str(tmp_path / "config.toml")],
        capture_output=True, text=True, env={**os.environ, "RUST_BACKTRACE": "1"}, check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]  # one line
    assert "reponses.xls" in done.stderr and "panicked" not in done.stderr
