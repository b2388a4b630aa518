"""Issue #14 item 5: every user-facing text, read as a principal would read it.

Renders the issue catalogue (`form/messages.py`), both reminder templates in every situation
(referent or not, address or not, before, between and after the deadlines) and every « Mode
d'emploi » text, then looks for the mistakes a principal would notice. A mistake found in
the wild is added to KNOWN_MISTAKES with the text it was seen in (checked to be caught).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest

from sheets_sync.config import load_config
from sheets_sync.form.check import check_answers
from sheets_sync.form.guide import coordination_how_to, how_to
from sheets_sync.form.identity import Establishment
from sheets_sync.form.messages import MESSAGES, render
from sheets_sync.form.model import FIELD
from sheets_sync.form.read import read_table
from sheets_sync.outreach.reminders import build_reminders, reminders_tab
from sheets_sync.outreach.texts import reminder_templates

from .helpers import COMPLETE_YES, table

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load_config(ROOT / "config.toml")
LABEL = "Vos objectifs"

# (what is wrong, pattern, a text where it was seen)
KNOWN_MISTAKES: list[tuple[str, re.Pattern[str], str]] = [
    ("double espace", re.compile(r"\S  +\S"), "La question  est vide."),
    ("« de le » au lieu de « du »", re.compile(r"\bde le\b", re.I), "la réponse de le collège"),
    ("« de les » au lieu de « des »", re.compile(r"\bde les\b", re.I), "de les élèves"),
    ("« à le » au lieu de « au »", re.compile(r"\bà le\b", re.I), "à le collège"),
    ("« à les » au lieu de « aux »", re.compile(r"\bà les\b", re.I), "à les élèves"),
    ("« de Collège » sans article", re.compile(r"\b(?:de|à) (?:[Cc]oll[èe]ge|[Ll]yc[ée]e)\b"),
     "la réponse de Collège Albert-Vandame"),
    ("fichier est masculin", re.compile(r"\b(?:la|une|cette) fichier\b", re.I),
     "la date de la fichier"),
    ("forme inclusive entre parenthèses", re.compile(r"\w\((?:e|s|es|e\)s)\)"),
     "Ajustement ignoré : la classe « 4A » est inconnu(e)."),
    ("nom en capitales après Bonjour",
     re.compile(r"\bBonjour (?:[A-ZÀ-Ý][\w'-]* )*[A-ZÀ-Ý]{2,}\b"), "Bonjour Rachid ROUSSEL,"),
    ("fonction accolée au nom", re.compile(r"\bBonjour [^,\n]+, [^\n]+,$", re.M),
     "Bonjour Rachid Roussel, CPE,"),
    ("espace avant une virgule ou un point", re.compile(r"\w \s*[,.](?!\.)"),
     "Bonjour Rachid , merci ."),
    ("pas d'espace avant deux-points", re.compile(r"[\w»)][:;](?=\s)"),
     "Objet: relance"),
    # « renommez-la ainsi » is right: a pronoun after a hyphen is not elided.
    ("élision oubliée", re.compile(r"(?<![-\w])(?:de|le|la|que|ne) (?=[aeiouéèêà]\w)", re.I),
     "la réponse de établissement"),
    ("place vide", re.compile(r"\$\w+|\{\w*\}|\(\s*\)|«\s*»"), "Bonjour $referent,"),
]


def mistakes_in(text: str) -> list[str]:
    return [what for what, pattern, _ in KNOWN_MISTAKES if pattern.search(text)]


@pytest.mark.parametrize(("what", "example"), [(w, e) for w, _, e in KNOWN_MISTAKES])
def test_each_known_mistake_is_caught(what: str, example: str) -> None:
    assert what in mistakes_in(example)


def catalogue_texts() -> dict[str, str]:
    named = {f for _, t in MESSAGES.values() for _, f, _, _ in string.Formatter().parse(t) if f}
    sample: dict[str, object] = {f: "quelque chose" for f in named} | {
        "label": LABEL, "cell": "I7", "tab": "Réponses", "value": "x", "limit": 120,
        "length": 130, "missing": "Fonction du référent", "candidate": "Collège Jean-Lebas",
        "score": 85, "kept": "la ligne 3", "dropped": "le fichier « b.xlsx »", "other": 4,
        "what": "la classe", "row": 3, "line": 2, "expected": "Réponses", "found": "Feuil1",
        "reason": "nom absent", "fix": "Déplacez-les dans le classeur de coordination."}
    return {code: render(code, **sample) for code in MESSAGES}


@pytest.mark.parametrize(("code", "text"), sorted(catalogue_texts().items()))
def test_issue_message_reads_as_french(code: str, text: str) -> None:
    assert mistakes_in(text) == [], (code, text)
    assert text.count(f"« {LABEL} »") <= 1, (code, text)  # a label never quoted twice


def reminder_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    incomplete = [
        {**COMPLETE_YES, "etablissement": "Collège Albert-Vandame",
         "referent": "Rachid ROUSSEL, CPE", "objectifs": None, "classes_3e": "2 ou 3",
         "courriel": "rachid.roussel@college.example.org"},
        {**COMPLETE_YES, "etablissement": "Lycée du Canal", "referent": None, "titre": None,
         "participation": "peut-être"},
        {**COMPLETE_YES, "etablissement": "Trois-Ponts", "referent": "Mme DUPONT, principale",
         "classes_4e": 0, "classes_3e": 0, "courriel": "à demander"},
    ]
    unanswered = [Establishment("Collège Muet", email="direction@muet.example.org"),
                  Establishment("École Anatole-France")]
    found = read_table(table(incomplete))
    assert found is not None
    schools = check_answers(found.answers, CONFIG.limits)
    for today in (dt.date(2021, 7, 1), dt.date(2021, 7, 16), dt.date(2021, 8, 1),
                  dt.date(2026, 12, 3)):
        items = build_reminders(CONFIG, schools, unanswered, reminder_templates(CONFIG), today)
        assert len(items) == 5
        for r in items:
            key = f"{today} {r.school}"
            texts[f"{key} objet"] = r.subject
            texts[f"{key} message"] = r.body
            texts[f"{key} note"] = r.note or ""
            for i, line in enumerate(r.to_fix):
                texts[f"{key} à compléter {i}"] = line
        for row in reminders_tab(CONFIG, items, "Généré par sheets-sync").rows:
            for i, cell in enumerate(row):
                if isinstance(cell.value, str) and i != 3:  # 3: the referent as typed
                    texts[f"{today} Relances {row[0].value} {i}"] = cell.value
    return texts


@pytest.mark.parametrize(("where", "text"), sorted(reminder_texts().items()))
def test_reminder_reads_as_french(where: str, text: str) -> None:
    assert mistakes_in(text) == [], (where, text)


def test_reminder_lines_never_repeat_their_label() -> None:
    for where, text in reminder_texts().items():
        if " à compléter " in where:
            for field in FIELD.values():
                assert text.count(field.label) <= 1, (where, text)


def guide_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for config in (CONFIG, None):
        guides = [how_to("tableau", config, "Fiche"), how_to("fiche", config, "Fiche"),
                  how_to("tableau", config, "Fiche", with_roster=False),
                  coordination_how_to(config)]
        for g, guide in enumerate(guides):
            for i, (_, text) in enumerate(guide.lines):
                texts[f"{'config' if config else 'sans config'} {g} {i}"] = text
    return texts


@pytest.mark.parametrize(("where", "text"), sorted(guide_texts().items()))
def test_guide_reads_as_french(where: str, text: str) -> None:
    assert mistakes_in(text) == [], (where, text)
