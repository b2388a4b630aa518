"""The Excel backend: reading grids, refusing bad files, writing generated tabs safely."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import shutil
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from sheets_sync.backends import excel
from sheets_sync.backends.excel import write as xlsx_write
from sheets_sync.cells.grid import MARKER, CellError, GeneratedTab, OutCell
from sheets_sync.errors import SourceChanged, SourceError, WriteRefused

from ...helpers import present
from .openpyxl_losses import lossy_content

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
REFERENCE_FILES = present(
    p for d in ("excel-made", "awkward") for p in (REFERENCE / d).glob("*.xls*")
)
BANNER = f"{MARKER} le 01/09/2021 — ne pas modifier"


def make_book(path: Path, build: Callable[[Any, Any], None], sheet: str = "Réponses") -> Path:
    """An xlsxwriter workbook with one input tab filled by `build(workbook, worksheet)`."""
    book = xlsxwriter.Workbook(str(path))
    build(book, book.add_worksheet(sheet))
    book.close()
    return path


def answers(book: Any, ws: Any) -> None:
    ws.write_row(0, 0, ["Nom de l'établissement participant", "classes de 4ème"])
    ws.write_row(1, 0, ["Collège Exemple", 2])
    ws.write_row(2, 0, ["Collège des Tests", 1])
    ws.data_validation("B2:B10", {"validate": "integer", "criteria": ">=", "value": 0})
    red = book.add_format({"bg_color": "#FFC7CE"})
    ws.conditional_format("B2:B10", {"type": "cell", "criteria": "<", "value": 0, "format": red})


def tab(name: str = "Synthèse", rows: tuple[tuple[OutCell, ...], ...] = ()) -> GeneratedTab:
    return GeneratedTab(
        name=name,
        banner=BANNER,
        title=f"Titre {name}",
        header=("Établissement", "Taux", "Date"),
        rows=rows
        or (
            (
                OutCell("=1+1", link="'Réponses'!A2"),
                OutCell(0.5, "percent"),
                OutCell(dt.date(2021, 7, 16), "date"),
            ),
            (OutCell("+33 6 00 00 00 00"), OutCell(3, "integer"), OutCell(None)),
            (OutCell("-moins"), OutCell("@arobase", "error"), OutCell(CellError("#N/A"))),
        ),
        widths=(30, 12, 14),
        notes=("Une note.",),
    )


def load(path: Path, **options: Any) -> Any:
    """openpyxl as an oracle; its warnings about what it does not read are not ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, **options)


def blank(value: Any) -> Any:
    """An empty string and an empty cell read the same."""
    return None if value == "" else value


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def values(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    book = load(path)
    try:
        return [tuple(c.value for c in row) for row in book[sheet].iter_rows()]
    finally:
        book.close()


# --- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_reads_every_reference_file_as_openpyxl_sees_it(path: Path) -> None:
    read = excel.read_workbook(path)
    assert read.fingerprint == sha(path)
    book = load(path, data_only=True)
    assert [g.sheet for g in read.grids] == book.sheetnames
    for grid in read.grids:
        sheet = book[grid.sheet]
        cells = getattr(sheet, "_cells", {})  # only the cells stored: no 1M-row scan
        for (r, c), cell in cells.items():
            got = grid.value(r, c)
            seen = got.text if isinstance(got, CellError) else got
            assert blank(seen) == blank(cell.value), (grid.sheet, r, c)
        last = max((r for (r, _), cell in cells.items() if cell.value not in (None, "")), default=0)
        assert len(grid.rows) == last
        assert grid.hidden == (sheet.sheet_state != "visible")
    book.close()


def test_values_types_errors_and_trimming(tmp_path: Path) -> None:
    def build(book: Any, ws: Any) -> None:
        ws.write_row(0, 0, ["texte", 3, 2.5, True])
        ws.write_datetime(
            1, 0, dt.datetime(2021, 7, 16), book.add_format({"num_format": "dd/mm/yyyy"})
        )
        ws.write_formula(1, 1, "=B1*2", None, 6)
        ws.write_formula(1, 2, "=1/0", None, "#DIV/0!")
        ws.write_formula(1, 3, "=NA()", None, "#N/A")
        ws.write_string(2, 0, "#N/A")  # typed text, not an error
        ws.write_blank(20, 10, None, book.add_format({"bold": True}))  # styled but empty
        book.add_worksheet("Cachée").hide()

    path = make_book(tmp_path / "types.xlsx", build)
    grids = excel.read_workbook(path).grids
    assert grids[0].rows == (
        ("texte", 3, 2.5, True),
        (dt.datetime(2021, 7, 16), 6, CellError("#DIV/0!"), CellError("#N/A")),
        ("#N/A", None, None, None),
    )
    assert (grids[0].tab, grids[0].sheet, grids[0].origin, grids[0].hidden) == (
        "Réponses",
        "Réponses",
        "types.xlsx",
        False,
    )
    assert (grids[1].sheet, grids[1].rows, grids[1].hidden) == ("Cachée", (), True)


def test_wrong_stored_dimension_hides_no_row() -> None:
    grid = excel.read_workbook(REFERENCE / "awkward" / "tablib__bad_dimensions.xlsx").grids[0]
    book = load(REFERENCE / "awkward" / "tablib__bad_dimensions.xlsx")
    assert len(grid.rows) == book.active.max_row == 4


def test_origin_name_prefixes_the_tab(tmp_path: Path) -> None:
    path = make_book(tmp_path / "college.xlsx", answers, sheet="Fiche")
    grid = excel.read_workbook(path, origin_name="college.xlsx").grids[0]
    assert (grid.tab, grid.sheet, grid.origin) == ("college.xlsx › Fiche", "Fiche", "college.xlsx")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("texte.xlsx", b"Nom;Adresse\nCollege;Rue\n", "n'est pas un classeur"),
        ("ancien.xls", OLE + "Workbook".encode("utf-16-le"), "97-2003"),
        ("ancien.xlsx", OLE + "Workbook".encode("utf-16-le"), "97-2003"),
        ("secret.xlsx", OLE + "EncryptionInfo".encode("utf-16-le"), "mot de passe"),
        ("vide.xlsx", b"", "n'est pas un classeur"),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        excel.read_workbook(path)
    assert type(info.value) is SourceError
    assert words in str(info.value) and name in str(info.value)


def test_corrupt_zips_become_source_errors(tmp_path: Path) -> None:
    good = make_book(tmp_path / "bon.xlsx", answers).read_bytes()
    truncated = tmp_path / "tronque.xlsx"
    truncated.write_bytes(good[: len(good) // 2] + good[-200:])
    no_book = tmp_path / "sans-classeur.xlsx"
    with zipfile.ZipFile(no_book, "w") as zf:
        zf.writestr("bonjour.txt", "rien")
    damaged = tmp_path / "abime.xlsx"
    buffer = bytearray(good)
    middle = len(buffer) // 2
    buffer[middle : middle + 64] = b"\x00" * 64
    damaged.write_bytes(bytes(buffer))
    for path in (truncated, no_book, damaged):
        with pytest.raises(SourceError, match=path.name):
            excel.read_workbook(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="introuvable"):
        excel.read_workbook(tmp_path / "absent.xlsx")
    (tmp_path / "dossier.xlsx").mkdir()
    with pytest.raises(SourceError, match="dossier"):
        excel.read_workbook(tmp_path / "dossier.xlsx")
    with pytest.raises(SourceError, match="introuvable"):
        excel.workbook_files(tmp_path / "absent")


def test_workbook_files_order_and_skips(tmp_path: Path) -> None:
    names = ("b.xlsx", "a.XLSM", "tableau-de-bord.xlsx", "~$b.xlsx", "._a.xlsx",
             "b.sauvegarde.xlsx")
    for name in names:
        make_book(tmp_path / name, answers, sheet="Fiche")
    (tmp_path / "notes.txt").write_text("pas une fiche")
    (tmp_path / "sous-dossier.xlsx").mkdir()
    files = excel.workbook_files(tmp_path, skip={"tableau-de-bord.xlsx"})
    assert [p.name for p in files] == ["a.XLSM", "b.xlsx"]
    reads = [excel.read_workbook(p, origin_name=p.name) for p in files]
    assert [r.grids[0].tab for r in reads] == ["a.XLSM › Fiche", "b.xlsx › Fiche"]


# --- writing ------------------------------------------------------------------------------


def test_new_workbook_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "tableau-de-bord.xlsx"
    assert excel.plan_write(path, [tab(), tab("Complétude")]) == [
        ("Synthèse", "créé"),
        ("Complétude", "créé"),
    ]
    assert excel.write_tabs(path, [tab(), tab("Complétude")], expected_fingerprint=None) is None
    book = load(path)
    assert book.sheetnames == ["Synthèse", "Complétude"]
    ws = book["Synthèse"]
    assert ws["A1"].value == BANNER and ws["A1"].font.i
    assert ws["A2"].value == "Titre Synthèse"
    assert [c.value for c in ws[4]] == ["Établissement", "Taux", "Date"]
    assert (
        ws["A4"].font.b
        and ws["A4"].alignment.wrap_text
        and ws["A4"].fill.fgColor.rgb.endswith("DDEBF7")
    )
    for cell, text in (
        ("A5", "=1+1"),
        ("A6", "+33 6 00 00 00 00"),
        ("A7", "-moins"),
        ("B7", "@arobase"),
    ):
        assert (ws[cell].value, ws[cell].data_type) == (text, "s")
    assert ws["A5"].hyperlink.location == "'Réponses'!A2" and not ws["A5"].hyperlink.target
    assert (ws["B5"].value, ws["B5"].number_format) == (0.5, "0 %")
    assert ws["C5"].number_format == "dd/mm/yyyy" and ws["C5"].value == dt.datetime(2021, 7, 16)
    assert (ws["B6"].value, ws["B6"].number_format) == (3, "0")
    assert ws["C7"].value == "#N/A" and ws["C7"].data_type == "s"
    assert ws["A9"].value == "Une note."
    assert ws.freeze_panes == "A5"
    assert ws.protection.sheet and not ws.protection.password
    assert [ws.column_dimensions[c].width for c in "ABC"] == [30, 12, 14]
    book.close()
    grid = excel.read_workbook(path).grids[0]
    assert grid.value(5, 1) == "=1+1" and grid.value(7, 3) == "#N/A"
    assert excel.plan_write(path, [tab(), tab("Autre")]) == [
        ("Synthèse", "remplacé"),
        ("Autre", "créé"),
    ]


def test_write_keeps_input_tabs_and_is_idempotent(tmp_path: Path) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    original = path.read_bytes()
    before = values(path, "Réponses")
    fingerprint = excel.read_workbook(path).fingerprint
    saved = excel.write_tabs(path, [tab(), tab("Complétude")], expected_fingerprint=fingerprint)
    assert saved == tmp_path / "campagne.sauvegarde.xlsx"
    assert saved.read_bytes() == original
    first = {name: values(path, name) for name in ("Synthèse", "Complétude")}
    second_fp = excel.file_fingerprint(path)
    saved = excel.write_tabs(path, [tab(), tab("Complétude")], expected_fingerprint=second_fp)
    assert saved is not None and sha(saved) == second_fp
    book = load(path)
    assert book.sheetnames == ["Réponses", "Synthèse", "Complétude"]
    ws = book["Réponses"]
    assert [str(v.sqref) for v in ws.data_validations.dataValidation] == ["B2:B10"]
    assert [str(r.sqref) for r in ws.conditional_formatting] == ["B2:B10"]
    book.close()
    assert values(path, "Réponses") == before
    assert {name: values(path, name) for name in first} == first
    # a generated tab no longer asked for goes away; ours are never duplicated
    excel.write_tabs(path, [tab("Complétude")], expected_fingerprint=None, backup=False)
    assert load(path).sheetnames == ["Réponses", "Complétude"]


def test_xlsm_keeps_its_macros_and_extension(tmp_path: Path) -> None:
    path = tmp_path / "campagne.xlsm"
    shutil.copy(REFERENCE / "excel-made" / "macro01.xlsm", path)
    path.chmod(0o644)
    vba = zipfile.ZipFile(path).read("xl/vbaProject.bin")
    saved = excel.write_tabs(path, [tab()], expected_fingerprint=None)
    assert saved == tmp_path / "campagne.sauvegarde.xlsm"
    with zipfile.ZipFile(path) as zf:
        assert zf.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled" in zf.read("[Content_Types].xml")
    assert [g.sheet for g in excel.read_workbook(path).grids] == ["Sheet1", "Synthèse"]


def test_someones_tab_is_never_overwritten(tmp_path: Path) -> None:
    def build(book: Any, ws: Any) -> None:
        answers(book, ws)
        book.add_worksheet("synthèse").write("A1", "Mon tableau à moi")

    path = make_book(tmp_path / "campagne.xlsx", build)
    original = path.read_bytes()
    with pytest.raises(WriteRefused, match="« synthèse »"):
        excel.plan_write(path, [tab()])
    with pytest.raises(WriteRefused, match="« synthèse »"):
        excel.write_tabs(path, [tab()], expected_fingerprint=None)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campagne.xlsx"]


def test_fingerprint_change_is_detected(tmp_path: Path) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    original = path.read_bytes()
    with pytest.raises(SourceChanged, match="modifié pendant la synchronisation"):
        excel.write_tabs(path, [tab()], expected_fingerprint="0" * 64)
    assert path.read_bytes() == original
    with pytest.raises(SourceChanged):
        excel.write_tabs(tmp_path / "disparu.xlsx", [tab()], expected_fingerprint=sha(path))


def test_change_while_saving_is_detected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    real_save = xlsx_write._save

    def save_then_someone_edits(book: Any, temp: Path) -> None:
        real_save(book, temp)
        make_book(path, lambda b, ws: ws.write("A1", "saisi pendant la synchro"))

    monkeypatch.setattr(xlsx_write, "_save", save_then_someone_edits)
    fingerprint = excel.file_fingerprint(path)
    with pytest.raises(SourceChanged):
        excel.write_tabs(path, [tab()], expected_fingerprint=fingerprint)
    assert excel.read_workbook(path).grids[0].rows == (("saisi pendant la synchro",),)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campagne.xlsx"]


@pytest.mark.parametrize("failure", [RuntimeError("panne"), OSError(28, "No space left")])
def test_failed_save_leaves_source_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    original = path.read_bytes()

    def broken_save(package: bytes, temp: Path) -> None:
        temp.write_bytes(b"PK\x03\x04 half a zip")
        raise failure

    monkeypatch.setattr(xlsx_write, "_save", broken_save)
    expected = WriteRefused if isinstance(failure, OSError) else RuntimeError
    with pytest.raises(expected):
        excel.write_tabs(path, [tab()], expected_fingerprint=None)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campagne.xlsx"]


def test_failed_replace_leaves_source_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    original = path.read_bytes()
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst) == path:
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(xlsx_write.os, "replace", replace)
    with pytest.raises(WriteRefused, match="n'a pas été modifié"):
        excel.write_tabs(path, [tab()], expected_fingerprint=None)
    assert path.read_bytes() == original
    # the backup of the untouched original may stay; no temp file does
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "campagne.sauvegarde.xlsx",
        "campagne.xlsx",
    ]
    assert (tmp_path / "campagne.sauvegarde.xlsx").read_bytes() == original


@pytest.mark.parametrize(("owner", "app"), [("~$campagne.xlsx", "Excel"),
                                            (".~lock.campagne.xlsx#", "LibreOffice")])
def test_open_in_excel_is_refused(tmp_path: Path, owner: str, app: str) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    original = path.read_bytes()
    (tmp_path / owner).write_bytes(b"owner")
    with pytest.raises(WriteRefused, match=f"ouvert dans {app}") as info:
        excel.write_tabs(path, [tab()], expected_fingerprint=None)
    assert "fermez-le puis relancez" in str(info.value) and owner in str(info.value)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["campagne.xlsx", owner])
    assert xlsx_write.write_obstacles(path) == [str(info.value).removesuffix(
        " Rien n'a été écrit.")]


def test_read_only_workbook_is_refused_even_where_the_folder_allows(tmp_path: Path) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    original = path.read_bytes()
    path.chmod(0o444)  # no write bit: refused even for root, whom permissions do not stop
    try:
        with pytest.raises(WriteRefused, match=r"campagne\.xlsx est en lecture seule"):
            excel.write_tabs(path, [tab()], expected_fingerprint=None)
        assert path.read_bytes() == original
        assert sorted(p.name for p in tmp_path.iterdir()) == ["campagne.xlsx"]
    finally:
        path.chmod(0o644)
    assert excel.write_tabs(path, [tab()], expected_fingerprint=None) is not None


@pytest.mark.parametrize(("code", "why"), [
    (errno.ENOSPC, "espace insuffisant"), (errno.EDQUOT, "espace insuffisant"),
    (errno.EFBIG, "espace insuffisant"), (errno.EACCES, "permission refusée"),
    (errno.EPERM, "permission refusée"), (errno.EROFS, "disque en lecture seule"),
    (errno.EBUSY, "fichier utilisé par un autre programme"), (errno.EIO, "erreur du système"),
])
def test_disk_problems_are_told_in_french(code: int, why: str) -> None:
    told, todo = xlsx_write.disk_problem(OSError(code, os.strerror(code)))
    assert told.startswith(why)
    assert "relancez" in todo


def test_a_killed_write_leaves_only_names_we_clean(tmp_path: Path) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    with xlsx_write._temporary(path) as temp, \
            xlsx_write._temporary(xlsx_write.backup_path(path)) as backup_temp:
        assert xlsx_write.stale_temp_files(path) == sorted([temp, backup_temp])
    assert xlsx_write.stale_temp_files(path) == []


@pytest.mark.parametrize("name", ["Synthèse/2021", "x" * 32, "", "'Synthèse'"])
def test_impossible_tab_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(WriteRefused, match="Nom d'onglet"):
        excel.write_tabs(tmp_path / "t.xlsx", [tab(name)], expected_fingerprint=None)
    assert not (tmp_path / "t.xlsx").exists()


def test_file_mode_is_kept(tmp_path: Path) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    path.chmod(0o640)
    excel.write_tabs(path, [tab()], expected_fingerprint=None)
    assert path.stat().st_mode & 0o777 == 0o640


def test_written_workbook_reads_back_through_the_reader(tmp_path: Path) -> None:
    path = make_book(tmp_path / "campagne.xlsx", answers)
    excel.write_tabs(path, [tab()], expected_fingerprint=None)
    grids = {g.sheet: g for g in excel.read_workbook(path).grids}
    assert grids["Synthèse"].value(1, 1) == BANNER
    assert grids["Synthèse"].value(6, 1) == "+33 6 00 00 00 00"
    assert grids["Réponses"].rows == (
        ("Nom de l'établissement participant", "classes de 4ème"),
        ("Collège Exemple", 2),
        ("Collège des Tests", 1),
    )


def test_text_typed_like_a_formula_in_input_tabs_stays_text(tmp_path: Path) -> None:
    def build(book: Any, ws: Any) -> None:
        ws.write_string("A1", "=pas une formule")
        ws.write_string("A2", "+33 6 00 00 00 00")

    path = make_book(tmp_path / "campagne.xlsx", build)
    excel.write_tabs(path, [tab()], expected_fingerprint=None)
    ws = load(path)["Réponses"]
    assert [(c.value, c.data_type) for c in ws["A"]] == [
        ("=pas une formule", "s"),
        ("+33 6 00 00 00 00", "s"),
    ]
    assert lossy_content(path) == []


def test_dates_and_times_get_french_formats(tmp_path: Path) -> None:
    rows = (
        (
            OutCell(dt.datetime(2021, 9, 10, 14, 30)),
            OutCell(dt.time(8, 15)),
            OutCell(dt.date(2021, 7, 16)),
        ),
    )
    path = tmp_path / "t.xlsx"
    excel.write_tabs(path, [tab(rows=rows)], expected_fingerprint=None)
    ws = load(path)["Synthèse"]
    assert [c.number_format for c in ws[5]] == ["dd/mm/yyyy hh:mm", "hh:mm", "dd/mm/yyyy"]


def test_damaged_package_is_a_source_error_for_every_entry_point(tmp_path: Path) -> None:
    path = tmp_path / "abime.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("_rels/.rels", "pas du xml <")
    for call in (
        lambda: excel.plan_write(path, [tab()]),
        lambda: excel.write_tabs(path, [tab()], expected_fingerprint=None),
        lambda: excel.read_workbook(path),
    ):
        with pytest.raises(SourceError, match=r"abime\.xlsx"):
            call()


def test_ooxml_escapes_are_undone_in_one_pass() -> None:
    from sheets_sync.backends.excel.read import unescape

    assert unescape("A_x000D_B") == "A\rB"
    assert unescape("_x005F_x000D_") == "_x000D_"  # a literal « _x000D_ » typed by someone
    assert unescape("sans échappement") == "sans échappement"
