"""Edits of the parts that list the tabs: workbook.xml, its .rels, [Content_Types].xml, app.xml.

The edits are made on the text (xmltext), so each part keeps its namespaces, quotes and
layout; only the entries of removed and added tabs change, and what is numbered after them
(localSheetId of defined names, the active and first tab of each window).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import xmltext as xt
from .package_index import REL, SheetEntry
from .xmltext import GraftError

EXT_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"
_WORKSHEET_GROUPS = {"worksheets", "feuilles de calcul", "feuilles"}


class NoVisibleTab(GraftError):
    """Excel cannot open a workbook whose tabs are all hidden."""


@dataclass(frozen=True)
class NewSheet:
    """A generated sheet as it will sit in the result."""

    name: str
    state: str
    part: str
    rid: str
    sheet_id: int


def edit_workbook(text: str, sheets: list[SheetEntry], ours: set[int], new: list[NewSheet]) -> str:
    span = xt.element(text, "sheets")
    if span is None:
        raise GraftError("pas de liste d'onglets")
    start, open_end, close, end, prefix = span
    tags = xt.children(text, "sheet", prefix).findall(text[open_end:close])
    if len(tags) != len(sheets):
        raise GraftError("liste d'onglets inattendue")
    # The relationships prefix in scope inside <sheets>; else declared on each new entry.
    r = xt.prefix_in_scope(text, open_end, REL)
    rel_attr = f"{r}:id" if r else f'xmlns:r="{REL}" r:id'
    added = [
        f'<{prefix}sheet name="{xt.escape(s.name)}" sheetId="{s.sheet_id}"'
        + ("" if s.state == "visible" else f' state="{s.state}"')
        + f' {rel_attr}="{s.rid}"/>'
        for s in new
    ]
    kept = [t for i, t in enumerate(tags) if i not in ours]
    head = text[start:open_end]  # its attributes kept: it may declare the prefixes used
    if head.endswith("/>"):
        head = head[:-2].rstrip() + ">"
    body = f"{head}{''.join(kept + added)}</{prefix}sheets>"
    text = text[:start] + body + text[end:]

    index: dict[int, int] = {}
    for old in range(len(sheets)):
        if old not in ours:
            index[old] = len(index)
    states = [s.state for i, s in enumerate(sheets) if i not in ours] + [s.state for s in new]
    visible = next((i for i, state in enumerate(states) if state == "visible"), None)
    if visible is None:
        raise NoVisibleTab("aucun onglet visible")
    text = _edit_names(text, ours, index)
    return _edit_views(text, index, visible, len(states))


def _edit_names(text: str, ours: set[int], index: dict[int, int]) -> str:
    span = xt.element(text, "definedNames")
    if span is None:
        return text
    start, open_end, close, end, prefix = span

    def renumber(found: re.Match[str]) -> str:
        whole = found.group(0)
        head = xt.tag("definedName", prefix).match(whole)
        scope = xt.attr(head.group(0), "localSheetId") if head else None
        if head is None or scope is None or not scope.strip().isdigit():
            return whole
        old = int(scope)
        if old in ours:
            return ""
        new_head = xt.set_attr(head.group(0), "localSheetId", str(index.get(old, old)))
        return new_head + whole[head.end() :]

    inner = xt.children(text, "definedName", prefix).sub(renumber, text[open_end:close])
    if not xt.children(text, "definedName", prefix).search(inner):
        return text[:start] + text[end:]
    return text[:open_end] + inner + text[close:]


def _edit_views(text: str, index: dict[int, int], visible: int, count: int) -> str:
    """Active and first tab of each window, renumbered; a removed active tab gives way to
    the first visible one."""

    def number(value: str | None) -> int:
        return int(value) if value and value.strip().isdigit() else 0

    def fix(found: re.Match[str]) -> str:
        tag = found.group(0)
        active = xt.attr(tag, "activeTab")
        new = index.get(number(active), visible)
        if active is not None or new != 0:
            tag = xt.set_attr(tag, "activeTab", str(min(new, count - 1)))
        first = xt.attr(tag, "firstSheet")
        if first is not None:
            tag = xt.set_attr(tag, "firstSheet", str(min(index.get(number(first), 0), count - 1)))
        return tag

    return xt.tag("workbookView").sub(fix, text)


def edit_rels(text: str, removed: set[str], added: list[tuple[str, str, str]]) -> str:
    span = xt.element(text, "Relationships")
    if span is None:
        raise GraftError("relations du classeur illisibles")
    _, open_end, close, _, prefix = span

    def keep(found: re.Match[str]) -> str:
        return "" if xt.attr(found.group(0), "Id") in removed else found.group(0)

    inner = xt.children(text, "Relationship", prefix).sub(keep, text[open_end:close])
    text = text[:open_end] + inner + text[close:]
    items = [
        f'<{prefix}Relationship Id="{rid}" Type="{kind}" Target="{xt.escape(target)}"/>'
        for rid, kind, target in added
    ]
    return xt.append_plain(text, "Relationships", items)


def edit_types(text: str, removed: set[str], added: list[tuple[str, str]]) -> str:
    span = xt.element(text, "Types")
    if span is None:
        raise GraftError("types de contenu illisibles")
    _, open_end, close, _, prefix = span

    def keep(found: re.Match[str]) -> str:
        part = (xt.attr(found.group(0), "PartName") or "").lstrip("/").lower()
        return "" if part in removed else found.group(0)

    inner = xt.children(text, "Override", prefix).sub(keep, text[open_end:close])
    text = text[:open_end] + inner + text[close:]
    items = [
        f'<{prefix}Override PartName="/{xt.escape(part)}" ContentType="{kind}"/>'
        for part, kind in added
    ]
    defaults = {
        (xt.attr(t, "Extension") or "").lower()
        for t in xt.children(text, "Default", prefix).findall(text)
    }
    if "rels" not in defaults:
        items.insert(0, f'<{prefix}Default Extension="rels" ContentType="{RELS_CT}"/>')
    return xt.append_plain(text, "Types", items)


def edit_app(text: str, removed: list[str], added: list[str]) -> str:
    """The tab titles in docProps/app.xml (and names scoped to removed tabs); left as it is
    when laid out otherwise."""
    root = xt.parse(text.encode("utf-8"))
    pairs = root.find(f"{{{EXT_PROPS}}}HeadingPairs/{{{VT}}}vector")
    titles = root.find(f"{{{EXT_PROPS}}}TitlesOfParts/{{{VT}}}vector")
    if pairs is None or titles is None:
        return text
    values = [(c.text or "") if (c := next(iter(v), None)) is not None else "?" for v in pairs]
    labels, numbers = values[0::2], values[1::2]
    names = [t.text or "" for t in titles]
    if not values or len(labels) != len(numbers) or not all(n.isdigit() for n in numbers):
        return text
    if sum(int(n) for n in numbers) != len(names):
        return text
    groups, start = [], 0
    for n in numbers:
        groups.append(names[start : start + int(n)])
        start += int(n)
    sheets = next((i for i, label in enumerate(labels) if label.casefold() in _WORKSHEET_GROUPS), 0)
    scoped = tuple(p for t in removed for p in (f"{t}!", "'" + t.replace("'", "''") + "'!"))
    for i, group in enumerate(groups):
        if i == sheets:
            kept = list(group)
            for title in removed:
                if title in kept:
                    kept.remove(title)
            groups[i] = [*kept, *added]
        else:  # names scoped to a removed tab went with it
            groups[i] = [n for n in group if not n.startswith(scoped)]
    v, declare = _vt_prefix(text)
    variants = "".join(
        f"<{v}variant><{v}lpstr>{xt.escape(label)}</{v}lpstr></{v}variant>"
        f"<{v}variant><{v}i4>{len(group)}</{v}i4></{v}variant>"
        for label, group in zip(labels, groups, strict=True)
    )
    listed = [f"<{v}lpstr>{xt.escape(n)}</{v}lpstr>" for group in groups for n in group]
    titles_xml = "".join(listed)
    text = xt.replace_inner(
        text,
        "HeadingPairs",
        f'<{v}vector{declare} size="{len(values)}" baseType="variant">{variants}</{v}vector>',
    )
    return xt.replace_inner(
        text,
        "TitlesOfParts",
        f'<{v}vector{declare} size="{len(listed)}" baseType="lpstr">{titles_xml}</{v}vector>',
    )


def _vt_prefix(text: str) -> tuple[str, str]:
    """The prefix ("vt:") for the new <vector> elements, and the declaration to put on them
    ("" when the prefix is in scope inside both <HeadingPairs> and <TitlesOfParts>, that
    is, not declared on the vectors being replaced)."""
    found: set[str | None] = set()
    for local in ("HeadingPairs", "TitlesOfParts"):
        span = xt.element(text, local)
        found.add(None if span is None else xt.prefix_in_scope(text, span[1], VT))
    if len(found) == 1 and (vt := found.pop()) is not None:
        return f"{vt}:", ""
    return "vt:", f' xmlns:vt="{VT}"'
