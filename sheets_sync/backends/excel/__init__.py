"""The Excel backend: read workbooks into grids, write generated tabs back safely.

Where each part lives::

    read_workbook, workbook_files  read         .xlsx/.xlsm: openpyxl, read-only, cached values
                                   calamine_read  .xls/.xlsb/.ods: python-calamine, after
                                   calamine_prescan  (what calamine would allocate, errors)
                                   files.package_guard  limits of [lecture], before parsing
    plan_write / write_tabs        write        render + graft (package_index, tablist,
                                                styles, xmltext, generated_tabs): parts
                                                grafted, atomic replace with a backup
    write_template                 template     the annex n°1 workbooks for principals
    write_report_xlsx              report_book  the partners' report workbook
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # loaded on first use: `template` needs xlsxwriter, not openpyxl (numpy)
    from .read import SUFFIXES as WORKBOOK_SUFFIXES
    from .read import WorkbookRead, file_fingerprint, read_workbook, workbook_files
    from .write import (
        backup_path,
        plan_write,
        remove_stale_temp_files,
        write_obstacles,
        write_tabs,
    )

_HOMES = {
    "WORKBOOK_SUFFIXES": ("read", "SUFFIXES"), "WorkbookRead": ("read", "WorkbookRead"),
    "file_fingerprint": ("read", "file_fingerprint"), "read_workbook": ("read", "read_workbook"),
    "workbook_files": ("read", "workbook_files"), "backup_path": ("write", "backup_path"),
    "plan_write": ("write", "plan_write"),
    "remove_stale_temp_files": ("write", "remove_stale_temp_files"),
    "write_obstacles": ("write", "write_obstacles"), "write_tabs": ("write", "write_tabs"),
}


def __getattr__(name: str) -> Any:
    """Import the module holding `name` when it is first asked for (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home, attribute = _HOMES[name]
    value = getattr(importlib.import_module(f".{home}", __name__), attribute)
    globals()[name] = value
    return value


__all__ = [
    "WORKBOOK_SUFFIXES",
    "WorkbookRead",
    "backup_path",
    "file_fingerprint",
    "plan_write",
    "read_workbook",
    "remove_stale_temp_files",
    "workbook_files",
    "write_obstacles",
    "write_tabs",
]
