"""`sheets-sync demo` shows a fictional year (issue #17 item 7): « Suivi de l'année » filled as
at mid-year, read back by the second sync into « Calendrier », « Temps forts » and « Bilan de
l'année »; and `sheets-sync suivi` on it."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.config import load_config
from sheets_sync.schoolyear.tracking import HEADER
from sheets_sync.sync import check_source

from ..helpers import run_cli

run = run_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("demo")
    old = Path.cwd()
    os.chdir(folder)
    try:
        code, out, err = run("demo")
        assert code == 0, err
        assert "L'année (fictive) :" in out and "rempli comme à mi-année" in out
        assert "onglet « Calendrier » créé" in out  # the first sync is the one shown
        yield folder / "demo" / "config.toml"
    finally:
        os.chdir(old)


def rows(path: Path, tab: str) -> list[list[object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [list(r) for r in book[tab].iter_rows(values_only=True)]


def test_the_demo_year_is_typed_in_the_shared_workbook_and_read_by_the_sync(demo: Path) -> None:
    config = load_config(demo)
    typed = rows(config.source, config.tabs.follow_up)
    assert tuple(typed[0]) == HEADER
    states = [r[5] for r in typed[1:]]
    assert {"tenu", "confirmé", "annulé", "à venir", "remise", "en cours", "publiée"} <= set(states)
    assert all(isinstance(r[2], str) and r[2] for r in typed[1:])  # every row names its class
    checked = check_source(config)
    year = checked.year
    assert year is not None and not year.follow_up.issues  # the demo's typing is clean
    held = year.follow_up.held()
    assert held and all(key in {e.key for e in year.plan.events} for key in held)
    # a held day is the planned one: nothing moved because the collèges typed it
    assert not year.plan.moved
    review = rows(config.source, config.tabs.year_review)
    line = next(r for r in review if r and r[0] == "Temps forts tenus")
    assert line[1] == len(held)


def suivi_part(path: Path) -> bytes:
    """The bytes of « Suivi de l'année »'s sheet part (its header is inline text)."""
    with zipfile.ZipFile(path) as book:
        (data,) = [book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/sheet")
                   and b"Identifiant" in book.read(n) and b"inlineStr" in book.read(n)]
    return data


def test_a_second_demo_never_rewrites_what_was_typed(demo: Path) -> None:
    config = load_config(demo)
    before = suivi_part(config.source)
    os.chdir(demo.parent.parent)
    code, out, err = run("demo", "--quiet")
    assert code == 0, err
    assert "Classeur de démonstration créé" not in out
    assert suivi_part(config.source) == before


def test_suivi_reads_and_summarises_and_prepares_nothing_new(demo: Path) -> None:
    code, out, err = run("suivi", "--config", str(demo), "-q")
    assert code == 0, err
    assert "Temps forts :" in out and "tenus" in out and "Productions :" in out
    code, out, err = run("suivi", "--config", str(demo), "--preparer", "-q")
    assert code == 0, err
    assert "aucune classe nouvelle ; rien n'a été modifié" in out
    assert not (demo.parent / "sauvegardes").exists()


def test_suivi_without_a_school_year_is_a_french_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[campagne]\nnom = "x"\n[[campagne.sessions]]\nnom = "S"\n'
                      'date_limite = 2021-07-16\n[source]\nchemin = "r.xlsx"\n',
                      encoding="utf-8")
    code, _, err = run("suivi", "--config", str(config), "--preparer", "-q")
    assert code == 2
    assert "Aucune année scolaire à suivre" in err and "Traceback" not in err
