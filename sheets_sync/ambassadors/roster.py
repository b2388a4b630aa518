"""The ambassador roster (« Ambassadeurs »), read and checked like the answers.

    # Ambassadeurs  A        B        C       D        E          F         …
    # 1             Prénom   NOM      Genre   Métier   Code ROME  Secteur   …
    # 2             Nadia    BENALI   F       Data analyste  M1403  Numérique

Gender accepts F/H/femme/homme/Mme/M./Madame/Monsieur (else « non renseigné »); the ROME code
is one letter and four digits; capacity defaults to 1, and 0 means « not available this
year » (kept, never matched, counted apart); consent to appear by name on partner
dashboards defaults to « Non ». An ambassador's identifier is the « Identifiant » column when
the roster has one, else derived from name and e-mail (stable across syncs and row moves).

Only real people are kept: a row without a last name or a métier, or whose name reads like a
sentence (a note typed in the tab: « Collège Rosa Parks : notre réponse est ligne 5… »), is
reported once (`ambassadeur-invalide`) on its first cell and neither matched nor counted.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ..cells.a1 import to_a1
from ..cells.grid import CellValue, Grid
from ..form import normalise
from ..form.findings import Issue, make_issue
from ..form.labels import label_index, normalise_label, suggest
from ..form.model import ROSTER_FIELDS, Need, by_key
from ..schoolyear.availability import Availability, parse_availability
from .matching import Ambassador
from .matching.model import Gender

_INDEX = label_index(ROSTER_FIELDS)
_FIELD = by_key(ROSTER_FIELDS)
_ID_LABELS = {"identifiant", "id", "identifiant ambassadeur"}
_ROME = re.compile(r"^[A-N]\d{4}$")
_WOMAN = {"f", "femme", "mme", "madame", "mlle", "w"}
_MAN = {"h", "homme", "m", "mr", "monsieur", "m."}
_UNKNOWN = {"", "non renseigne", "nr", "autre", "ne se prononce pas", "?"}
_UNAVAILABLE = {"indisponible", "non", "aucune", "pas disponible", "non disponible"}
_NOTE_MARKS = re.compile(r"[:;!?…\d@/()\[\]«»\"]|\.\.\.")
_MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class Member:
    """One ambassador: the matching's view, plus what the dashboards show of them."""

    ambassador: Ambassador
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    company: str | None
    commune: str | None
    consent: bool
    row: int
    availability: Availability = field(default_factory=Availability)  # « Disponibilités »

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def public_name(self) -> str:
        """The name partners may see: the person's with consent, else job and sector."""
        if self.consent:
            return self.name
        return f"{self.ambassador.job} ({self.ambassador.sector})"


def public_names(members: Sequence[Member]) -> dict[str, str]:
    """What partners see of each ambassador, by id: the name with consent, else job and
    sector, numbered (« … n°2 ») in roster order when several such ambassadors share them."""
    labels = {m.ambassador.id: m.public_name() for m in members}
    anonymous = [m for m in sorted(members, key=lambda m: m.row) if not m.consent]
    shared = Counter(labels[m.ambassador.id] for m in anonymous)
    seen: Counter[str] = Counter()
    for m in anonymous:
        label = labels[m.ambassador.id]
        if shared[label] > 1:
            seen[label] += 1
            labels[m.ambassador.id] = f"{label} n°{seen[label]}"
    return labels


def gender(value: CellValue) -> tuple[Gender | None, bool]:
    """(« F » | « H » | None, readable?)."""
    text = _label(value)
    if text in _WOMAN:
        return "F", True
    if text in _MAN or normalise.as_text(value).value in ("M.", "M"):
        return "H", True
    return None, text in _UNKNOWN


def ambassador_id(first: str, last: str, email: str | None) -> str:
    """A stable identifier from name and e-mail: « nadia-benali-3f2a1c »."""
    return _derived_id(normalise_label(f"{first} {last}"), email)


def _derived_id(folded_name: str, email: str | None) -> str:
    """ambassador_id from the name already folded by normalise_label."""
    base = folded_name.replace(" ", "-") or "ambassadeur"
    digest = hashlib.sha1(f"{base}|{(email or '').lower()}".encode()).hexdigest()[:6]
    return f"{base}-{digest}"


@functools.lru_cache(maxsize=8192)
def _text_label(text: str) -> str:
    return normalise_label(text)


def _label(value: object) -> str:
    """`normalise_label`, remembered for texts: a roster's genders, communes and
    availabilities repeat a few values over thousands of rows."""
    return _text_label(value) if type(value) is str else normalise_label(value)


# Pure, and « Disponibilités » cells repeat: each distinct text is read once.
_availability = functools.lru_cache(maxsize=8192)(parse_availability)


@functools.lru_cache(maxsize=16)
def _folded(communes: frozenset[str]) -> frozenset[str]:
    return frozenset(normalise_label(c) for c in communes)


def _plain(value: CellValue) -> str:
    """`normalise.as_text(value).value or ""`, without building the Parsed for a text."""
    if type(value) is str:  # the usual case
        return value.strip()
    return normalise.as_text(value).value or ""


def _invalid_reason(row: _Row) -> str | None:
    """Why a roster row is not a person (French), or None when it is one."""
    first, last, job = _plain(row.raw("prenom")), _plain(row.raw("nom")), _plain(row.raw("metier"))
    name = f"{first} {last}".strip()
    if name and (_NOTE_MARKS.search(name) or len(name.split()) > _MAX_NAME_WORDS):
        return "le texte ressemble à une note, pas au nom d'une personne"
    if not first and not last:
        return "ni prénom ni nom"
    if not last:
        return "nom manquant"
    if not job:
        return "métier manquant"
    return None


def _header(grid: Grid) -> tuple[int, dict[str, int], int | None, list[Issue]] | None:
    """The header row: its column of each field, of the identifier, and the warnings on
    headers close to a label (« Métiers »: read as « Métier », to rename)."""
    for r, row in enumerate(grid.rows[:20], start=1):
        columns: dict[str, int] = {}
        id_column = None
        unknown = []
        for c, value in enumerate(row, start=1):
            key = _INDEX.get(normalise_label(value))
            if key and key not in columns:
                columns[key] = c
            elif normalise_label(value) in _ID_LABELS:
                id_column = c
            elif not key and isinstance(value, str) and value.strip():
                unknown.append((c, value))
        issues = []
        for c, value in unknown:
            guess = suggest(value, ROSTER_FIELDS, columns)
            if guess is None:
                continue
            if guess.confident:
                columns[guess.key] = c
            code = "intitule-ressemblant-lu" if guess.confident else "intitule-ressemblant"
            issues.append(make_issue(code, tab=grid.tab, cell=to_a1(r, c), field=guess.key,
                                     label=guess.label, value=value, what="La colonne"))
        if {"prenom", "nom", "metier"} <= set(columns):
            return r, columns, id_column, issues
    return None


class _Row:
    """One roster row being read: values by key, issues with their cells."""

    def __init__(self, grid: Grid, r: int, columns: dict[str, int]) -> None:
        self.grid, self.r, self.columns = grid, r, columns
        self.values = grid.rows[r - 1]
        self.issues: list[Issue] = []

    def raw(self, key: str) -> CellValue:
        """`grid.value(r, column of key)`, from the row at hand."""
        c = self.columns.get(key)
        return self.values[c - 1] if c is not None and c <= len(self.values) else None

    def flag(self, code: str, key: str, value: object = None, **extra: object) -> None:
        cell = to_a1(self.r, self.columns[key]) if key in self.columns else None
        self.issues.append(make_issue(code, tab=self.grid.tab, cell=cell, field=key,
                                      label=_FIELD[key].label, value=value, row=self.r,
                                      **extra))

    def text(self, key: str) -> str | None:
        value = self.raw(key)
        if type(value) is str:  # the usual case: trimmed, no Parsed built
            text = value.strip() or None
        else:
            text, problem = normalise.as_text(value)
            if problem:
                self.flag(problem, key, value)
        if text is None and _FIELD[key].need is Need.ALWAYS:
            self.flag("champ-obligatoire", key)
        return text


def _member(row: _Row, id_column: int | None,
            local_communes: frozenset[str]) -> tuple[Member, str]:
    """The row's ambassador, and their name folded by normalise_label (to find doubles)."""
    first, last = row.text("prenom") or "", row.text("nom") or ""
    job, sector = row.text("metier") or "", row.text("secteur") or ""
    email = normalise.email(row.raw("courriel"))
    if email.problem:
        row.flag(email.problem, "courriel", row.raw("courriel"))
    found, readable = gender(row.raw("genre"))
    if not readable:
        row.flag("genre-invalide", "genre", row.raw("genre"))
    rome = (row.text("code_rome") or "").upper().replace(" ", "")
    if rome and not _ROME.match(rome):
        row.flag("code-rome-invalide", "code_rome", row.raw("code_rome"))
        rome = ""
    capacity = normalise.count(row.raw("capacite"))
    if capacity.problem:
        row.flag(capacity.problem, "capacite", row.raw("capacite"))
    consent = normalise.yes_no(row.raw("consentement"))
    if consent.problem:
        row.flag("oui-non-invalide", "consentement", row.raw("consentement"))
    availability = row.text("disponibilites")
    reading = _availability(availability)
    for finding in reading.findings:  # a warning on the cell; the ambassador is kept
        row.flag(finding.code, "disponibilites", availability, part=finding.part or "")
    commune = row.text("commune")
    interests = row.text("interets")
    explicit = row.grid.value(row.r, id_column) if id_column else None
    folded = normalise_label(f"{first} {last}")  # as normalise_label(name): it trims
    ident = str(explicit).strip() if explicit not in (None, "") else _derived_id(
        folded, email.value)
    ambassador = Ambassador(
        id=ident,
        gender=found,
        job=job,
        sector=sector,
        rome_code=rome or None,
        interests=frozenset([interests] if interests else []),
        capacity=1 if capacity.value is None else capacity.value,
        available=_label(availability) not in _UNAVAILABLE,
        local=_label(commune) in _folded(local_communes),
    )
    return Member(ambassador, first, last, email.value, row.text("telephone"),
                  row.text("entreprise"), commune, consent.value is True, row.r,
                  reading.availability), folded


# Optional columns whose absence changes what is computed: mixity and the equality figures
# (genre), one class at most each (capacite), nobody named to partners (consentement).
_TELLING = frozenset({"genre", "capacite", "consentement"})


def _missing_columns(grid: Grid, header: int, columns: dict[str, int]) -> list[Issue]:
    """One `colonne-absente` per required or telling roster column the header lacks, on the
    header's cells; a missing optional column (Commune, Courriel…) is simply left empty."""
    width = max((len(row) for row in grid.rows[header - 1:header]), default=1) or 1
    area = f"{to_a1(header, 1)}:{to_a1(header, width)}"
    return [make_issue("colonne-absente", tab=grid.tab, cell=area, field=f.key, label=f.label)
            for f in ROSTER_FIELDS
            if f.key not in columns and (f.need is Need.ALWAYS or f.key in _TELLING)]


def read_roster(grids: Sequence[Grid], tab: str,
                local_communes: Collection[str] = ("Roubaix",)) -> tuple[list[Member], list[Issue]]:
    """Every valid ambassador of the roster tab, and the problems found (codes and cells).

    A roster tab that does not exist is a warning: asking for it means the campaign has one.
    """
    grid = next((g for g in grids if normalise_label(g.sheet or g.tab) == normalise_label(tab)),
                None)
    if grid is None:
        return [], [make_issue("onglet-ambassadeurs-absent", tab=tab)]
    if not grid.rows:
        return [], []
    found = _header(grid)
    if found is None:
        return [], [make_issue("colonne-absente", tab=grid.tab, cell="A1", field="prenom",
                               label="Prénom, NOM, Métier")]
    header, columns, id_column, resembling = found
    members: list[Member] = []
    issues = [*resembling, *_missing_columns(grid, header, columns)]
    seen: dict[tuple[str, str], int] = {}
    ids: set[str] = set()
    communes = frozenset(local_communes)
    for r in range(header + 1, len(grid.rows) + 1):
        if all(normalise.is_empty(v) for v in grid.rows[r - 1]):
            continue
        row = _Row(grid, r, columns)
        reason = _invalid_reason(row)
        if reason is not None:
            issues.append(make_issue("ambassadeur-invalide", tab=grid.tab,
                                     cell=to_a1(r, min(columns.values())), field="prenom",
                                     row=r, reason=reason))
            continue
        member, folded = _member(row, id_column, communes)
        issues.extend(row.issues)
        identity = (folded, (member.email or "").lower())
        if identity in seen or member.ambassador.id in ids:
            row.issues.clear()
            row.flag("ambassadeur-en-double", "nom", member.name, other=seen.get(identity, r))
            issues.extend(row.issues)
            continue
        seen[identity] = r
        ids.add(member.ambassador.id)
        members.append(member)
    return members, issues
