"""Publish generated tabs to Google Sheets in one spreadsheets.batchUpdate, all or nothing.

One batch (Google applies it whole or not at all), for every tab of the sync::

    addSheet        a new tab: appended, with a sheetId derived from its title
    deleteSheet +   our previous tab: removed and re-added with the SAME sheetId, title and
      addSheet        place, so bookmarks (#gid=…) and links keep working, and nothing of the
                      old tab (cells, formats, charts, protections) survives
    updateCells     every cell from A1, values and formats (text always as stringValue)
    updateDimensionProperties   column widths (pixelSize ≈ width × 7) and the heights of
                                rows taller than a line (cells/layout.py: the same numbers
                                as the Excel backend)
    mergeCells      notes and section titles across their block (layout)
    addProtectedRange           the whole tab, warning only (no editors)
    addChart        one per grid.Chart: a native chart over the tab's cells (charts)
    deleteSheet     our tabs the sync no longer produces (and leftovers of a failed split)

A whole sync is then 3 requests: metadata, values:batchGet, this batchUpdate.

Past `max_bytes` (Google recommends a 2 MB payload at most; it refuses a body over 10 MiB,
« Request payload size exceeds the limit: 10485760 bytes »), the same content is staged:
hidden tabs « sheets-sync préparation N » are filled row by row, each request filled up to
the limit whichever tab its rows belong to (ceil(size / 2 MB) requests), then the last
request swaps them in: shows them, deletes the old tabs, copies each (duplicateSheet) under
the sheetId, title and place of the tab it replaces, deletes the staging tabs, and adds the
protections and charts. Nobody ever sees a half-written dashboard, and bookmarks (#gid=…)
keep working as after a single request. If a request fails, one more request removes the
staging tabs; failing that, they stay hidden and carry our marker, so the next sync removes
them. Measured with the emulator (bench/bench_google.py campaign, whole sync): one request
up to 550-600 schools; 650 schools, 2.3 MB, 2 + 2 requests; 3,000 schools, 10.5 MB, 2 + 6
(2 + 8 before rows filled each request); 7,000 schools, 24 MB, 2 + 13.

Someone typing into the input tabs during the sync is not an error: input tabs are never
written, and the next sync reflects their change. Google has no conditional write, so we do
not pay a request to detect it; a tab renamed or removed meanwhile makes Google refuse the
whole batch (unknown sheetId, title taken), which reports SourceChanged, nothing written.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...cells.a1 import from_a1
from ...cells.grid import GeneratedTab
from ...cells.layout import Geometry, geometry, points_to_pixels
from ...errors import WriteRefused
from .cells import cell_data
from .charts import chart_requests
from .read import SheetInfo, SpreadsheetRead
from .retry import CALL_ERRORS, SheetsHTTPClient, encode, translate

MAX_BYTES = 2_000_000
MAX_TITLE = 100
PIXELS_PER_WIDTH = 7
STAGING_PREFIX = "sheets-sync préparation "
PLACEHOLDER_TITLE = "sheets-sync (temporaire)"
PROTECTION_NOTE = "Onglet généré par sheets-sync : il est remplacé à chaque synchronisation."
_BATCH_OVERHEAD = len(b'{"requests":[]}')

Request = dict[str, Any]


@dataclass(frozen=True)
class PublishResult:
    """What a publish cost: batchUpdate requests (retries not counted), their body bytes,
    the retries the policy made, and whether the tabs were staged (split publish)."""

    requests: int
    bytes_sent: int
    retries: int = 0
    staged: bool = False


# --- the plan ------------------------------------------------------------------------------


def _check_names(tabs: Sequence[GeneratedTab]) -> None:
    seen: set[str] = set()
    for tab in tabs:
        if not tab.name.strip() or len(tab.name) > MAX_TITLE:
            raise WriteRefused(
                f"Nom d'onglet impossible dans Google Sheets : « {tab.name} » (1 à {MAX_TITLE} "
                "caractères)."
            )
        if tab.name.casefold() in seen:
            raise WriteRefused(f"Deux onglets générés portent le nom « {tab.name} ».")
        seen.add(tab.name.casefold())


def plan_publish(read: SpreadsheetRead, tabs: Sequence[GeneratedTab]) -> list[tuple[str, str]]:
    """What a publish would do, tab by tab: « créé » or « remplacé » (for --dry-run).

    Refuses, as the publish itself would, to replace a tab of our name that we did not make.
    """
    _check_names(tabs)
    generated = {t.casefold() for t in read.generated}
    foreign = [
        s.title
        for s in read.sheets
        if s.title.casefold() in {t.name.casefold() for t in tabs}
        and s.title.casefold() not in generated
    ]
    if foreign:
        listed = ", ".join(f"« {n} »" for n in foreign)
        raise WriteRefused(
            f"Dans le classeur Google, l'onglet {listed} porte le nom d'un onglet généré mais "
            "n'a pas été créé par sheets-sync ; il n'est pas remplacé. Renommez-le ou changez "
            "le nom dans config.toml. Rien n'a été écrit."
        )
    return [(t.name, "remplacé" if t.name.casefold() in generated else "créé") for t in tabs]


# --- requests for one tab ------------------------------------------------------------------


def stable_sheet_id(title: str, taken: set[int]) -> int:
    """A sheetId derived from the title (the same gid at each sync), avoiding `taken`."""
    digest = int.from_bytes(hashlib.sha256(title.casefold().encode()).digest()[:8], "big")
    candidate = digest % (2**31 - 2) + 1
    while candidate in taken:
        candidate = candidate % (2**31 - 2) + 1
    taken.add(candidate)
    return candidate


def _grid_size(tab: GeneratedTab) -> tuple[int, int]:
    """Rows and columns of the tab's grid: its cells, merges, and each chart's cells."""
    rows = tab.as_rows()
    width = max([len(r) for r in rows] + [len(tab.widths), 1] + [m.last_col for m in tab.merges])
    ends = [(r + (c.rows or 1) - 1, col + (c.cols or 1) - 1)
            for c in tab.charts for r, col in [from_a1(c.anchor)]]
    height = max([len(rows), GeneratedTab.HEADER_ROW + 1] + [r for r, _ in ends])
    return height, max([width] + [c for _, c in ends])


def add_sheet(
    tab: GeneratedTab, sheet_id: int, title: str, *, hidden: bool, index: int | None = None
) -> Request:
    rows, cols = _grid_size(tab)
    props: dict[str, Any] = {
        "sheetId": sheet_id,
        "title": title,
        "hidden": hidden,
        "gridProperties": {
            "rowCount": rows,
            "columnCount": cols,
            "frozenRowCount": GeneratedTab.HEADER_ROW,
        },
    }
    if index is not None:
        props["index"] = index
    return {"addSheet": {"properties": props}}


def row_data(tab: GeneratedTab, gids: Mapping[str, int],
             geo: Geometry | None = None) -> list[dict[str, Any]]:
    """Every row of the tab as RowData, banner first; the cells the layout wraps (a text
    wider than its column, a merged note) say so (wrapStrategy WRAP, top-aligned)."""
    wrapped = (geo or geometry(tab)).wrapped
    out: list[dict[str, Any]] = []
    for r, row in enumerate(tab.as_rows(), start=1):
        values = [cell_data(cell, gids, wrap=(r, c) in wrapped)
                  for c, cell in enumerate(row, start=1)]
        out.append({"values": values} if values else {})
    return out


def update_cells(sheet_id: int, first_row: int, rows: list[dict[str, Any]]) -> Request:
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": first_row, "columnIndex": 0},
            "rows": rows,
            "fields": "userEnteredValue,userEnteredFormat",
        }
    }


def finishing(
    tab: GeneratedTab,
    sheet_id: int,
    gids: Mapping[str, int] | None = None,
    tabs: Mapping[str, GeneratedTab] | None = None,
) -> list[Request]:
    """Column widths, row heights, merges, warning-only protection, charts: what follows the
    cells."""
    geo = geometry(tab)
    out: list[Request] = []
    start = 0
    widths = list(tab.widths)
    while start < len(widths):  # one request per run of equal widths
        end = start
        while end + 1 < len(widths) and widths[end + 1] == widths[start]:
            end += 1
        out.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": start,
                        "endIndex": end + 1,
                    },
                    "properties": {"pixelSize": round(widths[start] * PIXELS_PER_WIDTH)},
                    "fields": "pixelSize",
                }
            }
        )
        start = end + 1
    out.extend(_row_heights(geo, sheet_id))
    out.extend(
        {
            "mergeCells": {
                "range": {
                    "sheetId": sheet_id,
                    "startRowIndex": m.first_row - 1,
                    "endRowIndex": m.last_row,
                    "startColumnIndex": m.first_col - 1,
                    "endColumnIndex": m.last_col,
                },
                "mergeType": "MERGE_ALL",
            }
        }
        for m in geo.merges
    )
    out.append(
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": sheet_id},
                    "description": PROTECTION_NOTE,
                    "warningOnly": True,
                }
            }
        }
    )
    out.extend(chart_requests(tab, sheet_id, gids, tabs, geo.charts))
    return out


def _row_heights(geo: Geometry, sheet_id: int) -> list[Request]:
    """One updateDimensionProperties per run of rows of the same height taller than a line."""
    out: list[Request] = []
    custom = geo.custom_heights()
    n = 0
    while n < len(custom):
        first, height = custom[n]
        last = first
        while n + 1 < len(custom) and custom[n + 1] == (last + 1, height):
            n += 1
            last += 1
        out.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "ROWS",
                        "startIndex": first - 1,
                        "endIndex": last,
                    },
                    "properties": {"pixelSize": points_to_pixels(height)},
                    "fields": "pixelSize",
                }
            }
        )
        n += 1
    return out


def _shape(request: Request) -> bool:
    """Sizes and merges: written on a staging tab (duplicateSheet copies them)."""
    return "updateDimensionProperties" in request or "mergeCells" in request


# --- batches -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """Where one generated tab goes: its final title, sheetId, place, and whether it
    replaces one of ours (`old`)."""

    tab: GeneratedTab
    sheet_id: int
    index: int
    old: SheetInfo | None


def _slots(read: SpreadsheetRead, tabs: Sequence[GeneratedTab]) -> tuple[list[_Slot], list[int]]:
    """Final places of our tabs (replaced ones where they were, new ones at the end) and the
    sheetIds of our tabs to drop."""
    ours = {t.casefold() for t in read.generated}
    wanted = {t.name.casefold(): t for t in tabs}
    taken = {s.sheet_id for s in read.sheets}
    slots: list[_Slot] = []
    dropped: list[int] = []
    position = 0
    for sheet in read.sheets:
        folded = sheet.title.casefold()
        if folded in ours and folded in wanted:
            slots.append(_Slot(wanted.pop(folded), sheet.sheet_id, position, sheet))
        elif folded in ours:
            dropped.append(sheet.sheet_id)
            continue
        position += 1
    for tab in tabs:
        if tab.name.casefold() in wanted:
            slots.append(_Slot(tab, stable_sheet_id(tab.name, taken), position, None))
            position += 1
    return slots, dropped


def _size(request: Request) -> int:
    return len(encode(request)) + 1  # and its comma


class _Packer:
    """Requests into consecutive batches under max_bytes, in order: an item (a list of
    requests) never straddles two batches; an item alone over the limit still goes, alone."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.batches: list[list[Request]] = []
        self.current: list[Request] = []
        self.size = _BATCH_OVERHEAD

    def free(self) -> int:
        return self.max_bytes - self.size

    def close(self) -> None:
        if self.current:
            self.batches.append(self.current)
        self.current, self.size = [], _BATCH_OVERHEAD

    def add(self, item: list[Request]) -> None:
        item_size = sum(_size(r) for r in item)
        if self.current and self.size + item_size > self.max_bytes:
            self.close()
        self.current.extend(item)
        self.size += item_size

    def rows(self, head: list[Request], sheet_id: int, rows: list[dict[str, Any]]) -> None:
        """updateCells of every row, each filling what is left of the current batch (a
        batch is never closed while a row still fits); `head` goes with the first rows."""
        sizes = [len(encode(row)) + 1 for row in rows]
        start = 0
        while start < len(rows) or head:
            envelope = sum(_size(r) for r in head) + _size(update_cells(sheet_id, start, []))
            room, end = self.free() - envelope, start
            while end < len(rows) and sizes[end] <= room:
                room -= sizes[end]
                end += 1
            if end == start and start < len(rows):
                if self.current:
                    self.close()  # not one row fits here: the next batch is empty
                    continue
                end = start + 1  # a row alone over the limit still goes, alone
            self.add([*head, update_cells(sheet_id, start, rows[start:end])])
            head, start = [], end


def single_batch(read: SpreadsheetRead, tabs: Sequence[GeneratedTab]) -> list[Request]:
    """The whole publish as one batch (see the module docstring for its order)."""
    slots, dropped = _slots(read, tabs)
    gids = {**read.tabs, **{s.tab.name: s.sheet_id for s in slots}}
    requests: list[Request] = []
    inputs = [s for s in read.sheets if s.title not in read.generated]
    new = [s for s in slots if s.old is None]
    placeholder = None
    if not inputs and not new:  # Google refuses to delete a spreadsheet's last tab
        placeholder = stable_sheet_id(
            PLACEHOLDER_TITLE, {s.sheet_id for s in read.sheets} | {s.sheet_id for s in slots}
        )
        requests.append(
            {"addSheet": {"properties": {"sheetId": placeholder, "title": PLACEHOLDER_TITLE}}}
        )
    for slot in new:
        requests.append(add_sheet(slot.tab, slot.sheet_id, slot.tab.name, hidden=slot.tab.hidden))
    requests.extend({"deleteSheet": {"sheetId": sheet_id}} for sheet_id in dropped)
    for slot in sorted((s for s in slots if s.old is not None), key=lambda s: s.index):
        requests.append({"deleteSheet": {"sheetId": slot.sheet_id}})
        requests.append(
            add_sheet(
                slot.tab, slot.sheet_id, slot.tab.name, hidden=slot.tab.hidden, index=slot.index
            )
        )
    by_name = {t.name: t for t in tabs}
    for slot in slots:
        requests.append(update_cells(slot.sheet_id, 0, row_data(slot.tab, gids)))
        requests.extend(finishing(slot.tab, slot.sheet_id, gids, by_name))
    if placeholder is not None:
        requests.append({"deleteSheet": {"sheetId": placeholder}})
    return requests


def staged_batches(
    read: SpreadsheetRead, tabs: Sequence[GeneratedTab], max_bytes: int
) -> tuple[list[list[Request]], list[int]]:
    """The publish split in batches under max_bytes: fill hidden staging tabs, then swap.

    Returns the batches and the staging sheetIds (to remove if a batch fails).
    """
    slots, dropped = _slots(read, tabs)
    titles = {s.title.casefold() for s in read.sheets}
    taken = {s.sheet_id for s in read.sheets} | {s.sheet_id for s in slots}
    staging: list[tuple[_Slot, int, str]] = []
    number = 1
    for slot in slots:
        while (STAGING_PREFIX + str(number)).casefold() in titles:
            number += 1
        title = STAGING_PREFIX + str(number)
        number += 1
        staging.append((slot, stable_sheet_id(title, taken), title))
    # Links and charts name the final sheetIds (a replaced tab keeps its own): while staged,
    # nobody sees the links, and the charts are added once their tabs exist.
    gids = {**read.tabs, **{s.tab.name: s.sheet_id for s in slots}}
    by_name = {t.name: t for t in tabs}
    packer = _Packer(max_bytes)
    for slot, sheet_id, title in staging:
        # The tab and its first rows (with the marker in A1) are created together; rows then
        # fill each batch up to the limit, whichever tab they belong to.
        head = [add_sheet(slot.tab, sheet_id, title, hidden=True)]
        packer.rows(head, sheet_id, row_data(slot.tab, gids))
        packer.add([r for r in finishing(slot.tab, sheet_id) if _shape(r)])
    # The swap: staging tabs shown first (Google refuses to remove the last visible tab),
    # ours removed, each staging tab copied under its final sheetId, title and place, then
    # removed; protections and charts on the copies.
    swap: list[Request] = [
        {
            "updateSheetProperties": {
                "properties": {"sheetId": sheet_id, "hidden": False},
                "fields": "hidden",
            }
        }
        for slot, sheet_id, _ in staging
        if not slot.tab.hidden
    ]
    swap.extend({"deleteSheet": {"sheetId": sheet_id}} for sheet_id in dropped)
    swap.extend({"deleteSheet": {"sheetId": s.sheet_id}} for s in slots if s.old is not None)
    for slot, sheet_id, _ in sorted(staging, key=lambda item: item[0].index):
        swap.append(
            {
                "duplicateSheet": {
                    "sourceSheetId": sheet_id,
                    "newSheetId": slot.sheet_id,
                    "newSheetName": slot.tab.name,
                    "insertSheetIndex": slot.index,
                }
            }
        )
        swap.append(
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": slot.sheet_id, "hidden": slot.tab.hidden},
                    "fields": "hidden",
                }
            }
        )
    swap.extend({"deleteSheet": {"sheetId": sheet_id}} for _, sheet_id, _ in staging)
    for slot in slots:
        done = finishing(slot.tab, slot.sheet_id, gids, by_name)
        swap.extend(r for r in done if not _shape(r))
    packer.add(swap)
    packer.close()
    return packer.batches, [sheet_id for _, sheet_id, _ in staging]


def publish_batches(
    read: SpreadsheetRead, tabs: Sequence[GeneratedTab], max_bytes: int = MAX_BYTES
) -> tuple[list[list[Request]], list[int]]:
    """The batches a publish sends: one if it fits in max_bytes, else a staged split (with
    the staging sheetIds). Pure: no request is made."""
    plan_publish(read, tabs)
    one = single_batch(read, tabs)
    if _BATCH_OVERHEAD + sum(_size(r) for r in one) <= max_bytes:
        return [one], []
    return staged_batches(read, tabs, max_bytes)


def publish(
    client: SheetsHTTPClient,
    spreadsheet_id: str,
    read: SpreadsheetRead,
    tabs: Sequence[GeneratedTab],
    *,
    max_bytes: int = MAX_BYTES,
) -> PublishResult:
    """Replace our generated tabs in the spreadsheet, all or nothing (see module docstring)."""
    batches, staging = publish_batches(read, tabs, max_bytes)
    retries_before = client.traffic.retries
    sent = 0
    created: list[int] = []
    for batch in batches:
        try:
            client.post_batch(spreadsheet_id, {"requests": batch})
        except CALL_ERRORS as err:
            if created:
                _remove_staging(client, spreadsheet_id, created)
            raise translate(err, client, spreadsheet_id, writing=True) from None
        sent += len(encode({"requests": batch}))
        created.extend(
            r["addSheet"]["properties"]["sheetId"]
            for r in batch
            if "addSheet" in r and r["addSheet"]["properties"]["sheetId"] in staging
        )
        if staging and any("deleteSheet" in r or "updateSheetProperties" in r for r in batch):
            created = []  # the swap went through: staging tabs are now the published ones
    return PublishResult(
        requests=len(batches),
        bytes_sent=sent,
        retries=client.traffic.retries - retries_before,
        staged=bool(staging),
    )


def _remove_staging(client: SheetsHTTPClient, spreadsheet_id: str, sheet_ids: list[int]) -> None:
    """Best effort: a failed split leaves no staging tab behind (else the next sync does it)."""
    with contextlib.suppress(*CALL_ERRORS):
        client.post_batch(
            spreadsheet_id, {"requests": [{"deleteSheet": {"sheetId": i}} for i in sheet_ids]}
        )
