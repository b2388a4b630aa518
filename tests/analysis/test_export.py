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
    assert result.exit_code == 2 and "est un fichier" in result.output  # in French
    assert (tmp_path / "x").read_text() == ""
    with pytest.raises(WriteRefused, match="est un fichier"):  # the library's
        export_campaign(demo, tmp_path / "x", "csv")


def test_export_is_in_the_help() -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    assert "--partenaires" in result.output and "Codes de sortie" in result.output


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def test_a_new_export_removes_every_earlier_export_file_and_nothing_else(
        demo: Config, tmp_path: Path) -> None:
    """`export -o X` then `export -o X --partenaires` left constats.csv and the full tables."""
    out = tmp_path / "x"
    for fmt in ("parquet", "xlsx", "csv"):
        assert export(demo, out, "--format", fmt).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.csv" for n in (
        "reponses", "constats", "classes", "ambassadeurs", "parrainages"))
    for name in ("reponses.parquet", "constats.parquet", "campagne.xlsx"):  # an older export
        (out / name).write_bytes(b"ancien")
    mine = {"notes.txt": b"a moi", "constats.csv.bak": b"b", "Reponses.CSV.old": b"c"}
    for name, data in mine.items():
        (out / name).write_bytes(data)
    (out / "sous-dossier").mkdir()
    (out / "sous-dossier" / "constats.csv").write_bytes(b"d")
    result = export(demo, out, "--partenaires")
    assert result.exit_code == 0, result.output
    tree = _tree(out)
    assert sorted(tree) == sorted([*mine, "sous-dossier", "sous-dossier/constats.csv",
                                   "ambassadeurs.csv", "classes.csv", "parrainages.csv",
                                   "reponses.csv"])
    assert all(tree[n] == d for n, d in mine.items())
    assert tree["sous-dossier/constats.csv"] == b"d"
    header = (out / "reponses.csv").read_text("utf-8-sig").splitlines()[0]
    assert "adresse" not in header.split(";")  # the partner columns only


def test_a_failed_export_changes_nothing_and_says_why_in_french(
        demo: Config, tmp_path: Path) -> None:
    """A folder named like a table file: refused before anything is written or removed."""
    out = tmp_path / "o4"
    assert export(demo, out, "--format", "parquet").exit_code == 0
    (out / "constats.csv").mkdir()
    before = _tree(out)
    result = export(demo, out)
    assert result.exit_code == 2
    assert "c'est un dossier" in result.output and "rien n'a été exporté" in result.output
    assert "Is a directory" not in result.output and "Traceback" not in result.output
    assert _tree(out) == before  # the parquet export is still there, no temporary folder


def test_a_failure_while_writing_leaves_the_folder_as_it_was(
        demo: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up at the third table: no file of the new export, none removed."""
    import errno

    from sheets_sync.backends import tables

    out = tmp_path / "o5"
    assert export(demo, out, "--format", "xlsx").exit_code == 0
    before = _tree(out)
    written = []

    def full_disk(frame: Any) -> bytes:
        written.append(frame)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return b"x"

    monkeypatch.setattr(tables, "csv_bytes", full_disk)
    with pytest.raises(WriteRefused, match=r"espace insuffisant.*rien n'a été exporté") as info:
        export_campaign(demo, out, "csv")
    assert "No space" not in str(info.value)
    assert len(written) == 3 and _tree(out) == before


def test_xlsx_keeps_texts_that_read_like_missing_values() -> None:
    """« nan », « NaT », « <NA> » typed as text stay; a missing value is an empty cell."""
    import io

    from sheets_sync.backends.tables import xlsx_bytes

    frame = pd.DataFrame({"t": pd.Series(["nan", "NaT", "<NA>", None, "None"], dtype="string"),
                          "n": pd.Series([1, None, 3, 4, 5], dtype="Int64"),
                          "f": [float("nan"), 1.5, 2.0, 3.0, 4.0],
                          "d": pd.to_datetime(["2021-07-16", None, None, None, None])})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"t": frame})))
    rows = [[c.value for c in r] for r in book["t"].iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["nan", "NaT", "<NA>", None, "None"]
    assert [r[1] for r in rows] == [1, None, 3, 4, 5]
    assert [r[2] for r in rows] == [None, 1.5, 2, 3, 4]
    assert rows[1][3] is None and rows[0][3] is not None


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
@pytest.mark.parametrize("partners", [False, True])
def test_contact_typed_in_a_school_name_or_theme_is_in_no_exported_file(
        make_campaign: MakeCampaign, tmp_path: Path, fmt: str, partners: bool) -> None:
    """Also in the de-punctuated forms the keys gave (« ac lille fr », « 33612345678 »)."""
    from .test_frames import LEAKY_NAME, LEAKY_THEME, leaks

    people = [{"prenom": "Nadia", "nom": "BENALI", "metier": "Data analyste",
               "secteur": "Numérique", "courriel": "nadia@exemple.org"}]
    config = make_campaign([{**COMPLETE_YES, "etablissement": LEAKY_NAME,
                             "theme": LEAKY_THEME}], roster=people)
    result = export(config, tmp_path / "o", "--format", fmt,
                    *(("--partenaires",) if partners else ()))
    assert result.exit_code == 0, result.output
    texts = [t for p in sorted((tmp_path / "o").iterdir()) for t in _texts(p)]
    assert texts and not [f for t in texts for f in leaks(t)]
