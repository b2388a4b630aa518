import datetime as dt
import email
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sheets_sync.config import load_config
from sheets_sync.form.check import check_answers
from sheets_sync.form.identity import Establishment
from sheets_sync.form.read import read_table
from sheets_sync.outreach.drafts import file_name, write_drafts
from sheets_sync.outreach.reminders import (
    MessageTemplate,
    build_reminders,
    next_deadline,
    reminders_tab,
)
from sheets_sync.outreach.texts import reminder_templates

from ..helpers import COMPLETE_YES, KEYS, table

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "config.toml")
COL = {k: chr(65 + i) for i, k in enumerate(KEYS)}


def reminders(*answers, unanswered=(), today=dt.date(2021, 7, 1)):
    found = read_table(table(answers))
    assert found is not None
    schools = check_answers(found.answers, CONFIG.limits)
    return build_reminders(CONFIG, schools, unanswered, reminder_templates(CONFIG), today)


def test_template_parses_subject_and_body() -> None:
    template = MessageTemplate.parse("Objet : Bonjour $etablissement\n\nTexte\n")
    assert template == MessageTemplate("Bonjour $etablissement", "Texte")
    assert MessageTemplate.parse("Sans objet").body == "Sans objet"


def test_one_reminder_per_incomplete_school_naming_labels_and_cells() -> None:
    (reminder,) = reminders(
        COMPLETE_YES,
        {**COMPLETE_YES, "etablissement": "Collège B", "objectifs": None,
         "courriel": "direction@college-b.example.org"},
    )
    assert reminder.school == "Collège B" and reminder.reason == "incomplet"
    assert reminder.to_fix == (
        f"Vos objectifs (cellule {COL['objectifs']}3) : « Vos objectifs » n'est pas renseigné.",)
    assert reminder.email == "direction@college-b.example.org"
    assert "Collège B" in reminder.subject
    assert f"cellule {COL['objectifs']}3" in reminder.body and "16/07/2021" in reminder.body
    link = urlsplit(reminder.mailto)
    assert link.scheme == "mailto" and link.path == "direction@college-b.example.org"
    assert parse_qs(link.query)["body"] == [reminder.body]


def test_schools_without_answer_are_chased_too() -> None:
    (reminder,) = reminders(COMPLETE_YES, unanswered=[Establishment("Collège Muet")])
    assert (reminder.school, reminder.reason, reminder.email) == ("Collège Muet",
                                                                  "sans-reponse", None)


def test_next_deadline() -> None:
    assert next_deadline(CONFIG, dt.date(2021, 7, 17)) == dt.date(2021, 9, 10)
    assert next_deadline(CONFIG, dt.date(2022, 1, 1)) == dt.date(2021, 9, 10)


def test_reminders_tab_links_a_mail_draft() -> None:
    items = reminders({**COMPLETE_YES, "titre": None})
    tab = reminders_tab(CONFIG, items, "Généré par sheets-sync")
    (row,) = tab.rows
    assert row[0].value == "Collège des Essais" and row[-1].link == items[0].mailto


def test_drafts_are_valid_unsent_messages(tmp_path: Path) -> None:
    items = reminders({**COMPLETE_YES, "titre": None, "courriel": "a@b.example.org"},
                      unanswered=[Establishment("Collège de l'Épeule")])
    paths = write_drafts(items, tmp_path / "relances")
    assert [p.name for p in paths] == ["college-des-essais.eml", "college-de-l-epeule.eml"]
    message = email.message_from_bytes(paths[0].read_bytes(), policy=policy.default)
    assert message["To"] == "a@b.example.org" and message["X-Unsent"] == "1"
    assert "Titre/intitulé du projet" in message.get_content()
    assert message["Subject"] == items[0].subject


def test_file_names_never_collide() -> None:
    taken: set[str] = set()
    assert [file_name(n, taken) for n in ("Collège A", "Collège A", "???")] == [
        "college-a.eml", "college-a-2.eml", "etablissement.eml"]


def test_subject_with_accents_survives_header_folding(tmp_path: Path) -> None:
    """Bug: a long accented subject read back as « està compléter » (a space lost)."""
    long_name = "Collège Élisabeth-et-Émile-Vandenbussche de la Cité éducative de Roubaix"
    items = reminders({**COMPLETE_YES, "etablissement": long_name, "titre": None})
    (path,) = write_drafts(items, tmp_path)
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Subject"] == items[0].subject
