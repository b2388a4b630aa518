"""What the annex n°1 templates say: columns, rules, messages, highlights and fiche rows.

Pure: builds the `cells.template_spec` description that `backends.excel.template` and
`backends.google.template` write. Every label comes from `form.model`; the « Mode d'emploi »
text is in `form.guide`. Two layouts for Excel:

« tableau » — one row per school (Réponses), one per ambassador (Ambassadeurs)::

    # Réponses  A                                   B                            … O       P
    # 1         Nom de l'établissement participant  Adresse de l'établissement   … Date …  Statut
    # 2…301     (prepared rows: validations, input messages, highlighting, live status)

« fiche » — one school on a vertical form (one file per school)::

    # Fiche  A                                             B
    # 1      Annexe n°1 : Formulaire — <campaign>
    # 2      Nom de l'établissement participant            Collège Exemple
    # …      (one row per field of FORM_FIELDS + EXTRA_FIELDS, in that order, once each)

Google Sheets gets the « tableau » tabs, with the rules Sheets can say and a note per header,
and the same « Mode d'emploi » (`sheets_guide`). What a principal is told about a question is
written once (`help_text`): Excel's input message, Google's header note and help text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ..cells.a1 import column_letters, to_a1
from ..cells.template_spec import (
    Check,
    Column,
    Entry,
    Fiche,
    FicheRow,
    Guide,
    Highlight,
    Rule,
    Status,
    Table,
    Workbook,
)
from ..config import Config, Limits, Tabs
from .guide import coordination_how_to, how_to
from .live_status import COMPLETE_TEXT, STATUS_LABEL, status_formula
from .model import (
    ANSWER_FIELDS,
    CLOSED_LISTS,
    COUNT_MINIMUM,
    FIELD,
    GUIDE_TAB,
    NO,
    ROSTER_FIELDS,
    YES,
    Field,
    Kind,
    Need,
)

__all__ = [
    "FICHE_TAB",
    "FICHE_TITLE",
    "GUIDE_TAB",
    "LAYOUTS",
    "PREPARED_ROWS",
    "coordination_sheets",
    "coordination_sheets_guide",
    "coordination_template",
    "help_text",
    "sheets_guide",
    "sheets_template",
    "workbook_template",
]

LAYOUTS = ("tableau", "fiche")
FICHE_TAB = "Fiche"
FICHE_TITLE = "Annexe n°1 : Formulaire"
PREPARED_ROWS = 300
# What each protected range protects (Google Sheets shows it to whoever edits the range).
HEADER_NOTE = "En-tête de l'annexe n°1 : ne pas modifier (la relève reconnaît les intitulés)."
ROSTER_HEADER_NOTE = (
    "En-tête de la liste des ambassadeurs : ne pas modifier (la relève reconnaît les intitulés)."
)
ADJUSTMENTS_HEADER_NOTE = (
    "En-tête des ajustements du coordinateur : ne pas modifier (la relève reconnaît les "
    "intitulés)."
)
STATUS_LOCK_NOTE = "Colonne « Statut » calculée par le classeur : ne pas modifier."
HEADER_FILL = {Need.ALWAYS: "1F4E78", Need.IF_YES: "2E75B6", Need.OPTIONAL: "D9E1F2"}

_ENTRY = {
    Kind.TEXT: Entry.TEXT,
    Kind.LINE: Entry.LINE,
    Kind.YES_NO: Entry.CHOICE,
    Kind.COUNT: Entry.COUNT,
    Kind.DATE: Entry.DATE,
    Kind.EMAIL: Entry.EMAIL,
    Kind.PHONE: Entry.PHONE,
}
_INPUT_TITLE = {
    Need.ALWAYS: "À renseigner",
    Need.IF_YES: f"À renseigner si « {YES} »",
    Need.OPTIONAL: "Facultatif",
}
_DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))
_MAX_TITLE, _MAX_MESSAGE = 32, 255  # Excel's limits for validation titles and messages
_MAX_SHEETS_MESSAGE = 250
_FICHE_WIDTHS = (62, 60)
ADJUSTMENT_DECISIONS = ("Confirmer", "Exclure")
_STATUS_WIDTH = 34

Records = Sequence[Mapping[str, object]]


def workbook_template(
    layout: str, config: Config | None = None, *, answers: Records = (), roster: Records = (),
    with_roster: bool = True,
) -> Workbook:
    """The Excel template (`layout` « tableau » or « fiche »), pre-filled with `answers`/`roster`.

    Records are keyed by ANSWER_FIELDS / ROSTER_FIELDS keys; a fiche takes the first answer.
    `with_roster` False: the shared table of a campaign with a coordinator workbook (the
    contacts live there, `coordination_template`); True: a one-file campaign.
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
    title = f"{FICHE_TITLE} — {config.name}" if config else FICHE_TITLE

    def column(f: Field) -> Column:
        return _column(f, _excel_rule(f, limits))

    sheets: tuple[Table | Fiche, ...]
    if layout == "tableau":
        sheets = (_table(tabs.answers, ANSWER_FIELDS, column, answers, with_yes=True,
                         title_length=limits.title_length),)
        if with_roster:
            sheets += (_table(tabs.roster, ROSTER_FIELDS, column, roster, with_yes=False),)
    else:
        sheets = (_fiche(title, column, answers[0] if answers else {}),)
    return Workbook(
        title=title,
        comments=f"Modèle « {layout} » généré par sheets-sync.",
        sheets=sheets,
        guide=how_to(layout, config, FICHE_TAB, with_roster=with_roster),
    )


def coordination_template(config: Config | None = None, *, roster: Records = (),
                          with_roster: bool = True) -> Workbook:
    """The coordinator workbook: the roster (pre-filled with `roster`) and « Ajustements ».

    Never shared with the schools; the sync writes the coordinator tabs beside these two.
    `with_roster` False: no roster tab (the campaign still keeps it in the shared table).
    """
    tabs = config.tabs if config else Tabs()
    limits = config.limits if config else Limits()
    unknown = sorted({k for record in roster for k in record} - {f.key for f in ROSTER_FIELDS})
    if unknown:
        raise ValueError(f"unknown field keys: {unknown}")

    def column(f: Field) -> Column:
        return _column(f, _excel_rule(f, limits))

    title = "Coordination" + (f" — {config.name}" if config else "")
    return Workbook(
        title=title,
        comments="Classeur de coordination généré par sheets-sync (ne pas partager).",
        sheets=((_table(tabs.roster, ROSTER_FIELDS, column, roster, with_yes=False),)
                if with_roster else ()) + (_adjustments(tabs.adjustments),),
        guide=coordination_how_to(config),
    )


def _adjustments(tab: str) -> Table:
    """The « Ajustements » tab: Classe, Ambassadeur, Décision, one decision a row."""
    decision = Rule(Check.LIST, ADJUSTMENT_DECISIONS,
                    error=f"Choisir dans la liste : {' / '.join(ADJUSTMENT_DECISIONS)}.")
    fill, ink = HEADER_FILL[Need.ALWAYS], "FFFFFF"
    columns = (
        Column("classe", "Classe", 24, Entry.LINE, fill, ink, None),
        Column("ambassadeur", "Ambassadeur", 24, Entry.LINE, fill, ink, None),
        Column("decision", "Décision", 16, Entry.CHOICE, fill, ink, decision),
    )
    return Table(tab=tab, columns=columns, rows=PREPARED_ROWS, values=(), highlights=(),
                 status=None, lock_note=ADJUSTMENTS_HEADER_NOTE)


def sheets_template(config: Config | None, *, with_roster: bool = True) -> tuple[Table, ...]:
    """The Google Sheets template: the answers table, then (`with_roster`) the roster.

    A campaign with a coordinator spreadsheet lays out the roster there instead
    (`coordination_sheets`).
    """
    tabs = config.tabs if config else Tabs()
    limits = config.limits if config else Limits()
    answers = _table(tabs.answers, ANSWER_FIELDS, _sheets_column(config), (), with_yes=True,
                     title_length=limits.title_length)
    if not with_roster:
        return (answers,)
    return answers, _table(tabs.roster, ROSTER_FIELDS, _sheets_column(config), (),
                           with_yes=False)


def sheets_guide(config: Config | None, *, with_roster: bool = True) -> Guide:
    """The « Mode d'emploi » of the Google template: the Excel « tableau » one, word for word
    (`with_roster` as for `sheets_template`)."""
    return how_to("tableau", config, FICHE_TAB, with_roster=with_roster)


def coordination_sheets_guide(config: Config | None) -> Guide:
    """The « Mode d'emploi » of the coordinator spreadsheet, as in the Excel workbook."""
    return coordination_how_to(config)


def coordination_sheets(config: Config | None) -> tuple[Table, ...]:
    """The coordinator spreadsheet's template: the roster, then « Ajustements »."""
    tabs = config.tabs if config else Tabs()
    return (_table(tabs.roster, ROSTER_FIELDS, _sheets_column(config), (), with_yes=False),
            _adjustments(tabs.adjustments))


def _sheets_column(config: Config | None) -> Callable[[Field], Column]:
    limits = config.limits if config else Limits()

    def column(f: Field) -> Column:
        prompt = help_text(f, limits, need=True, limit=_MAX_SHEETS_MESSAGE)
        return _column(f, _sheets_rule(f, limits, prompt), help_text(f, limits, need=True))

    return column


def _column(f: Field, rule: Rule | None, note: str = "") -> Column:
    ink = "1F1F1F" if f.need is Need.OPTIONAL else "FFFFFF"
    return Column(f.key, f.label, f.width, _ENTRY[f.kind], HEADER_FILL[f.need], ink, rule, note)


def _table(
    tab: str,
    fields: tuple[Field, ...],
    column: Callable[[Field], Column],
    records: Records,
    *,
    with_yes: bool,
    title_length: int = Limits().title_length,
) -> Table:
    """A header row of labels, then the prepared rows (more if there are more records)."""
    rows = max(PREPARED_ROWS, len(records))
    yes = column_letters(fields.index(FIELD["participation"]) + 1) if with_yes else None
    status = None
    if yes:
        status = Status(
            header=STATUS_LABEL,
            fill=HEADER_FILL[Need.OPTIONAL],
            ink="1F1F1F",
            width=_STATUS_WIDTH,
            formulas=tuple(status_formula(fields, row, yes, title_length=title_length)
                           for row in range(2, rows + 2)),
            complete=COMPLETE_TEXT,
            note="Calculé automatiquement : ce qui reste à remplir sur la ligne.",
            lock_note=STATUS_LOCK_NOTE,
        )
    return Table(
        tab=tab,
        columns=tuple(column(f) for f in fields),
        rows=rows,
        values=tuple(tuple(record.get(f.key) for f in fields) for record in records),
        highlights=_highlights(fields, yes),
        status=status,
        lock_note=HEADER_NOTE if with_yes else ROSTER_HEADER_NOTE,
    )


def _highlights(fields: tuple[Field, ...], yes: str | None) -> tuple[Highlight, ...]:
    """A required cell left empty, once its row is started (or answered « Oui »)."""
    row_range = f"$A2:${column_letters(len(fields))}2"
    out = []
    for col, f in enumerate(fields, start=1):
        if f.need is Need.ALWAYS:
            started = f"COUNTA({row_range})>0"
        elif f.need is Need.IF_YES and yes:
            started = f'${yes}2="{YES}"'
        else:
            continue
        out.append(Highlight(col, col, f"=AND({started},LEN(TRIM({to_a1(2, col)}))=0)", f.key))
    if yes:
        counts = [i for i, f in enumerate(fields, start=1) if f.key in ("classes_4e", "classes_3e")]
        span = f"${column_letters(min(counts))}2:${column_letters(max(counts))}2"
        formula = f'=AND(${yes}2="{YES}",COUNT({span})=2,SUM({span})=0)'
        out.append(Highlight(min(counts), max(counts), formula, "classes"))
    return tuple(out)


def _fiche(title: str, column: Callable[[Field], Column], record: Mapping[str, object]) -> Fiche:
    """One school's form: labels in column A, answers in column B, one row per field."""
    fields = ANSWER_FIELDS
    first, last = 2, len(fields) + 1  # sheet rows of the first and last field
    yes_cell = f"$B${first + fields.index(FIELD['participation'])}"
    rows = []
    for i, f in enumerate(fields):
        missing = None
        if f.need is not Need.OPTIONAL:
            started = (
                f"COUNTA($B${first}:$B${last})>0"
                if f.need is Need.ALWAYS
                else f'{yes_cell}="{YES}"'
            )
            missing = f"=AND({started},LEN(TRIM({to_a1(first + i, 2)}))=0)"
        rows.append(FicheRow(column(f), record.get(f.key), missing))
    return Fiche(FICHE_TAB, title, _FICHE_WIDTHS, tuple(rows))


def _excel_rule(f: Field, limits: Limits) -> Rule:
    """The validation of a field's cells in Excel, with its input and error messages."""
    if f.kind is Kind.YES_NO or f.key in CLOSED_LISTS:
        choices = f.suggestions or (YES, NO)
        rule = Rule(Check.LIST, choices, error=f"Choisir dans la liste : {' / '.join(choices)}.")
    elif f.kind is Kind.COUNT:
        low, high = COUNT_MINIMUM.get(f.key, 0), limits.max_classes
        rule = Rule(
            Check.WHOLE, low=low, high=high, error=f"Un nombre entier entre {low} et {high}."
        )
    elif f.kind is Kind.LINE:
        rule = Rule(
            Check.LINE,
            high=limits.title_length,
            error=f"Une seule ligne, sans retour à la ligne, de "
            f"{limits.title_length} caractères au plus.",
        )
    elif f.kind is Kind.DATE:
        rule = Rule(Check.DATE, dates=_DATE_RANGE, error="Une date au format jj/mm/aaaa.")
    elif f.kind is Kind.EMAIL:
        rule = Rule(
            Check.EMAIL, strict=False, error="Cela ne ressemble pas à une adresse électronique."
        )
    elif f.kind is Kind.TEXT:
        rule = Rule(
            Check.LENGTH,
            high=limits.text_length,
            strict=False,
            error=f"Texte très long (plus de {limits.text_length} caractères).",
        )
    else:
        rule = Rule(Check.ANY)
    return replace(
        rule,
        prompt_title=_INPUT_TITLE[f.need][:_MAX_TITLE],
        prompt=help_text(f, limits, limit=_MAX_MESSAGE),
        error_title="Valeur à vérifier",
    )


def _sheets_rule(f: Field, limits: Limits, prompt: str) -> Rule | None:
    """The validation of a field's cells in Sheets; suggestions become a lenient dropdown."""
    if f.kind is Kind.YES_NO or f.key in CLOSED_LISTS:
        rule = Rule(Check.LIST, f.suggestions or (YES, NO))
    elif f.suggestions:  # suggested answers, free text allowed (a warning only)
        rule = Rule(Check.LIST, f.suggestions, strict=False)
    elif f.kind is Kind.COUNT:
        rule = Rule(Check.WHOLE, low=COUNT_MINIMUM.get(f.key, 0), high=limits.max_classes)
    elif f.kind is Kind.LINE:
        rule = Rule(Check.LINE, high=limits.title_length)
    elif f.kind is Kind.DATE:
        rule = Rule(Check.DATE)
    elif f.kind is Kind.EMAIL:
        rule = Rule(Check.EMAIL, strict=False)
    else:
        return None
    return replace(rule, prompt=prompt)


def help_text(f: Field, limits: Limits, *, need: bool = False, limit: int = 0) -> str:
    """What a principal is told about a question, written once for Excel and Google Sheets.

    The field's help, then its rule (unless the help already says it), then (`need`) whether
    it is required, then the suggested answers; within `limit` characters when given (the
    suggestions are cut first). Excel shows it when a cell is selected (its title says the
    need); Google Sheets as the header's note and the validation's help text.
    """
    said = f.help.casefold()
    parts = [f.help] if f.help else []
    if f.kind is Kind.COUNT:
        low, high = COUNT_MINIMUM.get(f.key, 0), limits.max_classes
        whole = "Entre" if "nombre entier" in said else "Nombre entier entre"
        parts.append(f"{whole} {low} et {high}.")
    elif f.kind is Kind.LINE:
        one = "" if "une seule ligne" in said else "Une seule ligne, "
        parts.append(f"{one}{limits.title_length} caractères au plus.")
    elif f.kind is Kind.DATE and "jj/mm/aaaa" not in said:
        parts.append("Une date (jj/mm/aaaa).")
    elif f.kind is Kind.EMAIL:
        parts.append("Adresse électronique, par exemple prenom.nom@exemple.fr.")
    elif f.kind is Kind.PHONE:
        parts.append("Numéro à 10 chiffres, par exemple 03 20 00 00 00.")
    if need and f.need is Need.ALWAYS:
        parts.append("Obligatoire.")
    elif need and f.need is Need.IF_YES:
        parts.append(f"Obligatoire si l'établissement répond « {YES} ».")
    if not parts:
        parts.append("Texte libre.")
    free = f.suggestions and f.kind is not Kind.YES_NO and f.key not in CLOSED_LISTS
    other = "autre" in said
    if free and not all(s in f.help for s in f.suggestions):
        prefix, suffix = "Suggestions : ", "." if other else " (ou une autre réponse)."
        shown = " ; ".join(f.suggestions)
        if limit:
            room = limit - len("\n".join(parts)) - len(prefix) - len(suffix) - 1
            if len(shown) > room:
                shown = shown[: room - 3].rsplit(" ; ", 1)[0] + " ; …"
        parts.append(prefix + shown + suffix)
    elif free and not other:
        parts.append("Vous pouvez aussi écrire une autre réponse.")
    message = "\n".join(parts)
    return message if not limit or len(message) <= limit else message[: limit - 1] + "…"
