import datetime as dt
from pathlib import Path

import pytest

from sheets_sync.campaign import default_config_text
from sheets_sync.config import load_config
from sheets_sync.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_demo_config_holds_the_seed_sessions() -> None:
    config = load_config(ROOT / "config.toml")
    assert [(s.name, s.deadline) for s in config.sessions] == [
        ("1re session", dt.date(2021, 7, 16)),
        ("2e session", dt.date(2021, 9, 10)),
    ]
    assert config.source == ROOT / "demo" / "campagne-demo.xlsx"
    assert config.tabs.answers == "Réponses" and config.tabs.summary == "Synthèse"


def test_new_campaign_config_is_valid(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(default_config_text(), encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    assert config.source == tmp_path / "reponses.xlsx"
    assert config.dashboard_path() == tmp_path / "tableau-de-bord.xlsx"
    assert config.same_book()  # generated tabs go into the answers workbook itself
    assert config.tabs.reminders == "Relances" and config.tabs_in_source is True


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
[campagne]
nom = "Essai"
[[campagne.sessions]]
nom = "S1"
date_limite = 2021-07-16
[source]
chemin = "r.xlsx"
"""


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD.replace('nom = "Essai"\n', ""), "campagne.nom"),
        (GOOD.replace("date_limite = 2021-07-16", 'date_limite = "16/07/2021"'),
         "campagne.sessions[1].date_limite"),
        (GOOD.replace('chemin = "r.xlsx"', "chemin = 3"), "source.chemin"),
        (GOOD + "[controles]\ntitre_longueur_max = 0\n", "controles.titre_longueur_max"),
        (GOOD + "[controles]\nclasses_max = true\n", "controles.classes_max"),
        (GOOD.replace('chemin = "r.xlsx"', 'chemin = "r.xlsx"\ntype = "access"'), "source.type"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_config(write(tmp_path, text))


def test_sessions_must_be_in_order(tmp_path: Path) -> None:
    text = GOOD + '[[campagne.sessions]]\nnom = "S0"\ndate_limite = 2021-01-01\n'
    text = text.replace("[source]", "").replace('chemin = "r.xlsx"', "")
    text += '[source]\nchemin = "r.xlsx"\n'
    with pytest.raises(ConfigError, match="croissantes"):
        load_config(write(tmp_path, text))


def test_unreadable_or_missing_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="introuvable"):
        load_config(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="invalide"):
        load_config(write(tmp_path, "[campagne\n"))


def test_relative_source_is_taken_from_the_config_folder(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.source == tmp_path / "r.xlsx"
    assert config.with_source(tmp_path / "x").source == tmp_path / "x"
