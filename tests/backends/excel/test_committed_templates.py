"""The templates committed under templates/ are what the code generates today."""

from pathlib import Path

import pytest

from sheets_sync.config import load_config
from sheets_sync.outreach.texts import default_message_texts
from sheets_sync.starter.campaign import write_template

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_CONFIG = ROOT / "sheets_sync" / "resources" / "config.toml"


@pytest.mark.parametrize("layout", ["tableau", "fiche"])
def test_committed_workbook_templates_are_fresh(layout: str, tmp_path: Path) -> None:
    fresh = tmp_path / f"modele-{layout}.xlsx"
    write_template(fresh, layout, load_config(DEFAULT_CONFIG))
    committed = ROOT / "templates" / f"modele-{layout}.xlsx"
    assert committed.read_bytes() == fresh.read_bytes(), (
        f"templates/modele-{layout}.xlsx est périmé : sheets-sync template --layout {layout} "
        f"--config sheets_sync/resources/config.toml -o templates/modele-{layout}.xlsx --force"
    )


def test_committed_message_templates_are_the_built_in_ones() -> None:
    for name, text in default_message_texts().items():
        assert (ROOT / "templates" / name).read_text(encoding="utf-8") == text, name
