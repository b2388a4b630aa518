import datetime as dt
from pathlib import Path

from sheets_sync.check import check_answers
from sheets_sync.config import load_config
from sheets_sync.dashboards import build_tabs, completeness_tab, figures, summary_tab
from sheets_sync.grid import is_generated
from sheets_sync.read import read_table

from .helpers import COMPLETE_NO, COMPLETE_YES, KEYS, table

ROOT = Path(__file__).resolve().parent.parent
CONFIG = load_config(ROOT / "config.toml")
NOW = dt.datetime(2021, 7, 20, 9, 30)
COL = {k: chr(65 + i) for i, k in enumerate(KEYS)}


def schools(*answers):
    found = read_table(table(answers))
    assert found is not None
    return check_answers(found.answers, CONFIG.limits)


def test_figures_count_classes_of_schools_taking_part_only() -> None:
    checked = schools(COMPLETE_YES, {**COMPLETE_YES, "classes_4e": 2, "objectifs": None},
                      {**COMPLETE_NO, "classes_4e": 5}, {**COMPLETE_YES, "participation": "?"})
    f = figures(checked)
    assert (f.answered, f.taking_part, f.not_taking_part, f.undecided) == (4, 2, 1, 1)
    assert (f.classes_4e, f.classes_3e, f.classes) == (3, 4, 7)
    assert (f.complete, f.incomplete) == (2, 2)


def test_summary_rows() -> None:
    tab = summary_tab(CONFIG, schools(COMPLETE_YES, COMPLETE_NO), NOW)
    values = {r[0].value: r[1].value for r in tab.rows}
    assert values["Établissements ayant répondu"] == 2
    assert values["Classes volontaires (total)"] == 3
    assert values["Part des réponses complètes"] == 1.0
    assert values["Date limite — 1re session"] == dt.date(2021, 7, 16)
    assert is_generated(tab.as_rows()[0][0].value)
    assert "20/07/2021" in tab.banner


def test_completeness_links_every_faulty_cell() -> None:
    checked = schools(COMPLETE_YES, {**COMPLETE_YES, "objectifs": None, "classes_3e": "2 ou 3"})
    tab = completeness_tab(CONFIG, checked, NOW)
    ok, bad = tab.rows
    assert [c.value for c in ok[:7]] == ["Collège des Essais", "Réponses", 2, "Complet", "", 0, 0]
    assert [c.value for c in bad[2:4]] == [3, "Incomplet"]
    assert bad[4].value == "classes de 3ème ; Vos objectifs"
    links = [c.link for c in bad[7:]]
    assert links == [f"'Réponses'!{COL['classes_3e']}3", f"'Réponses'!{COL['objectifs']}3"]
    assert tab.header[0] == "Établissement" and len(tab.header) == 8


def test_tabs_are_the_same_for_the_same_input() -> None:
    checked = schools(COMPLETE_YES, COMPLETE_NO)
    assert build_tabs(CONFIG, checked, NOW) == build_tabs(CONFIG, checked, NOW)
    assert [t.name for t in build_tabs(CONFIG, checked, NOW)] == ["Synthèse", "Complétude"]
