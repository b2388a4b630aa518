"""Lay out the annex n°1 in a Google spreadsheet: `sheets-sync template --google ID`.

    # Réponses  A                                   B                            … O
    # 1         Nom de l'établissement participant  Adresse de l'établissement   … Date de dépôt
    # 2…301     (prepared rows: dropdowns, whole-number checks, required cells highlighted)
    #
    # Ambassadeurs  A       B      C       … N
    # 1             Prénom  NOM    Genre   … Accepte d'apparaître nommément …
    #
    # Mode d'emploi  A
    # 1              Mode d'emploi — <campaign> (<school year>)
    # 2…             Que remplir ? / À ne pas faire / Dates limites / Une question ?

Formulas (validations, highlights, « Statut ») are sent in the spreadsheet's own locale:
« ; » between arguments in a fr_FR spreadsheet (`cells.localise_formula` gives the sources).

What the tabs say (`cells.template_spec.Table`, composed by `form.template.sheets_template`)
is written here as Sheets requests. Row 1 holds the verbatim labels, each with a note (the
field's help, the same text as the Excel input message), is frozen and protected with a warning
only, described by what it protects. The « Mode d'emploi » (`cells.template_spec.Guide`, the
Excel template's own) follows the tables, one paragraph a row. One batchUpdate lays out every
tab; before it, the metadata (and, when the spreadsheet still has its blank first tab, that
tab's values) is read: at most 3 requests. A tab of ours already there is never overwritten
(the refusal names it and says what to do); a blank default tab (« Sheet1 », « Feuille 1 »)
is removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...cells.a1 import column_letters
from ...cells.template_spec import Check, Column, Entry, Guide, Rule, Status, Table
from ...errors import WriteRefused
from .cells import DATE, localise_formula, rgb
from .publish import PIXELS_PER_WIDTH, stable_sheet_id
from .read import METADATA_FIELDS, locale_of, quote_title, sheets_of
from .retry import CALL_ERRORS, SheetsHTTPClient, translate

DEFAULT_TITLES = frozenset({"sheet1", "feuille 1", "feuille1"})
GUIDE_WIDTH = 100  # characters, as the Excel guide's column
_GUIDE_STYLE: dict[str, dict[str, Any]] = {
    "title": {"textFormat": {"bold": True, "fontSize": 14}},
    "heading": {"textFormat": {"bold": True, "fontSize": 11, "foregroundColor": rgb("1F4E78")}},
    "paragraph": {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"},
}
_MISSING = {"backgroundColor": rgb("FCE4D6"), "textFormat": {"foregroundColor": rgb("9C0006")}}


def _condition(rule: Rule, cell: str) -> dict[str, Any] | None:
    """The Sheets condition of `rule` (`cell`: the first answer cell, e.g. E2)."""
    if rule.check is Check.LIST:
        return {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": c} for c in rule.choices]}
    if rule.check is Check.WHOLE:
        bounds = f"{cell}>={rule.low},{cell}<={rule.high}"
        formula = f"=AND(ISNUMBER({cell}),{cell}=INT({cell}),{bounds})"
    elif rule.check is Check.LINE:
        formula = f"=AND(LEN({cell})<={rule.high},ISERROR(FIND(CHAR(10),{cell})))"
    elif rule.check is Check.LENGTH:
        formula = f"=LEN({cell})<={rule.high}"
    elif rule.check is Check.DATE:
        return {"type": "DATE_IS_VALID"}  # any valid date: Sheets is told no bounds
    elif rule.check is Check.EMAIL:
        return {"type": "TEXT_IS_EMAIL"}
    else:
        return None
    return {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]}


def _rule(rule: Rule | None, cell: str) -> dict[str, Any] | None:
    """The data validation rule of a column's answer cells, or None for none."""
    condition = _condition(rule, cell) if rule else None
    if rule is None or condition is None:
        return None
    return {
        "condition": condition,
        "strict": rule.strict,
        "showCustomUi": True,
        "inputMessage": rule.prompt,
    }


def _header_cell(c: Column) -> dict[str, Any]:
    return {
        "userEnteredValue": {"stringValue": c.header},
        "userEnteredFormat": {
            "backgroundColor": rgb(c.fill),
            "textFormat": {"bold": True, "foregroundColor": rgb(c.ink)},
            "wrapStrategy": "WRAP",
            "verticalAlignment": "TOP",
        },
        "note": c.note,
    }


def _conditional(sheet_id: int, rows: int, col0: int, col_end: int, formula: str) -> dict[str, Any]:
    return {
        "addConditionalFormatRule": {
            "index": 0,
            "rule": {
                "ranges": [_range(sheet_id, 1, rows + 1, col0, col_end)],
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


def _status_requests(sheet_id: int, col: int, rows: int, status: Status) -> list[dict[str, Any]]:
    """The « Statut » column: live feedback formulas, protected (warning only)."""
    header = {
        "userEnteredValue": {"stringValue": status.header},
        "userEnteredFormat": {"textFormat": {"bold": True}, "backgroundColor": rgb(status.fill)},
        "note": status.note,
    }
    cells = [{"values": [header]}]
    cells += [
        {"values": [{"userEnteredValue": {"formulaValue": formula}}]} for formula in status.formulas
    ]
    return [
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": col},
                "rows": cells,
                "fields": "userEnteredValue,userEnteredFormat,note",
            }
        },
        _column_width(sheet_id, col, status.width),
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": _range(sheet_id, 1, rows + 1, col, col + 1),
                    "description": status.lock_note,
                    "warningOnly": True,
                }
            }
        },
    ]


def _column_width(sheet_id: int, col: int, width: int) -> dict[str, Any]:
    """Set column `col` (0-based) to `width` characters."""
    return {
        "updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col,
                      "endIndex": col + 1},
            "properties": {"pixelSize": width * PIXELS_PER_WIDTH},
            "fields": "pixelSize",
        }
    }


def table_requests(
    table: Table, sheet_id: int, index: int, locale: str = "en_US"
) -> list[dict[str, Any]]:
    """One response table: the tab, its header, widths, validations, highlights, protection.

    Every formula is written in the syntax of the spreadsheet's `locale` (`cells` says why).
    """
    requests = _table_requests(table, sheet_id, index)
    return [_localised(r, locale) for r in requests] if locale != "en_US" else requests


def _localised(value: Any, locale: str) -> Any:
    """`value` with each formula (formulaValue, a CUSTOM_FORMULA's values) in `locale`."""
    if isinstance(value, list):
        return [_localised(v, locale) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _localised(v, locale) for k, v in value.items()}
    if isinstance(out.get("formulaValue"), str):
        out["formulaValue"] = localise_formula(out["formulaValue"], locale)
    if out.get("type") == "CUSTOM_FORMULA":
        out["values"] = [
            {**v, "userEnteredValue": localise_formula(v["userEnteredValue"], locale)}
            if isinstance(v.get("userEnteredValue"), str) else v
            for v in out.get("values") or []
        ]
    return out


def _table_requests(table: Table, sheet_id: int, index: int) -> list[dict[str, Any]]:
    width, rows = len(table.columns), table.rows
    columns = width + (1 if table.status else 0)  # with the answers: the « Statut » column
    requests: list[dict[str, Any]] = [
        {
            "addSheet": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": table.tab,
                    "index": index,
                    "gridProperties": {
                        "rowCount": rows + 1,
                        "columnCount": columns,
                        "frozenRowCount": 1,
                    },
                }
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": [{"values": [_header_cell(c) for c in table.columns]}],
                "fields": "userEnteredValue,userEnteredFormat,note",
            }
        },
    ]
    for col, c in enumerate(table.columns):
        requests.append(_column_width(sheet_id, col, c.width))
        answers = _range(sheet_id, 1, rows + 1, col, col + 1)
        rule = _rule(c.rule, f"{column_letters(col + 1)}2")
        if rule is not None:
            requests.append({"setDataValidation": {"range": answers, "rule": rule}})
        number = _NUMBER_FORMATS.get(c.entry)
        if number is not None:
            requests.append(
                {
                    "repeatCell": {
                        "range": answers,
                        "cell": {"userEnteredFormat": {"numberFormat": number}},
                        "fields": "userEnteredFormat.numberFormat",
                    }
                }
            )
    requests.extend(
        _conditional(sheet_id, rows, h.first - 1, h.last, h.formula) for h in table.highlights
    )
    requests.append(
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": _range(sheet_id, 0, 1, 0, columns),
                    "description": table.lock_note,
                    "warningOnly": True,
                }
            }
        }
    )
    if table.status:
        requests.extend(_status_requests(sheet_id, width, rows, table.status))
    return requests


# A leading 0 of a phone number must survive: plain text.
_NUMBER_FORMATS: dict[Entry, dict[str, str]] = {
    Entry.COUNT: {"type": "NUMBER", "pattern": "0"},
    Entry.DATE: DATE,
    Entry.PHONE: {"type": "TEXT"},
}


def guide_requests(guide: Guide, sheet_id: int, index: int) -> list[dict[str, Any]]:
    """The « Mode d'emploi » tab: one line of the guide a row, in one wide column."""
    return [
        {
            "addSheet": {
                "properties": {
                    "sheetId": sheet_id,
                    "title": guide.tab,
                    "index": index,
                    "gridProperties": {"rowCount": max(len(guide.lines), 1), "columnCount": 1},
                }
            }
        },
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": [
                    {
                        "values": [
                            {
                                "userEnteredValue": {"stringValue": text},
                                "userEnteredFormat": _GUIDE_STYLE[kind],
                            }
                        ]
                    }
                    for kind, text in guide.lines
                ],
                "fields": "userEnteredValue,userEnteredFormat",
            }
        },
        _column_width(sheet_id, 0, GUIDE_WIDTH),
    ]


def template_requests(
    tables: Sequence[Table], taken: set[int], index: int = 0, locale: str = "en_US",
    guide: Guide | None = None,
) -> list[dict[str, Any]]:
    """The batch that lays out the tables (« Réponses », « Ambassadeurs »), then the guide;
    pure, for tests."""
    ids = [stable_sheet_id(t.tab, taken) for t in tables]
    requests = [
        request
        for i, (table, sheet_id) in enumerate(zip(tables, ids, strict=True))
        for request in table_requests(table, sheet_id, index + i, locale)
    ]
    if guide is not None:
        requests += guide_requests(guide, stable_sheet_id(guide.tab, taken), index + len(tables))
    return requests


def already_there(present: Sequence[str]) -> str:
    """The refusal when the spreadsheet already holds tabs of the template (`present`)."""
    listed = [f"« {t} »" for t in present]
    names = listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} et {listed[-1]}"
    if len(listed) == 1:
        found, these = f"l'onglet {names}", "cet onglet"
    else:
        found, these = f"les onglets {names}", "ces onglets"
    return (
        f"Le classeur Google contient déjà {found} : le modèle y a sans doute déjà été posé, "
        "et rien n'a été écrit. Pour le poser à nouveau, indiquez un classeur vide, ou "
        f"renommez ou supprimez {these} (après avoir mis de côté les réponses déjà saisies)."
    )


def write_google_template(
    client: SheetsHTTPClient, spreadsheet_id: str, tables: Sequence[Table],
    guide: Guide | None = None,
) -> None:
    """Lay out the annex n°1 (and the roster), then the `guide`, in one batchUpdate."""
    wanted = {t.tab.casefold() for t in tables}
    if guide is not None:
        wanted.add(guide.tab.casefold())
    try:
        metadata = client.fetch_sheet_metadata(spreadsheet_id, params={"fields": METADATA_FIELDS})
        sheets = sheets_of(metadata)
        present = [s.title for s in sheets if s.title.casefold() in wanted]
        if present:
            raise WriteRefused(already_there(present))
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
        requests = template_requests(tables, {s.sheet_id for s in sheets},
                                     locale=locale_of(metadata), guide=guide)
        requests.extend({"deleteSheet": {"sheetId": s.sheet_id}} for s in blank)
        client.post_batch(spreadsheet_id, {"requests": requests})
    except CALL_ERRORS as err:
        raise translate(err, client, spreadsheet_id, writing=True) from None
