"""`sheets-sync export` (issue #18): CSV and Parquet round-trip to the same frames, xlsx keeps
texts as text, `--partenaires` holds no e-mail, phone or unconsented name, nothing else is
written, and a missing pandas/pyarrow is one French line and exit 2."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from sheets_sync.analysis import open_campaign
from sheets_sync.analysis.export import export_campaign, read_export
from sheets_sync.analysis.frames import session_names
from sheets_sync.cli import main
from sheets_sync.config import Config
from sheets_sync.errors import WriteRefused
from sheets_sync.form.contacts import find_contacts
from sheets_sync.starter.campaign import demo_roster

from ..conftest import MakeCampaign
from ..helpers import COMPLETE_YES
from .conftest import workbook_files


def export(config: Config, folder: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["export", "--config", str(config.path), "-o",
                                       str(folder), *args])
    return result


@pytest.fixture(scope="module")
def frames(demo: Config) -> dict[str, Any]:
    return open_campaign(demo).tables()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_round_trips_to_the_same_frames(demo: Config, frames: dict[str, Any],
                                               tmp_path: Path, fmt: str) -> None:
    before = workbook_files(demo)
    result = export(demo, tmp_path / "out", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"5 fichiers {fmt} dans {tmp_path / 'out'} ; aucun classeur n'a été modifié.")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{n}.{fmt}" for n in frames)
    back = read_export(tmp_path / "out", fmt, session_names(demo))
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(back[name], frame)
    assert workbook_files(demo) == before  # « depuis » and sessions: computed, not written


def test_parquet_keeps_dtypes_for_plain_pandas(demo: Config, frames: dict[str, Any],
                                               tmp_path: Path) -> None:
    assert export(demo, tmp_path, "--format", "parquet").exit_code == 0
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / f"{name}.parquet"), frame)


def test_csv_is_what_excel_fr_opens(demo: Config, tmp_path: Path) -> None:
    assert export(demo, tmp_path).exit_code == 0  # csv by default
    raw = (tmp_path / "reponses.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    header, first = raw.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("cle;etablissement;adresse;")
    fields = dict(zip(header.split(";"), first.split(";"), strict=True))
    assert fields["participation"] in ("Oui", "Non")
    assert fields["date_depot"] == "2021-08-28"


def test_formula_like_text_stays_text(make_campaign: MakeCampaign, tmp_path: Path) -> None:
    """A title typed « =1+1 » or « @SOMME(A1) » is text in CSV and xlsx, never a formula."""
    config = make_campaign([{**COMPLETE_YES, "titre": "=1+1", "theme": "@SOMME(A1)"}])
    assert export(config, tmp_path / "csv").exit_code == 0
    text = (tmp_path / "csv" / "reponses.csv").read_text("utf-8-sig")
    assert ";'=1+1;" in text and ";'@SOMME(A1);" in text
    back = read_export(tmp_path / "csv", "csv", session_names(config))["reponses"]
    assert back.loc[0, "titre"] == "=1+1" and back.loc[0, "theme"] == "@SOMME(A1)"
    assert export(config, tmp_path / "xlsx", "--format", "xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "xlsx" / "campagne.xlsx")["reponses"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index("titre") + 1)
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_xlsx_has_one_tab_per_table(demo: Config, frames: dict[str, Any],
                                    tmp_path: Path) -> None:
    assert export(demo, tmp_path, "--format", "xlsx").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "campagne.xlsx")
    assert book.sheetnames == list(frames)
    for name, frame in frames.items():
        assert [c.value for c in book[name][1]] == list(frame.columns)
        assert book[name].max_row == len(frame) + 1


def _texts(path: Path) -> list[str]:
    """Every text a file holds, as a reader of that format sees it."""
    if path.suffix == ".csv":
        return [path.read_text("utf-8-sig")]
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        return [*map(str, frame.columns), *(str(v) for c in frame for v in frame[c].dropna())]
    with zipfile.ZipFile(path) as book:
        return [book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml")]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_partner_export_holds_no_email_phone_or_unconsented_name(
        demo: Config, tmp_path: Path, fmt: str) -> None:
    result = export(demo, tmp_path, "--format", fmt, "--partenaires")
    assert result.exit_code == 0, result.output
    assert "(partenaires)" in result.output
    files = sorted(tmp_path.iterdir())
    assert files
    texts = [t for p in files for t in _texts(p)]
    assert not [f for t in texts for f in find_contacts(t)]
    joined = "\n".join(texts)
    roster = demo_roster()
    consented = {f"{m['prenom']} {m['nom']}" for m in roster if m["consentement"] == "Oui"}
    for member in roster:
        assert member["courriel"] not in joined
        assert member["telephone"].replace(" ", "") not in joined.replace(" ", "")
        name = f"{member['prenom']} {member['nom']}"
        if name not in consented:  # (fictional names repeat: a namesake may have consented)
            assert name not in joined
    assert "constats" not in " ".join(p.name for p in files)


def test_default_export_holds_no_email_or_phone_either(demo: Config, tmp_path: Path) -> None:
    assert export(demo, tmp_path).exit_code == 0
    assert not [f for p in tmp_path.iterdir() for t in _texts(p) for f in find_contacts(t)]


@pytest.mark.parametrize(("fmt", "module"), [("csv", "pandas"), ("parquet", "pyarrow"),
                                             ("xlsx", "pandas")])
def test_export_without_the_extra_says_how_to_install_it(
        demo: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str,
        module: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # `import module` now fails
    result = export(demo, tmp_path / "out", "--format", fmt)
    assert result.exit_code == 2
    assert f"« {module} »" in result.output
    assert "pip install 'sheets-sync[analyse]'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_export_to_a_file_is_refused(demo: Config, tmp_path: Path) -> None:
    (tmp_path / "x").write_text("")
    result = export(demo, tmp_path / "x")
    assert result.exit_code == 2 and "/x' is a file" in result.output  # click's own check
    assert (tmp_path / "x").read_text() == ""
    with pytest.raises(WriteRefused, match="est un fichier"):  # the library's
        export_campaign(demo, tmp_path / "x", "csv")


def test_export_is_in_the_help() -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    assert "--partenaires" in result.output and "Codes de sortie" in result.output
