"""Look at a file before any parser does: refuse what would eat the memory or the time.

Checked, in this order, on bytes nobody has parsed yet::

    file on disk        size ≤ taille_max_mo                      (before reading it)
    kind                OLE (.xls, encrypted OOXML), zip (.xlsx/.xlsm, .xlsb, .ods), other
    zip end record      parts ≤ parties_max, central directory ≤ parties_max KiB
    central directory   each part and all parts together ≤ taille_max_mo once decompressed;
                        decompressed / compressed ≤ ratio_compression_max (parts > 1 MiB);
                        no encrypted part
    XML prologs         no <!DOCTYPE> in any XML part (OPC, ECMA-376 Part 2 §8.1.4, forbids
                        DTDs: a DOCTYPE is there only to define entities — billion laughs,
                        external entities — so it is refused before any parser sees it)
    large XML parts     at most 1 048 576 <row> elements (Excel's last row) and
                        ``cellules_max`` <si> shared strings: openpyxl's streaming parser
                        keeps each element it has read (cleared, ~100 bytes) until the end of
                        the part, and rows repeating one row number never reach the readers'
                        counts — so they are counted here, decompressing only big parts;
                        or, for .xlsx read by calamine, by xlsx_read in the parts it reads
                        (in passes it makes anyway), and here before openpyxl parses any

The declared sizes can be trusted as a ceiling: zipfile's reader (ZipExtFile) never returns
more than a part's declared ``file_size`` — it cuts the output there and checks the CRC, so a
part whose deflate stream expands further fails with BadZipFile instead of growing (tested
in tests/backends/files/test_hostile_files.py). The sizes in the local headers are not used by
zipfile.

What the guard cannot see from the directory — how many rows a tab holds — is bounded while
reading by `CellBudget`: the readers report each filled row as they stream it and stop at the
first one beyond ``lignes_max``, ``colonnes_max`` or ``cellules_max``. A sheet's
``<dimension>`` is never trusted (it may lie both ways).

openpyxl 3.1 parses every part through ``openpyxl.xml.functions``: ``iterparse`` (the
read-only worksheet reader, the shared strings) is defusedxml's whenever defusedxml is
installed (``openpyxl.xml.DEFUSEDXML``), ``fromstring`` (workbook, relationships, content
types, styles) too — or lxml's with ``resolve_entities=False`` if lxml is installed. So the
DOCTYPE check is a second lock for openpyxl, and the only one in front of calamine's parser
(which resolves no external entity either: tested).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ...config import ReadLimits
from ...errors import SourceError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
EXCEL_MAX_ROWS = 1_048_576  # the last row any spreadsheet application can hold
RATIO_FLOOR = 1024 * 1024  # smaller parts may compress as well as they like
PROLOG_BYTES = 64 * 1024  # where the root element of an XML part must start
COUNTED_PART = 4 * 1024 * 1024  # parts this large have their <row> and <si> counted


def _tags(buffer: bytes, tag: bytes) -> int:
    """Start tags « <tag », « <x:tag » in `buffer` (C-speed counts; a rare over-count only)."""
    return sum(buffer.count(start + tag + end) for start in (b"<", b":")
               for end in (b">", b" ", b"/", b"\t", b"\n", b"\r"))


def _bound(buffer: bytes, tag: bytes) -> int:
    """At least `_tags(buffer, tag)`, in two passes instead of twelve: « <tag » and « :tag »
    whatever follows (« <rowBreaks » counts too)."""
    return buffer.count(b"<" + tag) + buffer.count(b":" + tag)
CENTRAL_ENTRY_BYTES = 1024  # central directory bytes allowed per part
XML_SUFFIXES = (".xml", ".rels", ".vml")

# Kinds of workbook, from their content (never from their name alone).
XLSX, XLSB, ODS, XLS = "xlsx", "xlsb", "ods", "xls"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def number(value: int) -> str:
    """« 50 000 »: digits grouped by three, as French writes them (narrow no-break space)."""
    return f"{value:,}".replace(",", "\u202f")


def limit_error(name: str, what: str, key: str, value: int) -> SourceError:
    """The refusal of a file beyond a limit of [lecture], and how to raise that limit."""
    return SourceError(
        f"{name} est refusé : {what}, au-delà de la limite « {key} » ({number(value)}) de la "
        "table [lecture] de config.toml. Si ce classeur est légitime, augmentez cette "
        "limite ; sinon, il peut s'agir d'un fichier piégé."
    )


def check_file_size(path: Path, limits: ReadLimits) -> None:
    """Refuse a file larger than taille_max_mo before reading it."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # read_bytes says why it cannot be read
    if size > limits.max_bytes:
        raise limit_error(path.name, f"le fichier pèse {_mb(size)} Mo", "taille_max_mo",
                          limits.max_megabytes)


def password_error(name: str) -> SourceError:
    return SourceError(
        f"{name} est protégé par un mot de passe : enregistrez-en une copie sans mot de "
        "passe (Fichier › Informations › Protéger le classeur)."
    )


def _not_a_workbook(name: str) -> SourceError:
    return SourceError(
        f"{name} n'est pas un classeur Excel (.xlsx) ni un classeur .xls, .xlsb ou .ods "
        "lisible : est-ce un autre fichier renommé ?"
    )


def _damaged(name: str, why: str) -> SourceError:
    return SourceError(f"{name} est endommagé ou n'est pas un classeur lisible ({why}).")


def sniff(name: str, data: bytes, limits: ReadLimits, *, tags: bool = True) -> str:
    """The kind of workbook `data` holds (XLSX, XLSB, ODS or XLS), or a SourceError saying why
    it will not be read. A zip package passes `inspect_zip` on the way (`tags`: see there)."""
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in data:  # an encrypted OOXML package lives in an OLE container
            raise password_error(name)
        return XLS
    if not data.startswith(b"PK"):
        raise _not_a_workbook(name)
    return inspect_zip(name, data, limits, tags=tags)


def _end_record(data: bytes) -> tuple[int, int] | None:
    """(parts, central directory size) as the zip's end record declares them."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if at < 0 or at + 22 > len(data):
        return None
    count, size = struct.unpack_from("<HI", data, at + 10)
    if (count == 0xFFFF or size == 0xFFFFFFFF) and at >= 20 \
            and data[at - 20 : at - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, at - 12)
        if offset + 56 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            count, size = struct.unpack_from("<QQ", data, offset + 32)
    return count, size


def inspect_zip(name: str, data: bytes, limits: ReadLimits, *, tags: bool = True) -> str:
    """Check a zip package against the limits before anything decompresses it.

    `tags` False: the <row> and <si> of large XML parts are not counted here; the reader
    must, before it parses a part (xlsx_read counts those it reads, in the pass it makes
    anyway; openpyxl is handed a package `count_tags` has passed)."""
    declared = _end_record(data)
    if declared is not None:
        count, size = declared
        if count > limits.max_parts or size > limits.max_parts * CENTRAL_ENTRY_BYTES:
            raise limit_error(name, f"il compte {number(count)} parties", "parties_max",
                              limits.max_parts)
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        if declared is None:
            raise _not_a_workbook(name) from None
        raise _damaged(name, type(exc).__name__) from None
    with book:
        infos = book.infolist()
        _check_sizes(name, infos, limits)
        for info in infos:
            if info.flag_bits & 0x1:
                raise password_error(name)
        try:
            kind = _kind(book)
            for info in infos:
                if info.filename.lower().endswith(XML_SUFFIXES):
                    check_prolog(name, info.filename, _head(book, info))
                    if tags and kind == XLSX and _counted(info):
                        _count_tags(name, book, info, limits)
        except SourceError:
            raise
        except Exception as exc:  # zipfile raises anything on a damaged part
            raise _damaged(name, type(exc).__name__) from None
    return kind


def count_tags(name: str, data: bytes, limits: ReadLimits) -> None:
    """The counts `inspect_zip(tags=False)` left out: every large XML part of an .xlsx
    package, before a reader that parses them all (openpyxl) sees it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            for info in book.infolist():
                if _counted(info):
                    _count_tags(name, book, info, limits)
    except SourceError:
        raise
    except Exception as exc:  # zipfile raises anything on a damaged part
        raise _damaged(name, type(exc).__name__) from None


def _counted(info: zipfile.ZipInfo) -> bool:
    """An XML part large enough to have its tags counted."""
    return info.filename.lower().endswith(XML_SUFFIXES) and info.file_size >= COUNTED_PART


def over_strings(part: bytes, limits: ReadLimits) -> bool:
    """Whether a part held whole may have more <si> than cellules_max (a bound: `count_tags`
    tells exactly)."""
    return len(part) >= COUNTED_PART and _bound(part, b"si") > limits.max_cells


def _check_sizes(name: str, infos: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    if len(infos) > limits.max_parts:
        raise limit_error(name, f"il compte {number(len(infos))} parties", "parties_max",
                          limits.max_parts)
    total = 0
    for info in infos:
        if info.file_size > limits.max_bytes:
            raise limit_error(
                name, f"sa partie « {info.filename} » occuperait {_mb(info.file_size)} Mo une "
                "fois décompressée", "taille_max_mo", limits.max_megabytes)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise limit_error(
                name, f"sa partie « {info.filename} » se décompresse {int(ratio)} fois plus "
                "grande qu'elle n'est stockée", "ratio_compression_max", limits.max_ratio)
        total += info.file_size
    if total > limits.max_bytes:
        raise limit_error(name, f"une fois décompressé, il occuperait {_mb(total)} Mo",
                          "taille_max_mo", limits.max_megabytes)


def _kind(book: zipfile.ZipFile) -> str:
    """ODS by its mimetype part, XLSB by its binary workbook part, else XLSX (openpyxl then
    says « endommagé » if the workbook part is missing: a zip of anything else)."""
    names = book.namelist()
    if "mimetype" in names:
        info = book.getinfo("mimetype")
        if info.file_size <= 200 and book.read(info).strip() == ODS_MIMETYPE:
            return ODS
    if "[Content_Types].xml" in names and any(
        n.lower().startswith("xl/") and n.lower().endswith("workbook.bin") for n in names
    ):
        return XLSB
    return XLSX


def _count_tags(name: str, book: zipfile.ZipFile, info: zipfile.ZipInfo,
                limits: ReadLimits) -> None:
    """Refuse a part with more <row> than Excel has rows, or more <si> than cellules_max.

    A first read counts a bound of each (`_bound`); only a part whose bound passes a limit
    is read again and counted exactly, to tell."""
    if _over(book, info, limits, _bound) is None:
        return
    over = _over(book, info, limits, _tags)
    if over == "row":
        raise _damaged(name, f"la partie « {info.filename} » a plus de "
                       f"{number(EXCEL_MAX_ROWS)} lignes")
    if over == "si":
        raise limit_error(name, f"sa partie « {info.filename} » déclare plus de "
                          f"{number(limits.max_cells)} textes", "cellules_max",
                          limits.max_cells)


def _over(book: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ReadLimits,
          count: Callable[[bytes, bytes], int]) -> str | None:
    """The first tag ("row" or "si") whose `count` in the part passes its limit, or None."""
    rows = strings = 0
    carry = b""
    with book.open(info) as part:
        while chunk := part.read(1 << 20):
            buffer = carry + chunk  # a tag cut between two chunks is whole here
            carry = buffer[-64:]  # its tags are counted with the next chunk
            rows += count(buffer, b"row") - count(carry, b"row")
            strings += count(buffer, b"si") - count(carry, b"si")
            if rows > EXCEL_MAX_ROWS:
                return "row"
            if strings > limits.max_cells:
                return "si"
    return None


def _head(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with book.open(info) as part:
        return part.read(PROLOG_BYTES)


_MISC = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
_ROOT = re.compile(r"<[^\W\d]", re.UNICODE)  # the start tag of the root element


def _decode(head: bytes) -> str:
    """The head of an XML part as text, enough to find its markup (UTF-8, UTF-16, 8-bit)."""
    if head.startswith((b"\xff\xfe", b"<\x00")):
        return head.decode("utf-16-le", "replace")
    if head.startswith((b"\xfe\xff", b"\x00<")):
        return head.decode("utf-16-be", "replace")
    return head.decode("latin-1")  # markup is ASCII in every 8-bit encoding XML allows


def check_prolog(name: str, part: str, head: bytes) -> None:
    """Refuse an XML part whose prolog holds a DOCTYPE (or is too long to tell)."""
    text = _decode(head).lstrip("\ufeff")
    at = 0
    while match := _MISC.match(text, at):
        if match.end() == at:
            break
        at = match.end()
    rest = text[at:].lstrip()
    if rest[:9].upper() == "<!DOCTYPE":
        raise SourceError(
            f"{name} est refusé : sa partie « {part} » déclare un DOCTYPE, interdit dans un "
            "classeur (il sert à définir des entités qui peuvent saturer la mémoire ou lire "
            "des fichiers de l'ordinateur). Ce fichier n'a pas été produit par un tableur."
        )
    if len(head) >= PROLOG_BYTES and not _ROOT.match(rest):  # a DOCTYPE could hide further
        raise _damaged(name, f"la partie « {part} » ne commence par aucun élément XML")


@dataclass
class CellBudget:
    """Rows, columns and cells read so far from one workbook, against the limits.

    A reader calls `row` for each row that holds something, in order, with the row's 1-based
    index and the 1-based column of its last cell; the first row beyond a limit raises.
    """

    name: str
    limits: ReadLimits
    cells: int = 0  # cells of the finished tabs
    tab: str = ""
    rows: int = 0
    width: int = 0

    def start(self, tab: str) -> None:
        """A new tab begins; the previous one's area is counted."""
        self.cells += self.rows * self.width
        self.tab, self.rows, self.width = tab, 0, 0

    def row(self, index: int, last_column: int) -> None:
        limits = self.limits
        if index > limits.max_rows:
            raise limit_error(self.name, f"l'onglet « {self.tab} » a des cellules remplies "
                              f"au moins jusqu'à la ligne {number(index)}", "lignes_max",
                              limits.max_rows)
        if last_column > limits.max_columns:
            raise limit_error(self.name, f"l'onglet « {self.tab} » a des cellules remplies "
                              f"au moins jusqu'à la colonne {number(last_column)}",
                              "colonnes_max", limits.max_columns)
        self.rows, self.width = max(self.rows, index), max(self.width, last_column)
        if self.cells + self.rows * self.width > limits.max_cells:
            raise limit_error(self.name, "ses onglets comptent plus de "
                              f"{number(limits.max_cells)} cellules (dépassé dans l'onglet "
                              f"« {self.tab} »)", "cellules_max", limits.max_cells)

    def area(self, tab: str, extents: Iterable[tuple[int, int]]) -> None:
        """Count a whole tab known by the (row, last column) of its filled rows."""
        self.start(tab)
        for index, last_column in extents:
            self.row(index, last_column)
