"""Properties of the frames (issue #18): for any campaign, they agree with the generated tabs
(« Complétude », « Classes », « Mobilisation des ambassadeurs »), keep their pinned dtypes,
and hold no e-mail or phone without `contacts=True`."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync import load_config
from sheets_sync.ambassadors.sponsoring import Sponsorship, sponsor
from sheets_sync.analysis.export import read_export
from sheets_sync.analysis.frames import build_frames
from sheets_sync.backends.tables import write_tables
from sheets_sync.dashboards.completeness import completeness_tab
from sheets_sync.dashboards.sponsorship_tabs import classes_tab, mobilisation_tab
from sheets_sync.form.check import STATUS_LABELS, check_answers
from sheets_sync.form.consolidate import Campaign, consolidate
from sheets_sync.form.contacts import find_contacts
from sheets_sync.form.read import extract
from sheets_sync.form.sessions import EMPTY_STATE

from ..dashboards.test_partner_tabs_property import campaigns as sponsorships
from ..helpers import COMPLETE_NO, COMPLETE_YES, table

CONFIG = load_config(Path(__file__).resolve().parents[2] / "config.toml")
TODAY = dt.date(2021, 7, 1)
NOW = dt.datetime(2021, 7, 1, 8, 0)
NO_CAMPAIGN = Campaign((), (), EMPTY_STATE, ())

TEXTS = st.sampled_from(["Le numérique", "contact : m.dupont@exemple.fr", "06 12 34 56 78",
                         "=1+1", "", None, "Appelez le 03 20 00 00 00", "2 ou 3", "Oui"])


@st.composite
def answers(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Answers close to real ones: complete ones with some fields emptied or mistyped."""
    out = []
    for i in range(draw(st.integers(0, 6))):
        base = dict(draw(st.sampled_from([COMPLETE_YES, COMPLETE_NO])))
        base["etablissement"] = draw(st.sampled_from(["Collège A", "Collège B", "Collège C"]))
        for key in draw(st.sets(st.sampled_from(["titre", "theme", "objectifs", "classes_4e",
                                                 "referent", "participation", "adresse"]))):
            base[key] = draw(TEXTS)
        base["etablissement"] = base["etablissement"] or f"Collège {i}"
        out.append(base)
    return out


def _frames(rows: list[dict[str, Any]], sponsorship: Sponsorship | None = None,
            contacts: bool = False) -> tuple[Campaign, Any]:
    found = extract([table(rows)], CONFIG.tabs.answers)
    campaign = consolidate(check_answers(found.answers, CONFIG.limits), [], EMPTY_STATE,
                           CONFIG.sessions, TODAY)
    sponsorship = sponsorship or sponsor(CONFIG, campaign.kept, [], [], solve=False)
    return campaign, build_frames(CONFIG, campaign, sponsorship, campaign.issues,
                                  contacts=contacts)


@settings(max_examples=40, deadline=None)
@given(answers())
def test_answers_and_findings_agree_with_completude(rows: list[dict[str, Any]]) -> None:
    campaign, frames = _frames(rows)
    tab = completeness_tab(CONFIG, campaign, NOW)
    kept = [r for r in tab.rows if r[3].value != STATUS_LABELS["doublon"]]
    assert len(frames.answers) == len(kept) == len(campaign.kept)
    assert [STATUS_LABELS[s] for s in frames.answers["statut"]] == [r[3].value for r in kept]
    assert frames.answers["erreurs"].tolist() == [r[6].value for r in kept]
    assert frames.answers["avertissements"].tolist() == [r[7].value for r in kept]
    assert len(frames.findings) == sum(r[6].value + r[7].value for r in tab.rows)
    assert Counter(frames.findings["cle"]) == Counter(
        s.key for s in campaign.schools for _ in s.issues)


@settings(max_examples=40, deadline=None)
@given(answers(), st.booleans())
def test_dtypes_hold_and_no_contact_shows_without_contacts(rows: list[dict[str, Any]],
                                                           contacts: bool) -> None:
    _, frames = _frames(rows, contacts=contacts)
    _, reference = _frames([COMPLETE_YES], contacts=contacts)
    for name, frame in frames.tables().items():
        assert frame.dtypes.to_dict() == reference.tables()[name].dtypes.to_dict()
        if contacts:
            continue
        for column in frame.columns:
            for value in frame[column].dropna().astype(str):
                assert not find_contacts(value), (name, column, value)


@settings(max_examples=80, deadline=None)
@given(sponsorships())
def test_classes_and_ambassadors_agree_with_partner_tabs(s: Sponsorship) -> None:
    frames = build_frames(CONFIG, NO_CAMPAIGN, s, (), contacts=False)
    rows = classes_tab(CONFIG, s, "b").rows
    assert len(frames.classes) == len(rows)
    by_class: dict[str, list[str]] = {}
    for _, p in frames.pairings.iterrows():
        by_class.setdefault(p["classe"], []).append(p["nom_public"])
    for klass, row in zip(frames.classes.itertuples(), rows, strict=True):
        names = by_class.get(klass.classe, [])
        assert klass.ambassadeurs == len(names)
        assert (" ; ".join(names) or "Aucun ambassadeur pour l'instant") == row[3].value
    load = {r[0].value: r[4].value for r in mobilisation_tab(CONFIG, s, "b").rows
            if r and r[0].value}
    assert dict(zip(frames.ambassadors["nom_public"], frames.ambassadors["classes_parrainees"],
                    strict=True)) == load
    assert set(frames.pairings["etat"]) <= {"propose"} and not frames.pairings_published


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=3), st.sampled_from(["csv",
                                                                                "parquet"]))
def test_any_text_round_trips_through_csv_and_parquet(texts: list[str], fmt: str) -> None:
    """Whatever a principal typed (quotes, « ; », line breaks, « '= », emoji) comes back."""
    rows = [{**COMPLETE_YES, "etablissement": f"Collège {i}", "titre": t, "theme": t}
            for i, t in enumerate(texts)]
    _, frames = _frames(rows)
    with tempfile.TemporaryDirectory() as folder:
        write_tables(Path(folder), frames.tables(), fmt)
        back = read_export(Path(folder), fmt, frames.sessions)
    for name, frame in frames.tables().items():
        pd.testing.assert_frame_equal(back[name], frame)
