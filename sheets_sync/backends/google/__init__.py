"""The Google Sheets backend: pull answers, publish generated tabs, lay out a template.

Where each part lives::

    parse_spreadsheet_ref / open_client   auth             id from a URL; service account or
                                                           SHEETS_EMULATOR_HOST
    read_spreadsheet                      read             2 requests: metadata, batchGet
    plan_publish / publish                publish          1 batchUpdate (staged past 2 MB)
    cell_data                             cells            values, styles, links as CellData
    write_google_template                 template         the annex n°1 laid out in Sheets
    SheetsHTTPClient / RetryPolicy        retry            backoff with jitter, French errors

A sync costs 3 requests whatever the number of schools: metadata, values:batchGet,
batchUpdate. Only this package imports gspread and google-auth.
"""

from __future__ import annotations

from .auth import GoogleTarget, google_target, open_client, parse_spreadsheet_ref
from .publish import PublishResult, plan_publish, publish, publish_batches
from .read import SheetInfo, SpreadsheetRead, read_spreadsheet
from .retry import RetryPolicy, SheetsHTTPClient
from .template import write_google_template

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
