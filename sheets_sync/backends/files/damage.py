"""Which exceptions mean « this file is damaged », and only those.

A parser fed bytes from memory (zipfile, openpyxl, expat, defusedxml) raises these
on a damaged or foreign file; tests/backends/files/test_hostile_files.py feeds it several
hundred such files and fails on any other exception. Everything else is the machine, not the
file — a missing codec (LookupError), MemoryError, PermissionError, RecursionError, Ctrl-C —
and is never reported to the coordinator as « fichier endommagé »: it propagates.

    DAMAGE                 zip, XML, openpyxl, struct: what a damaged package raises
    OSError without errno  a parser's own complaint, not a system call that failed:
                           openpyxl « File contains no valid workbook part » (read from memory)

Readers add their library's own: CalamineError and PanicException (calamine_read),
olefile's OleFileError (calamine_prescan).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

DAMAGE: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,  # not a zip, bad central directory, CRC
    zlib.error,  # a deflated member that does not inflate
    EOFError,  # a member cut short
    KeyError,  # a part the package names but does not hold ([Content_Types], rels)
    IndexError,  # openpyxl: a shared string or style index past its table
    ValueError,  # openpyxl on bad content, UnicodeDecodeError, defusedxml's refusals
    TypeError,  # openpyxl: an attribute of the wrong kind
    struct.error,  # binary records cut short (.xlsb, .xls)
    ParseError,  # ElementTree / defusedxml: malformed XML
    ExpatError,  # expat: malformed XML (the .ods scan)
)


def is_damage(exc: BaseException) -> bool:
    """Whether a parser reading a file's bytes from memory raised `exc` because of the file."""
    if isinstance(exc, DAMAGE):
        return True
    return isinstance(exc, OSError) and exc.errno is None and type(exc) is OSError
