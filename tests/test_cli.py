import importlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cli import main
from sheets_sync.starter.campaign import write_template

from .conftest import MakeCampaign
from .helpers import COMPLETE_NO, COMPLETE_YES, HEADER, KEYS, present

COL = {k: chr(65 + i) for i, k in enumerate(KEYS)}
GENERATED = ["Synthèse", "Complétude", "Classes", "Mobilisation des ambassadeurs",
             "Égalité filles-garçons", "Parrainages", "Relances", "Journal", "sheets-sync (état)"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_every_command_in_french() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("check", "sync", "template", "init", "demo"):
        assert command in out
    assert "Contrôle les réponses" in out and "Crée un modèle vierge" in out
    assert "(Excel ou Google Sheets)" in out  # template does both (issue #14)


def test_check_complete_campaign_exits_0(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    code, out, _ = run("check", "--config", str(config.path))
    assert code == 0
    assert "2 réponse(s) : 1 complet, 0 incomplet, 1 ne participe pas" in out


def test_check_json_is_the_stable_shape(make_campaign: MakeCampaign) -> None:
    config = make_campaign([COMPLETE_YES, {**COMPLETE_YES, "objectifs": None,
                                           "etablissement": "Collège Voisin"}])
    code, out, _ = run("check", "--config", str(config.path), "--json")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"schools", "sans_reponse", "issues", "chiffres"}
    first, second = data["schools"]
    assert {"etablissement", "row", "status", "session", "issues"} <= set(first)
    assert (first["row"], first["status"], second["status"]) == (2, "complet", "incomplet")
    assert first["session"] is not None and second["session"] is None
    (issue,) = [i for i in data["issues"] if i["code"] != "classeur-partage-expose"]
    assert set(issue) == {"code", "severity", "tab", "cell", "field", "value", "message"}
    assert (issue["code"], issue["cell"], issue["field"]) == (
        "champ-obligatoire", f"{COL['objectifs']}3", "objectifs")
    assert second["issues"] == [issue]


def test_sync_writes_tabs_and_is_idempotent(make_campaign: MakeCampaign) -> None:
    from openpyxl import load_workbook

    config = make_campaign()
    before = load_workbook(config.source)
    inputs = {ws.title: [[c.value for c in row] for row in ws.iter_rows()]
              for ws in before.worksheets}
    code, out, _ = run("sync", "--config", str(config.path))
    assert code == 0, out
    assert "onglet « Synthèse » créé" in out
    first = load_workbook(config.source)
    assert first.sheetnames[-len(GENERATED):] == GENERATED
    code, out, _ = run("sync", "--config", str(config.path))
    assert "onglet « Synthèse » remplacé" in out
    second = load_workbook(config.source)
    assert second.sheetnames == first.sheetnames
    assert [r[0] for r in second["Journal"].iter_rows(min_row=5, values_only=True)] != []
    assert second["Journal"].max_row == first["Journal"].max_row + 1  # one row per sync
    for name in [n for n in GENERATED if n != "Journal"]:
        values = [[c.value for c in row] for row in second[name].iter_rows(min_row=2)]
        assert values == [[c.value for c in row] for row in first[name].iter_rows(min_row=2)]
    for title, rows in inputs.items():
        assert [[c.value for c in row] for row in second[title].iter_rows()] == rows


def test_dry_run_writes_nothing(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    data = config.source.read_bytes()
    code, out, _ = run("sync", "--config", str(config.path), "--dry-run")
    assert code == 0
    assert "Simulation" in out and "Synthèse" in out
    assert config.source.read_bytes() == data


def test_folder_of_fiches_goes_to_a_dashboard_workbook(make_campaign: MakeCampaign,
                                                       tmp_path: Path) -> None:
    folder = tmp_path / "fiches"
    folder.mkdir()
    config = make_campaign(source="fiches")
    write_template(folder / "college-a.xlsx", "fiche", config, answers=[COMPLETE_YES])
    write_template(folder / "college-b.xlsx", "fiche", config,
                   answers=[{**COMPLETE_NO, "adresse": None}])
    code, out, _ = run("sync", "--config", str(config.path), "--quiet")
    assert code == 0  # written: the answers to fix are not a failure of the sync
    dashboard = folder / "tableau-de-bord.xlsx"
    assert dashboard.exists()
    code, out, _ = run("check", "--config", str(config.path), "--json")
    data = json.loads(out)
    assert [s["tab"] for s in data["schools"]] == ["college-a.xlsx", "college-b.xlsx"]
    assert [i["code"] for i in data["issues"]] == ["champ-obligatoire"]
    assert data["issues"][0]["cell"].startswith("B")


@pytest.mark.parametrize("case", ["missing", "not-a-workbook", "no-header", "empty-tab"])
def test_sources_that_cannot_be_read_exit_2_without_traceback(
    make_campaign: MakeCampaign, tmp_path: Path, case: str
) -> None:
    from openpyxl import Workbook

    config = make_campaign()
    target = tmp_path / f"{case}.xlsx"
    if case == "not-a-workbook":
        target.write_text("ceci n'est pas un classeur", encoding="utf-8")
    elif case in ("no-header", "empty-tab"):
        wb = Workbook()
        if case == "no-header":
            wb.active.append(["a", "b"])
            wb.active.append([1, 2])
        wb.save(target)
    code, out, err = run("check", "--config", str(config.path), "--source", str(target))
    assert code == 2
    assert err.startswith("Erreur :") and "Traceback" not in err + out


def test_bad_config_exits_2_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[campagne]\nnom = 3\n", encoding="utf-8")
    code, _, err = run("check", "--config", str(path))
    assert code == 2 and "campagne.nom" in err


def test_template_and_init(tmp_path: Path) -> None:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        code, _, _ = run("template", "--layout", "fiche", "-o", "fiche.xlsx")
        assert code == 0 and (tmp_path / "fiche.xlsx").exists()
        code, _, _ = run("init", "campagne-2022")
        assert code == 0
        assert sorted(p.name for p in (tmp_path / "campagne-2022").iterdir()) == [
            "config.toml", "coordination.xlsx", "modele-fiche.xlsx", "modele-tableau.xlsx",
            "templates"]
        assert sorted(p.name for p in (tmp_path / "campagne-2022" / "templates").iterdir()) == [
            "relance-sans-reponse.txt", "relance.txt"]
        code, _, err = run("init", "campagne-2022")
        assert code == 2 and "déjà" in err
    finally:
        os.chdir(old)


def test_content_openpyxl_would_lose_survives_a_sync(make_campaign: MakeCampaign) -> None:
    """Formulas with cached values in an input tab: synced in place, input parts unchanged."""
    import zipfile

    import xlsxwriter

    config = make_campaign()
    book = xlsxwriter.Workbook(config.source)
    sheet = book.add_worksheet("Réponses")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [COMPLETE_YES.get(k) for k in KEYS])
    sheet.write_formula("Z2", "=F2+E2", None, 3)  # a cached value openpyxl would drop
    book.close()
    data = config.source.read_bytes()
    code, _, _ = run("sync", "--config", str(config.path), "--dry-run")
    assert code == 0 and config.source.read_bytes() == data
    code, out, err = run("sync", "--config", str(config.path))
    assert code == 0, out + err
    with zipfile.ZipFile(config.source) as after:
        sheet_xml = after.read("xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(config.source.with_name("reponses.sauvegarde.xlsx")) as before:
        assert before.read("xl/worksheets/sheet1.xml") == sheet_xml
    assert b"<v>3</v>" in sheet_xml


def test_generated_tabs_can_go_to_a_separate_dashboard(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    assert config.path is not None
    text = config.path.read_text(encoding="utf-8")
    config.path.write_text(text.replace("onglets_dans_la_source = true",
                                        "onglets_dans_la_source = false"), encoding="utf-8")
    data = config.source.read_bytes()
    code, out, _ = run("sync", "--config", str(config.path))
    assert code == 0, out
    assert config.source.read_bytes() == data
    assert (config.source.parent / "tableau-de-bord.xlsx").exists()


def test_template_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "rempli.xlsx"
    target.write_bytes(b"deja rempli")
    code, _, err = run("template", "-o", str(target))
    assert code == 2 and "--force" in err and target.read_bytes() == b"deja rempli"
    code, _, _ = run("template", "-o", str(target), "--force")
    assert code == 0 and target.read_bytes() != b"deja rempli"


REFERENCE = Path(__file__).resolve().parent / "data" / "reference"
FOREIGN = present([*REFERENCE.glob("awkward/*.xls*"), *REFERENCE.glob("excel-made/*.xls*")])


@pytest.mark.parametrize("path", FOREIGN, ids=lambda p: p.name)
def test_foreign_workbooks_get_a_report_or_a_french_refusal(
    make_campaign: MakeCampaign, path: Path
) -> None:
    config = make_campaign()
    result = CliRunner().invoke(main, ["check", "--config", str(config.path), "--source",
                                       str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 2:
        assert result.stderr.startswith("Erreur : ") and "annexe" in result.stderr


def test_state_survives_syncs_and_sessions_are_reported(make_campaign: MakeCampaign,
                                                        tmp_path: Path) -> None:
    import datetime as dt

    from sheets_sync import load_config, sync

    config = make_campaign()
    sync(load_config(config.path), now=dt.datetime(2021, 7, 10, 8, 0))
    later = sync(load_config(config.path), now=dt.datetime(2021, 8, 1, 8, 0))
    assert [s.session for s in later.check.schools] == ["1re session", "1re session"]


def test_relances_writes_one_draft_per_school_to_chase(make_campaign: MakeCampaign,
                                                       tmp_path: Path) -> None:
    config = make_campaign([COMPLETE_YES, {**COMPLETE_YES, "etablissement": "Collège B",
                                           "titre": None}])
    code, out, _ = run("relances", "--config", str(config.path), "--out", str(tmp_path / "eml"))
    assert code == 0
    assert [p.name for p in (tmp_path / "eml").iterdir()] == ["college-b.eml"]
    assert "1 établissement à relancer" in out


def test_report_writes_partner_tabs_only(make_campaign: MakeCampaign, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from sheets_sync.starter.fictional import demo_roster

    config = make_campaign(roster=demo_roster(size=8))
    code, out, _ = run("report", "--config", str(config.path), "--format", "xlsx", "-q")
    assert code == 0
    (path,) = (tmp_path / "reports").iterdir()
    assert path.suffix == ".xlsx" and str(path) in out
    assert load_workbook(path).sheetnames == ["Synthèse", "Classes",
                                              "Mobilisation des ambassadeurs",
                                              "Égalité filles-garçons"]
    html = tmp_path / "r.html"
    code, _, _ = run("report", "--config", str(config.path), "-o", str(html), "-q")
    text = html.read_text(encoding="utf-8")
    assert code == 0 and text.startswith("<!DOCTYPE html>") and "<script" not in text
    assert not any(r["courriel"] in text for r in demo_roster(size=8))


# --- issue #14: exit codes for automation, output sized for people and cron, formats --------

def _incomplete(n: int) -> list[dict[str, object]]:
    """n answers each missing its « objectifs » (an error on their row)."""
    return [{**COMPLETE_YES, "etablissement": f"Collège n°{i:02d}", "objectifs": None}
            for i in range(1, n + 1)]


def test_sync_exits_0_once_written_even_with_incomplete_answers(
        make_campaign: MakeCampaign) -> None:
    config = make_campaign([COMPLETE_YES, *_incomplete(1)])
    code, out, _ = run("sync", "--config", str(config.path))
    assert code == 0, out
    assert "1 incomplet" in out and "Écrit : " in out.splitlines()[-1]
    code, _, _ = run("sync", "--config", str(config.path), "--strict")
    assert code == 1
    code, _, _ = run("check", "--config", str(config.path))
    assert code == 1  # check keeps 0/1/2


def test_sync_strict_exits_0_when_every_answer_is_complete(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    code, out, _ = run("sync", "--config", str(config.path), "--strict", "--quiet")
    assert code == 0, out


def test_sync_json_is_the_check_shape_plus_what_was_written(make_campaign: MakeCampaign) -> None:
    config = make_campaign([COMPLETE_YES, *_incomplete(1)])
    code, out, _ = run("sync", "--config", str(config.path), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"schools", "sans_reponse", "issues", "chiffres", "ecrit"}
    written = data["ecrit"]
    assert written["ecrit"] is True and written["cible"] == str(config.source)
    assert [t["onglet"] for t in written["onglets"]] == GENERATED
    assert {t["action"] for t in written["onglets"]} == {"créé"}
    code, out, _ = run("sync", "--config", str(config.path), "--json", "--dry-run")
    assert json.loads(out)["ecrit"]["ecrit"] is False


def test_check_summary_names_the_ten_schools_to_chase_first(make_campaign: MakeCampaign) -> None:
    config = make_campaign([COMPLETE_YES, *_incomplete(12)])
    code, out, _ = run("check", "--config", str(config.path))
    assert code == 1
    assert "À relancer en premier (10 sur 12) :" in out
    chased = [line for line in out.splitlines() if line.startswith("  Collège n°")]
    assert len(chased) == 10 and all("« Vos objectifs »" in line for line in chased)
    assert "Complétude" in out and "--details" in out
    assert out.strip().splitlines()[-1].startswith("13 réponse(s) : 1 complet, 12 incomplet")
    code, details, _ = run("check", "--config", str(config.path), "--details")
    assert code == 1
    assert all(f"Collège n°{i:02d}" in details for i in range(1, 13))
    assert "Problèmes relevés" in details and "Chiffres de la campagne" in details


def test_output_does_not_grow_with_the_number_of_schools(make_campaign: MakeCampaign) -> None:
    config = make_campaign([COMPLETE_YES, *_incomplete(3)])
    _, few, _ = run("sync", "--config", str(config.path), "--dry-run")
    config = make_campaign([COMPLETE_YES, *_incomplete(40)])
    _, many, _ = run("sync", "--config", str(config.path), "--dry-run")
    assert len(many.splitlines()) == len(few.splitlines()) + 7  # 10 named instead of 3
    _, details, _ = run("sync", "--config", str(config.path), "--dry-run", "--details")
    assert len(details.splitlines()) > len(many.splitlines()) + 40


def test_quiet_prints_the_final_line_only_when_no_workbook_error(
        make_campaign: MakeCampaign) -> None:
    config = make_campaign([COMPLETE_YES, *_incomplete(5)])
    code, out, err = run("sync", "--config", str(config.path), "--quiet")
    assert code == 0 and err == ""
    (line,) = out.splitlines()
    assert line.startswith("Écrit : 9 onglet(s) dans ") and "5 incomplet" in line
    code, out, _ = run("check", "--config", str(config.path), "--quiet")
    assert code == 1 and len(out.splitlines()) == 1


def test_details_and_quiet_exclude_each_other(make_campaign: MakeCampaign) -> None:
    config = make_campaign()
    code, _, err = run("check", "--config", str(config.path), "--details", "--quiet")
    assert code == 2 and "s'excluent" in err


@pytest.mark.parametrize("command", ["check", "sync", "watch"])
def test_each_help_documents_its_exit_codes(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Codes de sortie" in out
    assert {"check": "1  des réponses", "sync": "--strict", "watch": "Ctrl+C"}[command] in out


def test_sync_help_says_what_it_writes_today() -> None:
    _, out, _ = run("sync", "--help")
    for words in ("Complétude", "Parrainages", "Relances", "Journal", "coordination",
                  "cron", "schtasks"):
        assert words in out, words


@pytest.mark.parametrize("name", ["fiche.ods", "fiche.xls", "fiche", "fiche.csv"])
def test_template_refuses_formats_it_cannot_write(tmp_path: Path, name: str) -> None:
    code, out, err = run("template", "--layout", "fiche", "-o", str(tmp_path / name))
    assert code == 2 and out == ""
    assert ".xlsx seulement" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_template_xlsx_is_read_back_with_its_labels(tmp_path: Path) -> None:
    from sheets_sync.backends.excel import read_workbook

    code, _, _ = run("template", "--layout", "tableau", "-o", str(tmp_path / "Modèle.XLSX"))
    assert code == 0
    grids = read_workbook(tmp_path / "Modèle.XLSX").grids
    answers = next(g for g in grids if g.tab == "Réponses")
    assert tuple(answers.rows[0][: len(HEADER)]) == HEADER


def test_demo_works_from_an_empty_folder(tmp_path: Path) -> None:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        code, out, err = run("demo")
        assert code == 0, err
        assert "Configuration de démonstration créée : demo/config.toml" in out.replace(
            os.sep, "/")
        assert sorted(p.name for p in (tmp_path / "demo").iterdir() if "sauvegarde" not in
                      p.name) == ["campagne-demo.xlsx", "config.toml", "coordination-demo.xlsx"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
        code, out, _ = run("demo", "--quiet")
        assert code == 0 and "Configuration de démonstration" not in out
        assert out.splitlines()[-1].startswith("Écrit : 12 onglet(s) (7 dans ")
        code, _, _ = run("check", "--config", "demo/config.toml", "--quiet")
        assert code == 1  # the demo has answers to fix, on purpose
    finally:
        os.chdir(old)


@pytest.mark.parametrize(("fault", "words"), [
    (MemoryError(), "mémoire insuffisante"),
    (LookupError("unknown encoding: cp437"), "installation de Python incomplète"),
    (ModuleNotFoundError("No module named 'colorsys'"), "installation de Python incomplète"),
])
def test_a_machine_fault_is_one_french_line_not_a_damaged_file(
    make_campaign: MakeCampaign, monkeypatch: pytest.MonkeyPatch, fault: BaseException,
    words: str,
) -> None:
    """Found with the checkout in root's home: a missing codec was called « endommagé »."""
    config = make_campaign()

    def broken(*_: object, **__: object) -> None:
        raise fault

    monkeypatch.setattr(importlib.import_module("sheets_sync.sync"), "check_source", broken)
    code, out, err = run("check", "--config", str(config.path))
    assert code == 2 and words in err and "endommagé" not in err + out
    assert "Traceback" not in err + out


def test_a_key_error_of_ours_is_not_hidden_as_a_machine_fault(
    make_campaign: MakeCampaign, monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = make_campaign()

    def bug(*_: object, **__: object) -> None:
        raise KeyError("champ")

    monkeypatch.setattr(importlib.import_module("sheets_sync.sync"), "check_source", bug)
    result = CliRunner().invoke(main, ["check", "--config", str(config.path)])
    assert isinstance(result.exception, KeyError)


def test_calendrier_is_listed_and_documented_in_french() -> None:
    """Issue #17: the school year's command appears in the help, in French."""
    code, out, _ = run("--help")
    assert code == 0 and "calendrier" in out and "temps forts" in out
    code, out, _ = run("calendrier", "--help")
    assert code == 0 and "--ics" in out and "par classe, par" in out


def test_init_into_a_file_is_refused_in_french(tmp_path: Path) -> None:
    """Bug: click answered « Directory 'x' is a file. » in English."""
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run("init", str(tmp_path / "afile"))
    assert code == 2
    assert "est un fichier, pas un dossier" in err and "Invalid value" not in err
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x"
