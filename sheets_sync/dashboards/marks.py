"""What every generated tab shares: the marker row, session labels."""

from __future__ import annotations

import datetime as dt

from ..cells.grid import MARKER
from ..form.sessions import LATE


def banner(now: dt.datetime) -> str:
    """The marker row of every generated tab."""
    return (f"{MARKER} le {now:%d/%m/%Y à %H:%M} — ne pas modifier "
            "(onglet remplacé à chaque synchronisation)")


def session_label(session: str | None) -> str:
    if session is None:
        return "—"
    return "Hors délai" if session == LATE else session
