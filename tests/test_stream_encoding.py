"""French printed to a Latin-1, cp1252 or ASCII stream: the closest characters, no traceback.

Bug fixed (`PYTHONIOENCODING=latin-1`): `check`, `sync` and `match` stopped with a
UnicodeEncodeError traceback on the em dash of their title; cp1252 (a report redirected to
a file on Windows) on the narrow no-break space of French numbers.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.stream_encoding import HANDLER, closest, make_streams_safe

from .conftest import MakeCampaign

ENCODINGS = ("latin-1", "cp1252", "ascii")


@pytest.mark.parametrize(("char", "encoding", "written"), [
    ("\u202f", "latin-1", "\u00a0"),  # « 7 000 » keeps a no-break space
    ("\u202f", "ascii", " "),
    ("\u2014", "latin-1", "-"),
    ("\u2014", "cp1252", "\u2014"),  # cp1252 has the em dash: kept
    ("\u2019", "latin-1", "'"),
    ("\u2192", "cp1252", "->"),
    ("\u2026", "latin-1", "..."),
    ("\u0153", "latin-1", "oe"),  # « cœur »
    ("\u0153", "cp1252", "\u0153"),
    ("é", "ascii", "e"),
    ("É", "ascii", "E"),
    ("«", "ascii", '"'),
    ("ﬁ", "latin-1", "fi"),
    ("\u2713", "latin-1", "v"),
    ("\U0001f600", "cp1252", "?"),
])
def test_closest(char: str, encoding: str, written: str) -> None:
    assert closest(char, encoding) == written


def _safe(text: str, encoding: str) -> str:
    stream = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    make_streams_safe(stream)
    stream.write(text)
    stream.flush()
    return stream.buffer.getvalue().decode(encoding)  # type: ignore[attr-defined]


@given(st.text(), st.sampled_from(ENCODINGS))
def test_any_text_is_written_and_what_fits_is_kept(text: str, encoding: str) -> None:
    written = _safe(text, encoding)
    fits = [c for c in text if c.encode(encoding, "ignore")]
    assert all(c in written for c in fits)
    if all(c.encode(encoding, "ignore") for c in text):
        assert written == text


def test_cp1252_undefined_character_becomes_a_question_mark() -> None:
    """Found by hypothesis: cp1252 reports itself as « charmap » in its errors, and
    « charmap » encodes U+0080 (which cp1252 lacks), so the handler wrote it back and the
    stream raised."""
    assert _safe("a\x80b\x81", "cp1252") == "a?b?"


def test_a_unicode_stream_is_left_as_it_is() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    make_streams_safe(stream)
    assert stream.errors == "strict"
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    make_streams_safe(latin)
    assert latin.errors.startswith(HANDLER)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("command", ["check", "sync"])
def test_commands_finish_on_a_narrow_stream(make_campaign: MakeCampaign, tmp_path: Path,
                                            encoding: str, command: str) -> None:
    config = make_campaign()
    runs = {}
    for enc in ("utf-8", encoding):
        done = subprocess.run(
            [sys.executable, "-m", "sheets_sync", command, "--config", str(config.path)],
            cwd=tmp_path, capture_output=True, timeout=300,
            env={**os.environ, "PYTHONIOENCODING": enc, "COLUMNS": "100"})
        assert b"Traceback" not in done.stderr, done.stderr.decode(enc, "replace")
        runs[enc] = done.returncode, done.stdout.decode(enc)
    code, text = runs[encoding]
    assert code == runs["utf-8"][0]
    assert "Traceback" not in text
    assert text.count("\n") == runs["utf-8"][1].count("\n")
    if encoding == "ascii":
        assert "Reponses" in text or "reponse" in text
    else:
        assert "réponse" in text
