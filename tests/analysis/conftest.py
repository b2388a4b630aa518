"""The demo campaign (`sheets-sync demo`), built and synced once for the analysis tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheets_sync import load_config, sync
from sheets_sync.config import Config
from sheets_sync.starter.campaign import build_demo
from sheets_sync.starter.demo import demo_config

NOW = dt.datetime(2021, 9, 1, 8, 0)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The demo's folder as `sheets-sync demo` leaves it: its config, both workbooks synced."""
    path, _ = demo_config(tmp_path_factory.mktemp("analysis") / "demo")
    config = load_config(path)
    assert build_demo(config)
    sync(config, now=NOW)
    return config


def workbook_files(config: Config) -> dict[Path, bytes]:
    """Every file of the campaign's folder, with its bytes (to prove nothing was written)."""
    folder = config.source.parent
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
