"""Find the annex n°1 answers in grids: a shared table (one row per school) or fiches.

Shared table (« tableau »), header anywhere in the first rows, column order free:

    # Réponses   A                                    B                            …
    # 1          Nom de l'établissement participant   Adresse de l'établissement   …
    # 2          Collège Exemple                      1 rue de l'Exemple, Roubaix  …

Fiche (one school per file), labels down a column, the answer to their right:

    # Fiche   A                                     B
    # 3       Nom de l'établissement participant    Collège Exemple
    # 4       Adresse de l'établissement            1 rue de l'Exemple, Roubaix

Headers are matched by normalised label (see labels.py); a header close to a label
(« Adresse établissement ») is proposed it, and read as it when the match is sure, with a
warning to rename it. The referent may be one cell or three (Prénom / NOM / Fonction): three
are joined as « Prénom NOM, fonction ».
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..cells.a1 import column_letters, to_a1
from ..cells.grid import CellValue, Grid, is_generated
from .findings import Issue, make_issue
from .labels import Suggestion, label_index, normalise_label, suggest
from .model import ANSWER_FIELDS, FIELD, GUIDE_TAB, REFERENT_PARTS, Field, Need

HEADER_SCAN_ROWS = 30
MIN_LABELS = 3  # a row (or column) naming at least this many questions is the annex
_PREFIX_MIN = 24  # a long label may be cut short by its author, from this many characters on
_LENGTH_SLACK = 6  # a repeated header's cell is its label give or take spaces and quotes

_SUGGESTED = ANSWER_FIELDS + REFERENT_PARTS
_INDEX = label_index(_SUGGESTED)
GUIDE_END = "Contactez "  # the how-to's last line: « Contactez {CONTACT}. »
_IGNORED = {normalise_label(t) for t in ("Statut", "Remarques", "Commentaires", "N°", "Numéro")}


class RawCell(NamedTuple):
    """A value as typed, with the address the principal sees (a tuple: made by the million)."""

    value: CellValue
    cell: str


@dataclass(frozen=True)
class RawAnswer:
    """One school's answer before checking; `cells` lacks the keys whose column is absent."""

    tab: str
    row: int | None
    cells: Mapping[str, RawCell]
    origin: str = ""
    parts: Mapping[str, RawCell] = field(default_factory=dict)  # the referent's three cells


@dataclass(frozen=True)
class Extraction:
    """What reading found: the answers, and the layout issues (columns, headers)."""

    answers: tuple[RawAnswer, ...]
    issues: tuple[Issue, ...]
    layout: str  # "tableau" | "fiche" | "vide"


def match_label(text: object) -> str | None:
    """The field key a header names, or None."""
    norm = normalise_label(text)
    if not norm:
        return None
    if norm in _INDEX:
        return _INDEX[norm]
    for label, key in _INDEX.items():
        if len(label) >= _PREFIX_MIN and len(norm) >= _PREFIX_MIN and (
            norm.startswith(label) or label.startswith(norm)
        ):
            return key
    return None


def _is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _weight(keys: Iterable[str]) -> int:
    """How many questions of the form some labels name: optional columns (e-mail, date…)
    do not count, and the referent's three parts count once."""
    counted = {"referent" if k.startswith("referent_") else k for k in keys}
    return sum(1 for k in counted if FIELD[k].need is not Need.OPTIONAL or k == "referent")


def _row_keys(row: Sequence[CellValue]) -> dict[int, str]:
    return {c: k for c, v in enumerate(row, start=1) if (k := match_label(v))}


def _repeats_header(cells: Mapping[str, RawCell]) -> bool:
    """Cheap test first: does one of the first mapped cells hold its own column's label?

    Only text about as long as the label is normalised, so ordinary rows cost a length test.
    """
    return any(isinstance(rc.value, str)
               and abs(len(rc.value) - len(FIELD[key].label)) <= _LENGTH_SLACK
               and rc.value.strip()[:2].casefold() == FIELD[key].label[:2].casefold()
               and match_label(rc.value) == key
               for key, rc in list(cells.items())[:3])


def _header_row(grid: Grid) -> tuple[int, dict[int, str]] | None:
    """The sheet row (1-based) naming most questions, with its column → key map."""
    best: tuple[int, dict[int, str]] | None = None
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS], start=1):
        keys = _row_keys(row)
        if _weight(keys.values()) >= MIN_LABELS and (best is None or len(keys) > len(best[1])):
            best = (r, keys)
    return best


def _fiche_column(grid: Grid) -> dict[str, tuple[int, int]]:
    """For a fiche: key → (row, label column), from the column naming most questions."""
    by_col: dict[int, dict[str, tuple[int, int]]] = {}
    for r, row in enumerate(grid.rows, start=1):
        for c, value in enumerate(row[:6], start=1):
            key = match_label(value)
            if key:
                by_col.setdefault(c, {}).setdefault(key, (r, c))
    if not by_col:
        return {}
    return max(by_col.values(), key=lambda found: _weight(found))


def _answer_column(grid: Grid, labels: dict[str, tuple[int, int]]) -> int:
    """The column holding a fiche's answers: right of the labels, where most answers are.

    One column for the whole fiche, so a remark beside an empty answer is never read as
    the answer, and labels merged over two columns put the answers in the third.
    """
    label_col = min(c for _, c in labels.values())
    counts = {col: sum(1 for r, _ in labels.values() if not _is_blank(grid.value(r, col)))
              for col in range(label_col + 1, label_col + 4)}
    return max(counts, key=lambda col: (counts[col], -col))


def _referent_from_parts(parts: dict[str, RawCell]) -> RawCell | None:
    """Join Prénom / NOM / Fonction into one referent cell (None when all are empty)."""
    if not parts:
        return None
    first = parts.get("referent_prenom") or next(iter(parts.values()))
    texts = {k: str(c.value).strip() for k, c in parts.items() if not _is_blank(c.value)}
    if not texts:
        return RawCell(None, first.cell)
    name = " ".join(t for k in ("referent_prenom", "referent_nom") if (t := texts.get(k)))
    joined = ", ".join(t for t in (name, texts.get("referent_fonction", "")) if t)
    return RawCell(joined, first.cell)


def _answer(tab: str, row: int | None, origin: str, cells: dict[str, RawCell]) -> RawAnswer:
    parts = {k: cells.pop(k) for k in [k for k in cells if k.startswith("referent_")]}
    if "referent" not in cells and (joined := _referent_from_parts(parts)) is not None:
        cells["referent"] = joined
    return RawAnswer(tab, row, cells, origin, parts if "referent" in cells else {})


def _absent_columns(tab: str, present: set[str], where: str) -> list[Issue]:
    has_parts = any(k.startswith("referent_") for k in present)
    missing: list[Field] = [
        f for f in ANSWER_FIELDS
        if f.need is not Need.OPTIONAL and f.key not in present
        and not (f.key == "referent" and has_parts)
    ]
    return [make_issue("colonne-absente", tab=tab, field=f.key, label=f.label, cell=where)
            for f in missing]


def _taken(present: Collection[str]) -> set[str]:
    """Fields a suggestion may no longer name: those present, and the referent's other form
    (one cell, or its three parts)."""
    taken = set(present)
    if "referent" in taken:
        taken.update(f.key for f in REFERENT_PARTS)
    if taken & {f.key for f in REFERENT_PARTS}:
        taken.add("referent")
    return taken


def _resemblance(tab: str, cell: str, value: CellValue, found: Suggestion, what: str) -> Issue:
    """The warning on a header close to a label: read as it (confident), or ignored."""
    code = "intitule-ressemblant-lu" if found.confident else "intitule-ressemblant"
    return make_issue(code, tab=tab, cell=cell, field=found.key, label=found.label,
                      value=value, what=what)


def read_table(grid: Grid, origin: str = "") -> Extraction | None:
    """Answers of a shared table, or None when the grid holds no annex header.

    A header naming no question but close to one (« Adresse établissement ») is proposed
    its label; when the match is confident it is also read as that column, so a reworded
    header loses no answer (`intitule-ressemblant-lu`, a warning to rename it).
    """
    found = _header_row(grid)
    if found is None:
        return None
    header_row, _ = found
    located: list[tuple[int, Issue]] = []
    columns: dict[str, int] = {}
    unknown: list[tuple[int, CellValue]] = []
    for c, value in enumerate(grid.rows[header_row - 1], start=1):
        if _is_blank(value):
            continue
        key = match_label(value)
        cell = to_a1(header_row, c)
        if key is None:
            if normalise_label(value) not in _IGNORED:
                unknown.append((c, value))
        elif key in columns:
            located.append((c, make_issue("colonne-en-double", tab=grid.tab, cell=cell,
                                          field=key, label=FIELD[key].label, value=value)))
        else:
            columns[key] = c
    for c, value in unknown:
        cell = to_a1(header_row, c)
        guess = suggest(value, _SUGGESTED, _taken(columns))
        if guess is None:
            located.append((c, make_issue("colonne-inconnue", tab=grid.tab, cell=cell,
                                          value=value)))
            continue
        if guess.confident:
            columns[guess.key] = c
        located.append((c, _resemblance(grid.tab, cell, value, guess, "La colonne")))
    issues = [i for _, i in sorted(located, key=lambda ci: ci[0])]
    issues.extend(_absent_columns(grid.tab, set(columns), to_a1(header_row, 1)))
    answers = []
    letters = {k: column_letters(c) for k, c in columns.items()}
    for r in range(header_row + 1, len(grid.rows) + 1):
        row = grid.rows[r - 1]
        cells = {k: RawCell(row[c - 1] if c <= len(row) else None, f"{letters[k]}{r}")
                 for k, c in columns.items()}
        if all(_is_blank(rc.value) for rc in cells.values()):
            continue
        if _repeats_header(cells) and _weight(_row_keys(grid.rows[r - 1]).values()) >= MIN_LABELS:
            continue  # the header repeated lower down (a pasted block, a printed page)
        answers.append(_answer(grid.tab, r, origin, cells))
    return Extraction(tuple(answers), tuple(issues), "tableau")


_LONGEST_LABEL = max(len(normalise_label(f.label)) for f in _SUGGESTED)


def _fiche_resemblances(grid: Grid, labels: dict[str, tuple[int, int]]) -> list[Issue]:
    """Labels of a fiche's label column that name no question but are close to one: each
    proposed its label, and a confident one added to `labels` (read)."""
    column = min(c for _, c in labels.values())
    used = {r for r, _ in labels.values()}
    issues = []
    for r in range(1, len(grid.rows) + 1):
        value = grid.value(r, column)
        if (r in used or not isinstance(value, str) or _is_blank(value)
                or len(value) > 2 * _LONGEST_LABEL or match_label(value) is not None
                or normalise_label(value) in _IGNORED):
            continue
        guess = suggest(value, _SUGGESTED, _taken(labels))
        if guess is None:
            continue
        if guess.confident:
            labels[guess.key] = (r, column)
        issues.append(_resemblance(grid.tab, to_a1(r, column), value, guess, "La ligne"))
    return issues


def read_fiche(grid: Grid, origin: str = "") -> Extraction | None:
    """One school's answer laid out as a vertical form, or None when it is not one."""
    labels = _fiche_column(grid)
    if _weight(labels) < MIN_LABELS:
        return None
    resembling = _fiche_resemblances(grid, labels)
    column = _answer_column(grid, labels)
    cells = {key: RawCell(grid.value(r, column), to_a1(r, column))
             for key, (r, _) in labels.items()}
    issues = [*resembling, *_absent_columns(grid.tab, set(cells), "A1")]
    answer = _answer(grid.tab, None, origin, cells)
    if all(_is_blank(rc.value) for rc in answer.cells.values()):
        return Extraction((), tuple(issues), "fiche")
    return Extraction((answer,), tuple(issues), "fiche")


def _name(grid: Grid) -> str:
    return normalise_label(grid.sheet or grid.tab)


def _typed_in_guide(grid: Grid) -> list[tuple[int, int]]:
    """Cells a principal typed in the how-to tab: (row, column), the first one of each row.

    The template writes its text down column A from row 1, with no gap, and ends with
    « Contactez … »; anything else is typed: a cell right of column A, a number or a date,
    an annex label, text below a gap or below the last line.
    """
    typed: list[tuple[int, int]] = []
    ended = False
    for r, row in enumerate(grid.rows, start=1):
        first = row[0] if row else None
        col = next((c for c, v in enumerate(row[1:], start=2) if not _is_blank(v)), None)
        if not _is_blank(first) and (ended or not isinstance(first, str)
                                     or match_label(first) is not None):
            col = 1
        if col is not None:
            typed.append((r, col))
        if _is_blank(first) or (isinstance(first, str) and first.startswith(GUIDE_END)):
            ended = True
    return typed


def _guide_issues(guides: Sequence[Grid], expected: str) -> list[Issue]:
    return [make_issue("saisie-hors-reponses", tab=g.tab, cell=to_a1(r, c),
                       value=g.value(r, c), expected=expected)
            for g in guides for r, c in _typed_in_guide(g)]


def _table_issues(grids: Sequence[Grid], read: Grid, answers_tab: str) -> list[Issue]:
    """Warnings when answers are elsewhere than the configured tab: nothing dropped silently."""
    issues = []
    if not any(_name(g) == normalise_label(answers_tab) for g in grids):
        issues.append(make_issue("onglet-reponses-absent", tab=answers_tab,
                                 found=read.sheet or read.tab))
    for grid in grids:
        header = _header_row(grid) if grid is not read else None
        if header is not None:
            row, keys = header
            issues.append(make_issue("onglet-non-lu", tab=grid.tab, cell=to_a1(row, min(keys)),
                                     row=row, line=row, expected=read.sheet or read.tab))
    return issues


def extract(grids: Sequence[Grid], answers_tab: str, other_tabs: Collection[str] = (),
            origin: str = "", guide_tabs: Collection[str] = (GUIDE_TAB,)) -> Extraction:
    """Find the annex in a workbook's grids: the named tab first, then any other tab.

    Generated tabs, `other_tabs` (the roster, the reference list) and the how-to tab are
    never read as answers. Nothing is dropped silently: another tab that looks like answers
    (`onglet-non-lu`), text typed in the how-to tab (`saisie-hors-reponses`) and a
    configured tab gone (`onglet-reponses-absent`) are warnings. Returns layout "vide" when
    no grid holds the annex.
    """
    wanted = normalise_label(answers_tab)
    others = {normalise_label(t) for t in other_tabs}
    skipped = {normalise_label(t) for t in guide_tabs}
    readable = [g for g in grids
                if not (g.rows and g.rows[0] and is_generated(g.rows[0][0]))
                and _name(g) not in others]
    guides = [g for g in readable if _name(g) in skipped]
    candidates = [g for g in readable if _name(g) not in skipped]
    candidates.sort(key=lambda g: _name(g) != wanted)
    for grid in candidates:
        found = read_table(grid, origin)
        if found is not None:
            issues = (*found.issues, *_table_issues(candidates, grid, answers_tab),
                      *_guide_issues(guides, grid.sheet or grid.tab))
            return Extraction(found.answers, issues, "tableau")
    fiches = [(g, f) for g in candidates if (f := read_fiche(g, origin)) is not None]
    # A fiche with an answer wins over a how-to tab that only lists the labels.
    if fiches:
        grid, fiche = min(fiches, key=lambda gf: not gf[1].answers)
        issues = (*fiche.issues, *_guide_issues(guides, grid.sheet or grid.tab))
        return Extraction(fiche.answers, issues, "fiche")
    return Extraction((), tuple(_guide_issues(guides, answers_tab)), "vide")
