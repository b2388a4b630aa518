"""Generated tabs about sponsorships: « Parrainages » (coordinators), and for partners
« Classes », « Mobilisation des ambassadeurs », « Égalité filles-garçons ».

Partner tabs never hold an e-mail or a telephone number, and show an ambassador's name only
with their consent (else their job and sector).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..ambassadors.matching import MatchResult, Pairing
from ..ambassadors.sponsoring import Adjustments, Sponsorship, settings
from ..cells.grid import Chart, GeneratedTab, OutCell, Series
from ..config import CampaignView

NO_ADJUSTMENTS = Adjustments(frozenset(), frozenset())

GENDER_LABELS = {"F": "Femme", "H": "Homme", None: "Non renseigné"}


def _by_class(result: MatchResult) -> dict[str, list[Pairing]]:
    out: dict[str, list[Pairing]] = {}
    for p in result.pairings:
        out.setdefault(p.class_id, []).append(p)
    return out


def sponsorships_tab(config: CampaignView, sponsorship: Sponsorship, banner: str) -> GeneratedTab:
    """« Parrainages »: every pairing with its reasons, then the classes left unserved."""
    rows: list[tuple[OutCell, ...]] = []
    for p in sponsorship.result.pairings:
        klass, member = sponsorship.classroom(p.class_id), sponsorship.member(p.ambassador_id)
        rows.append((
            OutCell(p.class_id), OutCell(klass.school.name), OutCell(klass.label),
            OutCell(member.name), OutCell(p.ambassador_id),
            OutCell(GENDER_LABELS[member.ambassador.gender]), OutCell(member.ambassador.job),
            OutCell(member.ambassador.sector), OutCell(" ; ".join(p.reasons), "wrap"),
            OutCell("Oui" if p.confirmed else "", "ok" if p.confirmed else None),
        ))
    for u in sponsorship.result.unserved:
        klass = sponsorship.classroom(u.class_id)
        rows.append((OutCell(u.class_id), OutCell(klass.school.name), OutCell(klass.label),
                     OutCell(f"— {u.missing} ambassadeur(s) manquant(s) —", "error"),
                     OutCell(None), OutCell(None), OutCell(None), OutCell(None),
                     OutCell(u.reason, "wrap"), OutCell(None)))
    notes = ("Pour garder un parrainage d'une synchronisation à l'autre, ou en écarter un, "
             f"ajoutez une ligne dans l'onglet « {config.tabs.adjustments} » : Classe, "
             "Ambassadeur (identifiant), Décision (Confirmer ou Exclure).",
             *sponsorship.result.notes)
    return GeneratedTab(
        name=config.tabs.sponsorships, banner=banner,
        title=f"Parrainages proposés — {config.name} (réservé à la coordination)",
        header=("Classe", "Établissement", "Niveau", "Ambassadeur", "Identifiant", "Genre",
                "Métier", "Secteur", "Pourquoi", "Confirmé"),
        rows=tuple(rows), widths=(22, 30, 12, 26, 26, 14, 26, 22, 60, 10), notes=notes,
    )


def classes_tab(config: CampaignView, sponsorship: Sponsorship, banner: str) -> GeneratedTab:
    """« Classes » (partners): each class with its ambassadors, names only with consent."""
    by_class = _by_class(sponsorship.result)
    rows = []
    for klass in sponsorship.classes:
        pairings = by_class.get(klass.unit.id, [])
        names = [sponsorship.member(p.ambassador_id).public_name() for p in pairings]
        rows.append((
            OutCell(klass.school.name), OutCell(klass.label),
            OutCell(klass.school.values.get("theme")),
            OutCell(" ; ".join(names) or "Aucun ambassadeur pour l'instant",
                    None if names else "warning"),
            OutCell(" ; ".join(sorted({GENDER_LABELS[p.gender] for p in pairings}))),
        ))
    return GeneratedTab(
        name=config.tabs.classes, banner=banner,
        title=f"Classes Proch'Orientation et leurs ambassadeurs — {config.name}",
        header=("Établissement", "Classe", "Thème", "Ambassadeurs", "Genres"),
        rows=tuple(rows), widths=(32, 12, 30, 60, 20),
        notes=("Un ambassadeur n'apparaît sous son nom qu'avec son accord ; sinon son métier "
               "et son secteur sont indiqués.",),
    )


def _count_rows(counter: Counter[str], styles: str = "integer") -> list[tuple[OutCell, ...]]:
    return [(OutCell(k), OutCell(n, styles)) for k, n in sorted(counter.items())]


def mobilisation_tab(config: CampaignView, sponsorship: Sponsorship, banner: str) -> GeneratedTab:
    """« Mobilisation des ambassadeurs » (partners): load, unassigned, by sector."""
    load = sponsorship.figures["load"]
    assert isinstance(load, dict)
    rows = []
    for member in sorted(sponsorship.members, key=lambda m: (m.ambassador.sector, m.name)):
        a = member.ambassador
        rows.append((OutCell(member.public_name()), OutCell(a.job), OutCell(a.sector),
                     OutCell(GENDER_LABELS[a.gender]), OutCell(load.get(a.id, 0), "integer"),
                     OutCell(a.capacity, "integer"),
                     OutCell("Oui" if load.get(a.id, 0) == 0 and a.available else "")))
    first = GeneratedTab.FIRST_DATA_ROW
    sectors = Counter(m.ambassador.sector for m in sponsorship.members)
    sector_rows = _count_rows(sectors)
    # the per-sector block sits to the right (columns I:J) for the chart
    laid = [(*row, OutCell(None), *(sector_rows[i] if i < len(sector_rows) else ()))
            for i, row in enumerate(rows)]
    laid += [(*(OutCell(None),) * 8, *r) for r in sector_rows[len(rows):]]
    charts = (Chart("bar", "Ambassadeurs par secteur", first, first + len(sectors) - 1, 9,
                    (Series("Ambassadeurs", 10),), "L4"),) if sectors else ()
    return GeneratedTab(
        name=config.tabs.mobilisation, banner=banner,
        title=f"Mobilisation des ambassadeurs — {config.name}",
        header=("Ambassadeur", "Métier", "Secteur", "Genre", "Classes parrainées",
                "Classes au plus", "Sans classe", "", "Secteur", "Ambassadeurs"),
        rows=tuple(laid), widths=(30, 26, 22, 14, 12, 12, 10, 2, 22, 12), charts=charts,
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def equality_tab(config: CampaignView, sponsorship: Sponsorship, banner: str) -> GeneratedTab:
    """« Égalité filles-garçons » (partners): gender of ambassadors by sector and by school."""
    pairings = sponsorship.result.pairings
    members = {m.ambassador.id: m for m in sponsorship.members}

    def block(title: str, key: Callable[[Pairing], str]) -> list[tuple[OutCell, ...]]:
        groups: dict[str, list[Pairing]] = {}
        for p in pairings:
            groups.setdefault(key(p), []).append(p)
        out: list[tuple[OutCell, ...]] = [(OutCell(title, "title"), OutCell("Femmes", "title"),
                                           OutCell("Hommes", "title"))]
        for name, group in sorted(groups.items()):
            women = sum(p.gender == "F" for p in group)
            men = sum(p.gender == "H" for p in group)
            counter = sum(p.counter_stereotype for p in group)
            out.append((OutCell(name), OutCell(women, "integer"), OutCell(men, "integer"),
                        OutCell(_share(women, len(group)), "percent"),
                        OutCell(_share(counter, len(group)), "percent")))
        return out

    def school(p: Pairing) -> str:
        return sponsorship.classroom(p.class_id).school.name or "(sans nom)"

    rows = [*block("Par secteur", lambda p: members[p.ambassador_id].ambassador.sector),
            (), *block("Par établissement", school)]
    women = sum(p.gender == "F" for p in pairings)
    first = GeneratedTab.FIRST_DATA_ROW + 1
    sectors = len({members[p.ambassador_id].ambassador.sector for p in pairings})
    charts = (Chart("column", "Ambassadeurs mobilisés par secteur et par genre", first,
                    first + sectors - 1, 1, (Series("Femmes", 2), Series("Hommes", 3)), "G4"),
              ) if sectors else ()
    return GeneratedTab(
        name=config.tabs.equality, banner=banner,
        title=f"Égalité filles-garçons — {config.name}",
        header=("", "Femmes", "Hommes", "Part de femmes", "Part contre-stéréotype"),
        rows=tuple(rows), widths=(34, 10, 10, 14, 20), charts=charts,
        notes=(f"Parrainages : {len(pairings)}, dont {women} par des femmes. Contre-stéréotype "
               ": une femme dans un métier où les femmes sont peu nombreuses, ou un homme dans "
               "un métier où les hommes le sont. Source des parts : "
               f"{settings(config, NO_ADJUSTMENTS).women_share_source}",),
    )
