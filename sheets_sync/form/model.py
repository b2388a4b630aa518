"""The registration form (annex n°1) and the ambassador roster, described once.

Templates, readers, checks and dashboards all derive from these tuples: a label is written
here and nowhere else. Labels are the seed's wording, verbatim, so that a principal
recognises the paper form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

GUIDE_TAB = "Mode d'emploi"  # the templates' how-to tab (form/guide.py): never answers


class Kind(Enum):
    """What a field holds."""

    TEXT = "text"
    LINE = "line"  # text on one line (the project title)
    YES_NO = "oui-non"
    COUNT = "nombre"  # whole number >= 0
    DATE = "date"
    EMAIL = "courriel"
    PHONE = "telephone"


class Need(Enum):
    """When a field must be filled."""

    ALWAYS = "toujours"
    IF_YES = "si-oui"  # only when the school answers « Oui »
    OPTIONAL = "facultatif"


@dataclass(frozen=True)
class Field:
    """One question of the form (or one column of the roster)."""

    key: str
    label: str
    kind: Kind
    need: Need
    help: str = ""
    suggestions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=())
    width: int = 24


YES = "Oui"
NO = "Non"

ORIENTATIONS = (
    "lutte contre les déterminismes et les stéréotypes",
    "informations sur les secteurs porteurs",
    "mise en avant de figures emblématiques de la Ville",
)
CONTENTS = (
    "ateliers",
    "rencontres",
    "visites d'entreprises",
    "immersions",
    "web tv animée par les jeunes",
    "témoignages",
)
DISCIPLINES = (
    "Français",
    "Mathématiques",
    "Histoire-géographie",
    "Enseignement moral et civique",
    "Sciences de la vie et de la Terre",
    "Physique-chimie",
    "Technologie",
    "Langues vivantes",
    "Arts plastiques",
    "Éducation musicale",
    "Éducation physique et sportive",
)

PARTICIPATION_LABEL = (
    "Je souhaite que mon établissement prenne part à l'expérimentation "
    "« classes Proch'Orientation » proposée par la Région et la Cité éducative de Roubaix"
)

FORM_FIELDS: tuple[Field, ...] = (
    Field("etablissement", "Nom de l'établissement participant", Kind.TEXT, Need.ALWAYS,
          help="Nom complet du collège.", width=34),
    Field("adresse", "Adresse de l'établissement", Kind.TEXT, Need.ALWAYS,
          help="Numéro, rue, code postal et commune.", width=34),
    Field("referent", "Prénom, NOM, fonction du référent de l'action", Kind.TEXT, Need.ALWAYS,
          help="Par exemple : Prénom NOM, principal adjoint.", width=34),
    Field("participation", PARTICIPATION_LABEL, Kind.YES_NO, Need.ALWAYS,
          help="Choisir Oui ou Non dans la liste.", suggestions=(YES, NO), width=22),
    Field("classes_4e", "classes de 4ème", Kind.COUNT, Need.IF_YES,
          help="Nombre de classes de 4ème volontaires (nombre entier, 0 si aucune).",
          aliases=("Nombre de classes de 4ème",), width=14),
    Field("classes_3e", "classes de 3ème", Kind.COUNT, Need.IF_YES,
          help="Nombre de classes de 3ème volontaires (nombre entier, 0 si aucune).",
          aliases=("Nombre de classes de 3ème",), width=14),
    Field("titre", "Titre/intitulé du projet (maximum 1 ligne)", Kind.LINE, Need.IF_YES,
          help="Une seule ligne, sans retour à la ligne.", width=34),
    Field("orientation", "Quelle orientation souhaiteriez-vous donner à votre projet ?",
          Kind.TEXT, Need.IF_YES,
          help="Exemples : lutte contre les déterminismes et les stéréotypes / informations sur "
               "les secteurs porteurs / mise en avant de figures emblématiques de la Ville / etc.",
          suggestions=ORIENTATIONS, width=34),
    Field("objectifs", "Vos objectifs", Kind.TEXT, Need.IF_YES, width=34),
    Field("discipline", "Quelle discipline souhaiteriez-vous mettre à l'honneur ?",
          Kind.TEXT, Need.IF_YES, help="Une discipline de la liste, ou une autre.",
          suggestions=DISCIPLINES, width=26),
    Field("theme",
          "Quel thème principal choisiriez-vous pour votre ou vos « classes Proch'orientation » ?",
          Kind.TEXT, Need.IF_YES, width=30),
    Field("contenu",
          "Quel contenu souhaiteriez-vous donner à vos « classes Proch'orientation » ?",
          Kind.TEXT, Need.IF_YES,
          help="Exemples : ateliers, rencontres, visites d'entreprises, immersions, web tv animée "
               "par les jeunes, témoignages, etc.",
          suggestions=CONTENTS, width=34),
)

# Columns the paper form does not ask for, but a coordinator needs (never required).
EXTRA_FIELDS: tuple[Field, ...] = (
    Field("courriel", "Courriel du référent", Kind.EMAIL, Need.OPTIONAL,
          help="Pour les relances.", aliases=("Courriel", "E-mail", "Email", "Mail"), width=28),
    Field("telephone", "Téléphone du référent", Kind.PHONE, Need.OPTIONAL,
          aliases=("Téléphone", "Tél."), width=16),
    Field("date_depot", "Date de dépôt", Kind.DATE, Need.OPTIONAL,
          help="Date d'envoi de la réponse (jj/mm/aaaa).", width=14),
)

# The referent may be typed in three cells instead of one.
REFERENT_PARTS: tuple[Field, ...] = (
    Field("referent_prenom", "Prénom du référent", Kind.TEXT, Need.OPTIONAL,
          aliases=("Prénom",), width=16),
    Field("referent_nom", "NOM du référent", Kind.TEXT, Need.OPTIONAL, aliases=("NOM",), width=16),
    Field("referent_fonction", "Fonction du référent", Kind.TEXT, Need.OPTIONAL,
          aliases=("Fonction",), width=22),
)

ANSWER_FIELDS: tuple[Field, ...] = FORM_FIELDS + EXTRA_FIELDS

# A few words naming each question in live feedback (« À compléter : titre, objectifs »).
SHORT_NAMES: dict[str, str] = {
    "etablissement": "nom", "adresse": "adresse", "referent": "référent",
    "participation": "Oui/Non", "classes_4e": "classes de 4ème", "classes_3e": "classes de 3ème",
    "titre": "titre", "orientation": "orientation", "objectifs": "objectifs",
    "discipline": "discipline", "theme": "thème", "contenu": "contenu",
}

ROSTER_FIELDS: tuple[Field, ...] = (
    Field("prenom", "Prénom", Kind.TEXT, Need.ALWAYS, width=16),
    Field("nom", "NOM", Kind.TEXT, Need.ALWAYS, width=16),
    Field("genre", "Genre", Kind.TEXT, Need.OPTIONAL, help="F, H ou non renseigné.",
          suggestions=("F", "H", "non renseigné"), width=12),
    Field("metier", "Métier", Kind.TEXT, Need.ALWAYS, width=24),
    Field("code_rome", "Code ROME", Kind.TEXT, Need.OPTIONAL,
          help="Une lettre et quatre chiffres, par exemple M1805.", width=12),
    Field("secteur", "Secteur", Kind.TEXT, Need.ALWAYS, width=22),
    Field("entreprise", "Entreprise ou structure", Kind.TEXT, Need.OPTIONAL, width=24),
    Field("commune", "Commune", Kind.TEXT, Need.OPTIONAL, width=16),
    Field("disponibilites", "Disponibilités", Kind.TEXT, Need.OPTIONAL, width=22),
    Field("capacite", "Nombre de classes maximum", Kind.COUNT, Need.OPTIONAL,
          help="Nombre de classes que l'ambassadeur peut parrainer (1 par défaut).", width=14),
    Field("interets", "Thèmes ou disciplines d'intérêt", Kind.TEXT, Need.OPTIONAL, width=28),
    Field("courriel", "Courriel", Kind.EMAIL, Need.OPTIONAL, width=28),
    Field("telephone", "Téléphone", Kind.PHONE, Need.OPTIONAL, width=16),
    Field("consentement", "Accepte d'apparaître nommément sur les tableaux des partenaires",
          Kind.YES_NO, Need.OPTIONAL, help="Oui ou Non (Non par défaut).",
          suggestions=(YES, NO), width=22),
)


# Rules the Field record does not carry: a closed list (no free answer), a count's minimum.
CLOSED_LISTS: frozenset[str] = frozenset({"genre"})
COUNT_MINIMUM: dict[str, int] = {"capacite": 1}  # an ambassador with no class is no ambassador


def by_key(fields: tuple[Field, ...]) -> dict[str, Field]:
    """Index fields by key."""
    return {f.key: f for f in fields}


FIELD = by_key(ANSWER_FIELDS + REFERENT_PARTS)
