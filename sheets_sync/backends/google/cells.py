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


def cell_data(out: OutCell, gids: Mapping[str, int]) -> dict[str, Any]:
    """One generated cell as CellData (value and userEnteredFormat)."""
    if out.style is not None and out.style not in STYLE_FORMATS:
        raise ValueError(f"unknown style: {out.style!r}")
    value, date_format = extended_value(out.value)
    base = STYLE_FORMATS.get(out.style or "", {})
    fmt = dict(base)
    if date_format is not None and "numberFormat" not in fmt:
        fmt["numberFormat"] = date_format
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
