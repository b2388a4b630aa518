"""Set up a campaign: templates, a new campaign folder, and the fictional demo workbook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..backends import google
from ..backends.excel import template as excel_template
from ..config import Config, load_config
from ..errors import ConfigError
from ..form.template import sheets_template, workbook_template
from ..outreach.texts import default_message_texts, resource_text
from .fictional import demo_answers, demo_roster

TEMPLATE_NAMES = {"tableau": "modele-tableau.xlsx", "fiche": "modele-fiche.xlsx"}


def write_template(
    path: Path,
    layout: str,
    config: Config | None = None,
    *,
    answers: Sequence[Mapping[str, object]] = (),
    roster: Sequence[Mapping[str, object]] = (),
) -> None:
    """Write an annex n°1 workbook (`layout` « tableau » or « fiche ») to `path`.

    `answers` and `roster` pre-fill rows (keys of ANSWER_FIELDS / ROSTER_FIELDS); a fiche
    takes the first answer only. The file is replaced whole, or not at all.
    """
    template = workbook_template(layout, config, answers=answers, roster=roster)
    excel_template.write_template(path, template)


def default_config_text() -> str:
    """The commented config.toml a new campaign starts from."""
    return resource_text("config.toml")


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
    google.write_google_template(client, spreadsheet_id, sheets_template(config))
    return spreadsheet_id


def build_demo(config: Config) -> bool:
    """Write the fictional demo workbook at the configured source, if it is absent."""
    if config.source.exists():
        return False
    config.source.parent.mkdir(parents=True, exist_ok=True)
    write_template(config.source, "tableau", config, answers=demo_answers(),
                   roster=demo_roster())
    return True
