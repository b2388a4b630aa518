"""Generated cells as Google's CellData JSON: values, the house styles, links.

    str                 stringValue, always (never a formula: "=SOMME(A1)" stays text)
    int / float         numberValue               bool        boolValue
    date / datetime     numberValue (serial) with a DATE / DATE_TIME format, dd/mm/yyyy
    CellError           stringValue of its text   None        no value

A link is a cell format (textFormat.link.uri), never a HYPERLINK formula: an internal
target "'Réponses'!F7" becomes "#gid=<sheetId>&range=F7", which Sheets opens in place.

Formula injection (issue #7): text typed by a principal (« =IMPORTXML(…) », « @SUM(1+1) »)
goes out as stringValue, which Sheets stores as that very text: only formulaValue, or a
values-API write with USER_ENTERED, is ever parsed, and publish uses neither. No apostrophe
is prepended (stringValue is literal: « Leading single quotes are not included », so one
would be shown). Link URIs come from tab names or the « Relances » mailto:, never from text.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from ...cells.grid import STYLES, CellError, CellValue, OutCell

EPOCH = dt.datetime(1899, 12, 30)  # serial 0 of Sheets
MAX_CELL_TEXT = 50_000  # Google refuses longer cell text

DATE = {"type": "DATE", "pattern": "dd/mm/yyyy"}
DATE_TIME = {"type": "DATE_TIME", "pattern": "dd/mm/yyyy hh:mm"}
TIME = {"type": "TIME", "pattern": "hh:mm"}


def rgb(hex_colour: str) -> dict[str, float]:
    return {
        name: round(int(hex_colour[i : i + 2], 16) / 255, 4)
        for name, i in (("red", 0), ("green", 2), ("blue", 4))
    }


_GREY = rgb("808080")
LINK_COLOUR = rgb("1155CC")

# The house styles (grid.STYLES), as userEnteredFormat; the same colours as the Excel backend.
STYLE_FORMATS: dict[str, dict[str, Any]] = {
    "header": {
        "backgroundColor": rgb("DDEBF7"),
        "textFormat": {"bold": True},
        "wrapStrategy": "WRAP",
        "verticalAlignment": "TOP",
    },
    "banner": {"textFormat": {"italic": True, "foregroundColor": _GREY}},
    "title": {"textFormat": {"bold": True, "fontSize": 14}},
    "percent": {"numberFormat": {"type": "PERCENT", "pattern": "0 %"}},
    "integer": {"numberFormat": {"type": "NUMBER", "pattern": "0"}},
    "date": {"numberFormat": DATE},
    "ok": {"backgroundColor": rgb("C6EFCE"), "textFormat": {"foregroundColor": rgb("006100")}},
    "error": {
        "backgroundColor": rgb("FFC7CE"),
        "textFormat": {"foregroundColor": rgb("9C0006")},
    },
    "warning": {
        "backgroundColor": rgb("FFEB9C"),
        "textFormat": {"foregroundColor": rgb("9C5700")},
    },
    "muted": {"textFormat": {"italic": True, "foregroundColor": _GREY}},
    "wrap": {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"},
}
assert set(STYLE_FORMATS) == set(STYLES), "every house style needs a Google format"


def serial(value: dt.date | dt.datetime | dt.time) -> float | int:
    """Days since 1899-12-30 (a time: the fraction of a day)."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - EPOCH
        whole = delta.days + delta.seconds / 86400 + delta.microseconds / 86_400e6
        return int(whole) if whole.is_integer() else whole
    if isinstance(value, dt.date):
        return (value - EPOCH.date()).days
    return (value.hour * 3600 + value.minute * 60 + value.second) / 86400


def extended_value(value: CellValue) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(userEnteredValue or None, numberFormat a date needs or None)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return {"stringValue": str(value)}, None
        return {"numberValue": value}, None
    if isinstance(value, dt.datetime):
        timed = value.time() != dt.time(0)
        return {"numberValue": serial(value)}, DATE_TIME if timed else DATE
    if isinstance(value, dt.date):
        return {"numberValue": serial(value)}, DATE
    if isinstance(value, dt.time):
        return {"numberValue": serial(value)}, TIME
    text = value.text if isinstance(value, CellError) else str(value)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return ({"stringValue": text} if text else None), None


def split_ref(target: str) -> tuple[str, str] | None:
    """ "'Réponses'!F7" or "Réponses!F7" -> ("Réponses", "F7"); None if not a cell reference."""
    if target.startswith("'"):
        end = target.find("'!", 1)
        while end != -1 and target[1:end].replace("''", "").count("'"):
            end = target.find("'!", end + 2)
        if end == -1:
            return None
        return target[1:end].replace("''", "'"), target[end + 2 :]
    title, sep, cell = target.rpartition("!")
    return (title, cell) if sep and title else None


def link_uri(target: str, gids: Mapping[str, int]) -> str | None:
    """The URI a link opens: external as is, internal as #gid=…&range=… (None: tab unknown)."""
    if target.startswith(("http://", "https://", "mailto:")):
        return target
    ref = split_ref(target)
    if ref is None:
        return None
    folded = {title.casefold(): gid for title, gid in gids.items()}
    gid = folded.get(ref[0].casefold())
    return None if gid is None else f"#gid={gid}&range={ref[1]}"


def cell_data(out: OutCell, gids: Mapping[str, int], wrap: bool = False) -> dict[str, Any]:
    """One generated cell as CellData (value and userEnteredFormat); `wrap`: the layout
    wraps it (cells/layout.py), top-aligned."""
    if out.style is not None and out.style not in STYLE_FORMATS:
        raise ValueError(f"unknown style: {out.style!r}")
    value, date_format = extended_value(out.value)
    base = STYLE_FORMATS.get(out.style or "", {})
    fmt = dict(base)
    if date_format is not None and "numberFormat" not in fmt:
        fmt["numberFormat"] = date_format
    if wrap:
        fmt.update(wrapStrategy="WRAP", verticalAlignment="TOP")
    uri = link_uri(out.link, gids) if out.link else None
    if uri is not None:
        fmt["textFormat"] = {
            **base.get("textFormat", {}),
            "link": {"uri": uri},
            "underline": True,
            "foregroundColor": LINK_COLOUR,
        }
    data: dict[str, Any] = {}
    if value is not None:
        data["userEnteredValue"] = value
    if fmt:
        data["userEnteredFormat"] = fmt
    return data


# --- formulas in the spreadsheet's locale --------------------------------------------------
# Sheets parses a formula sent through the API (userEnteredValue.formulaValue, and the
# CUSTOM_FORMULA values of data validations and conditional formats, which are typed in the
# same dialog syntax) in the spreadsheet's locale: in a comma-decimal locale (fr_FR, tr_TR…)
# arguments are separated by « ; » and « 1,5 » is a number. Source: googleapis/
# google-api-nodejs-client#1994 (2020: a HYPERLINK formulaValue with « , » fails in a
# tr_TR spreadsheet, works in en_US); gspread-era reports of « Formula parse error » in
# de/nl/fr spreadsheets (mricon/ingress-fieldplan#5, diegomanuel/binance-to-google-sheets#78,
# #105). « ; » is accepted as an argument separator in every locale, en_US included (same
# ingress-fieldplan thread, 2019; axemonk/Spreadsheet-Formula#19), so an unknown locale gets
# « ; » too. English function names are accepted in every locale. Not verified here against
# a real sheet: the `-m live` test in tests/backends/google/test_google_live.py does that.

# Locales whose decimal separator is the point: formulas keep the en_US syntax there.
_POINT_DECIMAL_LANGUAGES = frozenset({"en", "zh", "ja", "ko", "th", "iw", "he", "hi", "ms",
                                      "fil", "mn"})
_POINT_DECIMAL_LOCALES = frozenset({"es_MX", "ar_EG", "de_CH", "it_CH", "fr_CH"})


def comma_decimal(locale: str) -> bool:
    """True where « , » is the decimal separator, hence « ; » separates arguments."""
    if not locale or locale in _POINT_DECIMAL_LOCALES:
        return False
    return locale.split("_")[0].lower() not in _POINT_DECIMAL_LANGUAGES


def localise_formula(formula: str, locale: str) -> str:
    """An en_US formula in the syntax `locale` parses: « ; » between arguments, « 1,5 ».

    Text in "double quotes" and 'sheet names' is left as it is; inside an array literal
    {…} the column separator « , » becomes « \\ » (rows stay « ; »).
    """
    if not comma_decimal(locale):
        return formula
    out: list[str] = []
    quote: str | None = None
    braces = 0
    for i, ch in enumerate(formula):
        if quote:
            quote = None if ch == quote else quote  # "" inside text: closes then reopens
            out.append(ch)
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "{":
            braces += 1
        elif ch == "}":
            braces = max(0, braces - 1)
        elif ch == ",":
            ch = "\\" if braces else ";"
        elif ch == "." and 0 < i < len(formula) - 1 and formula[i - 1].isdigit() \
                and formula[i + 1].isdigit():
            ch = ","
        out.append(ch)
    return "".join(out)
