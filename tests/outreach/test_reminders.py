import datetime as dt
import email
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.config import load_config
from sheets_sync.form.check import check_answers
from sheets_sync.form.identity import Establishment
from sheets_sync.form.read import read_table
from sheets_sync.outreach.drafts import draft, file_name, write_drafts
from sheets_sync.outreach.reminders import (
    MessageTemplate,
    Reminder,
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
        f"Cellule {COL['objectifs']}3 : la question « Vos objectifs » est sans réponse.",)
    assert reminder.email == "direction@college-b.example.org"
    assert "Collège B" in reminder.subject
    assert f"Cellule {COL['objectifs']}3" in reminder.body and "16/07/2021" in reminder.body
    link = urlsplit(reminder.mailto)
    assert link.scheme == "mailto" and link.path == "direction@college-b.example.org"
    assert parse_qs(link.query)["body"] == [reminder.body]


def test_schools_without_answer_are_chased_too() -> None:
    (reminder,) = reminders(COMPLETE_YES, unanswered=[Establishment("Collège Muet")])
    assert (reminder.school, reminder.reason, reminder.email) == ("Collège Muet",
                                                                  "sans-reponse", None)


def test_next_deadline() -> None:
    assert next_deadline(CONFIG, dt.date(2021, 7, 17)) == dt.date(2021, 9, 10)
    assert next_deadline(CONFIG, dt.date(2021, 9, 10)) == dt.date(2021, 9, 10)  # inclusive
    assert next_deadline(CONFIG, dt.date(2022, 1, 1)) is None


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


# --- issue #14: French a principal would write, addresses, deadlines, Outlook ---------------


def test_issue14_reminder_greets_by_name_and_contracts_the_school() -> None:
    """Bug: « Bonjour Rachid ROUSSEL, CPE, », « la réponse de Collège Albert-Vandame », the
    label repeated inside its own message."""
    (reminder,) = reminders({**COMPLETE_YES, "etablissement": "Collège Albert-Vandame",
                             "referent": "Rachid ROUSSEL, CPE", "objectifs": None})
    assert reminder.body.startswith("Bonjour Rachid Roussel,\n\n")
    assert "la réponse du collège Albert-Vandame à l'appel" in reminder.body
    assert reminder.referent == "Rachid ROUSSEL, CPE"  # « Relances » shows it as typed
    (line,) = reminder.to_fix
    assert line.count("Vos objectifs") == 1


def test_issue14_reminder_without_referent_says_madame_monsieur() -> None:
    (reminder,) = reminders({**COMPLETE_YES, "referent": None, "titre": None})
    assert reminder.body.startswith("Madame, Monsieur,\n\n")


def test_issue14_reminder_never_cites_a_past_deadline_as_next() -> None:
    """Bug: every reminder said « La prochaine date limite est le 10/09/2021 » in 2026."""
    late = reminders({**COMPLETE_YES, "titre": None}, today=dt.date(2026, 12, 3))
    assert "La prochaine date limite" not in late[0].body
    assert "La dernière date limite, le 10/09/2021, est passée" in late[0].body
    between = reminders({**COMPLETE_YES, "titre": None}, today=dt.date(2021, 8, 1))
    assert "La date limite du 16/07/2021 est passée ; la prochaine est le 10/09/2021." in (
        between[0].body)


def test_issue14_unanswered_school_is_written_to_at_the_reference_address(tmp_path) -> None:
    """Bug: no To: for schools that never answered."""
    known = Establishment("Collège Muet", email="direction@college-muet.example.org")
    (reminder,) = reminders(COMPLETE_YES, unanswered=[known])
    assert reminder.address == "direction@college-muet.example.org" and reminder.note is None
    assert reminder.body.startswith("Madame, Monsieur,\n\n")
    assert "la réponse du collège Muet" in reminder.body
    (path,) = write_drafts([reminder], tmp_path)
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "direction@college-muet.example.org"
    assert not message.get_content().startswith("[")


def test_issue14_no_known_address_is_said_in_the_draft_and_in_relances(tmp_path) -> None:
    (reminder,) = reminders(COMPLETE_YES, unanswered=[Establishment("Collège Muet")])
    assert reminder.address is None and reminder.note is not None
    assert "Aucune adresse connue" in reminder.note and "« Courriel »" in reminder.note
    assert "Aucune adresse connue" not in reminder.body  # never in the message itself
    (path,) = write_drafts([reminder], tmp_path)
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] is None
    assert message.get_content().startswith("[À effacer avant l'envoi] Aucune adresse connue")
    (row,) = reminders_tab(CONFIG, [reminder], "Généré").rows
    assert row[4].value == reminder.note and row[4].style == "warning"


def test_issue14_unusable_typed_address_is_said_too() -> None:
    (reminder,) = reminders({**COMPLETE_YES, "titre": None, "courriel": "secretariat au collège"})
    assert reminder.address is None
    assert reminder.note is not None and "« secretariat au collège »" in reminder.note


def test_issue14_drafts_end_every_line_with_crlf(tmp_path: Path) -> None:
    """Outlook on Windows opens RFC 5322 files: CRLF everywhere, never a bare LF or CR."""
    items = reminders({**COMPLETE_YES, "titre": None, "objectifs": None,
                       "courriel": "a@b.example.org"}, unanswered=[Establishment("Collège Muet")])
    for path in write_drafts(items, tmp_path):
        data = path.read_bytes()
        assert b"\r\n" in data
        assert data.replace(b"\r\n", b"").count(b"\n") == 0
        assert data.replace(b"\r\n", b"").count(b"\r") == 0


WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                    *(f"lpt{n}" for n in range(10))}


@pytest.mark.parametrize(("school", "expected"), [
    ("CON", "etablissement-con.eml"), ("Nul", "etablissement-nul.eml"),
    ("com1", "etablissement-com1.eml"), ("Collège « Aux » ?", "college-aux.eml"),
    ("Collège Saint-Exupéry.", "college-saint-exupery.eml"),
])
def test_issue14_file_names_are_safe_on_windows(school: str, expected: str) -> None:
    assert file_name(school, set()) == expected


@given(st.lists(st.text(max_size=80), max_size=6))
def test_issue14_any_school_name_gives_a_windows_safe_unique_file_name(names) -> None:
    taken: set[str] = set()
    made = [file_name(n, taken) for n in names]
    assert len(set(made)) == len(made)
    for name in made:
        stem = name.removesuffix(".eml")
        assert name.endswith(".eml") and stem and len(name) <= 80
        assert not set(name) & WINDOWS_FORBIDDEN and not stem.endswith((".", " "))
        assert stem.split(".")[0].lower() not in WINDOWS_RESERVED


def test_issue14_templates_copied_before_the_fix_are_written_the_new_way() -> None:
    """A campaign's own copy of the old text (« Bonjour $referent, », « la réponse de
    $etablissement », « La prochaine date limite est le $date_limite. »)."""
    old = MessageTemplate.parse(
        "Objet : Relance ($etablissement)\n\nBonjour $referent,\n\nNous avons bien reçu la "
        "réponse de $etablissement.\n\nLa prochaine date limite est le $date_limite.\n")
    found = read_table(table([{**COMPLETE_YES, "etablissement": "Collège Albert-Vandame",
                               "referent": "Rachid ROUSSEL, CPE", "titre": None}]))
    assert found is not None
    schools = check_answers(found.answers, CONFIG.limits)
    (reminder,) = build_reminders(CONFIG, schools, [], (old, old), dt.date(2026, 12, 3))
    assert reminder.subject == "Relance (Collège Albert-Vandame)"
    assert reminder.body == (
        "Bonjour Rachid Roussel,\n\nNous avons bien reçu la réponse du collège Albert-Vandame."
        "\n\nLa dernière date limite, le 10/09/2021, est passée : écrivez-nous dès que possible "
        "si votre établissement souhaite encore participer.")


BREAKY = st.text(st.one_of(st.characters(), st.sampled_from("\r\n\x85\u2028 é")), max_size=300)


@given(body=BREAKY, school=BREAKY, note=st.one_of(st.none(), BREAKY))
def test_issue14_any_draft_has_crlf_line_ends_only(body: str, school: str, note) -> None:
    reminder = Reminder(school, "sans-reponse", (), None, None, f"Relance — {school}", body, note)
    data = draft(reminder).as_bytes()
    assert data.replace(b"\r\n", b"").count(b"\n") == 0
    assert data.replace(b"\r\n", b"").count(b"\r") == 0


def test_issue14_lone_surrogate_in_a_name_neither_crashes_a_draft_nor_a_link() -> None:
    """Found by the property above: « \\ud800 » (a Google Sheets reply can carry one)."""
    reminder = Reminder("Collège \ud800", "sans-reponse", (), None, None,
                        "Relance — Collège \ud800", "Bonjour \ud800\n")
    message = email.message_from_bytes(draft(reminder).as_bytes(), policy=policy.default)
    assert message["Subject"] == "Relance — Collège \ufffd"
    assert "%EF%BF%BD" in reminder.mailto
