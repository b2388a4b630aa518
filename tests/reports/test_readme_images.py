"""scripts/make_readme_images.py trims a printed tab to its ink, with pdftoppm alone."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path
from types import ModuleType

from ..helpers import need_apps

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_readme_images.py"


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_readme_images", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def one_rectangle_pdf(path: Path) -> None:
    """An A4 landscape page (842 × 595 pt), white but a black 50 × 20 pt box at (100, 475)
    from its top-left corner."""
    content = b"0 0 0 rg 100 100 50 20 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))


def test_ink_box_and_trimmed_png(tmp_path: Path) -> None:
    need_apps("pdftoppm")
    module = script()
    pdf = tmp_path / "page.pdf"
    one_rectangle_pdf(pdf)
    margin = module.MARGIN
    x, y, w, h = module.ink_box(pdf, 1, 72)  # 72 dpi: one pixel per point
    assert abs(x - (100 - margin)) <= 1 and abs(y - (595 - 120 - margin)) <= 1
    assert abs(w - (50 + 2 * margin)) <= 2 and abs(h - (20 + 2 * margin)) <= 2
    png = module.page_png(pdf, 1, tmp_path / "page.png")
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    dpi = module.DPI[0]  # small enough at the first resolution
    assert abs(width - (50 * dpi / 72 + 2 * margin)) <= 3
    assert abs(height - (20 * dpi / 72 + 2 * margin)) <= 3
