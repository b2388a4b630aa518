"""One set of figures (issue #13, item 10): the terminal, « Synthèse », `--json` and the HTML
report show the same counts, read back from what each one prints.

synthese-counts-a-non-as-complete: « Synthèse » said 3 complete answers where the terminal said
2, a « Non » counted as complete. A « Non » is an answer, never a complete participation.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from sheets_sync.ambassadors.sponsoring import sponsor
from sheets_sync.cli import main
from sheets_sync.config import Config, load_config
from sheets_sync.console import check_json, print_check
from sheets_sync.dashboards.figures import figure_lines, figures
from sheets_sync.dashboards.overview import summary_tab
from sheets_sync.form.check import COMPLETE, INCOMPLETE, NOT_TAKING_PART, check_answers
from sheets_sync.form.consolidate import consolidate
from sheets_sync.form.findings import Report
from sheets_sync.form.read import read_table
from sheets_sync.form.sessions import EMPTY_STATE
from sheets_sync.reports.html_page import render_html
from sheets_sync.reports.svg_charts import format_value
from sheets_sync.starter.fictional import demo_answers, demo_roster
from sheets_sync.sync import CheckResult, check_source

from .conftest import MakeCampaign
from .helpers import COMPLETE_NO, COMPLETE_YES, table

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load_config(ROOT / "config.toml")
NOW = dt.datetime(2021, 7, 20, 9, 30)
_LINE = re.compile(r"^  (?P<label>.+?) : (?P<value>.+)$")


def terminal_figures(text: str) -> dict[str, str]:
    """« label : value » lines of the « Chiffres de la campagne » block."""
    block = text.split("Chiffres de la campagne :", 1)[1].split("\n\n", 1)[0]
    return {m["label"]: m["value"].strip() for line in block.splitlines()
            if (m := _LINE.match(line))}


def synthese_figures(rows: Any) -> dict[str, str]:
    return {r[0].value: format_value(r[1].value, r[1].style) for r in rows
            if len(r) > 1 and isinstance(r[0].value, str)}


class _Rows(HTMLParser):
    """The two first cells of each body row of the page's tables, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_figures(page: str) -> dict[str, str]:
    parser = _Rows()
    parser.feed(page)
    return {r[0]: r[1] for r in parser.rows if len(r) > 1}


def assert_one_set(result: CheckResult, terminal: str, data: dict[str, Any],
                   synthese: dict[str, str], html: dict[str, str]) -> None:
    """Every figure: same text in the terminal, « Synthèse » and the HTML; same value in JSON."""
    f = figures(result.config, result.campaign)
    kept = result.campaign.kept
    # the definitions, counted here independently
    assert f.received == len(kept) == f.complete + f.incomplete + f.declined
    assert f.complete == sum(1 for s in kept if s.status == COMPLETE)
    assert f.declined == sum(1 for s in kept if s.status == NOT_TAKING_PART)
    assert f.incomplete == sum(1 for s in kept if s.status == INCOMPLETE)
    shown = terminal_figures(terminal)
    for line in figure_lines(f):
        text = format_value(line.value, line.style)
        assert shown[line.label] == text, line.label
        assert synthese[line.label] == text, line.label
        assert html[line.label] == text, line.label
        assert data["chiffres"][line.key] == line.value, line.key
    assert len(shown) == len(figure_lines(f))
    assert (f"{f.received} réponse(s) : {f.complete} complet, {f.incomplete} incomplet, "
            f"{f.declined} ne participe pas") in terminal


def _render_all(result: CheckResult) -> tuple[str, dict[str, Any], dict[str, str],
                                              dict[str, str]]:
    out = io.StringIO()
    print_check(Console(file=out, width=300, color_system=None), result)
    tab = summary_tab(result.config, result.campaign, NOW, result.sponsorship)
    page = render_html([tab], "Rapport", NOW)
    return (out.getvalue(), json.loads(check_json(result)), synthese_figures(tab.rows),
            html_figures(page))


def test_synthese_counts_a_non_as_complete_no_more(make_campaign: MakeCampaign) -> None:
    """The case of the issue: 2 « Oui » complete, 1 « Non »: 2 complete everywhere, 3 received."""
    config = make_campaign([COMPLETE_YES, {**COMPLETE_YES, "etablissement": "Collège Voisin"},
                            COMPLETE_NO])
    result = check_source(config, today=NOW.date())
    assert_one_set(result, *_render_all(result))
    values = synthese_figures(summary_tab(config, result.campaign, NOW).rows)
    assert values["Réponses complètes (participation, Oui sans erreur)"] == "2"
    assert values["Réponses « Non » (ne participe pas, sans erreur)"] == "1"
    assert values["Réponses reçues (hors doublons)"] == "3"


def test_the_demo_shows_one_set_of_figures_in_the_terminal_json_synthese_and_report(
        make_campaign: MakeCampaign, tmp_path: Path) -> None:
    """On the demo, through the commands themselves: `check`, `check --json`, `report`."""
    config: Config = make_campaign(demo_answers(), roster=demo_roster(size=8))
    runner = CliRunner()
    terminal = runner.invoke(main, ["check", "--config", str(config.path)]).stdout
    data = json.loads(runner.invoke(main, ["check", "--config", str(config.path),
                                           "--json"]).stdout)
    page_path = tmp_path / "rapport.html"
    done = runner.invoke(main, ["report", "--config", str(config.path), "-o", str(page_path),
                                "-q"])
    assert done.exit_code == 0, done.output
    result = check_source(config)
    tab = summary_tab(config, result.campaign, dt.datetime.now(), result.sponsorship)
    assert_one_set(result, terminal, data, synthese_figures(tab.rows),
                   html_figures(page_path.read_text(encoding="utf-8")))
    f = figures(config, result.campaign)
    assert (f.received, f.complete, f.declined, f.incomplete) == (12, 7, 2, 3)


_ANSWER = st.fixed_dictionaries({
    "participation": st.sampled_from(["Oui", "Non", "oui", " NON ", "peut-être", None]),
    "classes_4e": st.one_of(st.none(), st.integers(0, 4), st.just("deux")),
    "classes_3e": st.one_of(st.none(), st.integers(0, 4)),
    "objectifs": st.sampled_from([None, "Découvrir des métiers"]),
    "theme": st.sampled_from([None, "Le numérique", "contact 06 12 34 56 78"]),
    "adresse": st.sampled_from([None, "1 rue de l'Exemple, 59100 Roubaix"]),
    "name": st.sampled_from(["Collège A", "Collège B", "Clg A", "Collège C", "Collège D",
                             "Collège E", None]),
})


def _grid_answer(drawn: dict[str, Any]) -> dict[str, Any]:
    base = COMPLETE_YES if drawn["participation"] != "Non" else COMPLETE_NO
    answer = {**base, **{k: v for k, v in drawn.items() if k != "name"}}
    answer["etablissement"] = drawn["name"]
    return answer


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ANSWER, min_size=0, max_size=8))
def test_random_campaigns_show_one_set_of_figures(drawn: list[dict[str, Any]]) -> None:
    found = read_table(table([_grid_answer(d) for d in drawn]))
    assert found is not None
    campaign = consolidate(check_answers(found.answers, CONFIG.limits), [], EMPTY_STATE,
                           CONFIG.sessions, NOW.date())
    result = CheckResult(CONFIG, "tableau", campaign, sponsor(CONFIG, campaign.kept, [], []),
                         Report(list(campaign.issues)), None, NOW.date())  # type: ignore[arg-type]
    assert_one_set(result, *_render_all(result))
