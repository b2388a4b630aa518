"""Fictional partner tabs with charts, as dashboards.build_tabs would hand them to a report."""

from __future__ import annotations

import datetime as dt

from sheets_sync.cells.grid import Chart, GeneratedTab, OutCell, Series

NOW = dt.datetime(2021, 7, 16, 10, 30)
BANNER = "Généré par sheets-sync le 16/07/2021 à 10:30 — ne pas modifier"
SCHOOLS = (
    ("Collège des Tisserands", 2, 3, 412, "Complète"),
    ("Collège du Canal", 1, 1, 1234, "Complète"),
    ("Collège de l'Épeule", 0, 2, 388, "Incomplète"),
    ("Collège Simone-Ravel", 3, 2, 640, "Complète"),
)


def summary_tab() -> GeneratedTab:
    """« Synthèse »: figures, a column chart of the answers, a pie of the sessions."""
    rows = (
        ("Établissements ayant répondu", 12, "integer"),
        ("Participent (Oui)", 9, "integer"),
        ("Ne participent pas (Non)", 3, "integer"),
        ("Classes volontaires (total)", 14, "integer"),
        ("Part des réponses complètes", 0.75, "percent"),
        ("Réponses complètes — 1re session", 6, "integer"),
        ("Réponses complètes — 2e session", 2, "integer"),
        ("Réponses complètes — Hors délai", 1, "integer"),
        ("Date limite — 1re session", dt.date(2021, 7, 16), "date"),
    )
    return GeneratedTab(
        name="Synthèse",
        banner=BANNER,
        title="Synthèse — Classes Proch'Orientation (2021-2022)",
        header=("Indicateur", "Valeur"),
        rows=tuple((OutCell(label), OutCell(value, style)) for label, value, style in rows),
        widths=(46, 16),
        notes=("Les doublons ne sont pas comptés.",),
        charts=(
            Chart("column", "Réponses des établissements", 5, 7, 1, (Series("Valeur", 2),), "D4"),
            Chart(
                "pie", "Réponses complètes par session", 10, 12, 1, (Series("Valeur", 2),), "D20"
            ),
        ),
    )


def classes_tab() -> GeneratedTab:
    """« Classes »: one row per school, a bar chart with two series (4ème, 3ème)."""
    rows = tuple(
        (
            OutCell(name),
            OutCell(c4, "integer"),
            OutCell(c3, "integer"),
            OutCell(pupils, "integer"),
            OutCell(status, "ok" if status == "Complète" else "error"),
        )
        for name, c4, c3, pupils, status in SCHOOLS
    )
    return GeneratedTab(
        name="Classes",
        banner=BANNER,
        title="Classes volontaires par établissement",
        header=("Établissement", "Classes de 4ème", "Classes de 3ème", "Élèves", "Statut"),
        rows=rows,
        widths=(34, 14, 14, 10, 14),
        charts=(
            Chart(
                "bar",
                "Classes par établissement",
                5,
                4 + len(SCHOOLS),
                1,
                (Series("4ème", 2), Series("3ème", 3)),
                "G4",
            ),
        ),
    )


def state_tab() -> GeneratedTab:
    return GeneratedTab(
        name="_sheets_sync",
        banner=BANNER,
        title="Mémoire",
        header=("Clé", "Jour"),
        rows=((OutCell("college-des-tisserands"), OutCell(dt.date(2021, 7, 1), "date")),),
        hidden=True,
    )


def partner_tabs() -> list[GeneratedTab]:
    return [summary_tab(), classes_tab(), state_tab()]
