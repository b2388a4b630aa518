"""The Excel backend: read workbooks into grids, write generated tabs back safely.

Where each part lives::

    read_workbook, workbook_files  read         .xlsx/.xlsm: calamine (openpyxl when unusual);
    read_tab                                    a skimmed tab read whole, from the same bytes
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

from typing import TYPE_CHECKING

from ...cells.lazy import Home, lazy_attributes

if TYPE_CHECKING:  # loaded on first use: `template` needs xlsxwriter, not openpyxl (numpy)
    from .read import SUFFIXES as WORKBOOK_SUFFIXES
    from .read import WorkbookRead, file_fingerprint, read_tab, read_workbook, workbook_files
    from .write import (
        backup_path,
        plan_write,
        remove_stale_temp_files,
        write_obstacles,
        write_tabs,
    )

_HOMES: dict[str, Home] = {
    "WORKBOOK_SUFFIXES": ("read", "SUFFIXES"), "WorkbookRead": "read",
    "file_fingerprint": "read", "read_tab": "read", "read_workbook": "read",
    "workbook_files": "read",
    "backup_path": "write", "plan_write": "write", "remove_stale_temp_files": "write",
    "write_obstacles": "write", "write_tabs": "write",
}


__getattr__ = lazy_attributes(__name__, _HOMES)


__all__ = [
    "WORKBOOK_SUFFIXES",
    "WorkbookRead",
    "backup_path",
    "file_fingerprint",
    "plan_write",
    "read_tab",
    "read_workbook",
    "remove_stale_temp_files",
    "workbook_files",
    "write_obstacles",
    "write_tabs",
]
