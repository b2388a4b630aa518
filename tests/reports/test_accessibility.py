"""The HTML report is accessible (RGAA, built on WCAG 2.1 AA), checked in a real browser.

axe-core runs in the system Chromium (tests/a11y/check.js, one browser for every page) with
the tags wcag2a, wcag2aa, wcag21a, wcag21aa, plus two house rules axe lacks (table headers
with a scope, a data table beside each chart). Pages: the demo's partner report, a report of
every visible tab of the demo (findings, errors, warnings, links), at 1280 px and 390 px;
and a fixture that must fail. Then the keyboard alone: Tab from the top reaches the skip link
first, then every link and control, each with a visible outline, and leaves the page.

Needs node, npm and chromium: skipped without them, failed when CI is set. The npm packages
(axe-core, puppeteer-core; never a browser download) are installed on first use.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ..helpers import need_apps, skip_or_fail

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
A11Y = ROOT / "tests" / "a11y"
FIXTURE = ROOT / "tests" / "data" / "a11y" / "unlabelled-chart.html"
NOW = dt.datetime(2021, 9, 20, 10, 30)
WIDTHS = (1280, 390)


def npm_packages() -> None:
    """`npm ci` once, so that a fresh clone runs the test (no browser is downloaded)."""
    if (A11Y / "node_modules" / "axe-core").is_dir() and (
        A11Y / "node_modules" / "puppeteer-core"
    ).is_dir():
        return
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    done = subprocess.run(
        ["npm", "ci", "--prefix", str(A11Y), "--no-audit", "--no-fund"],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        skip_or_fail(f"npm ci a échoué dans tests/a11y : {done.stderr.strip()[-500:]}")


def demo_reports(folder: Path) -> tuple[Path, Path]:
    """The demo's partner report, as `sheets-sync report` writes it, and a report of every
    visible tab of the demo (Complétude with its errors, Parrainages, Relances…)."""
    from sheets_sync.config import load_config
    from sheets_sync.reports.html_page import render_html
    from sheets_sync.starter.campaign import build_demo
    from sheets_sync.starter.demo import demo_config
    from sheets_sync.sync import build_tabs, check_source, reminder_templates, write_report

    config = load_config(demo_config(folder / "demo")[0])
    build_demo(config)
    partners = write_report(config, "html", folder / "rapport-demo.html", now=NOW)
    checked = check_source(config, None, NOW.date())
    tabs = build_tabs(config, checked.campaign, checked.sponsorship, NOW,
                      reminder_templates(config))  # fmt: skip
    shown = [t for t in tabs if not t.hidden]
    assert checked.report.issues and len(shown) > 4  # findings and every section
    every = folder / "rapport-complet.html"
    every.write_text(render_html(shown, "Rapport complet — démo", NOW), encoding="utf-8")
    return partners, every


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], dict[str, Any]]:
    """Every page checked at every width, in one browser: {(page name, width): result}."""
    need_apps("node", "npm", "chromium")
    npm_packages()
    partners, every = demo_reports(tmp_path_factory.mktemp("a11y"))
    env = {**os.environ, "CHROMIUM": shutil.which("chromium") or "/usr/bin/chromium"}
    done = subprocess.run(
        ["node", str(A11Y / "check.js"), "--keyboard", "--width", ",".join(map(str, WIDTHS)),
         str(partners), str(every), str(FIXTURE)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {(Path(r["file"]).name, r["width"]): r for r in json.loads(done.stdout)}


def explain(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        for v in violations
    )


PAGES = [(page, w) for page in ("rapport-demo.html", "rapport-complet.html") for w in WIDTHS]


@pytest.mark.parametrize(("page", "width"), PAGES)
def test_report_has_no_wcag21_aa_violation(
    checked: dict[tuple[str, int], dict[str, Any]], page: str, width: int
) -> None:
    violations = checked[page, width]["violations"]
    assert violations == [], f"{page} à {width} px :\n{explain(violations)}"


@pytest.mark.parametrize(("page", "width"), PAGES)
def test_report_fits_the_window_tables_scroll_in_their_region(
    checked: dict[tuple[str, int], dict[str, Any]], page: str, width: int
) -> None:
    """On a phone (390 px) as on a desktop, the page never scrolls sideways (WCAG 1.4.10)."""
    assert checked[page, width]["pageWidth"] <= width


def test_unlabelled_chart_and_headerless_table_are_caught(
    checked: dict[tuple[str, int], dict[str, Any]],
) -> None:
    """The check can fail: a chart with no name, a table with no header, no lang, pale text."""
    for width in WIDTHS:
        found = {v["id"] for v in checked["unlabelled-chart.html", width]["violations"]}
        assert {"svg-img-alt", "maison-table-headers", "maison-chart-data", "html-has-lang",
                "color-contrast"} <= found, found  # fmt: skip


@pytest.mark.parametrize(("page", "width"), PAGES)
def test_keyboard_alone_skip_link_first_every_control_visible_focus(
    checked: dict[tuple[str, int], dict[str, Any]], page: str, width: int
) -> None:
    result = checked[page, width]
    steps = result["keyboard"]
    assert steps[0]["desc"].startswith('a[href="#contenu"]'), steps[0]
    assert steps[-1]["desc"] == "(body)", "Tab never leaves the page: a keyboard trap"
    reached = [s["desc"] for s in steps[:-1]]
    assert reached == result["focusables"]  # every link and control, in reading order
    assert len(reached) > 10  # contents, skip link, charts' data, tables
    hidden = [s["desc"] for s in steps[:-1] if not (s["outline"] and s["inViewport"])]
    assert hidden == [], "focus not visible on: " + ", ".join(hidden)
    assert result["skip"] == {"activeAfterEnter": "contenu", "hash": "#contenu"}
