"""Python's cyclic garbage collector, paused while a sync builds millions of small objects.

A sync allocates cells, rows, pairings and XML pieces by the million, and reference counting
frees them: almost none is in a reference cycle (an XML parser left early is, with its partial
tree: about 1–2 MB in a sync of the demo or of 650 schools, collected once the collector runs
again after the sync). Meanwhile every full collection walked every object still alive (the
answers, the roster, the tabs being built): at France scale (7,000 schools) 17 % of the CPU
time of a sync, with the same peak memory once paused (measured, issue #16).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector paused for the block, then as it was (even on error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
