import datetime as dt
import itertools
from pathlib import Path

from sheets_sync.ambassadors.sponsoring import sponsor
from sheets_sync.cells.grid import is_generated
from sheets_sync.config import load_config
from sheets_sync.dashboards.completeness import completeness_tab
from sheets_sync.dashboards.memory import state_tab
from sheets_sync.dashboards.overview import build_tabs, figures, summary_tab
from sheets_sync.form.check import check_answers
from sheets_sync.form.consolidate import consolidate
from sheets_sync.form.contacts import find_contacts
from sheets_sync.form.identity import Establishment
from sheets_sync.form.read import read_table
from sheets_sync.form.sessions import EMPTY_STATE
from sheets_sync.outreach.texts import reminder_templates

from ..helpers import COMPLETE_NO, COMPLETE_YES, KEYS, table

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "config.toml")
NOW = dt.datetime(2021, 7, 20, 9, 30)
COL = {k: chr(65 + i) for i, k in enumerate(KEYS)}


def campaign(*answers, reference=()):
    found = read_table(table(answers))
    assert found is not None
    return consolidate(check_answers(found.answers, CONFIG.limits), reference, EMPTY_STATE,
                       CONFIG.sessions, NOW.date())


def named(name: str, **values: object) -> dict[str, object]:
    return {**COMPLETE_YES, "etablissement": name, **values}


def test_figures_count_classes_of_schools_taking_part_only() -> None:
    checked = campaign(named("A"), named("B", classes_4e=2, objectifs=None),
                       {**COMPLETE_NO, "classes_4e": 5}, named("D", participation="?"))
    f = figures(CONFIG, checked)
    assert (f.received, f.taking_part, f.not_taking_part, f.undecided) == (4, 2, 1, 1)
    assert (f.classes_4e, f.classes_3e, f.classes) == (3, 4, 7)
    assert (f.complete, f.declined, f.incomplete) == (1, 1, 2)
    assert f.expected is None and f.unanswered == 0


def test_synthese_counts_a_non_as_complete() -> None:
    """synthese-counts-a-non-as-complete: a « Non » is an answer, not a complete participation."""
    checked = campaign(named("A"), named("B"), COMPLETE_NO)
    values = {r[0].value: r[1].value for r in summary_tab(CONFIG, checked, NOW).rows
              if len(r) > 1}
    assert values["Réponses reçues (hors doublons)"] == 3
    assert values["Réponses complètes (participation, Oui sans erreur)"] == 2
    assert values["Réponses « Non » (ne participe pas, sans erreur)"] == 1
    assert values["Réponses incomplètes (à corriger)"] == 0
    assert values["Part des réponses complètes (participation)"] == 2 / 3


def test_duplicates_are_not_counted() -> None:
    checked = campaign(named("Collège A"), named("Clg A", classes_4e=4))
    f = figures(CONFIG, checked)
    (kept,) = checked.kept
    assert (f.received, f.duplicates, f.classes_4e) == (1, 1, kept.values["classes_4e"])


def test_summary_rows() -> None:
    tab = summary_tab(CONFIG, campaign(COMPLETE_YES, COMPLETE_NO,
                                       {**COMPLETE_NO, "date_depot": "20/09/2021",
                                        "etablissement": "Collège Tardif"}), NOW)
    values: dict[object, object] = {}
    for r in tab.rows:  # the first block naming a label (sessions come before their dates)
        if len(r) > 1:
            values.setdefault(r[0].value, r[1].value)
    assert values["Réponses reçues (hors doublons)"] == 3
    assert values["Classes volontaires (total)"] == 3
    assert values["Part des réponses complètes (participation)"] == 1 / 3
    dates = [r for r in tab.rows if len(r) > 1 and isinstance(r[1].value, dt.date)]
    assert [(r[0].value, r[1].value) for r in dates] == [
        ("1re session", dt.date(2021, 7, 16)), ("2e session", dt.date(2021, 9, 10))]
    # no « Date de dépôt »: first seen complete today (20/07) → 2e session
    assert values["2e session"] == 2
    assert values["Hors délai"] == 1
    assert "Établissements attendus (liste de référence)" not in values
    assert is_generated(tab.as_rows()[0][0].value)
    assert "20/07/2021" in tab.banner


def test_reference_list_adds_expected_and_unanswered() -> None:
    reference = [Establishment("Collège des Essais", "0590190L"), Establishment("Collège Muet")]
    checked = campaign(COMPLETE_YES, reference=reference)
    values = {r[0].value: r[1].value for r in summary_tab(CONFIG, checked, NOW).rows
              if len(r) > 1}
    assert values["Établissements attendus (liste de référence)"] == 2
    assert values["Établissements sans réponse"] == 1
    rows = completeness_tab(CONFIG, checked, NOW).rows
    assert [r[0].value for r in rows] == ["Collège des Essais", "Collège Muet"]
    assert rows[1][3].value == "Sans réponse"


def test_completeness_links_every_faulty_cell() -> None:
    checked = campaign(COMPLETE_YES, named("Collège B", objectifs=None, classes_3e="2 ou 3"))
    tab = completeness_tab(CONFIG, checked, NOW)
    ok, bad = tab.rows
    assert [c.value for c in ok[:8]] == ["Collège des Essais", "Réponses", 2, "Complet",
                                         "2e session", "", 0, 0]
    assert [c.value for c in bad[2:5]] == [3, "Incomplet", "—"]
    assert bad[5].value == "classes de 3ème ; Vos objectifs"
    links = [c.link for c in bad[8:]]
    assert links == [f"'Réponses'!{COL['classes_3e']}3", f"'Réponses'!{COL['objectifs']}3"]
    assert tab.header[0] == "Établissement" and len(tab.header) == 9


def test_state_tab_is_hidden_and_holds_first_seen_days() -> None:
    tab = state_tab(CONFIG, campaign(COMPLETE_YES, named("Collège B", objectifs=None)), NOW)
    assert tab.hidden
    seen = itertools.takewhile(bool, tab.rows)  # first block; what else it remembers follows
    assert [(r[0].value, r[1].value) for r in seen] == [("essais", NOW.date())]


def test_tabs_are_the_same_for_the_same_input() -> None:
    checked = campaign(COMPLETE_YES, COMPLETE_NO)
    sponsorship = sponsor(CONFIG, checked.kept, [], [])
    templates = reminder_templates(CONFIG)
    first = build_tabs(CONFIG, checked, sponsorship, NOW, templates)
    assert first == build_tabs(CONFIG, checked, sponsorship, NOW, templates)
    assert [t.name for t in first] == [
        "Synthèse", "Complétude", "Classes", "Mobilisation des ambassadeurs",
        "Égalité filles-garçons", "Parrainages", "Relances", "Journal", "sheets-sync (état)"]
    assert [t.name for t in first if t.hidden] == ["sheets-sync (état)"]


def test_summary_charts_point_at_their_rows() -> None:
    checked = campaign(COMPLETE_YES, named("Collège B", classes_4e=2),
                       named("Collège C", orientation="mise en avant de figures emblématiques"))
    tab = summary_tab(CONFIG, checked, NOW)
    rows = tab.as_rows()
    for chart in tab.charts:
        labels = [rows[r - 1][chart.categories - 1].value for r in
                  range(chart.first_row, chart.last_row + 1)]
        assert all(isinstance(v, str) and v for v in labels), chart.title
        for series in chart.series:
            values = [rows[r - 1][series.column - 1].value for r in
                      range(chart.first_row, chart.last_row + 1)]
            assert all(isinstance(v, int) for v in values), chart.title
    assert [c.kind for c in tab.charts] == ["column", "bar", "pie"]


def test_orientations_typed_several_ways_are_one_slice_each() -> None:
    """Found in the demo: the same choice typed twice drew two slices (issue #15)."""
    same = campaign(named("Collège A", orientation="stéréotypes"),
                    named("Collège B", orientation="Lutte contre les STÉRÉOTYPES"))
    tab = summary_tab(CONFIG, same, NOW)
    rows = [[c.value for c in r] for r in tab.as_rows()]
    start = rows.index(["Orientations choisies"]) + 1  # the block's title, then its header
    assert rows[start] == ["Orientation", "Établissements"]
    assert rows[start + 1] == ["lutte contre les déterminismes et les stéréotypes", 2]
    assert "Orientations choisies" not in [c.title for c in tab.charts]  # one slice: no chart
    both = campaign(named("Collège A", orientation="secteurs porteurs et figures de la Ville"),
                    named("Collège B", orientation="visites d'entreprises"))
    tab = summary_tab(CONFIG, both, NOW)
    (chart,) = [c for c in tab.charts if c.title == "Orientations choisies"]
    assert chart.kind == "bar"  # 3 mentions for 2 schools: not parts of a whole
    assert any("compte dans chacune" in note for note in tab.notes)


CONTACT_THEME = "Le numérique — contact : m.dupont@exemple.fr / 06 12 34 56 78"


def test_contact_typed_in_theme_is_masked_in_every_tab_principals_or_partners_read() -> None:
    """contact-typed-in-theme: « Classes » shows the theme masked; coordinator tabs unchanged."""
    checked = campaign(named("Collège A", theme=CONTACT_THEME, titre="Appeler le 0612345678"))
    sponsorship = sponsor(CONFIG, checked.kept, [], [])
    tabs = {t.name: t for t in build_tabs(CONFIG, checked, sponsorship, NOW,
                                          reminder_templates(CONFIG))}
    shown = {name: [c.value for row in t.as_rows() for c in row if isinstance(c.value, str)]
             for name, t in tabs.items()}
    for name in ("Synthèse", "Complétude", "Classes", "Mobilisation des ambassadeurs",
                 "Égalité filles-garçons"):
        assert not any(find_contacts(text) for text in shown[name]), name
    assert "Le numérique — contact : [coordonnées masquées] / [coordonnées masquées]" in (
        shown["Classes"])
    # the warning is listed in Complétude on the cell the principal typed in
    (row,) = tabs["Complétude"].rows
    linked = [str(c.value) for c in row[8:]]
    assert [v.split(" ")[0] for v in linked] == [f"{COL['titre']}2", f"{COL['theme']}2"]
