"""Merge the cell formats of generated tabs into someone's xl/styles.xml, text-level.

Existing entries keep their index (every input cell points at them); ours are appended, and an
entry equal to an existing one (a previous sync's) is reused, so syncing again adds nothing.
"""

from __future__ import annotations

import contextlib
from xml.etree.ElementTree import Element

from . import xmltext as xt
from .xmltext import GraftError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STYLE_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs")


def _serialise(element: Element, prefix: str) -> str:
    """An element of the main namespace written with the target part's prefix."""
    tag = element.tag.removeprefix(f"{{{MAIN}}}")
    if tag.startswith("{") or any(k.startswith("{") for k in element.attrib):
        raise GraftError(f"style inattendu ({tag})")
    attrs = "".join(f' {k}="{xt.escape(v)}"' for k, v in element.attrib.items())
    inner = xt.escape(element.text or "") + "".join(_serialise(c, prefix) for c in element)
    if not inner:
        return f"<{prefix}{tag}{attrs}/>"
    return f"<{prefix}{tag}{attrs}>{inner}</{prefix}{tag}>"


def section(root: Element, local: str) -> list[Element]:
    found = root.find(f"{{{MAIN}}}{local}")
    return [] if found is None else list(found)


def merge_styles(original: str, rendered: bytes) -> tuple[str, dict[int, int]]:
    """Append the rendered cell formats (index ≥ 1) to the original styles.xml.

    Returns the new styles text and rendered xf index -> index in the original; existing
    entries keep their index. An entry equal to an existing one (a previous sync's) is
    reused, so syncing again does not grow the styles.
    """
    mine, theirs = xt.parse(rendered), xt.parse(original.encode("utf-8"))
    prefix = xt.root_prefix(original)
    formats = {
        int(n.get("numFmtId", "0")): n.get("formatCode", "") for n in section(mine, "numFmts")
    }
    existing = {
        n.get("formatCode", ""): int(n.get("numFmtId", "0")) for n in section(theirs, "numFmts")
    }
    next_format = max([163, *existing.values()]) + 1
    new_formats: list[str] = []
    counts = {k: len(section(theirs, k)) for k in ("fonts", "fills", "borders", "cellXfs")}
    added: dict[str, list[str]] = {"fonts": [], "fills": [], "borders": [], "cellXfs": []}
    maps: dict[str, dict[int, int]] = {"fonts": {}, "fills": {}, "borders": {}}
    if counts["fills"] >= 2:  # the two fills the format reserves: none and gray125
        maps["fills"] = {0: 0, 1: 1}
    has_style_xfs = bool(section(theirs, "cellStyleXfs"))
    known: dict[str, dict[str, int]] = {}
    for kind in added:
        known[kind] = {}
        for n, element in enumerate(section(theirs, kind)):
            with contextlib.suppress(GraftError):  # an entry we could not have written
                known[kind].setdefault(_serialise(element, prefix), n)

    def place(kind: str, xml: str) -> int:
        if xml not in known[kind]:
            known[kind][xml] = counts[kind] + len(added[kind])
            added[kind].append(xml)
        return known[kind][xml]

    def use(kind: str, index: int) -> int:
        if index not in maps[kind]:
            items = section(mine, kind)
            if not 0 <= index < len(items):
                raise GraftError(f"style inattendu ({kind} {index})")
            maps[kind][index] = place(kind, _serialise(items[index], prefix))
        return maps[kind][index]

    xf_map: dict[int, int] = {}
    for i, xf in enumerate(section(mine, "cellXfs")):
        if i == 0:
            continue  # cells with the default format take the workbook's own default
        xf = _copy(xf)
        for attr, kind in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            xf.set(attr, str(use(kind, int(xf.get(attr, "0")))))
        number = int(xf.get("numFmtId", "0"))
        if number >= 164:
            code = formats[number]
            if code not in existing:
                existing[code] = next_format
                new_formats.append(
                    f'<{prefix}numFmt numFmtId="{next_format}" formatCode="{xt.escape(code)}"/>'
                )
                next_format += 1
            xf.set("numFmtId", str(existing[code]))
        if has_style_xfs:
            xf.set("xfId", "0")
        else:
            xf.attrib.pop("xfId", None)
        xf_map[i] = place("cellXfs", _serialise(xf, prefix))
    total = len(section(theirs, "numFmts")) + len(new_formats)
    text = xt.append(original, "numFmts", new_formats, total)
    for kind in ("fonts", "fills", "borders", "cellXfs"):
        before = _STYLE_ORDER[: _STYLE_ORDER.index(kind)]
        total = counts[kind] + len(added[kind])
        text = xt.append(text, kind, added[kind], total, after=reversed(before))
    return text, xf_map


def _copy(element: Element) -> Element:
    twin = Element(element.tag, dict(element.attrib))
    twin.text = element.text
    twin.extend(list(element))
    return twin
