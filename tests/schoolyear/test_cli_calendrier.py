"""Issue #17: `sheets-sync calendrier --ics DOSSIER` end to end on the demo, and its exits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sheets_sync.config import load_config
from sheets_sync.schoolyear import load_calendar
from sheets_sync.schoolyear.exports import HOURS, paired_classes, slug
from sheets_sync.schoolyear.model import HalfDay
from sheets_sync.sync import check_source

from ..helpers import run_cli
from .ics_reader import local_time, parse

run = run_cli


@pytest.fixture
def demo(demo_folder: Path) -> Path:
    """The folder the demo ran in."""
    return demo_folder


def test_demo_calendars_end_to_end(demo: Path) -> None:
    config_path = demo / "demo" / "config.toml"
    code, out, err = run("calendrier", "--config", str(config_path), "--ics",
                         str(demo / "ics"), "--quiet")
    assert code == 0, err
    placed, unplaced = map(int, re.search(r"placés : (\d+) ; non placés : (\d+)", out).groups())
    found = re.search(r"; annulés : (\d+)", out)
    cancelled = int(found.group(1)) if found else 0
    assert placed > 0
    written = sorted((demo / "ics").glob("*.ics"))
    assert f"Calendriers écrits : {len(written)} fichiers .ics" in out
    config = load_config(config_path)
    classes, _, _ = paired_classes(check_source(config).sponsorship)
    assert classes
    names = {p.name for p in written}
    for cls in classes:  # every paired class, its school, its ambassadors
        assert f"classe-{slug(cls.class_id)}.ics" in names
        assert f"etablissement-{slug(cls.school)}.ics" in names
        for person in cls.ambassadors:
            assert f"ambassadeur-{slug(person)}.ics" in names
    assert config.schoolyear is not None
    calendar = load_calendar(config.schoolyear.calendar)
    kinds = {k.name: k for k in config.schoolyear.kinds}
    events = 0
    class_events = 0
    for path in written:
        root = parse(path.read_bytes())
        for event in root.walk("VEVENT"):
            start = local_time(event.get("DTSTART"))
            afternoon = start.time() == HOURS[True][0]
            assert calendar.is_open(HalfDay(start.date(), afternoon)), path.name
            summary = event.text("SUMMARY").removeprefix("Annulé : ")  # a cancelled one
            kind = kinds[summary.split(" — ")[0].lower()]
            assert kind.start <= start.date() <= kind.end
            events += 1
            class_events += path.name.startswith("classe-")
        texts = [c.text(n) for c in [root, *root.walk("VEVENT")] for n, _, _ in c.props
                 if n in ("X-WR-CALNAME", "SUMMARY", "LOCATION", "DESCRIPTION")]
        assert not any("@" in t or re.search(r"0\d([ .]?\d\d){4}", t) for t in texts)
    # each event, placed or cancelled (a calendar must learn it is off), in one class's file
    assert class_events == placed + cancelled
    assert events >= placed
    if unplaced:
        assert " : " in out.splitlines()[1]  # the first reasons are listed


def test_demo_reexport_keeps_uids(demo: Path) -> None:
    config_path = str(demo / "demo" / "config.toml")
    uids = []
    for _ in range(2):
        code, _, err = run("calendrier", "--config", config_path, "--ics",
                           str(demo / "again"), "-q")
        assert code == 0, err
        uids.append({p.name: sorted(e.get("UID") for e in parse(p.read_bytes()).walk("VEVENT"))
                     for p in (demo / "again").glob("*.ics")})
    assert uids[0] == uids[1]


def cut(text: str, start: str) -> str:
    """The config text without the tables from the first line starting with `start`."""
    return text[:text.index(start)]


def test_no_school_year_is_exit_2_in_french(demo: Path, tmp_path: Path) -> None:
    source = (demo / "demo" / "config.toml").read_text(encoding="utf-8")
    path = demo / "demo" / "sans-annee.toml"
    path.write_text(cut(source, "[annee_scolaire]"), encoding="utf-8")
    code, _, err = run("calendrier", "--config", str(path), "--ics", str(tmp_path / "x"))
    assert code == 2 and "Aucune année scolaire à planifier" in err
    assert "Traceback" not in err and not (tmp_path / "x").exists()


def test_no_temps_forts_is_exit_2_in_french(demo: Path, tmp_path: Path) -> None:
    source = (demo / "demo" / "config.toml").read_text(encoding="utf-8")
    path = demo / "demo" / "sans-temps-forts.toml"
    path.write_text(cut(source, "# Les temps forts"), encoding="utf-8")
    code, _, err = run("calendrier", "--config", str(path), "--ics", str(tmp_path / "x"))
    assert code == 2 and "Aucun temps fort à planifier" in err


def test_unknown_year_is_exit_2_in_french(demo: Path, tmp_path: Path) -> None:
    source = (demo / "demo" / "config.toml").read_text(encoding="utf-8")
    path = demo / "demo" / "annee-inconnue.toml"
    text = cut(source, "[annee_scolaire]") + '[annee_scolaire]\nannee = "2040-2041"\n' + \
        source[source.index("# Les temps forts"):]
    path.write_text(text, encoding="utf-8")
    code, _, err = run("calendrier", "--config", str(path), "--ics", str(tmp_path / "x"))
    assert code == 2 and "2040-2041 n'est pas connue" in err


def test_ics_folder_is_required() -> None:
    code, _, err = run("calendrier")
    assert code == 2 and "--ics" in err
