"""Stable pairings: which published pairings stay, and what changed since the last sync.

A class told in October who its ambassadors are keeps them in November unless that became
impossible: the class is gone, the ambassador left the roster, is unavailable, is over a
lowered capacity, or the pair was excluded in « Ajustements ». Confirmed pairings take an
ambassador's capacity first, then the oldest published; a class never keeps more than k.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..form.sessions import Published, pseudonym
from .matching import Ambassador, ClassUnit, MatchResult, Pairing

__all__ = ["Dropped", "Gap", "Move", "Published", "change_lines", "gap", "moves", "named",
           "still_possible", "unnamed"]


@dataclass(frozen=True)
class Dropped:
    """A published pairing that cannot stay, and why (French)."""

    pairing: Published
    reason: str


def still_possible(
    published: Iterable[Published],
    classes: Sequence[ClassUnit],
    ambassadors: Sequence[Ambassador],
    *,
    k: int,
    confirmed: frozenset[tuple[str, str]] = frozenset(),
    excluded: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[frozenset[tuple[str, str]], tuple[Dropped, ...]]:
    """The published pairings to keep as (class id, ambassador id), and those dropped.

    Pairs confirmed in « Ajustements » are fixed by the solver anyway: they are not returned
    but they use capacity and places first.
    """
    class_ids = {c.id for c in classes}
    roster = {a.id: a for a in ambassadors}
    per_class: Counter[str] = Counter(c for c, a in confirmed if c in class_ids and a in roster)
    load: Counter[str] = Counter(a for c, a in confirmed if c in class_ids and a in roster)
    kept: set[tuple[str, str]] = set()
    dropped: list[Dropped] = []
    seen: set[tuple[str, str]] = set()
    order = sorted(published, key=lambda p: (not p.confirmed, p.since, p.class_id,
                                             p.ambassador_id))
    for p in order:
        pair = (p.class_id, p.ambassador_id)
        if pair in seen:
            continue
        seen.add(pair)
        if pair in confirmed:
            continue
        amb = roster.get(p.ambassador_id)
        reason = None
        if p.class_id not in class_ids:
            reason = "la classe ne figure plus parmi les classes à parrainer"
        elif amb is None:
            reason = "l'ambassadeur ne figure plus dans la liste"
        elif not amb.available:
            reason = "l'ambassadeur est indisponible"
        elif pair in excluded:
            reason = "l'appariement est exclu dans « Ajustements »"
        elif load[amb.id] >= amb.capacity:
            reason = f"l'ambassadeur a atteint sa capacité ({amb.capacity} classe(s))"
        elif per_class[p.class_id] >= k:
            reason = f"la classe a déjà ses {k} ambassadeur(s)"
        if reason is not None:
            dropped.append(Dropped(p, reason))
            continue
        kept.add(pair)
        load[p.ambassador_id] += 1
        per_class[p.class_id] += 1
    return frozenset(kept), tuple(dropped)


def unnamed(published: Iterable[Published], ids: Iterable[str]) -> bool:
    """Whether a published pairing's ambassador is none of `ids` (by pseudonym, or as is):
    one who left the roster, named only in the last « Parrainages »."""
    known = set(ids)
    return any(p.ambassador_id not in known for p in named(published, known))


def named(published: Iterable[Published], ids: Iterable[str]) -> list[Published]:
    """Published pairings as read from the state tab, ambassadors back to their identifiers
    among `ids` (the roster's, and those the last « Parrainages » showed); a pseudonym found
    in neither stays as it is. Each distinct identifier is hashed once (the tab repeats
    them: one row per pairing)."""
    by_pseudonym = {pseudonym(i): i for i in dict.fromkeys(ids)}
    return [replace(p, ambassador_id=by_pseudonym.get(p.ambassador_id, p.ambassador_id))
            for p in published]


@dataclass(frozen=True)
class Move:
    """A pairing added or removed since the last published matching; `reason` (French) for
    a removal."""

    class_id: str
    ambassador_id: str
    added: bool
    reason: str = ""


def moves(published: Sequence[Published], pairings: Sequence[Pairing],
          dropped: Sequence[Dropped]) -> tuple[Move, ...]:
    """Removals (with why), then additions, each sorted by (class, ambassador)."""
    before = {(p.class_id, p.ambassador_id) for p in published}
    after = {(p.class_id, p.ambassador_id) for p in pairings}
    why = {(d.pairing.class_id, d.pairing.ambassador_id): d.reason for d in dropped}
    return (*(Move(c, a, False, why.get((c, a), "réappariement demandé"))
              for c, a in sorted(before - after)),
            *(Move(c, a, True) for c, a in sorted(after - before)))


def change_lines(changes: Sequence[Move], *, with_ambassador: bool = True,
                 first: bool = False) -> tuple[str, ...]:
    """One French line per move; without the ambassador's identifier (made from their name)
    for tabs that must not name anyone (« Journal »). `first`: nothing was published before,
    so the pairings are summed up in one line (the « Parrainages » tab lists them)."""
    if first and changes and all(m.added for m in changes):
        return (f"{len(changes)} parrainage(s) publié(s) : premier appariement, détail dans "
                "l'onglet « Parrainages ».",)

    if not with_ambassador:  # one line per class and kind of change, with a count
        counts = Counter((m.class_id, m.added, m.reason) for m in changes)
        return tuple(_class_line(class_id, added, reason, n)
                     for (class_id, added, reason), n in counts.items())
    return tuple(f"Appariement ajouté : {m.class_id} – {m.ambassador_id}." if m.added
                 else f"Appariement retiré : {m.class_id} – {m.ambassador_id} ({m.reason})."
                 for m in changes)


def _class_line(class_id: str, added: bool, reason: str, n: int) -> str:
    who = f"classe {class_id}" + (f" ({n} ambassadeurs)" if n > 1 else "")
    return f"Appariement ajouté : {who}." if added else f"Appariement retiré : {who} ({reason})."


@dataclass(frozen=True)
class Gap:
    """What keeping published pairings costs against a fresh matching, tier by tier.

    Both objectives are weighed with the fresh run's tiers (each run picks tiers for its own
    network, so their `objective` values are not comparable as such). Negative parts mean the
    stable matching does better (a pruned fresh run is not a global optimum).
    """

    objective: int
    schools: int
    classes: int
    gendered: int
    quality: int
    quality_ratio: float  # quality points lost, over the fresh run's


def gap(stable: MatchResult, fresh: MatchResult) -> Gap:
    """Fresh minus stable, per tier and weighted with the fresh run's tiers."""

    def tiers(r: MatchResult) -> tuple[int, int, int, int]:
        s = r.stats
        return (int(s["schools_served"]), int(s["classes_served"]), int(s["gendered_slots"]),
                int(s["quality"]))

    weights = (int(fresh.stats["tier_school"]), int(fresh.stats["tier_class"]),
               int(fresh.stats["tier_gender"]), 1)
    diff = [f - s for f, s in zip(tiers(fresh), tiers(stable), strict=True)]
    schools, classes, gendered, quality = diff
    return Gap(sum(w * d for w, d in zip(weights, diff, strict=True)), schools, classes,
               gendered, quality, quality / max(tiers(fresh)[3], 1))
