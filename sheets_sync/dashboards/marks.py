"""What every generated tab shares: the marker row, session labels."""

from __future__ import annotations

import datetime as dt

from ..cells.grid import MARKER, CellValue, OutCell
from ..form.sessions import LATE


def banner(now: dt.datetime) -> str:
    """The marker row of every generated tab."""
    return (f"{MARKER} le {now:%d/%m/%Y à %H:%M} — ne pas modifier "
            "(onglet remplacé à chaque synchronisation)")


def session_label(session: str | None) -> str:
    if session is None:
        return "—"
    return "Hors délai" if session == LATE else session


class SharedCells(dict[CellValue, OutCell]):
    """OutCell(value, style), built once per distinct value of a column and shared by its
    rows: a column repeats its values (5,800 pairings, 20 sectors), and every cell built is
    one more object to allocate and for the garbage collector to visit (a named tuple stays
    tracked). Values of one type only: 1, 1.0 and True are the same key."""

    def __init__(self, style: str | None = None) -> None:
        super().__init__()
        self.style = style

    def __missing__(self, value: CellValue) -> OutCell:
        made = self[value] = OutCell(value, self.style)
        return made
