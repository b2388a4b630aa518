"""Lay out the annex n°1 in a Google spreadsheet: `sheets-sync template --google ID`.

    # Réponses  A                                   B                            … O
    # 1         Nom de l'établissement participant  Adresse de l'établissement   … Date de dépôt
    # 2…301     (prepared rows: dropdowns, whole-number checks, required cells highlighted)
    #
    # Ambassadeurs  A       B      C       … N
    # 1             Prénom  NOM    Genre   … Accepte d'apparaître nommément …

Row 1 holds the verbatim labels, each with a note (the field's help and the seed's
examples), is frozen and protected with a warning only. One batchUpdate lays out both tabs;
before it, the metadata (and, when the spreadsheet still has its blank first tab, that tab's
values) is read: at most 3 requests. An existing « Réponses » or « Ambassadeurs » tab is never
overwritten; a blank default tab (« Sheet1 », « Feuille 1 ») is removed.
"""

from __future__ import annotations

from typing import Any

from ...cells.a1 import column_letters
from ...config import Config, Limits, Tabs
from ...errors import WriteRefused
from ...form.live_status import STATUS_LABEL, status_formula
from ...form.model import (
    ANSWER_FIELDS,
    CLOSED_LISTS,
    COUNT_MINIMUM,
    FIELD,
    NO,
    ROSTER_FIELDS,
    YES,
    Field,
    Kind,
    Need,
)
from .cells import DATE, rgb
from .publish import PIXELS_PER_WIDTH, stable_sheet_id
from .read import METADATA_FIELDS, quote_title, sheets_of
from .retry import CALL_ERRORS, SheetsHTTPClient, translate

PREPARED_ROWS = 300
DEFAULT_TITLES = frozenset({"sheet1", "feuille 1", "feuille1"})
HEADER_NOTE = "En-tête de l'annexe n°1 : ne pas modifier (la relève reconnaît les intitulés)."
_HEADER_FILL = {Need.ALWAYS: "1F4E78", Need.IF_YES: "2E75B6", Need.OPTIONAL: "D9E1F2"}
_MISSING = {"backgroundColor": rgb("FCE4D6"), "textFormat": {"foregroundColor": rgb("9C0006")}}


def _note(f: Field, limits: Limits) -> str:
    """The header's note: the field's help, its rule, the seed's examples."""
    parts = [f.help] if f.help else []
    if f.kind is Kind.COUNT:
        parts.append(f"Nombre entier entre {COUNT_MINIMUM.get(f.key, 0)} et {limits.max_classes}.")
    elif f.kind is Kind.LINE:
        parts.append(f"Une seule ligne, {limits.title_length} caractères au plus.")
    elif f.kind is Kind.DATE:
        parts.append("Une date (jj/mm/aaaa).")
    if f.need is Need.ALWAYS:
        parts.append("Obligatoire.")
    elif f.need is Need.IF_YES:
        parts.append(f"Obligatoire si l'établissement répond « {YES} ».")
    free = f.suggestions and f.kind is not Kind.YES_NO and f.key not in CLOSED_LISTS
    if free and not all(s in f.help for s in f.suggestions):
        parts.append("Suggestions : " + " ; ".join(f.suggestions) + " (ou une autre réponse).")
    return "\n".join(parts)


def _rule(f: Field, limits: Limits, cell: str) -> dict[str, Any] | None:
    """The data validation rule of a field's answer cells (`cell`: the first one, e.g. E2)."""
    condition: dict[str, Any]
    strict = True
    if f.kind is Kind.YES_NO or f.key in CLOSED_LISTS:
        choices = list(f.suggestions) or [YES, NO]
        condition = {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": c} for c in choices]}
    elif f.suggestions:  # suggested answers, free text allowed (a warning only)
        condition = {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": c} for c in f.suggestions],
        }
        strict = False
    elif f.kind is Kind.COUNT:
        low = COUNT_MINIMUM.get(f.key, 0)
        formula = (
            f"=AND(ISNUMBER({cell}),{cell}=INT({cell}),{cell}>={low},{cell}<={limits.max_classes})"
        )
        condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]}
    elif f.kind is Kind.LINE:
        formula = f"=AND(LEN({cell})<={limits.title_length},ISERROR(FIND(CHAR(10),{cell})))"
        condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]}
    elif f.kind is Kind.DATE:
        condition = {"type": "DATE_IS_VALID"}
    elif f.kind is Kind.EMAIL:
        condition, strict = {"type": "TEXT_IS_EMAIL"}, False
    else:
        return None
    return {
        "condition": condition,
        "strict": strict,
        "showCustomUi": True,
        "inputMessage": _note(f, limits)[:250],
    }


def _header_cell(f: Field, limits: Limits) -> dict[str, Any]:
    dark = f.need is not Need.OPTIONAL
    return {
        "userEnteredValue": {"stringValue": f.label},
        "userEnteredFormat": {
            "backgroundColor": rgb(_HEADER_FILL[f.need]),
            "textFormat": {"bold": True, "foregroundColor": rgb("FFFFFF" if dark else "1F1F1F")},
            "wrapStrategy": "WRAP",
            "verticalAlignment": "TOP",
        },
        "note": _note(f, limits),
    }


def _highlights(sheet_id: int, fields: tuple[Field, ...], with_yes: bool) -> list[dict[str, Any]]:
    """Conditional formats: a required cell left empty once its row is started (or « Oui »)."""
    last = column_letters(len(fields))
    yes = column_letters(fields.index(FIELD["participation"]) + 1) if with_yes else None
    out = []
    for col, f in enumerate(fields):
        cell = f"{column_letters(col + 1)}2"
        if f.need is Need.ALWAYS:
            started = f"COUNTA($A2:${last}2)>0"
        elif f.need is Need.IF_YES and yes:
            started = f'${yes}2="{YES}"'
        else:
            continue
        out.append(_conditional(sheet_id, col, col + 1, f"=AND({started},LEN(TRIM({cell}))=0)"))
    if yes:
        counts = [i for i, f in enumerate(fields) if f.key in ("classes_4e", "classes_3e")]
        span = f"${column_letters(min(counts) + 1)}2:${column_letters(max(counts) + 1)}2"
        out.append(
            _conditional(
                sheet_id,
                min(counts),
                max(counts) + 1,
                f'=AND(${yes}2="{YES}",COUNT({span})=2,SUM({span})=0)',
            )
        )
    return out


def _conditional(sheet_id: int, col0: int, col_end: int, formula: str) -> dict[str, Any]:
    return {
        "addConditionalFormatRule": {
            "index": 0,
            "rule": {
                "ranges": [_range(sheet_id, 1, PREPARED_ROWS + 1, col0, col_end)],
                "booleanRule": {
                    "condition": {
                        "type": "CUSTOM_FORMULA",
                        "values": [{"userEnteredValue": formula}],
                    },
                    "format": _MISSING,
                },
            },
        }
    }


def _range(sheet_id: int, row0: int, row_end: int, col0: int, col_end: int) -> dict[str, Any]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": row0,
        "endRowIndex": row_end,
        "startColumnIndex": col0,
        "endColumnIndex": col_end,
    }


def _status_requests(sheet_id: int, fields: tuple[Field, ...]) -> list[dict[str, Any]]:
    """The « Statut » column: live feedback formulas, protected (warning only)."""
    col = len(fields)
    yes_column = column_letters([f.key for f in fields].index("participation") + 1)
    header = {"userEnteredValue": {"stringValue": STATUS_LABEL},
              "userEnteredFormat": {"textFormat": {"bold": True},
                                    "backgroundColor": rgb(_HEADER_FILL[Need.OPTIONAL])},
              "note": "Calculé automatiquement : ce qui reste à remplir sur la ligne."}
    rows = [{"values": [header]}]
    rows += [{"values": [{"userEnteredValue": {
        "formulaValue": status_formula(fields, row, yes_column)}}]}
        for row in range(2, PREPARED_ROWS + 2)]
    return [
        {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": col},
                         "rows": rows, "fields": "userEnteredValue,userEnteredFormat,note"}},
        {"updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col,
                      "endIndex": col + 1},
            "properties": {"pixelSize": 34 * PIXELS_PER_WIDTH}, "fields": "pixelSize"}},
        {"addProtectedRange": {"protectedRange": {
            "range": _range(sheet_id, 1, PREPARED_ROWS + 1, col, col + 1),
            "description": "Colonne calculée : ne pas modifier.", "warningOnly": True}}},
    ]


def table_requests(
    title: str,
    sheet_id: int,
    index: int,
    fields: tuple[Field, ...],
    limits: Limits,
    *,
    with_yes: bool,
) -> list[dict[str, Any]]:
    """One response table: the tab, its header, widths, validations, highlights, protection."""
    width = len(fields)
    columns = width + (1 if with_yes else 0)  # with the answers: the « Statut » column
    requests: list[dict[str, Any]] = [
        {
            "addSheet": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": title,
                    "index": index,
                    "gridProperties": {
                        "rowCount": PREPARED_ROWS + 1,
                        "columnCount": columns,
                        "frozenRowCount": 1,
                    },
                }
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": [{"values": [_header_cell(f, limits) for f in fields]}],
                "fields": "userEnteredValue,userEnteredFormat,note",
            }
        },
    ]
    for col, f in enumerate(fields):
        requests.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": col,
                        "endIndex": col + 1,
                    },
                    "properties": {"pixelSize": f.width * PIXELS_PER_WIDTH},
                    "fields": "pixelSize",
                }
            }
        )
        answers = _range(sheet_id, 1, PREPARED_ROWS + 1, col, col + 1)
        rule = _rule(f, limits, f"{column_letters(col + 1)}2")
        if rule is not None:
            requests.append({"setDataValidation": {"range": answers, "rule": rule}})
        if f.kind in (Kind.COUNT, Kind.DATE):
            number = {"type": "NUMBER", "pattern": "0"} if f.kind is Kind.COUNT else DATE
            requests.append(
                {
                    "repeatCell": {
                        "range": answers,
                        "cell": {"userEnteredFormat": {"numberFormat": number}},
                        "fields": "userEnteredFormat.numberFormat",
                    }
                }
            )
        elif f.kind is Kind.PHONE:  # a leading 0 must survive: plain text
            requests.append(
                {
                    "repeatCell": {
                        "range": answers,
                        "cell": {"userEnteredFormat": {"numberFormat": {"type": "TEXT"}}},
                        "fields": "userEnteredFormat.numberFormat",
                    }
                }
            )
    requests.extend(_highlights(sheet_id, fields, with_yes))
    requests.append(
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": _range(sheet_id, 0, 1, 0, columns),
                    "description": HEADER_NOTE,
                    "warningOnly": True,
                }
            }
        }
    )
    if with_yes:
        requests.extend(_status_requests(sheet_id, fields))
    return requests


def template_requests(
    config: Config | None, taken: set[int], index: int = 0
) -> list[dict[str, Any]]:
    """The batch that lays out « Réponses » and « Ambassadeurs » (pure, for tests)."""
    tabs = config.tabs if config else Tabs()
    limits = config.limits if config else Limits()
    answers_id = stable_sheet_id(tabs.answers, taken)
    roster_id = stable_sheet_id(tabs.roster, taken)
    return [
        *table_requests(tabs.answers, answers_id, index, ANSWER_FIELDS, limits, with_yes=True),
        *table_requests(tabs.roster, roster_id, index + 1, ROSTER_FIELDS, limits, with_yes=False),
    ]


def write_google_template(
    client: SheetsHTTPClient, spreadsheet_id: str, config: Config | None
) -> None:
    """Lay out the annex n°1 (and the roster) in a spreadsheet, in one batchUpdate."""
    tabs = config.tabs if config else Tabs()
    try:
        metadata = client.fetch_sheet_metadata(spreadsheet_id, params={"fields": METADATA_FIELDS})
        sheets = sheets_of(metadata)
        present = [
            s.title
            for s in sheets
            if s.title.casefold() in (tabs.answers.casefold(), tabs.roster.casefold())
        ]
        if present:
            listed = ", ".join(f"« {t} »" for t in present)
            raise WriteRefused(
                f"Le classeur Google contient déjà l'onglet {listed} : le modèle n'est posé "
                "que dans un classeur qui ne l'a pas. Rien n'a été écrit."
            )
        blank = [s for s in sheets if s.title.casefold() in DEFAULT_TITLES]
        if blank and len(blank) == len(sheets):
            got = client.values_batch_get(spreadsheet_id, [quote_title(s.title) for s in blank])
            blank = [
                s
                for s, vr in zip(blank, got.get("valueRanges") or [], strict=True)
                if not vr.get("values")
            ]
        else:
            blank = []
        requests = template_requests(config, {s.sheet_id for s in sheets})
        requests.extend({"deleteSheet": {"sheetId": s.sheet_id}} for s in blank)
        client.post_batch(spreadsheet_id, {"requests": requests})
    except CALL_ERRORS as err:
        raise translate(err, client, spreadsheet_id, writing=True) from None
