"""The checked campaign as pandas DataFrames: pure, from what `check_source` computed.

    Campaign (answers, issues) ─┐
    Sponsorship (classes,       ├─► rows of plain values ─► typed DataFrames (schema.py)
      roster, pairings)        ─┘         masked without contacts (form/contacts.mask)
                                          `cle`, `classe`, `ambassadeur` as keys.py shows them

The only module of the package, with the exports, that imports pandas (`sheets-sync check`,
`sync` and `template` never load it: tests/test_startup.py).

Pairings are those « Parrainages » shows: the ones the state tab remembers as published by
the last sync when it holds some (`etat` « publie »), else those the next sync would propose
(`etat` « propose », what `sheets-sync match` prints).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd  # type: ignore[import-untyped,unused-ignore]

from ..ambassadors.sponsoring import Sponsorship
from ..config import CampaignView
from ..form.check import School
from ..form.consolidate import Campaign
from ..form.contacts import MASK, mask
from ..form.findings import Issue
from ..form.model import ANSWER_FIELDS
from ..form.sessions import LATE
from . import keys, schema
from .schema import BOOL, CATEGORY, DATE, INT, PROPOSED, PUBLISHED, TABLES, Column

Row = dict[str, Any]


def dtype_of(column: Column) -> Any:
    """The pandas dtype of a column kind (schema.py)."""
    if column.kind == CATEGORY:
        return pd.CategoricalDtype(list(column.categories))
    return {INT: "Int64", BOOL: "boolean", DATE: "datetime64[ns]"}.get(column.kind,
                                                                         pd.StringDtype())


def typed(rows: Sequence[Row], columns: Sequence[Column], *, contacts: bool) -> Any:
    """A DataFrame with exactly `columns`, in order, each of its pinned dtype.

    Without contacts every text is masked as the partner tabs mask it.
    """
    data = {}
    for c in columns:
        values = [_cell(row.get(c.name), c, contacts) for row in rows]
        data[c.name] = pd.Series(values, dtype=dtype_of(c) if c.kind != DATE else "object")
        if c.kind == DATE:
            data[c.name] = pd.to_datetime(data[c.name]).astype("datetime64[ns]")
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def _cell(value: Any, column: Column, contacts: bool) -> Any:
    if value is None or value == "":
        return None
    if column.kind == DATE:
        return value if isinstance(value, dt.date) else None
    if column.kind == INT:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if column.kind == BOOL:
        return value if isinstance(value, bool) else None
    text = str(value)
    if column.kind == CATEGORY:
        return text if text in column.categories else None
    return text if contacts else mask(text)


def session_names(config: CampaignView) -> tuple[str, ...]:
    """The categories of `session`: the campaign's sessions in order, then « hors-delai »."""
    return (*(s.name for s in config.sessions), LATE)


@dataclass(frozen=True)
class CampaignFrames:
    """The campaign as pandas DataFrames (columns and dtypes in docs/analyse.md).

    `pairings_published`: True when `pairings` are those the last sync published (the state
    tab holds them), False when they are what the next sync would propose.
    """

    answers: Any
    findings: Any
    classes: Any
    ambassadors: Any
    pairings: Any
    pairings_published: bool
    contacts: bool
    sessions: tuple[str, ...]

    def tables(self, *, partners: bool = False) -> dict[str, Any]:
        """The tables by export name (« reponses », « constats » …), in order.

        `partners`: only the tables and columns the partner tabs may show (no finding, no
        identifier, no name but an ambassador's public one), every text masked even when the
        frames were opened with contacts.
        """
        out = {}
        for attribute, name in TABLES:
            if partners and name not in schema.PARTNER_TABLES:
                continue
            frame = getattr(self, attribute)
            if partners:
                keep = schema.visible(schema.columns_of(name, self.sessions), contacts=False,
                                      partners=True)
                frame = frame[[c.name for c in keep]]
                if self.contacts:
                    frame = _masked(frame, keep)
            out[name] = frame
        return out


def _masked(frame: Any, columns: Sequence[Column]) -> Any:
    """`frame` with every text column masked (form/contacts.mask)."""
    out = frame.copy()
    for c in columns:
        if c.kind == schema.TEXT:
            out[c.name] = out[c.name].map(mask, na_action="ignore").astype(dtype_of(c))
    return out


def build_frames(config: CampaignView, campaign: Campaign, sponsorship: Sponsorship,
                 issues: Iterable[Issue], *, contacts: bool = False) -> CampaignFrames:
    """Every table of a checked campaign; without `contacts`, no personal column and every
    text masked. Whatever `contacts`, `cle`, `classe` and `ambassadeur` are the keys of
    keys.py: never made from a raw name that holds a contact, never the state's pseudonym."""
    sessions = session_names(config)
    published = bool(sponsorship.published)
    school_keys = keys.school_keys([*campaign.schools, *(c.school for c in sponsorship.classes)])
    class_ids = keys.class_ids(sponsorship, school_keys,
                               [p.class_id for p in sponsorship.published])
    numbers = keys.ambassador_numbers(sponsorship.members,
                                      [p.ambassador_id for p in sponsorship.published])
    pairing_rows = pairings_rows(sponsorship)
    per_class = Counter(r["classe"] for r in pairing_rows)
    per_member = Counter(r["identifiant"] for r in pairing_rows)

    def frame(name: str, rows: Sequence[Row]) -> Any:
        columns = schema.visible(schema.columns_of(name, sessions), contacts=contacts)
        shown = [{**r, **_keys(r, school_keys, class_ids, numbers)} for r in rows]
        return typed(shown, columns, contacts=contacts)

    return CampaignFrames(
        answers=frame("reponses", answer_rows(campaign.kept)),
        findings=frame("constats", finding_rows(campaign.schools, issues, contacts=contacts)),
        classes=frame("classes", class_rows(sponsorship, per_class, config.matching.per_class)),
        ambassadors=frame("ambassadeurs", ambassador_rows(sponsorship, per_member)),
        pairings=frame("parrainages", pairing_rows),
        pairings_published=published,
        contacts=contacts,
        sessions=sessions,
    )


def _keys(row: Row, school_keys: Mapping[str, str], class_ids: Mapping[str, str],
          numbers: Mapping[str, str]) -> Row:
    """The row's `cle`, `classe` and `ambassadeur` as keys.py shows them."""
    out: Row = {}
    if row.get("cle") is not None:
        out["cle"] = school_keys.get(row["cle"], row["cle"])
    if row.get("classe") is not None:
        out["classe"] = class_ids.get(row["classe"], row["classe"])
    if row.get("identifiant") is not None:
        out["ambassadeur"] = numbers.get(row["identifiant"])
    return out


def answer_rows(schools: Iterable[School]) -> list[Row]:
    """One row per answer: every field's value, status, session, where it was typed."""
    rows = []
    for s in schools:
        row: Row = {f.key: s.values.get(f.key) for f in ANSWER_FIELDS}
        row.update({k: s.values.get(k) for k in ("referent_prenom", "referent_nom",
                                                  "referent_fonction")})
        row.update({f"cellule_{k}": cell for k, cell in s.cells.items()})
        row.update(cle=s.key, statut=s.status, session=s.session,
                   etablissement_reference=s.reference, erreurs=len(s.errors),
                   avertissements=len(s.issues) - len(s.errors),
                   onglet=s.tab, fichier=s.origin or None, ligne=s.row)
        rows.append(row)
    return rows


# Issues whose value (and message) quote a person's name or identifier, whatever the field.
_NAMING_CODES = frozenset({"ambassadeur-en-double", "ajustement-inconnu"})
_PERSONAL_FIELDS = schema.PERSONAL_FIELDS | {"prenom", "nom"}


def _private(issue: Issue) -> Issue:
    """The issue without the personal value it quotes (a referent's or ambassador's name,
    e-mail, phone, identifier): the value dropped, and masked in the message."""
    if issue.value is None or (issue.field not in _PERSONAL_FIELDS
                               and issue.code not in _NAMING_CODES):
        return issue
    return replace(issue, value=None, message=issue.message.replace(issue.value, MASK))


def finding_rows(schools: Iterable[School], issues: Iterable[Issue], *,
                 contacts: bool = True) -> list[Row]:
    """One row per issue of the report, in its order; `cle` names the answer it is about.

    Without `contacts`, no value that names a person (`_private`).
    """
    owner = {id(i): s.key for s in schools for i in s.issues}
    rows = []
    for issue in issues:
        i = issue if contacts else _private(issue)
        rows.append({"code": i.code, "gravite": i.severity, "onglet": i.tab, "cellule": i.cell,
                     "ligne": i.row, "champ": i.field, "valeur": i.value,
                     "message": i.message, "cle": owner.get(id(issue))})
    return rows


def class_rows(sponsorship: Sponsorship, sponsors: Mapping[str, int], k: int) -> list[Row]:
    """One row per class to sponsor, with how many ambassadors it has and still lacks."""
    rows = []
    for c in sponsorship.classes:
        n = sponsors.get(c.unit.id, 0)
        rows.append({"classe": c.unit.id, "cle": c.school.key, "etablissement": c.school.name,
                     "niveau": c.unit.level, "numero": int(c.label.rsplit("°", 1)[-1]),
                     "libelle": c.label, "theme": c.school.values.get("theme"),
                     "session": c.school.session, "ambassadeurs": n,
                     "manquants": max(k - n, 0)})
    return rows


def ambassador_rows(sponsorship: Sponsorship, sponsored: Mapping[str, int]) -> list[Row]:
    """One row per valid ambassador of the roster, in roster order; `sponsored` by id.

    `ambassadeur` is the roster id here; build_frames shows its number (keys.py)."""
    rows = []
    for m in sponsorship.members:
        a = m.ambassador
        rows.append({"ambassadeur": a.id, "identifiant": a.id, "prenom": m.first_name,
                     "nom": m.last_name, "courriel": m.email, "telephone": m.phone,
                     "entreprise": m.company, "commune": m.commune,
                     "nom_public": sponsorship.public_names[a.id], "genre": a.gender,
                     "metier": a.job, "secteur": a.sector, "code_rome": a.rome_code,
                     "capacite": a.capacity, "disponible": a.available, "local": a.local,
                     "consentement": m.consent, "classes_parrainees": sponsored.get(a.id, 0),
                     "ligne": m.row})
    return rows


def pairings_rows(sponsorship: Sponsorship) -> list[Row]:
    """The pairings « Parrainages » shows: published ones when the state holds some, else
    the proposed ones. A published pairing whose class or ambassador is gone keeps its ids."""
    proposed = {(p.class_id, p.ambassador_id): p for p in sponsorship.result.pairings}
    pairs: list[tuple[str, str, bool, dt.date | None, str]]
    if sponsorship.published:
        pairs = [(p.class_id, p.ambassador_id, p.confirmed, p.since, PUBLISHED)
                 for p in sponsorship.published]
    else:
        pairs = [(p.class_id, p.ambassador_id, p.confirmed, None, PROPOSED)
                 for p in sponsorship.result.pairings]
    classes = {c.unit.id: c for c in sponsorship.classes}
    members = {m.ambassador.id: m for m in sponsorship.members}
    rows = []
    for class_id, member_id, confirmed, since, state in pairs:
        klass, member = classes.get(class_id), members.get(member_id)
        now = proposed.get((class_id, member_id))
        rows.append({
            "classe": class_id,
            "cle": klass.school.key if klass else None,
            "etablissement": klass.school.name if klass else None,
            "niveau": klass.unit.level if klass else None,
            "ambassadeur": member_id,
            "identifiant": member_id,
            "nom": member.name if member else None,
            "nom_public": sponsorship.public_names.get(member_id),
            "genre": member.ambassador.gender if member else None,
            "metier": member.ambassador.job if member else None,
            "secteur": member.ambassador.sector if member else None,
            "confirme": confirmed,
            "etat": state,
            "depuis": since,
            "raisons": " ".join(now.reasons) if now else None,
        })
    return rows

