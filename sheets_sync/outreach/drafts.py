"""Drafts as .eml files for the coordinator's mail client: reminders (one per school to chase)
and convocations (outreach/convocations.py, with their .ics attached).

The toolkit never sends mail: `X-Unsent: 1` makes Outlook open the file as a draft; other
clients show it as a message to forward or copy.

What a principal typed cannot add a header: a line break (CR, LF, U+2028…) or a control
character in a school name becomes a space in the Subject, and « =? » becomes « = ? »: the
email package decodes an RFC 2047 encoded word such as « =?utf-8?q?x=0D=0ABcc:…?= » when the
header is set, line breaks included, and Python 3.11.7 then writes them out as a new header
(python/cpython#121650, CVE-2024-6923; patched versions raise instead, a crash as bad).
The To header is only ever one plain address (`reminders.plain_address`), else left out and
the body opens with a note for the coordinator (« [À effacer avant l'envoi] Aucune adresse
connue… »). The body is plain text: an address or a URL in it is not made a link by us.

Outlook on Windows wants RFC 5322 files: every line ends with CRLF (the SMTP policy), and
file names avoid what Windows refuses (`:*?"<>|`, a trailing dot or space, CON, NUL, COM1…).
"""

from __future__ import annotations

import errno
import re
import unicodedata
from collections.abc import Iterable, Sequence
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from ..backends.files.os_reasons import reason
from ..errors import WriteRefused
from .reminders import Reminder, plain_address, well_formed

# Line ends (CR, LF, NEL, U+2028, U+2029…) and other control characters: never in a header.
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
# Names Windows reserves for devices, with any extension (« con.eml » cannot be opened).
_RESERVED = {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))}
# No folding: Python folds long encoded subjects into RFC 2047 words and loses the space
# between them (« est à » read back as « està »), so keep each header on one line.
POLICY = SMTP.clone(max_line_length=998)
NOTE_PREFIX = "[À effacer avant l'envoi]"


def header_text(text: str) -> str:
    """`text` on one line, fit for a header: every break or control run becomes one space,
    and no encoded word can start (« =? » → « = ? »)."""
    return _BREAKS.sub(" ", well_formed(text)).strip().replace("=?", "= ?")


def message(subject: str, body: str, address: str | None, note: str | None = None,
            sender: str | None = None) -> EmailMessage:
    """An unsent plain-text message (UTF-8, CRLF): To only when `address` is one plain
    address; `note` (for the coordinator) opens the body, marked to be deleted."""
    mail = EmailMessage(policy=POLICY)
    mail["Subject"] = header_text(subject)
    if plain_address(address):
        mail["To"] = address
    if sender:
        mail["From"] = header_text(sender)
    mail["X-Unsent"] = "1"
    if note:
        body = f"{NOTE_PREFIX} {note}\n\n{body}"
    mail.set_content(well_formed(body))
    return mail


def attach_calendar(mail: EmailMessage, data: bytes, stem: str) -> None:
    """Attach an .ics (`data`, as backends/ics.ics_bytes makes it) as « <stem>.ics »,
    `text/calendar; charset=utf-8; method=PUBLISH` (base64: its CRLF lines stay whole)."""
    mail.add_attachment(data, maintype="text", subtype="calendar",
                        filename=f"{header_text(stem)}.ics",
                        params={"charset": "utf-8", "method": "PUBLISH"})


def draft(reminder: Reminder, sender: str | None = None) -> EmailMessage:
    """One reminder as an e-mail message (plain text, UTF-8)."""
    return message(reminder.subject, reminder.body, reminder.address, reminder.note, sender)


def file_name(school: str, taken: set[str], fallback: str = "etablissement") -> str:
    """« Collège de l'Épeule » → college-de-l-epeule.eml (numbered when taken); `fallback`
    names what has no letter or digit, and prefixes a name Windows reserves."""
    ascii_name = unicodedata.normalize("NFKD", school).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower())[:60].strip("-") or fallback
    if slug in _RESERVED:  # « Con » is a fine name for a school, not for a Windows file
        slug = f"{fallback}-{slug}"
    name, n = f"{slug}.eml", 2
    while name in taken:
        name, n = f"{slug}-{n}.eml", n + 1
    taken.add(name)
    return name


def write_messages(folder: Path, messages: Iterable[tuple[str, EmailMessage]]) -> list[Path]:
    """Write each (file name, message) into `folder` (created); the files written, in order.

    WriteRefused (French) when the folder cannot be made or a file cannot be written (a
    folder of that name in the way, no permission…); the files written before it stay.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteRefused(f"Impossible de créer le dossier {folder} : {_why(exc)}.") from None
    written = []
    for name, mail in messages:
        path = folder / name
        try:
            path.write_bytes(mail.as_bytes())
        except OSError as exc:
            raise WriteRefused(f"Impossible d'écrire le brouillon {path} : {_why(exc)}.") from None
        written.append(path)
    return written


def _why(exc: OSError) -> str:
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        return "un fichier (et non un dossier) porte ce nom"
    return reason(exc)


def write_drafts(reminders: Sequence[Reminder], folder: Path) -> list[Path]:
    """Write one .eml per reminder into `folder` (created); returns the files written."""
    taken: set[str] = set()
    return write_messages(folder, ((file_name(r.school, taken), draft(r)) for r in reminders))
