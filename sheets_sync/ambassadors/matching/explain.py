"""Why, in French: the reasons of a pairing, of an unserved class, and the dashboard figures."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .model import MAN, WOMAN, Ambassador, ClassUnit, MatchResult, SlotKind
from .scoring import FOCUS_GROWTH, FOCUS_LOCAL, FOCUS_STEREOTYPES, Profile, word_forms

NO_AMBASSADOR = "Aucun ambassadeur disponible."
NO_CAPACITY = (
    "Pas assez de places chez les ambassadeurs : {capacity} place(s) pour {demand} demandée(s)."
)
FEW_CANDIDATES = (
    "Trop peu d'ambassadeurs possibles pour cette classe ({count}), exclusions comprises."
)
TAKEN = "Les ambassadeurs possibles pour cette classe sont déjà pris par d'autres classes."
CONFIRMED = "Appariement confirmé par la coordination."
MIXED = "Assure la mixité de l'équipe (une femme et un homme)."
NOTHING_SPECIAL = (
    "Disponible pour parrainer une classe ; pas de point commun particulier avec le projet."
)


@lru_cache(maxsize=4096)
def _forms(amb: Ambassador) -> dict[str, str]:
    return word_forms((amb.job, amb.sector, *sorted(amb.interests)))


@lru_cache(maxsize=65536)
def _text_forms(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(word_forms((text,)).items())


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"


def pair_reasons(
    amb: Ambassador,
    prof: Profile,
    class_terms: frozenset[str],
    focus: frozenset[str],
    *,
    slot: SlotKind,
    mixed: bool,
    confirmed: bool,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The French reasons of one pairing, and the shared words as the ambassador typed them.

    The definition: `Explainer` says the same for a whole result, faster (tests compare)."""
    reasons: list[str] = []
    if confirmed:
        reasons.append(CONFIRMED)
    common = class_terms & prof.terms
    shared = tuple(sorted(_forms(amb)[t] for t in common)) if common else ()
    if shared:
        reasons.append("Points communs avec le projet : " + ", ".join(shared) + ".")
    if prof.growth is not None:
        text = f"Métier porteur ({prof.growth})"
        if FOCUS_GROWTH in focus:
            text += ", en phase avec l'orientation « secteurs porteurs » du projet"
        reasons.append(text + ".")
    if prof.counter_stereotype and prof.women_share is not None:
        if amb.gender == WOMAN:
            text = (
                f"Contre-stéréotype : une femme dans un métier où les femmes sont environ "
                f"{_percent(prof.women_share)} des personnes en emploi"
            )
        else:
            text = (
                f"Contre-stéréotype : un homme dans un métier où les hommes sont environ "
                f"{_percent(1 - prof.women_share)} des personnes en emploi"
            )
        if FOCUS_STEREOTYPES in focus:
            text += ", en phase avec l'orientation « stéréotypes » du projet"
        reasons.append(text + ".")
    if prof.local:
        text = "Modèle de réussite local (Roubaix ou ancien élève)"
        if FOCUS_LOCAL in focus:
            text += ", en phase avec l'orientation « figures emblématiques » du projet"
        reasons.append(text + ".")
    if slot in ("femme", "homme") and mixed:
        reasons.append(MIXED)
    if not reasons:
        reasons.append(NOTHING_SPECIAL)
    return tuple(reasons), shared


class Explainer:
    """`pair_reasons` for the many pairings of one roster, the same texts, built faster: word
    forms computed once per distinct (job, sector, interests), the texts that do not depend
    on the class's words once per profile and focus (France scale: 30,000 pairings)."""

    def __init__(self, ambassadors: Sequence[Ambassador], profiles: Sequence[Profile]) -> None:
        self.ambassadors, self.profiles = ambassadors, profiles
        self._forms: dict[tuple[str, str, frozenset[str]], dict[str, str]] = {}
        self._tails: dict[tuple[object, ...], tuple[str, ...]] = {}

    def forms(self, a: int) -> dict[str, str]:
        """`word_forms` of the ambassador's texts, from each text's forms (texts repeat)."""
        amb = self.ambassadors[a]
        key = (amb.job, amb.sector, amb.interests)
        found = self._forms.get(key)
        if found is None:
            found = self._forms[key] = {}
            for text in (amb.job, amb.sector, *sorted(amb.interests)):
                for stem, token in _text_forms(text):
                    found.setdefault(stem, token)
        return found

    def tail(self, a: int, focus: frozenset[str]) -> tuple[str, ...]:
        """The reasons after the shared words: métier porteur, counter-stereotype, local."""
        prof, gender = self.profiles[a], self.ambassadors[a].gender
        share = prof.women_share if prof.counter_stereotype else None
        key = (prof.growth, share, gender if share is not None else None, prof.local, focus)
        found = self._tails.get(key)
        if found is None:
            reasons, _ = pair_reasons(self.ambassadors[a], prof, frozenset(), focus,
                                      slot="libre", mixed=False, confirmed=False)
            if not (prof.growth is not None or share is not None or prof.local):
                reasons = ()  # only the « no particular link » line: not a tail
            found = self._tails[key] = reasons
        return found

    def reasons(
        self,
        a: int,
        class_terms: frozenset[str],
        focus: frozenset[str],
        *,
        slot: SlotKind,
        mixed: bool,
        confirmed: bool,
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What `pair_reasons` gives for ambassador number `a` of the roster."""
        common = class_terms & self.profiles[a].terms
        shared = tuple(sorted([self.forms(a)[t] for t in common])) if common else ()
        reasons = [CONFIRMED] if confirmed else []
        if shared:
            reasons.append("Points communs avec le projet : " + ", ".join(shared) + ".")
        reasons.extend(self.tail(a, focus))
        if slot in ("femme", "homme") and mixed:
            reasons.append(MIXED)
        return (tuple(reasons) if reasons else (NOTHING_SPECIAL,)), shared


@lru_cache(maxsize=4096)  # tens of thousands of classes share a handful of reasons
def unserved_reason(
    *, active: int, capacity: int, demand: int, candidates: int, open_slots: int
) -> str:
    """Why a class gets fewer ambassadors than asked, from the most to the least general."""
    if active == 0:
        return NO_AMBASSADOR
    if capacity < demand:
        return NO_CAPACITY.format(capacity=capacity, demand=demand)
    if candidates < open_slots:
        return FEW_CANDIDATES.format(count=candidates)
    return TAKEN


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def dashboard_figures(
    result: MatchResult, classes: Sequence[ClassUnit], ambassadors: Sequence[Ambassador]
) -> dict[str, object]:
    """Figures for the dashboards (shares are of pairings; None when there is none).

    load: ambassador id -> classes sponsored; unassigned: available ambassadors without a
    class; away: ambassadors not available this year (capacity 0 or « indisponible »), never
    among the unassigned; over_capacity: ambassadors above capacity (only through confirmed
    pairings).
    """
    load = {a.id: 0 for a in sorted(ambassadors, key=lambda a: a.id)}
    per_class: dict[str, set[str]] = {c.id: set() for c in classes}
    for p in result.pairings:
        load[p.ambassador_id] = load.get(p.ambassador_id, 0) + 1
        if p.gender is not None:
            per_class.setdefault(p.class_id, set()).add(p.gender)
    n = len(result.pairings)
    capacity = {a.id: a.capacity for a in ambassadors}
    return {
        "pairings": n,
        "load": load,
        "unassigned": tuple(
            a.id
            for a in sorted(ambassadors, key=lambda a: a.id)
            if not a.away and load[a.id] == 0
        ),
        "away": tuple(a.id for a in sorted(ambassadors, key=lambda a: a.id) if a.away),
        "over_capacity": tuple(i for i, used in load.items() if used > capacity.get(i, 0)),
        "classes": len(classes),
        "classes_served": len({p.class_id for p in result.pairings}),
        "classes_unserved": len(result.unserved),
        "mixed_classes": sum(1 for g in per_class.values() if {WOMAN, MAN} <= g),
        "women_share": _share(sum(p.gender == WOMAN for p in result.pairings), n),
        "counter_stereotype_share": _share(sum(p.counter_stereotype for p in result.pairings), n),
        "growth_share": _share(sum(p.growth for p in result.pairings), n),
        "local_share": _share(sum(p.local for p in result.pairings), n),
    }
