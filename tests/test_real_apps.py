"""Reports as real applications see them: LibreOffice prints the workbook, Chromium the page.

Each test skips when its application is absent (Debian: libreoffice-calc poppler-utils
chromium). scripts/render_tabs.py is what runs LibreOffice and pdftoppm, so it is tested too.
"""

from __future__ import annotations

import importlib.util
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from types import ModuleType

import pytest

from sheets_sync.backends.excel.report_book import write_atomic, write_report_xlsx
from sheets_sync.reports.html_page import render_html

from .helpers import need_apps, skip_or_fail
from .report_tabs import NOW, partner_tabs

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "render_tabs.py"
CHART_BLUE = (0x2F, 0x55, 0x97)  # the first series' colour in the HTML report


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_tabs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def need(*commands: str) -> None:
    need_apps(*commands)


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
    bpp = 3 if color == 2 else 4
    raw, stride, rows = zlib.decompress(idat), width * bpp, []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i] for i in range(len(r)) if i % bpp < 3) for r in rows]


def ink(rows: list[bytes]) -> tuple[float, set[tuple[int, int, int]]]:
    """Share of non-white pixels (every 3rd row and column), and the colours seen."""
    seen, dark, total = set(), 0, 0
    for row in rows[::3]:
        for i in range(0, len(row), 9):
            rgb = (row[i], row[i + 1], row[i + 2])
            seen.add(rgb)
            total += 1
            dark += min(rgb) < 235
    return dark / total, seen


def near(colours: set[tuple[int, int, int]], target: tuple[int, int, int]) -> bool:
    return any(all(abs(a - b) <= 6 for a, b in zip(c, target, strict=True)) for c in colours)


def test_libreoffice_prints_every_tab_of_the_report_workbook(tmp_path: Path) -> None:
    need("soffice", "pdftoppm", "pdftotext")
    workbook = tmp_path / "rapport.xlsx"
    write_report_xlsx(workbook, partner_tabs())
    pngs = script().render_workbook(workbook, tmp_path / "png")
    assert [p.name for p in pngs] == ["01-Synthèse.png", "02-Classes.png"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "png" / "rapport.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    pages = text.split("\f")
    assert "Synthèse — Classes Proch'Orientation (2021-2022)" in pages[0]
    assert "Classes volontaires par établissement" in pages[1]
    for value in (
        "Établissements ayant répondu",
        "Part des réponses complètes",
        "75 %",
        "16/07/2021",
        "Réponses des établissements",
        "Réponses complètes par session",
    ):
        assert value in pages[0], value
    for value in ("Collège de l'Épeule", "Incomplète", "1234", "Classes par établissement"):
        assert value in pages[1], value
    assert "Mémoire" not in text
    for png in pngs:
        width, height, rows = read_png(png)
        share, colours = ink(rows)
        assert width > 300 and height > 100 and 0.01 < share < 0.9 and len(colours) > 8


def chromium() -> str:
    browser = script().chromium()
    if browser is None:
        skip_or_fail("absent: chromium")
    return str(browser)


def chromium_run(browser: str, profile: Path, *args: str) -> None:
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_chromium_shows_the_html_report_on_a_phone(tmp_path: Path) -> None:
    browser = chromium()
    report = tmp_path / "rapport.html"
    write_atomic(report, render_html(partner_tabs(), "Rapport — Proch'Orientation", NOW).encode())
    png = tmp_path / "rapport.png"
    chromium_run(
        browser,
        tmp_path / "profil",
        f"--screenshot={png}",
        "--window-size=390,2000",
        "--hide-scrollbars",
        report.as_uri(),
    )
    assert png.exists() and png.stat().st_size > 20_000
    width, height, rows = read_png(png)
    assert (width, height) == (390, 2000)
    share, colours = ink(rows)
    assert 0.02 < share < 0.8 and len(colours) > 20
    assert near(colours, CHART_BLUE)  # the SVG charts are drawn
    # nothing wider than the phone but the tables, which scroll: the right margin stays white
    assert all(min(row[-3 * 6 :]) > 200 for row in rows)


def test_chromium_prints_each_tab_on_its_own_page(tmp_path: Path) -> None:
    browser = chromium()
    need("pdftotext")
    report = tmp_path / "rapport.html"
    write_atomic(report, render_html(partner_tabs(), "Rapport — Proch'Orientation", NOW).encode())
    pdf = tmp_path / "rapport.pdf"
    chromium_run(
        browser,
        tmp_path / "profil",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        report.as_uri(),
    )
    pages = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout.split("\f")
    first = next(i for i, p in enumerate(pages) if "Synthèse — Classes" in p)
    second = next(i for i, p in enumerate(pages) if "Classes volontaires par établissement" in p)
    assert second > first
    assert "Les doublons ne sont pas comptés." not in pages[second]  # a new page per tab
    assert "Rapport — Proch'Orientation" in pages[0]
    assert "1 234" in pages[second].replace("\u202f", " ")


def test_render_script_demo_draws_every_generated_tab(tmp_path: Path) -> None:
    need("soffice", "pdftoppm")
    chromium()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--demo", "-o", str(tmp_path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    written = [Path(line) for line in done.stdout.splitlines()]
    tabs = [p for p in written if re.fullmatch(r"(campagne|coordination)-demo-\d\d-.+\.png",
                                               p.name)]
    names = [re.sub(r"-\d\d-", " ", p.stem) for p in tabs]
    assert names == [  # what principals and partners may read; then the coordinators' own
        "campagne-demo Synthèse", "campagne-demo Complétude", "campagne-demo Classes",
        "campagne-demo Mobilisation-des-ambassadeurs", "campagne-demo Égalité-filles-garçons",
        "campagne-demo Temps-forts", "campagne-demo Bilan-de-l-année",
        "coordination-demo Parrainages", "coordination-demo Calendrier",
        "coordination-demo Relances", "coordination-demo Journal"]
    assert {"onglets-demo-390.png", "onglets-demo-1280.png"} <= {p.name for p in written}
    # a blank page compresses to a few hundred bytes; a drawn tab is tens of kilobytes
    assert all(png.stat().st_size > 8_000 for png in tabs), [p.stat().st_size for p in tabs]
