"""Fictional campaigns to render: the demo, as `sheets-sync demo` runs it, and a large one.

Everything is invented (starter.fictional): collèges « Collège Numéro N de la Cité »,
ambassadors drawn from common first and last names, e-mails at example.org. The clock is
injected, so a rendering does not depend on the day the test runs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheets_sync.config import Config, load_config
from sheets_sync.starter.campaign import build_demo, default_config_text, write_template
from sheets_sync.starter.demo import demo_config
from sheets_sync.starter.fictional import demo_answers, demo_roster
from sheets_sync.sync import sync

NOW = dt.datetime(2021, 9, 20, 9, 0)


def demo_campaign(folder: Path, now: dt.datetime = NOW) -> Config:
    """The demo in `folder`, synced: its shared workbook and its coordinator workbook."""
    config = load_config(demo_config(folder)[0])
    build_demo(config)
    sync(config, now=now)
    return config


def large_campaign(folder: Path, schools: int = 650, now: dt.datetime = NOW) -> Config:
    """A one-file campaign of `schools` answers (the demo's twelve, renamed and repeated) and
    schools / 2 ambassadors, synced (as bench/bench_sync.py builds it)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(default_config_text(), encoding="utf-8")
    config = load_config(folder / "config.toml")
    base = demo_answers()
    answers = [
        {**base[i % len(base)], "etablissement": f"Collège Numéro {i + 1} de la Cité"}
        for i in range(schools)
    ]
    write_template(
        config.source,
        "tableau",
        config,
        answers=answers,
        roster=demo_roster(size=max(10, schools // 2)),
    )
    sync(config, now=now)
    return config


def workbooks(config: Config) -> list[Path]:
    """The workbooks a sync of `config` wrote: the shared one, then the coordinator's."""
    return [
        config.source,
        *([config.coordination] if isinstance(config.coordination, Path) else []),
    ]
