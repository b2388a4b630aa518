"""Robustness figures the hardening tests gather and the run prints at its end.

A test calls ``tried("entrées malformées", n)`` once its assertions over those n cases have
passed, so a figure only ever counts what survived; ``conftest.py`` prints the totals in a
« robustesse » section of pytest's summary.
"""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()

MALFORMED = "entrées malformées essayées (toutes refusées ou signalées proprement)"
PAYLOADS = "charges d'injection de formule essayées"
SCANNED = "cellules générées inspectées (aucune formule ni lien actif issu d'une saisie)"
KILLS = "interruptions kill -9 survécues (classeur lisible, onglets d'entrée intacts)"


def tried(kind: str, count: int = 1) -> None:
    """Count `count` cases of `kind` that passed."""
    FIGURES[kind] += count
