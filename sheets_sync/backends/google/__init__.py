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
batchUpdate. Only this package imports gspread and google-auth, and only when a name
above is first used (`sheets-sync --help`, `check` on Excel never load them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cells.lazy import keep_function, lazy_attributes

if TYPE_CHECKING:  # loaded on first use: gspread, google-auth and requests cost ~0.4 s
    from .auth import GoogleTarget, google_target, open_client, parse_spreadsheet_ref
    from .publish import PublishResult, plan_publish, publish, publish_batches
    from .read import SheetInfo, SpreadsheetRead, read_spreadsheet
    from .retry import RetryPolicy, SheetsHTTPClient
    from .template import write_google_template

_HOMES = {
    "GoogleTarget": "auth", "google_target": "auth", "open_client": "auth",
    "parse_spreadsheet_ref": "auth",
    "PublishResult": "publish", "plan_publish": "publish", "publish": "publish",
    "publish_batches": "publish",
    "SheetInfo": "read", "SpreadsheetRead": "read", "read_spreadsheet": "read",
    "RetryPolicy": "retry", "SheetsHTTPClient": "retry",
    "write_google_template": "template",
}


__getattr__ = lazy_attributes(__name__, _HOMES)
keep_function(__name__, "publish")


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
