"""A tab people type in, as sheets-sync lays it out when it creates it (« Suivi de l'année »).

Plain data the Excel and Google backends both take (excel/follow_up_write.py,
google/follow_up_write.py): they create it with its header, widths, frozen header and
drop-down lists, or append rows to it, and never rewrite it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Row = Mapping[int, str]  # 1-based column -> text (always written as text, never a formula)


@dataclass(frozen=True)
class TypedTab:
    """How a typed tab is laid out when sheets-sync creates it.

    `widths`: column widths in characters, from column A; `lists`: (1-based column,
    choices) offered as a drop-down on the data rows — a warning, not a refusal, for a
    value outside: the checks report it with its cell; `dates`: columns shown as
    jj/mm/aaaa; `data_rows`: how far down the lists reach.
    """

    name: str
    header: tuple[str, ...]
    widths: tuple[float, ...] = ()
    lists: tuple[tuple[int, tuple[str, ...]], ...] = ()
    dates: tuple[int, ...] = ()
    data_rows: int = 5000
