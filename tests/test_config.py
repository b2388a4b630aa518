import datetime as dt
from pathlib import Path

import pytest

from sheets_sync.config import ReadLimits, load_config
from sheets_sync.errors import ConfigError
from sheets_sync.starter.campaign import default_config_text

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
        (GOOD + "[lecture]\nlignes_max = 0\n", "lecture.lignes_max"),
        (GOOD + "[lecture]\ncolonnes_max = -3\n", "lecture.colonnes_max"),
        (GOOD + "[lecture]\ntaille_max_mo = true\n", "lecture.taille_max_mo"),
        (GOOD + '[lecture]\nratio_compression_max = "100"\n', "lecture.ratio_compression_max"),
        (GOOD + "[lecture]\nparties_max = 1.5\n", "lecture.parties_max"),
        (GOOD + "[lecture]\ncellules_max = 0\n", "lecture.cellules_max"),
        ("lecture = 3\n" + GOOD, "lecture"),
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


def test_reading_limits_default_and_documented(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, GOOD)).reading == ReadLimits()
    (tmp_path / "config.toml").write_text(default_config_text(), encoding="utf-8")
    assert load_config(tmp_path / "config.toml").reading == ReadLimits()  # the text says them
    text = GOOD + "[lecture]\ntaille_max_mo = 50\nlignes_max = 20_000\ncellules_max = 900\n"
    reading = load_config(write(tmp_path, text)).reading
    assert (reading.max_megabytes, reading.max_bytes, reading.max_rows, reading.max_cells) == (
        50, 50 * 1024 * 1024, 20_000, 900)
    assert (reading.max_columns, reading.max_parts, reading.max_ratio) == (1_000, 10_000, 200)


@pytest.mark.parametrize(("source", "same"), [
    ("r.xlsx", True), ("r.XLSM", True), ("r.ods", False), ("r.xls", False), ("r.xlsb", False),
])
def test_only_an_xlsx_source_receives_the_generated_tabs(tmp_path: Path, source: str,
                                                         same: bool) -> None:
    config = load_config(write(tmp_path, GOOD.replace('"r.xlsx"', f'"{source}"')))
    assert config.same_book() is same
    assert config.dashboard_path() == tmp_path / "tableau-de-bord.xlsx"


def test_coordination_workbook_is_a_path_beside_the_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD + '[coordination]\nclasseur = "coord.xlsx"\n'))
    assert config.coordination == tmp_path / "coord.xlsx"
    assert load_config(write(tmp_path, GOOD)).coordination is None  # a one-file campaign
    assert config.with_source("https://docs.google.com/spreadsheets/d/abc/edit"
                              ).coordination is None  # an Excel path is no Google sheet


def test_shared_tabs_never_include_a_coordinator_tab(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD + '[partenaires]\nonglets = ["Synthèse", '
                                                '"Relances"]\n'))
    assert config.shared_tabs() == {"Synthèse", "Complétude"}
    assert set(config.coordinator_tabs()) == {"Parrainages", "Relances", "Journal",
                                              "sheets-sync (état)"}


GOOGLE = GOOD.replace('chemin = "r.xlsx"', 'type = "google"\nclasseur = "abc"')


def test_onglets_dans_la_source_false_ignored_on_google(tmp_path: Path) -> None:
    """Bug: on Google the option was ignored; now it needs a coordinator spreadsheet."""
    text = GOOGLE + "onglets_dans_la_source = false\n"
    with pytest.raises(ConfigError, match=r"\[coordination\]"):
        load_config(write(tmp_path, text))
    config = load_config(write(tmp_path, text + '[coordination]\nclasseur = "def"\n'))
    assert config.coordination == "def" and not config.tabs_in_source
