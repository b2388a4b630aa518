"""E-mail addresses and phone numbers typed in free text: find them, mask them.

A principal may write « contact : m.dupont@exemple.fr / 06 12 34 56 78 » in the theme; the
check warns (`coordonnees-dans-le-texte`) and every tab a partner or a principal reads shows
« [coordonnées masquées] » instead. Pure: text in, text out.

What is not a contact: dates (03/06/2022), years, class counts, UAI codes (0590001A), postcodes
(59100), times (14h30). A phone is 10 digits starting with 0, or +33/0033 and 9 digits, or an
international +NN / 00NN number of 8 to 15 digits; digits glued to other digits are not one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from ..cells.grid import GeneratedTab, OutCell

MASK = "[coordonnées masquées]"
EMAIL = "email"
PHONE = "phone"
KIND_LABELS = {EMAIL: "une adresse électronique", PHONE: "un numéro de téléphone"}

_SEP = r"[\s.\-]?"
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# « m.dupont at exemple.fr », « m.dupont[at]exemple.fr », « m.dupont (arobase) exemple.fr »
_OBFUSCATED = re.compile(
    r"[\w.+\-]+\s*(?:[\[({]\s*(?:at|arobase)\s*[\])}]|\s(?:at|arobase)\s)\s*"
    r"[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,6}\b",
    re.IGNORECASE,
)
_FRENCH = re.compile(
    rf"(?<!\d)(?:(?:\+|00)33{_SEP}(?:\(0\){_SEP})?[1-9]|0[1-9])(?:{_SEP}\d{{2}}){{4}}(?!\d)"
)
_INTERNATIONAL = re.compile(
    r"(?<![\d+])(?:\+|00)[1-9]\d{0,2}[\s.\-]?(?:\(0\)[\s.\-]?)?\d{1,4}"
    r"(?:[\s.\-]?\d{2,4}){1,4}(?!\d)"
)


# Cheap test first: a dashboard holds many cells, and most hold no digit, no @, no « at ».
_MAYBE = re.compile(r"[\d@]|at|arobase", re.IGNORECASE)
_AT_WORD = re.compile(r"at|arobase", re.IGNORECASE)  # what _OBFUSCATED needs
_DIGIT = re.compile(r"\d")
_PHONE_DIGITS = 8  # the fewest a phone number holds


@dataclass(frozen=True)
class Found:
    """One contact in a text: its kind (EMAIL or PHONE) and where it sits."""

    kind: str
    start: int
    end: int


def find_contacts(text: str) -> list[Found]:
    """Every e-mail address and phone number in `text`, in order, without overlaps."""
    spans: list[Found] = []
    if not _MAYBE.search(text):
        return spans
    patterns: list[tuple[str, re.Pattern[str]]] = []  # those that can match here
    if "@" in text:
        patterns.append((EMAIL, _EMAIL))
    if _AT_WORD.search(text):
        patterns.append((EMAIL, _OBFUSCATED))
    if len(_DIGIT.findall(text)) >= _PHONE_DIGITS:  # not a date, a count, an identifier
        patterns += [(PHONE, _FRENCH), (PHONE, _INTERNATIONAL)]
    for kind, pattern in patterns:
        for m in pattern.finditer(text):
            if kind == PHONE and not _PHONE_DIGITS <= sum(ch.isdigit() for ch in m.group()) <= 15:
                continue
            if not any(f.start < m.end() and m.start() < f.end for f in spans):
                spans.append(Found(kind, m.start(), m.end()))
    return sorted(spans, key=lambda f: f.start)


def describe(found: list[Found]) -> str:
    """The kinds found, in French, without the contact itself (« un numéro de téléphone »)."""
    kinds = [k for k in (EMAIL, PHONE) if any(f.kind == k for f in found)]
    return " et ".join(KIND_LABELS[k] for k in kinds)


def mask(text: str) -> str:
    """`text` with every contact replaced by « [coordonnées masquées] »; unchanged without one.

    Masked until none is left: a replacement could glue two pieces into a new one.
    """
    for _ in range(len(text) + 1):
        found = find_contacts(text)
        if not found:
            break
        out, last = [], 0
        for f in found:
            out += [text[last:f.start], MASK]
            last = f.end
        text = "".join(out) + text[last:]
    return text


@functools.lru_cache(maxsize=1 << 16)
def _masked(text: str) -> str | None:
    """`mask(text)`, or None when it leaves the text as it is; remembered, because a
    dashboard repeats its texts (36,000 text cells, 13,000 different, at 650 schools)."""
    out = mask(text)
    return None if out == text else out


def _mask_cell(cell: OutCell) -> OutCell:
    value, link = cell.value, cell.link
    masked = _masked(value) if isinstance(value, str) else None
    if link is not None and (link.lower().startswith(("mailto:", "tel:"))
                             or _masked(link) is not None):
        link = None
    if masked is None and link == cell.link:
        return cell
    return OutCell(value if masked is None else masked, cell.style, link)


def mask_tab(tab: GeneratedTab) -> GeneratedTab:
    """The tab with every text cell masked and every contact link dropped (same shape)."""
    rows = tuple(tuple(_mask_cell(c) for c in row) for row in tab.rows)
    return replace(tab, title=mask(tab.title), rows=rows,
                   header=tuple(mask(h) for h in tab.header),
                   notes=tuple(mask(n) for n in tab.notes))
