"""Turn what principals type into values: Oui/Non, class counts, text, dates.

Each parser returns `Parsed(value, problem)`: `problem` is None when the cell reads cleanly,
else the issue code to report. The value seen is never lost: the caller keeps it for messages.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from ..cells.grid import CellError, CellValue

T = TypeVar("T")

EXCEL_EPOCH = dt.date(1899, 12, 30)


class Parsed(NamedTuple, Generic[T]):
    """A normalised value (None when empty or unreadable) and the problem code, if any."""

    value: T | None
    problem: str | None = None


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).lower().strip()


def is_empty(value: CellValue) -> bool:
    """None, or text made only of spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: CellValue) -> Parsed[str]:
    """Any cell as trimmed text; whole floats lose their ".0"; dates become jj/mm/aaaa."""
    if type(value) is str:  # the usual case, first
        return Parsed(value.strip() or None)
    if isinstance(value, CellError):
        return Parsed(None, "valeur-erreur")
    if is_empty(value):
        return Parsed(None)
    if isinstance(value, bool):
        return Parsed("Oui" if value else "Non")
    if isinstance(value, float) and value.is_integer():
        return Parsed(str(int(value)))
    if isinstance(value, dt.datetime):
        return Parsed(value.strftime("%d/%m/%Y"))
    if isinstance(value, dt.date):
        return Parsed(value.strftime("%d/%m/%Y"))
    return Parsed(str(value).strip())


_YES = {"oui", "o", "yes", "y", "x", "✓", "✔", "true", "vrai", "1"}
_NO = {"non", "n", "no", "false", "faux", "0"}


def yes_no(value: CellValue) -> Parsed[bool]:
    """« Oui » / « Non » in the ways people type them."""
    if type(value) is str:  # the usual case, each different text read once
        return _yes_no_text(value)
    if isinstance(value, CellError):
        return Parsed(None, "valeur-erreur")
    if is_empty(value):
        return Parsed(None)
    if isinstance(value, bool):
        return Parsed(value)
    if isinstance(value, int | float) and value in (0, 1):
        return Parsed(bool(value))
    return _yes_no_word(str(value))


@functools.lru_cache(maxsize=4096)
def _yes_no_text(text: str) -> Parsed[bool]:
    """yes_no of a text: a roster or an answers column repeats a few words."""
    return Parsed(None) if not text.strip() else _yes_no_word(text)


def _yes_no_word(text: str) -> Parsed[bool]:
    word = _fold(text).rstrip(".!;,").strip()
    if word in _YES:
        return Parsed(True)
    if word in _NO:
        return Parsed(False)
    return Parsed(None, "oui-non-invalide")


_NUMBER_WORDS = {
    "zero": 0, "aucune": 0, "aucun": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
}
_COUNT = re.compile(r"^(\d+)(?:[.,]0+)?(?:\s*(?:classes?|cl\.?))?$")
# Beyond this a count is a typo or a pasted number, never classes or places: refused, so a
# 30-digit « Nombre de classes maximum » cannot overflow the solver or loop building classes.
COUNT_MAX = 10_000
_WORD_COUNT = re.compile(r"^([a-z]+)(?:\s*(?:classes?|cl\.?))?$")


def count(value: CellValue) -> Parsed[int]:
    """A whole number of classes ≥ 0: 2, 2.0, « 2 », « 2,0 », « 2 classes », « deux »."""
    if isinstance(value, CellError):
        return Parsed(None, "valeur-erreur")
    if is_empty(value):
        return Parsed(None)
    if isinstance(value, bool):
        return Parsed(None, "nombre-invalide")
    if isinstance(value, int):
        return Parsed(value) if 0 <= value <= COUNT_MAX else Parsed(None, "nombre-invalide")
    if isinstance(value, float):
        if value.is_integer() and 0 <= value <= COUNT_MAX:
            return Parsed(int(value))
        return Parsed(None, "nombre-invalide")
    if not isinstance(value, str):
        return Parsed(None, "nombre-invalide")
    text = _fold(value).rstrip(".")
    if (m := _COUNT.match(text)) and len(m.group(1)) <= len(str(COUNT_MAX)):
        number = int(m.group(1))
        return Parsed(number) if number <= COUNT_MAX else Parsed(None, "nombre-invalide")
    if (m := _WORD_COUNT.match(text)) and m.group(1) in _NUMBER_WORDS:
        return Parsed(_NUMBER_WORDS[m.group(1)])
    return Parsed(None, "nombre-invalide")


_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ t].*)?$")
_LONG = re.compile(r"^(?:[a-z]+\s+)?(\d{1,2})(?:er)?\s+([a-z]+)\s+(\d{4})$")


def _safe_date(year: int, month: int, day: int) -> Parsed[dt.date]:
    try:
        return Parsed(dt.date(year, month, day))
    except ValueError:
        return Parsed(None, "date-invalide")


def date(value: CellValue) -> Parsed[dt.date]:
    """A date as a spreadsheet gives it.

    Accepts datetime, Excel serial, jj/mm/aaaa, « 16 juillet 2021 » and ISO text.
    """
    if isinstance(value, CellError):
        return Parsed(None, "valeur-erreur")
    if is_empty(value):
        return Parsed(None)
    if isinstance(value, dt.datetime):
        return Parsed(value.date())
    if isinstance(value, dt.date):
        return Parsed(value)
    if isinstance(value, bool | dt.time):
        return Parsed(None, "date-invalide")
    if isinstance(value, int | float):
        if 1 <= value < 2958466:  # Excel's range: 1900-01-01 .. 9999-12-31
            return Parsed(EXCEL_EPOCH + dt.timedelta(days=int(value)))
        return Parsed(None, "date-invalide")
    text = _fold(str(value))
    if m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
        return _safe_date(year + 2000 if year < 100 else year, month, day)
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
        return _safe_date(year, month, day)
    if (m := _LONG.match(text)) and m.group(2) in _MONTHS:
        return _safe_date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    return Parsed(None, "date-invalide")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: CellValue) -> Parsed[str]:
    """An e-mail address, trimmed; a value that does not look like one is flagged."""
    text = as_text(value)
    if text.value is None or text.problem:
        return text
    if not _EMAIL.match(text.value):
        return Parsed(text.value, "courriel-invalide")
    return text


@dataclass(frozen=True)
class Person:
    """A referent typed as « Prénom NOM, fonction »; `civility` as typed (« Mme », « M. »)."""

    first_name: str | None
    last_name: str | None
    function: str | None
    civility: str | None = None


_SEPARATORS = re.compile(r"\s*[,;–—(]\s*|\s+-\s+")
_CIVILITIES = frozenset({"m", "m.", "mr", "mr.", "monsieur", "mme", "mme.", "madame", "mlle",
                         "mlle.", "mademoiselle"})
# The first word of a function as principals type it (folded): « principale adjointe »,
# « CPE », « professeure de SVT », « directrice adjointe de SEGPA », « documentaliste »…
FUNCTION_WORDS = frozenset({
    "principal", "principale", "principal(e)", "proviseur", "proviseure", "cpe",
    "conseiller", "conseillere", "professeur", "professeure", "prof", "professeur(e)",
    "enseignant", "enseignante", "directeur", "directrice", "documentaliste", "gestionnaire",
    "adjoint", "adjointe", "chef", "coordonnateur", "coordonnatrice", "coordinateur",
    "coordinatrice", "psychologue", "psyen", "psy-en", "infirmier", "infirmiere",
    "secretaire", "assistant", "assistante", "referent", "referente", "aed",
})


def _function_start(words: list[str]) -> int | None:
    """Where a function begins in « Nom Prénom fonction » typed without a comma: the first
    known function word after the name (never the first word), else None."""
    for i, word in enumerate(words[1:], start=1):
        if _fold(word).strip(".:") in FUNCTION_WORDS:
            return i
    return None


def split_referent(text: str) -> Person:
    """« Alice MARTIN, principale adjointe » → Alice / MARTIN / principale adjointe.

    The name is what comes before the first comma (or semicolon, dash, parenthesis); without
    one, the function starts at the first known function word (« Mme Durand principale »).
    A leading civility (Mme, M., Madame, Monsieur) is kept apart, never a first name. In the
    name, words in capitals are the last name; without capitals, the last word is.
    """
    parts = _SEPARATORS.split(text.strip(), maxsplit=1)
    name = parts[0].strip()
    function = parts[1].strip(" )") if len(parts) > 1 else ""
    words = name.split()
    civility = None
    if len(words) > 1 and _fold(words[0]) in _CIVILITIES:
        civility, words = words[0], words[1:]
    if not function and (at := _function_start(words)) is not None:
        words, function = words[:at], " ".join(words[at:])
    name = " ".join(words)
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    if capitals:
        last = " ".join(capitals)
        first = " ".join(w for w in words if w not in capitals)
    elif len(words) > 1:
        first, last = " ".join(words[:-1]), words[-1]
    else:
        first, last = "", name
    return Person(first or None, last or None, function or None, civility)
