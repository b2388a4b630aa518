"""« Bilan de l'année » (partners): temps forts held against planned, class productions,
ambassadors met, overall, per temps fort and per school.

    # Bilan de l'année  A                                 B
    # 4                 Indicateur                        Valeur
    # 5                 Classes suivies (parrainées)      12
    # 6                 Temps forts planifiés             36
    # …                                                          (charts at the right)
    #                   Par temps fort · Ambassadeurs rencontrés · Productions des classes
    #                   par type et état · Par établissement         (one titled block each)
    #                   Type          À venir  En cours  Remises  Publiées  Livrées (…)
    #                   fiche métier  2        1         3        1         4

Every figure counts the paired classes of the year (`YearPlan.classes`): a row of « Suivi de
l'année » for a class no longer paired is not counted. A temps fort is held when marked
« tenu » there; marked « annulé », it is no longer counted among the planned ones. No person
is named: ambassadors are counted (distinct people), never listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..ambassadors.matching import Ambassador
from ..ambassadors.sponsoring import Sponsorship, settings
from ..cells.grid import CellValue, GeneratedTab, OutCell
from ..cells.layout import MAX_BARS, Plot, Side, Table, lay_out
from ..config import CampaignView
from ..schoolyear.calendar import french_date
from ..schoolyear.model import CONFIRMED
from ..schoolyear.tracking import DELIVERED_STATES, PRODUCTION_STATES, PRODUCTION_TYPES
from ..schoolyear.year import YearPlan
from .sponsorship_tabs import NO_ADJUSTMENTS

__all__ = ["NOTHING_HELD", "YearFigures", "year_figures", "year_review_tab"]

NOTHING_HELD = "Aucun temps fort tenu pour l'instant."
_STATE_HEADERS = {"à venir": "À venir", "en cours": "En cours", "remise": "Remises",
                  "publiée": "Publiées"}

Key = tuple[str, str]  # (class id, temps fort)


@dataclass(frozen=True)
class YearFigures:
    """The (class, temps fort) pairs of the year by where they stand, and the productions,
    restricted to the paired classes and the temps forts of config.toml."""

    planned: frozenset[Key]  # in the plan or held, not cancelled
    confirmed: frozenset[Key]  # planned, date fixed, not yet held
    held: frozenset[Key]
    unplaced: frozenset[Key]
    cancelled: frozenset[Key]
    productions: tuple[tuple[str, str, str], ...]  # (class id, type, state)
    attendees: Mapping[Key, tuple[str, ...]]  # ambassador ids expected at each planned pair


def year_figures(year: YearPlan) -> YearFigures:
    """Where each temps fort of each paired class stands (pure)."""
    classes = {c.class_id: c for c in year.classes}
    kinds = {k.name for k in year.kinds}

    def ours(key: Key) -> bool:
        return key[0] in classes and key[1] in kinds

    held = frozenset(k for k in year.follow_up.held() if ours(k))
    states = {(r.class_id, r.kind): r.state for r in year.follow_up.rows if r.is_event}
    cancelled = frozenset(k for k, s in states.items() if s == "annulé" and ours(k)) - held
    events = {e.key: e for e in year.plan.events if ours(e.key)}
    planned = (frozenset(events) | held) - cancelled
    confirmed = frozenset(
        k for k in planned - held
        if states.get(k) == "confirmé" or (k in events and events[k].status == CONFIRMED))
    unplaced = frozenset(
        (u.class_id, u.kind) for u in year.plan.unplaced if ours((u.class_id, u.kind))
    ) - planned - cancelled
    # a held temps fort the plan no longer shows was attended by the class's ambassadors
    attendees = {k: events[k].attendees if k in events else classes[k[0]].ambassadors
                 for k in planned}
    productions = tuple((r.class_id, r.kind, r.state) for r in year.follow_up.productions()
                        if r.class_id in classes)
    return YearFigures(planned, confirmed, held, unplaced, cancelled, productions, attendees)


def _count(value: CellValue) -> OutCell:
    return OutCell(value, "integer")


def _share(part: int, whole: int) -> OutCell:
    return OutCell(part / whole if whole else None, "percent")


def _line(label: str, value: int) -> tuple[OutCell, ...]:
    return (OutCell(label), _count(value))


def _people(keys: Iterable[Key], f: YearFigures) -> set[str]:
    return {a for k in keys for a in f.attendees.get(k, ())}


def _ambassador_blocks(config: CampaignView, sponsorship: Sponsorship,
                       f: YearFigures) -> tuple[Table, Table | None]:
    """Distinct ambassadors met at held temps forts, beside those expected at planned ones:
    by gender, and in métiers porteurs (never by name)."""
    from ..ambassadors.matching.scoring import growth_sector  # numpy: loaded by the sync

    members = {m.ambassador.id: m.ambassador for m in sponsorship.members}
    sectors = settings(config, NO_ADJUSTMENTS).growth_sectors
    unknown = Ambassador("", None, "", "")

    def profile(ids: set[str]) -> tuple[list[str | None], Counter[str]]:
        people = [members.get(i, unknown) for i in sorted(ids)]
        growth = Counter(s for a in people if (s := growth_sector(a, sectors)) is not None)
        return [a.gender for a in people], growth

    met_genders, met_growth = profile(_people(f.held, f))
    all_genders, all_growth = profile(_people(f.planned, f))

    def row(label: str, met: int, expected: int) -> tuple[OutCell, ...]:
        return (OutCell(label), _count(met), _count(expected))

    rows = [
        row("Ambassadeurs (personnes)", len(met_genders), len(all_genders)),
        row("dont femmes", met_genders.count("F"), all_genders.count("F")),
        row("dont hommes", met_genders.count("H"), all_genders.count("H")),
        row("dont genre non renseigné", met_genders.count(None), all_genders.count(None)),
        (OutCell("Part de femmes"), _share(met_genders.count("F"), len(met_genders)),
         _share(all_genders.count("F"), len(all_genders))),
        row("dont métier porteur", sum(met_growth.values()), sum(all_growth.values())),
        (OutCell("Part de métiers porteurs"), _share(sum(met_growth.values()), len(met_genders)),
         _share(sum(all_growth.values()), len(all_genders))),
    ]
    people = Table(("Ambassadeurs", "Rencontrés (temps forts tenus)",
                    "Attendus (temps forts planifiés)"), tuple(rows), widths=(30, 18, 18),
                   title="Ambassadeurs rencontrés")
    if not all_growth:
        return people, None
    growth = Table(("Métier porteur", "Rencontrés", "Attendus"),
                   tuple(row(s, met_growth[s], n) for s, n in sorted(all_growth.items())),
                   widths=(30, 12, 12), title="Par métier porteur (personnes)")
    return people, growth


def _production_table(f: YearFigures) -> Table:
    by_type: dict[str, Counter[str]] = {t: Counter() for t in PRODUCTION_TYPES}
    for _, kind, state in f.productions:
        by_type.setdefault(kind, Counter())[state] += 1
    rows = [(OutCell(kind), *(_count(n[s]) for s in PRODUCTION_STATES),
             _count(sum(n[s] for s in DELIVERED_STATES))) for kind, n in by_type.items()]
    total: Counter[str] = sum(by_type.values(), Counter())
    rows.append((OutCell("Total"), *(_count(total[s]) for s in PRODUCTION_STATES),
                 _count(sum(total[s] for s in DELIVERED_STATES))))
    return Table(("Type", *(_STATE_HEADERS[s] for s in PRODUCTION_STATES),
                  "Livrées (remises ou publiées)"), tuple(rows), widths=(22, 10, 10, 10, 10, 14),
                 title="Productions des classes par type et état")


def year_review_tab(config: CampaignView, year: YearPlan, sponsorship: Sponsorship,
                    mark: str) -> GeneratedTab:
    """« Bilan de l'année » (partners): what the year has held so far, from the plan and
    « Suivi de l'année » (cells/layout.py places the blocks, the charts at their right)."""
    f = year_figures(year)
    delivered = sum(1 for _, _, s in f.productions if s in DELIVERED_STATES)
    overall = Table(("Indicateur", "Valeur"), (
        _line("Classes suivies (parrainées)", len(year.classes)),
        _line("Temps forts planifiés", len(f.planned)),
        _line("dont confirmés, pas encore tenus", len(f.confirmed)),
        _line("Temps forts tenus", len(f.held)),
        (OutCell("Part des temps forts planifiés déjà tenus"), _share(len(f.held), len(f.planned))),
        _line("Temps forts non placés au calendrier", len(f.unplaced)),
        _line("Temps forts annulés", len(f.cancelled)),
        _line("Productions livrées (remises ou publiées)", delivered),
        _line("Productions en cours", sum(1 for _, _, s in f.productions if s == "en cours")),
        _line("Productions à venir", sum(1 for _, _, s in f.productions if s == "à venir")),
    ), widths=(44, 14), notes=() if f.held else (NOTHING_HELD,))
    body: list[Table | Side] = [overall]
    plots: list[Plot] = []
    omitted: tuple[str, ...] = ()

    kinds = Table(("Temps fort", "Planifiés", "Tenus", "Non placés", "Annulés"), tuple(
        (OutCell(k.name), *(_count(sum(1 for key in keys if key[1] == k.name))
                            for keys in (f.planned, f.held, f.unplaced, f.cancelled)))
        for k in year.kinds), widths=(26, 10, 10, 10, 10), title="Par temps fort")
    body.append(kinds)
    if f.held and len(year.kinds) > 0:
        plots.append(Plot("column", "Temps forts planifiés et tenus", kinds, (1, 2)))

    people, growth = _ambassador_blocks(config, sponsorship, f)
    body.append(Side((people, growth)) if growth else people)

    productions = _production_table(f)
    body.append(productions)
    if f.productions:
        plots.append(Plot("bar", "Productions des classes par type et état", productions,
                          (1, 2, 5), count=len(productions.rows) - 1))  # not the total

    schools = _school_rows(year, f)
    per_school = Table(("Établissement", "Classes", "Temps forts planifiés", "Temps forts tenus",
                        "Productions livrées"), tuple(schools), widths=(40, 10, 12, 12, 12),
                       title="Par établissement")
    body.append(per_school)
    if f.held and schools:
        if len(schools) <= MAX_BARS:
            plots.append(Plot("bar", "Temps forts planifiés et tenus par établissement",
                              per_school, (2, 3)))
        else:  # beyond, labels would be skipped: the table says it
            omitted = (f"Temps forts par établissement : pas de graphique au-delà de {MAX_BARS} "
                       "établissements (chaque nom n'y serait pas lisible) ; le tableau donne "
                       "chaque établissement.",)
    title = f"Bilan de l'année — {config.name}" + (
        f" ({config.school_year})" if config.school_year else "")
    return lay_out(
        config.tabs.year_review, mark, title, body, plots,
        notes=(f"Chiffres à la date du {french_date(year.today)}.",
               "Un temps fort est « tenu » quand il est marqué ainsi dans l'onglet "
               f"« {config.tabs.follow_up} » ; marqué « annulé », il n'est plus compté parmi "
               "les planifiés. Une production est livrée quand son état est « remise » ou "
               "« publiée ».",
               "Les chiffres comptent les classes parrainées (au moins un ambassadeur) et les "
               "temps forts du calendrier de l'année. Un ambassadeur qui participe à plusieurs "
               "temps forts compte une fois.",
               *omitted),
    )


def _school_rows(year: YearPlan, f: YearFigures) -> list[tuple[OutCell, ...]]:
    """Per school (by name, as the year's other tabs show it): classes, temps forts planned
    and held, productions delivered."""
    school_of = {c.class_id: c.school for c in year.classes}
    counts: dict[str, list[int]] = {}
    for c in year.classes:
        counts.setdefault(c.school, [0, 0, 0, 0])[0] += 1
    for n, keys in ((1, f.planned), (2, f.held)):
        for class_id, _ in keys:
            counts[school_of[class_id]][n] += 1
    for class_id, _, state in f.productions:
        if state in DELIVERED_STATES:
            counts[school_of[class_id]][3] += 1
    named = sorted((year.names.schools.get(key, key) or "(sans nom)", n)
                   for key, n in counts.items())
    return [(OutCell(name), *(_count(v) for v in n)) for name, n in named]
