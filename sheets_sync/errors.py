"""Why the tool itself cannot run. Bad *input* is never an exception: it is a report issue.

    SheetsSyncError            exit 2, one French line, no traceback
    ├── ConfigError            config.toml missing, unreadable or wrong (names the key)
    ├── SourceError            source missing, not a workbook, no annex table in it
    │   └── SourceChanged      the source changed on disk while we were syncing
    └── WriteRefused           writing would damage the workbook or lose what people typed
"""

from __future__ import annotations


class SheetsSyncError(Exception):
    """Base: the message is French and meant for the coordinator."""

    exit_code = 2


class ConfigError(SheetsSyncError):
    """The configuration cannot be used."""


class SourceError(SheetsSyncError):
    """The source cannot be read as an annex n°1 table."""


class SourceChanged(SourceError):
    """The source was modified by someone else during the sync."""


class WriteRefused(SheetsSyncError):
    """Writing the generated tabs would damage the workbook."""
