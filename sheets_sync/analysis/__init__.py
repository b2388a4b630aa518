"""The campaign for analysts: pandas DataFrames, and exports (CSV, Parquet, xlsx).

    campaign = sheets_sync.open_campaign("config.toml")     # reads and checks, writes nothing
    campaign.answers, campaign.findings, campaign.classes, campaign.ambassadors,
    campaign.pairings                                         # DataFrames (docs/analyse.md)

pandas (and pyarrow for Parquet) come with the optional extra
`pip install 'sheets-sync[analyse]'`; without them `MissingExtra` says so in French.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config, load_config
from ..errors import SheetsSyncError

if TYPE_CHECKING:
    from .frames import CampaignFrames

EXTRA = "pip install 'sheets-sync[analyse]'"


class MissingExtra(SheetsSyncError, ImportError):
    """pandas or pyarrow is not installed: the optional extra « analyse » is missing."""


def require(*modules: str) -> None:
    """Import `modules` or raise MissingExtra naming the first missing one and the fix."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingExtra(
                f"L'analyse des données demande le module « {module} », absent de cette "
                f"installation. Installez-le avec : {EXTRA}") from None


def open_campaign(config: str | Path | Config = "config.toml", *, contacts: bool = False,
                  today: dt.date | None = None) -> CampaignFrames:
    """Read and check the campaign of `config` and give it as DataFrames; writes nothing.

    `contacts` False (the default): no e-mail, phone or person's name (but an ambassador's
    public one), every text masked as the partner tabs mask it. `today`: the day the sessions
    of answers without « Date de dépôt » are reckoned from (the default: today).
    """
    require("pandas")
    from ..sync import check_source
    from .frames import build_frames

    loaded = config if isinstance(config, Config) else load_config(str(config))
    checked = check_source(loaded, today=today)
    return build_frames(loaded, checked.campaign, checked.sponsorship, checked.report,
                        contacts=contacts)
