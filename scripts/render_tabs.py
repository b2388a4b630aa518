#!/usr/bin/env python3
"""Render generated tabs to PNG, for a human to look at them as LibreOffice or a phone shows them.

Usage (from the repository, with the project's venv):

    .venv/bin/python scripts/render_tabs.py WORKBOOK.xlsx [-o OUTDIR] [--all]
        Each generated tab of the workbook (A1 starts with « Généré par sheets-sync ») becomes
        OUTDIR/NN-<tab>.png: LibreOffice prints each sheet on one PDF page, pdftoppm draws it.
        --all keeps the other visible tabs too. The PDF is kept as OUTDIR/<workbook>.pdf.
    .venv/bin/python scripts/render_tabs.py REPORT.html [-o OUTDIR]
        The HTML report as headless Chromium shows it: OUTDIR/<report>-390.png (a phone)
        and OUTDIR/<report>-1280.png (a desktop).
    .venv/bin/python scripts/render_tabs.py --demo [-o OUTDIR]
        The fictional demo campaign, run as `sheets-sync demo` runs it: the generated tabs of
        the shared workbook (OUTDIR/campagne-demo-NN-<tab>.png) and of the coordinator
        workbook (OUTDIR/coordination-demo-NN-<tab>.png), and the partners' HTML report.

OUTDIR defaults to reports/png. Needs the Debian packages libreoffice-calc, poppler-utils
and chromium (or the commands soffice, pdftoppm, chromium on PATH). LibreOffice runs with a
throwaway profile, so it works while another LibreOffice is open and with a read-only HOME.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MARKER = "Généré par sheets-sync"
ONE_PAGE_PER_SHEET = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str | None:
    """The headless browser command, if one is installed."""
    return next(
        (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))),
        None,
    )


def workbook_to_pdf(workbook: Path, outdir: Path) -> Path:
    """Print every visible sheet of `workbook` on one page each; returns the PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) est introuvable : apt-get install libreoffice-calc")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                ONE_PAGE_PER_SHEET,
                "--outdir",
                str(outdir),
                str(workbook),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    pdf = outdir / (workbook.stem + ".pdf")
    if not pdf.exists():
        raise SystemExit(f"LibreOffice n'a pas produit {pdf}")
    return pdf


def visible_sheets(workbook: Path) -> list[tuple[str, bool]]:
    """(name, generated?) of each visible sheet, in order."""
    import openpyxl

    book = openpyxl.load_workbook(workbook, read_only=True)
    try:
        return [
            (ws.title, str(ws["A1"].value or "").startswith(MARKER))
            for ws in book.worksheets
            if ws.sheet_state == "visible"
        ]
    finally:
        book.close()


def _slug(name: str) -> str:
    return re.sub(r"[^\w-]+", "-", name).strip("-") or "onglet"


def render_workbook(workbook: Path, outdir: Path, keep_all: bool = False,
                    prefix: str = "") -> list[Path]:
    """One PNG per generated (or, with keep_all, visible) tab of the workbook, named
    `prefix` + page number + tab name."""
    pdf = workbook_to_pdf(workbook, outdir)
    sheets = visible_sheets(workbook)
    out: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", str(pdf), f"{tmp}/page"], check=True, timeout=180
        )
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        if len(pages) != len(sheets):
            print(
                f"attention : {len(pages)} pages pour {len(sheets)} onglets visibles",
                file=sys.stderr,
            )
        for n, (page, (name, generated)) in enumerate(zip(pages, sheets, strict=False), start=1):
            if generated or keep_all:
                target = outdir / f"{prefix}{n:02d}-{_slug(name)}.png"
                shutil.move(page, target)
                out.append(target)
    return out


def render_html_file(
    report: Path, outdir: Path, widths: tuple[int, ...] = (390, 1280), height: int = 2400
) -> list[Path]:
    """The HTML report as Chromium shows it, one PNG per window width."""
    browser = chromium()
    if browser is None:
        raise SystemExit("Chromium est introuvable : apt-get install chromium")
    outdir.mkdir(parents=True, exist_ok=True)
    out = []
    for width in widths:
        target = outdir / f"{report.stem}-{width}.png"
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    browser,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={profile}",
                    f"--screenshot={target.resolve()}",
                    f"--window-size={width},{height}",
                    report.resolve().as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        out.append(target)
    return out


def render_demo(outdir: Path) -> list[Path]:
    """Run the demo as `sheets-sync demo` does, in a temporary folder, and render what it wrote.

    The shared workbook and the coordinator workbook are copied to OUTDIR and their generated
    tabs rendered; the partners' HTML report too.
    """
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    from sheets_sync.config import load_config
    from sheets_sync.starter.campaign import build_demo
    from sheets_sync.starter.demo import demo_config
    from sheets_sync.starter.demo_year import fill_demo_year
    from sheets_sync.sync import sync, write_report

    now = dt.datetime.now().replace(second=0, microsecond=0)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(demo_config(Path(tmp) / "demo")[0])
        build_demo(config)
        if fill_demo_year(config, sync(config, now=now).check.year):
            sync(config, now=now)  # as `sheets-sync demo`: the year typed, then read back
        report = write_report(config, "html", outdir / "onglets-demo.html", now=now)
        written: list[Path] = [report]
        books = [config.source] + ([config.coordination]
                                   if isinstance(config.coordination, Path) else [])
        for book in books:
            copy = outdir / book.name
            shutil.copy(book, copy)
            written += [copy, *render_workbook(copy, outdir, prefix=f"{book.stem}-")]
        return [*written, *render_html_file(report, outdir)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", type=Path, help="classeur .xlsx ou rapport .html")
    parser.add_argument("-o", "--outdir", type=Path, default=Path("reports/png"))
    parser.add_argument("--all", action="store_true", help="aussi les onglets non générés")
    parser.add_argument("--demo", action="store_true", help="la campagne de démonstration")
    args = parser.parse_args(argv)
    if args.demo:
        written = render_demo(args.outdir)
    elif args.file is None:
        parser.error("indiquez un classeur .xlsx, un rapport .html ou --demo")
    elif args.file.suffix.lower() in (".html", ".htm"):
        written = render_html_file(args.file, args.outdir)
    else:
        written = render_workbook(args.file, args.outdir, args.all)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
