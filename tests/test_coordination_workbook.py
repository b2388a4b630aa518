"""The file principals share holds only what they need; the rest is the coordinators' (#13).

Excel: the roster, « Ajustements » and the coordinator tabs live in the coordinator workbook
named in config (`[coordination] classeur`), created on the first sync; a one-file campaign
keeps working and is warned (`classeur-partage-expose`).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.config import Config, load_config
from sheets_sync.starter.campaign import (
    build_demo,
    campaign_config_text,
    default_config_text,
    write_template,
)
from sheets_sync.starter.fictional import demo_roster
from sheets_sync.sync import check_source, sync

from .conftest import MakeCampaign
from .helpers import COMPLETE_NO, COMPLETE_YES

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2021, 7, 1, 10, 0)
SHARED_ALLOWED = {"Réponses", "Mode d'emploi", "Synthèse", "Complétude", "Classes",
                  "Mobilisation des ambassadeurs", "Égalité filles-garçons"}
COORDINATOR_TABS = {"Parrainages", "Relances", "Journal", "sheets-sync (état)"}


def _text(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
                    if c.value is not None)


def _tabs(path: Path) -> list[str]:
    return list(openpyxl.load_workbook(path).sheetnames)


def _codes(config: Config) -> list[str]:
    return [i.code for i in check_source(config, today=NOW.date()).report.issues]


@pytest.fixture
def demo(tmp_path: Path) -> Config:
    """The demo campaign (root config.toml), built and synced in a temp folder."""
    shutil.copy(ROOT / "config.toml", tmp_path / "config.toml")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    config = load_config(tmp_path / "config.toml")
    assert build_demo(config)
    sync(config, now=NOW)
    return config


def test_demo_shared_workbook_holds_no_roster_contact_and_no_coordinator_tab(
    demo: Config,
) -> None:
    assert isinstance(demo.coordination, Path)
    shared = _tabs(demo.source)
    assert set(shared) <= SHARED_ALLOWED and {"Synthèse", "Complétude"} <= set(shared)
    text = _text(demo.source)
    for member in demo_roster():
        assert member["courriel"] not in text and member["telephone"] not in text
    coordination = _tabs(demo.coordination)
    assert {"Ambassadeurs", "Ajustements", *COORDINATOR_TABS} <= set(coordination)
    assert demo_roster()[0]["courriel"] in _text(demo.coordination)


def test_demo_campaign_is_not_warned(demo: Config) -> None:
    assert "classeur-partage-expose" not in _codes(demo)


@pytest.fixture
def split(tmp_path: Path) -> Config:
    """A new campaign as `init` configures it: answers only, no coordinator workbook yet."""
    (tmp_path / "config.toml").write_text(campaign_config_text(), encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    write_template(config.source, "tableau", config, answers=[COMPLETE_YES, COMPLETE_NO],
                   with_roster=False)
    return config


def test_first_sync_creates_the_coordination_workbook(split: Config) -> None:
    assert isinstance(split.coordination, Path) and not split.coordination.exists()
    result = sync(split, now=NOW)
    assert result.written
    book = openpyxl.load_workbook(split.coordination)
    assert {"Ambassadeurs", "Ajustements", *COORDINATOR_TABS} <= set(book.sheetnames)
    assert [c.value for c in book["Ajustements"][1]] == ["Classe", "Ambassadeur", "Décision"]
    assert book["Ambassadeurs"]["A1"].value == "Prénom" and book["Ambassadeurs"]["A2"].value is None
    assert not COORDINATOR_TABS & set(_tabs(split.source))
    plan = dict(result.plan)
    assert "coordination" in plan["Parrainages"] and "coordination" not in plan["Synthèse"]


def test_second_sync_keeps_what_coordinators_typed(split: Config) -> None:
    sync(split, now=NOW)
    assert isinstance(split.coordination, Path)
    book = openpyxl.load_workbook(split.coordination)
    member = demo_roster(size=1)[0]
    book["Ambassadeurs"].append([member[k] for k in (
        "prenom", "nom", "genre", "metier", "code_rome", "secteur", "entreprise", "commune",
        "disponibilites", "capacite", "interets", "courriel", "telephone", "consentement")])
    book["Ajustements"].append(["classe-inconnue", "x", "Confirmer"])
    book.save(split.coordination)
    result = sync(split, now=NOW + dt.timedelta(days=1))
    assert result.written
    again = openpyxl.load_workbook(split.coordination)
    assert again["Ambassadeurs"]["L2"].value == member["courriel"]
    assert [c.value for c in again["Ajustements"][2]] == ["classe-inconnue", "x", "Confirmer"]
    codes = [i.code for i in result.check.report.issues]
    assert "ajustement-inconnu" in codes  # the tab typed by coordinators is read
    assert member["courriel"] not in _text(split.source)


def test_dry_run_writes_neither_file(split: Config) -> None:
    result = sync(split, now=NOW, dry_run=True)
    assert not result.written
    assert isinstance(split.coordination, Path) and not split.coordination.exists()


def test_one_file_campaign_still_syncs_and_is_warned(make_campaign: MakeCampaign) -> None:
    config = make_campaign(roster=demo_roster(size=4))
    assert config.coordination is None
    result = sync(config, now=NOW)
    assert result.written
    warned = [i for i in result.check.report.issues if i.code == "classeur-partage-expose"]
    assert [(i.tab, i.severity) for i in warned] == [("reponses.xlsx", "avertissement")]
    assert "[coordination]" in warned[0].message
    assert set(_tabs(config.source)) >= COORDINATOR_TABS  # as before


def test_adding_the_key_moves_the_coordinator_tabs_and_keeps_the_roster_read(
    make_campaign: MakeCampaign,
) -> None:
    config = make_campaign(roster=demo_roster(size=4))
    sync(config, now=NOW)
    assert config.path is not None
    text = default_config_text().replace("[onglets]",
                                         '[coordination]\nclasseur = "coord.xlsx"\n\n[onglets]')
    config.path.write_text(text, encoding="utf-8")
    moved = load_config(config.path)
    result = sync(moved, now=NOW)
    shared = set(_tabs(moved.source))
    assert not COORDINATOR_TABS & shared and "Ambassadeurs" in shared  # input tab untouched
    assert isinstance(moved.coordination, Path)
    assert "Ambassadeurs" not in _tabs(moved.coordination)  # no empty roster to shadow it
    assert len(result.check.sponsorship.result.pairings) > 0
    warned = [i for i in result.check.report.issues if i.code == "classeur-partage-expose"]
    assert len(warned) == 1 and "Déplacez" in warned[0].message
