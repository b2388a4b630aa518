"""sheets-sync: run the « classes Proch'Orientation » campaign from a spreadsheet.

The public API is small on purpose: load a campaign, check its source, sync it.
Names load on first use (PEP 562), so `import sheets_sync.cli` stays light: `--help` and
`template` never import the readers, the matching (OR-Tools, numpy) or the Google client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cells.lazy import keep_function, lazy_attributes
from .config import Config, load_config
from .errors import ConfigError, SheetsSyncError, SourceChanged, SourceError, WriteRefused

if TYPE_CHECKING:
    from .form.check import School
    from .form.findings import Issue, Report
    from .sync import CheckResult, SyncResult, check_source, sync

_HOMES = {
    "School": "form.check",
    "Issue": "form.findings",
    "Report": "form.findings",
    "CheckResult": "sync",
    "SyncResult": "sync",
    "check_source": "sync",
    "sync": "sync",
}

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


__getattr__ = lazy_attributes(__name__, _HOMES)
keep_function(__name__, "sync")


