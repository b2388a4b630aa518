"""console.Screen writes a plain line itself, and it must be the very bytes rich writes.

`plain` decides which lines rich would print unchanged (markup and highlighting off, soft
wrap): these are held against rich's own output, whatever the width and whether rich
thinks it writes to a terminal.
"""

from __future__ import annotations

import io
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from sheets_sync.console import Screen, plain

ALPHABET = st.sampled_from(
    [*"ab Zé«»—…:;,.-_/\\[]()@#*0123456789", "\n", "\t", "\r", "\x07", "\x1b", "\u00a0",
     "\u202f", "\u200b", "\u0301", "\u2028", "😀", "\ud800", ":smile:", ":red_heart:",
     "[bold]", "http://x.fr", "  "])
TEXTS = st.lists(ALPHABET, max_size=30).map("".join)


def rich_prints(text: str, width: int, terminal: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=terminal, force_jupyter=False,
                      legacy_windows=False)
    console.print(text, highlight=False, markup=False, soft_wrap=True)
    return out.getvalue()


@given(TEXTS)
def test_a_plain_line_is_what_rich_prints(text: str) -> None:
    if plain(text):
        for width in (120, 8):
            for terminal in (False, True):
                assert rich_prints(text, width, terminal) == text + "\n"


@pytest.mark.parametrize(
    "text",
    ["Écrit : 9 onglet(s) dans /tmp/x/reponses.xlsx. 15 réponse(s) : 9 complet, 4 incomplet, "
     "2 ne participe pas ; 8 erreur(s), 1 avertissement(s).",
     "\nÀ relancer en premier (3 sur 3) :",
     "  [erreur] Réponses!C7 — Champ vide (champ-obligatoire)", "", "a\n\nb", "x" * 300],
)
def test_lines_the_commands_print_are_plain(text: str) -> None:
    assert plain(text)


@pytest.mark.parametrize(
    "text", ["12:30:00", "voir :smile:", "fin ", "a\tb", "a\rb", "a\u00a0: b", "\ud800", "a \nb"])
def test_what_rich_may_change_is_not_plain(text: str) -> None:
    assert not plain(text)


@pytest.mark.parametrize("text", ["Écrit : 9 onglet(s).", "12:30:00 :smile:", "a\tb", "fin "])
def test_a_screen_prints_as_rich_does(text: str, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    Screen(width=120).say(text)
    sys.stdout.seek(0)
    written = sys.stdout.read()
    assert written == rich_prints(text, 120, False)
    capsys.readouterr()


def test_a_screen_leaves_tables_to_rich(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.table import Table

    screen = Screen(width=40)
    table = Table(title="T")
    table.add_column("A")
    table.add_row("1")
    screen.print(table)
    screen.say("fin")
    expected = io.StringIO()
    console = Console(file=expected, width=40)
    console.print(table)
    console.print("fin", highlight=False, markup=False, soft_wrap=True)
    assert capsys.readouterr().out == expected.getvalue()
