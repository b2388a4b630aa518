"""Deliberately broken layouts, one per rule of pdf_layout: proof that the rendering test fails.

Rows too short and a chart on its table are generated tabs rendered by the project's own
renderer (render_package), the rows then edited in the sheet part the way a careless layout
would write them. A text clipped by its neighbour and a column wider than the page are
written with xlsxwriter alone, as a generated tab looks (banner in A1), so that they stay
broken whatever the renderer learns to avoid.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from sheets_sync.backends.excel.render import render_package
from sheets_sync.cells.grid import MARKER, Chart, GeneratedTab, OutCell, Series

BANNER = (
    f"{MARKER} le 20/09/2021 à 09:00 — ne pas modifier (onglet remplacé à chaque synchronisation)"
)
WHY = (
    "Même secteur que le projet de la classe, ambassadrice ancienne élève du collège, "
    "disponible le mercredi après-midi, contre-stéréotype dans un métier où les hommes "
    "sont 80 % des personnes en emploi ; points communs : numérique, mathématiques."
)
LONG_NOTE = (
    "Lecture : une classe compte pour chaque établissement qui a répondu Oui, même "
    "incomplet ; les doublons ne sont pas comptés ; la part est calculée sur les "
    "réponses complètes uniquement, hors établissements qui ne participent pas."
)


def tab(
    name: str,
    header: tuple[str, ...],
    rows: Sequence[tuple[OutCell, ...]],
    widths: tuple[int, ...],
    charts: tuple[Chart, ...] = (),
) -> GeneratedTab:
    return GeneratedTab(
        name=name,
        banner=BANNER,
        title=f"{name} — démonstration d'un défaut",
        header=header,
        rows=tuple(rows),
        widths=widths,
        charts=charts,
    )


def _write(path: Path, package: bytes, edit: dict[int, float] | None = None) -> Path:
    """Save the package; `edit`: row (1-based) → height in points forced in sheet1.xml."""
    if not edit:
        path.write_bytes(package)
        return path
    source = zipfile.ZipFile(io.BytesIO(package))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for row, height in edit.items():
                    text = re.sub(
                        rf'<row r="{row}"[^>]*?(/?)>',
                        rf'<row r="{row}" ht="{height}" customHeight="1"\1>',
                        text,
                    )
                data = text.encode("utf-8")
            out.writestr(item, data)
    return path


def short_rows(path: Path) -> Path:
    """« Parrainages » as issue #15 saw it: long wrapped « Pourquoi » texts in rows a line
    high (texte-coupe: the lines below the first are lost)."""
    rows = [(OutCell(f"Classe {n}"), OutCell(WHY, "wrap")) for n in range(1, 6)]
    package = render_package([tab("Parrainages", ("Classe", "Pourquoi"), rows, (14, 40))])
    return _write(path, package, {r: 15.0 for r in range(5, 10)})


def _plain_tab(
    path: Path, name: str, rows: list[list[str]], widths: list[int], *, fit: bool = True
) -> Path:
    """A generated-looking tab written by xlsxwriter alone: banner, title, header in row 4,
    A4 landscape, one page wide when `fit`."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, BANNER)
    sheet.write_string(1, 0, f"{name} — démonstration d'un défaut")
    for r, row in enumerate(rows, start=3):
        for c, text in enumerate(row):
            sheet.write_string(r, c, text)
    for c, width in enumerate(widths):
        sheet.set_column_pixels(c, c, width * 7)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    if fit:
        sheet.fit_to_pages(1, 0)
    book.close()
    return path


def clipped_text(path: Path) -> Path:
    """A long text in a narrow column, unwrapped, its right neighbour filled: clipped at the
    cell border (texte-coupe), rows A5:A7."""
    rows = [["Pourquoi", "Confirmé", "Vu"], *([WHY, "Oui", "Oui"] for _ in range(3))]
    return _plain_tab(path, "Synthèse", rows, [20, 10, 10])


def past_the_edge(path: Path) -> Path:
    """A column wider than the page, printed at 100 % (not fitted to the page's width): its
    long texts in A5:A7 are cut by the right edge of the printable area (bord-de-page)."""
    rows = [["Lecture"], *([LONG_NOTE] for _ in range(3))]
    return _plain_tab(path, "Égalité filles-garçons", rows, [160], fit=False)


def chart_over_table(path: Path) -> Path:
    """A chart anchored on the table it draws (graphique-sur-cellule; its labels print over
    the cells: chevauchement)."""
    rows = [(OutCell(f"Collège n°{n}"), OutCell(n, "integer")) for n in range(1, 9)]
    chart = Chart("bar", "Classes par établissement", 5, 12, 1, (Series("Classes", 2),), "A5")
    return _write(
        path,
        render_package(
            [tab("Classes", ("Établissement", "Classes"), rows, (24, 10), charts=(chart,))]
        ),
    )
