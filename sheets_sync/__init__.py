"""sheets-sync: run the « classes Proch'Orientation » campaign from a spreadsheet.

The public API is small on purpose: load a campaign, check its source, sync it.
"""

from .config import Config, load_config
from .errors import ConfigError, SheetsSyncError, SourceChanged, SourceError, WriteRefused
from .form.check import School
from .form.findings import Issue, Report
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
