from sheets_sync.cells.grid import Grid
from sheets_sync.form.model import FORM_FIELDS
from sheets_sync.form.read import extract, read_fiche, read_table

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
