"""The Excel templates: written with xlsxwriter, read back with openpyxl as the sync will."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_sync.config import Config, Limits, parse_config
from sheets_sync.errors import ConfigError, SheetsSyncError
from sheets_sync.form.model import ANSWER_FIELDS, FIELD, ROSTER_FIELDS, Need
from sheets_sync.form.template import (
    FICHE_TAB,
    FICHE_TITLE,
    GUIDE_TAB,
    PREPARED_ROWS,
    help_text,
)
from sheets_sync.starter.campaign import write_template

from .openpyxl_losses import package_losses

LAST = PREPARED_ROWS + 1  # last prepared sheet row (header is row 1)

ANSWER: dict[str, Any] = {
    "etablissement": "=1+1",
    "adresse": "+33 rue de l'Essai, 59100 Roubaix",
    "referent": "@Camille TESTEUR, principale adjointe",
    "participation": "Oui",
    "classes_4e": 2,
    "classes_3e": 0,
    "titre": "-Des métiers près de chez nous",
    "orientation": "informations sur les secteurs porteurs",
    "objectifs": None,
    "discipline": "Technologie",
    "theme": "Le numérique",
    "contenu": "ateliers, rencontres",
    "courriel": "camille.testeur@exemple.test",
    "telephone": "0300000000",
    "date_depot": dt.date(2031, 7, 1),
}
AMBASSADOR: dict[str, Any] = {
    "prenom": "Dominique",
    "nom": "FICTIF",
    "genre": "F",
    "metier": "Technicienne de maintenance",
    "code_rome": "I1304",
    "secteur": "Industrie",
    "capacite": 2,
    "consentement": "Oui",
}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A fictional campaign with non-default tab names and limits."""
    data = {
        "campagne": {
            "nom": "Campagne fictive",
            "annee_scolaire": "2031-2032",
            "sessions": [
                {"nom": "1re session", "date_limite": dt.date(2031, 7, 16)},
                {"nom": "2e session", "date_limite": dt.date(2031, 9, 10)},
            ],
        },
        "source": {
            "chemin": "reponses.xlsx",
            "onglet_reponses": "Inscriptions",
            "onglet_ambassadeurs": "Parrains",
        },
        "controles": {"titre_longueur_max": 80, "classes_max": 12},
    }
    return parse_config(data, tmp_path)


def _write(
    tmp_path: Path, layout: str, config: Config | None = None, name: str = "t.xlsx", **kwargs: Any
) -> Path:
    path = tmp_path / name
    write_template(path, layout, config, **kwargs)
    return path


def _validations(sheet: Any) -> dict[str, Any]:
    return {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}


def _formats(sheet: Any) -> dict[str, list[str]]:
    return {
        str(cf.sqref): [f for rule in cf.rules for f in rule.formula]
        for cf in sheet.conditional_formatting
    }


def _column(sheet: Any, col: int) -> Any:
    """The column dimension covering `col` (xlsxwriter groups alike neighbours in one <col>)."""
    found = [d for d in sheet.column_dimensions.values() if d.min <= col <= d.max]
    assert len(found) == 1
    return found[0]


def _col(fields: tuple[Any, ...], key: str) -> str:
    return str(openpyxl.utils.get_column_letter([f.key for f in fields].index(key) + 1))


# --- tableau ---------------------------------------------------------------------------------


def test_tableau_tabs_and_headers_are_the_form_labels_in_order(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_write(tmp_path, "tableau"))
    assert book.sheetnames == ["Réponses", "Ambassadeurs", GUIDE_TAB]
    answers, roster = book["Réponses"], book["Ambassadeurs"]
    assert [c.value for c in answers[1]] == [f.label for f in ANSWER_FIELDS] + ["Statut"]
    assert [c.value for c in roster[1]] == [f.label for f in ROSTER_FIELDS]
    # nothing pre-filled: below the header, only the « Statut » formulas
    assert all(c.value is None for row in answers.iter_rows(min_row=2, max_col=15) for c in row)
    assert answers.freeze_panes == "A2" and roster.freeze_panes == "A2"
    assert answers.auto_filter.ref == f"A1:O{LAST}"
    assert answers["A1"].alignment.wrap_text is True
    assert answers.column_dimensions["A"].width == pytest.approx(
        FIELD["etablissement"].width, abs=1
    )


def test_tab_names_and_limits_come_from_config(tmp_path: Path, config: Config) -> None:
    book = openpyxl.load_workbook(_write(tmp_path, "tableau", config))
    assert book.sheetnames == ["Inscriptions", "Parrains", GUIDE_TAB]
    rules = _validations(book["Inscriptions"])
    assert (rules[f"E2:E{LAST}"].formula1, rules[f"E2:E{LAST}"].formula2) == ("0", "12")
    assert "LEN(G2)<=80" in rules[f"G2:G{LAST}"].formula1
    assert book.properties.title == f"{FICHE_TITLE} — Campagne fictive"


def test_answer_validations_have_the_right_types_ranges_and_limits(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(_write(tmp_path, "tableau"))["Réponses"]
    rules = _validations(sheet)
    # One validation per column, none overlapping (the title's two rules are one formula).
    assert len(sheet.data_validations.dataValidation) == len(rules) == len(ANSWER_FIELDS)
    participation = rules[f"D2:D{LAST}"]
    assert (participation.type, participation.formula1) == ("list", '"Oui,Non"')
    assert participation.showDropDown is not True  # openpyxl's inverted flag: arrow shown
    for col in "EF":
        count = rules[f"{col}2:{col}{LAST}"]
        assert (count.type, count.operator or "between") == ("whole", "between")
        assert (count.formula1, count.formula2) == ("0", "20")
    title = rules[f"G2:G{LAST}"]
    assert title.type == "custom"
    assert title.formula1.startswith("AND(LEN(G2)<=120,")
    assert "ISERROR(FIND(CHAR(10),G2))" in title.formula1
    date = rules[f"O2:O{LAST}"]
    assert (date.type, date.operator or "between") == ("date", "between")
    assert float(date.formula1) < float(date.formula2)
    for key in ("orientation", "discipline", "contenu"):
        col = _col(ANSWER_FIELDS, key)
        free = rules[f"{col}2:{col}{LAST}"]
        assert free.type == "textLength" and free.errorStyle == "warning"  # free text allowed


def test_roster_validations(tmp_path: Path) -> None:
    rules = _validations(openpyxl.load_workbook(_write(tmp_path, "tableau"))["Ambassadeurs"])
    genre = rules[f"{_col(ROSTER_FIELDS, 'genre')}2:{_col(ROSTER_FIELDS, 'genre')}{LAST}"]
    assert (genre.type, genre.formula1) == ("list", '"F,H,non renseigné"')
    capacity = rules[f"J2:J{LAST}"]
    assert _col(ROSTER_FIELDS, "capacite") == "J"
    assert (capacity.type, capacity.formula1, capacity.formula2) == ("whole", "1", "20")
    consent = rules[f"N2:N{LAST}"]
    assert _col(ROSTER_FIELDS, "consentement") == "N"
    assert (consent.type, consent.formula1) == ("list", '"Oui,Non"')


def test_input_messages_are_present_and_within_excel_limits(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_write(tmp_path, "tableau"))
    for sheet in (book["Réponses"], book["Ambassadeurs"]):
        for dv in sheet.data_validations.dataValidation:
            assert dv.showInputMessage and dv.prompt and dv.promptTitle
            assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255
            assert len(dv.errorTitle or "") <= 32 and len(dv.error or "") <= 255
    rules = _validations(book["Réponses"])
    discipline = rules[f"J2:J{LAST}"].prompt
    assert "Français" in discipline and "Mathématiques" in discipline
    assert FIELD["orientation"].suggestions[0] in rules[f"H2:H{LAST}"].prompt
    assert FIELD["contenu"].help in rules[f"L2:L{LAST}"].prompt
    assert "120" in rules[f"G2:G{LAST}"].prompt
    assert rules[f"D2:D{LAST}"].promptTitle == "À renseigner"
    assert rules[f"E2:E{LAST}"].promptTitle == "À renseigner si « Oui »"


def test_input_messages_are_the_shared_help_text_without_repeats(tmp_path: Path) -> None:
    """The Excel message and the Google note of a question come from one `help_text`."""
    rules = _validations(openpyxl.load_workbook(_write(tmp_path, "tableau"))["Réponses"])
    for f in ANSWER_FIELDS:
        col = _col(ANSWER_FIELDS, f.key)
        assert rules[f"{col}2:{col}{LAST}"].prompt == help_text(f, Limits(), limit=255)
    titre = rules[f"{_col(ANSWER_FIELDS, 'titre')}2:{_col(ANSWER_FIELDS, 'titre')}{LAST}"]
    assert titre.prompt == "Une seule ligne, sans retour à la ligne.\n120 caractères au plus."
    date = FIELD["date_depot"]
    assert help_text(date, Limits()).count("jj/mm/aaaa") == 1


def test_missing_required_cells_are_highlighted_on_started_rows(tmp_path: Path) -> None:
    formats = _formats(openpyxl.load_workbook(_write(tmp_path, "tableau"))["Réponses"])
    for col, f in zip("ABCDEFGHIJKLMNO", ANSWER_FIELDS, strict=True):
        rules = formats.get(f"{col}2:{col}{LAST}", [])
        if f.need is Need.ALWAYS:
            assert rules == [f"AND(COUNTA($A2:$O2)>0,LEN(TRIM({col}2))=0)"]
        elif f.need is Need.IF_YES:
            assert rules == [f'AND($D2="Oui",LEN(TRIM({col}2))=0)']
        else:
            assert rules == []
    assert formats[f"E2:F{LAST}"] == ['AND($D2="Oui",COUNT($E2:$F2)=2,SUM($E2:$F2)=0)']
    roster = _formats(openpyxl.load_workbook(tmp_path / "t.xlsx")["Ambassadeurs"])
    assert sorted(roster) == [f"{c}2:{c}{LAST}" for c in "ABDF"]  # prénom, nom, métier, secteur


def test_only_the_header_is_locked(tmp_path: Path) -> None:
    path = _write(tmp_path, "tableau", answers=[ANSWER], roster=[AMBASSADOR])
    book = openpyxl.load_workbook(path)
    for sheet, width, extra in ((book["Réponses"], 15, 1), (book["Ambassadeurs"], 14, 0)):
        protection = sheet.protection
        assert protection.sheet is True and not protection.password
        # In OOXML a False flag means « allowed despite the protection ».
        assert not (
            protection.formatColumns
            or protection.formatRows
            or protection.sort
            or protection.autoFilter
            or protection.insertRows
        )
        assert protection.formatCells and protection.deleteColumns and protection.insertColumns
        for col in range(1, width + 1):
            assert sheet.cell(1, col).protection.locked is True
            assert sheet.cell(2, col).protection.locked is False or sheet.cell(2, col).value is None
            assert _column(sheet, col).protection.locked is False
        if extra:  # the « Statut » column: formulas principals must not overwrite
            assert sheet.cell(2, width + 1).protection.locked is True
        beyond = _column(sheet, width + extra + 1)
        assert (beyond.min, beyond.max, beyond.protection.locked) == (
            width + extra + 1, 16384, False)
    assert book["Réponses"]["A2"].protection.locked is False


def test_prefilled_values_keep_their_type_and_text_never_becomes_a_formula(
    tmp_path: Path,
) -> None:
    second = {"etablissement": "Collège Imaginaire", "participation": "Non", "classes_4e": None}
    path = _write(tmp_path, "tableau", answers=[ANSWER, second], roster=[AMBASSADOR])
    book = openpyxl.load_workbook(path)
    answers = book["Réponses"]
    row = {f.key: answers.cell(2, i + 1) for i, f in enumerate(ANSWER_FIELDS)}
    for key in ("etablissement", "adresse", "referent", "titre"):
        assert (row[key].value, row[key].data_type) == (ANSWER[key], "s")
    assert row["classes_4e"].value == 2 and isinstance(row["classes_4e"].value, int)
    assert row["classes_3e"].value == 0
    assert row["objectifs"].value is None
    assert row["telephone"].value == "0300000000"
    assert row["date_depot"].value == dt.datetime(2031, 7, 1)
    assert row["date_depot"].number_format == "dd/mm/yyyy"
    assert [c.value for c in answers[3]][:5] == ["Collège Imaginaire", None, None, "Non", None]
    assert all(c.value is None for row in answers.iter_rows(min_row=4, max_col=15) for c in row)
    roster = book["Ambassadeurs"]
    assert [c.value for c in roster[2]] == [AMBASSADOR.get(f.key) for f in ROSTER_FIELDS]
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    # no formula anywhere in the answers: only the « Statut » column (P) holds formulas
    formula_cells = re.findall(r'<c r="([A-Z]+)\d+"[^>]*>(?:<v>[^<]*</v>)?<f>', sheet_xml)
    formula_cells += re.findall(r'<c r="([A-Z]+)\d+"[^>]*><f>', sheet_xml)
    assert formula_cells and set(formula_cells) == {"P"}


def test_values_of_any_type_are_written(tmp_path: Path) -> None:
    values = {
        "etablissement": 3.5,
        "adresse": True,
        "referent": dt.datetime(2031, 1, 2, 8, 30),
        "titre": dt.time(12, 0),
        "objectifs": "x" * 3000,
    }
    book = openpyxl.load_workbook(_write(tmp_path, "tableau", answers=[values]))
    got = [c.value for c in book["Réponses"][2]]
    assert got[:3] == [3.5, True, dt.datetime(2031, 1, 2, 8, 30)]
    assert got[6] == dt.time(12, 0)
    assert got[8] == "x" * 3000


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(st.characters(codec="utf-8"), max_size=40))
def test_any_text_comes_back_as_the_same_text(tmp_path: Path, text: str) -> None:
    book = openpyxl.load_workbook(_write(tmp_path, "tableau", answers=[{"objectifs": text}]))
    cell = book["Réponses"]["I2"]
    text_lf = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in text_lf if c in "\t\n" or not (c < " " or c == "\x7f"))
    assert cell.value == (kept or None)
    assert cell.data_type == ("s" if kept else "n")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("=SUM(A1:A2)", "=SUM(A1:A2)"),
        ("\t=1", "\t=1"),
        ("+", "+"),
        ("-2", "-2"),
        ("@", "@"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("bip\x07", "bip"),
        (" espaces ", " espaces "),
        ("x" * 40000, "x" * 32767),
    ],
)
def test_awkward_text(tmp_path: Path, typed: str, read: str) -> None:
    book = openpyxl.load_workbook(_write(tmp_path, "tableau", answers=[{"objectifs": typed}]))
    cell = book["Réponses"]["I2"]
    assert (cell.value, cell.data_type) == (read, "s")


def test_output_is_deterministic(tmp_path: Path, config: Config) -> None:
    for layout in ("tableau", "fiche"):
        first = _write(tmp_path, layout, config, "a.xlsx", answers=[ANSWER])
        second = _write(tmp_path, layout, config, "b.xlsx", answers=[ANSWER])
        assert first.read_bytes() == second.read_bytes()
        other = _write(tmp_path, layout, config, "c.xlsx", answers=[{**ANSWER, "theme": "Mer"}])
        assert other.read_bytes() != first.read_bytes()
    book = openpyxl.load_workbook(first)
    assert book.properties.creator == "sheets-sync"
    assert book.properties.created == dt.datetime(2021, 1, 1)


def test_no_feature_that_openpyxl_would_drop(tmp_path: Path) -> None:
    for layout in ("tableau", "fiche"):
        with zipfile.ZipFile(_write(tmp_path, layout)) as archive:
            names = archive.namelist()
            xml = "".join(archive.read(n).decode() for n in names if n.endswith(".xml"))
        assert "extLst" not in xml and "x14:" not in xml
        assert not [n for n in names if "drawing" in n or "media" in n or "vml" in n]
        with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
            assert package_losses(archive) == []


@pytest.mark.parametrize("layout", ["tableau", "fiche"])
def test_openpyxl_round_trip_keeps_validations_formats_and_protection(
    tmp_path: Path, layout: str
) -> None:
    original = openpyxl.load_workbook(_write(tmp_path, layout, answers=[ANSWER]))
    original.save(tmp_path / "resaved.xlsx")
    again = openpyxl.load_workbook(tmp_path / "resaved.xlsx")
    assert again.sheetnames == original.sheetnames
    for name in original.sheetnames:
        before, after = original[name], again[name]
        assert {
            k: (v.type, v.formula1, v.formula2, v.prompt) for k, v in _validations(after).items()
        } == {
            k: (v.type, v.formula1, v.formula2, v.prompt) for k, v in _validations(before).items()
        }
        assert _formats(after) == _formats(before)
        assert after.protection.sheet == before.protection.sheet
        assert [[c.value for c in r] for r in after.iter_rows()] == [
            [c.value for c in r] for r in before.iter_rows()
        ]
    main = again["Réponses" if layout == "tableau" else FICHE_TAB]
    assert len(main.data_validations.dataValidation) == len(ANSWER_FIELDS)
    assert "LEN(" in _validations(main)["G2:G301" if layout == "tableau" else "B8"].formula1


# --- fiche -----------------------------------------------------------------------------------


def test_fiche_layout(tmp_path: Path, config: Config) -> None:
    other = {**ANSWER, "etablissement": "Collège Ignoré"}
    book = openpyxl.load_workbook(_write(tmp_path, "fiche", config, answers=[ANSWER, other]))
    assert book.sheetnames == [FICHE_TAB, GUIDE_TAB]
    sheet = book[FICHE_TAB]
    assert sheet["A1"].value == f"{FICHE_TITLE} — Campagne fictive"
    labels = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    assert labels == [f.label for f in ANSWER_FIELDS]
    assert labels.count(FIELD["referent"].label) == 1
    answers = {f.key: sheet.cell(r, 2) for r, f in enumerate(ANSWER_FIELDS, start=2)}
    assert (answers["etablissement"].value, answers["etablissement"].data_type) == ("=1+1", "s")
    assert answers["classes_4e"].value == 2
    assert answers["date_depot"].value == dt.datetime(2031, 7, 1)
    assert sheet.protection.sheet is True
    for r in range(1, len(ANSWER_FIELDS) + 2):
        assert sheet.cell(r, 1).protection.locked is True
    for r in range(2, len(ANSWER_FIELDS) + 2):
        assert sheet.cell(r, 2).protection.locked is False


def test_fiche_validations_and_highlights(tmp_path: Path, config: Config) -> None:
    sheet = openpyxl.load_workbook(_write(tmp_path, "fiche", config))[FICHE_TAB]
    rules = _validations(sheet)
    assert sorted(rules, key=lambda a: int(a[1:])) == [f"B{r}" for r in range(2, 17)]
    assert (rules["B5"].type, rules["B5"].formula1) == ("list", '"Oui,Non"')
    assert (rules["B6"].type, rules["B6"].formula1, rules["B6"].formula2) == ("whole", "0", "12")
    assert rules["B8"].formula1.startswith("AND(LEN(B8)<=80,")
    assert rules["B16"].type == "date"
    for dv in rules.values():
        assert dv.prompt and len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
    formats = _formats(sheet)
    assert formats["B2"] == ["AND(COUNTA($B$2:$B$16)>0,LEN(TRIM(B2))=0)"]
    assert formats["B9"] == ['AND($B$5="Oui",LEN(TRIM(B9))=0)']
    assert "B14" not in formats  # optional


# --- mode d'emploi ---------------------------------------------------------------------------


def _guide(path: Path) -> str:
    sheet = openpyxl.load_workbook(path)[GUIDE_TAB]
    return "\n".join(str(c.value) for c in sheet["A"] if c.value)


def test_guide_gives_sessions_and_a_placeholder_contact(tmp_path: Path, config: Config) -> None:
    text = _guide(_write(tmp_path, "tableau", config))
    assert "1re session : au plus tard le 16/07/2031." in text
    assert "2e session : au plus tard le 10/09/2031." in text
    assert "votre coordinateur ou coordinatrice de la Cité éducative" in text
    assert "« Inscriptions »" in text and "« Parrains »" in text
    assert "Avec « Non » : seules les colonnes A à D" in text
    assert "@" not in text  # no e-mail address, real or not
    blank = _guide(_write(tmp_path, "tableau", name="blank.xlsx"))
    assert "au plus tard" not in blank and "« Réponses »" in blank
    fiche = _guide(_write(tmp_path, "fiche", name="fiche.xlsx"))
    assert "Avec « Non » : seules les lignes 2 à 5" in fiche and "Ligne 5 :" in fiche


# --- refusals --------------------------------------------------------------------------------


def test_refusals(tmp_path: Path, config: Config) -> None:
    with pytest.raises(ValueError, match="layout"):
        write_template(tmp_path / "x.xlsx", "liste")
    with pytest.raises(ValueError, match="nom_ecole"):
        write_template(tmp_path / "x.xlsx", "tableau", answers=[{"nom_ecole": "X"}])
    bad = Config(**{**config.__dict__, "tabs": type(config.tabs)(answers="Réponses: 2031")})
    with pytest.raises(ConfigError, match="Réponses: 2031"):
        write_template(tmp_path / "x.xlsx", "tableau", bad)
    with pytest.raises(SheetsSyncError, match="Impossible d'écrire"):
        write_template(tmp_path / "absent" / "x.xlsx", "tableau")
    assert not list(tmp_path.iterdir())  # nothing written, no temporary file left


def test_failed_write_leaves_the_previous_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "tableau")
    before = path.read_bytes()
    with pytest.raises(ValueError):
        write_template(path, "tableau", answers=[{"inconnu": 1}])
    assert path.read_bytes() == before


def test_status_column_tells_what_is_still_empty(tmp_path: Path) -> None:
    """Live feedback, checked by evaluating the formula's logic on the written row."""
    from sheets_sync.form.live_status import status_formula

    path = _write(tmp_path, "tableau", answers=[ANSWER])
    sheet = openpyxl.load_workbook(path)["Réponses"]
    formula = sheet.cell(2, 16).value
    assert formula == status_formula(ANSWER_FIELDS, 2, "D")
    assert formula.startswith('=IF(COUNTA($A2:$O2)=0,"",')
    for short in ("nom", "adresse", "référent", "titre", "objectifs", "contenu"):
        assert f'", {short}"' in formula
    assert 'LOWER(TRIM($D2))="oui"' in formula  # project fields only matter with « Oui »
    assert "INDIRECT" not in formula and "HYPERLINK" not in formula
