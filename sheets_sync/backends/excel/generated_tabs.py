"""Which tabs of someone's package are ours, read cheaply from the package XML.

A generated tab carries the marker in A1 (`cells.grid.is_generated`). The write and the graft
need to know which tabs are ours before they replace them, without loading the workbook:
the tab list (`sheet_parts`), each part's relationships, and the first cell of each tab
(shared or inline string) are read from the zip members with defusedxml.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from ...cells.grid import is_generated

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
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
    """The shared strings at the `wanted` indices.

    The items are counted on the bytes and only the wanted ones are parsed (with the
    table's own prolog and root tag, so prefixes and entities read as in the whole part):
    a roster tab's A1 is often one of the last strings of a long table, whose parse was
    most of a write's reading at 650 schools (issue #16). A part where a « <si » could be
    something else than an item (a comment, CDATA, a DTD: « <! »), or not in UTF-8/ASCII
    bytes, is parsed whole, as before."""
    name = next((n for n in zf.NameToInfo if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None or not wanted:
        return {}
    data = zf.read(name)
    root = _ROOT.search(data)
    if root is None or b"<!" in data or b"\x00" in data or data.count(b"<?") > 1:
        return _parsed_strings_at(data, wanted)
    try:
        return _items_at(data, root, wanted)
    except SafeET.ParseError:  # cut at a place the count got wrong: the whole parse decides
        return _parsed_strings_at(data, wanted)


def _items_at(data: bytes, root: re.Match[bytes], wanted: set[int]) -> dict[int, str]:
    """The wanted items, each parsed alone inside the table's prolog and root tag."""
    last = max(wanted)
    starts: list[int] = []
    for start in _ITEM.finditer(data, root.end()):
        starts.append(start.start())
        if len(starts) > last + 1:
            break
    close = data.rfind(b"</")
    if close < root.end():  # an empty <sst/>
        return {}
    tag = root.group(1)
    found: dict[int, str] = {}
    for index in sorted(wanted):
        if index >= len(starts):
            break
        end = starts[index + 1] if index + 1 < len(starts) else close
        document = data[: root.end()] + data[starts[index]:end] + b"</" + tag + b">"
        item = next(iter(SafeET.fromstring(document)), None)
        if item is not None and item.tag == f"{MAIN}si":
            found[index] = _text(item)
    return found


# The root's start tag (after the XML declaration) and the start of each string item.
_ROOT = re.compile(rb"<(?![?!])([^\s/>]+)[^>]*>")
_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si(?=[\s/>])")


def _parsed_strings_at(data: bytes, wanted: set[int]) -> dict[int, str]:
    """_shared_strings_at by a streaming parse that stops at the last wanted index."""
    last = max(wanted)
    found: dict[int, str] = {}
    seen = 0
    for _, element in SafeET.iterparse(io.BytesIO(data), events=("end",)):
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
