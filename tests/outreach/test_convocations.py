"""Issue #17 item 4: convocation drafts (.eml, never sent) to each school and ambassador with an
event, their .ics attached — read back with the stdlib email parser and the independent
iCalendar reader of the schoolyear tests (not the `icalendar` library the backend writes with).
"""

from __future__ import annotations

import datetime as dt
import email
import re
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.backends.ics import (
    calendar_texts,
    ics_bytes,
    previous_sequences,
    write_calendars,
    write_ics,
)
from sheets_sync.errors import WriteRefused
from sheets_sync.form.contacts import MASK
from sheets_sync.outreach.convocations import (
    Contact,
    Contacts,
    Convocation,
    build_convocations,
    convocation_draft,
    when,
    write_convocations,
)
from sheets_sync.schoolyear.calendar import HalfDay
from sheets_sync.schoolyear.exports import Names, calendar_files
from sheets_sync.schoolyear.model import (
    COMPANY,
    CONFIRMED,
    PUBLISHED,
    SCHOOL,
    VENUE,
    Event,
    PairedClass,
    Plan,
    Unplaced,
)

from ..schoolyear.ics_reader import parse

NOW = dt.datetime(2026, 9, 1, 8, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 10, 5, 17, 0, tzinfo=dt.UTC)
SARTEL, MACE = "0590001A", "0590002B"
CLASSES = [PairedClass("sartel-4e1", SARTEL, ("nadia", "karim")),
           PairedClass("sartel-3e1", SARTEL, ("karim",)),
           PairedClass("mace-4e1", MACE, ("ines", "nadia")),
           PairedClass("mace-3e1", MACE, ("lea",))]  # nothing placed: no convocation for Léa


def half(y: int, m: int, d: int, afternoon: bool = False) -> HalfDay:
    return HalfDay(dt.date(y, m, d), afternoon)


# In the plan's order on purpose not by date: the drafts sort.
EVENTS = [
    Event("sartel-4e1", "restitution", (half(2027, 5, 4),), ("nadia", "karim"), VENUE,
          "Salle Watremez, Roubaix", SARTEL, CONFIRMED),
    Event("sartel-4e1", "lancement", (half(2026, 10, 13),), ("nadia", "karim"), SCHOOL,
          SARTEL, SARTEL),
    Event("sartel-3e1", "lancement", (half(2026, 10, 1, True),), ("karim",), SCHOOL, SARTEL,
          SARTEL, PUBLISHED),
    Event("sartel-4e1", "immersion", (half(2027, 1, 12), half(2027, 1, 12, True)), ("nadia",),
          COMPANY, "Data SA", SARTEL),
    Event("mace-4e1", "lancement", (half(2026, 10, 15),), ("ines", "nadia"), SCHOOL, MACE,
          MACE, CONFIRMED),
]
PLAN = Plan(EVENTS, [Unplaced("mace-3e1", "lancement", "aucun ambassadeur disponible"),
                     Unplaced("mace-4e1", "restitution", "aucune demi-journée commune")])
NAMES = Names(classes={"sartel-4e1": "4ème n°1", "sartel-3e1": "3ème n°1",
                       "mace-4e1": "4ème n°1", "mace-3e1": "3ème n°1"},
              schools={SARTEL: "Collège du Sartel", MACE: "Collège Jean Macé"},
              public={"nadia": "Nadia BENALI", "karim": "Soudeur (Industrie)",
                      "ines": "Infirmière (Santé)", "lea": "Pilote (Transport)"},
              own={"nadia": "Nadia BENALI", "karim": "Karim ROUSSEL", "ines": "Inès HADDAD",
                   "lea": "Léa MARTIN"})
CONTACTS = Contacts(
    ambassadors={"nadia": Contact("nadia.benali@data.example.org", "Nadia BENALI"),
                 "karim": Contact("karim.roussel@soudures.example.org", "Karim ROUSSEL"),
                 "ines": Contact(None, "Inès HADDAD"),
                 "lea": Contact("lea.martin@air.example.org", "Léa MARTIN")},
    schools={SARTEL: Contact("ce.0590001a@ac-lille.example.fr", "Rachid ROUSSEL, CPE"),
             MACE: Contact("secrétariat du collège", None)},
)
CAMPAIGN = "Classes Proch'Orientation — Cité éducative de Roubaix"
EMAILS = {c.email for c in [*CONTACTS.ambassadors.values(), *CONTACTS.schools.values()]
          if c.email and "@" in c.email}
PHONE = re.compile(rb"0\d(?:[ .]?\d\d){4}")


def convocations(folder: Path, plan: Plan = PLAN, contacts: Contacts = CONTACTS,
                 names: Names = NAMES, now: dt.datetime = NOW) -> list[Convocation]:
    """As `calendrier --ics DOSSIER --convocations` does: the .ics bytes once, written and
    attached."""
    files = calendar_files(plan, CLASSES, names)
    texts = calendar_texts(folder, files, now)
    write_ics(folder, texts)
    return build_convocations(plan, CLASSES, names, contacts, files, texts, year="2026-2027",
                              campaign=CAMPAIGN)


def read(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")  # the file's CRLF, read back as lines


def attachment_of(message: EmailMessage) -> EmailMessage:
    (part,) = list(message.iter_attachments())
    assert isinstance(part, EmailMessage)
    return part


def by_key(items: list[Convocation]) -> dict[str, Convocation]:
    return {c.key: c for c in items}


def test_one_convocation_per_school_and_ambassador_with_an_event(tmp_path: Path) -> None:
    items = convocations(tmp_path)
    assert [(c.kind, c.key) for c in items] == [
        ("etablissement", SARTEL), ("etablissement", MACE),
        ("ambassadeur", "ines"), ("ambassadeur", "karim"), ("ambassadeur", "nadia")]
    paths = write_convocations(tmp_path / "convocations", items)
    assert [p.name for p in paths] == [
        "etablissement-0590001a.eml", "etablissement-0590002b.eml", "ambassadeur-ines.eml",
        "ambassadeur-karim.eml", "ambassadeur-nadia.eml"]
    for path in paths:  # each beside the calendar it attaches, same stem
        assert (tmp_path / f"{path.stem}.ics").is_file()


def test_each_draft_parses_back_unsent_to_its_one_address_with_crlf(tmp_path: Path) -> None:
    items = convocations(tmp_path)
    for item, path in zip(items, write_convocations(tmp_path / "c", items), strict=True):
        data = path.read_bytes()
        assert data.replace(b"\r\n", b"").count(b"\n") == 0
        assert data.replace(b"\r\n", b"").count(b"\r") == 0
        message = read(data)
        assert not message.defects
        assert message["X-Unsent"] == "1"
        assert message["To"] == item.address
        assert message["Subject"] == item.subject
        assert message.get_content_type() == "multipart/mixed"
        part = attachment_of(message)
        assert part.get_content_type() == "text/calendar"
        assert part.get_filename() == f"{item.calendar.stem}.ics"
        assert part.get_param("charset") == "utf-8"
        assert part.get_param("method") == "PUBLISH"
    recipients = {c.key: c.address for c in items}
    assert recipients == {SARTEL: "ce.0590001a@ac-lille.example.fr", MACE: None,
                          "ines": None, "karim": "karim.roussel@soudures.example.org",
                          "nadia": "nadia.benali@data.example.org"}


def listed(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith("- ")]


def test_the_body_lists_exactly_the_events_in_date_order(tmp_path: Path) -> None:
    items = by_key(convocations(tmp_path))
    assert listed(items[SARTEL].body) == [
        "- jeudi 1er octobre 2026, après-midi (14 h – 17 h) — Lancement — 3ème n°1 — au collège",
        "- mardi 13 octobre 2026, matin (9 h – 12 h) — Lancement — 4ème n°1 — au collège",
        "- mardi 12 janvier 2027, toute la journée (9 h – 17 h) — Immersion — 4ème n°1 — "
        "chez Data SA",
        "- mardi 4 mai 2027, matin (9 h – 12 h) — Restitution — 4ème n°1 — "
        "lieu : Salle Watremez, Roubaix",
    ]
    assert listed(items["nadia"].body) == [
        "- mardi 13 octobre 2026, matin (9 h – 12 h) — Lancement — 4ème n°1, Collège du "
        "Sartel — au collège",
        "- jeudi 15 octobre 2026, matin (9 h – 12 h) — Lancement — 4ème n°1, Collège Jean "
        "Macé — au collège",
        "- mardi 12 janvier 2027, toute la journée (9 h – 17 h) — Immersion — 4ème n°1, "
        "Collège du Sartel — chez Data SA",
        "- mardi 4 mai 2027, matin (9 h – 12 h) — Restitution — 4ème n°1, Collège du Sartel "
        "— lieu : Salle Watremez, Roubaix",
    ]
    assert len(listed(items["karim"].body)) == 3 and len(listed(items["ines"].body)) == 1


def test_the_attachment_is_the_ics_file_of_the_same_export(tmp_path: Path) -> None:
    """Same bytes as the file written beside it: same UIDs, same SEQUENCE, same DTSTAMP."""
    items = convocations(tmp_path)
    for item, path in zip(items, write_convocations(tmp_path / "c", items), strict=True):
        part = attachment_of(read(path.read_bytes()))
        attached = part.get_payload(decode=True)
        assert isinstance(attached, bytes)
        written = (tmp_path / f"{item.calendar.stem}.ics").read_bytes()
        assert attached == written
        events = parse(attached).walk("VEVENT")
        assert {e.get("UID") for e in events} == {e.uid for e in item.calendar.events}
        assert len(events) == len(listed(item.body))


def test_a_changed_event_has_the_next_sequence_in_file_and_attachment(tmp_path: Path) -> None:
    convocations(tmp_path, now=NOW)
    moved = replace(EVENTS[1], half_days=(half(2026, 10, 14),))  # sartel-4e1 lancement
    plan = Plan([EVENTS[0], moved, *EVENTS[2:]], PLAN.unplaced)
    nadia = by_key(convocations(tmp_path, plan=plan, now=LATER))["nadia"]
    attached = {e.get("UID"): e.get("SEQUENCE") for e in parse(nadia.ics).walk("VEVENT")}
    written = {e.get("UID"): e.get("SEQUENCE") for e in parse(
        (tmp_path / "ambassadeur-nadia.ics").read_bytes()).walk("VEVENT")}
    assert attached == written
    assert sorted(attached.values()) == ["0", "0", "0", "1"]
    assert "- mercredi 14 octobre 2026, matin (9 h – 12 h) — Lancement" in nadia.body


def test_the_same_convocation_is_the_same_file_byte_for_byte(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in write_convocations(tmp_path / "a", convocations(tmp_path))]
    again = [p.read_bytes() for p in write_convocations(tmp_path / "b", convocations(tmp_path))]
    assert first == again


def test_no_contact_data_of_anyone_else_anywhere_in_a_draft(tmp_path: Path) -> None:
    items = convocations(tmp_path)
    for item, path in zip(items, write_convocations(tmp_path / "c", items), strict=True):
        data = path.read_bytes()
        message = read(data)
        attached = attachment_of(message).get_payload(decode=True)
        assert isinstance(attached, bytes)
        texts = [data, body_of(message).encode(), attached]
        own = {item.email}
        for other in EMAILS - own:
            assert not any(other.encode() in t for t in texts), (path.name, other)
        assert not any(PHONE.search(t) for t in texts)
        assert body_of(message).count("@") == (item.note or "").count("@")


def test_others_appear_by_public_name_an_ambassador_by_their_own(tmp_path: Path) -> None:
    items = by_key(convocations(tmp_path))
    karim = items["karim"].body
    assert karim.startswith("Bonjour Karim Roussel,\n\n")
    assert "  Avec : Nadia BENALI — à confirmer" in karim  # consent: her name
    for key in (SARTEL, "nadia", "ines"):  # no consent: job and sector for everyone else
        assert "Karim" not in items[key].body
        assert "Soudeur (Industrie)" in items[key].body or key == "ines"
    assert "Inès" not in items["nadia"].body and "Infirmière (Santé)" in items["nadia"].body


def test_french_sentences_a_principal_reads(tmp_path: Path) -> None:
    sartel = by_key(convocations(tmp_path))[SARTEL]
    assert sartel.subject == "Proch'Orientation — les temps forts 2026-2027 du collège du Sartel"
    lines = sartel.body.splitlines()
    assert lines[:3] == [
        "Bonjour Rachid Roussel,", "",
        "Voici les temps forts 2026-2027 des classes Proch'Orientation du collège du Sartel :"]
    assert "  Avec : Nadia BENALI, Soudeur (Industrie) — à confirmer" in lines
    assert "  Avec : Nadia BENALI, Soudeur (Industrie) — confirmé" in lines
    assert ("Les dates « à confirmer » sont des propositions : merci de nous dire, en "
            "répondant à ce message, si elles conviennent à vos classes.") in lines
    assert ("Le calendrier joint (etablissement-0590001a.ics) contient ces rendez-vous : "
            "ouvrez-le ou importez-le dans votre agenda (Outlook, Google Agenda, Thunderbird…)."
            " Si nous vous en envoyons une nouvelle version, l'importer mettra à jour ces "
            "rendez-vous sans les dupliquer.") in lines
    assert lines[-4:] == ["Bien cordialement,", "", "L'équipe de coordination", CAMPAIGN]
    assert "restent à fixer" not in sartel.body  # every temps fort of Sartel is placed


def test_french_sentences_an_ambassador_reads(tmp_path: Path) -> None:
    items = by_key(convocations(tmp_path))
    nadia = items["nadia"]
    assert nadia.subject == "Proch'Orientation — vos temps forts 2026-2027"
    assert nadia.body.startswith(
        "Bonjour Nadia Benali,\n\nMerci de votre engagement auprès des classes "
        "Proch'Orientation. Voici les temps forts 2026-2027 auxquels nous vous attendons :\n\n")
    assert "  Avec : Infirmière (Santé) — confirmé" in nadia.body
    assert "  Avec : Soudeur (Industrie) — à confirmer" in nadia.body
    assert "\n  À confirmer\n" in nadia.body  # the immersion: Nadia alone
    assert ("merci de nous dire, en répondant à ce message, si elles vous conviennent."
            in nadia.body)
    assert ("D'autres temps forts restent à fixer : nous vous écrirons dès que leur date sera "
            "arrêtée.") in nadia.body  # mace-4e1's restitution
    ines = items["ines"]  # her only event is confirmed: nothing to confirm
    assert "« à confirmer »" not in ines.body and "\n  Avec : Nadia BENALI — confirmé\n" in (
        ines.body)


def test_no_known_address_gets_the_note_and_no_to(tmp_path: Path) -> None:
    items = convocations(tmp_path)
    drafts = dict(zip([c.key for c in items], write_convocations(tmp_path / "c", items),
                      strict=True))
    ines = read(drafts["ines"].read_bytes())
    assert ines["To"] is None
    assert body_of(ines).startswith(
        "[À effacer avant l'envoi] Aucune adresse connue pour cet ambassadeur : indiquez le "
        "destinataire vous-même.\n\nBonjour Inès Haddad,")
    mace = read(drafts[MACE].read_bytes())
    assert mace["To"] is None
    assert body_of(mace).startswith(
        "[À effacer avant l'envoi] L'adresse saisie (« secrétariat du collège ») n'est pas une "
        "adresse électronique utilisable : indiquez le destinataire vous-même.\n\n"
        "Madame, Monsieur,\n\n")
    karim = read(drafts["karim"].read_bytes())
    assert not body_of(karim).startswith("[")


HEADERS = {"Subject", "To", "X-Unsent", "MIME-Version", "Content-Type"}


@pytest.mark.parametrize("school", [
    "Collège du Sartel\r\nBcc: victim@example.org",
    "Collège\nTo: victim@example.org",
    "Collège =?utf-8?q?x=0D=0ABcc:_victim@example.org?=",
    "Collège =?utf-8?b?eA0KQmNjOiB2aWN0aW1AZXhhbXBsZS5vcmc=?=",
    "Collège\u2028Bcc: victim@example.org",
])
def test_a_school_name_cannot_add_a_header(tmp_path: Path, school: str) -> None:
    names = replace(NAMES, schools={**NAMES.schools, SARTEL: school})
    for item in convocations(tmp_path, names=names):
        message = read(convocation_draft(item).as_bytes())
        assert set(message.keys()) == HEADERS - ({"To"} if item.address is None else set())
        assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
        assert message["To"] in {item.address, None} and "victim" not in (message["To"] or "")


@pytest.mark.parametrize("typed", [
    "a@example.org\r\nBcc: victim@example.org", "a@example.org, victim@example.org",
    "Direction <a@example.org>", "=?utf-8?q?x=0D=0ABcc:_victim@example.org?=",
])
def test_only_a_plain_typed_address_becomes_the_recipient(tmp_path: Path, typed: str) -> None:
    contacts = replace(CONTACTS, schools={**CONTACTS.schools, SARTEL: Contact(typed, None)})
    sartel = by_key(convocations(tmp_path, contacts=contacts))[SARTEL]
    message = read(convocation_draft(sartel).as_bytes())
    assert message["To"] is None and set(message.keys()) == HEADERS - {"To"}
    assert body_of(message).startswith("[À effacer avant l'envoi] L'adresse saisie")


def test_contact_data_typed_in_a_name_is_masked_in_the_body(tmp_path: Path) -> None:
    names = replace(NAMES, schools={**NAMES.schools, SARTEL: "Collège du Sartel 03 20 12 34 56"},
                    public={**NAMES.public, "karim": "Soudeur karim@soudures.example.org"})
    for item in convocations(tmp_path, names=names):
        assert "03 20 12 34 56" not in item.body and "karim@" not in item.body
        if item.key in (SARTEL, "nadia"):
            assert MASK in item.body


@pytest.mark.parametrize(("days", "expected"), [
    ((half(2026, 10, 13),), "mardi 13 octobre 2026, matin (9 h – 12 h)"),
    ((half(2026, 10, 1, True),), "jeudi 1er octobre 2026, après-midi (14 h – 17 h)"),
    ((half(2027, 1, 12), half(2027, 1, 12, True)),
     "mardi 12 janvier 2027, toute la journée (9 h – 17 h)"),
    ((half(2027, 1, 12, True), half(2027, 1, 13)),
     "du mardi 12 janvier 2027 à 14 h au mercredi 13 janvier 2027 à 12 h"),
])
def test_when(days: tuple[HalfDay, ...], expected: str) -> None:
    assert when(replace(EVENTS[1], half_days=days)) == expected


def test_a_file_in_the_way_is_refused_in_french(tmp_path: Path) -> None:
    items = convocations(tmp_path)
    blocked = tmp_path / "fichier"
    blocked.write_text("pas un dossier")
    with pytest.raises(WriteRefused, match=r"^Impossible de créer le dossier .*fichier : un "
                                           r"fichier \(et non un dossier\) porte ce nom\.$"):
        write_convocations(blocked, items)
    folder = tmp_path / "c"
    (folder / "ambassadeur-karim.eml").mkdir(parents=True)
    with pytest.raises(WriteRefused, match=r"^Impossible d'écrire le brouillon .*"
                                           r"ambassadeur-karim\.eml : c'est un dossier"):
        write_convocations(folder, items)


def test_write_calendars_writes_what_ics_bytes_returns(tmp_path: Path) -> None:
    """One code path for the file and the attachment, before and after a first export."""
    files = calendar_files(PLAN, CLASSES, NAMES)
    before = {f.stem: ics_bytes(tmp_path, f, NOW) for f in files}
    written = {p.stem: p.read_bytes() for p in write_calendars(tmp_path, files, NOW)}
    assert written == before == {f.stem: ics_bytes(tmp_path, f, NOW) for f in files}


TEXT = st.text(st.one_of(st.characters(), st.sampled_from("\r\n\x85\u2028 é=?@")), max_size=80)


@settings(max_examples=60, deadline=None)
@given(school=TEXT, referent=st.one_of(st.none(), TEXT), typed=st.one_of(st.none(), TEXT),
       public=TEXT)
def test_any_typed_text_gives_a_draft_with_our_headers_and_crlf_only(
        tmp_path_factory: pytest.TempPathFactory, school: str, referent: str | None,
        typed: str | None, public: str) -> None:
    folder = tmp_path_factory.mktemp("any")
    names = replace(NAMES, schools={**NAMES.schools, SARTEL: school},
                    public={**NAMES.public, "karim": public})
    contacts = replace(CONTACTS, schools={**CONTACTS.schools, SARTEL: Contact(typed, referent)})
    for item in convocations(folder, names=names, contacts=contacts):
        data = convocation_draft(item).as_bytes()
        assert data.replace(b"\r\n", b"").count(b"\n") == 0
        assert data.replace(b"\r\n", b"").count(b"\r") == 0
        message = read(data)
        assert set(message.keys()) <= HEADERS
        assert message["To"] == item.address
        assert attachment_of(message).get_payload(decode=True) == item.ics


@pytest.mark.parametrize("typed", ["Collège du\r\nSartel", "Collège du\nSartel",
                                   "Collège du\rSartel", "Collège\x00du\x0bSartel",
                                   "Collège du Sartel\ud800"])
def test_bug_a_school_name_on_two_lines_crashed_the_ics_export(tmp_path: Path,
                                                              typed: str) -> None:
    """Bug: a school name typed on two lines made `calendrier --ics` crash (icalendar asserts
    on a bare line break in X-WR-CALNAME); a control character or a lone surrogate was
    written into the file, or crashed it."""
    names = replace(NAMES, schools={**NAMES.schools, SARTEL: typed})
    files = calendar_files(PLAN, CLASSES, names)
    for path in write_calendars(tmp_path, files, NOW):
        data = path.read_bytes()
        assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", data.replace(b"\r\n", b""))
        root = parse(data)
        assert "\n" not in root.text("X-WR-CALNAME")
        for event in root.walk("VEVENT"):
            assert "\n" not in event.text("SUMMARY") + event.text("LOCATION")
    school = parse((tmp_path / "etablissement-0590001a.ics").read_bytes())
    assert school.text("X-WR-CALNAME").startswith("Temps forts — Collège")


def test_previous_sequences_reads_what_icalendar_reads(tmp_path: Path) -> None:
    """The line reader (fast, for the second export of a large campaign) against the library."""
    convocations(tmp_path, now=NOW)
    moved = replace(EVENTS[1], half_days=(half(2026, 10, 14),))
    convocations(tmp_path, plan=Plan([EVENTS[0], moved, *EVENTS[2:]], PLAN.unplaced), now=LATER)
    paths = sorted(tmp_path.glob("*.ics"))
    assert paths
    for path in paths:
        library = {str(e["UID"]): (int(e["SEQUENCE"]), str(e["X-SHEETS-SYNC-EMPREINTE"]))
                   for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
        assert previous_sequences(path) == library
    assert any(seq == 1 for path in paths for seq, _ in previous_sequences(path).values())


def test_previous_sequences_of_a_file_edited_elsewhere(tmp_path: Path) -> None:
    """LF line ends, a folded UID, parameters, an unreadable SEQUENCE, a stray VTODO."""
    path = tmp_path / "x.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:abc\n def@x\nSEQUENCE: 3 \n"
                     b"X-SHEETS-SYNC-EMPREINTE;X=1:f00\nEND:VEVENT\nBEGIN:VTODO\nUID:t\n"
                     b"END:VTODO\nBEGIN:VEVENT\nUID:u2\nSEQUENCE:x\nEND:VEVENT\n"
                     b"END:VCALENDAR\n")
    assert previous_sequences(path) == {"abcdef@x": (3, "f00"), "u2": (0, "")}
    assert previous_sequences(tmp_path / "absent.ics") == {}


def test_contacts_come_from_the_roster_and_the_answers() -> None:
    """The referent typed in one cell, else in two (« Prénom » / « NOM »); no e-mail: None."""
    from types import SimpleNamespace

    from sheets_sync.outreach.convocations import contacts_of

    def classroom(school: str, values: dict[str, object]) -> SimpleNamespace:
        return SimpleNamespace(unit=SimpleNamespace(school=school),
                               school=SimpleNamespace(values=values))

    member = SimpleNamespace(ambassador=SimpleNamespace(id="nadia"), name="Nadia BENALI",
                             email="nadia@example.org")
    sponsorship = SimpleNamespace(members=[member], classes=[
        classroom(SARTEL, {"courriel": "ce@example.fr", "referent": "Rachid ROUSSEL, CPE"}),
        classroom(SARTEL, {"courriel": "autre@example.fr"}),  # same school: the first answer
        classroom(MACE, {"courriel": " ", "referent_prenom": "Alice", "referent_nom": "MARTIN"}),
    ])
    contacts = contacts_of(sponsorship)  # type: ignore[arg-type]
    assert contacts.ambassadors == {"nadia": Contact("nadia@example.org", "Nadia BENALI")}
    assert contacts.schools == {SARTEL: Contact("ce@example.fr", "Rachid ROUSSEL, CPE"),
                                MACE: Contact(None, "Alice MARTIN")}


def test_a_school_with_a_temps_fort_left_to_fix_is_told(tmp_path: Path) -> None:
    items = by_key(convocations(tmp_path))
    assert ("D'autres temps forts restent à fixer : nous vous écrirons dès que leur date sera "
            "arrêtée.") in items[MACE].body
    assert "restent à fixer" not in items["karim"].body  # his classes are all placed


def test_convocations_read_as_french(tmp_path: Path) -> None:
    """The mistakes a principal would notice (tests/test_french.py's catalogue)."""
    from ..test_french import mistakes_in

    contacts = replace(CONTACTS, schools={**CONTACTS.schools, MACE: Contact(None, None)})
    for item in convocations(tmp_path, contacts=contacts):
        for text in (item.subject, item.body, item.note or ""):
            assert mistakes_in(text) == [], (item.key, text)
