"""Google: the spreadsheet principals edit gets no roster and no coordinator tab (issue #13).

The real gspread client against our emulator: the coordinator tabs go to the coordinator
spreadsheet named in config, in a batchUpdate of its own; a one-file campaign is warned.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cells.grid import is_generated
from sheets_sync.cli import main
from sheets_sync.emulator import SheetsEmulator
from sheets_sync.form.model import ANSWER_FIELDS, ROSTER_FIELDS
from sheets_sync.starter.campaign import default_config_text
from sheets_sync.starter.fictional import demo_roster

from ...helpers import COMPLETE_NO, COMPLETE_YES, KEYS

COORDINATOR_TABS = ("Parrainages", "Relances", "Journal", "sheets-sync (état)")
ROSTER = demo_roster(size=6)


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emu:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", emu.host)
        yield emu


def _answers() -> list[list[object]]:
    header = [f.label for f in ANSWER_FIELDS]
    return [header, *([a.get(k, "") for k in KEYS] for a in (COMPLETE_YES, COMPLETE_NO))]


def _roster() -> list[list[object]]:
    return [[f.label for f in ROSTER_FIELDS],
            *([m.get(f.key, "") for f in ROSTER_FIELDS] for m in ROSTER)]


def _config(folder: Path, source: str, coordination: str | None = None, *,
            tabs_in_source: bool = True) -> Path:
    text = default_config_text().replace('type = "excel"', 'type = "google"').replace(
        'chemin = "reponses.xlsx"', f'classeur = "{source}"')
    if not tabs_in_source:
        text = text.replace("onglets_dans_la_source = true", "onglets_dans_la_source = false")
    if coordination is not None:
        text += f'\n[coordination]\nclasseur = "{coordination}"\n'
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _texts(emu: SheetsEmulator, key: str) -> str:
    book = emu.spreadsheet(key)
    values = [book.tab(t.properties["title"]).values() for t in book.sheets]
    return json.dumps(values, ensure_ascii=False)


def test_shared_spreadsheet_holds_no_contact_and_no_coordinator_tab(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    shared = emulator.create_spreadsheet("Campagne", {"Réponses": _answers()})
    coordination = emulator.create_spreadsheet(
        "Coordination", {"Ambassadeurs": _roster(), "Ajustements": [["Classe", "Ambassadeur",
                                                                       "Décision"]]})
    config = _config(tmp_path, shared, coordination)
    code, out, err = _run("sync", "--config", str(config))
    assert code == 0, out + err
    titles = [t.properties["title"] for t in emulator.spreadsheet(shared).sheets]
    assert not set(COORDINATOR_TABS) & set(titles)
    assert {"Synthèse", "Complétude"} <= set(titles)
    text = _texts(emulator, shared)
    for member in ROSTER:
        assert member["courriel"] not in text and member["telephone"] not in text
    book = emulator.spreadsheet(coordination)
    for name in COORDINATOR_TABS:
        assert is_generated(book.tab(name).values()[0][0])
    assert book.tab("Ambassadeurs").values() == _roster()
    assert "classeur-partage-expose" not in out


def test_each_spreadsheet_is_written_in_one_batch_update(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    shared = emulator.create_spreadsheet("Campagne", {"Réponses": _answers()})
    coordination = emulator.create_spreadsheet("Coordination", {"Ambassadeurs": _roster()})
    config = _config(tmp_path, shared, coordination)
    emulator.clear_log()
    code, out, err = _run("sync", "--config", str(config))
    assert code == 0, out + err
    updates = [r.path for r in emulator.requests if r.path.endswith(":batchUpdate")]
    assert sorted(p.rsplit("/", 1)[-1].split(":")[0] for p in updates) == sorted(
        [shared, coordination])
    # a second sync keeps what coordinators typed in the roster
    code, _, _ = _run("sync", "--config", str(config))
    assert code == 0
    assert emulator.spreadsheet(coordination).tab("Ambassadeurs").values() == _roster()


def test_one_file_google_campaign_is_warned(emulator: SheetsEmulator, tmp_path: Path) -> None:
    shared = emulator.create_spreadsheet("Campagne", {"Réponses": _answers(),
                                                      "Ambassadeurs": _roster()})
    config = _config(tmp_path, shared)
    code, out, _ = _run("check", "--config", str(config), "--json")
    issues = json.loads(out)["issues"]
    assert [i["code"] for i in issues if i["code"] == "classeur-partage-expose"] == [
        "classeur-partage-expose"]
    code, out, err = _run("sync", "--config", str(config))
    assert code == 0, out + err
    assert "classeur-partage-expose" in out
    titles = [t.properties["title"] for t in emulator.spreadsheet(shared).sheets]
    assert set(COORDINATOR_TABS) <= set(titles)  # as before: nothing moves without the key


def test_onglets_dans_la_source_false_ignored_on_google(
    emulator: SheetsEmulator, tmp_path: Path
) -> None:
    """Bug: `onglets_dans_la_source = false` put every coordinator tab in the shared sheet."""
    shared = emulator.create_spreadsheet("Campagne", {"Réponses": _answers()})
    config = _config(tmp_path, shared, tabs_in_source=False)
    code, out, err = _run("sync", "--config", str(config))
    assert code == 2 and "[coordination]" in out + err
    assert [t.properties["title"] for t in emulator.spreadsheet(shared).sheets] == ["Réponses"]
    coordination = emulator.create_spreadsheet("Coordination", {"Ambassadeurs": _roster()})
    config = _config(tmp_path, shared, coordination, tabs_in_source=False)
    code, out, err = _run("sync", "--config", str(config))
    assert code == 0, out + err
    titles = [t.properties["title"] for t in emulator.spreadsheet(shared).sheets]
    assert not set(COORDINATOR_TABS) & set(titles)
