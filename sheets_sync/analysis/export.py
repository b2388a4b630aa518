"""`sheets-sync export`: the campaign's tables as CSV, Parquet or xlsx, and read back.

    open_campaign ──► CampaignFrames.tables(partners=…) ──► backends/tables.write_tables

`read_export` loads an export back with the pinned dtypes (schema.py): a CSV keeps no dtype
(every value is text), and an empty Parquet table keeps no category; both come back exact.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import WriteRefused
from . import open_campaign, require, schema

FORMATS = ("csv", "parquet", "xlsx")


def export_campaign(config: Config, folder: Path, fmt: str, *, partners: bool = False,
                    today: dt.date | None = None) -> list[Path]:
    """Check the campaign and write its tables in `folder` as `fmt`; the paths written.

    `partners`: only what the partner tabs may show (schema.PARTNER_TABLES, partner columns).
    Every file an earlier export left in `folder` (reponses.csv … campagne.xlsx, any format:
    backends/tables.known_names) is removed, nothing else; all or nothing.
    """
    require("pandas", *(("pyarrow",) if fmt == "parquet" else ()))
    from ..backends.files.os_reasons import reason
    from ..backends.tables import write_tables

    campaign = open_campaign(config, contacts=False, today=today)
    if folder.exists() and not folder.is_dir():
        raise WriteRefused(f"« {folder} » est un fichier : indiquez un dossier après -o.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return write_tables(folder, campaign.tables(partners=partners), fmt)
    except OSError as exc:
        named = Path(str(exc.filename)) if exc.filename else None
        where = named if named and named.parent == folder and not named.name.startswith(
            ".") else folder  # a table file, else the folder (not the temporary one)
        raise WriteRefused(f"Impossible d'écrire « {where} » ({reason(exc)}) ; rien n'a été "
                           "exporté, le dossier est resté tel quel.") from None


def read_export(folder: Path, fmt: str, sessions: tuple[str, ...]) -> dict[str, Any]:
    """The tables of a CSV or Parquet export, each column of its pinned dtype.

    `sessions`: the campaign's session names then « hors-delai » (the categories of
    `session`; frames.session_names(config)).
    """
    require("pandas", *(("pyarrow",) if fmt == "parquet" else ()))
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    from .frames import dtype_of

    out = {}
    for _, name in schema.TABLES:
        path = folder / f"{name}.{fmt}"
        if not path.exists():
            continue
        if fmt == "csv":
            frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str,
                                keep_default_na=False)
        else:
            frame = pd.read_parquet(path)
        columns = {c.name: c for c in schema.columns_of(name, sessions)}
        typed = {}
        for column in frame.columns:
            spec = columns[column]
            values = frame[column]
            if fmt == "csv":
                values = values.map(lambda v, s=spec: _from_csv(v, s))
            if spec.kind == schema.DATE:
                typed[column] = pd.to_datetime(values).astype("datetime64[ns]")
            else:
                typed[column] = values.astype("object").astype(dtype_of(spec))
        out[name] = pd.DataFrame(typed, index=pd.RangeIndex(len(frame)))
    return out


def _from_csv(text: str, column: schema.Column) -> object:
    """One CSV field back to its value (None for an empty field)."""
    if text == "":
        return None
    if column.kind == schema.INT:
        return int(text)
    if column.kind == schema.BOOL:
        return text == "Oui"
    if column.kind == schema.DATE:
        return dt.date.fromisoformat(text)
    from ..backends.tables import FORMULA_START, TEXT_MARK

    if text.startswith(TEXT_MARK) and text[1:].startswith((*FORMULA_START, TEXT_MARK)):
        return text[1:]
    return text
