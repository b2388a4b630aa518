"""The columns of the analysis tables: names, kinds, who may see them. Pure: no pandas here.

One declaration serves the DataFrames (frames.py), the exports (export.py, backends/tables.py)
and their reading back (`read_export`), and docs/analyse.md documents it table by table.

    kind       pandas dtype        CSV (Excel fr)               xlsx cell
    text       string              text (« '= » kept as text)   text, never a formula
    int        Int64               digits                       number
    bool       boolean             Oui / Non                    Oui / Non
    date       datetime64[ns]      2021-07-16                   date jj/mm/aaaa
    category   category (closed)   text                         text

`personal`: contact data or a person's name, only with `contacts=True` (never exported with
`--partenaires`). `partner`: shown by the partner tabs, so kept by `--partenaires`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..form.check import COMPLETE, DUPLICATE, INCOMPLETE, NOT_TAKING_PART
from ..form.messages import ERROR, MESSAGES, WARNING
from ..form.model import ANSWER_FIELDS, Kind

TEXT, INT, BOOL, DATE, CATEGORY = "text", "int", "bool", "date", "category"

STATUSES = (COMPLETE, INCOMPLETE, NOT_TAKING_PART, DUPLICATE)
SEVERITIES = (ERROR, WARNING)
LEVELS = ("4e", "3e")
GENDERS = ("F", "H")
PUBLISHED, PROPOSED = "publie", "propose"
PAIRING_STATES = (PUBLISHED, PROPOSED)


def codes() -> tuple[str, ...]:
    """Every issue code of the message catalogue, sorted (the categories of `code`)."""
    return tuple(sorted(MESSAGES))


@dataclass(frozen=True)
class Column:
    """One column of a table."""

    name: str
    kind: str
    personal: bool = False
    partner: bool = False
    categories: tuple[str, ...] = ()


def _c(name: str, kind: str = TEXT, *, personal: bool = False, partner: bool = False,
       categories: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, personal, partner, categories)


_KINDS = {Kind.COUNT: INT, Kind.YES_NO: BOOL, Kind.DATE: DATE}
# Answer fields that hold a person's name or contact data.
PERSONAL_FIELDS = frozenset({"referent", "referent_prenom", "referent_nom", "courriel",
                             "telephone"})
# Answer fields the partner tabs show (« Synthèse », « Classes »).
PARTNER_FIELDS = frozenset({"etablissement", "participation", "classes_4e", "classes_3e",
                            "orientation", "theme"})
# The referent's parts, after « referent » (the first two are names; the function is not).
_REFERENT_PARTS = ("referent_prenom", "referent_nom", "referent_fonction")


def answer_columns(sessions: tuple[str, ...]) -> tuple[Column, ...]:
    """« reponses »: one row per kept answer; `sessions` are the campaign's, then hors-delai."""
    values = []
    for f in ANSWER_FIELDS:
        values.append(_c(f.key, _KINDS.get(f.kind, TEXT), personal=f.key in PERSONAL_FIELDS,
                         partner=f.key in PARTNER_FIELDS))
        if f.key == "referent":
            values += [_c(k, personal=k in PERSONAL_FIELDS) for k in _REFERENT_PARTS]
    cells = [_c(f"cellule_{f.key}", personal=f.key in PERSONAL_FIELDS) for f in ANSWER_FIELDS]
    return (
        _c("cle", partner=True),
        *values,
        _c("statut", CATEGORY, partner=True, categories=STATUSES),
        _c("session", CATEGORY, partner=True, categories=sessions),
        _c("etablissement_reference", partner=True),
        _c("erreurs", INT),
        _c("avertissements", INT),
        _c("onglet"),
        _c("fichier"),
        _c("ligne", INT),
        *cells,
    )


FINDING_COLUMNS: tuple[Column, ...] = (
    _c("code", CATEGORY, categories=codes()),
    _c("gravite", CATEGORY, categories=SEVERITIES),
    _c("onglet"),
    _c("cellule"),
    _c("ligne", INT),
    _c("champ"),
    _c("valeur"),
    _c("message"),
    _c("cle"),
)

CLASS_COLUMNS: tuple[Column, ...] = (
    _c("classe", partner=True),
    _c("cle", partner=True),
    _c("etablissement", partner=True),
    _c("niveau", CATEGORY, partner=True, categories=LEVELS),
    _c("numero", INT, partner=True),
    _c("libelle", partner=True),
    _c("theme", partner=True),
    _c("session", CATEGORY, partner=True),  # categories: the campaign's sessions
    _c("ambassadeurs", INT, partner=True),
    _c("manquants", INT, partner=True),
)

AMBASSADOR_COLUMNS: tuple[Column, ...] = (
    _c("ambassadeur"),
    _c("identifiant", personal=True),
    _c("prenom", personal=True),
    _c("nom", personal=True),
    _c("courriel", personal=True),
    _c("telephone", personal=True),
    _c("entreprise", personal=True),
    _c("commune", personal=True),
    _c("nom_public", partner=True),
    _c("genre", CATEGORY, partner=True, categories=GENDERS),
    _c("metier", partner=True),
    _c("secteur", partner=True),
    _c("code_rome"),
    _c("capacite", INT, partner=True),
    _c("disponible", BOOL, partner=True),
    _c("local", BOOL),
    _c("consentement", BOOL),
    _c("classes_parrainees", INT, partner=True),
    _c("ligne", INT),
)

PAIRING_COLUMNS: tuple[Column, ...] = (
    _c("classe", partner=True),
    _c("cle", partner=True),
    _c("etablissement", partner=True),
    _c("niveau", CATEGORY, partner=True, categories=LEVELS),
    _c("ambassadeur"),
    _c("identifiant", personal=True),
    _c("nom", personal=True),
    _c("nom_public", partner=True),
    _c("genre", CATEGORY, partner=True, categories=GENDERS),
    _c("metier", partner=True),
    _c("secteur", partner=True),
    _c("confirme", BOOL),
    _c("etat", CATEGORY, partner=True, categories=PAIRING_STATES),
    _c("depuis", DATE),
    _c("raisons"),
)

# Table names: the attribute of `CampaignFrames`, and the file / tab name of the exports.
TABLES: tuple[tuple[str, str], ...] = (
    ("answers", "reponses"),
    ("findings", "constats"),
    ("classes", "classes"),
    ("ambassadors", "ambassadeurs"),
    ("pairings", "parrainages"),
)
PARTNER_TABLES = ("reponses", "classes", "ambassadeurs", "parrainages")


def columns_of(table: str, sessions: tuple[str, ...]) -> tuple[Column, ...]:
    """Every column of a table (by export name), with the campaign's sessions filled in."""
    found = {
        "reponses": answer_columns(sessions),
        "constats": FINDING_COLUMNS,
        "classes": tuple(Column(c.name, c.kind, c.personal, c.partner,
                                sessions if c.name == "session" else c.categories)
                         for c in CLASS_COLUMNS),
        "ambassadeurs": AMBASSADOR_COLUMNS,
        "parrainages": PAIRING_COLUMNS,
    }
    return found[table]


def visible(columns: tuple[Column, ...], *, contacts: bool,
            partners: bool = False) -> tuple[Column, ...]:
    """The columns one may see: partners only theirs; without contacts, no personal one."""
    if partners:
        return tuple(c for c in columns if c.partner and not c.personal)
    return columns if contacts else tuple(c for c in columns if not c.personal)
