"""The original .xlsx package read as an index: its parts, their relationships, its tabs.

Only small parts are parsed (the .rels, xl/workbook.xml) and A1 of each worksheet, to tell our
generated tabs from the input ones; graft.py and tablist.py work from this index, never from
the sheet XML. `removable_parts` says which parts go when our previous tabs are removed.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from ...cells.grid import is_generated
from . import xmltext as xt
from .generated_tabs import first_cell_texts
from .xmltext import GraftError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = f"{REL}/worksheet"


@dataclass(frozen=True)
class SheetEntry:
    name: str
    rid: str
    part: str  # zip member, "" when the relationship is missing
    kind: str  # relationship type, e.g. ".../worksheet"
    state: str
    sheet_id: int


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _source_of(rels: str) -> str:
    folder, name = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), name.removesuffix(".rels"))


def resolve_target(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("./")


@dataclass(frozen=True)
class Package:
    """The original package's index: members by lower-case name, relationships by part."""

    zf: zipfile.ZipFile
    members: dict[str, str]  # lower-case part name -> zip member
    rels: dict[str, list[tuple[str, str, str]]]  # part -> (Id, Type, resolved target)

    @classmethod
    def open(cls, zf: zipfile.ZipFile) -> Package:
        members = {n.lower(): n for n in zf.namelist()}
        rels: dict[str, list[tuple[str, str, str]]] = {}
        for name in zf.namelist():
            if not name.endswith(".rels"):
                continue
            source = _source_of(name)
            items = []
            for rel in xt.parse(zf.read(name)).iter(f"{{{PKG_REL}}}Relationship"):
                external = rel.get("TargetMode") == "External"
                target = "" if external else resolve_target(source, rel.get("Target", ""))
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


def workbook_part(package: Package) -> str:
    book = package.target("", f"{REL}/officeDocument")
    if book is None or package.member(book) is None:
        raise GraftError("pas de classeur dans le paquet")
    return book


def sheet_entries(package: Package, book: str) -> list[SheetEntry]:
    rels = {rid: (kind, target) for rid, kind, target in package.rels.get(book.lower(), [])}
    out = []
    for sheet in xt.parse(package.read(book) or b"").iter(f"{{{MAIN}}}sheet"):
        rid = sheet.get(f"{{{REL}}}id", "")
        kind, target = rels.get(rid, ("", ""))
        out.append(
            SheetEntry(
                name=sheet.get("name", ""),
                rid=rid,
                part=package.member(target) or "" if target else "",
                kind=kind,
                state=sheet.get("state", "visible"),
                sheet_id=int(sheet.get("sheetId", "0") or 0),
            )
        )
    return out


def generated_indexes(package: Package, sheets: list[SheetEntry]) -> set[int]:
    """Indices of the tabs whose A1 carries our marker."""
    worksheets = {i: s.part for i, s in enumerate(sheets) if s.kind == WORKSHEET_TYPE and s.part}
    texts = first_cell_texts(package.zf, worksheets.values())
    return {i for i, part in worksheets.items() if is_generated(texts[part])}


def removable_parts(package: Package, roots: Iterable[str]) -> set[str]:
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
    removed |= {rels_name(p) for p in removed if rels_name(p) in package.members}
    return removed
