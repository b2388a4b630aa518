"""What an openpyxl load/save of a workbook would lose, read cheaply from the package XML.

A test helper: the sync never saves with openpyxl (it grafts parts, see
`sheets_sync/backends/excel/graft.py`), so nothing in the package needs this list any more.
The tests use it to prove their fixtures hold content a load/save would lose (so the
lossless write is tested on what matters) and that the templates hold none.

openpyxl rebuilds a workbook from its own object model when it saves: whatever it did not
understand on load is gone. The list covers the *input* tabs (tabs whose A1 carries our
marker do not count). Detection reads the zip members with defusedxml; it never loads the
workbook with openpyxl.

Measured with openpyxl 3.1.5 (Pillow not installed), XlsxWriter 3.3.1: every file of
reference/excel-made/ and one XlsxWriter workbook per feature were loaded with
``load_workbook(rich_text=True, keep_vba=<.xlsm>, keep_links=True)``, saved, and the two
packages compared element by element (parts, XML elements and attributes, VML shape styles,
formula cells with a cached value)::

    content                                       after load/save        listed
    --------------------------------------------  ---------------------  --------------------
    text box, shape (xdr:sp, textbox01/05)        drawing part dropped   listed
    picture (xdr:pic, image01/10, background01)   dropped (no Pillow)    listed
    background picture (<picture>)                dropped                listed
    header/footer picture (legacyDrawingHF)       dropped                listed
    picture in a cell (c@vm, richData, embed_01)  dropped                listed
    form button in .xlsx (VML, button01)          dropped                listed
    form button in .xlsm (VML kept with VBA)      kept                   listed (prudence)
    cell checkbox (featurePropertyBag)            dropped                listed
    sparklines (x14 extLst)                       dropped, warning       listed
    data bar 2010 / x14 conditional format        dropped, warning       listed
    any other worksheet extLst (x14 validation…)  dropped, warning       listed
    formula cached value (<f> + <v>, table10)     <v> emptied            listed
    dynamic array formula (c@cm, metadata.xml)    metadata dropped       listed (formula)
    comment box size, shown-comment flag          reset to openpyxl's    listed (custom only)
    comment text formatting (bold, colour…)       plain text             listed
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
ActiveX controls, embedded objects, slicers…) are listed as « contenu non pris en charge ».
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from defusedxml import ElementTree as SafeET

from sheets_sync.backends.excel.generated_tabs import (
    MAIN,
    REL,
    SheetPart,
    _xml,
    generated_titles,
    relationships,
    sheet_parts,
)

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


def lossy_content(path: Path) -> list[str]:
    """French descriptions of what an openpyxl load/save of `path` would lose in input tabs."""
    with zipfile.ZipFile(io.BytesIO(Path(path).read_bytes())) as zf:
        return package_losses(zf)
