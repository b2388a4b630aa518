"""Matching wired into the sync: classes, decisions that survive, partner-safe tabs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync import load_config, sync
from sheets_sync.cli import main
from sheets_sync.starter.fictional import demo_roster

from ..conftest import MakeCampaign
from ..helpers import COMPLETE_NO, COMPLETE_YES

NOW = dt.datetime(2021, 7, 10, 8, 0)
PARTNER_TABS = ("Synthèse", "Classes", "Mobilisation des ambassadeurs", "Égalité filles-garçons")


def school(name: str, **values: object) -> dict[str, object]:
    return {**COMPLETE_YES, "etablissement": name, **values}


def add_adjustments(path: Path, rows: list[tuple[str, str, str]]) -> None:
    book = load_workbook(path)
    sheet = book.create_sheet("Ajustements")
    sheet.append(["Classe", "Ambassadeur (identifiant)", "Décision"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)


def test_classes_of_complete_participating_schools_are_matched(
    make_campaign: MakeCampaign,
) -> None:
    config = make_campaign([school("Collège A"), school("Collège B", objectifs=None),
                            COMPLETE_NO], roster=demo_roster(size=12))
    result = sync(load_config(config.path), now=NOW)
    sponsorship = result.check.sponsorship
    assert [c.unit.id for c in sponsorship.classes] == ["a-4e1", "a-3e1", "a-3e2"]
    per_class: dict[str, list[str]] = {}
    for p in sponsorship.result.pairings:
        per_class.setdefault(p.class_id, []).append(p.ambassador_id)
    assert all(len(v) == 2 == len(set(v)) for v in per_class.values())
    assert sponsorship.result.unserved == ()


def test_confirmed_pairings_survive_new_answers_and_excluded_never_return(
    make_campaign: MakeCampaign,
) -> None:
    config = make_campaign([school("Collège A")], roster=demo_roster(size=12))
    first = sync(load_config(config.path), now=NOW).check.sponsorship.result.pairings
    keep, drop = first[0], first[1]
    add_adjustments(config.source, [(keep.class_id, keep.ambassador_id, "Confirmer"),
                                    (drop.class_id, drop.ambassador_id, "Exclure")])
    # new answers arrive: the answers tab gains schools (rewritten through openpyxl)
    book = load_workbook(config.source)
    answers = book["Réponses"]
    template_row = [c.value for c in answers[2]]
    for n in (3, 4):
        answers.append([f"Collège {n}" if i == 0 else v for i, v in enumerate(template_row)])
    book.save(config.source)
    again = sync(load_config(config.path), now=NOW).check.sponsorship.result
    pairs = {(p.class_id, p.ambassador_id) for p in again.pairings}
    assert (keep.class_id, keep.ambassador_id) in pairs
    assert (drop.class_id, drop.ambassador_id) not in pairs
    assert any(p.confirmed for p in again.pairings)


def test_unknown_adjustments_are_reported_with_their_cell(make_campaign: MakeCampaign) -> None:
    config = make_campaign([school("Collège A")], roster=demo_roster(size=4))
    add_adjustments(config.source, [("zz-4e1", "x", "Confirmer"), ("a-4e1", "x", "Peut-être")])
    report = sync(load_config(config.path), now=NOW, dry_run=True).check.report
    assert [(i.tab, i.cell, i.code) for i in report if i.tab == "Ajustements"] == [
        ("Ajustements", "A2", "ajustement-inconnu"), ("Ajustements", "B3", "ajustement-inconnu")]


def test_partner_tabs_hold_no_contact_and_no_name_without_consent(
    make_campaign: MakeCampaign,
) -> None:
    roster = demo_roster(size=20)
    config = make_campaign([school("Collège A"), school("Collège B", classes_4e=2)],
                           roster=roster)
    sync(load_config(config.path), now=NOW)
    book = load_workbook(config.source)
    forbidden = {r["courriel"] for r in roster} | {r["telephone"] for r in roster}
    hidden_names = {f"{r['prenom']} {r['nom']}" for r in roster if r["consentement"] != "Oui"}
    shown = {f"{r['prenom']} {r['nom']}" for r in roster if r["consentement"] == "Oui"}
    seen_names = set()
    for name in PARTNER_TABS:
        for row in book[name].iter_rows(values_only=True):
            for value in row:
                text = str(value or "")
                assert not any(f in text for f in forbidden), (name, text)
                assert not any(n in text for n in hidden_names), (name, text)
                seen_names |= {n for n in shown if n in text}
    assert seen_names  # consenting ambassadors do appear by name


def test_match_command_json_shape(make_campaign: MakeCampaign) -> None:
    config = make_campaign([school("Collège A")], roster=demo_roster(size=6))
    result = CliRunner().invoke(main, ["match", "--config", str(config.path), "--json"])
    data = json.loads(result.stdout)
    assert set(data) == {"pairings", "non_pourvues"}
    assert set(data["pairings"][0]) == {"classe", "etablissement", "niveau", "ambassadeur",
                                        "genre", "metier", "secteur", "raisons"}
    assert data["pairings"][0]["genre"] in ("F", "H", None)


def test_classes_without_enough_ambassadors_are_listed(make_campaign: MakeCampaign) -> None:
    config = make_campaign([school("Collège A", classes_4e=3, classes_3e=3)],
                           roster=demo_roster(size=2))
    result = CliRunner().invoke(main, ["match", "--config", str(config.path), "--json"])
    assert result.exit_code == 1
    unserved = json.loads(result.stdout)["non_pourvues"]
    assert unserved and all(u["raison"] for u in unserved)


def test_a_new_class_at_the_next_sync_moves_no_published_pairing(
    make_campaign: MakeCampaign,
) -> None:
    config = make_campaign([school("Collège A"), school("Collège B")],
                           roster=demo_roster(size=12))
    first = sync(load_config(config.path), now=NOW).check.sponsorship.result.pairings
    book = load_workbook(config.source)
    answers = book["Réponses"]
    header = [c.value for c in answers[1]]
    column = next(i for i, v in enumerate(header, 1) if "classes de 4ème" in str(v))
    answers.cell(2, column, answers.cell(2, column).value + 1)
    book.save(config.source)
    later = NOW + dt.timedelta(days=30)
    again = sync(load_config(config.path), now=later)
    pairs = {(p.class_id, p.ambassador_id) for p in again.check.sponsorship.result.pairings}
    assert {(p.class_id, p.ambassador_id) for p in first} <= pairs
    assert any(line.startswith("Appariement ajouté : a-4e2") for line in
               again.check.sponsorship.changes)
    journal = load_workbook(config.source)["Journal"]
    texts = [str(r[1]) for r in journal.iter_rows(min_row=5, values_only=True)]
    assert any(t.startswith("Réponse modifiée : Collège A") for t in texts)


def test_match_screen_tells_a_class_with_no_ambassador_from_one_still_missing_some(
    make_campaign: MakeCampaign,
) -> None:
    """Bug: every class with fewer than k ambassadors was printed « Non pourvue », even one
    that has its first ambassador."""
    config = make_campaign([school("Collège A", classes_4e=3, classes_3e=3)],
                           roster=demo_roster(size=2))
    result = CliRunner().invoke(main, ["match", "--config", str(config.path)])
    data = json.loads(CliRunner().invoke(
        main, ["match", "--config", str(config.path), "--json"]).stdout)
    served = {p["classe"] for p in data["pairings"]}
    short = {u["classe"] for u in data["non_pourvues"]}
    assert short - served and short & served  # both kinds are on the screen
    lines = result.stdout.splitlines()
    for class_id in short:
        (line,) = [x for x in lines if f" : {class_id} — " in x]
        assert line.startswith("Incomplète" if class_id in served else "Non pourvue")
    none = len(short - served)
    assert f"{none} classe(s) non pourvue(s), {len(short) - none} incomplète(s)." in result.stdout
