"""The whole sync on a Google spreadsheet, through real gspread and our emulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cells.grid import is_generated
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.emulator import SheetsEmulator
from sheets_sync.form.model import ANSWER_FIELDS

from ...conftest import MakeCampaign
from ...helpers import COMPLETE_NO, COMPLETE_YES, KEYS

HEADER = [f.label for f in ANSWER_FIELDS]


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emu:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", emu.host)
        yield emu


def spreadsheet(emu: SheetsEmulator, *answers: dict[str, object]) -> str:
    rows = [HEADER, *([a.get(k, "") for k in KEYS] for a in answers)]
    return emu.create_spreadsheet("Campagne", {"Réponses": rows, "Ambassadeurs": [["Prénom"]]})


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_sync_costs_three_requests_and_leaves_inputs_untouched(
    emulator: SheetsEmulator, make_campaign: MakeCampaign
) -> None:
    config = make_campaign()
    key = spreadsheet(emulator, COMPLETE_YES, {**COMPLETE_YES, "etablissement": "Collège B",
                                               "objectifs": ""})
    before = emulator.spreadsheet(key).tab("Réponses").values()
    emulator.clear_log()
    code, out, err = run("sync", "--config", str(config.path), "--source", key, "--strict")
    assert code == 1, out + err  # written, and one answer is incomplete (--strict)
    methods = [(r.method, r.path.rsplit("/", 1)[-1]) for r in emulator.requests]
    assert len(methods) == 3 and methods[-1][1].endswith(":batchUpdate")
    book = emulator.spreadsheet(key)
    assert book.tab("Réponses").values() == before
    for name in ("Synthèse", "Complétude", "Relances", "sheets-sync (état)"):
        assert is_generated(book.tab(name).values()[0][0])
    complétude = book.tab("Complétude").values()
    assert complétude[4][:4] == ["Collège des Essais", "Réponses", 2, "Complet"]
    # a second sync replaces the tabs with the same content, still in 3 requests
    emulator.clear_log()
    code, _, _ = run("sync", "--config", str(config.path), "--source", key)
    assert len(emulator.requests) == 3
    again = emulator.spreadsheet(key)
    assert again.tab("Complétude").values()[1:] == complétude[1:]
    assert again.tab("Réponses").values() == before


def test_check_json_on_google(emulator: SheetsEmulator, make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    key = spreadsheet(emulator, COMPLETE_YES, COMPLETE_NO)
    code, out, _ = run("check", "--config", str(config.path), "--source", key, "--json")
    assert code == 0
    assert [s["status"] for s in json.loads(out)["schools"]] == ["complet", "ne-participe-pas"]


def test_google_config_keys(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[campagne]\nnom = "x"\n[[campagne.sessions]]\nnom = "S1"\ndate_limite = 2021-07-16\n'
        '[source]\ntype = "google"\nclasseur = "https://docs.google.com/spreadsheets/d/abc/edit"\n'
        'identifiants = "cle.json"\nattente_max = 30\n', encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    assert config.google is not None and config.same_book()
    assert config.google.credentials == tmp_path / "cle.json" and config.google.max_wait == 30


def test_unknown_spreadsheet_exits_2_in_french(emulator: SheetsEmulator,
                                               make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    code, _, err = run("check", "--config", str(config.path), "--source", "x" * 44)
    assert code == 2 and err.startswith("Erreur :") and "Traceback" not in err
