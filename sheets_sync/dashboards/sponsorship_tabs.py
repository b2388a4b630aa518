"""Generated tabs about sponsorships: « Parrainages » (coordinators), and for partners
« Classes », « Mobilisation des ambassadeurs », « Égalité filles-garçons ».

Partner tabs never hold an e-mail or a telephone number, and show an ambassador's name only
with their consent (else their job and sector). Every figure comes from one list of pairings
(class, ambassador) joined to the roster, so a class's names, genders and métiers follow the
same order; a count says whether it counts people (distinct ambassadors) or sponsorships.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..ambassadors.matching import MatchResult, Pairing
from ..ambassadors.roster import Member
from ..ambassadors.sponsoring import Adjustments, Sponsorship, settings
from ..cells.grid import GeneratedTab, OutCell
from ..cells.layout import Plot, Side, Table, lay_out
from ..config import CampaignView
from .marks import SharedCells

NO_ADJUSTMENTS = Adjustments(frozenset(), frozenset())

GENDER_LABELS = {"F": "Femme", "H": "Homme", None: "Non renseigné"}


def _by_class(result: MatchResult) -> dict[str, list[Pairing]]:
    out: dict[str, list[Pairing]] = {}
    for p in result.pairings:
        out.setdefault(p.class_id, []).append(p)
    return out


AWAY = "indisponible cette année"


def _away_count(n: int) -> str:
    """« dont 2 indisponibles cette année »."""
    return f"dont {n} indisponible{'s' if n > 1 else ''} cette année"


def idle_members(sponsorship: Sponsorship) -> list[tuple[Member, str]]:
    """Valid ambassadors with no class, each with why (French): not available this year
    (« indisponible » or « Nombre de classes maximum » 0), or no class left for them."""
    load = sponsorship.figures["load"]
    assert isinstance(load, dict)
    out = []
    for member in sorted(sponsorship.members, key=lambda m: (m.ambassador.sector, m.name)):
        a = member.ambassador
        if load.get(a.id, 0):
            continue
        why = (AWAY if a.away
               else "disponible : aucune classe restante ne lui a été attribuée")
        out.append((member, why))
    return out


def sponsorships_tab(config: CampaignView, sponsorship: Sponsorship, banner: str) -> GeneratedTab:
    """« Parrainages »: every pairing with its reasons, the classes left unserved, then the
    ambassadors without a class (by name: this tab is for coordinators only)."""
    rows: list[tuple[OutCell, ...]] = []
    # a class has several ambassadors and an ambassador may have several classes: each
    # one's cells are built once
    classes: dict[str, tuple[OutCell, ...]] = {}
    people: dict[str, tuple[OutCell, ...]] = {}
    texts, reasons = SharedCells(), SharedCells("wrap")
    confirmed, proposed = OutCell("Oui", "ok"), OutCell("")
    for p in sponsorship.result.pairings:
        place = classes.get(p.class_id)
        if place is None:
            klass = sponsorship.classroom(p.class_id)
            place = classes[p.class_id] = (texts[p.class_id], texts[klass.school.name],
                                           texts[klass.label])
        person = people.get(p.ambassador_id)
        if person is None:
            member = sponsorship.member(p.ambassador_id)
            a = member.ambassador
            person = people[p.ambassador_id] = (
                texts[member.name], texts[p.ambassador_id], texts[GENDER_LABELS[a.gender]],
                texts[a.job], texts[a.sector])
        rows.append((*place, *person, reasons[" ".join(p.reasons)],
                     confirmed if p.confirmed else proposed))
    for u in sponsorship.result.unserved:
        klass = sponsorship.classroom(u.class_id)
        rows.append((OutCell(u.class_id), OutCell(klass.school.name), OutCell(klass.label),
                     OutCell(f"— il manque {u.missing} ambassadeur{'s' if u.missing > 1 else ''} —",
                             "error"),
                     OutCell(None), OutCell(None), OutCell(None), OutCell(None),
                     OutCell(u.reason, "wrap"), OutCell(None)))
    idle = idle_members(sponsorship)
    if idle:
        away = sum(1 for _, why in idle if why == AWAY)
        rows.append(())
        rows.append((OutCell(f"Ambassadeurs sans classe : {len(idle)}"
                             + (f", {_away_count(away)}" if away else ""), "title"),
                     *(OutCell(None),) * 2, OutCell("Ambassadeur", "header"),
                     OutCell("Identifiant", "header"), OutCell("Genre", "header"),
                     OutCell("Métier", "header"), OutCell("Secteur", "header"),
                     OutCell("Pourquoi sans classe", "header"),
                     OutCell("Capacité", "header")))
        blank = (OutCell(None),) * 3
        counts = SharedCells("integer")  # ints only (1 == True)
        for member, why in idle:
            a = member.ambassador
            most = a.capacity
            rows.append((*blank, OutCell(member.name), OutCell(a.id),
                         texts[GENDER_LABELS[a.gender]], texts[a.job], texts[a.sector],
                         reasons[why],
                         counts[most] if type(most) is int else OutCell(most, "integer")))
    notes = ("Pour garder un parrainage d'une synchronisation à l'autre, ou en écarter un, "
             f"ajoutez une ligne dans l'onglet « {config.tabs.adjustments} » : Classe, "
             "Ambassadeur (identifiant), Décision (Confirmer ou Exclure).",
             *sponsorship.result.notes)
    header = ("Classe", "Établissement", "Niveau", "Ambassadeur", "Identifiant", "Genre",
              "Métier", "Secteur", "Pourquoi", "Confirmé")
    return lay_out(
        config.tabs.sponsorships, banner,
        f"Parrainages proposés — {config.name} (réservé à la coordination)",
        [Table(header, tuple(rows), widths=(22, 30, 12, 26, 26, 14, 26, 22, 60, 10))],
        notes=notes,
    )


def _source_note(config: CampaignView) -> str:
    return ("Source des parts de femmes par famille de métiers : "
            f"{settings(config, NO_ADJUSTMENTS).women_share_source}")


def classes_tab(config: CampaignView, sponsorship: Sponsorship, banner: str) -> GeneratedTab:
    """« Classes » (partners): each class with its ambassadors, names only with consent.

    Names, genders and métiers are joined from one ordered list of the class's pairings, so
    the n-th gender is the n-th ambassador's.
    """
    by_class = _by_class(sponsorship.result)
    texts = SharedCells()
    rows = []
    for klass in sponsorship.classes:
        members = [sponsorship.member(p.ambassador_id) for p in by_class.get(klass.unit.id, [])]
        rows.append((
            texts[klass.school.name], texts[klass.label],
            OutCell(klass.school.values.get("theme")),
            OutCell(" ; ".join(sponsorship.public_names[m.ambassador.id] for m in members)
                    or "Aucun ambassadeur pour l'instant", None if members else "warning"),
            OutCell(" ; ".join(GENDER_LABELS[m.ambassador.gender] for m in members)),
            OutCell(" ; ".join(m.ambassador.job for m in members)),
        ))
    return lay_out(
        config.tabs.classes, banner,
        f"Classes Proch'Orientation et leurs ambassadeurs — {config.name}",
        [Table(("Établissement", "Classe", "Thème", "Ambassadeurs", "Genres", "Métiers"),
               tuple(rows), widths=(32, 12, 30, 60, 24, 40))],
        notes=("Un ambassadeur n'apparaît sous son nom qu'avec son accord ; sinon son métier "
               "et son secteur sont indiqués, numérotés (« n°2 ») quand plusieurs les partagent. "
               "Les genres et les métiers suivent l'ordre des ambassadeurs.",),
    )


def _count_rows(counter: Counter[str], styles: str = "integer") -> list[tuple[OutCell, ...]]:
    return [(OutCell(k), OutCell(n, styles)) for k, n in sorted(counter.items())]


def mobilisation_tab(config: CampaignView, sponsorship: Sponsorship, banner: str) -> GeneratedTab:
    """« Mobilisation des ambassadeurs » (partners): load, idle ambassadors counted (never
    listed by name beyond consent), by sector."""
    load = sponsorship.figures["load"]
    assert isinstance(load, dict)
    unassigned = sponsorship.figures["unassigned"]
    assert isinstance(unassigned, tuple)
    idle = set(unassigned)  # available, able to take a class, and without one
    rows = []
    texts, counts = SharedCells(), SharedCells("integer")  # counts: ints only (1 == True)
    idle_flag, away_flag, no_flag = (OutCell("Oui", "warning"), OutCell(AWAY.capitalize()),
                                     OutCell(""))
    names = sponsorship.public_names
    for member in sorted(sponsorship.members, key=lambda m: (m.ambassador.sector, m.name)):
        a = member.ambassador
        classes = load.get(a.id, 0)
        flag = idle_flag if a.id in idle else (
            away_flag if a.away and not classes else no_flag)
        most = a.capacity
        rows.append((OutCell(names[a.id]), texts[a.job], texts[a.sector],
                     texts[GENDER_LABELS[a.gender]], counts[classes],
                     counts[most] if type(most) is int else OutCell(most, "integer"), flag))
    sectors = Counter(m.ambassador.sector for m in sponsorship.members)
    people = Table(("Ambassadeur", "Métier", "Secteur", "Genre", "Classes parrainées",
                    "Classes au plus", "Sans classe"), tuple(rows),
                   widths=(46, 30, 26, 14, 12, 12, 26))
    by_sector = Table(("Secteur", "Ambassadeurs"), tuple(_count_rows(sectors)), widths=(30, 14))
    plots = [Plot("bar", "Ambassadeurs par secteur (personnes)", by_sector, (1,))
             ] if len(sectors) > 1 else []  # a chart of one bar says nothing
    total = len(sponsorship.members)
    away = sum(1 for m in sponsorship.members if m.ambassador.away)
    return lay_out(
        config.tabs.mobilisation, banner,
        (f"Mobilisation des ambassadeurs — {config.name} — Ambassadeurs sans classe : "
         f"{len(idle)} sur {total}"),
        [Side((people, by_sector))], plots,
        notes=(f"Ambassadeurs sans classe : {len(idle)} sur {total} (disponibles, sans aucune "
               "classe attribuée). Seuls les ambassadeurs valides de la liste sont comptés.",
               *((f"Ambassadeurs : {total}, {_away_count(away)} (« Nombre de classes maximum » "
                  "à 0 ou « indisponible ») : ils ne sont ni appariés ni comptés parmi les "
                  "ambassadeurs sans classe.",) if away else ())),
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


EQUALITY_HEADER = ("", "Femmes (personnes)", "Hommes (personnes)",
                   "Non renseigné (personnes)", "Part de femmes (personnes)",
                   "Parrainages (total)", "Parrainages par des femmes",
                   "Parrainages par des hommes", "Part contre-stéréotype (parrainages)")


def equality_rows(sponsorship: Sponsorship, title: str,
                  key: Callable[[Pairing], str]) -> list[tuple[OutCell, ...]]:
    """One block of « Égalité filles-garçons »: per group, distinct people by gender, then
    sponsorships by the ambassador's gender."""
    groups: dict[str, list[Pairing]] = {}
    for p in sponsorship.result.pairings:
        groups.setdefault(key(p), []).append(p)
    out: list[tuple[OutCell, ...]] = [(OutCell(title, "title"),)]
    for name, group in sorted(groups.items()):
        people = [sponsorship.member(i).ambassador.gender
                  for i in sorted({p.ambassador_id for p in group})]
        genders = [sponsorship.member(p.ambassador_id).ambassador.gender for p in group]
        women = people.count("F")
        out.append((OutCell(name), OutCell(women, "integer"),
                    OutCell(people.count("H"), "integer"), OutCell(people.count(None), "integer"),
                    OutCell(_share(women, len(people)), "percent"),
                    OutCell(len(group), "integer"), OutCell(genders.count("F"), "integer"),
                    OutCell(genders.count("H"), "integer"),
                    OutCell(_share(sum(p.counter_stereotype for p in group), len(group)),
                            "percent")))
    return out


def equality_tab(config: CampaignView, sponsorship: Sponsorship, banner: str) -> GeneratedTab:
    """« Égalité filles-garçons » (partners): mobilised ambassadors (people) and sponsorships
    by gender, by sector and by school."""
    pairings = sponsorship.result.pairings

    def sector(p: Pairing) -> str:
        return sponsorship.member(p.ambassador_id).ambassador.sector

    def school(p: Pairing) -> str:
        return sponsorship.classroom(p.class_id).school.name or "(sans nom)"

    rows = [*equality_rows(sponsorship, "Par secteur", sector), (),
            *equality_rows(sponsorship, "Par établissement", school)]
    people = {p.ambassador_id for p in pairings}
    women = sum(sponsorship.member(i).ambassador.gender == "F" for i in people)
    by_women = sum(sponsorship.member(p.ambassador_id).ambassador.gender == "F"
                   for p in pairings)
    sectors = len({sector(p) for p in pairings})
    table = Table(EQUALITY_HEADER, tuple(rows), widths=(34, 13, 13, 15, 15, 13, 17, 17, 21))
    # one header row (repeated on each printed page); the chart reads the sector rows,
    # below the « Par secteur » title row
    plots = [Plot("column", "Ambassadeurs mobilisés par secteur et par genre (personnes)",
                  table, (1, 2), first=1, count=sectors)] if sectors else []
    return lay_out(
        config.tabs.equality, banner, f"Égalité filles-garçons — {config.name}", [table], plots,
        notes=(f"Personnes : {len(people)} ambassadeurs mobilisés, dont {women} femmes ; "
               f"parrainages (une classe et un ambassadeur) : {len(pairings)}, dont {by_women} "
               "par des femmes. Une personne qui parraine plusieurs classes compte une fois "
               "dans « personnes » et une fois par classe dans « parrainages ».",
               "Contre-stéréotype : une femme dans un métier où les femmes sont peu "
               "nombreuses, ou un homme dans un métier où les hommes le sont.",
               _source_note(config)),
    )
