"""Annex n°1 workbooks for principals to fill: blank templates, or pre-filled for the demo.

Every label comes from `sheets_sync.form.model`; readers find answers by label, not position, but
the positions below are what we write. Two layouts:

« tableau » — one row per school (the coordinators' shared workbook)::

    # Réponses  A                                   B                            … O
    # 1         Nom de l'établissement participant  Adresse de l'établissement   … Date de dépôt
    # 2         Collège Exemple                     1 rue de l'Exemple, Roubaix  … 01/07/2021
    # 3…301     (prepared rows: validations, input messages, highlighting)
    #
    # Ambassadeurs  A       B      C       … N
    # 1             Prénom  NOM    Genre   … Accepte d'apparaître nommément sur les tableaux …
    # 2…301         (one row per ambassador)
    #
    # Mode d'emploi  A
    # 1              Mode d'emploi — <campaign>
    # 2…             how-to, one paragraph per row

  Columns follow FORM_FIELDS then EXTRA_FIELDS (ROSTER_FIELDS for the roster). Row 1 is frozen
  and locked, everything else is unlocked; the sheet is protected without a password.

« fiche » — one school on a vertical form (one file per school)::

    # Fiche  A                                             B
    # 1      Annexe n°1 : Formulaire — <campaign>
    # 2      Nom de l'établissement participant            Collège Exemple
    # 3      Adresse de l'établissement                    1 rue de l'Exemple, Roubaix
    # …      (one row per field of FORM_FIELDS + EXTRA_FIELDS, in that order, once each)
    # 16     Date de dépôt                                 01/07/2021

  Column A (labels) and row 1 are locked; the answer cells B2:B16 are unlocked. Plus the
  « Mode d'emploi » tab.

Only features openpyxl keeps on load/save are used (inline lists, no x14 extensions, no
images), since the sync later opens the filled workbook with openpyxl. The output is
deterministic: same input, byte-identical file (fixed creation date, fixed zip timestamps).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import DuplicateWorksheetName, InvalidWorksheetName

from ...cells.a1 import column_letters, to_a1
from ...config import Config, Limits, Tabs
from ...errors import ConfigError, SheetsSyncError
from ...form.live_status import COMPLETE_TEXT, STATUS_LABEL, status_formula
from ...form.model import (
    ANSWER_FIELDS,
    CLOSED_LISTS,
    COUNT_MINIMUM,
    EXTRA_FIELDS,
    FIELD,
    NO,
    ROSTER_FIELDS,
    YES,
    Field,
    Kind,
    Need,
)
from ..files.os_reasons import reason

__all__ = ["FICHE_TAB", "FICHE_TITLE", "GUIDE_TAB", "LAYOUTS", "PREPARED_ROWS", "write_template"]

LAYOUTS = ("tableau", "fiche")
FICHE_TAB = "Fiche"
GUIDE_TAB = "Mode d'emploi"
FICHE_TITLE = "Annexe n°1 : Formulaire"
PREPARED_ROWS = 300
AUTHOR = "sheets-sync"
CREATED = dt.datetime(2021, 1, 1)  # fixed, so that regenerated templates are byte-identical
CONTACT = "votre coordinateur ou coordinatrice de la Cité éducative"

# Free-text fields whose suggestions are nevertheless a closed list (strict dropdown).
_DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))
_INPUT_TITLE = {
    Need.ALWAYS: "À renseigner",
    Need.IF_YES: f"À renseigner si « {YES} »",
    Need.OPTIONAL: "Facultatif",
}
_HEADER_FILL = {Need.ALWAYS: "#1F4E78", Need.IF_YES: "#2E75B6", Need.OPTIONAL: "#D9E1F2"}
_MAX_TITLE, _MAX_MESSAGE = 32, 255  # Excel's limits for validation titles and messages
_PROTECTION = {
    "format_columns": True,
    "format_rows": True,
    "insert_rows": True,
    "sort": True,
    "autofilter": True,
}
_FICHE_WIDTHS = (62, 60)
# Control characters mean nothing in a cell and would be stored as _xHHHH_ escapes, which
# openpyxl does not decode; line ends become Excel's own line break (LF).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def write_template(
    path: Path,
    layout: str,
    config: Config | None = None,
    *,
    answers: Sequence[Mapping[str, object]] = (),
    roster: Sequence[Mapping[str, object]] = (),
) -> None:
    """Write an annex n°1 workbook (`layout` « tableau » or « fiche ») to `path`.

    `answers` and `roster` pre-fill rows (keys of ANSWER_FIELDS / ROSTER_FIELDS); a fiche
    takes the first answer only. Text is always written as text, never as a formula. The
    file is replaced whole, or not at all.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}, expected one of {LAYOUTS}")
    for records, fields in ((answers, ANSWER_FIELDS), (roster, ROSTER_FIELDS)):
        known = {f.key for f in fields}
        unknown = sorted({k for record in records for k in record} - known)
        if unknown:
            raise ValueError(f"unknown field keys: {unknown}")
    tabs = config.tabs if config else Tabs()
    limits = config.limits if config else Limits()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "remove_timezone": True,
        },
    )
    title = f"{FICHE_TITLE} — {config.name}" if config else FICHE_TITLE
    book.set_properties(
        {
            "title": title,
            "author": AUTHOR,
            "created": CREATED,
            "comments": f"Modèle « {layout} » généré par sheets-sync.",
        }
    )
    styles = _Styles(book)
    if layout == "tableau":
        _table(book, styles, tabs.answers, ANSWER_FIELDS, limits, answers, participation=True)
        _table(book, styles, tabs.roster, ROSTER_FIELDS, limits, roster, participation=False)
    else:
        _fiche(book, styles, title, limits, answers[0] if answers else {})
    _guide(_add_sheet(book, GUIDE_TAB), styles, _guide_lines(layout, config))
    book.close()
    _replace(path, buffer.getvalue())


class _Styles:
    """The formats of one workbook, created once."""

    def __init__(self, book: Any) -> None:
        base = {"valign": "top", "font_size": 10}
        self.header = {
            need: book.add_format(
                {
                    **base,
                    "bold": True,
                    "text_wrap": True,
                    "border": 1,
                    "bg_color": fill,
                    "locked": True,
                    "font_color": "#1F1F1F" if need is Need.OPTIONAL else "white",
                }
            )
            for need, fill in _HEADER_FILL.items()
        }
        self.label = book.add_format(
            {
                **base,
                "bold": True,
                "text_wrap": True,
                "locked": True,
                "border": 1,
                "bg_color": "#D9E1F2",
            }
        )
        self.title = book.add_format({"bold": True, "font_size": 14, "locked": True})
        self.heading = book.add_format({"bold": True, "font_size": 11, "font_color": "#1F4E78"})
        self.paragraph = book.add_format({"text_wrap": True, "valign": "top"})
        self.free = book.add_format({"locked": False})
        unlocked = {**base, "locked": False}
        self.data = {
            Kind.TEXT: book.add_format({**unlocked, "text_wrap": True}),
            Kind.LINE: book.add_format(unlocked),
            Kind.YES_NO: book.add_format(unlocked),
            Kind.COUNT: book.add_format({**unlocked, "num_format": "0"}),
            Kind.DATE: book.add_format({**unlocked, "num_format": "dd/mm/yyyy"}),
            Kind.EMAIL: book.add_format(unlocked),
            Kind.PHONE: book.add_format({**unlocked, "num_format": "@"}),  # keeps a leading 0
        }
        self.timestamp = book.add_format({**unlocked, "num_format": "dd/mm/yyyy hh:mm"})
        self.missing = book.add_format({"bg_color": "#FCE4D6", "font_color": "#9C0006"})
        self.status = book.add_format({**base, "locked": True, "italic": True,
                                       "font_color": "#9C5700", "bg_color": "#F2F2F2"})
        self.complete = book.add_format({"font_color": "#006100", "bg_color": "#C6EFCE"})


def _add_sheet(book: Any, name: str) -> Any:
    try:
        return book.add_worksheet(name)
    except (InvalidWorksheetName, DuplicateWorksheetName):
        raise ConfigError(
            f"Configuration : le nom d'onglet « {name} » n'est pas accepté par Excel "
            "(31 caractères au plus, sans [ ] : * ? / \\, différent des autres onglets)."
        ) from None


def _table(
    book: Any,
    styles: _Styles,
    name: str,
    fields: tuple[Field, ...],
    limits: Limits,
    records: Sequence[Mapping[str, object]],
    *,
    participation: bool,
) -> None:
    """A header row of labels, then one row per record; validations span the prepared rows."""
    sheet = _add_sheet(book, name)
    last = max(PREPARED_ROWS, len(records))  # 0-based index of the last prepared row
    for col, f in enumerate(fields):
        sheet.set_column(col, col, f.width, styles.data[f.kind])
        sheet.write_string(0, col, f.label, styles.header[f.need])
        options = _validation(f, limits, to_a1(2, col + 1))
        _check(sheet.data_validation(1, col, last, col, options), f.key)
    sheet.set_column(len(fields) + (1 if participation else 0), 16383, None, styles.free)
    sheet.set_row(0, _header_height(fields))
    for row, record in enumerate(records, start=1):
        for col, f in enumerate(fields):
            _write_value(sheet, styles, row, col, f, record.get(f.key))
    yes_column = None
    if participation:
        yes_column = column_letters(fields.index(FIELD["participation"]) + 1)
    _highlight_missing(sheet, styles, fields, last, yes_column)
    if yes_column:
        _status_column(sheet, styles, fields, last, yes_column)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, last, len(fields) - 1)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.repeat_rows(0)
    sheet.protect("", _PROTECTION)


def _status_column(sheet: Any, styles: _Styles, fields: tuple[Field, ...], last: int,
                   yes_column: str) -> None:
    """A locked « Statut » column telling principals, as they type, what is still empty."""
    col = len(fields)
    sheet.set_column(col, col, 34, styles.status)
    sheet.write_string(0, col, STATUS_LABEL, styles.header[Need.OPTIONAL])
    for row in range(1, last + 1):
        sheet.write_formula(row, col, status_formula(fields, row + 1, yes_column),
                            styles.status, "")
    sheet.conditional_format(1, col, last, col, {
        "type": "cell", "criteria": "==", "value": f'"{COMPLETE_TEXT}"',
        "format": styles.complete})


def _highlight_missing(
    sheet: Any, styles: _Styles, fields: tuple[Field, ...], last: int, yes_column: str | None
) -> None:
    """Colour a required cell left empty, once its row is started (or answered « Oui »)."""
    row_range = f"$A2:${column_letters(len(fields))}2"
    for col, f in enumerate(fields):
        cell = to_a1(2, col + 1)
        if f.need is Need.ALWAYS:
            started = f"COUNTA({row_range})>0"
        elif f.need is Need.IF_YES and yes_column:
            started = f'${yes_column}2="{YES}"'
        else:
            continue
        criteria = f"=AND({started},LEN(TRIM({cell}))=0)"
        _highlight(sheet, styles, (1, col, last, col), criteria, f.key)
    if yes_column:
        counts = [i for i, f in enumerate(fields) if f.key in ("classes_4e", "classes_3e")]
        span = f"${column_letters(min(counts) + 1)}2:${column_letters(max(counts) + 1)}2"
        criteria = f'=AND(${yes_column}2="{YES}",COUNT({span})=2,SUM({span})=0)'
        _highlight(sheet, styles, (1, min(counts), last, max(counts)), criteria, "classes")


def _fiche(
    book: Any, styles: _Styles, title: str, limits: Limits, record: Mapping[str, object]
) -> None:
    """One school's form: labels in column A, answers in column B, one row per field."""
    sheet = _add_sheet(book, FICHE_TAB)
    sheet.set_column(0, 0, _FICHE_WIDTHS[0], styles.label)
    sheet.set_column(1, 1, _FICHE_WIDTHS[1], styles.data[Kind.TEXT])
    sheet.write_string(0, 0, title, styles.title)
    sheet.set_row(0, 24)
    fields = ANSWER_FIELDS
    first, last = 2, len(fields) + 1  # 1-based sheet rows of the first and last field
    yes_cell = f"$B${first + fields.index(FIELD['participation'])}"
    for i, f in enumerate(fields):
        row = first + i - 1  # 0-based, as xlsxwriter counts
        answer = to_a1(row + 1, 2)
        sheet.write_string(row, 0, f.label, styles.label)
        sheet.write_blank(row, 1, None, styles.data[f.kind])
        _write_value(sheet, styles, row, 1, f, record.get(f.key))
        _check(sheet.data_validation(row, 1, row, 1, _validation(f, limits, answer)), f.key)
        label_lines = math.ceil(len(f.label) / (_FICHE_WIDTHS[0] - 6))
        sheet.set_row(row, 15 * max(label_lines, 3 if f.kind is Kind.TEXT else 1) + 4)
        if f.need is Need.OPTIONAL:
            continue
        started = (
            f"COUNTA($B${first}:$B${last})>0" if f.need is Need.ALWAYS else f'{yes_cell}="{YES}"'
        )
        criteria = f"=AND({started},LEN(TRIM({answer}))=0)"
        _highlight(sheet, styles, (row, 1, row, 1), criteria, f.key)
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.protect("", _PROTECTION)


def _highlight(
    sheet: Any, styles: _Styles, cells: tuple[int, int, int, int], criteria: str, what: str
) -> None:
    """Colour the cells (0-based first row, first col, last row, last col) where `criteria`."""
    options = {"type": "formula", "criteria": criteria, "format": styles.missing}
    _check(sheet.conditional_format(*cells, options), what)


def _validation(f: Field, limits: Limits, cell: str) -> dict[str, Any]:
    """The data validation of a field's cells; `cell` is the range's top-left A1 address."""
    options: dict[str, Any]
    if f.kind is Kind.YES_NO or f.key in CLOSED_LISTS:
        choices = list(f.suggestions) or [YES, NO]
        options = {
            "validate": "list",
            "source": choices,
            "error_message": f"Choisir dans la liste : {' / '.join(choices)}.",
        }
    elif f.kind is Kind.COUNT:
        low = COUNT_MINIMUM.get(f.key, 0)
        options = {
            "validate": "integer",
            "criteria": "between",
            "minimum": low,
            "maximum": limits.max_classes,
            "error_message": f"Un nombre entier entre {low} et {limits.max_classes}.",
        }
    elif f.kind is Kind.LINE:
        no_break = f"ISERROR(FIND(CHAR(10),{cell})),ISERROR(FIND(CHAR(13),{cell}))"
        options = {
            "validate": "custom",
            "value": f"=AND(LEN({cell})<={limits.title_length},{no_break})",
            "error_message": f"Une seule ligne, sans retour à la ligne, de "
            f"{limits.title_length} caractères au plus.",
        }
    elif f.kind is Kind.DATE:
        options = {
            "validate": "date",
            "criteria": "between",
            "minimum": _DATE_RANGE[0],
            "maximum": _DATE_RANGE[1],
            "error_message": "Une date au format jj/mm/aaaa.",
        }
    elif f.kind is Kind.EMAIL:
        options = {
            "validate": "custom",
            "value": f'=AND(ISNUMBER(FIND("@",{cell})),ISERROR(FIND(" ",{cell})))',
            "error_type": "warning",
            "error_message": "Cela ne ressemble pas à une adresse électronique.",
        }
    elif f.kind is Kind.TEXT:
        options = {
            "validate": "length",
            "criteria": "<=",
            "value": limits.text_length,
            "error_type": "warning",
            "error_message": f"Texte très long (plus de {limits.text_length} caractères).",
        }
    else:
        options = {"validate": "any"}
    options["error_title"] = "Valeur à vérifier"
    options["input_title"] = _INPUT_TITLE[f.need][:_MAX_TITLE]
    options["input_message"] = _input_message(f, limits)
    return options


def _input_message(f: Field, limits: Limits) -> str:
    """The note shown when the cell is selected: the field's help, its rule, its suggestions."""
    parts = [f.help] if f.help else []
    if f.kind is Kind.COUNT:
        parts.append(f"Entre {COUNT_MINIMUM.get(f.key, 0)} et {limits.max_classes}.")
    elif f.kind is Kind.LINE:
        parts.append(f"{limits.title_length} caractères au plus.")
    elif f.kind is Kind.EMAIL:
        parts.append("Adresse électronique, par exemple prenom.nom@exemple.fr.")
    elif f.kind is Kind.PHONE:
        parts.append("Numéro à 10 chiffres, par exemple 03 20 00 00 00.")
    elif not parts:
        parts.append("Texte libre.")
    free = f.suggestions and f.kind is not Kind.YES_NO and f.key not in CLOSED_LISTS
    if free and not all(s in f.help for s in f.suggestions):
        prefix, suffix = "Suggestions : ", " (ou une autre réponse)"
        room = _MAX_MESSAGE - len("\n".join(parts)) - len(prefix) - len(suffix) - 1
        shown = " ; ".join(f.suggestions)
        if len(shown) > room:
            shown = shown[: room - 3].rsplit(" ; ", 1)[0] + " ; …"
        parts.append(prefix + shown + suffix)
    elif free:
        parts.append("Vous pouvez aussi écrire une autre réponse.")
    message = "\n".join(parts)
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _header_height(fields: tuple[Field, ...]) -> float:
    lines = max(math.ceil(len(f.label) * 1.1 / max(f.width - 2, 1)) for f in fields)
    return float(min(15 * lines + 4, 409))


def _write_value(sheet: Any, styles: _Styles, row: int, col: int, f: Field, value: object) -> None:
    """Write one pre-filled value as what it is; text stays text, never a formula."""
    fmt = styles.data[f.kind]
    if value is None or value == "":
        return  # an empty string would count as typed (COUNTA) and start the row
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float) and math.isfinite(value):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        timed = value.time() != dt.time(0)
        sheet.write_datetime(row, col, value, styles.timestamp if timed else styles.data[Kind.DATE])
    elif isinstance(value, dt.date | dt.time):
        sheet.write_datetime(row, col, value, styles.data[Kind.DATE])
    else:
        text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
        if text:  # Excel keeps at most 32 767 characters
            sheet.write_string(row, col, text, fmt)


def _check(status: int, what: str) -> None:
    """xlsxwriter reports a rejected validation or format by a status code; never ignore it."""
    if status != 0:
        raise RuntimeError(f"xlsxwriter refused the option set for {what!r} (status {status})")


def _guide_lines(layout: str, config: Config | None) -> list[tuple[str, str]]:
    """The how-to, as (style, text) rows: "title", "heading" or "paragraph"."""
    tabs = config.tabs if config else Tabs()
    limits = config.limits if config else Limits()
    fields = ANSWER_FIELDS
    if layout == "tableau":

        def where(chosen: list[Field]) -> str:
            return _spans("colonne", [fields.index(f) + 1 for f in chosen], column_letters)

        place = (
            f"Onglet « {tabs.answers} » : une ligne par établissement, à partir de la "
            "ligne 2. La ligne 1 contient les questions de l'annexe n°1, une par colonne."
        )
    else:

        def where(chosen: list[Field]) -> str:
            return _spans("ligne", [fields.index(f) + 2 for f in chosen], str)

        place = (
            f"Onglet « {FICHE_TAB} » : répondez dans la colonne B, en face de chaque "
            "question de la colonne A. Un fichier par établissement."
        )
    always = [f for f in fields if f.need is Need.ALWAYS]
    if_yes = [f for f in fields if f.need is Need.IF_YES]
    extras = _and([f"« {f.label} »" for f in EXTRA_FIELDS])
    participation = FIELD["participation"]
    title = f"{GUIDE_TAB} — {config.name}" if config else GUIDE_TAB
    if config and config.school_year:
        title += f" ({config.school_year})"
    lines = [
        ("title", title),
        (
            "paragraph",
            "Ce classeur recueille les réponses à l'annexe n°1, le formulaire "
            "d'inscription des établissements.",
        ),
        ("heading", "Que remplir ?"),
        ("paragraph", place),
        (
            "paragraph",
            f"{_capital(where([participation]))} : choisissez « {YES} » ou « {NO} » dans la liste.",
        ),
        (
            "paragraph",
            f"Avec « {NO} » : seules les {where(always)} sont à remplir "
            "(établissement, adresse, référent et réponse).",
        ),
        (
            "paragraph",
            f"Avec « {YES} » : les {where(if_yes)} sont aussi à remplir, avec au "
            "moins une classe de 4ème ou de 3ème.",
        ),
        (
            "paragraph",
            f"Nombres de classes : nombres entiers de 0 à {limits.max_classes}. "
            f"Titre du projet : une seule ligne, {limits.title_length} caractères au "
            "plus.",
        ),
        (
            "paragraph",
            "Orientation, discipline, contenu : des suggestions s'affichent quand "
            "vous sélectionnez la cellule ; vous pouvez aussi écrire autre chose.",
        ),
        ("paragraph", f"Facultatif mais utile pour les relances : {extras}."),
        (
            "paragraph",
            "Une case obligatoire encore vide se colore en orange. Intitulés en bleu "
            "foncé : toujours obligatoires ; en bleu : obligatoires avec "
            f"« {YES} » ; en bleu clair : facultatifs.",
        ),
        ("heading", "À ne pas faire"),
        (
            "paragraph",
            "Ne renommez pas les onglets ni les intitulés des questions, ne fusionnez "
            "pas de cellules : la relève automatique les reconnaît par leur nom.",
        ),
        (
            "paragraph",
            "N'écrivez pas de formule : saisissez les réponses comme du texte, des "
            "nombres ou des dates.",
        ),
        (
            "paragraph",
            "Le titre, le thème, les objectifs et le contenu du projet peuvent être montrés "
            "aux partenaires : n'y écrivez ni le nom ni les coordonnées d'un élève ou d'une "
            "autre personne.",
        ),
    ]
    if layout == "tableau":
        lines.append(
            (
                "paragraph",
                "Une seule ligne par établissement : pour corriger une "
                "réponse, modifiez la ligne existante.",
            )
        )
        lines.append(
            (
                "paragraph",
                f"L'onglet « {tabs.roster} » est tenu par les coordinateurs : "
                "une ligne par ambassadeur ou ambassadrice des métiers.",
            )
        )
    lines.append(("heading", "Dates limites"))
    if config:
        lines.extend(
            ("paragraph", f"{s.name} : au plus tard le {s.deadline:%d/%m/%Y}.")
            for s in config.sessions
        )
    else:
        lines.append(("paragraph", f"Les dates limites vous sont communiquées par {CONTACT}."))
    lines.append(("heading", "Une question ?"))
    lines.append(("paragraph", f"Contactez {CONTACT}."))
    return lines


def _guide(sheet: Any, styles: _Styles, lines: list[tuple[str, str]]) -> None:
    sheet.set_column(0, 0, 100)
    style = {"title": styles.title, "heading": styles.heading, "paragraph": styles.paragraph}
    for row, (kind, text) in enumerate(lines):
        sheet.write_string(row, 0, text, style[kind])
        if kind == "paragraph":
            sheet.set_row(row, 15 * math.ceil(len(text) / 95) + 3)
        elif kind == "title":
            sheet.set_row(row, 24)


def _spans(noun: str, positions: list[int], show: Callable[[int], str]) -> str:
    """("colonne", [1, 2, 3, 4, 7]) -> "colonnes A à D et G"; runs of 3 or more use « à »."""
    runs: list[list[int]] = []
    for p in sorted(positions):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    shown: list[str] = []
    for run in runs:
        if len(run) > 2:
            shown.append(f"{show(run[0])} à {show(run[-1])}")
        else:
            shown.extend(show(p) for p in run)
    return f"{noun}{'s' if len(positions) > 1 else ''} {_and(shown)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(items: list[str]) -> str:
    """["A", "B", "C"] -> "A, B et C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _replace(path: Path, content: bytes) -> None:
    """Write the whole file, or leave the old one untouched."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise SheetsSyncError(
            f"Impossible d'écrire le modèle « {path} » : {reason(exc)}."
        ) from None
