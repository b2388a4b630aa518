from pathlib import Path

import pytest

from sheets_sync.backends import excel
from sheets_sync.cells.grid import Grid
from sheets_sync.config import load_config
from sheets_sync.form.guide import GUIDE_TAB, coordination_how_to, how_to
from sheets_sync.form.model import FORM_FIELDS
from sheets_sync.form.read import Extraction, extract, read_fiche, read_table

from ..helpers import COMPLETE_NO, COMPLETE_YES, HEADER, KEYS, table


def test_header_found_below_a_title_and_columns_in_any_order() -> None:
    order = list(reversed(range(len(KEYS))))
    grid = table([COMPLETE_YES], header=[HEADER[i] for i in order], keys=[KEYS[i] for i in order],
                 above=[["Annexe n°1"], []])
    found = read_table(grid)
    assert found is not None and found.layout == "tableau"
    (answer,) = found.answers
    assert answer.row == 4
    assert answer.cells["etablissement"].value == "Collège des Essais"
    # etablissement is the first field, so the last column once reversed
    assert answer.cells["etablissement"].cell == f"{chr(64 + len(KEYS))}4"


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_number() -> None:
    grid = table([COMPLETE_YES, {"etablissement": "   "}, {}, COMPLETE_NO])
    found = read_table(grid)
    assert found is not None
    assert [a.row for a in found.answers] == [2, 5]


def test_unknown_and_duplicate_columns_are_warnings_with_their_cell() -> None:
    header = [*HEADER, "Commentaire du rectorat", HEADER[0]]
    grid = table([COMPLETE_YES], header=header, keys=[*KEYS, "x", "y"])
    found = read_table(grid)
    assert found is not None
    codes = [(i.code, i.cell) for i in found.issues]
    n = len(HEADER)
    assert ("colonne-inconnue", f"{chr(65 + n)}1") in codes
    assert ("colonne-en-double", f"{chr(66 + n)}1") in codes


def test_missing_required_column_is_reported() -> None:
    keys = [k for k in KEYS if k != "objectifs"]
    grid = table([COMPLETE_YES], header=[h for h, k in zip(HEADER, KEYS, strict=True)
                                         if k != "objectifs"], keys=keys)
    found = read_table(grid)
    assert found is not None
    assert [(i.code, i.field) for i in found.issues] == [("colonne-absente", "objectifs")]


def test_referent_in_three_cells_is_joined() -> None:
    header = ["Nom de l'établissement participant", "Prénom", "NOM", "Fonction du référent",
              "Adresse de l'établissement"]
    grid = Grid("Réponses", (tuple(header), ("Collège A", "Alice", "MARTIN", "principale", "x")))
    found = read_table(grid)
    assert found is not None
    answer = found.answers[0]
    assert answer.cells["referent"].value == "Alice MARTIN, principale"
    assert answer.cells["referent"].cell == "B2"
    assert set(answer.parts) == {"referent_prenom", "referent_nom", "referent_fonction"}


def fiche(values: dict[str, object]) -> Grid:
    rows: list[tuple[object, ...]] = [("Annexe n°1 : Formulaire",), ()]
    rows.extend((f.label, values.get(f.key)) for f in FORM_FIELDS)
    return Grid("fiche.xlsx › Fiche", tuple(rows), sheet="Fiche")  # type: ignore[arg-type]


def test_fiche_reads_answers_to_the_right_of_labels() -> None:
    found = read_fiche(fiche(COMPLETE_YES), origin="fiche.xlsx")
    assert found is not None and found.layout == "fiche"
    (answer,) = found.answers
    assert answer.row is None and answer.origin == "fiche.xlsx"
    assert answer.cells["titre"].value == "Des métiers pour tous"
    assert answer.cells["titre"].cell == "B9"
    # an empty answer is still addressed at the cell to its right
    found = read_fiche(fiche({**COMPLETE_YES, "objectifs": None}))
    assert found is not None
    assert found.answers[0].cells["objectifs"].cell == "B11"


def test_extract_prefers_the_named_tab_and_never_reads_generated_or_roster_tabs() -> None:
    generated = Grid("Synthèse", (("Généré par sheets-sync le …",), tuple(HEADER)), "Synthèse")
    roster = table([COMPLETE_NO], tab="Ambassadeurs")
    answers = table([COMPLETE_YES], tab="Réponses")
    found = extract([generated, roster, answers], "Réponses", ["Ambassadeurs"])
    assert [a.tab for a in found.answers] == ["Réponses"]
    assert extract([generated, roster], "Réponses", ["Ambassadeurs"]).layout == "vide"


def test_a_workbook_without_the_annex_is_empty() -> None:
    grid = Grid("Feuil1", (("a", "b"), (1, 2)))
    assert extract([grid], "Réponses", ["Ambassadeurs"]).layout == "vide"


# --- nothing dropped silently (issue #13 item 6) ---------------------------------------

FORMS = Path(__file__).resolve().parents[1] / "data" / "forms"
OTHERS = ("Ambassadeurs", "Établissements")


def read_fixture(name: str) -> Extraction:
    book = excel.read_workbook(FORMS / name)
    return extract(book.grids, "Réponses", OTHERS)


def codes(found: Extraction) -> list[tuple[str, str, str | None]]:
    return [(i.code, i.tab, i.cell) for i in found.issues]


def test_answers_typed_in_second_tab() -> None:
    found = read_fixture("answers-typed-in-second-tab.xlsx")
    assert codes(found) == [("onglet-non-lu", "Feuil2", "A1")]
    assert found.issues[0].severity == "avertissement" and found.issues[0].row == 1
    assert "« Réponses »" in found.issues[0].message
    assert [a.tab for a in found.answers] == ["Réponses"]


def test_answers_typed_in_mode_emploi() -> None:
    found = read_fixture("answers-typed-in-mode-emploi.xlsx")
    assert codes(found) == [("saisie-hors-reponses", GUIDE_TAB, "B3"),
                            ("saisie-hors-reponses", GUIDE_TAB, "A23")]
    assert {i.severity for i in found.issues} == {"avertissement"}
    assert [a.tab for a in found.answers] == ["Réponses"]


def test_answers_tab_renamed() -> None:
    found = read_fixture("answers-tab-renamed.xlsx")
    assert codes(found) == [("onglet-reponses-absent", "Réponses", None)]
    assert "« Réponses 2026 »" in found.issues[0].message
    assert [a.tab for a in found.answers] == ["Réponses 2026"]


@pytest.mark.parametrize("layout", ["tableau", "fiche"])
@pytest.mark.parametrize("configured", [True, False])
def test_the_templates_own_how_to_is_not_taken_for_typed_text(layout: str,
                                                              configured: bool) -> None:
    config = load_config(Path(__file__).resolve().parents[2] / "config.toml")
    guides = [how_to(layout, config if configured else None, "Fiche"),
              coordination_how_to(config if configured else None)]
    for guide in guides:
        grid = Grid(GUIDE_TAB, tuple((text,) for _, text in guide.lines), GUIDE_TAB)
        answers = table([COMPLETE_YES])
        assert extract([grid, answers], "Réponses", OTHERS).issues == ()


def test_labels_numbers_and_text_below_the_how_to_are_typed() -> None:
    lines = how_to("tableau", None, "Fiche").lines
    rows: list[tuple[object, ...]] = [(text,) for _, text in lines]
    rows[1] = (rows[1][0], None, "oui")  # beside the text
    rows += [(None,), ("Nom de l'établissement participant",), (42,)]
    grid = Grid(GUIDE_TAB, tuple(rows), GUIDE_TAB)  # type: ignore[arg-type]
    found = extract([grid, table([COMPLETE_YES])], "Réponses", OTHERS)
    n = len(lines)
    assert [i.cell for i in found.issues] == ["C2", f"A{n + 2}", f"A{n + 3}"]


def test_roster_reference_generated_and_adjustment_tabs_are_not_flagged() -> None:
    generated = Grid("Synthèse", (("Généré par sheets-sync le …",), tuple(HEADER)), "Synthèse")
    roster = table([COMPLETE_NO], tab="Ambassadeurs")
    adjustments = Grid("Ajustements", (("Classe", "Ambassadeur", "Décision"),), "Ajustements")
    found = extract([generated, roster, adjustments, table([COMPLETE_YES])], "Réponses", OTHERS)
    assert found.issues == ()


def test_fiches_do_not_flag_their_tabs() -> None:
    how = Grid(GUIDE_TAB, tuple((t,) for _, t in how_to("fiche", None, "Fiche").lines), GUIDE_TAB)
    found = extract([how, fiche(COMPLETE_YES)], "Réponses", OTHERS, origin="fiche.xlsx")
    assert found.layout == "fiche" and found.issues == () and len(found.answers) == 1


def test_a_second_table_is_flagged_at_its_header_row_and_first_label() -> None:
    second = table([COMPLETE_NO], header=["", *HEADER], keys=["x", *KEYS], tab="Copie",
                   above=[["Mes réponses"], []])
    found = extract([table([COMPLETE_YES]), second], "Réponses", OTHERS)
    assert codes(found) == [("onglet-non-lu", "Copie", "B3")]
    assert found.issues[0].row == 3 and "en ligne 3" in found.issues[0].message
