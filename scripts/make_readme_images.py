#!/usr/bin/env python3
"""Regenerate the README's pictures from the fictional demo campaign, in one command.

Usage (from the repository, with the project's venv):

    .venv/bin/python scripts/make_readme_images.py [-o docs/images]

writes, from the demo run as `sheets-sync demo` runs it (dated 20/09/2021 10:30, so that the
pictures do not change from one run to the next):

    synthese.png            the « Synthèse » tab as LibreOffice prints it
    classes.png             the « Classes » tab
    egalite.png             the « Égalité filles-garçons » tab
    calendrier.png          the « Calendrier » tab (coordination), the demo's fictional year
    rapport-telephone.png   the partners' HTML report in Chromium, 390 px wide (a phone)

Each tab is drawn by scripts/render_tabs.py's LibreOffice → PDF step, then cut to what is
printed (white margins trimmed) by pdftoppm itself: no image library needed. A picture over
MAX_BYTES is drawn again at a lower resolution. Needs soffice, pdftoppm and chromium.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2022, 2, 16, 10, 30)  # mid-year: the demo's year half held
MAX_BYTES = 300_000
DPI = (110, 96, 80, 64, 50)  # tried in turn until the picture is small enough
MARGIN = 12  # pixels of white kept around what is printed
_WHITE_BYTES = bytes(range(250, 256))  # near-white is white (antialiased page edges)
PHONE = (390, 2400)  # the report's first screens on a phone: width, height in CSS pixels


def render_tabs() -> ModuleType:
    """scripts/render_tabs.py, imported from its file (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("render_tabs", ROOT / "scripts/render_tabs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ink_box(pdf: Path, page: int, dpi: int) -> tuple[int, int, int, int]:
    """(x, y, width, height) in pixels of what is not white on the page, margin included."""
    ppm = subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", str(pdf)],
        check=True, capture_output=True, timeout=180,
    ).stdout  # fmt: skip
    fields = ppm.split(maxsplit=4)  # P5, width, height, maxval, pixels (binary PGM)
    if fields[0] != b"P5":
        raise SystemExit(f"pdftoppm : format inattendu {fields[0]!r}")
    width, height, pixels = int(fields[1]), int(fields[2]), fields[4]
    rows = [pixels[r * width : (r + 1) * width] for r in range(height)]
    inked = [r for r, row in enumerate(rows) if row.translate(None, _WHITE_BYTES)]
    if not inked:
        return 0, 0, width, height
    left = min(len(rows[r]) - len(rows[r].lstrip(_WHITE_BYTES)) for r in inked)
    right = max(len(rows[r].rstrip(_WHITE_BYTES)) for r in inked)
    x0, y0 = max(left - MARGIN, 0), max(inked[0] - MARGIN, 0)
    x1, y1 = min(right + MARGIN, width), min(inked[-1] + 1 + MARGIN, height)
    return x0, y0, x1 - x0, y1 - y0


def page_png(pdf: Path, page: int, target: Path) -> Path:
    """One PDF page as a PNG trimmed to its ink, at the highest resolution under MAX_BYTES."""
    for dpi in DPI:
        x, y, w, h = ink_box(pdf, page, dpi)
        stem = target.with_suffix("")
        subprocess.run(
            ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-x", str(x),
             "-y", str(y), "-W", str(w), "-H", str(h), "-png", "-singlefile", str(pdf),
             str(stem)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        if target.stat().st_size <= MAX_BYTES:
            break
    return target


def phone_png(report: Path, target: Path, rt: ModuleType) -> Path:
    """The HTML report's first screens at a phone's width."""
    with tempfile.TemporaryDirectory() as tmp:
        [shot] = rt.render_html_file(report, Path(tmp), widths=(PHONE[0],), height=PHONE[1])
        shutil.move(shot, target)
    return target


def make_images(outdir: Path) -> list[Path]:
    """Run the demo in a temporary folder and draw the README's pictures into outdir."""
    sys.path.insert(0, str(ROOT))
    from sheets_sync.config import load_config
    from sheets_sync.starter.campaign import build_demo
    from sheets_sync.starter.demo import demo_config
    from sheets_sync.starter.demo_year import fill_demo_year
    from sheets_sync.sync import sync, write_report

    rt = render_tabs()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(demo_config(Path(tmp) / "demo")[0])
        build_demo(config)
        if fill_demo_year(config, sync(config, now=NOW).check.year):
            sync(config, now=NOW)  # as `sheets-sync demo`: the year typed, then read back
        wanted = {
            config.tabs.summary: "synthese.png",
            config.tabs.classes: "classes.png",
            config.tabs.equality: "egalite.png",
            config.tabs.calendar: "calendrier.png",
        }
        written: list[Path] = []
        books = [config.source]
        if isinstance(config.coordination, Path):
            books.append(config.coordination)
        for book in books:
            names = [name for name, _ in rt.visible_sheets(book)]
            if not set(names) & set(wanted):
                continue
            pdf = rt.workbook_to_pdf(book, Path(tmp) / "pdf")
            for page, name in enumerate(names, start=1):
                if name in wanted:
                    written.append(page_png(pdf, page, outdir / wanted.pop(name)))
        if wanted:
            raise SystemExit(f"onglets introuvables dans la démo : {', '.join(wanted)}")
        report = write_report(config, "html", Path(tmp) / "rapport.html", now=NOW)
        written.append(phone_png(report, outdir / "rapport-telephone.png", rt))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--outdir", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    for path in make_images(args.outdir):
        print(f"{path}  ({path.stat().st_size // 1000} ko)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
