"""Set up a campaign: a new campaign folder, and the fictional demo workbook."""

from __future__ import annotations

from pathlib import Path

from .backends import google
from .backends.xlsx_template import write_template
from .config import Config, load_config
from .demo import demo_answers, demo_roster
from .errors import ConfigError
from .reminders import MessageTemplate

TEMPLATE_NAMES = {"tableau": "modele-tableau.xlsx", "fiche": "modele-fiche.xlsx"}
MESSAGE_NAMES = ("relance.txt", "relance-sans-reponse.txt")


RESOURCES = Path(__file__).resolve().parent / "resources"


def _resource(name: str) -> str:
    """A text shipped with the package (package data, beside this module)."""
    return (RESOURCES / name).read_text("utf-8")


def default_config_text() -> str:
    """The commented config.toml a new campaign starts from."""
    return _resource("config.toml")


def default_message_texts() -> dict[str, str]:
    """The reminder templates a new campaign starts from (file name → text)."""
    return {name: _resource(name) for name in MESSAGE_NAMES}


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


def init_campaign(folder: Path) -> list[Path]:
    """Create a campaign folder: config.toml and both templates. Never overwrites a file."""
    folder.mkdir(parents=True, exist_ok=True)
    config_path = folder / "config.toml"
    messages = {folder / "templates" / name: text for name, text in default_message_texts().items()}
    targets = [config_path, *(folder / name for name in TEMPLATE_NAMES.values()), *messages]
    existing = [p.name for p in targets if p.exists()]
    if existing:
        raise ConfigError(
            f"Le dossier « {folder} » contient déjà : {', '.join(existing)} ; rien n'a été écrit."
        )
    config_path.write_text(default_config_text(), encoding="utf-8")
    (folder / "templates").mkdir(exist_ok=True)
    for path, text in messages.items():
        path.write_text(text, encoding="utf-8")
    config = load_config(config_path)
    for layout, name in TEMPLATE_NAMES.items():
        write_template(folder / name, layout, config)
    return targets


def google_template(spreadsheet: str, config: Config | None) -> str:
    """Lay out annex n°1 in an (empty) Google spreadsheet; returns its id."""
    spreadsheet_id = google.parse_spreadsheet_ref(spreadsheet)
    source = config.google if config is not None else None
    client = google.open_client(source.credentials if source else None,
                                max_wait=source.max_wait if source else 60.0)
    google.write_google_template(client, spreadsheet_id, config)
    return spreadsheet_id


def build_demo(config: Config) -> bool:
    """Write the fictional demo workbook at the configured source, if it is absent."""
    if config.source.exists():
        return False
    config.source.parent.mkdir(parents=True, exist_ok=True)
    write_template(config.source, "tableau", config, answers=demo_answers(),
                   roster=demo_roster())
    return True
