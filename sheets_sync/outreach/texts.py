"""The reminder texts: the campaign's own files, or the ones shipped with the package.

A text starts with « Objet : … », then the body; `MessageTemplate` parses it. A new campaign
gets copies in `templates/` (`sheets-sync init`) for the coordination to edit.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import ConfigError
from .reminders import MessageTemplate

MESSAGE_NAMES = ("relance.txt", "relance-sans-reponse.txt")
RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def resource_text(name: str) -> str:
    """A text shipped with the package (package data, `sheets_sync/resources/`)."""
    return (RESOURCES / name).read_text("utf-8")


def default_message_texts() -> dict[str, str]:
    """The reminder templates a new campaign starts from (file name → text)."""
    return {name: resource_text(name) for name in MESSAGE_NAMES}


def reminder_templates(config: Config) -> tuple[MessageTemplate, MessageTemplate]:
    """The campaign's reminder templates, parsed (incomplete answer, no answer)."""
    incomplete, unanswered = message_texts(config)
    return MessageTemplate.parse(incomplete), MessageTemplate.parse(unanswered)


def message_texts(config: Config) -> tuple[str, str]:
    """The campaign's reminder templates; the built-in text where a file is absent."""
    defaults = default_message_texts()
    paths = config.reminder_templates or ()
    texts = []
    for name, path in zip(MESSAGE_NAMES, paths or [None, None], strict=True):
        try:
            texts.append(path.read_text("utf-8") if path else defaults[name])
        except FileNotFoundError:
            texts.append(defaults[name])
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Modèle de relance illisible : {path} ({exc})") from None
    return texts[0], texts[1]
