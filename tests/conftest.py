"""Shared fixtures: a campaign folder with its config and a filled workbook."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from sheets_sync.config import Config, load_config
from sheets_sync.starter.campaign import default_config_text, write_template

from .helpers import COMPLETE_NO, COMPLETE_YES, need_apps, run_cli

MakeCampaign = Callable[..., Config]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Locks of Google syncs go to the user cache folder: a test's own, not the home's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def libreoffice() -> None:
    """LibreOffice (soffice) and pdftotext on the PATH: a skip without them, a failure in CI."""
    need_apps("soffice", "pdftotext")


@pytest.fixture
def make_campaign(tmp_path: Path) -> MakeCampaign:
    """Write config.toml and a « tableau » workbook filled with the given answers."""

    def make(answers: Sequence[dict[str, Any]] = (COMPLETE_YES, COMPLETE_NO), *,
             roster: Sequence[dict[str, Any]] = (), source: str = "reponses.xlsx") -> Config:
        text = default_config_text().replace('chemin = "reponses.xlsx"', f'chemin = "{source}"')
        (tmp_path / "config.toml").write_text(text, encoding="utf-8")
        config = load_config(tmp_path / "config.toml")
        if source.endswith(".xlsx"):
            write_template(config.source, "tableau", config, answers=answers, roster=roster)
        return config

    return make


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the robustness figures the hardening tests gathered (see tests/robustness.py)."""
    from .robustness import FIGURES

    if FIGURES:
        terminalreporter.section("robustesse")
        for kind, count in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{count:>7}  {kind}")


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder where `sheets-sync demo --quiet` ran (its config: demo/config.toml); the
    working directory is restored afterwards."""
    folder = tmp_path_factory.mktemp("demo")
    old = Path.cwd()
    os.chdir(folder)
    try:
        code, _, err = run_cli("demo", "--quiet")
        assert code == 0, err
        yield folder
    finally:
        os.chdir(old)
