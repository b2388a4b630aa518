"""Proof by rendering: print a workbook with LibreOffice, read the words back, find the faults.

What a partner sees is what LibreOffice prints (issue #15, part 4). This module:

1. prints the generated tabs of an .xlsx as their page setup says (A4 landscape, one page
   wide), in a copy whose input tabs are hidden (LibreOffice headless, throwaway profile,
   one start for several workbooks); a tab owns the pages from its banner to the next one;
2. reads the words of each page with their boxes (``pdftotext -bbox-layout``, in points,
   origin top-left);
3. reads the sheets from the package (xlsx_model: cells, column widths, row heights, margins,
   merges and the frames of the charts), with no spreadsheet library;
4. checks five rules, each failure naming the tab, the cell(s) in A1 and the words:

   ``chevauchement``  two words overlap (boxes intersect by more than a tolerance; words of
                      one line that merely touch do not);
   ``bord-de-page``   a word cut by, or beyond, the page edge or the printable area's left and
                      right margins;
   ``texte-coupe``    a word of a text cell is printed nowhere on the tab's pages (clipped at
                      its cell's border, or hidden under a row too short for its lines);
   ``graphique-sur-cellule``  a chart's frame (two-cell, one-cell or absolute anchor, mapped
                      to pixels with the sheet's column widths and row heights) covers a
                      non-empty cell;
   ``graphique-sur-graphique``  two chart frames overlap.

A printed word is named after the cell holding it (for a word cut short, a word it begins)
that shares the most words with its printed line; « ? (x, y) » when no cell holds it (a
chart's label, the footer).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

from sheets_sync.cells.grid import MARKER

from .xlsx_model import CHART_PX, ChartFrame, SheetModel, a1, generated_only, read_sheets

ONE_PAGE_PER_SHEET = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'
XHTML = "{http://www.w3.org/1999/xhtml}"

# Tolerances, in points (1/72 inch) on the page.
OVERLAP_X = 1.0  # two words may touch: a box rounds glyph advances
OVERLAP_Y = 0.35  # share of the smaller height: stacked lines of one cell overlap ~10 %
EDGE = 0.5


# --- the printed pages --------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word as printed: its text and box (points, origin at the page's top-left corner)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    line: int  # pdftotext's line number on the page: words of one line of text

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Page:
    """A printed page (numbered from 1 in its PDF) and its words."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def workbook_to_pdf(workbook: Path, folder: Path, *, one_page_per_sheet: bool = False) -> Path:
    """Print every visible sheet of `workbook` into `folder` as its page setup says (or one
    page per sheet); a throwaway profile, so it runs beside an open LibreOffice."""
    return workbooks_to_pdf([workbook], folder, one_page_per_sheet=one_page_per_sheet)[0]


def workbooks_to_pdf(
    workbooks: Sequence[Path], folder: Path, *, one_page_per_sheet: bool = False
) -> list[Path]:
    """workbook_to_pdf for several workbooks in one start of LibreOffice (the start is most
    of the time); their stems must differ."""
    command = soffice()
    if command is None:
        raise FileNotFoundError("soffice")
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "lo-profile"
    subprocess.run(
        [command, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
         "--norestore", "--convert-to", ONE_PAGE_PER_SHEET if one_page_per_sheet else "pdf",
         "--outdir", str(folder), *map(str, workbooks)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    pdfs = [folder / f"{w.stem}.pdf" for w in workbooks]
    for pdf in pdfs:
        if not pdf.exists():
            raise FileNotFoundError(pdf)
    return pdfs


def read_pages(pdf: Path) -> list[Page]:
    """The words of each page, with their boxes (pdftotext -bbox-layout)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, timeout=300).stdout  # fmt: skip
    return parse_bbox(out)


def parse_bbox(xhtml: bytes | str) -> list[Page]:
    """Pages → lines → words of pdftotext's -bbox-layout output."""
    root = ElementTree.fromstring(xhtml)
    pages: list[Page] = []
    for page in root.iter(f"{XHTML}page"):
        words: list[Word] = []
        for n, line in enumerate(page.iter(f"{XHTML}line")):
            for w in line.iter(f"{XHTML}word"):
                words.append(
                    Word(
                        w.text or "",
                        float(w.get("xMin", 0)),
                        float(w.get("yMin", 0)),
                        float(w.get("xMax", 0)),
                        float(w.get("yMax", 0)),
                        n,
                    )
                )
        pages.append(
            Page(
                len(pages) + 1,
                float(page.get("width", 0)),
                float(page.get("height", 0)),
                tuple(words),
            )
        )
    return pages


# --- the rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """One thing a reader would see wrong: rule, tab, cells (A1), words, detail."""

    rule: str
    tab: str
    cells: tuple[str, ...]
    words: tuple[str, ...]
    detail: str = ""

    def __str__(self) -> str:
        words = " ".join(self.words)
        words = words if len(words) <= 120 else words[:119] + "…"
        return f"[{self.rule}] « {self.tab} » {', '.join(self.cells)} : {words!r}" + (
            f" ({self.detail})" if self.detail else ""
        )


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def tokens(text: str) -> list[str]:
    return normalise(text).split()


class Locator:
    """Names the cell a printed word belongs to: the cell holding it (or, for a word cut
    short, a word it begins) that shares the most words with the word's printed line.

    Built once per sheet (the index of its words), on the first fault to name."""

    def __init__(self, sheet: SheetModel) -> None:
        self.tokens = {key: set(tokens(text)) for key, text in sheet.cells.items()}
        self.holders: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for key in sorted(self.tokens):
            for t in self.tokens[key]:
                self.holders[t].append(key)

    def cell(self, word: Word, page: Page) -> str:
        text = normalise(word.text)
        candidates = self.holders.get(text) or (
            [key for t, keys in self.holders.items() if t.startswith(text) for key in keys]
            if len(text) >= 3
            else []
        )
        if not candidates:
            return f"? (x {word.x0:.0f}, y {word.y0:.0f} pt)"
        line = {normalise(w.text) for w in page.words if w.line == word.line}
        return a1(*min(candidates, key=lambda k: (-len(self.tokens[k] & line), k)))


_LOCATORS: dict[int, tuple[SheetModel, Locator]] = {}


def locator(sheet: SheetModel) -> Locator:
    """The sheet's Locator, made on first use."""
    kept = _LOCATORS.get(id(sheet))
    if kept is None or kept[0] is not sheet:
        _LOCATORS.clear()  # one sheet at a time is checked: keep memory flat
        kept = _LOCATORS[id(sheet)] = (sheet, Locator(sheet))
    return kept[1]


def words_overlap(a: Word, b: Word) -> bool:
    """Boxes intersecting by more than OVERLAP_X across and OVERLAP_Y of the lower one's
    height (twice OVERLAP_X for two words of one line: their boxes round the spacing)."""
    dx = min(a.x1, b.x1) - max(a.x0, b.x0)
    dy = min(a.y1, b.y1) - max(a.y0, b.y0)
    tolerance = OVERLAP_X * (2 if a.line == b.line else 1)
    return dx > tolerance and dy > OVERLAP_Y * min(a.height, b.height)


def overlapping_pairs(
    words: Sequence[Word], bucket: tuple[float, float] = (24.0, 8.0)
) -> Iterator[tuple[Word, Word]]:
    """Every pair of overlapping words (a grid of small buckets: a page of 2,000 words
    compares a few pairs per word, not all of them)."""
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    bw, bh = bucket
    for i, w in enumerate(words):
        for bx in range(int(w.x0 // bw), int(w.x1 // bw) + 1):
            for by in range(int(w.y0 // bh), int(w.y1 // bh) + 1):
                grid[(bx, by)].append(i)
    seen: set[tuple[int, int]] = set()
    for members in grid.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if (i, j) not in seen and words_overlap(words[i], words[j]):
                    seen.add((i, j))
                    yield words[i], words[j]


def overlaps(sheet: SheetModel, page: Page) -> list[Fault]:
    faults = []
    for a, b in overlapping_pairs(page.words):
        cells = (locator(sheet).cell(a, page), locator(sheet).cell(b, page))
        faults.append(
            Fault(
                "chevauchement",
                sheet.name,
                cells,
                (a.text, b.text),
                f"page {page.number}, x {a.x0:.0f}–{a.x1:.0f} / "
                f"{b.x0:.0f}–{b.x1:.0f} pt, "
                f"y {a.y0:.0f}–{a.y1:.0f} / {b.y0:.0f}–{b.y1:.0f} pt",
            )
        )
    return faults


def page_edges(sheet: SheetModel, page: Page, tolerance: float = EDGE) -> list[Fault]:
    """Words cut by the page's edge; in the body of the page (between the top and bottom
    margins: the header and footer live outside), words past the left or right margin."""
    left = sheet.margins.get("left", 0.0) * 72
    right = page.width - sheet.margins.get("right", 0.0) * 72
    top = sheet.margins.get("top", 0.0) * 72
    bottom = page.height - sheet.margins.get("bottom", 0.0) * 72

    def cut(w: Word) -> bool:
        if (
            w.x0 < -tolerance
            or w.y0 < -tolerance
            or w.x1 > page.width - tolerance
            or w.y1 > page.height - tolerance
        ):
            return True
        body = w.y0 >= top - tolerance and w.y1 <= bottom + tolerance
        return body and (w.x0 < left - tolerance or w.x1 > right - tolerance)

    return [
        Fault(
            "bord-de-page",
            sheet.name,
            (locator(sheet).cell(w, page),),
            (w.text,),
            f"page {page.number}, mot x {w.x0:.0f}–{w.x1:.0f}, y {w.y0:.0f}–{w.y1:.0f} pt ; "
            f"zone imprimable x {left:.0f}–{right:.0f}, page {page.width:.0f} × "
            f"{page.height:.0f} pt",
        )
        for w in page.words
        if cut(w)
    ]


def missing_texts(sheet: SheetModel, pages: Sequence[Page]) -> list[Fault]:
    """Text cells some of whose words are not printed (each printed word is used once)."""
    words = [w for page in pages for w in page.words]
    printed = Counter(normalise(w.text) for w in words)
    joined = "".join(normalise(w.text) for w in words)  # a word broken over two lines
    pieces = set(printed)  # … or at its hyphens and slashes, with other cells' words between
    faults = []
    for key in sorted(sheet.text_cells):
        lost = []
        for t in tokens(sheet.cells[key]):
            if printed[t] > 0:
                printed[t] -= 1
            elif t not in joined and not _in_pieces(t, pieces):
                lost.append(t)
        if lost:
            faults.append(
                Fault(
                    "texte-coupe",
                    sheet.name,
                    (a1(*key),),
                    tuple(lost),
                    f"{len(lost)} mot(s) sur {len(tokens(sheet.cells[key]))}",
                )
            )
    return faults


def _in_pieces(token: str, pieces: set[str]) -> bool:
    """The token is printed as several words (LibreOffice breaks a long word after « - » or
    « / »): each piece, from the start, is a printed word (the longest one first)."""
    rest = token
    while rest:
        piece = next((rest[:n] for n in range(len(rest), min(3, len(rest)) - 1, -1)
                      if rest[:n] in pieces), None)  # pieces of 3 characters or more
        if piece is None or (piece == token):
            return piece is not None
        rest = rest[len(piece):]
    return True


def charts_over_cells(sheet: SheetModel) -> list[Fault]:
    faults = []
    for chart in sheet.charts:
        covered = sheet.covered(chart.box)
        if covered:
            left, top = sheet.at(chart.box[0], chart.box[1])
            right, bottom = sheet.at(chart.box[2] - 1, chart.box[3] - 1)
            faults.append(
                Fault(
                    "graphique-sur-cellule",
                    sheet.name,
                    tuple(a1(*k) for k in covered),
                    tuple(sheet.cells[k] for k in covered),
                    f"{chart.name} sur {a1(left, top)}:{a1(right, bottom)}",
                )
            )
    return faults


def charts_over_charts(sheet: SheetModel, tolerance: float = CHART_PX) -> list[Fault]:
    """Two chart frames of a sheet that overlap: one hides the other's labels."""
    faults = []
    for n, first in enumerate(sheet.charts):
        for second in sheet.charts[n + 1 :]:
            a, b = first.box, second.box
            if (
                min(a[2], b[2]) - max(a[0], b[0]) > tolerance
                and min(a[3], b[3]) - max(a[1], b[1]) > tolerance
            ):
                corners = [a1(*sheet.at(box[0], box[1])) for box in (a, b)]
                faults.append(
                    Fault(
                        "graphique-sur-graphique",
                        sheet.name,
                        tuple(corners),
                        (first.name, second.name),
                        f"{first.name} en {corners[0]} et {second.name} en "
                        f"{corners[1]} se recouvrent",
                    )
                )
    return faults


RULES = (
    "chevauchement",
    "bord-de-page",
    "texte-coupe",
    "graphique-sur-cellule",
    "graphique-sur-graphique",
)


def check_sheet(
    sheet: SheetModel, pages: Sequence[Page], rules: Iterable[str] = RULES
) -> list[Fault]:
    """The faults of one sheet, printed on `pages`."""
    wanted = set(rules)
    faults: list[Fault] = []
    for page in pages:
        if "chevauchement" in wanted:
            faults += overlaps(sheet, page)
        if "bord-de-page" in wanted:
            faults += page_edges(sheet, page)
    if "texte-coupe" in wanted:
        faults += missing_texts(sheet, pages)
    if "graphique-sur-cellule" in wanted:
        faults += charts_over_cells(sheet)
    if "graphique-sur-graphique" in wanted:
        faults += charts_over_charts(sheet)
    return faults


@dataclass(frozen=True)
class Rendered:
    """A workbook as printed: its sheets, the pages of each generated tab, and the PDF."""

    sheets: list[SheetModel]
    pages: dict[str, list[Page]]
    pdf: Path

    def generated(self) -> list[SheetModel]:
        return [s for s in self.sheets if s.visible and s.generated]


def _starts_tab(page: Page, lookahead: int = 30) -> bool:
    """The page shows a tab's banner near its top (after a page header, if any)."""
    marker = MARKER.split()
    texts = [w.text for w in page.words[:lookahead]]
    return any(texts[i : i + len(marker)] == marker for i in range(len(texts)))


def render(workbook: Path, folder: Path) -> Rendered:
    """Print the generated tabs of `workbook` as their page setup says; see render_many."""
    return render_many([workbook], folder)[0]


def render_many(workbooks: Sequence[Path], folder: Path) -> list[Rendered]:
    """Print the generated tabs of each workbook as their page setup says (one start of
    LibreOffice for all), and give each tab its pages.

    The input tabs are hidden in a copy first (generated_only). A generated tab starts on a
    new page with its banner (« Généré par sheets-sync … ») on top, and owns the pages up to
    the next banner."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = [generated_only(w, folder / f"{n:02d}-{w.stem}.xlsx") for n, w in enumerate(workbooks)]
    out = []
    for workbook, pdf in zip(workbooks, workbooks_to_pdf(copies, folder / "pdf"), strict=True):
        sheets = read_sheets(workbook)
        pages = read_pages(pdf)
        generated = [s for s in sheets if s.visible and s.generated]
        starts = [i for i, page in enumerate(pages) if _starts_tab(page)]
        if len(starts) != len(generated) or (starts and starts[0] != 0):
            raise AssertionError(
                f"{workbook.name} : {len(starts)} pages commencent par le "
                f"bandeau pour {len(generated)} onglets générés visibles"
            )
        ends = [*starts[1:], len(pages)]
        out.append(
            Rendered(
                sheets,
                {s.name: pages[a:b] for s, a, b in zip(generated, starts, ends, strict=True)},
                pdf,
            )
        )
    return out


def faults_of(rendered: Rendered, rules: Iterable[str] = RULES) -> list[Fault]:
    """Every fault of the generated tabs of a printed workbook."""
    rules = tuple(rules)
    return [f for s in rendered.generated() for f in check_sheet(s, rendered.pages[s.name], rules)]


def check_workbook(workbook: Path, folder: Path, rules: Iterable[str] = RULES) -> list[Fault]:
    """Every fault of the generated tabs of a workbook."""
    return faults_of(render(workbook, folder), rules)


def page_counts(rendered: Rendered) -> dict[str, tuple[int, str]]:
    """Per generated tab: its number of printed pages and their size in mm."""
    out = {}
    for name, pages in rendered.pages.items():
        sizes = sorted(
            {f"{p.width * 25.4 / 72:.0f} × {p.height * 25.4 / 72:.0f} mm" for p in pages}
        )
        out[name] = (len(pages), ", ".join(sizes))
    return out


def report(faults: Sequence[Fault], limit: int = 60) -> str:
    """A readable assertion message: faults by rule, at most `limit` lines."""
    lines = [f"{len(faults)} défaut(s) de mise en page :"]
    lines += [f"  {f}" for f in faults[:limit]]
    if len(faults) > limit:
        by = Counter((f.rule, f.tab) for f in faults[limit:])
        lines.append(
            f"  … et {len(faults) - limit} autres : "
            + ", ".join(f"{r} « {t} » ×{n}" for (r, t), n in sorted(by.items()))
        )
    return "\n".join(lines)


__all__ = [
    "RULES",
    "ChartFrame",
    "Fault",
    "Page",
    "Rendered",
    "SheetModel",
    "Word",
    "check_sheet",
    "check_workbook",
    "faults_of",
    "generated_only",
    "page_counts",
    "read_pages",
    "read_sheets",
    "render",
    "render_many",
    "report",
    "workbook_to_pdf",
    "workbooks_to_pdf",
]
