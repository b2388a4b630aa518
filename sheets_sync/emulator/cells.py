"""One cell: what is typed in (userEnteredValue), what it evaluates to, how it is rendered.

A cell is stored as Google's CellData JSON (userEnteredValue, userEnteredFormat,
dataValidation, note). Values written through the values API become ExtendedValues:
RAW keeps strings as strings; USER_ENTERED parses numbers, TRUE/FALSE, ISO dates
(yyyy-mm-dd, stored as a serial with a DATE format, as Google does) and "=…" formulas.

Formulas are kept as formula text. Only plain arithmetic (numbers, + - * / ^, parentheses)
is evaluated, which is what the recorded exchanges need (=4/2 -> 2); any other formula
evaluates to its own text, so a test reading it back sees at once that a formula was stored.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import operator
import re
from typing import Any

from ..cells.grid import CellError
from .errors import invalid_argument

EPOCH = dt.date(1899, 12, 30)  # serial 0 of Sheets (and Excel's 1900 system after Feb 1900)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_PERCENT = re.compile(r"^([+-]?(\d+(\.(\d*))?|\.(\d+)))%$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATE_TYPES = ("DATE", "TIME", "DATE_TIME")

Scalar = str | int | float | bool


def extended_value(
    value: Any, user_entered: bool, where: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """A JSON input value -> (userEnteredValue or None for an empty cell, numberFormat to set).

    `where` names the value in error messages ("values[0][1]").
    """
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise invalid_argument(f"Invalid {where}: number must be finite")
        return {"numberValue": value}, None
    if not isinstance(value, str):
        kind = "list_value" if isinstance(value, list) else "struct_value"
        raise invalid_argument(f"Invalid {where}: {kind}")
    if value == "":
        return None, None
    if not user_entered:
        return {"stringValue": value}, None
    return parse_typed(value)


def parse_typed(text: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What Google makes of text typed into a cell (en_US locale), as far as we mirror it."""
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"boolValue": stripped.upper() == "TRUE"}, None
    if _NUMBER.match(stripped):
        return {"numberValue": _tidy(float(stripped))}, None
    m = _PERCENT.match(stripped)
    if m:
        decimals = len(m.group(4) or m.group(5) or "")
        pattern = "0%" if not decimals else "0." + "0" * decimals + "%"
        return (
            {"numberValue": _tidy(float(m.group(1)) / 100)},
            {"type": "PERCENT", "pattern": pattern},
        )
    m = _ISO_DATE.match(stripped)
    if m:
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return {"stringValue": text}, None
        return {"numberValue": (day - EPOCH).days}, {"type": "DATE", "pattern": "yyyy-mm-dd"}
    return {"stringValue": text}, None


def from_python(value: object) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """A value read from a workbook (str, number, bool, date, datetime, time) -> cell value."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, int | float):
        return {"numberValue": value}, None
    if isinstance(value, CellError):
        kind = next((k for k, text in _ERROR_TEXT.items() if text == value.text), "ERROR")
        return {"errorValue": {"type": kind, "message": value.text}}, None
    if isinstance(value, dt.datetime):
        delta = value - dt.datetime.combine(EPOCH, dt.time())
        serial = delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6
        if value.time() == dt.time():
            return {"numberValue": delta.days}, {"type": "DATE", "pattern": "yyyy-mm-dd"}
        return {"numberValue": serial}, {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
    if isinstance(value, dt.date):
        return {"numberValue": (value - EPOCH).days}, {"type": "DATE", "pattern": "yyyy-mm-dd"}
    if isinstance(value, dt.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return {"numberValue": seconds / 86400}, {"type": "TIME", "pattern": "hh:mm:ss"}
    return {"stringValue": str(value)}, None


def effective(user_value: dict[str, Any] | None) -> Scalar | dict[str, Any] | None:
    """The value a cell shows: formulas evaluated (arithmetic only), errors as errorValue."""
    if not user_value:
        return None
    if "formulaValue" in user_value:
        return evaluate(str(user_value["formulaValue"]))
    if "errorValue" in user_value:
        return {"errorValue": user_value["errorValue"]}
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in user_value:
            return user_value[key]  # type: ignore[no-any-return]
    return None


_OPS: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


def evaluate(formula: str) -> Scalar | dict[str, Any]:
    """=4/2 -> 2; =1/0 -> #DIV/0! error; anything beyond arithmetic -> the formula text."""
    try:
        tree = ast.parse(formula[1:].strip().replace("^", "**"), mode="eval")
        return _tidy(float(_arith(tree.body)))
    except ZeroDivisionError:
        return {
            "errorValue": {
                "type": "DIVIDE_BY_ZERO",
                "message": "Function DIVIDE parameter 2 cannot be zero.",
            }
        }
    except (SyntaxError, ValueError, OverflowError, TypeError):
        return formula


def _arith(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise ValueError("not a number")
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _arith(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = _arith(node.left), _arith(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 1024:
            raise OverflowError("exponent too large")
        return float(_OPS[type(node.op)](left, right))
    raise ValueError("not arithmetic")


_ERROR_TEXT = {
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "NULL_VALUE": "#NULL!",
    "ERROR": "#ERROR!",
}


def render(cell: dict[str, Any] | None, value_option: str, date_option: str) -> Any:
    """A cell as values.get returns it; None for an empty cell.

    FORMATTED_VALUE: the displayed text. UNFORMATTED_VALUE: numbers as numbers, dates as
    serials (SERIAL_NUMBER) or their formatted text (FORMATTED_STRING). FORMULA: formulas
    as typed, other values unformatted.
    """
    if not cell or not cell.get("userEnteredValue"):
        return None
    user_value = cell["userEnteredValue"]
    if value_option == "FORMULA" and "formulaValue" in user_value:
        return user_value["formulaValue"]
    value = effective(user_value)
    if cell.get("_parseError"):  # formulas.MARK: a formula the locale could not parse
        return "#ERROR!"
    number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat") or {}
    if isinstance(value, dict):
        return _ERROR_TEXT.get(value["errorValue"].get("type", "ERROR"), "#ERROR!")
    if value_option == "FORMATTED_VALUE":
        return formatted(value, number_format)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if number_format.get("type") in DATE_TYPES and date_option == "FORMATTED_STRING":
            return formatted(value, number_format)
        return _tidy(value)
    return value


def formatted(value: Scalar | None, number_format: dict[str, Any]) -> str:
    """The displayed text of a value under a numberFormat (a subset of Google's patterns)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    kind, pattern = number_format.get("type"), str(number_format.get("pattern") or "")
    if kind in DATE_TYPES:
        return _format_date(float(value), kind, pattern)
    if pattern and kind in ("NUMBER", "PERCENT", "CURRENCY"):
        return _format_number(float(value), pattern)
    return _general(float(value))


def _general(x: float) -> str:
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.15g}".upper()


def _format_number(x: float, pattern: str) -> str:
    percent = "%" in pattern
    if percent:
        x *= 100
    body = pattern.split(";")[0]
    decimals = len(body.split(".")[1].rstrip("%")) if "." in body else 0
    text = f"{x:,.{decimals}f}" if "," in body else f"{x:.{decimals}f}"
    return text + ("%" if percent else "")


def _format_date(serial: float, kind: str | None, pattern: str) -> str:
    moment = dt.datetime.combine(EPOCH, dt.time()) + dt.timedelta(days=serial)
    pattern = pattern or {"DATE": "yyyy-mm-dd", "TIME": "hh:mm:ss"}.get(
        kind or "", "yyyy-mm-dd hh:mm:ss"
    )
    out = pattern
    for token, value in (
        ("yyyy", f"{moment.year:04d}"),
        ("dd", f"{moment.day:02d}"),
        ("hh", f"{moment.hour:02d}"),
        ("ss", f"{moment.second:02d}"),
    ):
        out = out.replace(token, value)
    # "mm" is the month next to days/years and the minutes next to hours/seconds.
    out = re.sub(r"(?<=:)mm|mm(?=:)", f"{moment.minute:02d}", out)
    return out.replace("mm", f"{moment.month:02d}")


def _tidy(x: float | int) -> float | int:
    """Whole floats become ints, so JSON carries 2 rather than 2.0 (as Google sends)."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def normalise_format(fmt: dict[str, Any]) -> dict[str, Any]:
    """Add the *Style mirrors Google stores next to plain colours (and the reverse)."""
    for plain, style in (("backgroundColor", "backgroundColorStyle"),):
        _mirror(fmt, plain, style)
    text = fmt.get("textFormat")
    if isinstance(text, dict):
        _mirror(text, "foregroundColor", "foregroundColorStyle")
    return fmt


def _mirror(obj: dict[str, Any], plain: str, style: str) -> None:
    if plain in obj and style not in obj:
        obj[style] = {"rgbColor": obj[plain]}
    elif style in obj and plain not in obj and "rgbColor" in obj[style]:
        obj[plain] = obj[style]["rgbColor"]
