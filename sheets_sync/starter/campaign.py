"""Set up a campaign: templates, a new campaign folder, and the fictional demo workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..backends import google
from ..backends.excel import template as excel_template
from ..config import Config, load_config
from ..errors import ConfigError, WriteRefused
from ..form.template import (
    coordination_sheets,
    coordination_sheets_guide,
    coordination_template,
    sheets_guide,
    sheets_template,
    workbook_template,
)
from ..outreach.texts import default_message_texts, resource_text
from .config_text import REFERENCE_DAY, config_text
from .fictional import demo_answers, demo_roster

TEMPLATE_NAMES = {"tableau": "modele-tableau.xlsx", "fiche": "modele-fiche.xlsx"}
COORDINATION_NAME = "coordination.xlsx"


def write_template(
    path: Path,
    layout: str,
    config: Config | None = None,
    *,
    answers: Sequence[Mapping[str, object]] = (),
    roster: Sequence[Mapping[str, object]] = (),
    with_roster: bool = True,
) -> None:
    """Write an annex n°1 workbook (`layout` « tableau » or « fiche ») to `path`.

    `answers` and `roster` pre-fill rows (keys of ANSWER_FIELDS / ROSTER_FIELDS); a fiche
    takes the first answer only. The file is replaced whole, or not at all.
    """
    template = workbook_template(layout, config, answers=answers, roster=roster,
                                 with_roster=with_roster)
    excel_template.write_template(path, template)


def default_config_text() -> str:
    """The commented config.toml of a one-file campaign (no coordinator workbook), for the
    2021-2022 school year (the shipped file, generated from the schema: config_text.py)."""
    return resource_text("config.toml")


def campaign_config_text(today: dt.date | None = None) -> str:
    """The config.toml `init` writes: commented, naming a coordinator workbook, with the school
    year and deadlines of a campaign set up on `today` (None: the 2021-2022 one)."""
    return config_text(today or REFERENCE_DAY, coordination=COORDINATION_NAME)


def init_campaign(folder: Path, today: dt.date | None = None) -> list[Path]:
    """Create a campaign folder: config.toml, both templates and the coordinator workbook.

    The school year and deadlines are those of a campaign set up on `today` (default: the
    computer's date), shown in config.toml and in the templates' guide. Never overwrites a
    file.
    """
    if folder.exists() and not folder.is_dir():
        raise WriteRefused(f"« {folder} » est un fichier, pas un dossier : choisissez un autre "
                           "nom de dossier. Rien n'a été écrit.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteRefused(f"Impossible de créer le dossier « {folder} » "
                           f"({exc.strerror or exc}).") from None
    config_path = folder / "config.toml"
    messages = {folder / "templates" / name: text for name, text in default_message_texts().items()}
    targets = [config_path, *(folder / name for name in TEMPLATE_NAMES.values()),
               folder / COORDINATION_NAME, *messages]
    existing = [p.name for p in targets if p.exists()]
    if existing:
        raise ConfigError(
            f"Le dossier « {folder} » contient déjà : {', '.join(existing)} ; rien n'a été écrit."
        )
    config_path.write_text(campaign_config_text(today or dt.date.today()), encoding="utf-8")
    (folder / "templates").mkdir(exist_ok=True)
    for path, text in messages.items():
        path.write_text(text, encoding="utf-8")
    config = load_config(config_path)
    for layout, name in TEMPLATE_NAMES.items():
        write_template(folder / name, layout, config, with_roster=False)
    write_coordination(folder / COORDINATION_NAME, config)
    return targets


def write_coordination(path: Path, config: Config | None = None, *,
                       roster: Sequence[Mapping[str, object]] = ()) -> None:
    """Write the coordinator workbook (roster, « Ajustements ») to `path`, replaced whole."""
    excel_template.write_template(path, coordination_template(config, roster=roster))


def google_template(spreadsheet: str, config: Config | None) -> str:
    """Lay out annex n°1 in an (empty) Google spreadsheet; returns its id.

    The roster goes in the same spreadsheet only for a one-file campaign (a config without
    « [coordination] »); a coordinator spreadsheet named in config gets the roster and
    « Ajustements » first.
    """
    spreadsheet_id = google.parse_spreadsheet_ref(spreadsheet)
    source = config.google if config is not None else None
    client = google.open_client(source.credentials if source else None,
                                max_wait=source.max_wait if source else 60.0)
    coordination = config.coordination if config is not None else None
    if isinstance(coordination, str):
        google.write_google_template(client, google.parse_spreadsheet_ref(coordination),
                                     coordination_sheets(config),
                                     guide=coordination_sheets_guide(config))
    one_file = config is not None and coordination is None
    google.write_google_template(client, spreadsheet_id,
                                 sheets_template(config, with_roster=one_file),
                                 guide=sheets_guide(config, with_roster=one_file))
    return spreadsheet_id


def build_demo(config: Config) -> bool:
    """Write the fictional demo workbooks at the configured places, if the source is absent.

    With a coordinator workbook named in config, the roster goes there, not in the shared
    workbook; without, the demo is a one-file campaign.
    """
    if config.source.exists():
        return False
    config.source.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(config.coordination, Path):
        write_template(config.source, "tableau", config, answers=demo_answers(),
                       with_roster=False)
        if not config.coordination.exists():
            config.coordination.parent.mkdir(parents=True, exist_ok=True)
            write_coordination(config.coordination, config, roster=demo_roster())
        return True
    write_template(config.source, "tableau", config, answers=demo_answers(),
                   roster=demo_roster())
    return True
