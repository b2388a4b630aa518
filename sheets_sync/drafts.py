"""Reminder drafts as .eml files, one per school, for the coordinator's mail client.

The toolkit never sends mail: `X-Unsent: 1` makes Outlook open the file as a draft; other
clients show it as a message to forward or copy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from .errors import WriteRefused
from .reminders import Reminder


def draft(reminder: Reminder, sender: str | None = None) -> EmailMessage:
    """One reminder as an e-mail message (plain text, UTF-8)."""
    # No folding: Python folds long encoded subjects into RFC 2047 words and loses the space
    # between them (« est à » read back as « està »), so keep each header on one line.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998))
    message["Subject"] = reminder.subject
    if reminder.email:
        message["To"] = reminder.email
    if sender:
        message["From"] = sender
    message["X-Unsent"] = "1"
    message.set_content(reminder.body)
    return message


def file_name(school: str, taken: set[str]) -> str:
    """« Collège de l'Épeule » → college-de-l-epeule.eml (numbered when taken)."""
    ascii_name = unicodedata.normalize("NFKD", school).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "etablissement"
    name, n = f"{slug}.eml", 2
    while name in taken:
        name, n = f"{slug}-{n}.eml", n + 1
    taken.add(name)
    return name


def write_drafts(reminders: Sequence[Reminder], folder: Path) -> list[Path]:
    """Write one .eml per reminder into `folder` (created); returns the files written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        written = []
        for reminder in reminders:
            path = folder / file_name(reminder.school, taken)
            path.write_bytes(draft(reminder).as_bytes())
            written.append(path)
    except OSError as exc:
        raise WriteRefused(f"Impossible d'écrire les brouillons dans {folder} ({exc}).") from None
    return written
