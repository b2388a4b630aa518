"""Reminder drafts as .eml files, one per school, for the coordinator's mail client.

The toolkit never sends mail: `X-Unsent: 1` makes Outlook open the file as a draft; other
clients show it as a message to forward or copy.

What a principal typed cannot add a header: a line break (CR, LF, U+2028…) or a control
character in a school name becomes a space in the Subject, and « =? » becomes « = ? »: the
email package decodes an RFC 2047 encoded word such as « =?utf-8?q?x=0D=0ABcc:…?= » when the
header is set, line breaks included, and Python 3.11.7 then writes them out as a new header
(python/cpython#121650, CVE-2024-6923; patched versions raise instead, a crash as bad).
The To header is only ever one plain address (`Reminder.address`), else left out and the
body opens with a note for the coordinator (« [À effacer avant l'envoi] Aucune adresse
connue… »). The body is plain text: an address or a URL in it is not made a link by us.

Outlook on Windows wants RFC 5322 files: every line ends with CRLF (the SMTP policy), and
file names avoid what Windows refuses (`:*?"<>|`, a trailing dot or space, CON, NUL, COM1…).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from ..errors import WriteRefused
from .reminders import Reminder, well_formed

# Line ends (CR, LF, NEL, U+2028, U+2029…) and other control characters: never in a header.
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
# Names Windows reserves for devices, with any extension (« con.eml » cannot be opened).
_RESERVED = {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))}


def header_text(text: str) -> str:
    """`text` on one line, fit for a header: every break or control run becomes one space,
    and no encoded word can start (« =? » → « = ? »)."""
    return _BREAKS.sub(" ", well_formed(text)).strip().replace("=?", "= ?")


def draft(reminder: Reminder, sender: str | None = None) -> EmailMessage:
    """One reminder as an e-mail message (plain text, UTF-8)."""
    # No folding: Python folds long encoded subjects into RFC 2047 words and loses the space
    # between them (« est à » read back as « està »), so keep each header on one line.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998))
    message["Subject"] = header_text(reminder.subject)
    if reminder.address:
        message["To"] = reminder.address
    if sender:
        message["From"] = header_text(sender)
    message["X-Unsent"] = "1"
    body = reminder.body
    if reminder.note:
        body = f"[À effacer avant l'envoi] {reminder.note}\n\n{body}"
    message.set_content(well_formed(body))
    return message


def file_name(school: str, taken: set[str]) -> str:
    """« Collège de l'Épeule » → college-de-l-epeule.eml (numbered when taken)."""
    ascii_name = unicodedata.normalize("NFKD", school).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower())[:60].strip("-") or "etablissement"
    if slug in _RESERVED:  # « Con » is a fine name for a school, not for a Windows file
        slug = f"etablissement-{slug}"
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
