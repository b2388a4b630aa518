"""Reminders: for each school to chase, what is missing in plain French and a ready message.

The message comes from an editable text template (first line « Objet : … », then the body)
with $placeholders: $etablissement, $referent, $campagne, $a_completer, $date_limite.
The toolkit never sends mail: it writes a « Relances » tab (with mailto: links) and drafts.

Text typed by a principal never becomes an active link or a recipient: the « Courriel »
cell is shown as typed, but only a plain address (« direction@college.example.fr », no
space, no line break, no « ? & = , ; < > ») is put in the mailto: link or a draft's To;
anything else (« =HYPERLINK(…) », « x@example.org?bcc=… », « a@b.fr\r\nBcc: … ») leaves the
message without recipient. Every character of the link is percent-encoded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from string import Template
from urllib.parse import quote

from ..cells.grid import GeneratedTab, OutCell
from ..config import CampaignView
from ..form.check import INCOMPLETE, School
from ..form.identity import Establishment
from ..form.model import FIELD

INCOMPLETE_REASON = "incomplet"
NO_ANSWER = "sans-reponse"
_SUBJECT_PREFIX = "objet :"
# One plain address: what a mailto: link or a To header may be built from.
_ADDRESS = re.compile(r"^[\w.+'-]+@[\w-]+(?:\.[\w-]+)+$")


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

    @property
    def address(self) -> str | None:
        """The recipient: the typed e-mail when it is one plain address, else None."""
        return plain_address(self.email)

    @property
    def mailto(self) -> str:
        """A mailto: link with subject and body, every character percent-encoded."""
        address = quote(self.address or "", safe="@")
        return f"mailto:{address}?subject={quote(self.subject)}&body={quote(self.body)}"


def next_deadline(config: CampaignView, today: dt.date) -> dt.date:
    """The next deadline from today (the last one once all have passed)."""
    upcoming = [s.deadline for s in config.sessions if s.deadline >= today]
    return upcoming[0] if upcoming else config.sessions[-1].deadline


def what_to_fix(school: School) -> tuple[str, ...]:
    """« Vos objectifs (cellule I7) », one line per field with an error."""
    lines: list[str] = []
    for issue in school.issues:
        if issue.severity != "erreur" or issue.field is None:
            continue
        label = FIELD[issue.field].label if issue.field in FIELD else issue.field
        where = f" (cellule {issue.cell})" if issue.cell else ""
        lines.append(f"{label}{where} : {issue.message}")
    return tuple(lines)


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
    base = {"campagne": config.name, "date_limite": f"{next_deadline(config, today):%d/%m/%Y}"}
    out: list[Reminder] = []
    for school in schools:
        if school.status != INCOMPLETE:
            continue
        name = school.name or "(établissement sans nom)"
        to_fix = what_to_fix(school)
        referent = school.values.get("referent")
        email = school.values.get("courriel")
        values = {**base, "etablissement": name, "referent": referent or "Madame, Monsieur",
                  "a_completer": "\n".join(f"- {line}" for line in to_fix)}
        subject, body = _render(incomplete_template, values)
        out.append(Reminder(name, INCOMPLETE_REASON, to_fix,
                            email if isinstance(email, str) else None,
                            referent if isinstance(referent, str) else None, subject, body))
    for establishment in unanswered:
        values = {**base, "etablissement": establishment.name, "referent": "Madame, Monsieur",
                  "a_completer": "- l'annexe n°1 entière"}
        subject, body = _render(unanswered_template, values)
        out.append(Reminder(establishment.name, NO_ANSWER, (), None, None, subject, body))
    return out


def reminders_tab(config: CampaignView, reminders: Sequence[Reminder], banner: str) -> GeneratedTab:
    """« Relances » (coordinators only): whom to chase, for what, and a ready message."""
    rows = tuple(
        (
            OutCell(r.school),
            OutCell("Incomplet" if r.reason == INCOMPLETE_REASON else "Sans réponse",
                    "error" if r.reason == INCOMPLETE_REASON else "warning"),
            OutCell("\n".join(r.to_fix) or "Toute l'annexe n°1", "wrap"),
            OutCell(r.referent),
            OutCell(r.email),
            OutCell(r.subject),
            OutCell(r.body, "wrap"),
            OutCell("Écrire" if r.address else "Préparer le message", link=r.mailto),
        )
        for r in reminders
    )
    return GeneratedTab(
        name=config.tabs.reminders,
        banner=banner,
        title=f"Relances — {config.name} (réservé à la coordination)",
        header=("Établissement", "Motif", "À compléter", "Référent", "Courriel", "Objet",
                "Message", "Lien"),
        rows=rows,
        widths=(30, 14, 60, 26, 30, 40, 70, 18),
        notes=("Aucun message n'est envoyé par sheets-sync : le lien ouvre un brouillon dans "
               "votre messagerie. Modèles modifiables : templates/relance.txt et "
               "templates/relance-sans-reponse.txt.",),
    )
