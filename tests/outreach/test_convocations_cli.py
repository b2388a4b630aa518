"""Issue #17 item 4: `sheets-sync calendrier --ics DOSSIER --convocations` on the demo."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest

from ..helpers import run_cli

run = run_cli


@pytest.fixture
def demo(demo_folder: Path) -> Path:
    """The demo's config.toml."""
    return demo_folder / "demo" / "config.toml"


def test_calendrier_convocations_attach_the_files_written(demo: Path, tmp_path: Path) -> None:
    for _ in range(2):  # the second export reads the first one's SEQUENCEs
        code, out, err = run("calendrier", "--config", str(demo), "--ics", str(tmp_path),
                             "--convocations", "--quiet")
        assert code == 0, err
    drafts = sorted((tmp_path / "convocations").glob("*.eml"))
    assert drafts and f"Convocations : {len(drafts)} brouillons (.eml)" in out
    assert "aucun message n'a été envoyé" in out
    for path in drafts:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert message["X-Unsent"] == "1"
        (attachment,) = message.iter_attachments()
        assert attachment.get_filename() == f"{path.stem}.ics"
        assert attachment.get_payload(decode=True) == (tmp_path / f"{path.stem}.ics").read_bytes()


def test_calendrier_without_the_option_writes_no_draft(demo: Path, tmp_path: Path) -> None:
    code, out, err = run("calendrier", "--config", str(demo), "--ics", str(tmp_path), "--quiet")
    assert code == 0, err
    assert not (tmp_path / "convocations").exists() and "Convocations" not in out


def test_calendrier_convocations_folder_in_the_way_exits_2(demo: Path, tmp_path: Path) -> None:
    (tmp_path / "convocations").write_text("un fichier, pas un dossier")
    code, out, err = run("calendrier", "--config", str(demo), "--ics", str(tmp_path),
                         "--convocations", "--quiet")
    assert code == 2 and "Impossible de créer le dossier" in out + err
    assert "Traceback" not in out + err
