"""Which formulas a spreadsheet's locale parses, as Google Sheets does (fr_FR mode).

Google parses a formula when it is written, in the spreadsheet's locale (`properties.locale`):
in a comma-decimal locale such as fr_FR, « , » is the decimal separator and « ; » separates
arguments, so « =IF(A1="",1,2) » is a « Formula parse error » and the cell shows #ERROR!,
while « =IF(A1="";1;2) » works. « ; » is accepted in every locale (en_US too). Sources:
googleapis/google-api-nodejs-client#1994, mricon/ingress-fieldplan#5 (see
backends/google/cells.py). A formula parsed once keeps working if the locale changes later:
the mark is made at write time only.

Mirrored: the argument separator only. Not mirrored: localised function names, « . » as a
decimal point in fr_FR, array literals.
"""

from __future__ import annotations

from typing import Any

PARSE_ERROR: dict[str, Any] = {"type": "ERROR", "message": "Formula parse error."}
MARK = "_parseError"  # private key of a stored cell: never sent in a reply

_POINT_DECIMAL_LANGUAGES = frozenset({"en", "zh", "ja", "ko", "th", "iw", "he", "hi", "ms",
                                      "fil", "mn"})
_POINT_DECIMAL_LOCALES = frozenset({"es_MX", "ar_EG", "de_CH", "it_CH", "fr_CH"})
_NAME_CHARS = frozenset("$_.")


def comma_decimal(locale: str) -> bool:
    """True where « , » is the decimal separator."""
    if not locale or locale in _POINT_DECIMAL_LOCALES:
        return False
    return locale.split("_")[0].lower() not in _POINT_DECIMAL_LANGUAGES


def parses(formula: str, locale: str) -> bool:
    """False when `locale` would refuse `formula` (a « , » that is no decimal comma)."""
    if not comma_decimal(locale):
        return True
    quote: str | None = None
    token = ""  # the name or number just before the current character
    for i, ch in enumerate(formula):
        if quote:
            quote = None if ch == quote else quote
            continue
        if ch in "\"'":
            quote, token = ch, ""
        elif ch == ",":
            after = formula[i + 1 : i + 2]
            if not (token.isdigit() and after.isdigit()):
                return False
            token = ""
        elif ch.isalnum() or ch in _NAME_CHARS:
            token += ch
        else:
            token = ""
    return True


def mark(cell: dict[str, Any], locale: str) -> None:
    """Flag a stored cell whose formula `locale` cannot parse (Google shows #ERROR!)."""
    formula = (cell.get("userEnteredValue") or {}).get("formulaValue")
    if isinstance(formula, str) and not parses(formula, locale):
        cell[MARK] = True
    else:
        cell.pop(MARK, None)


def check_condition(condition: Any, locale: str, where: str) -> str | None:
    """The 400 message for a CUSTOM_FORMULA condition `locale` cannot parse, else None."""
    if not isinstance(condition, dict) or condition.get("type") != "CUSTOM_FORMULA":
        return None
    for value in condition.get("values") or []:
        text = value.get("userEnteredValue") if isinstance(value, dict) else None
        if isinstance(text, str) and not parses(text, locale):
            return f"Invalid ConditionValue.userEnteredValue in {where}: {text}"
    return None


def locale_of(properties: dict[str, Any]) -> str:
    locale = properties.get("locale")
    return locale if isinstance(locale, str) else "en_US"
