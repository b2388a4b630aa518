"""Reminders: for each school to chase, what is missing in plain French and a ready message.

The message comes from an editable text template (first line « Objet : … », then the body)
with $placeholders:

    $salutation        « Bonjour Rachid Roussel, » (the referent written normally), else
                       « Madame, Monsieur, »
    $etablissement     the school's name as typed: « Collège Albert-Vandame »
    $de_etablissement  « du collège Albert-Vandame », « de l'établissement Jean-Macé »
    $echeance          where the deadlines stand, one sentence (see `wording.deadline_sentence`)
    $a_completer       one « - … » line per thing to fix
    $campagne          the campaign's name
    $referent          the referent's name (« Rachid Roussel ») or « Madame, Monsieur »
    $date_limite       the next deadline (the last one once all have passed): prefer $echeance

The toolkit never sends mail: it writes a « Relances » tab (with mailto: links) and drafts.

Text typed by a principal never becomes an active link or a recipient: the « Courriel »
cell is shown as typed (inside a note to the coordinator when unusable), but only a plain
address (« direction@college.example.fr », no space, no line break, no « ? & = , ; < > ») is
put in the mailto: link or a draft's To; anything else
(« =HYPERLINK(…) », « x@example.org?bcc=… », « a@b.fr\r\nBcc: … ») leaves the message without
recipient. Every character of the link is percent-encoded.

A school that never answered is written to at the address of the reference list (its
optional « Courriel » column); when none is known, « Relances » and the draft say so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from string import Template
from urllib.parse import quote

from ..cells.grid import GeneratedTab, OutCell
from ..cells.layout import Table, lay_out
from ..config import CampaignView
from ..form.check import INCOMPLETE, School
from ..form.identity import Establishment
from ..form.model import FIELD
from .wording import deadline_sentence, greeting, of_school, person_name

INCOMPLETE_REASON = "incomplet"
NO_ANSWER = "sans-reponse"
_SUBJECT_PREFIX = "objet :"
# Lines of the texts shipped before issue #14, still in the campaigns' own copies: written
# the way the new texts write them (a name in capitals, « de Collège », a past deadline).
_UPGRADES = (
    ("Bonjour $referent,", "$salutation"),
    ("la réponse de $etablissement", "la réponse $de_etablissement"),
    ("La prochaine date limite est le $date_limite.", "$echeance"),
)
# One plain address: what a mailto: link or a To header may be built from.
_ADDRESS = re.compile(r"^[\w.+'-]+@[\w-]+(?:\.[\w-]+)+$")
NO_ADDRESS = "Aucune adresse connue"


def well_formed(text: str) -> str:
    """`text` with a lone surrogate (« \\ud800 », which a Google Sheets reply can carry) made
    U+FFFD: UTF-8 cannot encode it, and a mailto: link or a draft would crash on it."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def plain_address(text: str | None) -> str | None:
    """`text` if it is one plain e-mail address, else None (see the module docstring)."""
    return text if text is not None and _ADDRESS.fullmatch(text) else None


@dataclass(frozen=True)
class MessageTemplate:
    """A reminder's subject and body, with $placeholders."""

    subject: str
    body: str

    @classmethod
    def parse(cls, text: str) -> MessageTemplate:
        """First line « Objet : … », a blank line, then the body."""
        for old, new in _UPGRADES:
            text = text.replace(old, new)
        first, _, rest = text.replace("\r\n", "\n").partition("\n")
        if first.lower().startswith(_SUBJECT_PREFIX):
            return cls(first[len(_SUBJECT_PREFIX):].strip(), rest.strip("\n"))
        return cls("Classes Proch'Orientation", text.strip("\n"))


@dataclass(frozen=True)
class Reminder:
    """One school to chase."""

    school: str
    reason: str
    to_fix: tuple[str, ...]
    email: str | None
    referent: str | None
    subject: str
    body: str
    note: str | None = None  # for the coordinator, never in the message: e.g. no address

    @property
    def address(self) -> str | None:
        """The recipient: the typed e-mail when it is one plain address, else None."""
        return plain_address(self.email)

    @property
    def mailto(self) -> str:
        """A mailto: link with subject and body, every character percent-encoded."""
        address = quote(self.address or "", safe="@")
        subject, body = quote(well_formed(self.subject)), quote(well_formed(self.body))
        return f"mailto:{address}?subject={subject}&body={body}"


def next_deadline(config: CampaignView, today: dt.date) -> dt.date | None:
    """The next deadline from today (inclusive), None once all have passed."""
    upcoming = sorted(s.deadline for s in config.sessions if s.deadline >= today)
    return upcoming[0] if upcoming else None


def no_address_note(reminder: Reminder, reference_tab: str) -> str | None:
    """What the coordinator must know before sending: no usable address, and why."""
    if reminder.address:
        return None
    if reminder.email:
        return (f"L'adresse saisie (« {reminder.email} ») n'est pas une adresse électronique "
                "utilisable : indiquez le destinataire vous-même.")
    if reminder.reason == NO_ANSWER:
        return (f"{NO_ADDRESS} pour cet établissement : indiquez le destinataire vous-même, "
                f"ou son courriel dans l'onglet « {reference_tab} » (colonne « Courriel », à "
                "ajouter au besoin).")
    return f"{NO_ADDRESS} pour cet établissement : indiquez le destinataire vous-même."


def what_to_fix(school: School) -> tuple[str, ...]:
    """« Cellule I7 : la question « Vos objectifs » est sans réponse. », one line per error.

    The cell says where, the message names the question: the label is not repeated.
    """
    lines: list[str] = []
    for issue in school.issues:
        if issue.severity != "erreur" or issue.field is None:
            continue
        label = FIELD[issue.field].label if issue.field in FIELD else issue.field
        message = _after_colon(issue.message)
        if issue.cell:
            lines.append(f"Cellule {issue.cell} : {message}")
        elif f"« {label} »" in message:
            lines.append(issue.message)
        else:
            lines.append(f"{label} : {message}")
    return tuple(lines)


def _after_colon(text: str) -> str:
    """« La question … » → « la question … » (after a colon, as French writes it); a word
    in capitals (« UAI ») is left alone."""
    second = text[1:2]
    return text[:1].lower() + text[1:] if second.islower() or second in ("'", "’") else text


def _render(template: MessageTemplate, values: dict[str, str]) -> tuple[str, str]:
    return (Template(template.subject).safe_substitute(values),
            Template(template.body).safe_substitute(values))


def build_reminders(
    config: CampaignView,
    schools: Sequence[School],
    unanswered: Sequence[Establishment],
    templates: tuple[MessageTemplate, MessageTemplate],
    today: dt.date,
) -> list[Reminder]:
    """A reminder per incomplete answer, then per school of the reference list with none."""
    incomplete_template, unanswered_template = templates
    coming = next_deadline(config, today) or max(
        (s.deadline for s in config.sessions), default=None)
    base = {"campagne": config.name, "echeance": deadline_sentence(config.sessions, today),
            "date_limite": f"{coming:%d/%m/%Y}" if coming else ""}
    out: list[Reminder] = []
    for school in schools:
        if school.status != INCOMPLETE:
            continue
        name = school.name or "(établissement sans nom)"
        to_fix = what_to_fix(school)
        typed = school.values.get("referent")
        referent = typed if isinstance(typed, str) else None
        email = school.values.get("courriel")
        values = {**base, **_school_values(name), "salutation": greeting(referent),
                  "referent": person_name(referent) or "Madame, Monsieur",
                  "a_completer": "\n".join(f"- {line}" for line in to_fix)}
        subject, body = _render(incomplete_template, values)
        out.append(Reminder(name, INCOMPLETE_REASON, to_fix,
                            email if isinstance(email, str) else None, referent, subject, body))
    for establishment in unanswered:
        values = {**base, **_school_values(establishment.name),
                  "salutation": greeting(None), "referent": "Madame, Monsieur",
                  "a_completer": "- l'annexe n°1 entière"}
        subject, body = _render(unanswered_template, values)
        out.append(Reminder(establishment.name, NO_ANSWER, (), establishment.email, None,
                            subject, body))
    return [replace(r, note=no_address_note(r, config.tabs.establishments)) for r in out]


def _school_values(name: str) -> dict[str, str]:
    return {"etablissement": name, "de_etablissement": of_school(name)}


def reminders_tab(config: CampaignView, reminders: Sequence[Reminder], banner: str) -> GeneratedTab:
    """« Relances » (coordinators only): whom to chase, for what, and a ready message."""
    rows = tuple(
        (
            OutCell(r.school),
            OutCell("Incomplet" if r.reason == INCOMPLETE_REASON else "Sans réponse",
                    "error" if r.reason == INCOMPLETE_REASON else "warning"),
            OutCell("\n".join(r.to_fix) or "Toute l'annexe n°1", "wrap"),
            OutCell(r.referent),
            OutCell(r.email) if r.address else OutCell(r.note, "warning"),
            OutCell(r.subject),
            OutCell(r.body, "wrap"),
            OutCell("Écrire" if r.address else "Préparer le message", link=r.mailto),
        )
        for r in reminders
    )
    # widths: at most these, else from the content (cells/layout.py); long texts wrap
    table = Table(("Établissement", "Motif", "À compléter", "Référent", "Courriel", "Objet",
                   "Message", "Lien"), rows, widths=(30, 14, 60, 26, 30, 40, 70, 18))
    return lay_out(
        config.tabs.reminders, banner, f"Relances — {config.name} (réservé à la coordination)",
        [table],
        notes=("Aucun message n'est envoyé par sheets-sync : le lien ouvre un brouillon dans "
               "votre messagerie. Modèles modifiables : templates/relance.txt et "
               "templates/relance-sans-reponse.txt.",),
    )
