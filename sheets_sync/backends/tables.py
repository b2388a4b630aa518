"""Tables (pandas DataFrames) written as files analysts open: CSV for Excel fr, Parquet, xlsx.

    DOSSIER/reponses.csv  constats.csv …      one CSV per table
    DOSSIER/reponses.parquet …                one Parquet file per table (pyarrow)
    DOSSIER/campagne.xlsx                     one tab per table

CSV is what a French Excel opens with a double click: UTF-8 with a BOM (accents intact),
`;` between fields (Excel fr's list separator), CRLF line ends, dates as 2021-07-16, Oui/Non
for true/false, an empty field for a missing value. No decimal number is written (counts
only), so Excel fr's decimal comma never matters. A text that Excel would run as a formula
(= + - @, tab or CR first), or one starting with an apostrophe, is written after an apostrophe
(Excel shows it). In xlsx every text is a text cell, never a formula.
An export is all-or-nothing: every file is first written in a temporary folder inside the
target folder, then, once all are written, every file an export may have left there before
(`known_names`: reponses.csv, reponses.parquet … campagne.xlsx, of ANY format, only those
exact names, nothing else) is removed and the new ones are moved in (os.replace). On failure
the temporary folder is removed and the target folder is as it was.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .excel.render import FORMULA_START

__all__ = ["CSV_ENCODING", "CSV_SEPARATOR", "FORMATS", "FORMULA_START", "NO", "TABLE_NAMES",
           "TEXT_MARK", "WORKBOOK_NAME", "YES", "csv_bytes", "known_names", "parquet_bytes",
           "write_tables", "xlsx_bytes"]

FORMATS = ("csv", "parquet", "xlsx")
WORKBOOK_NAME = "campagne.xlsx"
CSV_SEPARATOR = ";"
CSV_ENCODING = "utf-8-sig"
TEXT_MARK = "'"
YES, NO = "Oui", "Non"
# Every table an export may write (analysis/schema.TABLES; this backend imports no stage).
TABLE_NAMES = ("reponses", "constats", "classes", "ambassadeurs", "parrainages")


def known_names() -> tuple[str, ...]:
    """Every file name an export writes, whatever the format: what a new export replaces."""
    return (*(f"{t}.{f}" for t in TABLE_NAMES for f in ("csv", "parquet")), WORKBOOK_NAME)


def as_text_for_excel(value: object) -> object:
    """A text Excel would read as a formula, made plain text by a leading apostrophe."""
    if isinstance(value, str) and value.startswith((*FORMULA_START, TEXT_MARK)):
        return TEXT_MARK + value
    return value


def csv_bytes(frame: Any) -> bytes:
    """One table as CSV for Excel fr (see the module docstring)."""
    out = frame.copy()
    for name in out.columns:
        kind = str(out[name].dtype)
        if kind == "boolean":
            out[name] = out[name].map({True: YES, False: NO}, na_action="ignore")
        elif kind in ("string", "category", "str", "object"):
            out[name] = out[name].astype("object").map(as_text_for_excel, na_action="ignore")
    text = out.to_csv(sep=CSV_SEPARATOR, index=False, lineterminator="\r\n",
                      date_format="%Y-%m-%d")
    return bytes(text.encode(CSV_ENCODING))


def parquet_bytes(frame: Any) -> bytes:
    """One table as Parquet (pyarrow), its pandas dtypes kept in the file's metadata."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", index=False)
    return buffer.getvalue()


def xlsx_bytes(tables: Mapping[str, Any]) -> bytes:
    """Every table in one workbook, one tab each: header in bold, texts as text cells."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, frame in tables.items():
        sheet = book.add_worksheet(name[:31])
        for c, column in enumerate(frame.columns):
            sheet.write_string(0, c, str(column), bold)
            for r, value in enumerate(frame[column].tolist(), start=1):
                _write(sheet, r, c, value, day)
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def _write(sheet: Any, r: int, c: int, value: object, day: Any) -> None:
    if value is None or (not isinstance(value, str) and _missing(value)):  # NA, NaT, NaN
        return
    if isinstance(value, bool):
        sheet.write_string(r, c, YES if value else NO)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value)
    elif isinstance(value, dt.datetime | dt.date):
        sheet.write_datetime(r, c, value, day)
    else:
        sheet.write_string(r, c, str(value))


def _missing(value: object) -> bool:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def write_tables(folder: Path, tables: Mapping[str, Any], fmt: str) -> list[Path]:
    """Write `tables` (name → DataFrame) in `folder` as `fmt`, replacing every file an export
    may have left there (`known_names`, any format, nothing else); the paths written, in
    order. All or nothing (module docstring); OSError when it cannot, `folder` untouched."""
    files: dict[str, Callable[[], bytes]]
    if fmt == "xlsx":
        files = {WORKBOOK_NAME: functools.partial(xlsx_bytes, tables)}
    else:
        render = csv_bytes if fmt == "csv" else parquet_bytes
        files = {f"{name}.{fmt}": functools.partial(render, frame)
                 for name, frame in tables.items()}
    for name in known_names():
        if (folder / name).is_dir():  # would stop the swap half-way: refuse before writing
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(folder / name))
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=folder))
    try:
        for name, make in files.items():
            with open(work / name, "wb") as out:
                out.write(make())
                out.flush()
                os.fsync(out.fileno())
        for name in known_names():
            if name not in files:
                (folder / name).unlink(missing_ok=True)
        for name in files:
            os.replace(work / name, folder / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [folder / name for name in files]
