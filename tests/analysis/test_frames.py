"""The campaign as DataFrames (issue #18): pinned columns and dtypes, values that agree with
the generated tabs of the demo, nothing written, no contact without `contacts=True`."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import sheets_sync
from sheets_sync.analysis import MissingExtra, open_campaign, schema
from sheets_sync.config import Config
from sheets_sync.form.contacts import find_contacts
from sheets_sync.form.messages import MESSAGES
from sheets_sync.form.sessions import LATE

from ..conftest import MakeCampaign
from ..helpers import COMPLETE_YES
from .conftest import NOW, workbook_files

S, N, B, C, D = "string", "Int64", "boolean", "category", "datetime64[ns]"
CELLS = ("etablissement", "adresse", "participation", "classes_4e", "classes_3e", "titre",
         "orientation", "objectifs", "discipline", "theme", "contenu", "date_depot")
ANSWERS = {
    "cle": S, "etablissement": S, "adresse": S, "referent_fonction": S, "participation": B,
    "classes_4e": N, "classes_3e": N, "titre": S, "orientation": S, "objectifs": S,
    "discipline": S, "theme": S, "contenu": S, "date_depot": D, "statut": C, "session": C,
    "etablissement_reference": S, "erreurs": N, "avertissements": N, "onglet": S, "fichier": S,
    "ligne": N, **{f"cellule_{k}": S for k in CELLS},
}
ANSWERS_CONTACTS = {
    "referent": S, "referent_prenom": S, "referent_nom": S, "courriel": S, "telephone": S,
    "cellule_referent": S, "cellule_courriel": S, "cellule_telephone": S,
}
FINDINGS = {"code": C, "gravite": C, "onglet": S, "cellule": S, "ligne": N, "champ": S,
            "valeur": S, "message": S, "cle": S}
CLASSES = {"classe": S, "cle": S, "etablissement": S, "niveau": C, "numero": N, "libelle": S,
           "theme": S, "session": C, "ambassadeurs": N, "manquants": N}
AMBASSADORS = {"ambassadeur": S, "nom_public": S, "genre": C, "metier": S, "secteur": S,
               "code_rome": S, "capacite": N, "disponible": B, "local": B, "consentement": B,
               "classes_parrainees": N, "ligne": N}
AMBASSADORS_CONTACTS = {"identifiant": S, "prenom": S, "nom": S, "courriel": S, "telephone": S,
                        "entreprise": S, "commune": S}
PAIRINGS = {"classe": S, "cle": S, "etablissement": S, "niveau": C, "ambassadeur": S,
            "nom_public": S, "genre": C, "metier": S, "secteur": S, "confirme": B, "etat": C,
            "depuis": D, "raisons": S}
PAIRINGS_CONTACTS = {"identifiant": S, "nom": S}


def dtypes(frame: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in frame.dtypes.items()}


@pytest.fixture(scope="module")
def campaign(demo: Config) -> sheets_sync.CampaignFrames:
    return open_campaign(demo.path or "", today=NOW.date())


@pytest.fixture(scope="module")
def with_contacts(demo: Config) -> sheets_sync.CampaignFrames:
    return open_campaign(demo, contacts=True, today=NOW.date())


def test_every_frame_has_its_pinned_columns_and_dtypes(
        campaign: sheets_sync.CampaignFrames) -> None:
    assert dtypes(campaign.answers) == ANSWERS
    assert list(campaign.answers.columns) == list(ANSWERS)
    assert dtypes(campaign.findings) == FINDINGS
    assert dtypes(campaign.classes) == CLASSES
    assert dtypes(campaign.ambassadors) == AMBASSADORS
    assert dtypes(campaign.pairings) == PAIRINGS
    assert list(campaign.tables()) == ["reponses", "constats", "classes", "ambassadeurs",
                                       "parrainages"]


def test_contacts_true_adds_exactly_the_personal_columns(
        with_contacts: sheets_sync.CampaignFrames) -> None:
    assert dtypes(with_contacts.answers) == {**ANSWERS, **ANSWERS_CONTACTS}
    assert dtypes(with_contacts.ambassadors) == {**AMBASSADORS, **AMBASSADORS_CONTACTS}
    assert dtypes(with_contacts.pairings) == {**PAIRINGS, **PAIRINGS_CONTACTS}
    assert with_contacts.ambassadors["courriel"].notna().all()


def test_categories_are_closed_and_pinned(campaign: sheets_sync.CampaignFrames) -> None:
    sessions = ["1re session", "2e session", LATE]
    assert list(campaign.answers["statut"].cat.categories) == [
        "complet", "incomplet", "ne-participe-pas", "doublon"]
    assert list(campaign.answers["session"].cat.categories) == sessions
    assert list(campaign.classes["session"].cat.categories) == sessions
    assert list(campaign.findings["code"].cat.categories) == sorted(MESSAGES)
    assert list(campaign.findings["gravite"].cat.categories) == ["erreur", "avertissement"]
    assert list(campaign.classes["niveau"].cat.categories) == ["4e", "3e"]
    assert list(campaign.ambassadors["genre"].cat.categories) == ["F", "H"]
    assert list(campaign.pairings["etat"].cat.categories) == ["publie", "propose"]


def test_open_campaign_writes_nothing(demo: Config) -> None:
    before = workbook_files(demo)
    open_campaign(demo, contacts=True, today=NOW.date())
    assert workbook_files(demo) == before


def _rows(path: Path, tab: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in book[tab].iter_rows(values_only=True)]
    finally:
        book.close()


def _data(rows: list[tuple[Any, ...]], first: str) -> list[tuple[Any, ...]]:
    """The data rows of a generated tab: after its header (first cell `first`), up to the
    first empty row (the notes follow)."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == first)
    end = next((i for i in range(start + 1, len(rows))
                if all(v is None for v in rows[i])), len(rows))
    return rows[start + 1:end]


def test_answers_and_findings_agree_with_completude(
        demo: Config, campaign: sheets_sync.CampaignFrames) -> None:
    rows = [r for r in _data(_rows(demo.source, "Complétude"), "Établissement")
            if isinstance(r[2], int)]
    answers = campaign.answers
    assert len(rows) == len(answers) == 12
    assert [r[2] for r in rows] == answers["ligne"].tolist()
    assert Counter(r[3] for r in rows) == Counter(
        {"complet": "Complet", "incomplet": "Incomplet",
         "ne-participe-pas": "Ne participe pas"}[s] for s in answers["statut"])
    errors, warnings = sum(r[6] for r in rows), sum(r[7] for r in rows)
    assert (errors, warnings) == (answers["erreurs"].sum(), answers["avertissements"].sum())
    about_answers = campaign.findings[campaign.findings["cle"].notna()]
    assert len(about_answers) == errors + warnings == 6
    assert Counter(about_answers["gravite"]) == Counter({"erreur": errors,
                                                        "avertissement": warnings})


def test_classes_and_pairings_agree_with_the_generated_tabs(
        demo: Config, campaign: sheets_sync.CampaignFrames) -> None:
    assert isinstance(demo.coordination, Path)
    classes = _data(_rows(demo.source, "Classes"), "Établissement")
    assert len(classes) == len(campaign.classes) == 18
    assert Counter(r[0] for r in classes) == Counter(campaign.classes["etablissement"])
    shown = [r for r in _data(_rows(demo.coordination, "Parrainages"), "Classe")
             if r[4] is not None]  # not the classes left unserved
    assert campaign.pairings_published and set(campaign.pairings["etat"]) == {"publie"}
    assert len(shown) == len(campaign.pairings) == 36
    assert Counter(r[1] for r in shown) == Counter(campaign.pairings["etablissement"])
    assert (campaign.pairings["depuis"] == pd.Timestamp(NOW.date())).all()
    per_class = Counter(campaign.pairings["classe"])
    assert dict(zip(campaign.classes["classe"], campaign.classes["ambassadeurs"],
                    strict=True)) == {c: per_class[c] for c in campaign.classes["classe"]}
    assert campaign.ambassadors["classes_parrainees"].sum() == len(campaign.pairings)


def test_published_pairings_join_the_roster_by_pseudonym(
        campaign: sheets_sync.CampaignFrames, with_contacts: sheets_sync.CampaignFrames) -> None:
    joined = campaign.pairings.merge(campaign.ambassadors, on="ambassadeur", how="left",
                                     suffixes=("", "_roster"))
    assert joined["nom_public_roster"].notna().all()
    assert (joined["nom_public"] == joined["nom_public_roster"]).all()
    roster = with_contacts.ambassadors
    for _, a in roster[~roster["consentement"]].iterrows():  # named only with consent
        assert a["nom"] not in a["nom_public"] and a["prenom"] not in a["nom_public"]
    assert (roster["nom_public"] == campaign.ambassadors["nom_public"]).all()


def test_without_contacts_no_text_holds_an_email_or_a_phone(
        campaign: sheets_sync.CampaignFrames, with_contacts: sheets_sync.CampaignFrames) -> None:
    for frame in campaign.tables().values():
        for column in frame.columns:
            for value in frame[column].dropna().astype(str):
                assert not find_contacts(value), (column, value)
    found = [v for f in with_contacts.tables().values() for c in f.columns
             for v in f[c].dropna().astype(str) if find_contacts(v)]
    assert found  # the detector does see the roster's e-mails and phones


def test_no_column_without_contacts_is_personal() -> None:
    for name in ("reponses", "constats", "classes", "ambassadeurs", "parrainages"):
        columns = schema.columns_of(name, ("s",))
        kept = {c.name for c in schema.visible(columns, contacts=False)}
        assert not kept & {"courriel", "telephone", "referent", "prenom", "nom",
                           "referent_nom", "referent_prenom", "identifiant"}


def test_open_campaign_without_pandas_says_how_to_install_it(
        demo: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    with pytest.raises(MissingExtra, match=r"pandas.*pip install 'sheets-sync\[analyse\]'"):
        open_campaign(demo)
    with pytest.raises(ImportError):  # what a notebook user catches
        open_campaign(demo)


def test_findings_quoting_a_persons_name_are_masked_without_contacts(
        make_campaign: MakeCampaign) -> None:
    """A referent typed without function (its value is the name) and an ambassador listed
    twice (the message names them): without contacts, neither name shows in `findings`."""
    person = {"prenom": "Nadia", "nom": "BENALI", "metier": "Data analyste",
              "secteur": "Numérique", "courriel": "nadia.benali@exemple.org"}
    config = make_campaign([{**COMPLETE_YES, "referent": "Alice MARTIN"}],
                           roster=[person, person])
    full = open_campaign(config, contacts=True, today=NOW.date()).findings
    assert {"referent-sans-fonction", "ambassadeur-en-double"} <= set(full["code"])
    shown = " ".join(full["valeur"].dropna()) + " ".join(full["message"])
    assert "MARTIN" in shown and "BENALI" in shown
    masked = open_campaign(config, today=NOW.date()).findings
    assert list(masked["code"]) == list(full["code"])
    hidden = " ".join(masked["valeur"].dropna()) + " ".join(masked["message"])
    assert "MARTIN" not in hidden and "BENALI" not in hidden


# Review of issue #18: an e-mail or phone typed in a school name or a theme, de-punctuated by
# the school key (« prof.x@ac-lille.fr » → « prof x ac lille fr »), still names the person.
LEAKY_NAME = "Collège Jean Macé prof.x@ac-lille.fr +33 6 12 34 56 78"
LEAKY_THEME = "Le numérique, écrire à prof.y@ac-lille.fr ou 07 98 76 54 32"
LEAK_FORMS = ("aclillefr", "profx", "profy", "612345678", "798765432")
NUMERIC = {"Data analyste", "Numérique"}


def leaks(text: str) -> list[str]:
    """The contacts `text` holds, punctuated or not (letters and digits glued together)."""
    glued = "".join(ch for ch in text.lower() if ch.isalnum())
    return [str(f) for f in find_contacts(text)] + [f for f in LEAK_FORMS if f in glued]


def all_texts(tables: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(name, str(c), str(v)) for name, f in tables.items() for c in f.columns
            for v in [c, *f[c].dropna().astype(str)]]


@pytest.fixture
def leaky(make_campaign: MakeCampaign) -> Config:
    people = [{"prenom": p, "nom": n, "metier": "Data analyste", "secteur": "Numérique",
               "courriel": f"{p.lower()}@exemple.org"}
              for p, n in (("Nadia", "BENALI"), ("Paul", "ROGER"), ("Lina", "SOW"))]
    return make_campaign([{**COMPLETE_YES, "etablissement": LEAKY_NAME, "theme": LEAKY_THEME}],
                         roster=people)


def test_leaks_sees_the_de_punctuated_forms() -> None:
    assert leaks("prof x ac lille fr") and leaks("prof-x-ac-lille-fr-4e1")
    assert leaks("33612345678") and not leaks("college jean mace coordonnees masquees")


def test_contact_typed_in_a_school_name_or_theme_leaks_through_no_key(
        leaky: Config) -> None:
    """`cle` and `classe` come from the masked name, in every table, joins kept."""
    full = open_campaign(leaky, contacts=True, today=NOW.date())
    assert leaks(" ".join(full.answers["etablissement"]))  # the case is really there
    masked = open_campaign(leaky, today=NOW.date())
    assert len(masked.classes) == 3 and len(masked.pairings) > 0
    for frames in (masked.tables(), masked.tables(partners=True), full.tables(partners=True)):
        assert not [t for t in all_texts(frames) if leaks(t[2])]
    key = masked.answers.loc[0, "cle"]
    assert key == "jean mace coordonnees masquees coordonnees masquees"  # e-mail, phone
    assert set(masked.classes["cle"]) == set(masked.pairings["cle"]) == {key}
    assert set(masked.pairings["classe"]) <= set(masked.classes["classe"])
    assert sorted(masked.classes["classe"]) == [f"{key.replace(' ', '-')}-{c}"
                                                for c in ("3e1", "3e2", "4e1")]
    # with contacts, the same keys: the tables of both join on them
    assert full.classes["classe"].tolist() == masked.classes["classe"].tolist()


def test_ambassador_column_is_never_the_state_pseudonym_or_id(
        campaign: sheets_sync.CampaignFrames, with_contacts: sheets_sync.CampaignFrames) -> None:
    """The state tab's pseudonym (sha256 of an id made from the name) is reversible from a
    guessed name: the tables number ambassadors instead, the same in both tables."""
    from sheets_sync.form.sessions import pseudonym

    ids = set(with_contacts.ambassadors["identifiant"]) | set(
        with_contacts.pairings["identifiant"])
    secret = ids | {pseudonym(i) for i in ids}
    for frames in (campaign, with_contacts):
        shown = set(frames.ambassadors["ambassadeur"]) | set(frames.pairings["ambassadeur"])
        assert shown and not shown & secret
        assert all(re.fullmatch(r"A\d{3}", a) for a in shown)
    numbers = dict(zip(with_contacts.ambassadors["identifiant"],
                       with_contacts.ambassadors["ambassadeur"], strict=True))
    assert len(set(numbers.values())) == len(numbers)
    assert all(numbers[i] == a for i, a in zip(with_contacts.pairings["identifiant"],
                                               with_contacts.pairings["ambassadeur"],
                                               strict=True))
    assert campaign.ambassadors["ambassadeur"].tolist() == with_contacts.ambassadors[
        "ambassadeur"].tolist()


def test_ambassador_numbers_follow_sector_job_not_names(
        campaign: sheets_sync.CampaignFrames) -> None:
    order = campaign.ambassadors.sort_values("ambassadeur")
    keys = list(zip(order["secteur"], order["metier"], strict=True))
    assert keys == sorted(keys)


def test_partner_tables_of_frames_opened_with_contacts_are_masked(
        with_contacts: sheets_sync.CampaignFrames, make_campaign: MakeCampaign) -> None:
    config = make_campaign([{**COMPLETE_YES, "titre": "x", "theme": "Appeler 06 12 34 56 78",
                             "orientation": "écrire à a.b@exemple.org"}])
    full = open_campaign(config, contacts=True, today=NOW.date())
    assert [t for t in all_texts(full.tables()) if find_contacts(t[2])]
    partners = full.tables(partners=True)
    assert not [t for t in all_texts(partners) if find_contacts(t[2])]
    masked = open_campaign(config, today=NOW.date()).tables(partners=True)
    for name, frame in partners.items():
        pd.testing.assert_frame_equal(frame, masked[name])


def test_two_schools_whose_names_differ_only_by_a_contact_keep_two_keys(
        make_campaign: MakeCampaign) -> None:
    config = make_campaign([{**COMPLETE_YES, "etablissement": "Collège Nord a.b@exemple.org"},
                            {**COMPLETE_YES, "etablissement": "Collège Nord c.d@exemple.org",
                             "adresse": "9 rue Autre, 59100 Roubaix"}])
    frames = open_campaign(config, today=NOW.date())
    assert sorted(frames.answers["cle"]) == ["nord coordonnees masquees",
                                             "nord coordonnees masquees 2"]
    assert frames.classes["classe"].nunique() == len(frames.classes) == 6
