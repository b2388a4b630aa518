"""`init` and the templates: the shared table has no roster; the coordinator workbook has it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sheets_sync.config import load_config
from sheets_sync.form.model import ROSTER_FIELDS
from sheets_sync.form.template import (
    coordination_sheets,
    coordination_template,
    sheets_template,
    workbook_template,
)
from sheets_sync.starter.campaign import COORDINATION_NAME, init_campaign
from sheets_sync.starter.fictional import demo_roster


def test_init_names_a_coordination_workbook_and_writes_it(tmp_path: Path) -> None:
    folder = tmp_path / "campagne"
    written = init_campaign(folder)
    assert folder / COORDINATION_NAME in written
    config = load_config(folder / "config.toml")
    assert config.coordination == folder / "coordination.xlsx"
    coordination = openpyxl.load_workbook(folder / "coordination.xlsx")
    assert coordination.sheetnames == ["Ambassadeurs", "Ajustements", "Mode d'emploi"]
    assert [c.value for c in coordination["Ambassadeurs"][1]] == [f.label for f in ROSTER_FIELDS]
    assert [c.value for c in coordination["Ajustements"][1]] == ["Classe", "Ambassadeur",
                                                                  "Décision"]
    shared = openpyxl.load_workbook(folder / "modele-tableau.xlsx")
    assert "Ambassadeurs" not in shared.sheetnames
    guide = " ".join(str(c.value) for row in shared["Mode d'emploi"].iter_rows() for c in row
                     if c.value)
    assert "Ambassadeurs" not in guide  # principals are not told of a tab they do not have


def test_shared_templates_have_no_roster_tab() -> None:
    shared = workbook_template("tableau", with_roster=False)
    assert [t.tab for t in shared.sheets] == ["Réponses"]
    assert [t.tab for t in sheets_template(None, with_roster=False)] == ["Réponses"]
    # a one-file campaign still gets its roster tab
    filled = workbook_template("tableau", roster=demo_roster(size=2))
    assert [t.tab for t in filled.sheets] == ["Réponses", "Ambassadeurs"]


def test_coordination_templates_hold_roster_and_adjustments() -> None:
    assert [t.tab for t in coordination_template().sheets] == ["Ambassadeurs", "Ajustements"]
    assert [t.tab for t in coordination_template(with_roster=False).sheets] == ["Ajustements"]
    assert [t.tab for t in coordination_sheets(None)] == ["Ambassadeurs", "Ajustements"]
    guide = " ".join(text for _, text in coordination_template().guide.lines)
    assert "ne le partagez pas" in guide


def test_coordination_template_refuses_unknown_roster_keys() -> None:
    with pytest.raises(ValueError, match="unknown field keys"):
        coordination_template(roster=[{"pointure": 42}])
