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
                              later tabs renumbered), active and first tab of the window;
                              the names scoped to a rendered tab (its Print_Titles: header
                              rows repeated on each printed page) added, numbered in the
                              target's tab order
      xl/_rels/workbook.xml.rels   the relationship to each sheet part
      xl/styles.xml           fonts, fills, borders, number formats and cell formats of the
                              generated cells appended; existing entries keep their index
                              (styles)
      docProps/app.xml        the tab titles listed in the document properties
    rendered package (render) ─ worksheet parts ─► added after the input tabs, in order
      and what they use: drawings, charts       renamed to free names (their chart1.xml stays
                                                theirs, ours becomes chart2.xml), .rels fixed

Generated cells are inline strings (t="inlineStr"; render writes them so, and a shared
string in a rendered sheet would be made inline here) so xl/sharedStrings.xml, whose indices
every input cell uses, stays untouched. Edits are made on the text (xmltext), so an
edited part keeps its namespaces, quotes and layout; what is added uses the prefixes in
scope where it goes, or declares its own (openpyxl with lxml declares xmlns:r on each
<sheet>, the Open XML SDK prefixes the main namespace: tests/data/tools/). Input sheet XML
is never parsed: only A1 of each tab is read, to recognise ours. A 7,000-school sync
(372,000 generated cells) renders in 3.3–4.2 s and grafts in 0.55–0.9 s (2 shared CPUs,
bench/bench_sync.py); input members are carried compressed (zip_raw), never inflated and
deflated again.

The original package is indexed in package_index.py and the parts that list the tabs are
edited in tablist.py; here the rendered sheets are adopted, the parts they use carried over
under free names, and the result zipped.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

from ..files.zip_raw import copy_member
from . import xmltext as xt
from .package_index import (
    REL,
    WORKSHEET_TYPE,
    Package,
    generated_indexes,
    rels_name,
    removable_parts,
    resolve_target,
    sheet_entries,
    workbook_part,
)
from .styles import merge_styles, section
from .tablist import NewSheet, NoVisibleTab, edit_app, edit_rels, edit_types, edit_workbook
from .xmltext import GraftError

__all__ = ["GraftError", "NoVisibleTab", "adopt_sheet", "graft"]

STYLES_TYPE = f"{REL}/styles"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
# The parts a graft may edit; every other original part is copied unchanged.
EDITED = ("[Content_Types].xml", "workbook", "workbook rels", "styles", "docProps/app.xml")
_STAMP = (1980, 1, 1, 0, 0, 0)


# --- the generated sheet parts ------------------------------------------------------------

_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?( t="s"><v>([0-9]+)</v>)?')
_SI = re.compile(r"<si>(.*?)</si>", re.S)
_STYLED = re.compile(rb'(<c r="[A-Z]{1,3}[0-9]{1,7}" s=")([0-9]+)(?=")')
_CHUNK = 4 << 20  # bytes of rows remapped at a time (adopt_sheet)


def _shared_strings(rendered: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in rendered.NameToInfo:
        return []
    return _SI.findall(rendered.read("xl/sharedStrings.xml").decode("utf-8"))


def adopt_sheet(xml: bytes, strings: list[str], xf_map: dict[int, int]) -> bytes:
    """A rendered worksheet ready to sit in another workbook: shared strings made inline,
    style indices remapped, not selected (two selected tabs would be grouped in Excel)."""
    if strings or b' t="s">' in xml:
        text = _inline_shared(xml.decode("utf-8"), strings, xf_map)
        return text.replace(' tabSelected="1"', "", 1).encode("utf-8")
    # Every cell inline already (render): only the styles move, in the UTF-8 bytes (the
    # pattern is ASCII, which no multi-byte character contains). Splitting on the
    # styled-cell pattern puts each style index at every third item, remapped in one
    # comprehension (a callback per cell was a third of the graft at 7,000 schools); a few
    # megabytes of rows at a time, so that the pieces of a large tab never all exist at once.
    table = {str(k).encode(): str(v).encode() for k, v in xf_map.items()}
    out: list[bytes] = []
    start = 0
    while start < len(xml):
        end = xml.find(b"</row>", start + _CHUNK)  # a cell never spans the end of a row
        end = len(xml) if end < 0 else end + len(b"</row>")
        pieces = _STYLED.split(xml[start:end])
        pieces[2::3] = [table[p] for p in pieces[2::3]]
        out.append(b"".join(pieces))
        start = end
    return b"".join(out).replace(b' tabSelected="1"', b"", 1)


def _adopted(gen: zipfile.ZipFile, part: str, strings: list[str],
             xf_map: dict[int, int]) -> bytes:
    return adopt_sheet(gen.read(part), strings, xf_map)


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
    made: Package, sheet: str, placed: str, taken: set[str], types: dict[str, str]
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
        rels = made.member(rels_name(member))
        if rels is not None:
            text = _retarget(xt.decode(made.zf.read(rels)), member, new, names)
            out.append((rels_name(new), text.encode("utf-8"), ""))
    return out


def _retarget(text: str, source: str, placed: str, names: dict[str, str]) -> str:
    """A .rels whose internal targets follow their parts' new names (external ones kept)."""

    def fix(found: re.Match[str]) -> str:
        tag = found.group(0)
        target = xt.attr(tag, "Target")
        if xt.attr(tag, "TargetMode") == "External" or not target:
            return tag
        new = names[resolve_target(source, target).lower()]
        return xt.set_attr(tag, "Target", posixpath.relpath(new, posixpath.dirname(placed)))

    return xt.tag("Relationship").sub(fix, text)


# --- names scoped to a generated sheet (Print_Titles) --------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rendered_names(workbook: bytes) -> list[tuple[int, str, str]]:
    """(localSheetId, name, formula) of the rendered workbook's names scoped to one tab."""
    out = []
    for item in xt.parse(workbook).iter(f"{{{MAIN}}}definedName"):
        scope = item.get("localSheetId")
        if scope is not None and scope.isdigit():
            out.append((int(scope), item.get("name", ""), item.text or ""))
    return out


def add_names(text: str, names: Sequence[tuple[int, str, str]], first: int) -> str:
    """workbook.xml with names scoped to the rendered tabs added, tab n of the rendered
    package being tab first + n of the target (the user's own names untouched)."""
    if not names:
        return text
    prefix = xt.root_prefix(text)
    items = [f'<{prefix}definedName name="{xt.escape(name)}" localSheetId="{first + n}">'
             f"{xt.escape(formula)}</{prefix}definedName>" for n, name, formula in names]
    if xt.element(text, "definedNames") is not None:
        return xt.append_plain(text, "definedNames", items)
    spot = xt.insertion_point(text, ("externalReferences", "functionGroups", "sheets"))
    new = f"<{prefix}definedNames>{''.join(items)}</{prefix}definedNames>"
    return text[:spot] + new + text[spot:]


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
    (generated_tabs.generated_parts); else they are found here.
    """
    with (
        zipfile.ZipFile(io.BytesIO(original)) as src,
        zipfile.ZipFile(io.BytesIO(rendered)) as gen,
    ):
        package, made = Package.open(src), Package.open(gen)
        book = workbook_part(package)
        sheets = sheet_entries(package, book)
        ours = (generated_indexes(package, sheets) if generated is None else
                {i for i, s in enumerate(sheets)
                 if s.kind == WORKSHEET_TYPE and s.part and s.name in generated})
        fresh = [
            replace(s, state="hidden" if hide else "visible")
            for s, hide in zip(sheet_entries(made, workbook_part(made)), hidden, strict=False)
        ]
        kept_names = {s.name.casefold() for i, s in enumerate(sheets) if i not in ours}
        if any(s.name.casefold() in kept_names for s in fresh):
            raise GraftError("un onglet porte déjà ce nom")
        removed = removable_parts(package, (sheets[i].part for i in ours))
        edited: dict[str, str] = {}
        added_members: list[tuple[str, bytes | Callable[[], bytes]]] = []
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
        new: list[NewSheet] = []
        for n, sheet in enumerate(fresh):
            part = _free(taken, lambda k: posixpath.join(folder, "worksheets", f"sheet{k}.xml"))
            rid = _free(rel_ids, lambda k: f"rId{k}")
            new.append(NewSheet(sheet.name, sheet.state, part, rid, next_id + n))
            added_members.append((part, functools.partial(_adopted, gen, sheet.part, strings,
                                                          xf_map)))
            added_types.append((part, WORKSHEET_CT))
            for name, data, kind in _carry(made, sheet.part, part, taken, rendered_types):
                added_members.append((name, data))
                if kind:
                    added_types.append((name, kind))
            added_rels.append((rid, WORKSHEET_TYPE, posixpath.relpath(part, folder)))

        book_member = package.member(book) or book
        edited[book_member] = add_names(
            edit_workbook(xt.decode(src.read(book_member)), sheets, ours, new),
            [n for n in rendered_names(gen.read(workbook_part(made))) if n[0] < len(new)],
            len(sheets) - len(ours),
        )
        rels_member = package.member(rels_name(book)) or rels_name(book)
        edited[rels_member] = edit_rels(xt.decode(src.read(rels_member)), removed_ids, added_rels)
        types = package.member("[Content_Types].xml") or "[Content_Types].xml"
        edited[types] = edit_types(xt.decode(src.read(types)), removed, added_types)
        app = package.target("", f"{REL}/extended-properties")
        app_member = package.member(app) if app else None
        if app_member is not None:
            edited[app_member] = edit_app(
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
            for name, content in added_members:  # a generated sheet adopted as it is written
                dst.writestr(zipfile.ZipInfo(name, _STAMP), content if isinstance(content, bytes)
                             else content(), zipfile.ZIP_DEFLATED, 1)
    return out.getvalue()
