"""docs/analyse.md cannot rot: its code runs on the demo, and its tables name every column
with its type (issue #18).

The Python blocks run in order in one namespace, in a folder where `sheets-sync demo` ran;
the `sh` blocks' `sheets-sync` lines run through the CLI. Only the block marked « nécessite
matplotlib » is skipped (matplotlib is no dependency).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from sheets_sync.analysis import schema
from sheets_sync.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "analyse.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
MATPLOTLIB = "# nécessite matplotlib"
KINDS = {"texte": schema.TEXT, "entier": schema.INT, "oui/non": schema.BOOL,
         "date": schema.DATE, "catégorie": schema.CATEGORY}


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(DOC.read_text("utf-8"))]


def test_the_doc_runs_on_the_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["demo", "-q"]).exit_code == 0
    namespace: dict[str, Any] = {}
    ran = 0
    for language, code in blocks():
        if language == "sh":
            for line in code.splitlines():
                if line.startswith("sheets-sync "):
                    result = runner.invoke(main, shlex.split(line)[1:])
                    assert result.exit_code == 0, (line, result.output)
                    ran += 1
        elif language == "python" and MATPLOTLIB not in code:
            exec(compile(code, str(DOC), "exec"), namespace)  # our own doc, run as a notebook
            ran += 1
    assert ran >= 10
    answers, table = namespace["answers"], namespace["par_session"]
    assert table.to_numpy().sum() == len(answers) == 12
    assert list(table.columns) == ["complet", "incomplet", "ne-participe-pas"]
    assert namespace["taux"].between(0, 1).all()
    tables = namespace["tables"]
    pd.testing.assert_frame_equal(tables["reponses"], namespace["campaign"].answers)
    assert sorted(p.name for p in (tmp_path / "export-partenaires").iterdir()) == [
        "ambassadeurs.csv", "classes.csv", "parrainages.csv", "reponses.csv"]


def test_exactly_one_block_needs_matplotlib_and_it_draws_the_chart() -> None:
    chart = [code for _, code in blocks() if MATPLOTLIB in code]
    assert len(chart) == 1 and ".plot." in chart[0] and "par_session" in chart[0]


def _documented() -> dict[str, dict[str, tuple[str, bool, bool]]]:
    """Each table's rows of the doc: column → (kind, personal, partner)."""
    out: dict[str, dict[str, tuple[str, bool, bool]]] = {}
    current = None
    for line in DOC.read_text("utf-8").splitlines():
        heading = re.match(r"### `\w+`(?: \(`(\w+)`\))?", line)
        if heading:
            current = heading.group(1) or re.findall(r"`(\w+)`", line)[0]
            out[current] = {}
        elif current and line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            name = cells[0].strip("`")
            out[current][name] = (KINDS[cells[1]], cells[3] == "oui", cells[4] == "oui")
    return out


def test_the_doc_lists_every_column_with_its_type_and_audience() -> None:
    documented = _documented()
    assert list(documented) == [name for _, name in schema.TABLES]
    for _, name in schema.TABLES:
        columns = schema.columns_of(name, ("s",))
        expected = {c.name: (c.kind, c.personal, c.partner) for c in columns
                    if not c.name.startswith("cellule_")}
        rows = {k: v for k, v in documented[name].items() if k != "cellule_<champ>"}
        assert rows == expected, name
