"""What an openpyxl save would lose, as the test helper lists it (kept honest against real
round trips), and the write keeping all of it."""

from __future__ import annotations

import re
import struct
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from sheets_sync.backends import excel
from sheets_sync.cells.grid import MARKER, GeneratedTab, OutCell

from ...helpers import present
from .openpyxl_losses import lossy_content

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference" / "excel-made"
TAB = GeneratedTab("Synthèse", f"{MARKER} — ne pas modifier", "Synthèse", ("A",), ((OutCell(1),),))


def png(path: Path) -> Path:
    """A 4 x 4 red PNG, made by hand (no Pillow needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


Build = Callable[[Any, Any, Path], None]


def make(path: Path, build: Build) -> Path:
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Réponses")
    ws.write_row(0, 0, ["Nom", "Valeur"])
    for r in range(1, 6):
        ws.write_row(r, 0, [f"ligne {r}", r])
    build(book, ws, png(path.parent / "rouge.png"))
    book.close()
    return path


def _vba(book: Any, ws: Any, image: Path) -> None:
    vba = image.parent / "vbaProject.bin"
    vba.write_bytes(zipfile.ZipFile(REFERENCE / "macro01.xlsm").read("xl/vbaProject.bin"))
    book.add_vba_project(str(vba))


def _chart(book: Any, ws: Any, image: Path) -> None:
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Réponses!$B$2:$B$6"})
    ws.insert_chart("D2", chart)


LOST: dict[str, tuple[Build, list[str]]] = {
    "textbox": (lambda b, ws, i: ws.insert_textbox("D2", "Lisez-moi"), ["zone de texte ou forme"]),
    "image": (lambda b, ws, i: ws.insert_image("D2", str(i)), ["image"]),
    "embedded-image": (lambda b, ws, i: ws.embed_image("D2", str(i)), ["image dans une cellule"]),
    "background": (lambda b, ws, i: ws.set_background(str(i)), ["image d'arrière-plan"]),
    "header-image": (
        lambda b, ws, i: ws.set_header("&L&G", {"image_left": str(i)}),
        ["image d'en-tête ou de pied de page"],
    ),
    "sparkline": (
        lambda b, ws, i: ws.add_sparkline("C2", {"range": "Réponses!B2:B6"}),
        ["graphiques sparkline"],
    ),
    "databar-2010": (
        lambda b, ws, i: ws.conditional_format(
            "B2:B6", {"type": "data_bar", "data_bar_2010": True}
        ),
        ["mise en forme conditionnelle étendue (barres de données ou icônes Excel 2010)"],
    ),
    "formula": (
        lambda b, ws, i: ws.write_formula("B7", "=SUM(B2:B6)", None, 15),
        ["formule (sa valeur calculée serait effacée)"],
    ),
    "comment-sized": (
        lambda b, ws, i: ws.write_comment("A2", "Note", {"x_scale": 2.5, "y_scale": 3}),
        ["commentaire de taille personnalisée"],
    ),
    "comment-visible": (
        lambda b, ws, i: ws.write_comment("A2", "Note", {"visible": True}),
        ["commentaire affiché en permanence"],
    ),
    "checkbox": (lambda b, ws, i: ws.insert_checkbox("C2", True), []),  # workbook-level
    "button": (
        lambda b, ws, i: ws.insert_button("D2", {"caption": "Bouton"}),
        ["contrôle de formulaire (bouton, case à cocher, liste)"],
    ),
}
KEPT: dict[str, Build] = {
    "plain": lambda b, ws, i: None,
    "comment-default": lambda b, ws, i: ws.write_comment("A2", "Note simple"),
    "chart": _chart,
    "rich-string": lambda b, ws, i: ws.write_rich_string(
        "D2", "du ", b.add_format({"bold": True}), "gras"
    ),
    "table": lambda b, ws, i: ws.add_table(
        "A1:B6", {"columns": [{"header": "Nom"}, {"header": "Valeur"}]}
    ),
    "validation": lambda b, ws, i: ws.data_validation(
        "C2:C6", {"validate": "list", "source": ["Oui", "Non"]}
    ),
    "conditional": lambda b, ws, i: ws.conditional_format("B2:B6", {"type": "3_color_scale"}),
    "databar-2007": lambda b, ws, i: ws.conditional_format("B2:B6", {"type": "data_bar"}),
    "hyperlinks": lambda b, ws, i: (
        ws.write_url("D2", "https://exemple.invalid/"),
        ws.write_url("D3", "internal:'Réponses'!A1"),
    ),
    "defined-name": lambda b, ws, i: b.define_name("Total", "=Réponses!$B$2:$B$6"),
    "protection": lambda b, ws, i: ws.protect(),
    "merge": lambda b, ws, i: ws.merge_range("D2:E3", "fusion"),
    "ignored-errors": lambda b, ws, i: ws.ignore_errors({"number_stored_as_text": "C2"}),
    "print-setup": lambda b, ws, i: (ws.set_landscape(), ws.set_header("&CEn-tête")),
}


@pytest.mark.parametrize("name", list(LOST))
def test_lost_content_is_named(tmp_path: Path, name: str) -> None:
    build, items = LOST[name]
    found = lossy_content(make(tmp_path / f"{name}.xlsx", build))
    expected = [f"onglet « Réponses » : {item}" for item in items]
    if name == "checkbox":
        expected = ["classeur : cases à cocher dans les cellules"]
    assert found == expected


@pytest.mark.parametrize("name", list(KEPT))
def test_kept_content_is_not_reported(tmp_path: Path, name: str) -> None:
    assert lossy_content(make(tmp_path / f"{name}.xlsx", KEPT[name])) == []


def test_macros_are_kept_in_xlsm(tmp_path: Path) -> None:
    assert lossy_content(make(tmp_path / "macro.xlsm", _vba)) == []


def test_counts_are_shown(tmp_path: Path) -> None:
    def build(book: Any, ws: Any, image: Path) -> None:
        for row in range(6, 9):
            ws.write_formula(row, 1, "=1+1", None, 2)

    assert lossy_content(make(tmp_path / "f.xlsx", build)) == [
        "onglet « Réponses » : formule (sa valeur calculée serait effacée) (3)"
    ]


def test_losses_are_listed_but_no_longer_block_the_write(tmp_path: Path) -> None:
    """The write grafts parts instead of an openpyxl save: what a save would lose is still
    named (a diagnostic), the write goes through and keeps every input part."""

    def build(book: Any, ws: Any, image: Path) -> None:
        ws.insert_textbox("D2", "Lisez-moi")
        ws.add_sparkline("C2", {"range": "Réponses!B2:B6"})
        ws.conditional_format("B2:B6", {"type": "data_bar", "data_bar_2010": True})
        ws.write_formula("B7", "=SUM(B2:B6)", None, 15)

    path = make(tmp_path / "campagne.xlsx", build)
    found = "\n".join(lossy_content(path))
    for item in (
        "zone de texte ou forme",
        "graphiques sparkline",
        "barres de données",
        "formule (sa valeur calculée serait effacée)",
    ):
        assert item in found
    with zipfile.ZipFile(path) as zf:
        before = {n: zf.read(n) for n in zf.namelist()}
    assert excel.plan_write(path, [TAB]) == [("Synthèse", "créé")]
    assert excel.write_tabs(path, [TAB], expected_fingerprint=None) is not None
    with zipfile.ZipFile(path) as zf:
        after = {n: zf.read(n) for n in zf.namelist()}
    assert {n for n in before if before[n] != after.get(n)} <= {
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "docProps/app.xml",
    }
    assert lossy_content(path) == lossy_content(tmp_path / "campagne.sauvegarde.xlsx")


def test_generated_tabs_do_not_count(tmp_path: Path) -> None:
    def build(book: Any, ws: Any, image: Path) -> None:
        ours = book.add_worksheet("Synthèse")
        ours.write("A1", f"{MARKER} le 01/09/2021")
        ours.write_formula("B5", "=1+1", None, 2)
        ours.insert_textbox("D2", "à nous")
        theirs = book.add_worksheet("Copie")
        theirs.write("A1", f"Copie de : {MARKER}")  # the marker, but not at the start
        theirs.write_formula("B5", "=1+1", None, 2)

    path = make(tmp_path / "campagne.xlsx", build)
    assert lossy_content(path) == [
        "onglet « Copie » : formule (sa valeur calculée serait effacée)"
    ]


def test_generated_marker_in_shared_and_inline_strings(tmp_path: Path) -> None:
    """A1 is found whether the file stores it as a shared or an inline string."""
    path = tmp_path / "inline.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Réponses"
    ours = book.create_sheet("Synthèse")
    ours["A1"] = f"{MARKER} le 01/09/2021"
    ours["B2"] = "=1+1"
    book.save(path)
    with zipfile.ZipFile(path) as zf:
        assert b'<c r="A1" t="inlineStr"' in zf.read("xl/worksheets/sheet2.xml")
    assert excel.plan_write(path, [TAB]) == [("Synthèse", "remplacé")]


# --- the measurement, kept honest --------------------------------------------------------

KINDS = {
    "media": re.compile(r"^xl/media/"),
    "chart": re.compile(r"^xl/charts/chart\d+\.xml$"),
    "table": re.compile(r"^xl/tables/table\d+\.xml$"),
    "vba": re.compile(r"^xl/vbaProject\.bin$"),
    "vml": re.compile(r"\.vml$"),
    "checkbox": re.compile(r"^xl/featurePropertyBag/"),
}
ELEMENTS = (
    "<dataValidation ",
    "<conditionalFormatting",
    "<hyperlink ",
    "<definedName ",
    "<mergeCell ",
    "<comment ",
    "<tablePart ",
    "<r>",
    ":sparkline>",
    "<x14:dataBar",
    ":sp>",
    ":pic>",
)


def inventory(path: Path) -> Counter[str]:
    """Parts and elements a reader would notice missing."""
    found: Counter[str] = Counter()
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            found.update(kind for kind, rx in KINDS.items() if rx.search(name))
            if name.endswith(".xml"):
                text = zf.read(name).decode("utf-8", "replace")
                if "comments" in name:  # plain comment runs become plain text: tolerated
                    text = text.replace("<r>", "")
                found.update({e: text.count(e) for e in ELEMENTS if e in text})
                found["cached"] += len(re.findall(r"</f><v>[^<]", text))
    return found


def round_trip(source: Path, target: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(
            source, rich_text=True, keep_links=True, keep_vba=source.suffix == ".xlsm"
        )
        book.save(target)


REFERENCE_FILES = present(REFERENCE.glob("*.xls?"))


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_detection_agrees_with_a_real_round_trip(path: Path, tmp_path: Path) -> None:
    """Where nothing is reported, an openpyxl round trip keeps every inventoried content;
    where something is, the round trip really does lose some of it."""
    target = tmp_path / path.name
    round_trip(path, target)
    before, after = inventory(path), inventory(target)
    lost = {k: before[k] - after[k] for k in before if before[k] > after[k]}
    if lossy_content(path):
        assert lost, "reported lost but the round trip kept everything inventoried"
    else:
        assert lost == {}


@pytest.mark.parametrize("name", list(LOST))
def test_feature_losses_are_real(tmp_path: Path, name: str) -> None:
    source = make(tmp_path / f"{name}.xlsx", LOST[name][0])
    round_trip(source, tmp_path / "apres.xlsx")
    before, after = inventory(source), inventory(tmp_path / "apres.xlsx")
    assert before != after or _vml_styles(source) != _vml_styles(tmp_path / "apres.xlsx")


def _vml_styles(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return sorted(
            s
            for n in zf.namelist()
            if n.endswith(".vml")
            for s in re.findall(r"<v:shape [^>]*style=\"([^\"]*)\"", zf.read(n).decode())
        )
