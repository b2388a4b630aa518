"""After the checks: who each answer is, which duplicate wins, which session it belongs to.

    checked schools ──► identify (reference list) ──► duplicates ──► sessions ──► Campaign
                                                        │
                                 reference schools with no answer: « sans réponse »

Duplicates are settled by content, never by row order (a principal may sort the sheet):
the answer with the fewest errors wins, then the one with most fields filled, then the
latest « Date de dépôt », then a hash of the content. The others keep status `doublon`
with one issue that says which row (or file) to delete; their own errors are dropped, as
nobody should fix an answer that is to be deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..config import Session
from .check import DUPLICATE, School
from .findings import Issue, make_issue
from .identity import Establishment, ReferenceIndex, match_school, school_key
from .sessions import SeenComplete, session_for


@dataclass(frozen=True)
class Campaign:
    """Every answer identified and placed; the reference schools still to hear from."""

    schools: tuple[School, ...]
    unanswered: tuple[Establishment, ...]
    state: SeenComplete
    issues: tuple[Issue, ...]

    @property
    def kept(self) -> tuple[School, ...]:
        """The answers that count (duplicates left out)."""
        return tuple(s for s in self.schools if s.status != DUPLICATE)


def where(school: School) -> str:
    """The place of an answer as the principal deletes it: « la ligne 4 », « le fichier … »."""
    if school.origin:
        return f"le fichier « {school.origin} »"
    return f"la ligne {school.row}" if school.row else f"l'onglet « {school.tab} »"


def _issue(school: School, code: str, **extra: object) -> Issue:
    return make_issue(code, tab=school.tab, cell=school.cells.get("etablissement"),
                      field="etablissement", label="Nom de l'établissement participant",
                      row=school.row, **extra)


def identify(school: School, reference: Sequence[Establishment] | ReferenceIndex) -> School:
    """Give the school its identity key; warn when the reference list is unsure or silent."""
    name = school.name or ""
    fallback = school_key(name) or f"{school.origin or school.tab}#{school.row}"
    listed = reference.establishments if isinstance(reference, ReferenceIndex) else reference
    if not listed or not name:
        return replace(school, key=fallback)
    found = match_school(name, reference)
    if found is None:
        issue = _issue(school, "etablissement-inconnu", value=name)
        return replace(school, key=fallback, issues=(*school.issues, issue))
    if not found.sure:
        issue = _issue(school, "etablissement-incertain", value=name,
                       candidate=found.establishment.name, score=round(found.score))
        return replace(school, key=fallback, issues=(*school.issues, issue))
    return replace(school, key=found.establishment.key, reference=found.establishment.name)


def content_hash(school: School) -> str:
    """A digest of what was typed: the last tie-break, the same whatever the row order."""
    text = repr(sorted((k, repr(v)) for k, v in school.values.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _merit(school: School) -> tuple[int, int, dt.date, str]:
    """Bigger is better: fewest errors, most fields filled, latest deposit, content hash."""
    deposit = school.values.get("date_depot")
    day = deposit if isinstance(deposit, dt.date) else dt.date.min
    filled = sum(1 for v in school.values.values() if v is not None and v != "")
    return (-len(school.errors), filled, day, content_hash(school))


def resolve_duplicates(schools: Sequence[School]) -> list[School]:
    """Keep the best answer of each school (by content, see the module docstring).

    The others become `doublon` with a single issue naming the row to delete; their own
    issues are dropped, so they count neither in the status nor in the errors.
    """
    groups: dict[str, list[int]] = {}
    for i, school in enumerate(schools):
        groups.setdefault(school.key, []).append(i)
    out = list(schools)
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        # Identical content ties on every criterion: any of them is the same answer.
        winner = max(indexes, key=lambda i: (_merit(schools[i]), schools[i].row or 0,
                                             schools[i].origin))
        for i in indexes:
            if i != winner:
                loser = schools[i]
                issue = _issue(loser, "doublon", value=loser.name,
                               kept=where(schools[winner]), dropped=where(loser))
                out[i] = replace(loser, status=DUPLICATE, issues=(issue,))
    return out


def place_in_sessions(schools: Sequence[School], state: SeenComplete,
                      sessions: Sequence[Session], today: dt.date) -> tuple[list[School],
                                                                               SeenComplete]:
    """Each answer's session, by its « Date de dépôt » or the day it was first seen complete
    (never « Hors délai » by that day alone: see form/sessions.py)."""
    newly = {s.key: s.name or s.key for s in schools if s.answered}
    state = state.updated(newly, today)
    placed = []
    for school in schools:
        deposit = school.values.get("date_depot")
        day = deposit if isinstance(deposit, dt.date) else None
        if day is None and school.answered:
            day = state.days.get(school.key)
        placed.append(replace(school, session=session_for(
            day, sessions, typed=isinstance(deposit, dt.date))))
    return placed, state


def consolidate(schools: Sequence[School], reference: Sequence[Establishment],
                state: SeenComplete, sessions: Sequence[Session], today: dt.date) -> Campaign:
    """Identify, de-duplicate and place every answer; list reference schools not heard from."""
    index = ReferenceIndex.of(reference)
    identified = resolve_duplicates([identify(s, index) for s in schools])
    kept = [s for s in identified if s.status != DUPLICATE]
    placed_kept, state = place_in_sessions(kept, state, sessions, today)
    by_index = iter(placed_kept)
    placed = [s if s.status == DUPLICATE else next(by_index) for s in identified]
    heard = {s.key for s in identified}
    unanswered = tuple(e for e in reference if e.key not in heard)
    issues = tuple(i for s in placed for i in s.issues)
    return Campaign(tuple(placed), unanswered, state, issues)
