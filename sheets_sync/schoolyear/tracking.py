"""« Suivi de l'année »: the tab coordinators and principals fill to follow each class's year.

One row per class and per temps fort or production:

    #    A              B          C               D             E         F         G
    # 1  Établissement  Classe     Identifiant     Type          Intitulé  État      Date …
    # 2  Collège …      4ème n°1   tisserands-4e1  lancement               confirmé  12/10/2026
    # 3  Collège …      4ème n°1   tisserands-4e1  fiche métier  Soudeuse  en cours

A temps fort row (Type is a temps fort of config.toml) says whether it is confirmed, held or
cancelled, and on which day; a production row (Type from PRODUCTION_TYPES) says where the
class's work stands. `sheets-sync suivi --preparer` adds the rows of new classes; the sync only
reads this tab (it is typed by people: never rewritten).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..cells.a1 import to_a1
from ..cells.grid import CellError, CellValue, Grid
from ..form.findings import Issue, make_issue
from ..form.labels import normalise_label
from ..form.normalise import as_text, date, is_empty

HEADER = ("Établissement", "Classe", "Identifiant", "Type", "Intitulé", "État", "Date", "Lien",
          "Commentaire")
PRODUCTION_TYPES = ("fiche métier", "portrait", "web TV", "exposition", "autre")
EVENT_STATES = ("à venir", "confirmé", "tenu", "annulé")
PRODUCTION_STATES = ("à venir", "en cours", "remise", "publiée")
CONFIRMED_STATES = ("confirmé", "tenu")  # with a date: the event never moves
DELIVERED_STATES = ("remise", "publiée")


@dataclass(frozen=True)
class Tracked:
    """One row of « Suivi de l'année », read and normalised (`row`: the sheet row)."""

    row: int
    school: str  # as shown (the school's name)
    class_label: str  # « 4ème n°1 »
    class_id: str  # the toolkit's identifier (« tisserands-4e1 »)
    kind: str  # a temps fort's name (config) or one of PRODUCTION_TYPES
    is_event: bool  # True for a temps fort row
    title: str = ""
    state: str = "à venir"  # one of EVENT_STATES or PRODUCTION_STATES
    day: dt.date | None = None
    link: str | None = None
    comment: str = ""


@dataclass(frozen=True)
class FollowUp:
    """Every row of the tab, and what could not be read (issues with cells, French)."""

    rows: tuple[Tracked, ...] = ()
    issues: tuple[Issue, ...] = ()
    found: bool = False  # whether the tab exists
    sheet: str = ""  # the tab's name as found (case and accents as typed)
    header_row: int = 0  # the header's sheet row; 0 when none was found
    columns: tuple[tuple[str, int], ...] = ()  # (field of FIELDS, 1-based column) found
    class_ids: frozenset[str] = frozenset()  # every class a row names, even a row dropped
    tab: str = ""  # how issues name the tab

    @property
    def readable(self) -> bool:
        """Absent, empty, or with a header naming enough columns to read (and append) rows."""
        return not any(i.code in UNREADABLE for i in self.issues)

    def confirmed_days(self) -> dict[tuple[str, str], dt.date]:
        """(class id, temps fort) → the day typed for a confirmed or held temps fort."""
        return {(r.class_id, r.kind): r.day for r in self.rows
                if r.is_event and r.state in CONFIRMED_STATES and r.day is not None}

    def held(self) -> frozenset[tuple[str, str]]:
        """The (class id, temps fort) pairs marked « tenu »."""
        return frozenset((r.class_id, r.kind) for r in self.rows
                         if r.is_event and r.state == "tenu")

    def cancelled(self) -> frozenset[tuple[str, str]]:
        """The (class id, temps fort) pairs marked « annulé »."""
        return frozenset((r.class_id, r.kind) for r in self.rows
                         if r.is_event and r.state == "annulé")

    def productions(self) -> tuple[Tracked, ...]:
        return tuple(r for r in self.rows if not r.is_event)


UNREADABLE = ("suivi-entete-absent", "suivi-colonne-absente")  # no row of the tab is read


# --- reading the tab ------------------------------------------------------------------------

FIELDS = ("etablissement", "classe", "identifiant", "type", "intitule", "etat", "date", "lien",
          "commentaire")  # HEADER's columns, in its order
LABEL = dict(zip(FIELDS, HEADER, strict=True))
_ALIASES = {
    "etablissement": ("Collège", "College", "Établissement scolaire", "École"),
    "classe": ("Niveau et classe",),
    "identifiant": ("Identifiant de la classe", "Id", "Identifiant classe", "Code classe"),
    "type": ("Type de temps fort ou de production", "Temps fort ou production", "Nature"),
    "intitule": ("Titre", "Sujet", "Libellé"),
    "etat": ("Statut", "Avancement", "Situation"),
    "date": ("Jour", "Date prévue", "Date de remise", "Date de publication"),
    "lien": ("URL", "Adresse web", "Lien web", "Lien internet"),
    "commentaire": ("Commentaires", "Remarque", "Remarques", "Notes", "Observations"),
}
_HEADER_INDEX = {normalise_label(t): key for key in FIELDS
                 for t in (LABEL[key], *_ALIASES.get(key, ()))}
HEADER_SCAN_ROWS = 30
MIN_LABELS = 3  # a row naming this many of the tab's columns is its header
_WEB = re.compile(r"^https?://[^\s/]+\.[^\s]+$", re.IGNORECASE)
_NUMBER_MARK = re.compile(r"\b(?:n|no|num|numero)\b")


@functools.lru_cache(maxsize=4096)
def _stem(text: str) -> str:
    """A list value as typed, reduced to compare: case, accents, spaces, gender and number.

    « Tenue », « tenus » → "tenu"; « Publié », « publiées » → "publi"; « Fiches métiers »,
    « fiche-métier » → "fichmetier"; « Web TV », « webtv » → "webtv".
    """
    return "".join(w.rstrip("es") or w for w in normalise_label(text).split())


_EVENT_STATE = {_stem(s): s for s in EVENT_STATES}
_PRODUCTION_STATE = {_stem(s): s for s in PRODUCTION_STATES}
_PRODUCTION_TYPE = {_stem(t): t for t in PRODUCTION_TYPES}
for _typed, _state in (("prévu", "à venir"), ("a faire", "à venir"), ("réalisé", "tenu"),
                       ("fait", "tenu"), ("terminé", "remise"), ("rendu", "remise"),
                       ("en ligne", "publiée")):
    (_EVENT_STATE if _state in EVENT_STATES else _PRODUCTION_STATE)[_stem(_typed)] = _state


def _class_key(school: object, label: object) -> tuple[str, str]:
    """How a class is recognised without its identifier: « 4ème n°1 » = « 4e1 » = « 4E 1 »."""
    return normalise_label(school), _NUMBER_MARK.sub("", normalise_label(label)).replace(" ", "")


@functools.lru_cache(maxsize=4096)
def _header_key(text: str) -> str | None:
    """The field a header cell names, or None."""
    return _HEADER_INDEX.get(normalise_label(text))


def _header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The sheet row (1-based) naming most of the tab's columns, with field → column."""
    best: tuple[int, dict[str, int]] | None = None
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS], start=1):
        columns: dict[str, int] = {}
        for c, value in enumerate(row, start=1):
            key = _header_key(value) if isinstance(value, str) else None
            if key is not None:
                columns.setdefault(key, c)
        if len(columns) >= MIN_LABELS and (best is None or len(columns) > len(best[1])):
            best = (r, columns)
    return best


def _text(value: CellValue) -> str:
    if type(value) is str:  # the usual case, first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, CellError):
        return str(value)
    if isinstance(value, bool):  # as the spreadsheet shows it in French
        return "VRAI" if value else "FAUX"
    if isinstance(value, dt.time):  # a negative date serial reaches us as 00:00
        return value.strftime("%H:%M")
    return as_text(value).value or ""


class _Row:
    """One data row's cells by field: value and A1 address."""

    def __init__(self, grid: Grid, r: int, columns: Mapping[str, int]) -> None:
        self.grid, self.r, self.columns = grid, r, columns
        self.cells = grid.rows[r - 1]

    def value(self, key: str) -> CellValue:
        c = self.columns.get(key, 0)
        return self.cells[c - 1] if 0 < c <= len(self.cells) else None

    def text(self, key: str) -> str:
        return _text(self.value(key))

    def cell(self, key: str) -> str:
        return to_a1(self.r, self.columns.get(key, 1))

    def issue(self, code: str, key: str, value: object = None, **extra: object) -> Issue:
        return make_issue(code, tab=self.grid.tab, cell=self.cell(key), field=key,
                          label=LABEL[key], value=value, row=self.r, line=self.r, **extra)


def _find_tab(grids: Sequence[Grid], tab: str) -> Grid | None:
    wanted = normalise_label(tab)
    return next((g for g in grids if normalise_label(g.sheet or g.tab) == wanted), None)


def _which_class(row: _Row, by_label: Mapping[tuple[str, str], str],
                 by_id: Mapping[str, str]) -> tuple[str | None, Issue | None]:
    """The class a row speaks of: its identifier, else its Établissement + Classe."""
    typed_id = row.text("identifiant")
    if typed_id:
        found = by_id.get(typed_id.casefold())
        if found is None:
            return None, row.issue("suivi-identifiant-inconnu", "identifiant", typed_id)
        return found, None
    school, label = row.text("etablissement"), row.text("classe")
    if not school and not label:
        return None, row.issue("suivi-classe-absente", "identifiant")
    found = by_label.get(_class_key(school, label))
    if found is None:
        shown = " – ".join(t for t in (school, label) if t)
        key = "classe" if "classe" in row.columns else "etablissement"
        return None, row.issue("suivi-classe-inconnue", key, shown)
    return found, None


def _read_row(row: _Row, class_id: str, school_label: tuple[str, str],
              kinds: Mapping[str, str]) -> tuple[Tracked | None, list[Issue]]:
    typed_type = row.text("type")
    if not typed_type:
        return None, [row.issue("suivi-type-absent", "type")]
    stem = _stem(typed_type)
    if stem in kinds:
        kind, is_event, states = kinds[stem], True, _EVENT_STATE
    elif stem in _PRODUCTION_TYPE:
        kind, is_event, states = _PRODUCTION_TYPE[stem], False, _PRODUCTION_STATE
    else:
        choices = ", ".join([*dict.fromkeys(kinds.values()), *PRODUCTION_TYPES])
        return None, [row.issue("suivi-type-inconnu", "type", typed_type, choices=choices)]
    issues: list[Issue] = []
    state = "à venir"
    typed_state = row.text("etat")
    if typed_state:
        if _stem(typed_state) in states:
            state = states[_stem(typed_state)]
        else:
            listed = EVENT_STATES if is_event else PRODUCTION_STATES
            issues.append(row.issue("suivi-etat-invalide", "etat", typed_state, kind=kind,
                                    choices=", ".join(listed)))
    day = None
    if not is_empty(row.value("date")):
        parsed = date(row.value("date"))
        if parsed.problem:
            issues.append(row.issue("suivi-date-invalide", "date", row.text("date")))
        day = parsed.value
    if is_event and state in CONFIRMED_STATES and day is None and not any(
            i.code == "suivi-date-invalide" for i in issues):
        issues.append(row.issue("suivi-date-manquante", "date", None, kind=kind, state=state))
    link = row.text("lien") or None
    if link is not None and not _WEB.match(link):
        issues.append(row.issue("suivi-lien-invalide", "lien", link))
        link = None
    school, label = school_label
    return Tracked(row.r, school, label, class_id, kind, is_event, row.text("intitule"), state,
                   day, link, row.text("commentaire")), issues


def read_follow_up(grids: Sequence[Grid], tab: str, kinds: Sequence[str],
                   classes: Mapping[str, tuple[str, str]]) -> FollowUp:
    """Read « Suivi de l'année » among `grids`: every row normalised, every problem an issue.

    `kinds`: the temps forts' names (config order); `classes`: class id → (school name,
    class label), the classes the rows may name. The header is found by its labels (case,
    accents and spaces free, columns in any order, extra columns ignored); blank rows are
    skipped. A row is dropped (with an error) when its class or its type cannot be told; a
    wrong état, date or link only loses that cell. A temps fort listed twice for a class
    counts once (the first row, `suivi-doublon`); productions may repeat. Where a name is
    both a temps fort of config.toml and a production type, the temps fort wins.
    """
    grid = _find_tab(grids, tab)
    if grid is None:
        return FollowUp()
    sheet = grid.sheet or grid.tab
    if all(is_empty(v) for row in grid.rows for v in row):
        return FollowUp(found=True, sheet=sheet)
    found = _header(grid)
    if found is None:
        return FollowUp(issues=(make_issue("suivi-entete-absent", tab=grid.tab, cell="A1",
                                           columns=", ".join(HEADER)),), found=True,
                        sheet=sheet)
    header_row, columns = found
    layout = tuple(sorted(columns.items(), key=lambda kc: kc[1]))
    missing = [k for k in ("type",) if k not in columns]
    if "identifiant" not in columns and not {"etablissement", "classe"} <= columns.keys():
        missing.append("identifiant")
    if missing:
        return FollowUp(issues=tuple(
            make_issue("suivi-colonne-absente", tab=grid.tab, cell=to_a1(header_row, 1),
                       field=k, label=LABEL[k]) for k in missing), found=True, sheet=sheet,
                        header_row=header_row, columns=layout)
    by_id = {c.casefold(): c for c in classes}
    by_label = {_class_key(*shown): c for c, shown in classes.items()}
    kind_of = {_stem(k): k for k in kinds}
    rows: list[Tracked] = []
    issues: list[Issue] = []
    seen: dict[tuple[str, str], int] = {}
    named: set[str] = set()
    for r in range(header_row + 1, len(grid.rows) + 1):
        row = _Row(grid, r, columns)
        if all(is_empty(row.value(k)) for k in columns):
            continue
        typed = row.value("type")
        if (isinstance(typed, str) and _header_key(typed) == "type"
                and _header(Grid(grid.tab, (grid.rows[r - 1],))) is not None):
            continue  # the header repeated lower down
        class_id, problem = _which_class(row, by_label, by_id)
        if class_id is None:
            issues.extend([problem] if problem else [])
            continue
        named.add(class_id)
        tracked, found_issues = _read_row(row, class_id, classes[class_id], kind_of)
        if tracked is not None and tracked.is_event:
            first = seen.setdefault((class_id, tracked.kind), r)
            if first != r:
                issues.append(row.issue("suivi-doublon", "type", tracked.kind, other=first,
                                        label_class=classes[class_id][1],
                                        school=classes[class_id][0]))
                continue
        issues.extend(found_issues)
        if tracked is not None:
            rows.append(tracked)
    return FollowUp(tuple(rows), tuple(issues), True, sheet, header_row, layout,
                    frozenset(named), grid.tab)


# --- rows for new classes (`sheets-sync suivi --preparer`) -----------------------------------

NEW_STATE = "à venir"


def _natural(text: str) -> tuple[object, ...]:
    """« 4ème n°10 » after « 4ème n°2 »: numbers compared as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", normalise_label(text)))


def production_types(typed: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The productions of config.toml as PRODUCTION_TYPES spells them, and those unknown."""
    known = [_PRODUCTION_TYPE.get(_stem(t)) for t in typed]
    return (tuple(dict.fromkeys(k for k in known if k)),
            tuple(t for t, k in zip(typed, known, strict=True) if k is None))


def rows_to_add(classes: Sequence[tuple[str, str, str]], follow_up: FollowUp,
                kinds: Sequence[str], productions: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The rows `suivi --preparer` appends: for each class (id, school name, label) the tab
    does not name yet, one row per temps fort (config order) then one per production, état
    « à venir », every other cell empty. Each row lists the values of FIELDS, in order.

    A class is « in the tab » when any row names it (by identifier, or by Établissement +
    Classe), even a row whose other cells could not be read: that class gets nothing, even
    when people deleted some of its rows — they may have meant it (a temps fort the class
    will not have, a production given up), and the preparer never writes over a decision.
    Rows come by school, then class label (« 4ème n°2 » before « 4ème n°10 »), then type.
    """
    present = follow_up.class_ids
    new = sorted(((c, s, label) for c, s, label in classes if c not in present),
                 key=lambda c: (normalise_label(c[1]), _natural(c[2]), c[0]))
    return tuple((school, label, class_id, kind, "", NEW_STATE, "", "", "")
                 for class_id, school, label in dict.fromkeys(new)
                 for kind in (*kinds, *productions))


def placed(rows: Sequence[Sequence[str]],
           columns: Sequence[tuple[str, int]]) -> tuple[dict[int, str], ...]:
    """Rows of FIELDS values as {1-based column: text} in the tab's own layout (`columns`
    from FollowUp; HEADER's order for a new tab). Empty texts and absent columns are left
    out: a column people removed gets nothing."""
    where = dict(columns) if columns else {k: i for i, k in enumerate(FIELDS, start=1)}
    return tuple({where[k]: v for k, v in zip(FIELDS, row, strict=True) if v and k in where}
                 for row in rows)
