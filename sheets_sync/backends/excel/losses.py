"""What an openpyxl load/save of a workbook would lose, read cheaply from the package XML.

openpyxl rebuilds a workbook from its own object model when it saves: whatever it did not
understand on load is gone. Before writing generated tabs into someone's workbook we list
those contents in the *input* tabs (tabs whose A1 carries our marker do not count) and refuse
to save when the list is not empty. Detection reads the zip members with defusedxml; it never
loads the workbook with openpyxl.

Measured with openpyxl 3.1.5 (Pillow not installed), XlsxWriter 3.3.1: every file of
reference/excel-made/ and one XlsxWriter workbook per feature were loaded with
``load_workbook(rich_text=True, keep_vba=<.xlsm>, keep_links=True)``, saved, and the two
packages compared element by element (parts, XML elements and attributes, VML shape styles,
formula cells with a cached value)::

    content                                       after load/save        here
    --------------------------------------------  ---------------------  --------------------
    text box, shape (xdr:sp, textbox01/05)        drawing part dropped   refused
    picture (xdr:pic, image01/10, background01)   dropped (no Pillow)    refused
    background picture (<picture>)                dropped                refused
    header/footer picture (legacyDrawingHF)       dropped                refused
    picture in a cell (c@vm, richData, embed_01)  dropped                refused
    form button in .xlsx (VML, button01)          dropped                refused
    form button in .xlsm (VML kept with VBA)      kept                   refused (prudence)
    cell checkbox (featurePropertyBag)            dropped                refused
    sparklines (x14 extLst)                       dropped, warning       refused
    data bar 2010 / x14 conditional format        dropped, warning       refused
    any other worksheet extLst (x14 validation…)  dropped, warning       refused
    formula cached value (<f> + <v>, table10)     <v> emptied            refused
    dynamic array formula (c@cm, metadata.xml)    metadata dropped       refused (formula)
    comment box size, shown-comment flag          reset to openpyxl's    refused (custom only)
    comment text formatting (bold, colour…)       plain text             refused
    comment of Excel's default size, plain text   size 96x55.5pt→108x59pt tolerated
    chart (chart_*01, chartsheet01)               kept; chart print      tolerated
                                                  settings, c:lang lost
    ignoredErrors (green-triangle dismissals)     dropped                tolerated
    printer driver settings (printerSettings.bin) dropped; page setup    tolerated
                                                  kept
    calcChain.xml, fileVersion@codeName,          dropped / rewritten    tolerated (Excel
    xf apply* flags, styles of merged cells                              rebuilds them)
    rich strings (rich_text=True), VBA (.xlsm),   kept
    defined names, hyperlinks, tables, classic
    conditional formats and data validations,
    autofilter, outline, protection, merges,
    freeze panes, hidden sheets, doc properties

Other worksheet relationships that openpyxl's reader does not follow (threaded comments,
ActiveX controls, embedded objects, slicers…) are refused as « contenu non pris en charge ».
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from ...cells.grid import is_generated

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
DML = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
VML = "{urn:schemas-microsoft-com:vml}"
VML_X = "{urn:schemas-microsoft-com:office:excel}"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"

# Worksheet extension URIs openpyxl names in its warning (all are removed on load).
EXTENSIONS = {
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}": "mise en forme conditionnelle étendue "
    "(barres de données ou icônes Excel 2010)",
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": "graphiques sparkline",
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": "validation de données étendue",
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": "segments (slicers)",
    "{3A4CF648-6AED-40F1-86FB-7EC4B5CD3B45}": "segments chronologiques",
    "{FC87AEB5-A22D-4AE2-8E0C-7F42D5F6E2DB}": "plages protégées",
}
# Relationship types openpyxl's worksheet reader follows (or we inspect ourselves).
FOLLOWED = {
    "drawing",
    "vmlDrawing",
    "comments",
    "table",
    "pivotTable",
    "hyperlink",
    "printerSettings",
    "image",
}
OTHER_RELATIONS = {
    "threadedComment": "commentaires à fil de discussion",
    "ctrlProp": "contrôles de formulaire",
    "control": "contrôles ActiveX",
    "oleObject": "objets incorporés (OLE)",
    "package": "objets incorporés",
    "slicer": "segments (slicers)",
    "timeline": "segments chronologiques",
}
# Excel's own size for a new comment box; openpyxl rewrites every box at 108 x 59.25 pt.
DEFAULT_NOTE = (96.0, 55.5)
_LENGTH = re.compile(r"(width|height)\s*:\s*([0-9.]+)\s*(pt|px|in|cm|mm)?", re.I)
_POINTS = {"pt": 1.0, "px": 0.75, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "": 1.0}
_FORMATTING = {"b", "i", "u", "strike", "vertAlign", "outline", "shadow"}


@dataclass(frozen=True)
class SheetPart:
    """A tab of the package: its title, zip member, kind and visibility."""

    title: str
    part: str
    kind: str  # "worksheet" | "chartsheet" | other relationship type
    state: str


def _xml(zf: zipfile.ZipFile, name: str) -> Element:
    root: Element = SafeET.fromstring(zf.read(name))
    return root


def _rels_name(part: str) -> str:
    p = PurePosixPath(part)
    return str(p.parent / "_rels" / f"{p.name}.rels")


def relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """rId -> (type suffix, resolved zip member) for the internal targets of a part."""
    name = _rels_name(part)
    if name not in zf.NameToInfo:
        return {}
    out: dict[str, tuple[str, str]] = {}
    base = PurePosixPath(part).parent
    for rel in _xml(zf, name).iter(f"{PKG_REL}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else _normalise(base / target)
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], resolved)
    return out


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for piece in path.parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def _workbook_part(zf: zipfile.ZipFile) -> str:
    for rel in _xml(zf, "_rels/.rels").iter(f"{PKG_REL}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def sheet_parts(zf: zipfile.ZipFile) -> list[SheetPart]:
    """Every tab of the workbook, in tab order."""
    book = _workbook_part(zf)
    rels = relationships(zf, book)
    tabs = []
    for sheet in _xml(zf, book).iter(f"{MAIN}sheet"):
        kind, part = rels.get(sheet.get(f"{REL}id", ""), ("", ""))
        tabs.append(SheetPart(sheet.get("name", ""), part, kind, sheet.get("state", "visible")))
    return tabs


def _text(element: Element) -> str:
    """The text of a string item, phonetic runs left out."""
    if element.tag == f"{MAIN}t":
        return element.text or ""
    return "".join(_text(child) for child in element if child.tag != f"{MAIN}rPh")


def _shared_strings_at(zf: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """The shared strings at the `wanted` indices, in one pass that stops at the last one."""
    name = next((n for n in zf.NameToInfo if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None or not wanted:
        return {}
    last = max(wanted)
    found: dict[int, str] = {}
    with zf.open(name) as fh:
        seen = 0
        for _, element in SafeET.iterparse(fh, events=("end",)):
            if element.tag == f"{MAIN}si":
                if seen in wanted:
                    found[seen] = _text(element)
                if seen == last:
                    break
                seen += 1
                element.clear()
    return found


def _first_cell(zf: zipfile.ZipFile, part: str) -> str | int | None:
    """A1 of a worksheet part: its text, the index of its shared string, or None."""
    if part not in zf.NameToInfo:
        return None
    with zf.open(part) as fh:
        for _, element in SafeET.iterparse(fh, events=("end",)):
            if element.tag == f"{MAIN}c":
                if element.get("r", "A1") != "A1":
                    return None
                kind = element.get("t", "n")
                value = element.find(f"{MAIN}v")
                if kind == "s" and value is not None and (value.text or "").isdigit():
                    return int(value.text or "0")
                if kind == "inlineStr":
                    inline = element.find(f"{MAIN}is")
                    return None if inline is None else _text(inline)
                if kind == "str" and value is not None:
                    return value.text or ""
                return None
            if element.tag == f"{MAIN}row":
                return None  # the first row ended without an A1 cell
    return None


def first_cell_texts(zf: zipfile.ZipFile, parts: Iterable[str]) -> dict[str, str | None]:
    """A1 of each worksheet part when it holds text, read without parsing whole sheets.

    The shared strings are read once, up to the last index an A1 needs (a workbook of 7,000
    answers has a long table; reading it once per tab was most of the time of a write).
    """
    firsts = {part: _first_cell(zf, part) for part in parts}
    strings = _shared_strings_at(zf, {v for v in firsts.values() if isinstance(v, int)})
    return {
        part: strings.get(v) if isinstance(v, int) else v for part, v in firsts.items()
    }


def generated_titles(zf: zipfile.ZipFile, tabs: Iterable[SheetPart]) -> set[str]:
    """Titles of the worksheets whose A1 carries our marker."""
    sheets = [t for t in tabs if t.kind == "worksheet"]
    texts = first_cell_texts(zf, [t.part for t in sheets])
    return {t.title for t in sheets if is_generated(texts[t.part])}


def generated_parts(zf: zipfile.ZipFile) -> dict[str, bool]:
    """Tab title -> whether its A1 carries our marker."""
    tabs = sheet_parts(zf)
    ours = generated_titles(zf, tabs)
    return {tab.title: tab.title in ours for tab in tabs}


def _drawing_items(zf: zipfile.ZipFile, part: str) -> Iterator[str]:
    root = _xml(zf, part)
    for anchor in root:
        for child in anchor:
            tag = child.tag
            if tag in (f"{XDR}sp", f"{XDR}grpSp", f"{XDR}cxnSp"):
                yield "zone de texte ou forme"
            elif tag == f"{XDR}pic":
                yield "image"
            elif tag == f"{XDR}graphicFrame":
                data = child.find(f"{DML}graphic/{DML}graphicData")
                if data is None or data.get("uri") != CHART_URI:
                    yield "objet graphique (SmartArt ou autre)"
            elif tag in (f"{MC}AlternateContent", f"{XDR}contentPart"):
                yield "objet graphique (SmartArt ou autre)"


def _points(style: str, key: str) -> float | None:
    for name, number, unit in _LENGTH.findall(style):
        if name.lower() == key:
            return float(number) * _POINTS[(unit or "").lower()]
    return None


def _vml_items(zf: zipfile.ZipFile, part: str) -> Iterator[str]:
    root = _xml(zf, part)
    for shape in root.iter(f"{VML}shape"):
        data = shape.find(f"{VML_X}ClientData")
        if data is None:
            continue
        if data.get("ObjectType") != "Note":
            yield "contrôle de formulaire (bouton, case à cocher, liste)"
            continue
        if data.find(f"{VML_X}Visible") is not None:
            yield "commentaire affiché en permanence"
        style = shape.get("style", "")
        size = (_points(style, "width"), _points(style, "height"))
        if None not in size and size != DEFAULT_NOTE:
            yield "commentaire de taille personnalisée"


def _comment_items(zf: zipfile.ZipFile, part: str) -> Iterator[str]:
    for props in _xml(zf, part).iter(f"{MAIN}rPr"):
        for child in props:
            local = child.tag.removeprefix(MAIN)
            if local in _FORMATTING or (local == "color" and child.get("indexed") != "81"):
                yield "commentaire mis en forme (gras, couleur…)"
                break


def _scan_sheet(zf: zipfile.ZipFile, part: str) -> tuple[Counter[str], str | None]:
    """One streaming pass over a worksheet: what openpyxl would drop, and the rId of its
    header/footer pictures (that VML is not a comment drawing)."""
    found: Counter[str] = Counter()
    header_footer = None
    depth = 0
    with zf.open(part) as fh:
        for event, element in SafeET.iterparse(fh, events=("start", "end")):
            if event == "start":
                depth += 1
                continue
            depth -= 1
            tag = element.tag
            if tag == f"{MAIN}c":
                formula = element.find(f"{MAIN}f")
                value = element.find(f"{MAIN}v")
                if formula is not None and value is not None and value.text:
                    found["formule (sa valeur calculée serait effacée)"] += 1
                if element.get("vm") is not None:
                    found["image dans une cellule"] += 1
                element.clear()
            elif tag == f"{MAIN}row":
                element.clear()
            elif tag == f"{MAIN}picture":
                found["image d'arrière-plan"] += 1
            elif tag == f"{MAIN}legacyDrawingHF":
                found["image d'en-tête ou de pied de page"] += 1
                header_footer = element.get(f"{REL}id")
            elif tag == f"{MAIN}ext" and depth == 2:  # worksheet/extLst/ext
                uri = (element.get("uri") or "").upper()
                found[EXTENSIONS.get(uri, f"extension Excel non prise en charge ({uri})")] += 1
    return found, header_footer


def sheet_losses(zf: zipfile.ZipFile, tab: SheetPart) -> Counter[str]:
    """Lost items of one input tab, counted."""
    found: Counter[str] = Counter()
    if tab.part not in zf.NameToInfo:
        return found
    rels = relationships(zf, tab.part)
    header_footer = None
    if tab.kind == "worksheet":
        found, hf_id = _scan_sheet(zf, tab.part)
        header_footer = rels.get(hf_id or "", ("", ""))[1]
    for kind, target in rels.values():
        if target not in zf.NameToInfo:
            continue
        if kind == "drawing":
            found.update(_drawing_items(zf, target))
        elif kind == "vmlDrawing" and target != header_footer:
            found.update(_vml_items(zf, target))
        elif kind == "comments":
            found.update(_comment_items(zf, target))
        elif kind not in FOLLOWED:
            found[OTHER_RELATIONS.get(kind, f"contenu non pris en charge ({kind})")] += 1
    return found


def package_losses(zf: zipfile.ZipFile) -> list[str]:
    """French descriptions of the input-tab contents an openpyxl save would lose."""
    out = []
    tabs = sheet_parts(zf)
    ours = generated_titles(zf, tabs)
    for tab in tabs:
        if tab.title in ours:
            continue
        for item, count in sheet_losses(zf, tab).items():
            out.append(f"onglet « {tab.title} » : {item}" + (f" ({count})" if count > 1 else ""))
    if any(n.startswith("xl/featurePropertyBag/") for n in zf.NameToInfo):
        out.append("classeur : cases à cocher dans les cellules")
    return out
