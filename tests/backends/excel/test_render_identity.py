"""The rendering stays byte-for-byte what it was (issue #16: lean rendering, same output).

`tabs()` holds every path a cell can take through render.py — each style, texts that would
be formulas (quoted), control characters, a « <r>…</r> » text, line breaks, dates, times,
booleans, numbers, errors, empty and blank cells, internal and external links, merged notes
and titles, wrapped and tall rows, the three chart kinds, a hidden tab — and its rendering is
compared, zip entry by zip entry, with tests/data/golden/render-identity.xlsx, which the
rendering before #16's changes made. Only docProps/core.xml is left out (xlsxwriter stamps
it with the time of the rendering), as XlsxWriter's own tests do.

An intended change of the rendering regenerates the golden:
    SHEETS_SYNC_REGENERATE_GOLDEN=1 pytest tests/backends/excel/test_render_identity.py
and the diff of the XML parts says what changed (`unzip -p` both files).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from sheets_sync.backends.excel.render import render_package
from sheets_sync.cells.grid import CellError, Chart, GeneratedTab, Merge, OutCell, Series
from sheets_sync.cells.layout import Plot, Side, Table, lay_out

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden" / "render-identity.xlsx"
VOLATILE = frozenset({"docProps/core.xml"})  # its creation date is the time of rendering
BANNER = "Généré par sheets-sync le 01/08/2021 à 09:00 — ne pas modifier"
LONG = ("Points communs avec le projet : industrie, métiers, technologie. Modèle de réussite "
        "local (Roubaix ou ancien élève), en phase avec l'orientation du projet.")


def _cells() -> tuple[tuple[OutCell, ...], ...]:
    """One row per kind of value, each in a few styles.

    No number beyond Excel's dates has a date format here: the openpyxl reader reads such a
    cell as #VALUE!, calamine's as the number, and test_calamine_agreement reads every
    workbook of tests/data (that disagreement is reported, not pinned, here)."""
    values: list[object] = [
        "Collège Jean Macé", "", "=HYPERLINK(\"https://x\")", "+33 6 12", "-5", "@SUM(1+1)",
        "\tTab", "\rRetour", "＝plein", "bell\x07 et \x1f", "<r>brut</r>", "ligne 1\nligne 2",
        " espaces ", LONG, "chemin/vers/un-fichier-tres-long-sans-espace-du-tout/et-plus",
        dt.date(2021, 8, 1), dt.datetime(2021, 8, 1, 9, 30), dt.datetime(2021, 8, 1),
        dt.time(14, 5), True, False, 0, 7, -3, 2.5, 0.125, float("nan"), 1e20,
        CellError("#N/A"), CellError("=#REF!"), None,
    ]
    styles = (None, "ok", "error", "warning", "muted", "wrap", "percent", "integer", "date")
    rows = []
    for n, value in enumerate(values):
        rows.append(tuple(OutCell(value, styles[(n + k) % len(styles)]) for k in range(3)))  # type: ignore[arg-type]
    return tuple(rows)


def _links() -> tuple[tuple[OutCell, ...], ...]:
    return (
        (OutCell("F7", link="'Réponses'!F7"), OutCell("", link="'Réponses'!A1"),
         OutCell("=1+1", "error", link="'L''été'!B2")),
        (OutCell("Écrire", link="mailto:a%40b.fr?subject=Rappel%20%3D1"),
         OutCell("site", "muted", link="https://example.org/a?b=c&d=e"),
         OutCell(None, link="'Réponses'!C3")),
        (OutCell("<r>lien</r>", link="'Réponses'!B2"), OutCell(3, "integer", link="'X'!A1"),
         OutCell(dt.date(2021, 9, 1), link="'X'!A2")),
    )


def tabs() -> list[GeneratedTab]:
    """The tabs rendered into the golden package."""
    plain = GeneratedTab(
        name="Cellules", banner=BANNER, title="Toutes les cellules",
        header=("Valeur", "Deuxième colonne d'en-tête assez longue", "=Troisième"),
        rows=(*_cells(), *_links()), widths=(18, 12, 30),
        notes=("Une note longue qui explique le tableau et doit passer à la ligne. " * 3,
               "=note qui ressemble à une formule"),
    )
    merged = GeneratedTab(
        name="Fusions", banner=BANNER, title="Titres fusionnés", header=("A", "B", "C", "D"),
        rows=((OutCell("Bloc", "title"), OutCell(None), OutCell("caché"), OutCell(None)),
              (OutCell("x"), OutCell(1), OutCell(2), OutCell(3)),
              (OutCell("Haut", "wrap"), OutCell("y"), OutCell(None), OutCell("z"))),
        merges=(Merge(5, 1, 5, 3), Merge(7, 1, 8, 2)), print_rows=None,
    )
    counts = Table(("Établissement", "4ème", "3ème"),
                   tuple((OutCell(f"Collège n°{i} — {LONG[: i * 7]}"), OutCell(i % 3, "integer"),
                          OutCell(i * 4, "integer")) for i in range(14)),
                   widths=(40,), notes=("Une note sous le tableau.",))
    shares = Table(("Genre", "Part"), ((OutCell("Filles"), OutCell(0.52, "percent")),
                                       (OutCell("Garçons"), OutCell(0.48, "percent"))),
                   title="Répartition")
    laid = lay_out("Synthèse", BANNER, "Synthèse — Campagne", [counts, Side((shares, shares))],
                   [Plot("bar", "Classes par établissement", counts, (1, 2)),
                    Plot("column", "Classes (4ème)", counts, (1,), first=2, count=5),
                    Plot("pie", "Répartition", shares, (1,), alt="Parts des filles")],
                   notes=("Note de fin, fusionnée sur le bloc.",))
    charted = GeneratedTab(
        name="L'été", banner=BANNER, title="Graphique d'un autre onglet", header=("Clé", "N"),
        rows=tuple((OutCell(f"k{i}"), OutCell(i)) for i in range(4)),
        charts=(Chart("column", "=Titre", 5, 8, 1, (Series("N", 2),), "D5"),
                Chart("bar", "Vide", 9, 8, 1, (Series("N", 2),), "D20"),
                Chart("column", "Ailleurs", 5, 9, 1, (Series("n", 2),), "D22",
                      sheet="Synthèse")),
    )
    state = GeneratedTab(name="état", banner=BANNER, title="État", header=("clé", "valeur"),
                         rows=((OutCell("k"), OutCell("v")),), hidden=True)
    return [plain, merged, laid, charted, state]


def entries(package: bytes) -> dict[str, bytes]:
    """Every zip entry of an .xlsx package, volatile ones left out."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n not in VOLATILE}


def differing(before: bytes, after: bytes) -> list[str]:
    """Names of the entries that differ (or exist on one side only) between two packages."""
    old, new = entries(before), entries(after)
    return sorted(n for n in old.keys() | new.keys() if old.get(n) != new.get(n))


def test_rendering_is_byte_identical_to_the_golden() -> None:
    package = render_package(tabs())
    if os.environ.get("SHEETS_SYNC_REGENERATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(package)
    assert differing(GOLDEN.read_bytes(), package) == []


def test_the_comparison_sees_a_changed_entry() -> None:
    # the comparison is not blind: one changed cell is one differing sheet part
    changed = tabs()
    changed[1] = GeneratedTab(**{**changed[1].__dict__, "title": "Autre titre"})
    assert differing(render_package(tabs()), render_package(changed)) == [
        "xl/worksheets/sheet2.xml"]


def test_the_golden_holds_every_kind_of_part() -> None:
    names = entries(GOLDEN.read_bytes())
    assert {f"xl/worksheets/sheet{n}.xml" for n in range(1, 6)} <= names.keys()
    assert {f"xl/charts/chart{n}.xml" for n in range(1, 6)} <= names.keys()
    assert "xl/worksheets/_rels/sheet1.xml.rels" in names  # the external links
    sheet = names["xl/worksheets/sheet1.xml"].decode("utf-8")
    assert 'quotePrefix="1"' in names["xl/styles.xml"].decode("utf-8")
    assert "<mergeCell " in sheet and "<hyperlink " in sheet and 't="b"' in sheet
