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
    assert "Contrôle les réponses" in out and "Crée un modèle Excel" in out


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
    assert code == 1
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
    assert "1 établissement(s) à relancer" in out


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
