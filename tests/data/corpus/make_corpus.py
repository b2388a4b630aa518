"""Build the corpus of awkward answer workbooks, byte for byte the same at every run.

    .venv/bin/python tests/data/corpus/make_corpus.py          # rewrite the files here
    .venv/bin/python tests/data/corpus/make_corpus.py OUT_DIR  # build them elsewhere

Each file is named after what is awkward in it; tests/form/test_corpus.py says what each must
give. xlsxwriter output is deterministic once the creation date is fixed; openpyxl output is
made so by rewriting its zip with fixed timestamps (`_stable_zip`). All data is fictional.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter

from sheets_sync.form.model import EXTRA_FIELDS, FORM_FIELDS

HERE = Path(__file__).resolve().parent
CREATED = dt.datetime(2021, 6, 1, 9, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

KEYS = [f.key for f in FORM_FIELDS]
HEADER = [f.label for f in FORM_FIELDS]
LABEL = {f.key: f.label for f in FORM_FIELDS + EXTRA_FIELDS}
DEPOSIT = LABEL["date_depot"]

ESSAIS: dict[str, Any] = {
    "etablissement": "Collège des Essais",
    "adresse": "1 rue de l'Exemple, 59100 Roubaix",
    "referent": "Alice MARTIN, principale",
    "participation": "Oui",
    "classes_4e": 1,
    "classes_3e": 2,
    "titre": "Des métiers pour tous",
    "orientation": "informations sur les secteurs porteurs",
    "objectifs": "Découvrir des métiers",
    "discipline": "Technologie",
    "theme": "Le numérique",
    "contenu": "ateliers, rencontres",
}
CANAL: dict[str, Any] = {
    **ESSAIS,
    "etablissement": "Collège du Canal",
    "adresse": "5 quai de l'Essai, 59100 Roubaix",
    "referent": "Chloé PETIT, principale adjointe",
    "classes_4e": 2,
    "classes_3e": 0,
    "titre": "Les métiers du textile",
    "discipline": "Arts plastiques",
    "theme": "La mode",
}
FILATURE: dict[str, Any] = {
    **ESSAIS,
    "etablissement": "Collège de la Filature",
    "adresse": "9 rue du Métier, 59100 Roubaix",
    "referent": "Damien LEROY, professeur principal",
    "titre": "Filles et garçons, tous les métiers",
    "orientation": "lutte contre les déterminismes et les stéréotypes",
}
REFUS: dict[str, Any] = {
    "etablissement": "Collège du Refus",
    "adresse": "2 rue de l'Exemple, 59100 Roubaix",
    "referent": "Bruno DURAND, principal",
    "participation": "Non",
}

Builder = Callable[[Path], None]
BUILDERS: dict[str, Builder] = {}


def corpus(name: str) -> Callable[[Builder], Builder]:
    """Register the builder of one corpus file (or folder of fiches)."""

    def register(build: Builder) -> Builder:
        BUILDERS[name] = build
        return build

    return register


class Formula:
    """A formula cell and the value Excel cached for it."""

    def __init__(self, text: str, cached: Any) -> None:
        self.text, self.cached = text, cached


class Text:
    """A value typed into a cell formatted as text (« @ »)."""

    def __init__(self, text: str) -> None:
        self.text = text


# --- writing with xlsxwriter -------------------------------------------------------------


@contextmanager
def xlsx(path: Path) -> Iterator[Any]:
    """An xlsxwriter workbook with a fixed creation date: the same bytes at every run."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    book.set_properties({"created": CREATED, "author": "sheets-sync corpus"})
    try:
        yield book
    finally:
        book.close()


def put(book: Any, ws: Any, row: int, col: int, value: Any) -> None:
    """Write one value (0-based row and column) with the type it has, never guessing."""
    if value is None:
        return
    if isinstance(value, Formula):
        ws.write_formula(row, col, value.text, None, value.cached)
    elif isinstance(value, Text):
        ws.write_string(row, col, value.text, book.add_format({"num_format": "@"}))
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value)
    elif isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(row, col, value, book.add_format({"num_format": "dd/mm/yyyy"}))
    else:
        ws.write_string(row, col, str(value))


def put_rows(book: Any, ws: Any, rows: Sequence[Sequence[Any]], first: int = 0) -> None:
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values):
            put(book, ws, r, c, value)


def line(answer: dict[str, Any], keys: Sequence[str] = KEYS) -> list[Any]:
    return [answer.get(k) for k in keys]


def table(
    path: Path,
    answers: Sequence[dict[str, Any]],
    *,
    sheet: str = "Réponses",
    header: Sequence[str] = HEADER,
    keys: Sequence[str] = KEYS,
    above: Sequence[Sequence[Any]] = (),
    setup: Callable[[Any, Any], None] | None = None,
) -> None:
    """One tab: optional rows above, the header, one row per answer."""
    with xlsx(path) as book:
        ws = book.add_worksheet(sheet)
        rows = [*above, list(header), *(line(a, keys) for a in answers)]
        put_rows(book, ws, rows)
        if setup:
            setup(book, ws)


def fiche(
    path: Path,
    answer: dict[str, Any],
    *,
    labels: Sequence[tuple[str, str]] | None = None,
    label_col: int = 0,
    answer_col: int | None = None,
    beside: dict[str, str] | None = None,
    setup: Callable[[Any, Any], None] | None = None,
) -> None:
    """One school's vertical form: a title, then one label per row, its answer to the right."""
    pairs = labels or [(f.key, f.label) for f in FORM_FIELDS]
    target = label_col + 1 if answer_col is None else answer_col
    with xlsx(path) as book:
        ws = book.add_worksheet("Fiche")
        ws.write_string(0, 0, "Annexe n°1 — fiche d'inscription « classes Proch'Orientation »")
        for i, (key, label) in enumerate(pairs, start=2):
            ws.write_string(i, label_col, label)
            put(book, ws, i, target, answer.get(key))
            if beside and key in beside:
                ws.write_string(i, target + 1, beside[key])
        if setup:
            setup(book, ws)


# --- writing with openpyxl ---------------------------------------------------------------


def _stable_zip(data: bytes) -> bytes:
    """The same package with fixed entry times and document dates: reproducible bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = CREATED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content
                )
            dst.writestr(
                zipfile.ZipInfo(info.filename, ZIP_TIME),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def save_openpyxl(book: Any, path: Path) -> None:
    book.properties.creator = "sheets-sync corpus"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_stable_zip(buffer.getvalue()))


# --- the corpus: shared tables -------------------------------------------------------------


@corpus("merged-cells-across-a-row.xlsx")
def _merged_row(path: Path) -> None:
    # Réponses   I                               J   K
    # 3          Découvrir … (merged I3:K3)
    def merge(book: Any, ws: Any) -> None:
        ws.merge_range("I3:K3", "Découvrir les métiers du textile, en arts plastiques, la mode")

    table(
        path, [ESSAIS, {**CANAL, "objectifs": None, "discipline": None, "theme": None}], setup=merge
    )


@corpus("header-split-over-two-rows.xlsx")
def _two_row_header(path: Path) -> None:
    # 1   Nom de l'établissement …  (A1:A2)   …   Nombre de classes (E1:F1)
    # 2                                            4ème        3ème
    def merge(book: Any, ws: Any) -> None:
        for c, label in enumerate(HEADER):
            if c not in (4, 5):
                ws.merge_range(0, c, 1, c, label)
        ws.merge_range(0, 4, 0, 5, "Nombre de classes")
        ws.write_row(1, 4, ["4ème", "3ème"])
        put_rows(book, ws, [line(ESSAIS), line(REFUS)], first=2)

    with xlsx(path) as book:
        merge(book, book.add_worksheet("Réponses"))


@corpus("header-in-row-3-under-a-title.xlsx")
def _header_row_3(path: Path) -> None:
    table(
        path,
        [ESSAIS, {**CANAL, "adresse": None}],
        above=[["Annexe n°1 — réponses des collèges"], ["Mise à jour le 1er juillet 2021"]],
    )


@corpus("blank-rows-between-answers.xlsx")
def _blank_rows(path: Path) -> None:
    def spread(book: Any, ws: Any) -> None:
        put_rows(book, ws, [line(CANAL)], first=4)
        put_rows(book, ws, [["   ", None, " "]], first=6)
        put_rows(book, ws, [line({**FILATURE, "titre": None})], first=8)

    table(path, [ESSAIS], setup=spread)


@corpus("header-repeated-mid-table.xlsx")
def _header_again(path: Path) -> None:
    # 1   Nom de l'établissement participant   …
    # 2   Collège des Essais                   …
    # 3   Nom de l'établissement participant   …   (pasted again with the next answers)
    # 4   Collège du Canal                     …
    with xlsx(path) as book:
        put_rows(
            book,
            book.add_worksheet("Réponses"),
            [HEADER, line(ESSAIS), HEADER, line({**CANAL, "objectifs": None})],
        )


@corpus("hidden-columns.xlsx")
def _hidden_columns(path: Path) -> None:
    def hide(book: Any, ws: Any) -> None:
        ws.write_string(0, 12, "Calcul interne")
        ws.write_number(1, 12, 3)
        ws.set_column("B:B", None, None, {"hidden": True})
        ws.set_column("M:M", None, None, {"hidden": True})

    table(path, [ESSAIS, {**CANAL, "adresse": None}], setup=hide)


@corpus("hidden-rows.xlsx")
def _hidden_rows(path: Path) -> None:
    def hide(book: Any, ws: Any) -> None:
        ws.set_row(2, None, None, {"hidden": True})

    table(path, [ESSAIS, {**REFUS, "referent": None}, CANAL], setup=hide)


@corpus("numbers-stored-as-text.xlsx")
def _numbers_as_text(path: Path) -> None:
    table(
        path,
        [
            {**ESSAIS, "classes_4e": "2", "classes_3e": "2,0"},
            {**CANAL, "classes_4e": " 3 ", "classes_3e": Text("1")},
            {**FILATURE, "classes_4e": "2 classes", "classes_3e": "1.0"},
        ],
    )


@corpus("counts-in-words-and-ranges.xlsx")
def _counts_in_words(path: Path) -> None:
    table(
        path,
        [
            {**ESSAIS, "classes_4e": "deux classes", "classes_3e": "une"},
            {**CANAL, "classes_4e": "2 ou 3", "classes_3e": 2.5},
            {**FILATURE, "classes_4e": -1, "classes_3e": "aucune"},
            {
                **ESSAIS,
                "etablissement": "Collège des Nombres",
                "classes_4e": "trois",
                "classes_3e": "3ème A et B",
            },
        ],
    )


@corpus("yes-no-typed-every-way.xlsx")
def _yes_no(path: Path) -> None:
    table(
        path,
        [
            {**ESSAIS, "participation": True},
            {**CANAL, "participation": "OUI"},
            {**FILATURE, "participation": "x"},
            {**REFUS, "participation": False},
            {**REFUS, "etablissement": "Collège du Non", "participation": " non. "},
            {**ESSAIS, "etablissement": "Collège du Peut-être", "participation": "Peut-être"},
            {**ESSAIS, "etablissement": "Collège Bavard", "participation": "Oui, 2 classes"},
        ],
    )


@corpus("deposit-dates-typed-every-way.xlsx")
def _dates(path: Path) -> None:
    keys = [*KEYS, "date_depot"]
    days: list[Any] = [
        dt.datetime(2021, 7, 2),
        44393,  # 16/07/2021 as a bare serial number
        "16 juillet 2021",
        Text("10/09/2021"),
        "2021-09-11",
        "31/02/2021",
        "1er septembre 2021",
        dt.datetime(2021, 7, 16, 18, 30),
    ]
    answers = [
        {**REFUS, "etablissement": f"Collège de la Date {n}", "date_depot": day}
        for n, day in enumerate(days, start=1)
    ]
    table(path, answers, header=[*HEADER, DEPOSIT], keys=keys)


@corpus("duplicate-headers.xlsx")
def _duplicate_headers(path: Path) -> None:
    keys = [*KEYS, "objectifs_bis"]
    table(
        path,
        [ESSAIS, {**CANAL, "objectifs": None, "objectifs_bis": "Découvrir le textile"}],
        header=[*HEADER, LABEL["objectifs"]],
        keys=keys,
    )


@corpus("answers-tab-named-feuil1.xlsx")
def _feuil1(path: Path) -> None:
    table(path, [ESSAIS, {**CANAL, "objectifs": None}], sheet="Feuil1")


@corpus("answers-tab-named-sheet1.xlsx")
def _sheet1(path: Path) -> None:
    table(path, [ESSAIS, REFUS], sheet="Sheet1")


@corpus("how-to-tab-before-renamed-answers.xlsx")
def _how_to_first(path: Path) -> None:
    with xlsx(path) as book:
        how = book.add_worksheet("Consignes")
        how.write_string(0, 0, "Comment remplir l'annexe n°1")
        for r, f in enumerate(FORM_FIELDS, start=2):
            how.write_string(r, 0, f"{f.label} : {f.help or 'à renseigner'}")
        ws = book.add_worksheet("Feuil1")
        put_rows(book, ws, [HEADER, line(ESSAIS), line({**CANAL, "objectifs": None})])


@corpus("empty-workbook.xlsx")
def _empty(path: Path) -> None:
    with xlsx(path) as book:
        book.add_worksheet("Feuil1")


@corpus("header-only.xlsx")
def _header_only(path: Path) -> None:
    table(path, [])


@corpus("roster-in-a-renamed-tab.xlsx")
def _roster_only(path: Path) -> None:
    header = ["Prénom", "NOM", "Genre", "Métier", "Secteur", "Courriel", "Téléphone"]
    rows = [
        ["Inès", "FABRE", "F", "Ingénieure", "Industrie", "ines.fabre@exemple.fr", "03 00 00 00 01"]
    ]
    with xlsx(path) as book:
        put_rows(book, book.add_worksheet("Feuil1"), [header, *rows])


@corpus("referent-in-three-columns.xlsx")
def _referent_columns(path: Path) -> None:
    keys = ["etablissement", "adresse", "prenom", "nom", "fonction", *KEYS[3:]]
    header = [HEADER[0], HEADER[1], "Prénom", "NOM", "Fonction", *HEADER[3:]]
    table(
        path,
        [
            {**ESSAIS, "prenom": "Alice", "nom": "MARTIN", "fonction": "principale"},
            {**CANAL, "prenom": "Chloé", "nom": "PETIT"},
            {**FILATURE},
        ],
        header=header,
        keys=keys,
    )


@corpus("very-long-texts.xlsx")
def _long_text(path: Path) -> None:
    long_objectives = ("Faire découvrir les métiers du territoire. " * 1000)[:40000]
    table(
        path,
        [
            {**ESSAIS, "objectifs": long_objectives},  # Excel keeps 32,767 characters
            {**CANAL, "titre": "Un titre " + "très " * 25 + "long"},
        ],
    )


@corpus("cached-error-values.xlsx")
def _error_values(path: Path) -> None:
    table(
        path,
        [
            {**ESSAIS, "adresse": Formula("=VLOOKUP(A2,Adresses!A:B,2,FALSE)", "#N/A")},
            {**CANAL, "classes_4e": Formula("=8/0", "#DIV/0!")},
        ],
    )


@corpus("formulas-without-cached-values.xlsx")
def _formulas_no_cache(path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Réponses"
    ws.append(HEADER)
    ws.append(line({**ESSAIS, "adresse": "=VLOOKUP(A2,Adresses!A:B,2,FALSE)"}))
    ws.append(line({**CANAL, "classes_4e": "=1+1"}))
    save_openpyxl(book, path)


@corpus("title-with-line-break.xlsx")
def _title_break(path: Path) -> None:
    table(
        path,
        [
            {**ESSAIS, "titre": "Des métiers\npour tous"},
            {**CANAL, "titre": "Les métiers du textile\n"},
        ],
    )


@corpus("text-with-carriage-returns.xlsx")
def _carriage_returns(path: Path) -> None:
    # Text pasted from a mail keeps its CR: the file stores it as « _x000D_ », like Excel does.
    table(
        path,
        [
            {
                **ESSAIS,
                "titre": "Des métiers pour tous\r\n",
                "adresse": "1 rue de l'Exemple\r\n59100 Roubaix",
            },
            {**CANAL, "titre": "Les métiers\rdu textile"},
        ],
    )


@corpus("spaces-and-non-breaking-spaces.xlsx")
def _spaces(path: Path) -> None:
    header = list(HEADER)
    header[0] = "  " + header[0] + " "
    header[4] = "classes de 4\u00a0ème"
    header[8] = "\u00a0Vos objectifs\u00a0"
    table(
        path,
        [
            {
                **ESSAIS,
                "etablissement": "Collège des Essais\u00a0",
                "participation": " Oui\u00a0",
                "classes_4e": "\u00a02\u00a0",
            },
            {**CANAL, "objectifs": " \u00a0 "},
        ],
        header=header,
    )


@corpus("curly-apostrophes-and-guillemets-in-headers.xlsx")
def _quotes(path: Path) -> None:
    header = list(HEADER)
    header[0] = "Nom de l’établissement participant"
    header[3] = (
        "Je souhaite que mon établissement prenne part à l’expérimentation "
        "«classes Proch’Orientation» proposée par la Région et la Cité éducative de "
        "Roubaix"
    )
    header[6] = "Titre / intitulé du projet (maximum 1 ligne)"
    header[10] = (
        "Quel thème principal choisiriez-vous pour votre ou vos “classes Proch’orientation” ?"
    )
    header[11] = "Quel contenu souhaiteriez-vous donner à vos classes Proch'orientation ?"
    table(path, [ESSAIS, REFUS], header=header)


@corpus("labels-in-capitals-without-accents.xlsx")
def _capitals(path: Path) -> None:
    header = [h.upper().replace("É", "E").replace("È", "E").replace("À", "A") for h in HEADER]
    header[3] = "JE SOUHAITE QUE MON ETABLISSEMENT PRENNE PART A L'EXPERIMENTATION"
    table(path, [ESSAIS, {**CANAL, "theme": None}], header=header)


@corpus("status-number-and-remarks-columns.xlsx")
def _ignored_columns(path: Path) -> None:
    keys = ["numero", *KEYS, "statut", "remarques"]
    table(
        path,
        [
            {**ESSAIS, "numero": 1, "statut": "Reçu", "remarques": "Relancé le 2 juillet"},
            {**REFUS, "numero": 2, "statut": "Reçu"},
        ],
        header=["N°", *HEADER, "Statut", "Remarques"],
        keys=keys,
    )


@corpus("unknown-columns.xlsx")
def _unknown_columns(path: Path) -> None:
    keys = [*KEYS[:2], "cp", *KEYS[2:], "obs"]
    table(
        path,
        [{**ESSAIS, "cp": "59100", "obs": "RAS"}],
        header=[*HEADER[:2], "Code postal", *HEADER[2:], "Observations du rectorat"],
        keys=keys,
    )


@corpus("columns-in-reverse-order.xlsx")
def _reversed(path: Path) -> None:
    table(
        path,
        [ESSAIS, {**CANAL, "titre": None, "objectifs": None}],
        header=HEADER[::-1],
        keys=KEYS[::-1],
    )


@corpus("two-answers-one-school-with-dates.xlsx")
def _duplicate_dated(path: Path) -> None:
    keys = [*KEYS, "date_depot"]
    table(
        path,
        [
            {**FILATURE, "date_depot": dt.datetime(2021, 7, 5)},
            {**FILATURE, "objectifs": None, "date_depot": dt.datetime(2021, 7, 1)},
        ],
        header=[*HEADER, DEPOSIT],
        keys=keys,
    )


@corpus("two-answers-one-school-without-dates.xlsx")
def _duplicate_undated(path: Path) -> None:
    table(
        path,
        [
            {**FILATURE, "etablissement": "COLLÈGE DE LA FILATURE", "objectifs": None},
            {**FILATURE, "etablissement": "Clg de la Filature"},
        ],
    )


REFERENCE = [
    ["Nom de l'établissement", "UAI", "Commune"],
    ["Collège Jules-Tisserand", "0999001W", "Roubaix"],
    ["Collège du Canal", "0999002X", "Roubaix"],
    ["Collège de la Filature", "0999003Y", "Roubaix"],
]


@corpus("school-typed-two-ways-with-reference-list.xlsx")
def _two_ways(path: Path) -> None:
    def reference(book: Any, ws: Any) -> None:
        put_rows(book, book.add_worksheet("Établissements"), REFERENCE)

    keys = [*KEYS, "date_depot"]
    table(
        path,
        [
            {**ESSAIS, "etablissement": "Clg J. Tisserand", "date_depot": dt.datetime(2021, 7, 1)},
            {**ESSAIS, "etablissement": "Collège Jules-Tisserand", "objectifs": None},
            {**ESSAIS, "etablissement": "Collège Imaginaire"},
            CANAL,
        ],
        header=[*HEADER, DEPOSIT],
        keys=keys,
        setup=reference,
    )


@corpus("invalid-uai-in-reference-list.xlsx")
def _bad_uai(path: Path) -> None:
    def reference(book: Any, ws: Any) -> None:
        rows = [list(r) for r in REFERENCE]
        rows[2][1] = "0999002A"
        rows[3][1] = "999003"
        put_rows(book, book.add_worksheet("Établissements"), rows)

    table(path, [CANAL, FILATURE], setup=reference)


@corpus("answer-no-with-empty-project-fields.xlsx")
def _answer_no(path: Path) -> None:
    table(
        path,
        [
            REFUS,
            {
                **REFUS,
                "etablissement": "Collège du Non Mais",
                "participation": "non",
                "classes_4e": 2,
            },
            {**REFUS, "etablissement": "Collège Sans Référent", "referent": None},
        ],
    )


@corpus("implausible-count-25.xlsx")
def _count_25(path: Path) -> None:
    table(path, [{**ESSAIS, "classes_4e": 25}])


@corpus("oui-with-zero-classes.xlsx")
def _zero_classes(path: Path) -> None:
    table(
        path,
        [
            {**ESSAIS, "classes_4e": 0, "classes_3e": 0},
            {**CANAL, "classes_4e": "0", "classes_3e": "aucune"},
        ],
    )


@corpus("text-file-renamed.xlsx")
def _text_file(path: Path) -> None:
    path.write_bytes("Nom de l'établissement participant;Adresse\n".encode())


@corpus("excel-97-file-renamed.xlsx")
def _ole_file(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


@corpus("zip-without-a-workbook.xlsx")
def _bare_zip(path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("lisez-moi.txt", ZIP_TIME), "Pas un classeur.")
    path.write_bytes(out.getvalue())


@corpus("macro-enabled.xlsm")
def _macro(path: Path) -> None:
    with xlsx(path) as book:
        # Any bytes will do: no reader runs the macro, the package must only carry it.
        book.add_vba_project(
            io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)), is_stream=True
        )
        put_rows(book, book.add_worksheet("Réponses"), [HEADER, line(ESSAIS), line(REFUS)])


@corpus("chart-next-to-answers.xlsx")
def _chart(path: Path) -> None:
    def chart(book: Any, ws: Any) -> None:
        c = book.add_chart({"type": "column"})
        c.add_series(
            {
                "name": "classes de 4ème",
                "categories": "=Réponses!$A$2:$A$3",
                "values": "=Réponses!$E$2:$E$3",
            }
        )
        ws.insert_chart("N2", c)

    table(path, [ESSAIS, CANAL], setup=chart)


@corpus("autofilter-left-on.xlsx")
def _autofilter(path: Path) -> None:
    def filter_yes(book: Any, ws: Any) -> None:
        ws.autofilter(0, 0, 3, len(HEADER) - 1)
        ws.filter_column("D", "x == Oui")
        ws.set_row(2, None, None, {"hidden": True})

    table(path, [ESSAIS, REFUS, {**CANAL, "titre": None}], setup=filter_yes)


@corpus("frozen-pane.xlsx")
def _frozen(path: Path) -> None:
    table(path, [ESSAIS, REFUS], setup=lambda book, ws: ws.freeze_panes(1, 1))


@corpus("protected-sheet.xlsx")
def _protected(path: Path) -> None:
    table(path, [ESSAIS, {**CANAL, "contenu": None}], setup=lambda book, ws: ws.protect("secret"))


@corpus("one-thousand-answers.xlsx")
def _thousand(path: Path) -> None:
    answers = []
    for n in range(1, 1001):
        answer = {**ESSAIS, "etablissement": f"Collège n°{n:04d}"}
        if n % 100 == 0:
            answer["objectifs"] = None
        answers.append(answer)
    table(path, answers)


@corpus("single-fiche-as-the-source.xlsx")
def _single_fiche(path: Path) -> None:
    fiche(path, {**CANAL, "discipline": None})


@corpus("referent-and-email-as-typed.xlsx")
def _referent_email(path: Path) -> None:
    keys = [*KEYS, "courriel"]
    table(
        path,
        [
            {**ESSAIS, "courriel": "alice.martin@exemple.fr"},
            {**CANAL, "referent": "Chloé PETIT", "courriel": "chloe.petit(at)exemple.fr"},
        ],
        header=[*HEADER, LABEL["courriel"]],
        keys=keys,
    )


@corpus("answers-beside-roster-and-generated-tabs.xlsx")
def _other_tabs(path: Path) -> None:
    with xlsx(path) as book:
        generated = book.add_worksheet("Synthèse")
        generated.write_string(0, 0, "Généré par sheets-sync le 01/07/2021 — ne pas modifier")
        put_rows(book, generated, [HEADER, line(FILATURE)], first=3)
        roster = book.add_worksheet("Ambassadeurs")
        put_rows(
            book,
            roster,
            [
                ["Prénom", "NOM", "Métier", "Secteur", "Courriel", "Téléphone"],
                ["Inès", "FABRE", "Ingénieure", "Industrie", "", ""],
            ],
        )
        put_rows(book, book.add_worksheet("Réponses"), [HEADER, line(ESSAIS)])


# --- the corpus: folders of fiches -----------------------------------------------------------


@corpus("fiches-extra-column")
def _fiches_extra(folder: Path) -> None:
    fiche(
        folder / "college-des-essais.xlsx",
        ESSAIS,
        beside={"titre": "Titre provisoire", "classes_4e": "dont une ULIS"},
    )
    fiche(folder / "college-du-refus.xlsx", REFUS, beside={"participation": "Peut-être en 2022"})


@corpus("fiches-remark-beside-an-empty-answer")
def _fiches_remark(folder: Path) -> None:
    fiche(
        folder / "college-du-canal.xlsx",
        {**CANAL, "objectifs": None},
        beside={"objectifs": "à compléter par la CPE"},
    )


@corpus("fiches-labels-in-column-b")
def _fiches_column_b(folder: Path) -> None:
    def number(book: Any, ws: Any) -> None:
        for i in range(len(FORM_FIELDS)):
            ws.write_string(i + 2, 0, f"{i + 1}.")

    fiche(folder / "college-du-canal.xlsx", {**CANAL, "theme": None}, label_col=1, setup=number)


@corpus("fiches-labels-merged-over-two-columns")
def _fiches_merged(folder: Path) -> None:
    def merge(book: Any, ws: Any) -> None:
        for i, f in enumerate(FORM_FIELDS, start=2):
            ws.merge_range(i, 0, i, 1, f.label)

    fiche(folder / "college-du-canal.xlsx", {**CANAL, "objectifs": None}, answer_col=2, setup=merge)


@corpus("fiches-referent-in-three-cells")
def _fiches_referent(folder: Path) -> None:
    parts = [
        ("prenom", "Prénom du référent"),
        ("nom", "NOM du référent"),
        ("fonction", "Fonction du référent"),
    ]
    pairs = [(f.key, f.label) for f in FORM_FIELDS]
    labels = [*pairs[:2], *parts, *pairs[3:]]
    fiche(
        folder / "college-des-essais.xlsx",
        {**ESSAIS, "prenom": "Alice", "nom": "MARTIN", "fonction": "principale"},
        labels=labels,
    )
    fiche(
        folder / "college-du-canal.xlsx",
        {**CANAL, "prenom": "Chloé", "nom": "PETIT"},
        labels=labels,
    )


@corpus("fiches-two-for-one-school")
def _fiches_twice(folder: Path) -> None:
    fiche(folder / "filature-v1.xlsx", {**FILATURE, "theme": None})
    fiche(folder / "filature-v2.xlsx", {**FILATURE, "etablissement": "Clg de la Filature"})


@corpus("fiches-unreadable-foreign-and-lock-files")
def _fiches_mixed(folder: Path) -> None:
    fiche(folder / "college-du-canal.xlsx", CANAL)
    (folder / "notes.xlsx").write_bytes(b"Ce n'est pas un classeur.\n")
    (folder / "~$college-du-canal.xlsx").write_bytes(b"\x0bverrou Excel" + bytes(150))
    with xlsx(folder / "budget.xlsx") as book:
        put_rows(book, book.add_worksheet("Budget"), [["Poste", "Montant"], ["Car", 450]])


# --- building ------------------------------------------------------------------------------


def build(out: Path) -> list[Path]:
    """(Re)build every corpus file and fiche folder under `out`; returns what was written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in BUILDERS.items():
        target = out / name
        if Path(name).suffix:
            target.unlink(missing_ok=True)
        else:
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
        make(target)
        written.append(target)
    return written


if __name__ == "__main__":
    destination = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for item in build(destination):
        print(item.relative_to(destination))
