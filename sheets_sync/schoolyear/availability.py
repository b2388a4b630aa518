"""What people write in a roster's « Disponibilités » cell, read as allowed half-days and months.

    « lundi et jeudi matin »      → lundi matin, jeudi matin
    « tous les jours sauf le vendredi, pas en juin »
                                  → lundi…jeudi, matin et après-midi ; tous les mois sauf juin
    « 1er trimestre »             → septembre…décembre

A half-day word applies to every day named before it that has none yet (« lundi, mardi
(après-midi) » is two afternoons); « pas », « sauf », « hors », « jamais », « ni » negate what
follows up to the next comma or sentence. Months are counted in school-year order (« pas avant
novembre » leaves novembre…août). What is not understood is data, never an exception: a
`Finding` with a stable code and the part not read. A cell where nothing is understood
constrains nothing (the ambassador stays available everywhere, and the message says so): an
unreadable cell never drops anyone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .names import MONTHS, WEEKDAYS

if TYPE_CHECKING:
    from .calendar import HalfDay

SCHOOL_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)
WORKDAYS = (0, 1, 2, 3, 4)
ALL_SLOTS = frozenset((d, pm) for d in WORKDAYS for pm in (False, True))
ALL_MONTHS = frozenset(range(1, 13))

# code -> French message ({part} is the text not understood, {text} the whole cell)
MESSAGES = {
    "disponibilite-illisible": (
        "Disponibilités « {text} » : rien n'a pu être lu. Aucune contrainte n'est retenue : "
        "l'ambassadeur reste disponible toutes les demi-journées. Écrivez par exemple "
        "« mardi après-midi », « lundi et jeudi matin » ou « pas en juin »."),
    "disponibilite-partielle": (
        "Disponibilités « {text} » : « {part} » n'a pas été compris et est ignoré ; "
        "le reste est pris en compte."),
    "disponibilite-ambigue": (
        "Disponibilités « {text} » : « {part} » peut vouloir dire matin (anglais) ou "
        "après-midi ; les deux demi-journées sont retenues. Écrivez « matin » ou « après-midi »."),
    "disponibilite-aucune-demi-journee": (
        "Disponibilités « {text} » : aucune demi-journée d'ouverture d'un collège "
        "(lundi au vendredi) n'est possible ; l'ambassadeur ne pourra être convié à aucun "
        "temps fort."),
}


@dataclass(frozen=True)
class Finding:
    """Something in the cell that could not be read as written (stable code, French message)."""

    code: str
    part: str | None
    message: str


@dataclass(frozen=True)
class Availability:
    """Allowed (weekday, afternoon) pairs and months; the default allows every half-day."""

    slots: frozenset[tuple[int, bool]] = ALL_SLOTS
    months: frozenset[int] = ALL_MONTHS

    def allows(self, half: HalfDay) -> bool:
        return half.slot in self.slots and half.day.month in self.months

    @property
    def unconstrained(self) -> bool:
        return self.slots >= ALL_SLOTS and self.months == ALL_MONTHS

    def describe(self) -> str:
        """A short French rendering, for the « Calendrier » tab and the tests."""
        if self.unconstrained:
            return "toutes les demi-journées"
        days = []
        for d in range(7):
            am, pm = (d, False) in self.slots, (d, True) in self.slots
            if am or pm:
                days.append(WEEKDAYS[d] + ("" if am and pm else " matin" if am
                                           else " après-midi"))
        text = ", ".join(days) or "aucune demi-journée"
        if self.months != ALL_MONTHS:
            text += " ; " + ", ".join(MONTHS[m - 1] for m in SCHOOL_MONTHS if m in self.months)
        return text


@dataclass(frozen=True)
class Reading:
    """The result of reading one cell."""

    availability: Availability
    findings: tuple[Finding, ...] = field(default=())


# -- lexicon ---------------------------------------------------------------------------------

_DAY_WORDS = {
    "lundi": 0, "lun": 0, "mardi": 1, "mar": 1, "mercredi": 2, "mer": 2, "mercr": 2,
    "jeudi": 3, "jeu": 3, "vendredi": 4, "ven": 4, "vend": 4, "samedi": 5, "sam": 5,
    "dimanche": 6, "dim": 6,
}
_FULL_DAYS = {w: d for w, d in _DAY_WORDS.items() if w.endswith("di") or w == "dimanche"}
_MONTH_WORDS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
    "noel": 12, "rentree": 9, "toussaint": 11, "paques": 4,
}
_MORNING = {"matin", "matins", "matinee", "matinees", "mat"}
_AFTERNOON = {"apresmidi", "apresmidis", "aprem", "apm", "pm", "aprems"}
_AMBIGUOUS = {"am"}
_NEGATION = {"pas", "sauf", "hors", "excepte", "exceptes", "jamais", "ni", "sans", "non",
             "indisponible", "indispo", "impossible", "exclu", "exclus"}
_ALL_DAYS = {"touslesjours", "semaine", "semaines", "ouvres", "ouvrables", "quotidien"}
_ANYTIME = {"touteannee", "toutletemps", "nimportequand", "indifferent", "indifferente",
            "peuimporte", "flexible", "libre", "toujours", "partout", "quandvousvoulez"}
_HOLIDAYS = {"vacances", "conges", "scolaires", "feries", "ferie", "ponts", "pont"}
_RANGE_FROM = {"du", "de", "d", "entre"}
_RANGE_TO = {"au", "a", "et", "jusqua"}
_FROM_ON = {"apartir", "des", "depuis"}
_AFTER = {"apres"}
_BEFORE = {"avant"}
_UNTIL = {"jusqua"}
_FILLERS = {
    "le", "la", "les", "l", "un", "une", "en", "aux", "et", "ou", "y", "disponible",
    "disponibles", "dispo", "dispos", "disponibilite", "disponibilites", "uniquement",
    "seulement", "que", "qu", "plutot", "preference", "depreference", "si", "possible",
    "possibles", "journee", "journees", "entiere", "entieres", "toute", "toutes", "tout",
    "tous", "chaque", "jour", "jours", "je", "suis", "j", "peux", "peut", "sur", "mois",
    "pendant", "durant", "idealement", "surtout", "principalement", "egalement",
    "aussi", "mais", "annee", "scolaire", "creneau", "creneaux", "demi", "demijournee",
    "demijournees", "voire", "ok", "oui", "bien", "sont", "est", "the", "midi",
}
_TRIMESTERS = {1: (9, 10, 11, 12), 2: (1, 2, 3), 3: (4, 5, 6, 7)}
_SEMESTERS = {1: (9, 10, 11, 12, 1), 2: (2, 3, 4, 5, 6, 7)}
_ORDINALS = {"1er": 1, "1ere": 1, "premier": 1, "premiere": 1, "1": 1, "1e": 1,
             "2e": 2, "2eme": 2, "2nd": 2, "2nde": 2, "second": 2, "seconde": 2, "deuxieme": 2,
             "2": 2, "3e": 3, "3eme": 3, "troisieme": 3, "dernier": 3, "3": 3}

# multi-word expressions, rewritten to one token before classification
_PHRASES = [
    (r"\bapres *-? *midis?\b|\bap *-? *midi\b", " apresmidi "),
    (r"\ben semaine\b|\btoute la semaine\b|\bdu lundi au vendredi\b(?! *(matin|apres))",
     " touslesjours "),
    (r"\btous les jours\b|\btous jours\b|\bchaque jour\b|\btous les jours ouvres\b",
     " touslesjours "),
    (r"\btoute l ?annee\b|\btoute l annee scolaire\b", " touteannee "),
    (r"\btout le temps\b", " toutletemps "),
    (r"\bn ?importe quand\b|\bn ?importe quel jour\b", " nimportequand "),
    (r"\bpeu importe\b", " peuimporte "),
    (r"\bquand vous voulez\b", " quandvousvoulez "),
    (r"\ba partir d ?e?\b|\ba partir du\b", " apartir "),
    (r"\bjusqu ?(a|au|en|a la|fin)\b", " jusqua "),
    (r"\bde preference\b", " depreference "),
    (r"\bdemi *-? *journees?\b", " demijournee "),
    (r"\bt([123])\b", r" trimestre\1 "),
    (r"\b(1er|1ere|1e|premier|2e|2eme|2nd|2nde|second|deuxieme|3e|3eme|troisieme|dernier)"
     r" (trimestre|semestre)\b", r" \2_\1 "),
    (r"\b(trimestre|semestre) ([123])\b", r" \1_\2 "),
]
_PHRASES_RE = [(re.compile(p), r) for p, r in _PHRASES]
_TOKEN = re.compile(r"[a-z0-9_]+|[,;.\n()]")


def _fold(text: str) -> str:
    """Lower case, accents and apostrophes removed, punctuation spaced."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`´]", " ", text)
    text = re.sub(r"[/+&|]", ",", text)
    text = re.sub(r"(?<=[a-z])\.(?=\s|$|,)", " ", text)  # « lun. » → « lun »
    text = re.sub(r"\s*-\s*", " - ", text)
    for pattern, repl in _PHRASES_RE:
        text = pattern.sub(repl, text)
    return text


@dataclass
class _Clause:
    """Statements collected while reading, by polarity."""

    slots: dict[bool, set[tuple[int, bool]]] = field(
        default_factory=lambda: {True: set(), False: set()})
    months: dict[bool, set[int]] = field(default_factory=lambda: {True: set(), False: set()})
    understood: bool = False
    unknown: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)


def parse_availability(text: object) -> Reading:
    """Read a « Disponibilités » cell. Never raises: what cannot be read becomes a finding."""
    raw = "" if text is None else str(text)
    shown = " ".join(raw.split())
    if not shown:
        return Reading(Availability())
    folded = _fold(shown)
    if folded.strip() in {"indisponible", "non", "aucune", "pas disponible", "non disponible"}:
        return Reading(Availability(frozenset(), ALL_MONTHS))
    state = _Clause()
    _read(_TOKEN.findall(folded), state)
    findings: list[Finding] = []
    if not state.understood:
        findings.append(_finding("disponibilite-illisible", None, shown))
        return Reading(Availability(), tuple(findings))
    if state.unknown:
        written = _as_written(shown)
        part = " ".join(dict.fromkeys(written.get(w, w) for w in state.unknown))
        findings.append(_finding("disponibilite-partielle", part, shown))
    for word in state.ambiguous:
        findings.append(_finding("disponibilite-ambigue", word.upper(), shown))
    positive = state.slots[True]
    slots = frozenset((positive or set(ALL_SLOTS)) - state.slots[False])
    months = frozenset((state.months[True] or set(ALL_MONTHS)) - state.months[False])
    if not any(d in WORKDAYS for d, _ in slots):
        findings.append(_finding("disponibilite-aucune-demi-journee", None, shown))
    return Reading(Availability(slots, months), tuple(findings))


def _as_written(text: str) -> dict[str, str]:
    """Folded word → the word as typed (« reunion » → « réunion »), for the messages."""
    written: dict[str, str] = {}
    for word in re.findall(r"\w+", text):
        for folded in _TOKEN.findall(_fold(word)):
            written.setdefault(folded, word)
    return written


def _finding(code: str, part: str | None, text: str) -> Finding:
    return Finding(code, part, MESSAGES[code].format(part=part or "", text=text))


def _school_span(first: int, last: int) -> list[int]:
    """Months from `first` to `last` inclusive, in school-year order."""
    i, j = SCHOOL_MONTHS.index(first), SCHOOL_MONTHS.index(last)
    return list(SCHOOL_MONTHS[i:j + 1]) if i <= j else []


def _read(tokens: list[str], st: _Clause) -> None:
    positive = True
    pending: list[tuple[int, bool]] = []  # days named, waiting for a half-day word
    last_group: list[int] = []  # the days the last half-day word applied to

    def flush() -> None:
        for day, pol in pending:
            st.slots[pol].update({(day, False), (day, True)})
        pending.clear()

    def add_months(months: Iterable[int]) -> None:
        st.months[positive].update(months)
        st.understood = True

    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < n else ""
        if tok in {".", ";", "\n"}:
            flush()
            positive = True
        elif tok == ",":
            positive = True
        elif tok in _NEGATION:
            positive = False
            st.understood = True
        elif tok in _RANGE_FROM and _kind(nxt) in {"day", "month"}:
            # « du lundi au jeudi », « de janvier à mars », « entre octobre et décembre »
            j = i + 2
            if j + 1 < n and tokens[j] in _RANGE_TO and _kind(tokens[j + 1]) == _kind(nxt):
                first, last = nxt, tokens[j + 1]
                if _kind(nxt) == "day":
                    a, b = _DAY_WORDS[first], _DAY_WORDS[last]
                    pending.extend((d, positive) for d in range(a, b + 1))
                else:
                    add_months(_school_span(_MONTH_WORDS[first], _MONTH_WORDS[last]))
                st.understood = True
                i = j + 2
                continue
            i += 1
            continue
        elif tok in _FROM_ON | _AFTER | _BEFORE | _UNTIL and _kind(_skip(tokens, i + 1)) == "month":
            k = _skip_index(tokens, i + 1)
            month = _MONTH_WORDS[tokens[k]]
            idx = SCHOOL_MONTHS.index(month)
            if tok in _FROM_ON:
                span = SCHOOL_MONTHS[idx:]
            elif tok in _AFTER:
                span = SCHOOL_MONTHS[idx + (0 if tokens[k] in {"noel", "toussaint"} else 1):]
                if tokens[k] == "noel":
                    span = SCHOOL_MONTHS[4:]
            elif tok in _BEFORE:
                span = SCHOOL_MONTHS[:idx + (1 if tokens[k] == "noel" else 0)]
            else:
                span = SCHOOL_MONTHS[:idx + 1]
            add_months(span)
            i = k + 1
            continue
        elif tok in _DAY_WORDS or (tok[:-1] in _FULL_DAYS and tok.endswith("s")):
            pending.append((_DAY_WORDS[tok if tok in _DAY_WORDS else tok[:-1]], positive))
            st.understood = True
            last_group = []
        elif tok in _MORNING or tok in _AFTERNOON or tok in _AMBIGUOUS:
            halves = ([False] if tok in _MORNING else [True] if tok in _AFTERNOON
                      else [False, True])
            if tok in _AMBIGUOUS:
                st.ambiguous.append(tok)
            # the half-day word applies to the days named since the last « pas » / comma
            group = [d for d, pol in pending if pol == positive]
            for day, pol in pending:
                if pol != positive:
                    st.slots[pol].update({(day, False), (day, True)})
            pending.clear()
            group = group or last_group or list(WORKDAYS)
            for day in group:
                st.slots[positive].update((day, pm) for pm in halves)
            last_group = group
            st.understood = True
        elif tok == "touslesjours":
            pending.extend((d, positive) for d in WORKDAYS)
            st.understood = True
        elif tok in _ALL_DAYS or tok in _ANYTIME:
            st.understood = True
            if tok in _ALL_DAYS:
                pending.extend((d, positive) for d in WORKDAYS)
        elif tok in _MONTH_WORDS and tok not in {"noel", "toussaint", "paques", "rentree"}:
            add_months([_MONTH_WORDS[tok]])
        elif tok.startswith(("trimestre_", "semestre_", "trimestre")) and _ordinal(tok):
            table = _SEMESTERS if tok.startswith("semestre") else _TRIMESTERS
            add_months(table.get(_ordinal(tok) or 0, ()))
        elif tok in _HOLIDAYS:
            st.understood = True  # « pas pendant les vacances »: schools are closed anyway
        elif tok in _FILLERS or tok in {"(", ")", "-"} or tok in _RANGE_FROM | _RANGE_TO:
            pass
        else:
            st.unknown.append(tok)
        i += 1
    flush()


def _ordinal(tok: str) -> int | None:
    tail = tok.split("_", 1)[1] if "_" in tok else tok.removeprefix("trimestre")
    return _ORDINALS.get(tail)


def _kind(tok: str) -> str:
    if tok in _DAY_WORDS:
        return "day"
    if tok in _MONTH_WORDS:
        return "month"
    return ""


def _skip_index(tokens: list[str], i: int) -> int:
    while i < len(tokens) and (tokens[i] in {"le", "la", "les", "l", "de", "d", "du", "en", "mi",
                                             "fin", "debut", "vacances"}
                               or re.fullmatch(r"\d{1,2}(er)?", tokens[i])):
        i += 1
    return i


def _skip(tokens: list[str], i: int) -> str:
    k = _skip_index(tokens, i)
    return tokens[k] if k < len(tokens) else ""
