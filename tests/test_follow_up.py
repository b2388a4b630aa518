"""Issue #17 item 5: `suivi --preparer` adds the rows of new classes to « Suivi de l'année »
and never changes a typed cell — in Excel (only the tab's sheet part gains rows, every other
zip member copied as it was) and in Google Sheets (one batchUpdate); « Suivi de l'année »
edits survive every sync byte for byte."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from sheets_sync.backends.excel.package_index import Package, sheet_entries, workbook_part
from sheets_sync.backends.excel.read import read_workbook
from sheets_sync.backends.files.sync_lock import hold, lock_path
from sheets_sync.config import Config, load_config
from sheets_sync.emulator import SheetsEmulator
from sheets_sync.errors import ConfigError, SourceChanged, WriteRefused
from sheets_sync.follow_up import follow_up_workbook, prepare_follow_up, read_follow_up_tab
from sheets_sync.form.model import ANSWER_FIELDS
from sheets_sync.schoolyear.tracking import HEADER
from sheets_sync.starter.campaign import default_config_text, write_template
from sheets_sync.sync import sync

from .helpers import COMPLETE_NO, COMPLETE_YES, KEYS, need_apps
from .schoolyear.test_config import YEAR

TAB = "Suivi de l'année"
NOW = dt.datetime(2026, 10, 1, 9, 30)
LATER = dt.datetime(2026, 11, 5, 17, 0)
# COMPLETE_YES: 1 class of 4e and 2 of 3e; YEAR: lancement, immersion; default productions:
# fiche métier, portrait — 4 rows a class.
PER_CLASS = 4


@pytest.fixture
def campaign(tmp_path: Path) -> Config:
    (tmp_path / "config.toml").write_text(default_config_text() + YEAR, encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    write_template(config.source, "tableau", config, answers=[COMPLETE_YES, COMPLETE_NO])
    return config


def part_of(data: bytes, tab: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        package = Package.open(zf)
        return next(e.part for e in sheet_entries(package, workbook_part(package))
                    if e.name == tab)


def members(data: bytes) -> dict[str, tuple[int, int, bytes]]:
    """Each zip member: (CRC, compressed size, content)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: (i.CRC, i.compress_size, zf.read(i)) for i in zf.infolist()}


def suivi_rows(path: Path) -> list[tuple[Any, ...]]:
    grid = next(g for g in read_workbook(path).grids if g.sheet == TAB)
    return list(grid.rows)


def type_in(path: Path, *, new_school: str | None = None) -> None:
    """What people do between two runs, in Excel: a date, a formula, a comment and a colour
    in « Suivi de l'année » and in the answers; a new school's answer."""
    book = openpyxl.load_workbook(path)
    suivi = book[TAB]
    suivi["G2"] = dt.datetime(2026, 10, 12)
    suivi["G2"].number_format = "dd/mm/yyyy"
    suivi["F2"] = "tenu"
    suivi["E3"] = '=CONCATENATE("Visite ", "Lesaffre")'
    suivi["I4"] = "reportée au printemps"
    suivi["I4"].comment = Comment("demandé par la principale", "Coordination")
    suivi["F5"].fill = PatternFill("solid", start_color="FFFF00")
    answers = book["Réponses"]
    answers["A2"].fill = PatternFill("solid", start_color="C6EFCE")
    if new_school is not None:
        row = answers.max_row + 1
        values = {**COMPLETE_YES, "etablissement": new_school, "classes_4e": 1,
                  "classes_3e": 0}
        for col, key in enumerate(KEYS, start=1):
            answers.cell(row, col, values.get(key))
    book.save(path)


def test_where_the_tab_lives(campaign: Config, tmp_path: Path) -> None:
    from dataclasses import replace

    assert follow_up_workbook(campaign) == campaign.source
    fiches = replace(campaign, source=tmp_path / "fiches")
    (tmp_path / "fiches").mkdir()
    assert follow_up_workbook(fiches) == fiches.dashboard_path()
    assert follow_up_workbook(replace(fiches, coordination=tmp_path / "coord.xlsx")) == (
        tmp_path / "coord.xlsx")
    xls = replace(campaign, source=tmp_path / "reponses.xls")
    assert follow_up_workbook(xls) == xls.dashboard_path()
    assert follow_up_workbook(campaign.with_source("https://docs.google.com/spreadsheets/d/"
                                                   "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit"
                                                   )) is None


def test_creates_the_tab_then_a_second_run_adds_nothing(campaign: Config) -> None:
    before = campaign.source.read_bytes()
    done = prepare_follow_up(campaign, now=NOW)
    assert (done.rows, done.created, done.tab) == (3 * PER_CLASS, True, TAB)
    assert done.classes == ("essais-3e1", "essais-3e2", "essais-4e1")
    assert done.backup == campaign.source.parent / "sauvegardes" / (
        "reponses.avant-suivi-20261001-093000.xlsx")
    assert done.backup.read_bytes() == before
    rows = suivi_rows(campaign.source)
    assert rows[0] == HEADER
    assert rows[1] == ("Collège des Essais", "3ème n°1", "essais-3e1", "lancement", None,
                       "à venir", None, None, None)
    assert [r[3] for r in rows[1:5]] == ["lancement", "immersion", "fiche métier", "portrait"]
    # every input tab's part is copied as it was
    old, new = members(before), members(campaign.source.read_bytes())
    for name in (part_of(before, "Réponses"), part_of(before, "Ambassadeurs")):
        assert new[name] == old[name]
    book = openpyxl.load_workbook(campaign.source)
    sheet = book[TAB]
    assert sheet.freeze_panes == "A2"
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["D2:D5001"] == '"lancement,immersion,fiche métier,portrait,web TV,exposition,' \
                                'autre"'
    assert lists["F2:F5001"] == '"à venir,confirmé,tenu,annulé,en cours,remise,publiée"'
    assert sheet.column_dimensions["A"].width > 30
    # again: nothing to add, nothing written, no backup
    written = campaign.source.read_bytes()
    again = prepare_follow_up(campaign, now=LATER)
    assert (again.rows, again.classes, again.backup) == (0, (), None)
    assert campaign.source.read_bytes() == written
    assert sorted(p.name for p in (campaign.source.parent / "sauvegardes").iterdir()) == [
        done.backup.name]


def test_typed_cells_stay_and_only_the_new_school_gets_rows(campaign: Config) -> None:
    prepare_follow_up(campaign, now=NOW)
    type_in(campaign.source, new_school="Collège Jean Macé")
    before = campaign.source.read_bytes()
    done = prepare_follow_up(campaign, now=LATER)
    assert (done.rows, done.created, done.classes) == (PER_CLASS, False, ("jean-mace-4e1",))
    after = campaign.source.read_bytes()
    assert done.backup is not None and done.backup.read_bytes() == before
    # every other zip member: the same content, the same compressed bytes
    suivi = part_of(before, TAB)
    old, new = members(before), members(after)
    assert set(new) == set(old)
    assert {n: m for n, m in new.items() if n != suivi} == {
        n: m for n, m in old.items() if n != suivi}
    # the sheet part: rows appended before </sheetData>, <dimension> widened, nothing else
    old_xml, new_xml = old[suivi][2].decode(), new[suivi][2].decode()
    dim = re.compile(r'<dimension ref="([^"]*)" ?/>')
    assert dim.findall(new_xml) == ["A1:I17"]
    old_xml, new_xml = dim.sub("", old_xml), dim.sub("", new_xml)
    end = old_xml.index("</sheetData>")
    assert new_xml[:end] == old_xml[:end] and new_xml.endswith(old_xml[end:])
    added = new_xml[end:len(new_xml) - len(old_xml) + end]
    assert [int(n) for n in re.findall(r'<row r="(\d+)">', added)] == [14, 15, 16, 17]
    assert re.fullmatch(r'(<row r="\d+">(<c r="[A-I]\d+" t="inlineStr"><is><t xml:space='
                        r'"preserve">[^<]*</t></is></c>)+</row>)+', added)
    # as Excel shows it
    book = openpyxl.load_workbook(campaign.source)
    sheet = book[TAB]
    assert sheet["G2"].value == dt.datetime(2026, 10, 12)
    assert sheet["E3"].value == '=CONCATENATE("Visite ", "Lesaffre")'
    assert sheet["I4"].comment.text == "demandé par la principale"
    assert sheet["F5"].fill.start_color.rgb == "00FFFF00"
    assert book["Réponses"]["A2"].fill.start_color.rgb == "00C6EFCE"
    assert [c.value for c in sheet[14]][:6] == ["Collège Jean Macé", "4ème n°1",
                                                "jean-mace-4e1", "lancement", None, "à venir"]
    assert sheet.max_row == 17


def libreoffice_csv(workbook: Path, folder: Path) -> dict[str, str]:
    """Every sheet of `workbook` as LibreOffice exports it to CSV (UTF-8), by sheet name."""
    need_apps("soffice")
    profile = folder / "lo-profile"
    out = folder / "csv"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
         "--norestore", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {p.stem.removeprefix(f"{workbook.stem}-"): p.read_text(encoding="utf-8")
            for p in out.glob("*.csv")}


def test_libreoffice_opens_the_workbook_with_the_new_rows(campaign: Config,
                                                          tmp_path: Path) -> None:
    prepare_follow_up(campaign, now=NOW)
    type_in(campaign.source, new_school="Collège Jean Macé")
    prepare_follow_up(campaign, now=LATER)
    sheets = libreoffice_csv(campaign.source, tmp_path / "lo")
    text = sheets[TAB]
    assert text.splitlines()[0].startswith("Établissement,Classe,Identifiant,Type")
    assert "Collège Jean Macé,4ème n°1,jean-mace-4e1,lancement,,à venir" in text
    assert "Visite Lesaffre" in text  # the typed formula, computed by LibreOffice
    assert "Réponses" in sheets


def test_a_workbook_open_in_excel_is_refused(campaign: Config) -> None:
    before = campaign.source.read_bytes()
    owner = campaign.source.with_name(f"~${campaign.source.name}")
    owner.write_bytes(b"\x00")
    with pytest.raises(WriteRefused, match="ouvert dans Excel"):
        prepare_follow_up(campaign, now=NOW)
    assert campaign.source.read_bytes() == before
    assert not (campaign.source.parent / "sauvegardes").exists()


def test_a_running_sync_holds_the_lock(campaign: Config) -> None:
    before = campaign.source.read_bytes()
    with hold(lock_path(campaign.source), campaign.source.name), \
            pytest.raises(WriteRefused, match="une autre synchronisation est en cours"):
        prepare_follow_up(campaign, now=NOW)
    assert campaign.source.read_bytes() == before


def test_a_workbook_changed_after_the_read_is_not_overwritten(
        campaign: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    import sheets_sync.follow_up as follow_up

    read = follow_up.read_follow_up

    def read_then_someone_saves(*args: Any, **kwargs: Any) -> Any:
        found = read(*args, **kwargs)
        book = openpyxl.load_workbook(campaign.source)
        book["Réponses"]["A30"] = "saisi pendant la préparation"
        book.save(campaign.source)
        return found

    monkeypatch.setattr(follow_up, "read_follow_up", read_then_someone_saves)
    with pytest.raises(SourceChanged, match="modifié pendant la préparation"):
        prepare_follow_up(campaign, now=NOW)
    assert TAB not in openpyxl.load_workbook(campaign.source).sheetnames
    assert not list(campaign.source.parent.glob(".*.tmp"))


def test_a_tab_without_a_readable_header_is_refused(campaign: Config) -> None:
    book = openpyxl.load_workbook(campaign.source)
    book.create_sheet(TAB)["A1"] = "notes de réunion"
    book.save(campaign.source)
    before = campaign.source.read_bytes()
    with pytest.raises(WriteRefused, match="en-tête"):
        prepare_follow_up(campaign, now=NOW)
    assert campaign.source.read_bytes() == before


def test_rows_follow_a_tab_laid_out_by_hand(campaign: Config) -> None:
    """Columns moved, a title above the header, a column of their own: rows go under the
    right headers, after the last row."""
    book = openpyxl.load_workbook(campaign.source)
    sheet = book.create_sheet("suivi de l'annee")
    sheet["A1"] = "Suivi 2026-2027"
    for col, label in enumerate(("Type", "Identifiant", "Responsable", "État", "Date"), 1):
        sheet.cell(3, col, label)
    for col, value in enumerate(("lancement", "essais-4e1", "M. Roux", "tenu"), 1):
        sheet.cell(4, col, value)
    book.save(campaign.source)
    done = prepare_follow_up(campaign, now=NOW)
    assert (done.rows, done.created, done.tab) == (2 * PER_CLASS, False, "suivi de l'annee")
    grid = next(g for g in read_workbook(campaign.source).grids if g.sheet == done.tab)
    assert grid.rows[3] == ("lancement", "essais-4e1", "M. Roux", "tenu", None)
    assert grid.rows[4] == ("lancement", "essais-3e1", None, "à venir", None)
    assert [r[:2] for r in grid.rows[4:]] == [
        (kind, class_id) for class_id in ("essais-3e1", "essais-3e2")
        for kind in ("lancement", "immersion", "fiche métier", "portrait")]


def test_no_school_year_in_config(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(default_config_text(), encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    with pytest.raises(ConfigError, match=r"\[annee_scolaire\]"):
        prepare_follow_up(config, now=NOW)


def test_suivi_edits_survive_every_sync_byte_for_byte(campaign: Config) -> None:
    prepare_follow_up(campaign, now=NOW)
    type_in(campaign.source)
    typed = campaign.source.read_bytes()
    part = part_of(typed, TAB)
    rows = suivi_rows(campaign.source)
    for n in range(2):
        result = sync(campaign, now=LATER + dt.timedelta(days=n))
        assert result.written
        after = campaign.source.read_bytes()
        assert members(after)[part_of(after, TAB)] == members(typed)[part]
        assert suivi_rows(campaign.source) == rows


# --- Google Sheets ----------------------------------------------------------------------------


@pytest.fixture
def emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emu:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", emu.host)
        yield emu


def google_campaign(emu: SheetsEmulator, campaign: Config,
                    *answers: dict[str, object]) -> tuple[Config, str]:
    header = [f.label for f in ANSWER_FIELDS]
    rows = [header, *([a.get(k, "") for k in KEYS] for a in answers)]
    key = emu.create_spreadsheet("Campagne", {"Réponses": rows, "Ambassadeurs": [["Prénom"]]})
    return campaign.with_source(key), key


def batch_updates(emu: SheetsEmulator) -> int:
    return sum(1 for r in emu.requests if r.path.endswith(":batchUpdate"))


def test_google_one_batch_then_nothing_and_text_stays_text(
        emulator: SheetsEmulator, campaign: Config) -> None:
    formula_like = {**COMPLETE_YES, "etablissement": "=1+1", "classes_3e": 0}
    config, key = google_campaign(emulator, campaign, COMPLETE_YES, COMPLETE_NO)
    emulator.clear_log()
    done = prepare_follow_up(config, now=NOW)
    assert (done.rows, done.created, done.backup) == (3 * PER_CLASS, True, None)
    assert batch_updates(emulator) == 1
    sheet = emulator.spreadsheet(key).tab(TAB)
    values = sheet.values()
    assert values[0] == list(HEADER)
    assert values[1][:6] == ["Collège des Essais", "3ème n°1", "essais-3e1", "lancement", "",
                             "à venir"]
    assert sheet.frozen_rows == 1
    validation = sheet.cells[(1, 3)]["dataValidation"]["condition"]
    assert validation["type"] == "ONE_OF_LIST"
    # people type; a new school whose name looks like a formula answers
    sheet.put(1, 6, {"userEnteredValue": {"stringValue": "12/10/2026"}})
    emulator.spreadsheet(key).tab("Réponses").put(
        3, 0, {"userEnteredValue": {"stringValue": "=1+1"}})
    for col, key_name in enumerate(KEYS[1:], start=1):
        value = formula_like.get(key_name, "")
        data = ({"numberValue": value} if isinstance(value, int)
                else {"stringValue": str(value)})
        emulator.spreadsheet(key).tab("Réponses").put(3, col, {"userEnteredValue": data})
    typed = emulator.spreadsheet(key).tab(TAB).values()
    emulator.clear_log()
    again = prepare_follow_up(config, now=LATER)
    assert (again.rows, again.created) == (PER_CLASS, False)
    assert batch_updates(emulator) == 1
    assert again.backup is not None
    assert again.backup.read_text(encoding="utf-8-sig").splitlines()[0] == ";".join(HEADER)
    values = emulator.spreadsheet(key).tab(TAB).values()
    assert values[:len(typed)] == typed
    new = values[len(typed)]
    assert new[:4] == ["=1+1", "4ème n°1", new[2], "lancement"]
    cell = emulator.spreadsheet(key).tab(TAB).cells[(len(typed), 0)]
    assert cell["userEnteredValue"] == {"stringValue": "=1+1"}
    emulator.clear_log()
    assert prepare_follow_up(config, now=LATER).rows == 0
    assert batch_updates(emulator) == 0
    # the sync never rewrites it
    before = emulator.spreadsheet(key).tab(TAB).values()
    for n in range(2):
        sync(config, now=LATER + dt.timedelta(days=n))
        assert emulator.spreadsheet(key).tab(TAB).values() == before


@pytest.fixture
def fiches(tmp_path: Path) -> Config:
    """A folder of fiches: no shared workbook, the tab goes to the dashboard workbook."""
    text = default_config_text().replace('chemin = "reponses.xlsx"', 'chemin = "fiches"')
    (tmp_path / "config.toml").write_text(text + YEAR, encoding="utf-8")
    (tmp_path / "fiches").mkdir()
    config = load_config(tmp_path / "config.toml")
    write_template(tmp_path / "fiches" / "essais.xlsx", "fiche", config,
                   answers=[COMPLETE_YES])
    return config


def test_fiches_the_dashboard_is_made_with_the_tab_then_synced_around_it(
        fiches: Config) -> None:
    dashboard = fiches.dashboard_path()
    assert not dashboard.exists()
    done = prepare_follow_up(fiches, now=NOW)
    assert (done.where, done.rows, done.created, done.backup) == (
        str(dashboard), 3 * PER_CLASS, True, None)
    assert openpyxl.load_workbook(dashboard).sheetnames == [TAB]
    data = dashboard.read_bytes()
    sync(fiches, now=LATER)
    after = dashboard.read_bytes()
    assert members(after)[part_of(after, TAB)] == members(data)[part_of(data, TAB)]
    assert {"Synthèse", TAB} <= set(openpyxl.load_workbook(dashboard).sheetnames)


def test_fiches_with_a_coordinator_workbook_not_made_yet_is_refused(
        fiches: Config, tmp_path: Path) -> None:
    from dataclasses import replace

    config = replace(fiches, coordination=tmp_path / "coordination.xlsx")
    with pytest.raises(WriteRefused, match="lancez d'abord « sheets-sync sync »"):
        prepare_follow_up(config, now=NOW)
    assert not (tmp_path / "coordination.xlsx").exists()


def test_an_empty_tab_gets_the_header_then_the_rows(campaign: Config) -> None:
    book = openpyxl.load_workbook(campaign.source)
    book.create_sheet(TAB)
    book.save(campaign.source)
    done = prepare_follow_up(campaign, now=NOW)
    assert (done.rows, done.created) == (3 * PER_CLASS, False)
    rows = suivi_rows(campaign.source)
    assert rows[0] == HEADER and len(rows) == 1 + 3 * PER_CLASS


def test_the_tab_problems_are_reported_and_rows_still_added(campaign: Config) -> None:
    """A typo in the tab does not stop the preparer: the class it names is present."""
    book = openpyxl.load_workbook(campaign.source)
    sheet = book.create_sheet(TAB)
    sheet.append(HEADER)
    sheet.append(("Collège des Essais", "4ème n°1", "essais-4e1", "lancemant", None, "tenu"))
    book.save(campaign.source)
    done = prepare_follow_up(campaign, now=NOW)
    assert [(i.cell, i.code) for i in done.issues] == [("D2", "suivi-type-inconnu")]
    assert done.classes == ("essais-3e1", "essais-3e2")


def valued_cells(data: bytes) -> list[str]:
    """Every <c> of « Suivi de l'année » holding something (a value, a formula), as bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(part_of(data, TAB)).decode()
    return re.findall(r"<c [^>]*?(?<!/)>.*?</c>", xml)


def test_header_row41_an_empty_formatted_tab_gets_its_header_on_row_1(
        campaign: Config) -> None:
    """Review finding 3 (/tmp/rev17/repro_header_row41.sh): an empty tab whose first 40 rows
    carry a fill got its header on row 41, below the 30 rows the reader looks in: every
    later run reported suivi-entete-absent. The header now goes on row 1, keeping the fill."""
    book = openpyxl.load_workbook(campaign.source)
    sheet = book.create_sheet(TAB)
    for r in range(1, 41):
        for c in range(1, 10):
            sheet.cell(r, c).fill = PatternFill("solid", fgColor="FFFFCC")
    book.save(campaign.source)
    done = prepare_follow_up(campaign, now=NOW)
    assert (done.rows, done.created) == (3 * PER_CLASS, False)
    rows = suivi_rows(campaign.source)
    assert rows[0] == HEADER and len([r for r in rows if any(r)]) == 1 + 3 * PER_CLASS
    sheet = openpyxl.load_workbook(campaign.source)[TAB]
    assert sheet["A1"].fill.start_color.rgb == sheet["I13"].fill.start_color.rgb == "00FFFFCC"
    reading = read_follow_up_tab(campaign)
    assert [i.code for i in reading.issues] == []
    assert len(reading.follow_up.rows) == 3 * PER_CLASS
    assert prepare_follow_up(campaign, now=LATER).rows == 0


def test_append_features_rows_go_after_the_last_value_and_join_the_table(
        campaign: Config, tmp_path: Path) -> None:
    """Review finding 3 (/tmp/rev17/repro_append_features.sh): with borders down to row 300,
    the new rows started at row 301, outside the tab's table (ListObject). They now follow
    the last value, into the formatted rows, and the table grows over them; every cell
    holding a value stays byte for byte, and only the sheet and table parts change."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Border, Side
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table

    prepare_follow_up(campaign, now=NOW)
    book = openpyxl.load_workbook(campaign.source)
    sheet = book[TAB]
    sheet.delete_rows(2 + 2 * PER_CLASS, sheet.max_row)  # the third class is « new »
    sheet["J1"], sheet["J2"] = "Formule", "=LEN(A2)"
    sheet.merge_cells("K1:L1")
    sheet["K1"] = "Fusion"
    sheet["C3"].comment = Comment("note typée", "moi")
    choice = DataValidation(type="list", formula1='"a,b"')
    sheet.add_data_validation(choice)
    choice.add("M2:M300")
    sheet.conditional_formatting.add("F2:F300", CellIsRule(
        operator="equal", formula=['"tenu"'], fill=PatternFill("solid", fgColor="00FF00")))
    last = 1 + 2 * PER_CLASS
    sheet.add_table(Table(displayName="Suivi", ref=f"A1:J{last}"))
    for r in range(2, 301):
        sheet.cell(r, 1).border = Border(left=Side(style="thin"))
    book.save(campaign.source)
    before = campaign.source.read_bytes()

    done = prepare_follow_up(campaign, now=LATER)
    after = campaign.source.read_bytes()
    assert done.rows == PER_CLASS
    old, new = members(before), members(after)
    changed = {n for n in old if old[n] != new[n]}
    assert changed == {part_of(after, TAB), "xl/tables/table1.xml"} and new.keys() == old.keys()
    assert all(cell in valued_cells(after) for cell in valued_cells(before))
    book = openpyxl.load_workbook(campaign.source)
    sheet = book[TAB]
    assert sheet.cell(last + 1, 3).value == done.classes[0]
    assert [sheet.cell(r, 4).value for r in range(last + 1, last + 1 + PER_CLASS)] == [
        "lancement", "immersion", "fiche métier", "portrait"]
    assert sheet.cell(last + 1, 1).border.left.style == "thin"  # the cell's style kept
    assert sheet.max_row == 300 and sheet.cell(last + PER_CLASS + 1, 3).value is None
    assert sheet.tables["Suivi"].ref == f"A1:J{last + PER_CLASS}"
    assert sheet.tables["Suivi"].autoFilter.ref == f"A1:J{last + PER_CLASS}"
    text = libreoffice_csv(campaign.source, tmp_path / "lo")[TAB]
    assert f",{done.classes[0]},portrait,,à venir" in text


def test_a_header_that_would_land_below_row_30_is_refused(campaign: Config) -> None:
    """Never a header the reader cannot find: a tab read as empty (only blanks typed, here a
    space on row 35) gets no header on row 36; nothing is written."""
    book = openpyxl.load_workbook(campaign.source)
    book.create_sheet(TAB)["A35"] = " "
    book.save(campaign.source)
    before = campaign.source.read_bytes()
    with pytest.raises(WriteRefused, match="l'en-tête irait à la ligne 36"):
        prepare_follow_up(campaign, now=NOW)
    assert campaign.source.read_bytes() == before
    assert not (campaign.source.parent / "sauvegardes").exists()
