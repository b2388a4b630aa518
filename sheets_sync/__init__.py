"""sheets-sync: run the « classes Proch'Orientation » campaign from a spreadsheet.

The public API is small on purpose: load a campaign, check its source, sync it; for analysts,
`open_campaign` gives the campaign as pandas DataFrames (extra « analyse », docs/analyse.md).
Names load on first use (PEP 562), so `import sheets_sync.cli` stays light: `--help` and
`template` never import the readers, the matching (OR-Tools, numpy), the Google client or pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"  # the package's version (pyproject.toml reads it here)

from .cells.lazy import keep_function, lazy_attributes
from .config import Config, load_config
from .errors import ConfigError, SheetsSyncError, SourceChanged, SourceError, WriteRefused

if TYPE_CHECKING:
    from .analysis import open_campaign
    from .analysis.frames import CampaignFrames
    from .form.check import School
    from .form.findings import Issue, Report
    from .sync import CheckResult, SyncResult, check_source, sync

_HOMES = {
    "CampaignFrames": "analysis.frames",
    "open_campaign": "analysis",
    "School": "form.check",
    "Issue": "form.findings",
    "Report": "form.findings",
    "CheckResult": "sync",
    "SyncResult": "sync",
    "check_source": "sync",
    "sync": "sync",
}

__all__ = [
    "CampaignFrames",
    "CheckResult",
    "Config",
    "ConfigError",
    "Issue",
    "Report",
    "School",
    "SheetsSyncError",
    "SourceChanged",
    "SourceError",
    "SyncResult",
    "WriteRefused",
    "check_source",
    "load_config",
    "open_campaign",
    "sync",
]


__getattr__ = lazy_attributes(__name__, _HOMES)
keep_function(__name__, "sync")


