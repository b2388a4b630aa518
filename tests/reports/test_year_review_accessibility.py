"""The HTML report with « Bilan de l'année » (issue #17, item 6) is accessible: axe-core at
WCAG 2.1 AA and the house rules (tests/a11y/check.js), at 1280 px and on a phone (390 px),
for a year under way and one where nothing is held yet. Slow (a browser): one case."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sheets_sync.reports.html_page import render_html

from ..helpers import need_apps
from ..report_tabs import NOW
from .test_accessibility import A11Y, WIDTHS, explain, npm_packages
from .test_year_review_report import tabs

pytestmark = pytest.mark.slow


def test_report_with_year_review_has_no_wcag21_aa_violation(tmp_path: Path) -> None:
    need_apps("node", "npm", "chromium")
    npm_packages()
    report = tmp_path / "rapport-bilan.html"
    report.write_text(render_html(tabs(), "Rapport — bilan de l'année", NOW), encoding="utf-8")
    env = {**os.environ, "CHROMIUM": shutil.which("chromium") or "/usr/bin/chromium"}
    done = subprocess.run(
        ["node", str(A11Y / "check.js"), "--width", ",".join(map(str, WIDTHS)), str(report)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [r["width"] for r in results] == list(WIDTHS)
    for result in results:
        violations = result["violations"]
        assert violations == [], f"{result['width']} px :\n{explain(violations)}"
        assert result["pageWidth"] <= result["width"]  # never scrolls sideways (WCAG 1.4.10)
