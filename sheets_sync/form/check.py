"""Check each school's answer against annex n°1's rules and give it a status.

Rules (from the spec): identity, referent and the Oui/Non answer are always required; with
« Oui » every project field is required, class counts are whole numbers ≥ 0 and
4ème + 3ème ≥ 1; the title holds on one line within the configured length. An e-mail or
phone number typed in a free-text answer is a warning (it is masked in partner tabs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..cells.a1 import from_a1
from ..cells.grid import CellValue
from ..config import Limits
from . import normalise
from .contacts import describe, find_contacts, mask
from .findings import Issue, make_issue
from .model import ANSWER_FIELDS, FIELD, Field, Kind, Need
from .read import RawAnswer

COMPLETE = "complet"
INCOMPLETE = "incomplet"
NOT_TAKING_PART = "ne-participe-pas"
DUPLICATE = "doublon"  # another answer for the same school was kept instead

STATUS_LABELS = {
    COMPLETE: "Complet",
    INCOMPLETE: "Incomplet",
    NOT_TAKING_PART: "Ne participe pas",
    DUPLICATE: "Doublon (non retenu)",
}


@dataclass(frozen=True)
class School:
    """One school's checked answer."""

    name: str | None
    tab: str
    row: int | None
    origin: str
    status: str
    values: dict[str, Any]
    cells: dict[str, str]
    issues: tuple[Issue, ...] = field(default=())
    key: str = ""  # who the school is: its UAI, or its reduced name (identity.py)
    reference: str | None = None  # its name in the reference list, when matched for sure
    session: str | None = None  # the session its answer belongs to (sessions.py)
    absent: tuple[str, ...] = ()  # required fields whose column the tab lacks (incomplete)

    @property
    def answered(self) -> bool:
        """A complete answer, Oui or Non (what counts as « répondu » once checked)."""
        return self.status in (COMPLETE, NOT_TAKING_PART)

    @property
    def participates(self) -> bool | None:
        value = self.values.get("participation")
        return value if isinstance(value, bool) else None

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "erreur")


_PARSERS: dict[Kind, Callable[[CellValue], normalise.Parsed[Any]]] = {
    Kind.YES_NO: normalise.yes_no,
    Kind.COUNT: normalise.count,
    Kind.DATE: normalise.date,
    Kind.EMAIL: normalise.email,
}


def _parse(f: Field, value: CellValue) -> normalise.Parsed[Any]:
    return _PARSERS.get(f.kind, normalise.as_text)(value)


class _Checker:
    """Collects one answer's issues; kept tiny so each rule reads as one line."""

    def __init__(self, answer: RawAnswer, limits: Limits) -> None:
        self.answer = answer
        self.limits = limits
        self.issues: list[Issue] = []
        self.values: dict[str, Any] = {}
        self.absent: list[str] = []  # required fields whose column the tab lacks

    def flag(self, code: str, key: str, **extra: object) -> None:
        raw = self.answer.cells.get(key)
        value = extra.pop("value", raw.value if raw else None)
        self.issues.append(make_issue(
            code, tab=self.answer.tab, cell=raw.cell if raw else None, field=key,
            label=FIELD[key].label, value=value, row=self.answer.row, **extra,
        ))

    def read(self, f: Field) -> None:
        raw = self.answer.cells.get(f.key)
        parsed = _parse(f, raw.value if raw else None)
        if parsed.problem:
            self.flag(parsed.problem, f.key)
        self.values[f.key] = parsed.value

    def require(self, f: Field) -> None:
        """Flag a required answer left empty; a column missing from the whole tab is
        reported once on its header (`colonne-absente`), not here once per school, but
        still leaves the answer incomplete."""
        if f.key not in self.answer.cells:
            self.absent.append(f.key)
        elif self.values.get(f.key) is None and not self._flagged(f.key):
            self.flag("champ-obligatoire", f.key, value=None)

    def _flagged(self, key: str) -> bool:
        return any(i.field == key for i in self.issues)


def _line_rules(c: _Checker, limits: Limits) -> None:
    title = c.values.get("titre")
    if isinstance(title, str):
        if "\n" in title or "\r" in title:
            c.flag("titre-multiligne", "titre")
        if len(title) > limits.title_length:
            c.flag("titre-trop-long", "titre", limit=limits.title_length, length=len(title))
    for key in ("classes_4e", "classes_3e"):
        n = c.values.get(key)
        if isinstance(n, int) and n > limits.max_classes:
            c.flag("nombre-improbable", key, limit=limits.max_classes)
    for f in ANSWER_FIELDS:
        text = c.values.get(f.key)
        if f.kind is Kind.TEXT and isinstance(text, str) and len(text) > limits.text_length:
            c.flag("texte-trop-long", f.key, value=mask(text)[:60] + "…", length=len(text))


# Free-text answers where contact data is expected, so never flagged: the referent.
CONTACT_FIELDS = frozenset({"referent"})
FREE_TEXT = tuple(f for f in ANSWER_FIELDS
                  if f.kind in (Kind.TEXT, Kind.LINE) and f.key not in CONTACT_FIELDS)


def _contact_rules(c: _Checker) -> None:
    """Flag an e-mail address or a phone number in a free-text answer, naming only its kind."""
    for f in FREE_TEXT:
        text = c.values.get(f.key)
        found = find_contacts(text) if isinstance(text, str) else []
        if found:
            c.flag("coordonnees-dans-le-texte", f.key, value=describe(found))


def _referent_parts(c: _Checker) -> None:
    """Split the referent into first name, last name and function; flag a missing part."""
    referent = c.values.get("referent")
    if not isinstance(referent, str):
        return
    person = normalise.split_referent(referent)
    c.values.update(referent_prenom=person.first_name, referent_nom=person.last_name,
                    referent_fonction=person.function)
    parts = c.answer.parts
    if parts:
        empty = [(k, rc) for k, rc in parts.items() if normalise.is_empty(rc.value)]
        if empty:
            c.issues.append(make_issue(
                "referent-incomplet", tab=c.answer.tab, cell=empty[0][1].cell, field="referent",
                label=FIELD["referent"].label, value=None, row=c.answer.row,
                missing=", ".join(FIELD[k].label for k, _ in empty),
            ))
    elif person.function is None:
        c.flag("referent-sans-fonction", "referent")


def _column_order(cell: str | None) -> tuple[int, int]:
    """Issues of one school in reading order: by row, then column (A before B)."""
    if cell is None:
        return (0, 0)
    return from_a1(cell)


def check_answer(answer: RawAnswer, limits: Limits) -> School:
    """Check one answer: read every field, apply the rules, give the status."""
    c = _Checker(answer, limits)
    for f in ANSWER_FIELDS:
        c.read(f)
    taking_part = c.values.get("participation")
    for f in ANSWER_FIELDS:
        if f.need is Need.ALWAYS or (f.need is Need.IF_YES and taking_part is True):
            c.require(f)
    if taking_part is True:
        n4, n3 = c.values.get("classes_4e"), c.values.get("classes_3e")
        if isinstance(n4, int) and isinstance(n3, int) and n4 + n3 == 0:
            c.flag("aucune-classe", "classes_4e", value=0)
    _line_rules(c, limits)
    _contact_rules(c)
    _referent_parts(c)
    has_errors = bool(c.absent) or any(i.severity == "erreur" for i in c.issues)
    if has_errors:
        status = INCOMPLETE
    elif taking_part is False:
        status = NOT_TAKING_PART
    else:
        status = COMPLETE
    c.issues.sort(key=lambda i: _column_order(i.cell))
    return School(
        name=c.values.get("etablissement"),
        tab=answer.tab,
        row=answer.row,
        origin=answer.origin,
        status=status,
        values=c.values,
        cells={k: rc.cell for k, rc in answer.cells.items()},
        issues=tuple(c.issues),
        absent=tuple(c.absent),
    )


def check_answers(answers: Sequence[RawAnswer], limits: Limits) -> list[School]:
    """Check every answer, in order."""
    return [check_answer(a, limits) for a in answers]

