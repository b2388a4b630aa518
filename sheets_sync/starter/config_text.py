"""The commented config.toml and docs/configuration.md, both written from `config_schema.SCHEMA`.

A new campaign's dates follow the calendar: the call for 2021-2022 closed its sessions on
16 July and 10 September 2021 (before and at the start of the school year), so a campaign
set up on `today` is the school year N-(N+1) whose last deadline, 10 September N, is still
ahead, else the next one. A deadline falling on a weekend moves to the Friday before.

Regenerate both committed files after changing the schema:

    .venv/bin/python -m sheets_sync.starter.config_text
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any

from ..config import Session
from ..config_schema import REQUIRED, SCHEMA, Setting, Table

CAMPAIGN_NAME = "Classes Proch'Orientation — Cité éducative de Roubaix"
SESSION_DAYS = (("1re session", 7, 16), ("2e session", 9, 10))  # (name, month, day), call 2021
REFERENCE_DAY = dt.date(2021, 1, 4)  # the shipped config.toml: the 2021-2022 campaign
WIDTH = 95
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
HEADER = """\
# Configuration d'une campagne sheets-sync (« classes Proch'Orientation »).
# Ce fichier décrit la campagne : ses sessions, ses dates limites, où lire les réponses
# et comment nommer les onglets. Rien de tout cela n'est dans le code : modifiez-le
# librement pour une nouvelle année ou une autre Cité éducative.
# Toutes les clés possibles, leur type et leur valeur par défaut : docs/configuration.md.
# Une clé inconnue (faute de frappe) est signalée avec sa ligne.
"""


def open_day(day: dt.date) -> dt.date:
    """The day itself, or the Friday before when it falls on a Saturday or a Sunday."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def campaign_dates(today: dt.date) -> tuple[str, tuple[Session, ...]]:
    """The school year (« 2027-2028 ») and sessions of a campaign set up on `today`."""
    for year in (today.year, today.year + 1):
        sessions = tuple(Session(name, open_day(dt.date(year, month, day)))
                         for name, month, day in SESSION_DAYS)
        if today <= sessions[-1].deadline:
            return f"{year}-{year + 1}", sessions
    raise AssertionError("unreachable: next year's deadlines are always ahead")


def _toml(value: Any, indent: int = 0) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if value >= 10_000 else str(value)
    if isinstance(value, float | dt.date):
        return str(value)
    if isinstance(value, list):
        lines, line = [], "["
        for n, item in enumerate(value):
            part = _toml(item) + (", " if n < len(value) - 1 else "]")
            if len(line) + len(part.rstrip()) + indent > WIDTH and line.strip() != "[":
                lines.append(line.rstrip())
                line = " " * (indent + 1)
            line += part
        return "\n".join([*lines, line if value else "[]"])
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH - 2, initial_indent="# ", subsequent_indent="# ",
                         break_on_hyphens=False)


def _shown(setting: Setting) -> Any:
    return setting.example if setting.example is not None else setting.default


def _commented(setting: Setting) -> bool:
    """A key written commented out: an example to adapt, or a default to change if need be."""
    return setting.example is not None and (setting.default in ("", None)
                                            or setting.example == setting.default)


def _key_lines(setting: Setting, value: Any, commented: bool) -> list[str]:
    lead = f"{'# ' if commented else ''}{setting.key} = "
    return [*_comment(setting.help), lead + _toml(value, len(lead))]


def _example_block(table: Table) -> list[str]:
    """A section only some campaigns need, written commented out with example values."""
    lines = [f"# [[{table.name}]]" if table.array else f"# [{table.name}]",
             *_comment(table.help)]
    for setting in table.settings:
        if setting.written and setting.example is not None:
            lines += _key_lines(setting, setting.example, True)
    return lines


def _session_lines(table: Table, year: str, sessions: tuple[Session, ...]) -> list[str]:
    days = " et ".join(f"{d} {MONTHS[m - 1]}" for _, m, d in SESSION_DAYS)
    lines = [*_comment(table.help),
             *_comment(f"Dates de l'année scolaire {year}, sur le modèle de l'appel à "
                       f"inscription ({days}) ; une date qui tombe un samedi ou un dimanche "
                       "est avancée au vendredi précédent.")]
    for session in sessions:
        lines += [f"[[{table.name}]]", f"nom = {_toml(session.name)}",
                  f"date_limite = {session.deadline.isoformat()}", ""]
    return lines


def config_text(today: dt.date, coordination: str | None = None) -> str:
    """The commented config.toml of a campaign set up on `today`; `coordination`: the
    coordinator workbook it names (none: a one-file campaign, no [coordination] table)."""
    year, sessions = campaign_dates(today)
    values = {"campagne.nom": CAMPAIGN_NAME, "campagne.annee_scolaire": year,
              "coordination.classeur": coordination}
    lines = HEADER.splitlines()
    for table in SCHEMA:
        if table.name == "coordination" and coordination is None:
            continue
        if not table.written:
            continue
        lines.append("")
        if table.example_block:
            lines += _example_block(table)
            continue
        if table.array:
            lines += _session_lines(table, year, sessions)
            continue
        keys = [s for s in table.settings if s.written]
        dormant = table.name.count(".") > 0 and all(_commented(s) for s in keys)
        lines.append(f"{'# ' if dormant else ''}[{table.name}]")
        lines += _comment(table.help)
        for setting in keys:
            path = f"{table.name}.{setting.key}"
            if values.get(path) is not None:
                lines += [*_comment(setting.help), f"{setting.key} = {_toml(values[path])}"]
            else:
                lines += _key_lines(setting, _shown(setting), _commented(setting))
        lines += [f"# {key} = {_toml(value)}" for key, value in table.examples]
    while lines[-1] == "":
        lines.pop()
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default(setting: Setting) -> str:
    if setting.default is REQUIRED:
        return "**obligatoire**"
    if setting.default in ("", None, []):
        return "—"
    return f"`{_toml(setting.default)}`"


KIND_NAMES = {"text": "texte", "positive": "entier > 0", "integer": "entier", "bool": "booléen",
              "date": "date", "share": "part (0 à 1)", "texts": "liste de textes"}


def reference_text() -> str:
    """docs/configuration.md: every table and key of config.toml, from the schema."""
    lines = ["# Référence de config.toml", "",
             "<!-- Généré depuis sheets_sync/config_schema.py (SCHEMA) : ne pas modifier à la "
             "main ; régénérer avec `python -m sheets_sync.starter.config_text`. -->", "",
             "Toute clé ou table absente de cette liste est refusée (code de sortie 2) avec la "
             "ligne du fichier et la clé la plus proche ; un type ou une valeur hors limites "
             "aussi. `sheets-sync init` écrit un `config.toml` commenté avec ces clés.", ""]
    for table in SCHEMA:
        header = f"[[{table.name}]]" if table.array else f"[{table.name}]"
        lines += [f"## `{header}`" + (" (obligatoire)" if table.required else ""), "",
                  table.help, "", "| Clé | Type | Par défaut | Description |",
                  "|---|---|---|---|"]
        for s in table.settings:
            kind = KIND_NAMES[s.kind] + (
                f" : {', '.join(f'`{c}`' for c in s.choices)}" if s.choices else "")
            lines.append(f"| `{s.key}` | {kind} | {_default(s)} | {_cell(s.help)} |")
        if table.free is not None:
            lines.append(f"| *(toute clé)* | {KIND_NAMES[table.free]} | — | "
                         f"{_cell(table.free_help)} |")
        lines.append("")
    return "\n".join(lines)


ROOT = Path(__file__).resolve().parents[2]
RESOURCE = Path(__file__).resolve().parents[1] / "resources" / "config.toml"
REFERENCE = ROOT / "docs" / "configuration.md"

if __name__ == "__main__":  # regenerate the two committed files
    RESOURCE.write_text(config_text(REFERENCE_DAY), encoding="utf-8")
    REFERENCE.write_text(reference_text(), encoding="utf-8")
