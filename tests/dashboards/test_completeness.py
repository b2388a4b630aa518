"""« Complétude »: duplicates say which row to delete; workbook-level issues get a block."""

import datetime as dt
from pathlib import Path

from sheets_sync.config import load_config
from sheets_sync.dashboards.completeness import SOURCE_LABEL, completeness_tab
from sheets_sync.form.check import check_answers
from sheets_sync.form.consolidate import consolidate
from sheets_sync.form.findings import make_issue
from sheets_sync.form.read import read_table
from sheets_sync.form.sessions import EMPTY_STATE

from ..helpers import COMPLETE_YES, table

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "config.toml")
NOW = dt.datetime(2021, 7, 20, 9, 30)


def campaign(*answers):
    found = read_table(table(answers))
    assert found is not None
    return consolidate(check_answers(found.answers, CONFIG.limits), (), EMPTY_STATE,
                       CONFIG.sessions, NOW.date())


def test_sorted_partial_row_above_complete() -> None:
    """The duplicate row says which row to delete; its own errors are not listed or counted."""
    partial = {**COMPLETE_YES, "objectifs": None, "theme": None, "contenu": None}
    tab = completeness_tab(CONFIG, campaign(partial, COMPLETE_YES), NOW)
    dropped, kept = tab.rows
    assert [c.value for c in dropped[2:4]] == [2, "Doublon (non retenu)"]
    assert dropped[5].value == "Doublon : supprimez la ligne 2 (réponse retenue : la ligne 3)"
    assert [c.value for c in dropped[6:8]] == [0, 1]  # errors, warnings
    assert [c.link for c in dropped[8:]] == ["'Réponses'!A2"]
    assert [c.value for c in kept[2:4]] == [3, "Complet"]
    assert sum(r[6].value or 0 for r in tab.rows) == 0


def test_source_issues_are_listed_in_a_workbook_block() -> None:
    issues = [
        make_issue("onglet-non-lu", tab="Feuil2", cell="A1", row=1, line=1,
                   expected="Réponses"),
        make_issue("saisie-hors-reponses", tab="Mode d'emploi", cell="B3",
                   value="x", expected="Réponses"),
        make_issue("onglet-reponses-absent", tab="Réponses", found="Réponses 2026"),
    ]
    tab = completeness_tab(CONFIG, campaign(COMPLETE_YES), NOW, source_issues=issues)
    answer, *block = tab.rows
    assert answer[0].value == "Collège des Essais"
    assert [(r[0].value, r[1].value, r[2].value, r[3].value) for r in block] == [
        (SOURCE_LABEL, "Feuil2", 1, "Avertissement"),
        (SOURCE_LABEL, "Mode d'emploi", 3, "Avertissement"),
        (SOURCE_LABEL, "Réponses", None, "Avertissement"),
    ]
    assert [r[5].value for r in block] == [
        "Onglet non lu : recopiez ces réponses dans l'onglet « Réponses ».",
        "Saisie non lue : recopiez-la dans l'onglet « Réponses ».",
        issues[2].message,
    ]
    assert [r[8].link for r in block] == ["'Feuil2'!A1", "'Mode d''emploi'!B3", None]
    # the typed text itself is not shown (it may be someone's contact details)
    assert all(r[8].value != "x" for r in block)


def test_without_source_issues_the_tab_is_unchanged() -> None:
    checked = campaign(COMPLETE_YES)
    assert completeness_tab(CONFIG, checked, NOW) == completeness_tab(CONFIG, checked, NOW,
                                                                      source_issues=())
    assert len(completeness_tab(CONFIG, checked, NOW).rows) == 1


def test_fiche_files_are_named_but_not_linked() -> None:
    issue = make_issue("saisie-hors-reponses", tab="a.xlsx › Mode d'emploi", cell="B3",
                       expected="Fiche")
    tab = completeness_tab(CONFIG, campaign(COMPLETE_YES), NOW, source_issues=[issue])
    assert tab.rows[-1][8].value == "B3" and tab.rows[-1][8].link is None
