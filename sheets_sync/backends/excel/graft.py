"""Graft generated worksheets into someone's .xlsx package, part by part, losing nothing.

An .xlsx is a zip of XML parts. openpyxl rebuilds every part from its own model and drops
what it does not know; here the original parts are copied as they are (same bytes once
unzipped) and only the few parts that list the tabs are edited, as text, in place::

    original package ──────────────────────────────► result
      input tabs and all they use (drawings, images,   copied, never parsed
      charts, comments, VBA, tables, sharedStrings…)
      our previous tabs (A1 carries the marker)        removed, with the parts only they use
      [Content_Types].xml     a content type per part: overrides of removed/added parts
      xl/workbook.xml         <sheet> entries, names scoped to a removed tab (localSheetId of
                              later tabs renumbered), active and first tab of the window
      xl/_rels/workbook.xml.rels   the relationship to each sheet part
      xl/styles.xml           fonts, fills, borders, number formats and cell formats of the
                              generated cells appended; existing entries keep their index
                              (xlsx_styles)
      docProps/app.xml        the tab titles listed in the document properties
    rendered package (xlsx_render) ─ worksheet parts ─► added after the input tabs, in order
      and what they use: drawings, charts       renamed to free names (their chart1.xml stays
                                                theirs, ours becomes chart2.xml), .rels fixed

Generated cells are inline strings (t="inlineStr"; xlsx_render writes them so, and a shared
string in a rendered sheet would be made inline here) so xl/sharedStrings.xml, whose indices
every input cell uses, stays untouched. Edits are made on the text (xlsx_xmltext), so an
edited part keeps its namespaces, quotes and layout. Input sheet XML is never parsed: only
A1 of each tab is read, to recognise ours. A 7,000-school sync (372,000 generated cells)
renders in 3.3–4.2 s and grafts in 0.55–0.9 s (2 shared CPUs, bench/bench_sync.py); input
members are carried compressed (zip_raw), never inflated and deflated again.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from ...cells.grid import is_generated
from ..files.zip_raw import copy_member
from . import xmltext as xt
from .losses import first_cell_texts
from .styles import merge_styles, section
from .xmltext import GraftError

__all__ = ["GraftError", "NoVisibleTab", "adopt_sheet", "graft"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
EXT_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
WORKSHEET_TYPE = f"{REL}/worksheet"
STYLES_TYPE = f"{REL}/styles"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
RELS_CT = "application/vnd.openxmlformats-package.relationships+xml"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
# The parts a graft may edit; every other original part is copied unchanged.
EDITED = ("[Content_Types].xml", "workbook", "workbook rels", "styles", "docProps/app.xml")
_STAMP = (1980, 1, 1, 0, 0, 0)
_WORKSHEET_GROUPS = {"worksheets", "feuilles de calcul", "feuilles"}


class NoVisibleTab(GraftError):
    """Excel cannot open a workbook whose tabs are all hidden."""


@dataclass(frozen=True)
class _Sheet:
    name: str
    rid: str
    part: str  # zip member, "" when the relationship is missing
    kind: str  # relationship type, e.g. ".../worksheet"
    state: str
    sheet_id: int


# --- reading (small parts only) -----------------------------------------------------------


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _source_of(rels: str) -> str:
    folder, name = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), name.removesuffix(".rels"))


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("./")


@dataclass(frozen=True)
class _Package:
    """The original package's index: members by lower-case name, relationships by part."""

    zf: zipfile.ZipFile
    members: dict[str, str]  # lower-case part name -> zip member
    rels: dict[str, list[tuple[str, str, str]]]  # part -> (Id, Type, resolved target)

    @classmethod
    def open(cls, zf: zipfile.ZipFile) -> _Package:
        members = {n.lower(): n for n in zf.namelist()}
        rels: dict[str, list[tuple[str, str, str]]] = {}
        for name in zf.namelist():
            if not name.endswith(".rels"):
                continue
            source = _source_of(name)
            items = []
            for rel in xt.parse(zf.read(name)).iter(f"{{{PKG_REL}}}Relationship"):
                external = rel.get("TargetMode") == "External"
                target = "" if external else _resolve(source, rel.get("Target", ""))
                items.append((rel.get("Id", ""), rel.get("Type", ""), target))
            rels[source.lower()] = items
        return cls(zf, members, rels)

    def member(self, part: str) -> str | None:
        return self.members.get(part.lower())

    def read(self, part: str) -> bytes | None:
        name = self.member(part)
        return None if name is None else self.zf.read(name)

    def target(self, source: str, rel_type: str) -> str | None:
        for _, kind, target in self.rels.get(source.lower(), []):
            if kind == rel_type and target:
                return target
        return None


def _workbook(package: _Package) -> str:
    book = package.target("", f"{REL}/officeDocument")
    if book is None or package.member(book) is None:
        raise GraftError("pas de classeur dans le paquet")
    return book


def _sheets(package: _Package, book: str) -> list[_Sheet]:
    rels = {rid: (kind, target) for rid, kind, target in package.rels.get(book.lower(), [])}
    out = []
    for sheet in xt.parse(package.read(book) or b"").iter(f"{{{MAIN}}}sheet"):
        rid = sheet.get(f"{{{REL}}}id", "")
        kind, target = rels.get(rid, ("", ""))
        out.append(
            _Sheet(
                name=sheet.get("name", ""),
                rid=rid,
                part=package.member(target) or "" if target else "",
                kind=kind,
                state=sheet.get("state", "visible"),
                sheet_id=int(sheet.get("sheetId", "0") or 0),
            )
        )
    return out


def _ours(package: _Package, sheets: list[_Sheet]) -> set[int]:
    """Indices of the tabs whose A1 carries our marker."""
    worksheets = {i: s.part for i, s in enumerate(sheets) if s.kind == WORKSHEET_TYPE and s.part}
    texts = first_cell_texts(package.zf, worksheets.values())
    return {i for i, part in worksheets.items() if is_generated(texts[part])}


def _removable(package: _Package, roots: Iterable[str]) -> set[str]:
    """Lower-case names of the parts to drop: the roots, every part only they (transitively)
    use, and the .rels of each."""
    removed = {r.lower() for r in roots if r}
    users: dict[str, set[str]] = {}
    for source, items in package.rels.items():
        for _, _, target in items:
            if target:
                users.setdefault(target.lower(), set()).add(source)
    changed = True
    while changed:
        changed = False
        for target, sources in users.items():
            if target not in removed and target in package.members and sources <= removed:
                removed.add(target)
                changed = True
    removed |= {_rels_name(p) for p in removed if _rels_name(p) in package.members}
    return removed


# --- the edited parts ------------------------------------------------------------------------


@dataclass(frozen=True)
class _New:
    """A generated sheet as it will sit in the result."""

    name: str
    state: str
    part: str
    rid: str
    sheet_id: int


def _edit_workbook(text: str, sheets: list[_Sheet], ours: set[int], new: list[_New]) -> str:
    span = xt.element(text, "sheets")
    if span is None:
        raise GraftError("pas de liste d'onglets")
    start, open_end, close, end, prefix = span
    tags = xt.children(text, "sheet", prefix).findall(text[open_end:close])
    if len(tags) != len(sheets):
        raise GraftError("liste d'onglets inattendue")
    r = xt.ns_prefix(text, REL)
    rel_attr = f"{r}:id" if r else f'xmlns:r="{REL}" r:id'
    added = [
        f'<{prefix}sheet name="{xt.escape(s.name)}" sheetId="{s.sheet_id}"'
        + ("" if s.state == "visible" else f' state="{s.state}"')
        + f' {rel_attr}="{s.rid}"/>'
        for s in new
    ]
    kept = [t for i, t in enumerate(tags) if i not in ours]
    body = f"<{prefix}sheets>{''.join(kept + added)}</{prefix}sheets>"
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


def _edit_rels(text: str, removed: set[str], added: list[tuple[str, str, str]]) -> str:
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


def _edit_types(text: str, removed: set[str], added: list[tuple[str, str]]) -> str:
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


def _edit_app(text: str, removed: list[str], added: list[str]) -> str:
    """The tab titles in docProps/app.xml (and names scoped to removed tabs); left as it is
    when laid out otherwise."""
    root = xt.parse(text.encode("utf-8"))
    pairs = root.find(f"{{{EXT_PROPS}}}HeadingPairs/{{{VT}}}vector")
    titles = root.find(f"{{{EXT_PROPS}}}TitlesOfParts/{{{VT}}}vector")
    vt = xt.ns_prefix(text, VT)
    if pairs is None or titles is None or vt is None:
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
    v = f"{vt}:"
    variants = "".join(
        f"<{v}variant><{v}lpstr>{xt.escape(label)}</{v}lpstr></{v}variant>"
        f"<{v}variant><{v}i4>{len(group)}</{v}i4></{v}variant>"
        for label, group in zip(labels, groups, strict=True)
    )
    listed = [f"<{v}lpstr>{xt.escape(n)}</{v}lpstr>" for group in groups for n in group]
    text = xt.replace_inner(
        text,
        "HeadingPairs",
        f'<{v}vector size="{len(values)}" baseType="variant">{variants}</{v}vector>',
    )
    return xt.replace_inner(
        text,
        "TitlesOfParts",
        f'<{v}vector size="{len(listed)}" baseType="lpstr">{"".join(listed)}</{v}vector>',
    )


# --- styles ----------------------------------------------------------------------------------


# --- the generated sheet parts ------------------------------------------------------------

_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?( t="s"><v>([0-9]+)</v>)?')
_SI = re.compile(r"<si>(.*?)</si>", re.S)
_STYLED = re.compile(r'(<c r="[A-Z]{1,3}[0-9]{1,7}" s=")([0-9]+)(?=")')


def _shared_strings(rendered: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in rendered.NameToInfo:
        return []
    return _SI.findall(rendered.read("xl/sharedStrings.xml").decode("utf-8"))


def adopt_sheet(xml: bytes, strings: list[str], xf_map: dict[int, int]) -> bytes:
    """A rendered worksheet ready to sit in another workbook: shared strings made inline,
    style indices remapped, not selected (two selected tabs would be grouped in Excel)."""
    text = xml.decode("utf-8")
    if strings or ' t="s">' in text:
        text = _inline_shared(text, strings, xf_map)
    else:
        # Every cell inline already (xlsx_render): only the styles move. Splitting on the
        # styled-cell pattern puts each style index at every third item, remapped in one
        # comprehension (a callback per cell was a third of the graft at 7,000 schools).
        table = {str(k): str(v) for k, v in xf_map.items()}
        pieces = _STYLED.split(text)
        pieces[2::3] = [table[p] for p in pieces[2::3]]
        text = "".join(pieces)
    text = text.replace(' tabSelected="1"', "", 1)
    return text.encode("utf-8")


def _inline_shared(text: str, strings: list[str], xf_map: dict[int, int]) -> str:
    def cell(found: re.Match[str]) -> str:
        ref, style, shared, index = found.groups()
        out = f'<c r="{ref}"'
        if style is not None and style != "0":
            out += f' s="{xf_map[int(style)]}"'
        if shared:
            out += f' t="inlineStr"><is>{strings[int(index)]}</is>'
        return out

    return _CELL.sub(cell, text)


# --- the parts a generated sheet uses (drawings, charts) --------------------------------------


def _content_types(rendered: zipfile.ZipFile) -> dict[str, str]:
    """Content type of each part of the rendered package, by lower-case part name."""
    root = xt.parse(rendered.read("[Content_Types].xml"))
    defaults = {
        d.get("Extension", "").lower(): d.get("ContentType", "")
        for d in root.iter(f"{{{CT}}}Default")
    }
    out = {
        o.get("PartName", "").lstrip("/").lower(): o.get("ContentType", "")
        for o in root.iter(f"{{{CT}}}Override")
    }
    for name in rendered.namelist():
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        out.setdefault(name.lower(), defaults.get(extension, ""))
    return out


def _numbered(part: str) -> Callable[[int], str]:
    """xl/charts/chart1.xml -> n ↦ xl/charts/chart{n}.xml (the target's naming scheme)."""
    folder, name = posixpath.split(part)
    stem, extension = posixpath.splitext(name)
    stem = stem.rstrip("0123456789") or "part"
    return lambda n: posixpath.join(folder, f"{stem}{n}{extension}")


def _carry(
    made: _Package, sheet: str, placed: str, taken: set[str], types: dict[str, str]
) -> list[tuple[str, bytes, str]]:
    """The parts a rendered sheet uses, renamed to names free in the target, with their .rels
    pointing at the new names: (part, bytes, content type), the sheet's own .rels included
    (content type "": the package's default for .rels).

    A target xl/charts/chart1.xml of the original package stays theirs: ours becomes
    xl/charts/chart2.xml (or the next free number), and the drawing's .rels says so.
    """
    names = {sheet.lower(): placed}
    queue = [sheet]
    while queue:  # every part reachable from the sheet, breadth first
        source = queue.pop(0)
        for _, _, target in made.rels.get(source.lower(), []):
            if target and target.lower() not in names:
                if made.member(target) is None:
                    raise GraftError(f"partie manquante dans les onglets générés ({target})")
                names[target.lower()] = _free(taken, _numbered(target))
                queue.append(target)
    out: list[tuple[str, bytes, str]] = []
    for old, new in names.items():
        member = made.member(old) or old
        if old != sheet.lower():
            kind = types.get(old, "")
            if not kind:
                raise GraftError(f"type de contenu inconnu ({member})")
            out.append((new, made.zf.read(member), kind))
        rels = made.member(_rels_name(member))
        if rels is not None:
            text = _retarget(xt.decode(made.zf.read(rels)), member, new, names)
            out.append((_rels_name(new), text.encode("utf-8"), ""))
    return out


def _retarget(text: str, source: str, placed: str, names: dict[str, str]) -> str:
    """A .rels whose internal targets follow their parts' new names (external ones kept)."""

    def fix(found: re.Match[str]) -> str:
        tag = found.group(0)
        target = xt.attr(tag, "Target")
        if xt.attr(tag, "TargetMode") == "External" or not target:
            return tag
        new = names[_resolve(source, target).lower()]
        return xt.set_attr(tag, "Target", posixpath.relpath(new, posixpath.dirname(placed)))

    return xt.tag("Relationship").sub(fix, text)


# --- the graft -----------------------------------------------------------------------------


def _free(taken: set[str], make: Callable[[int], str]) -> str:
    n = 1
    while make(n).lower() in taken:
        n += 1
    name = make(n)
    taken.add(name.lower())
    return name


def _info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    twin = zipfile.ZipInfo(info.filename, info.date_time)
    twin.compress_type = info.compress_type
    twin.external_attr = info.external_attr
    twin.create_system = info.create_system
    twin.comment = info.comment
    return twin


def graft(original: bytes, rendered: bytes, hidden: Sequence[bool],
          generated: Collection[str] | None = None) -> bytes:
    """The original package with our previous tabs replaced by the rendered ones.

    `hidden` says, for each rendered tab to take, whether it is hidden (xlsxwriter shows the
    first tab of a workbook whose tabs are all hidden, and adds one to an empty workbook).
    `generated`: the titles of our previous tabs when the caller has already read them
    (xlsx_losses.generated_parts); else they are found here.
    """
    with (
        zipfile.ZipFile(io.BytesIO(original)) as src,
        zipfile.ZipFile(io.BytesIO(rendered)) as gen,
    ):
        package, made = _Package.open(src), _Package.open(gen)
        book = _workbook(package)
        sheets = _sheets(package, book)
        ours = (_ours(package, sheets) if generated is None else
                {i for i, s in enumerate(sheets)
                 if s.kind == WORKSHEET_TYPE and s.part and s.name in generated})
        fresh = [
            replace(s, state="hidden" if hide else "visible")
            for s, hide in zip(_sheets(made, _workbook(made)), hidden, strict=False)
        ]
        kept_names = {s.name.casefold() for i, s in enumerate(sheets) if i not in ours}
        if any(s.name.casefold() in kept_names for s in fresh):
            raise GraftError("un onglet porte déjà ce nom")
        removed = _removable(package, (sheets[i].part for i in ours))
        edited: dict[str, str] = {}
        added_members: list[tuple[str, bytes]] = []
        added_types: list[tuple[str, str]] = []
        added_rels: list[tuple[str, str, str]] = []
        taken = set(package.members) - removed
        removed_ids = {sheets[i].rid for i in ours}
        rel_ids = {
            rid.lower()
            for rid, _, _ in package.rels.get(book.lower(), [])
            if rid not in removed_ids
        }
        folder = posixpath.dirname(book)

        styles_part = package.target(book, STYLES_TYPE)
        styles_member = package.member(styles_part) if styles_part else None
        rendered_styles = gen.read("xl/styles.xml")
        if styles_member is None:
            name = _free(taken, lambda n: posixpath.join(folder, f"styles{n}.xml"))
            added_members.append((name, rendered_styles))
            added_types.append((name, STYLES_CT))
            rid = _free(rel_ids, lambda n: f"rId{n}")
            added_rels.append((rid, STYLES_TYPE, posixpath.relpath(name, folder)))
            xf_map = {i: i for i in range(len(section(xt.parse(rendered_styles), "cellXfs")))}
        else:
            edited[styles_member], xf_map = merge_styles(
                xt.decode(src.read(styles_member)), rendered_styles
            )

        strings = _shared_strings(gen)
        rendered_types = _content_types(gen)
        next_id = max((s.sheet_id for s in sheets), default=0) + 1
        new: list[_New] = []
        for n, sheet in enumerate(fresh):
            part = _free(taken, lambda k: posixpath.join(folder, "worksheets", f"sheet{k}.xml"))
            rid = _free(rel_ids, lambda k: f"rId{k}")
            new.append(_New(sheet.name, sheet.state, part, rid, next_id + n))
            added_members.append((part, adopt_sheet(gen.read(sheet.part), strings, xf_map)))
            added_types.append((part, WORKSHEET_CT))
            for name, data, kind in _carry(made, sheet.part, part, taken, rendered_types):
                added_members.append((name, data))
                if kind:
                    added_types.append((name, kind))
            added_rels.append((rid, WORKSHEET_TYPE, posixpath.relpath(part, folder)))

        book_member = package.member(book) or book
        edited[book_member] = _edit_workbook(xt.decode(src.read(book_member)), sheets, ours, new)
        rels_member = package.member(_rels_name(book)) or _rels_name(book)
        edited[rels_member] = _edit_rels(xt.decode(src.read(rels_member)), removed_ids, added_rels)
        types = package.member("[Content_Types].xml") or "[Content_Types].xml"
        edited[types] = _edit_types(xt.decode(src.read(types)), removed, added_types)
        app = package.target("", f"{REL}/extended-properties")
        app_member = package.member(app) if app else None
        if app_member is not None:
            edited[app_member] = _edit_app(
                xt.decode(src.read(app_member)),
                [sheets[i].name for i in sorted(ours)],
                [s.name for s in new],
            )
        for text in edited.values():
            xt.parse(text.encode("utf-8"))  # an edit that broke the XML stops here

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename.lower() in removed:
                    continue
                if info.filename in edited:
                    dst.writestr(_info(info), edited[info.filename].encode("utf-8"))
                else:
                    copy_member(src, dst, info, _info(info))
            for name, data in added_members:
                dst.writestr(zipfile.ZipInfo(name, _STAMP), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
