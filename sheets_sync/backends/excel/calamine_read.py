"""Read .xls, .xlsb and .ods workbooks into grids with python-calamine (values only).

calamine_prescan checks the bytes first (calamine allocates whole sheets in Rust, beyond any
Python limit) and finds the error cells python-calamine gives as empty strings; they are put
back here as `CellError`, so « #N/A » reads the same as in the .xlsx twin.

Values: str (empty → None), int, float (whole → int, as openpyxl reads « 3 »), bool, date,
datetime, time; a duration is shown as text. Where the .xlsx twin differs: a date cell with
no time reads as a `date` (openpyxl gives a `datetime` at midnight; the checks take both), and
LibreOffice stores TRUE/FALSE in an .ods as the numbers 1/0, which read as such.

A Rust panic inside calamine (a damaged file) is a pyo3 PanicException, which derives from
BaseException: it is caught too and becomes a SourceError like any damage. Rust writes its
panic report (« thread … panicked », and a whole backtrace when RUST_BACKTRACE is set) to file
descriptor 2 before Python sees the exception: while calamine runs, descriptor 2 goes to a
temporary file, dropped after a panic and written back otherwise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from ...cells.grid import CellError, CellValue, Grid
from ...config import ReadLimits
from ...errors import SourceError
from ..files.damage import is_damage
from ..files.package_guard import CellBudget, password_error
from .calamine_prescan import damaged, scan


def trimmed(rows: list[tuple[CellValue, ...]]) -> tuple[tuple[CellValue, ...], ...]:
    """Drop trailing empty rows and columns (None or ""); rows all get the same width.

    Shared with read: both readers shape a tab the same way.
    """

    def filled(v: CellValue) -> bool:
        return v is not None and v != ""

    while rows and not any(filled(v) for v in rows[-1]):
        rows.pop()
    width = 0
    for row in rows:
        for c in range(len(row), width, -1):
            if filled(row[c - 1]):
                width = c
                break
    return tuple(row[:width] + (None,) * (width - len(row[:width])) for row in rows)


def _value(value: Any) -> CellValue:
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value
    return str(value)  # timedelta: shown as typed


def read_grids(name: str, data: bytes, kind: str, origin_name: str | None,
               limits: ReadLimits) -> tuple[Grid, ...]:
    """Every tab of an .xls, .xlsb or .ods workbook (checked by the scan first)."""
    budget = CellBudget(name, limits)
    errors = scan(name, data, kind, limits, budget)
    after = CellBudget(name, limits)  # what calamine built, counted again before Python copies
    origin = origin_name or name
    grids = []
    try:
        with _panic_report_hidden(), CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            for meta in book.sheets_metadata:
                title = str(meta.name)
                after.start(title)
                rows: tuple[tuple[CellValue, ...], ...] = ()
                if meta.typ == SheetTypeEnum.WorkSheet:
                    rows = _rows(book.get_sheet_by_name(meta.name), after,
                                 errors.get(title, {}))
                grids.append(Grid(
                    tab=f"{origin_name} › {title}" if origin_name else title,
                    rows=rows, sheet=title, origin=origin,
                    hidden=meta.visible != SheetVisibleEnum.Visible,
                ))
    except SourceError:
        raise
    except PasswordError:
        raise password_error(name) from None
    except BaseException as exc:  # PanicException is a BaseException
        if not (isinstance(exc, CalamineError) or type(exc).__name__ == "PanicException"
                or is_damage(exc)):
            raise  # Ctrl-C, MemoryError, a missing codec…: the machine, not the file
        raise damaged(name, kind, type(exc).__name__) from None
    return tuple(grids)


@contextlib.contextmanager
def _panic_report_hidden() -> Iterator[None]:
    """Hold what is written to descriptor 2 meanwhile; drop it if calamine panicked."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2: nothing to hide
        yield
        return
    panicked = False
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        except BaseException as exc:
            panicked = type(exc).__name__ == "PanicException"
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            text = held.read()
            if text and not panicked:
                os.write(2, text)


def _rows(sheet: Any, budget: CellBudget,
          errors: dict[tuple[int, int], CellError]) -> tuple[tuple[CellValue, ...], ...]:
    end = sheet.end
    if end is None:
        return ()
    budget.row(end[0] + 1, end[1] + 1)  # the whole area, before Python copies it
    rows: list[tuple[CellValue, ...]] = []
    for r, raw in enumerate(sheet.to_python(skip_empty_area=False)):
        values = [_value(v) for v in raw]
        for c in range(len(values)):
            if values[c] is None and (r, c) in errors:
                values[c] = errors[r, c]
        rows.append(tuple(values))
    return trimmed(rows)
