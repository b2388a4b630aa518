"""sheets-sync: run the « classes Proch'Orientation » campaign from a spreadsheet.

The public API is small on purpose: load a campaign, check its source, sync it.
"""

from .check import School
from .config import Config, load_config
from .errors import ConfigError, SheetsSyncError, SourceChanged, SourceError, WriteRefused
from .report import Issue, Report
from .sync import CheckResult, SyncResult, check_source, sync

__all__ = [
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
    "sync",
]
