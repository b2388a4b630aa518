"""Women's share of employment per ROME domain, with where each figure comes from.

Used to call a pairing « contre-stéréotype » (a woman in a job family with few women, a man in
one with few men). Each ROME domain letter (or finer prefix, « M18 ») is computed from published
counts: women and total employment of the families named in `SHARES[...].families`, summed,
then divided. Two publications are used, both French national figures:

- DARES, d'après Insee, enquête Emploi, données 2011, per family of jobs (FAP), as tabulated by
  the Observatoire des inégalités (numbers in thousands: total, women);
- Insee, enquêtes Emploi 2006, share of women per sector of activity, as tabulated in a Sénat
  report (numbers in thousands: women, total).

Domains for which no published figure was found keep an order of magnitude, `sourced=False`,
and say so in `note`: they are the documented fallback, not a statistic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

DARES_2011: Final = (
    "DARES d'après Insee, enquête Emploi, données 2011 (familles professionnelles), "
    "tableau « Les métiers les plus féminisés » de l'Observatoire des inégalités, "
    "« Une répartition déséquilibrée des professions entre les hommes et les femmes » "
    "(11 décembre 2014) ; étude d'origine : Dares Analyses n° 079, décembre 2013, "
    "« La répartition des hommes et des femmes par métiers »"
)
DARES_2011_URL: Final = (
    "https://www.inegalites.fr/Une-repartition-desequilibree-des-professions-entre-les-hommes-"
    "et-les-femmes"
)
INSEE_2006: Final = (
    "Insee, enquêtes Emploi 2006, « Actifs occupés selon le secteur d'activité en 2006 », "
    "tableau reproduit dans le rapport d'information du Sénat n° 404 (2007-2008)"
)
INSEE_2006_URL: Final = "https://senat.fr/rap/r07-404/r07-40424.html"


@dataclass(frozen=True)
class Family:
    """One published line: a family of jobs (or a sector) with its counts, in thousands."""

    label: str
    women: int
    total: int
    source: str  # DARES_2011 or INSEE_2006


@dataclass(frozen=True)
class DomainShare:
    """A ROME domain's share of women, and the families it was computed from."""

    domain: str  # French label of the ROME domain
    share: float
    year: int | None
    families: tuple[Family, ...] = ()
    sourced: bool = True
    note: str = ""


def _from(domain: str, year: int, *families: Family, note: str = "") -> DomainShare:
    women = sum(f.women for f in families)
    total = sum(f.total for f in families)
    return DomainShare(domain, round(women / total, 3), year, families, True, note)


def _fallback(domain: str, share: float) -> DomainShare:
    return DomainShare(domain, share, None, (), False,
                       "Aucun chiffre publié trouvé pour ce domaine : ordre de grandeur non "
                       "sourcé, à remplacer dans config.toml si la campagne en dispose.")


_D, _I = DARES_2011, INSEE_2006

SHARES: Final[Mapping[str, DomainShare]] = MappingProxyType({
    "A": _from("Agriculture, pêche, espaces naturels", 2006,
               Family("Agriculture, sylviculture et pêche (secteur)", 259, 929, _I),
               note="Secteur d'activité, pas famille de métiers."),
    "B": _fallback("Arts et façonnage d'ouvrages d'art", 0.50),
    "C": _from("Banque, assurance, immobilier", 2006,
               Family("Activités financières (secteur)", 464, 794, _I),
               Family("Activités immobilières (secteur)", 192, 357, _I),
               note="Secteurs d'activité, pas familles de métiers."),
    "D": _from("Commerce, vente et grande distribution", 2011,
               Family("Vendeurs", 610, 829, _D),
               note="Seule la famille des vendeurs est publiée dans la source."),
    "E": _fallback("Communication, média et multimédia", 0.50),
    "F": _from("Construction, bâtiment et travaux publics", 2006,
               Family("Construction (secteur)", 157, 1632, _I),
               note="Secteur d'activité ; la même source DARES donne 2 % de femmes parmi "
                    "les ouvriers du bâtiment."),
    "G": _fallback("Hôtellerie-restauration, tourisme, loisirs et animation", 0.55),
    "H": _from("Industrie", 2006,
               Family("Industries agricoles (secteur)", 231, 611, _I),
               Family("Industries des biens de consommation (secteur)", 310, 668, _I),
               Family("Industrie automobile (secteur)", 53, 303, _I),
               Family("Industries des biens d'équipement (secteur)", 163, 839, _I),
               Family("Industries des biens intermédiaires (secteur)", 328, 1347, _I),
               Family("Énergie (secteur)", 54, 271, _I),
               note="Secteurs industriels additionnés, pas familles de métiers."),
    "I": _fallback("Installation et maintenance", 0.05),
    "J": _from("Santé", 2011,
               Family("Aides-soignants", 521, 575, _D),
               Family("Infirmiers, sages-femmes", 476, 543, _D),
               note="Les médecins ne figurent pas dans la source."),
    "K": _from("Services à la personne et à la collectivité", 2011,
               Family("Aides à domicile et aides ménagers et assistants maternels", 969, 992,
                      _D),
               Family("Agents d'entretien", 870, 1234, _D),
               Family("Employés de maison", 230, 243, _D),
               Family("Enseignants", 685, 1042, _D),
               Family("Employés administratifs de la fonction publique", 592, 806, _D)),
    "L": _fallback("Spectacle", 0.40),
    "M": _from("Support à l'entreprise", 2011,
               Family("Secrétaires", 424, 434, _D),
               Family("Employés administratifs d'entreprise", 303, 394, _D),
               Family("Employés de comptabilité", 283, 334, _D),
               note="Familles d'employés seulement : les cadres du domaine n'y sont pas."),
    "M18": _fallback("Systèmes d'information et de télécommunication", 0.20),
    "N": _from("Transport et logistique", 2006,
               Family("Transports (secteur)", 243, 1045, _I),
               note="Secteur d'activité, pas famille de métiers."),
})

WOMEN_SHARE: Final[Mapping[str, float]] = MappingProxyType(
    {code: d.share for code, d in SHARES.items()})

UNSOURCED: Final = tuple(code for code, d in SHARES.items() if not d.sourced)

WOMEN_SHARE_SOURCE: Final = (
    f"{DARES_2011} ({DARES_2011_URL}) ; {INSEE_2006} ({INSEE_2006_URL}). Domaines ROME "
    f"sans chiffre publié trouvé, ordres de grandeur non sourcés : {', '.join(UNSOURCED)}."
)
