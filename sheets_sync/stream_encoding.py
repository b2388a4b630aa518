"""Print French to a stream that cannot encode all of it, instead of stopping with a traceback.

A coordinator's output may go where UTF-8 is not spoken: a report redirected to a file on
Windows (cp1252), a cron mail or a terminal set to Latin-1 (PYTHONIOENCODING=latin-1), an
ASCII locale. The toolkit's messages hold characters such encodings lack: the narrow
no-break space of French numbers (« 7 000 »), dashes, curly quotes, arrows, ticks. Each
is written as the closest thing the stream has (a no-break or plain space, « - », « ' »,
« -> », a letter without its accent), « ? » when nothing is close, so the line stays
readable and the command finishes with its own exit code.
"""

from __future__ import annotations

import codecs
import sys
from typing import Any

HANDLER = "sheets-sync-closest"

_CLOSEST = {
    "\u202f": ("\u00a0", " "),  # narrow no-break space (French thousands, « : »)
    "\u2009": ("\u00a0", " "),  # thin space
    "\u2007": ("\u00a0", " "),  # figure space
    "\u00a0": (" ",),
    "\u2014": ("-",), "\u2013": ("-",), "\u2212": ("-",), "\u2011": ("-",),
    "\u2018": ("'",), "\u2019": ("'",), "\u201a": (",",),
    "\u201c": ('"',), "\u201d": ('"',), "\u00ab": ('"',), "\u00bb": ('"',),
    "\u2026": ("...",), "\u2022": ("*",), "\u00b7": ("*",),
    "\u2192": ("->",), "\u2190": ("<-",), "\u21d2": ("=>",), "\u2194": ("<->",),
    "\u2264": ("<=",), "\u2265": (">=",), "\u00d7": ("x",), "\u2260": ("!=",),
    "\u2713": ("v",), "\u2714": ("v",), "\u2717": ("x",), "\u2718": ("x",),
    "\u0153": ("oe",), "\u0152": ("OE",), "\u00e6": ("ae",), "\u00c6": ("AE",),
    "\u20ac": ("EUR",), "\u00b0": ("o",), "\u2116": ("No",),
}


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def closest(char: str, encoding: str) -> str:
    """What `char` is written as in `encoding`: itself, a near character, a letter without
    its accent, else « ? »."""
    for option in (char, *_CLOSEST.get(char, ())):
        if _encodable(option, encoding):
            return option
    import unicodedata  # only where a character is missing

    plain = "".join(c for c in unicodedata.normalize("NFKD", char)
                    if not unicodedata.combining(c))
    if plain and plain != char and all(_encodable(c, encoding) for c in plain):
        return "".join(closest(c, encoding) for c in plain)
    return "?"


def _handler_for(encoding: str) -> str:
    """The name of the error handler writing into `encoding` (registered once).

    One per encoding, bound to it: a codec reports its own name in the error it raises,
    and that name is not always one to encode with (cp1252 and the other code pages say
    « charmap », which would let through characters cp1252 lacks)."""
    name = f"{HANDLER}-{encoding}"
    try:
        codecs.lookup_error(name)
    except LookupError:
        def handler(error: UnicodeError) -> tuple[str, int]:
            if not isinstance(error, UnicodeEncodeError):
                raise error
            text = error.object[error.start:error.end]
            return "".join(closest(c, encoding) for c in text), error.end

        codecs.register_error(name, handler)
    return name


def make_streams_safe(*streams: Any) -> None:
    """Standard output and error (or `streams`) written with the closest characters their
    encoding has, where it is not a Unicode one; left as they are otherwise (or when they
    cannot be reconfigured: a test's capture, a stream replaced by another program)."""
    for stream in streams or (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        try:
            if not encoding:
                continue
            name = codecs.lookup(encoding).name
        except LookupError:
            continue
        if name.startswith("utf"):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors=_handler_for(name))
        except (ValueError, OSError):
            continue
