"""A generated tab cut into the tables a reader sees: one per block, no blank separator row.

A generated tab stacks blocks with a blank row between them and may set two blocks side by
side with a blank column between them (the layout of `dashboards`). A web page shows each
block as its own table, named by its title row, so no empty row or column is ever drawn:

    # Mobilisation   A             B     …  H    I          J
    # 4              Ambassadeur   Métier    ·   Secteur    Ambassadeurs   (tab header)
    # 5              Julie F.      …         ·   Artisanat  3
    # …
    # 20             ·             ·         ·   ·          ·              (blank row)
    # 21             Classes par secteur (title)
    # 22             Secteur       Classes                                 (header row)

gives the bands [[A–G], [I–J]] (side by side) then [[A–B]]. Within a band and its columns, a
row holding only one « title » cell captions a new table, a row of « header » cells heads
one, anything else is data. A block with no header row of its own under a header of its
columns takes it (« Égalité »: the tab's header, then « Par secteur », « Par établissement »);
rows of one « muted » cell are notes. Pure: works on whatever rows the tab holds, whatever
the layout engine wrote; a blank row is never drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..cells.grid import GeneratedTab, OutCell

__all__ = ["Band", "Block", "filled", "is_note", "tab_bands"]

_CAPTIONS = ("title", "banner")
_HEADINGS = ("title", "header", "banner")

Row = tuple[OutCell, ...]


@dataclass(frozen=True)
class Block:
    """One table: its caption ("" when it has none of its own), header row and data rows.

    Every row has the same width (missing cells are empty). `columns` are the tab's 1-based
    columns it shows.
    """

    caption: str
    head: Row
    rows: tuple[Row, ...]
    columns: tuple[int, ...]


Band = tuple[tuple[Block, ...], ...]  # side-by-side columns of stacked blocks


def filled(cell: OutCell) -> bool:
    """The cell shows something (a blank cell holds None or "")."""
    return cell.value not in (None, "")


def is_note(block: Block) -> bool:
    """Lines of explanation written in the grid (one « muted » cell a row), not a table."""
    return (
        not block.head
        and not block.caption
        and bool(block.rows)
        and all([c.style for c in r if filled(c)] == ["muted"] for r in block.rows)
    )


def _kind(row: Row) -> str:
    """« blank », « title » (one caption cell), « head » (heading cells only) or « data »."""
    cells = [c for c in row if filled(c)]
    if not cells:
        return "blank"
    if len(cells) == 1 and cells[0].style in _CAPTIONS:
        return "title"
    if all(c.style in _HEADINGS for c in cells):
        return "head"
    return "data"


def _bands(rows: Sequence[Row]) -> list[list[Row]]:
    """Runs of rows between blank rows."""
    out: list[list[Row]] = [[]]
    for row in rows:
        if _kind(row) == "blank":
            if out[-1]:
                out.append([])
        else:
            out[-1].append(row)
    return [b for b in out if b]


def _column_groups(band: Sequence[Row]) -> list[list[int]]:
    """Runs of 0-based columns holding something in the band, split at empty columns."""
    width = max(len(r) for r in band)
    used = [any(c < len(r) and filled(r[c]) for r in band) for c in range(width)]
    groups: list[list[int]] = [[]]
    for c, u in enumerate(used):
        if u:
            groups[-1].append(c)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def _stack(rows: Sequence[Row], columns: Sequence[int]) -> list[Block]:
    """The tables of one band's columns: a title or a header after data starts a new one."""
    cut = [tuple(r[c] if c < len(r) else OutCell(None) for c in columns) for r in rows]
    cols = tuple(c + 1 for c in columns)
    blocks: list[Block] = []
    caption: str = ""
    head: Row = ()
    data: list[Row] = []
    started = False

    def close() -> None:
        """Keep the block, narrowed to the columns it fills (blocks stacked without a blank
        row between them share the band's columns)."""
        if not started:
            return
        used = [i for i in range(len(cols)) if any(filled(r[i]) for r in (head, *data) if r)]
        if not used:  # a title alone
            blocks.append(Block(caption, (), (), cols))
            return
        span = slice(used[0], used[-1] + 1)
        blocks.append(Block(caption, head[span], tuple(r[span] for r in data), cols[span]))

    for row in cut:
        kind = _kind(row)
        if kind == "blank":
            close()
            caption, head, data, started = "", (), [], False
        elif kind == "title":
            close()
            caption = next(str(c.value) for c in row if filled(c))
            head, data, started = (), [], True
        elif kind == "head" and (not started or data or head):
            close()
            caption, head, data, started = "", row, [], True
        elif kind == "head":
            head = row
        else:
            data.append(row)
            started = True
    close()
    return blocks


def _inherit_heads(bands: list[Band]) -> list[Band]:
    """A block without a header row under a header of its columns (or some of them) takes
    it, as « Par secteur » under the tab's header; that header, left with no row, is dropped."""
    last: tuple[tuple[int, ...], Row] | None = None
    used: set[int] = set()  # id() of the header-only blocks some block below inherited
    out: list[Band] = []
    for band in bands:
        stacks = []
        for stacked in band:
            blocks = []
            for b in stacked:
                if b.head:
                    last = (b.columns, b.head)
                elif b.rows and last and not is_note(b) and set(last[0]) <= set(b.columns):
                    cells = dict(zip(last[0], last[1], strict=True))
                    b = Block(
                        b.caption,
                        tuple(cells.get(c, OutCell(None)) for c in b.columns),
                        b.rows,
                        b.columns,
                    )
                    used.add(id(last[1]))
                blocks.append(b)
            stacks.append(tuple(blocks))
        out.append(tuple(stacks))
    kept: list[Band] = []
    for band in out:
        columns = tuple(
            tuple(b for b in bs if b.rows or b.caption or id(b.head) not in used) for bs in band
        )
        if any(columns):
            kept.append(tuple(c for c in columns if c))
    return kept


def tab_bands(tab: GeneratedTab) -> list[Band]:
    """The tab's header and rows as bands of tables, top to bottom (none when all is empty)."""
    header: Row = tuple(OutCell(h, "header") for h in tab.header)
    rows = [header, *tab.rows] if header else list(tab.rows)
    bands: list[Band] = []
    for band in _bands(rows):
        columns = tuple(tuple(_stack(band, g)) for g in _column_groups(band))
        bands.append(tuple(c for c in columns if c))
    return _inherit_heads([b for b in bands if b])
