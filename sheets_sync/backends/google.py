"""The Google Sheets backend: pull answers, publish generated tabs, lay out a template.

Where each part lives::

    parse_spreadsheet_ref / open_client   google_auth      id from a URL; service account or
                                                           SHEETS_EMULATOR_HOST
    read_spreadsheet                      google_read      2 requests: metadata, batchGet
    plan_publish / publish                google_publish   1 batchUpdate (staged past 2 MB)
    cell_data                             google_cells     values, styles, links as CellData
    write_google_template                 google_template  the annex n°1 laid out in Sheets
    SheetsHTTPClient / RetryPolicy        google_retry     backoff with jitter, French errors

A sync costs 3 requests whatever the number of schools: metadata, values:batchGet,
batchUpdate. Only this package imports gspread and google-auth.
"""

from __future__ import annotations

from .google_auth import GoogleTarget, google_target, open_client, parse_spreadsheet_ref
from .google_publish import PublishResult, plan_publish, publish, publish_batches
from .google_read import SheetInfo, SpreadsheetRead, read_spreadsheet
from .google_retry import RetryPolicy, SheetsHTTPClient
from .google_template import write_google_template

__all__ = [
    "GoogleTarget",
    "PublishResult",
    "RetryPolicy",
    "SheetInfo",
    "SheetsHTTPClient",
    "SpreadsheetRead",
    "google_target",
    "open_client",
    "parse_spreadsheet_ref",
    "plan_publish",
    "publish",
    "publish_batches",
    "read_spreadsheet",
    "write_google_template",
]
