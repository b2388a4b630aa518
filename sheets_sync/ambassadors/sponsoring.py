"""From answers and roster to sponsorships: classes, coordinator decisions, matching.

Each participating school whose answer is complete yields its classes de 4ème and de 3ème
as units to sponsor. Coordinators steer the result in a tab they own, « Ajustements »:

    # Ajustements  A                  B                          C
    # 1            Classe             Ambassadeur (identifiant)  Décision
    # 2            tisserands-4e1     nadia-benali-3f2a1c        Confirmer
    # 3            canal-3e1          karim-roussel-a01b22       Exclure

A confirmed pairing survives every later sync; an excluded one is never proposed. A pairing
published at an earlier sync (remembered in the state tab) stays while it is possible
(stability.py); `sync --reapparier` re-optimises everything but confirmed pairings.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..cells.a1 import to_a1
from ..cells.grid import Grid
from ..config import CampaignView
from ..form import normalise
from ..form.check import School
from ..form.findings import Issue, make_issue
from ..form.labels import normalise_label
from ..form.sessions import Published, read_previous
from .matching import ClassUnit, MatchResult, MatchSettings, Weights, dashboard_figures
from .roster import Member, public_names
from .stability import Dropped, Move, change_lines, gap, moves, named, still_possible

LEVELS = (("4e", "classes_4e", "4ème"), ("3e", "classes_3e", "3ème"))
_WORD_FIELDS = ("orientation", "discipline", "theme", "contenu", "titre")
ADJUSTMENT_HEADER = ("Classe", "Ambassadeur (identifiant)", "Décision")


@dataclass(frozen=True)
class Classroom:
    """A class to sponsor, with the school it belongs to."""

    unit: ClassUnit
    school: School
    label: str  # « 4ème n°2 »


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise_label(text)).strip("-") or "college"


def classes_of(schools: Sequence[School]) -> list[Classroom]:
    """The classes of every participating school with a complete answer."""
    out = []
    for school in schools:
        if school.participates is not True or not school.answered:
            continue
        words = frozenset(v for k in _WORD_FIELDS if isinstance(v := school.values.get(k), str))
        slug = _slug(school.key)
        for level, key, shown in LEVELS:
            count = school.values.get(key)
            for n in range(1, (count if isinstance(count, int) else 0) + 1):
                unit = ClassUnit(f"{slug}-{level}{n}", school.key, level, words,
                                 school.name or "")
                out.append(Classroom(unit, school, f"{shown} n°{n}"))
    return out


@dataclass(frozen=True)
class Adjustments:
    """The coordinators' decisions, by (class id, ambassador id)."""

    confirmed: frozenset[tuple[str, str]]
    excluded: frozenset[tuple[str, str]]


def read_adjustments(grids: Sequence[Grid], tab: str, classes: Sequence[Classroom],
                     members: Sequence[Member]) -> tuple[Adjustments, list[Issue]]:
    """Decisions of the « Ajustements » tab; unknown classes or ambassadors are reported."""
    grid = next((g for g in grids if normalise_label(g.sheet or g.tab) == normalise_label(tab)),
                None)
    if grid is None:
        return Adjustments(frozenset(), frozenset()), []
    known_classes = {c.unit.id for c in classes}
    known_members = {m.ambassador.id for m in members}
    confirmed: set[tuple[str, str]] = set()
    excluded: set[tuple[str, str]] = set()
    issues: list[Issue] = []
    for r in range(2, len(grid.rows) + 1):
        klass, member, decision = (normalise.as_text(grid.value(r, c)).value for c in (1, 2, 3))
        if not klass and not member:
            continue
        if klass not in known_classes or member not in known_members:
            what, value, col = (("la classe", klass, 1) if klass not in known_classes
                                else ("l'ambassadeur", member, 2))
            issues.append(make_issue("ajustement-inconnu", tab=grid.tab, cell=to_a1(r, col),
                                     value=value, row=r, what=what))
            continue
        pair = (str(klass), str(member))
        verdict = normalise_label(decision)
        if verdict.startswith("confirm"):
            confirmed.add(pair)
        elif verdict.startswith("exclu"):
            excluded.add(pair)
        else:
            issues.append(make_issue("ajustement-invalide", tab=grid.tab, cell=to_a1(r, 3),
                                     label="Décision", value=decision, row=r))
    return Adjustments(frozenset(confirmed), frozenset(excluded)), issues


def settings(config: CampaignView, adjustments: Adjustments) -> MatchSettings:
    """The matching settings of the campaign (config.toml « appariement »)."""
    m = config.matching
    base = MatchSettings()
    return replace(
        base,
        k=m.per_class,
        weights=replace(Weights(), **m.weights),
        growth_sectors=frozenset(m.growth_sectors) if m.growth_sectors else base.growth_sectors,
        women_share_by_job_family=m.women_share or base.women_share_by_job_family,
        women_share_source=m.women_share_source or base.women_share_source,
        low_share=m.low_share,
        high_share=m.high_share,
        confirmed=adjustments.confirmed,
        excluded=adjustments.excluded,
    )


@dataclass(frozen=True)
class Sponsorship:
    """The matching of a campaign: classes, roster, result, and the problems found."""

    classes: tuple[Classroom, ...]
    members: tuple[Member, ...]
    result: MatchResult
    issues: tuple[Issue, ...]
    published: tuple[Published, ...] = ()  # as remembered from the last sync
    dropped: tuple[Dropped, ...] = ()  # published pairings that had to go, with why
    moves: tuple[Move, ...] = ()  # pairings added or removed since the last sync

    @property
    def changes(self) -> tuple[str, ...]:
        """French, one line per pairing added or removed (for coordinators: names the
        ambassador's identifier)."""
        return change_lines(self.moves, first=not self.published)

    @functools.cached_property
    def _since(self) -> dict[tuple[str, str], dt.date]:
        return {(p.class_id, p.ambassador_id): p.since for p in self.published}

    def since(self, class_id: str, ambassador_id: str, today: dt.date) -> dt.date:
        """The day a pairing was first published (today for a new one)."""
        return self._since.get((class_id, ambassador_id), today)

    @functools.cached_property
    def public_names(self) -> dict[str, str]:
        """What partners see of each ambassador, by id (roster.public_names)."""
        return public_names(self.members)

    @functools.cached_property
    def figures(self) -> dict[str, object]:
        """Load, unassigned ambassadors and shares, computed once for every tab."""
        return dashboard_figures(self.result, [c.unit for c in self.classes],
                                 [m.ambassador for m in self.members])

    @functools.cached_property
    def _members(self) -> dict[str, Member]:
        return {m.ambassador.id: m for m in self.members}

    @functools.cached_property
    def _classes(self) -> dict[str, Classroom]:
        return {c.unit.id: c for c in self.classes}

    def member(self, ambassador_id: str) -> Member:
        return self._members[ambassador_id]

    def classroom(self, class_id: str) -> Classroom:
        return self._classes[class_id]


def _with_gap(result: MatchResult, fresh: MatchResult) -> MatchResult:
    """The result with what stability costs against a fresh matching, in stats and a note."""
    lost = gap(result, fresh)
    stats = {**result.stats, "fresh_objective": fresh.objective,
             "stability_gap": max(lost.objective, 0),
             "stability_classes_lost": lost.classes, "stability_gendered_lost": lost.gendered,
             "stability_quality_lost": lost.quality, "stability_quality_ratio": lost.quality_ratio}
    notes = result.notes
    if lost.objective > 0:
        parts = [f"{n} {what}" for n, what in ((lost.schools, "collège(s) servi(s)"),
                                             (lost.classes, "classe(s) servie(s)"),
                                             (lost.gendered, "place(s) mixte(s)")) if n > 0]
        parts.append(f"{max(lost.quality_ratio, 0):.1%} des points de qualité")
        notes = (*notes, "Garder les appariements déjà publiés coûte, par rapport à un "
                         f"appariement refait de zéro : {', '.join(parts)}. « sheets-sync sync "
                         "--reapparier » réapparie tout, sauf les appariements confirmés.")
    return replace(result, stats=stats, notes=notes)


def sponsor(config: CampaignView, schools: Sequence[School], members: Sequence[Member],
            grids: Sequence[Grid], *, reoptimise: bool = False,
            solve: bool = True) -> Sponsorship:
    """Match the roster to the classes, honouring the coordinators' decisions.

    Pairings published at the last sync stay while possible; `reoptimise`: match afresh
    (confirmed pairings still never move). `solve` False: only read and check the
    coordinators' decisions (what `check` reports), with no pairing — the solver is not loaded.
    """
    classes = classes_of(schools)
    adjustments, issues = read_adjustments(grids, config.tabs.adjustments, classes, members)
    if not solve:
        return Sponsorship(tuple(classes), tuple(members), MatchResult((), (), 0, {}),
                           tuple(issues))
    from .matching import match  # the solver (OR-Tools), loaded only when solving

    units, roster = [c.unit for c in classes], [m.ambassador for m in members]
    base = settings(config, adjustments)
    fresh = match(units, roster, base)
    shown = next((g for g in grids if (g.sheet or g.tab) == config.tabs.sponsorships), None)
    ids = [a.id for a in roster] + [v for row in (shown.rows if shown else ()) for v in row
                                    if isinstance(v, str)]
    published = tuple(named(read_previous(grids, config.tabs.state).pairings, ids))
    if reoptimise or not published:
        dropped: tuple[Dropped, ...] = ()
        result = _with_gap(fresh, fresh)
    else:
        kept, dropped = still_possible(published, units, roster, k=base.k,
                                       confirmed=base.confirmed, excluded=base.excluded)
        result = _with_gap(match(units, roster, replace(base, kept=kept)), fresh)
    return Sponsorship(tuple(classes), tuple(members), result, tuple(issues), published,
                       dropped, moves(published, result.pairings, dropped))
