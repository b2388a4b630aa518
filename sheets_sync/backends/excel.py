"""The Excel backend: read workbooks into grids, write generated tabs back safely.

Where each part lives::

    read_workbook / read_folder    xlsx_read    .xlsx/.xlsm: openpyxl, read-only, cached values
                                   calamine_read  .xls/.xlsb/.ods: python-calamine, after
                                   calamine_prescan  (what calamine would allocate, errors)
                                   package_guard  limits of [lecture], checked before parsing
    lossy_content                  xlsx_losses  package XML, what openpyxl would drop
    plan_write / write_tabs        xlsx_write   xlsx_render + xlsx_graft: parts grafted,
                                                atomic replace with a backup
"""

from __future__ import annotations

from .xlsx_read import SUFFIXES as WORKBOOK_SUFFIXES
from .xlsx_read import WorkbookRead, file_fingerprint, read_folder, read_workbook
from .xlsx_write import (
    backup_path,
    lossy_content,
    plan_write,
    remove_stale_temp_files,
    write_obstacles,
    write_tabs,
)

__all__ = [
    "WORKBOOK_SUFFIXES",
    "WorkbookRead",
    "backup_path",
    "file_fingerprint",
    "lossy_content",
    "plan_write",
    "read_folder",
    "read_workbook",
    "remove_stale_temp_files",
    "write_obstacles",
    "write_tabs",
]
