"""Set up a campaign: a new campaign folder, and the fictional demo workbook."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .backends.xlsx_template import write_template
from .config import Config, load_config
from .demo import demo_answers, demo_roster
from .errors import ConfigError

TEMPLATE_NAMES = {"tableau": "modele-tableau.xlsx", "fiche": "modele-fiche.xlsx"}


def default_config_text() -> str:
    """The commented config.toml a new campaign starts from."""
    return (resources.files("sheets_sync") / "resources" / "config.toml").read_text("utf-8")


def init_campaign(folder: Path) -> list[Path]:
    """Create a campaign folder: config.toml and both templates. Never overwrites a file."""
    folder.mkdir(parents=True, exist_ok=True)
    config_path = folder / "config.toml"
    targets = [config_path, *(folder / name for name in TEMPLATE_NAMES.values())]
    existing = [p.name for p in targets if p.exists()]
    if existing:
        raise ConfigError(
            f"Le dossier « {folder} » contient déjà : {', '.join(existing)} ; rien n'a été écrit."
        )
    config_path.write_text(default_config_text(), encoding="utf-8")
    config = load_config(config_path)
    for layout, name in TEMPLATE_NAMES.items():
        write_template(folder / name, layout, config)
    return targets


def build_demo(config: Config) -> bool:
    """Write the fictional demo workbook at the configured source, if it is absent."""
    if config.source.exists():
        return False
    config.source.parent.mkdir(parents=True, exist_ok=True)
    write_template(config.source, "tableau", config, answers=demo_answers(),
                   roster=demo_roster())
    return True
