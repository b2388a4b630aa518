"""sheets-sync: run the « classes Proch'Orientation » campaign from a spreadsheet.

The public API is small on purpose: load a campaign, check its source, sync it.
Names load on first use (PEP 562), so `import sheets_sync.cli` stays light: `--help` and
`template` never import the readers, the matching (OR-Tools, numpy) or the Google client.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """Keeps `sheets_sync.sync` the function once the `sync` submodule is imported.

    Importing a submodule sets it as an attribute of its package; the eager
    `from .sync import sync` used to undo that, the lazy one would not.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "sync" and isinstance(value, types.ModuleType):
            return  # the module stays in sys.modules["sheets_sync.sync"]
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
