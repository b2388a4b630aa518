import dataclasses
import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync import config as config_module
from sheets_sync.ambassadors.matching.model import Weights
from sheets_sync.config import Limits, ReadLimits, Tabs, load_config, parse_config
from sheets_sync.config_schema import (
    REQUIRED,
    SCHEMA,
    TABLES,
    WEIGHT_SETTINGS,
    Setting,
    Table,
    check_schema,
)
from sheets_sync.errors import ConfigError
from sheets_sync.starter.campaign import default_config_text
from sheets_sync.starter.config_text import REFERENCE_DAY, config_text, reference_text

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
                                              "sheets-sync (état)", "Calendrier"}


GOOGLE = GOOD.replace('chemin = "r.xlsx"', 'type = "google"\nclasseur = "abc"')


def test_onglets_dans_la_source_false_ignored_on_google(tmp_path: Path) -> None:
    """Bug: on Google the option was ignored; now it needs a coordinator spreadsheet."""
    text = GOOGLE + "onglets_dans_la_source = false\n"
    with pytest.raises(ConfigError, match=r"\[coordination\]"):
        load_config(write(tmp_path, text))
    config = load_config(write(tmp_path, text + '[coordination]\nclasseur = "def"\n'))
    assert config.coordination == "def" and not config.tabs_in_source


# ── Issue #14: the schema ──────────────────────────────────────────────────────────────────


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return str(caught.value)


def test_misspelt_key_is_refused_with_its_line_and_the_closest_key(tmp_path: Path) -> None:
    """Bug (#14): « ambassadeur_par_classe » (no s) was silently ignored, default used."""
    text = GOOD + "[appariement]\nambassadeur_par_classe = 3\n"
    message = error_of(tmp_path, text)
    assert "ligne 10" in message and str(tmp_path / "config.toml") in message
    assert "ambassadeur_par_classe : clé inconnue" in message
    assert "vouliez-vous dire ambassadeurs_par_classe ?" in message


@pytest.mark.parametrize(("text", "line", "expected"), [
    (GOOD + "[apariement]\n", 9, "[apariement] : table inconnue — vouliez-vous dire appariement"),
    (GOOD.replace('chemin = "r.xlsx"', 'chemin = "r.xlsx"\nchemn = "x"'), 9,
     "chemn : clé inconnue dans [source] — vouliez-vous dire chemin ?"),
    (GOOD.replace("date_limite = 2021-07-16", "date_limite = 2021-07-16\ndate = 1"), 7,
     "date : clé inconnue dans [campagne.sessions[1]]"),
    (GOOD + "[appariement.poids]\nmot_communs = 3\n", 10, "vouliez-vous dire mot_commun ?"),
    (GOOD + "[onglets]\nclasseur = 'c.xlsx'\n", 10, "cette clé va dans [source] ou [coordination]"),
    (GOOD + "[controles]\nclasses_max = 0\n", 10,
     "« controles.classes_max » doit être un nombre entier positif (lu : 0)"),
    (GOOD + "[appariement]\npart_basse = 1.5\n", 10, "une part entre 0 et 1"),
    (GOOD + "[appariement.part_femmes]\nF = -0.1\n", 10, "appariement.part_femmes.F"),
    (GOOD + "[appariement]\ncommunes_locales = ['Roubaix', 3]\n", 10, "une liste de textes"),
    (GOOD + "[source]\n", 9, "déclarée deux fois (ligne 9, colonne"),
    (GOOD + "[lecture]\nlignes_max = \n", 10, "valeur invalide"),
])
def test_config_errors_name_the_line(tmp_path: Path, text: str, line: int,
                                     expected: str) -> None:
    message = error_of(tmp_path, text)
    assert expected in message
    assert f"ligne {line}" in message


def test_toml_syntax_error_is_in_french_with_line_and_column(tmp_path: Path) -> None:
    message = error_of(tmp_path, GOOD + "[lecture\n")
    assert message.endswith("« ] » attendu à la fin du nom de la table (ligne 9, colonne 9)")
    assert "Expected" not in error_of(tmp_path, 'nom = "sans fin\n')


def test_cli_exits_2_on_an_unknown_key(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sheets_sync.cli import main

    path = write(tmp_path, GOOD + "[appariement]\nambassadeur_par_classe = 3\n")
    result = CliRunner().invoke(main, ["check", "--config", str(path)])
    assert result.exit_code == 2
    assert "vouliez-vous dire ambassadeurs_par_classe" in result.output
    assert "Traceback" not in result.output


def test_parse_config_refuses_unknown_keys_too() -> None:
    data = tomllib.loads(GOOD + "[coordination]\nclasseurs = 'c.xlsx'\n")
    with pytest.raises(ConfigError, match="vouliez-vous dire classeur"):
        parse_config(data, ROOT)


def every_key_config() -> str:
    """A config.toml that sets every key of the schema, to its default or an example."""
    parts = []
    for table in SCHEMA:
        header = f"[[{table.name}]]" if table.array else f"[{table.name}]"
        lines = [header]
        for s in table.settings:
            value = s.example if s.example is not None else s.default
            if s.default is REQUIRED and s.example is None:
                value = {"nom": "Essai", "date_limite": dt.date(2021, 7, 16)}[s.key]
            if table.name == "source" and s.key == "type":
                value = "excel"
            lines.append(f"{s.key} = {tomli_value(value)}")
        lines += [f"{k} = {v}" for k, v in table.examples]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def tomli_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(tomli_value(v) for v in value) + "]"
    return str(value)


def test_every_key_of_the_schema_is_accepted_and_defaults_match(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, every_key_config()))
    assert config.coordination == tmp_path / "coordination.xlsx"
    assert config.reading == ReadLimits() and config.limits == Limits() and config.tabs == Tabs()
    assert config.matching.per_class == 2 and config.matching.women_share == {"F": 0.1,
                                                                              "M18": 0.2}
    assert config.matching.weights == dataclasses.asdict(Weights())


def test_every_key_parsed_is_in_the_schema() -> None:
    """parse_config reads no key the schema does not know (it would be refused)."""
    source = Path(config_module.__file__).read_text(encoding="utf-8")
    parser = source[source.index("def _sessions("):source.index("def load_config(")]
    read = set(re.findall(r'_(?:get|positive)\([^,]+, "([a-z_]+)"', parser))
    read |= set(re.findall(r'table\.get\("([a-z_]+)"', parser))
    known = {s.key for t in SCHEMA for s in t.settings} | {t.name.rpartition(".")[2]
                                                           for t in SCHEMA}
    assert read and read <= known, read - known
    assert {t.name for t in SCHEMA} >= {"coordination", "lecture", "appariement.poids"}
    assert [key for key, *_ in WEIGHT_SETTINGS] == list(config_module._WEIGHTS)


@given(st.sampled_from([(t, s) for t in SCHEMA for s in t.settings
                        if s.default not in (REQUIRED, None)]))
def test_a_default_is_valid_for_its_own_key(pair: tuple[Table, Setting]) -> None:
    """Writing a key's documented default is never refused (the docs cannot lie)."""
    table, setting = pair
    if setting.kind == "date" and setting.default in ("", None):
        return  # no default (« — »): the key is optional, absent means « not given »
    data: dict[str, dict[str, object]] = {
        "campagne": {"nom": "x", "annee_scolaire": "2026-2027",
                     "sessions": [{"nom": "S", "date_limite": dt.date(2021, 7, 16)}]},
        "source": {}}
    top, _, sub = table.name.partition(".")
    entry: dict[str, object] = {setting.key: setting.default}
    if table.array and table.name != "campagne.sessions":  # the other keys an item needs
        entry = {**{s.key: s.example for s in table.settings if s.default is REQUIRED}, **entry}
    value: object = [entry] if table.array else entry
    if sub:
        data.setdefault(top, {})[sub] = value
    elif table.array:
        data[top] = value  # type: ignore[assignment]
    else:
        data.setdefault(top, {}).update(entry)
    check_schema(data)
    parse_config(data, ROOT)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=30))
def test_any_unknown_key_is_refused(key: str) -> None:
    known = {s.key for s in TABLES["appariement"].settings} | {"part_femmes", "poids"}
    data = {"campagne": {"nom": "x", "sessions": [{"nom": "S", "date_limite":
                                                   dt.date(2021, 7, 16)}]},
            "source": {}, "appariement": {key: 1}}
    if key in known:
        return
    with pytest.raises(ConfigError, match=f"{key} : clé inconnue"):
        check_schema(data)


def test_shipped_config_is_the_one_the_schema_writes() -> None:
    """sheets_sync/resources/config.toml and docs/configuration.md cannot drift from the
    schema: regenerate both with `python -m sheets_sync.starter.config_text`."""
    assert default_config_text() == config_text(REFERENCE_DAY)
    assert (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8") == reference_text()


def test_reference_doc_lists_every_key() -> None:
    doc = reference_text()
    for table in SCHEMA:
        assert f"[{table.name}]" in doc
        for setting in table.settings:
            assert f"| `{setting.key}` |" in doc
