"""The campaign, read from config.toml: sessions, deadlines, source, tab names, limits.

Keys are French because coordinators edit the file; a wrong key or value raises
ConfigError with a French message that names it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_CONFIG_NAME = "config.toml"
_SPREADSHEET_ID = re.compile(r"^[A-Za-z0-9_-]{25,}$")  # a Google spreadsheet's id


@dataclass(frozen=True)
class Session:
    """A registration session and its deadline (inclusive)."""

    name: str
    deadline: dt.date


@dataclass(frozen=True)
class Tabs:
    """Names of the input and generated tabs."""

    answers: str = "Réponses"
    roster: str = "Ambassadeurs"
    completeness: str = "Complétude"
    summary: str = "Synthèse"
    reminders: str = "Relances"
    state: str = "sheets-sync (état)"
    establishments: str = "Établissements"


@dataclass(frozen=True)
class Limits:
    """Limits the checks apply."""

    title_length: int = 120
    max_classes: int = 20
    text_length: int = 2000


@dataclass(frozen=True)
class GoogleSource:
    """A Google spreadsheet as the source: its URL or id, and how to reach it."""

    spreadsheet: str
    credentials: Path | None = None
    max_wait: float = 60.0


@dataclass(frozen=True)
class Config:
    """A whole campaign."""

    path: Path | None
    name: str
    school_year: str
    sessions: tuple[Session, ...]
    source_kind: str
    source: Path
    dashboard: str
    tabs: Tabs = field(default_factory=Tabs)
    limits: Limits = field(default_factory=Limits)
    tabs_in_source: bool = True
    google: GoogleSource | None = None
    establishments_file: Path | None = None
    reminder_templates: tuple[Path, Path] | None = None

    def with_source(self, source: str | Path) -> Config:
        """The same campaign read from another place (the --source option).

        An address of a Google spreadsheet (or, for a Google campaign, its id) switches the
        source to it; anything else is a workbook or a folder of fiches.
        """
        text = str(source)
        looks_like_id = _SPREADSHEET_ID.match(text) is not None and not Path(text).exists()
        if text.startswith(("https://", "http://")) or looks_like_id or self.google is not None:
            google = self.google or GoogleSource(text)
            return replace(self, source_kind="google", google=replace(google, spreadsheet=text))
        return replace(self, source_kind="excel", google=None,
                       source=Path(source).expanduser().resolve())

    def same_book(self) -> bool:
        """Whether generated tabs are written into the workbook the answers are read from."""
        if self.google is not None:
            return True
        return not self.source.is_dir() and self.tabs_in_source

    def dashboard_path(self) -> Path:
        """The separate dashboard workbook: beside the source, or inside a folder of fiches."""
        path = Path(self.dashboard)
        if path.is_absolute():
            return path
        return (self.source if self.source.is_dir() else self.source.parent) / path

    def target(self) -> Path:
        """Where generated tabs are written: the source workbook itself, or the dashboard."""
        if self.source.is_dir() or not self.tabs_in_source:
            return self.dashboard_path()
        return self.source


def _get(table: dict[str, Any], key: str, kind: type, where: str, default: Any = None) -> Any:
    if key not in table:
        if default is None:
            raise ConfigError(f"Configuration : la clé « {where}{key} » est absente.")
        return default
    value = table[key]
    if kind is int and isinstance(value, bool):
        value = None
    if not isinstance(value, kind):
        expected = {str: "un texte", int: "un nombre entier", dt.date: "une date (AAAA-MM-JJ)",
                    dict: "une table", list: "une liste", bool: "true ou false"}[kind]
        raise ConfigError(
            f"Configuration : la clé « {where}{key} » doit être {expected} (lu : {value!r})."
        )
    return value


def _positive(table: dict[str, Any], key: str, where: str, default: int) -> int:
    value: int = _get(table, key, int, where, default)
    if value <= 0:
        raise ConfigError(f"Configuration : la clé « {where}{key} » doit être positive.")
    return value


def _sessions(raw: list[Any]) -> tuple[Session, ...]:
    sessions = []
    for n, item in enumerate(raw, start=1):
        where = f"campagne.sessions[{n}]."
        if not isinstance(item, dict):
            raise ConfigError(f"Configuration : « campagne.sessions[{n}] » doit être une table.")
        deadline = _get(item, "date_limite", dt.date, where)
        if isinstance(deadline, dt.datetime):
            deadline = deadline.date()
        sessions.append(Session(_get(item, "nom", str, where), deadline))
    if not sessions:
        raise ConfigError(
            "Configuration : « campagne.sessions » doit contenir au moins une session."
        )
    if any(a.deadline >= b.deadline for a, b in itertools.pairwise(sessions)):
        raise ConfigError(
            "Configuration : les dates limites de « campagne.sessions » doivent être croissantes."
        )
    return tuple(sessions)


def parse_config(data: dict[str, Any], base: Path, path: Path | None = None) -> Config:
    """Build a Config from parsed TOML; relative paths are taken from `base`."""
    campaign = _get(data, "campagne", dict, "")
    name = _get(campaign, "nom", str, "campagne.")
    sessions = _sessions(_get(campaign, "sessions", list, "campagne."))
    source = _get(data, "source", dict, "")
    tabs = _get(data, "onglets", dict, "", {})
    checks = _get(data, "controles", dict, "", {})
    kind = _get(source, "type", str, "source.", "excel")
    if kind not in ("excel", "google"):
        raise ConfigError(
            f"Configuration : « source.type » vaut « {kind} » ; attendu « excel » ou « google »."
        )
    google = None
    if kind == "google":
        credentials = _get(source, "identifiants", str, "source.", "")
        google = GoogleSource(
            spreadsheet=_get(source, "classeur", str, "source."),
            credentials=(base / Path(credentials).expanduser()).resolve() if credentials else None,
            max_wait=float(_positive(source, "attente_max", "source.", 60)),
        )
    location = Path(_get(source, "chemin", str, "source.", "reponses.xlsx")).expanduser()
    reference = _get(data, "etablissements", dict, "", {})
    reminders = _get(data, "relances", dict, "", {})
    defaults = Tabs()

    def local(text: str) -> Path:
        path = Path(text).expanduser()
        return (path if path.is_absolute() else base / path).resolve()

    reference_file = _get(reference, "fichier", str, "etablissements.", "")
    return Config(
        path=path,
        name=name,
        school_year=_get(campaign, "annee_scolaire", str, "campagne.", ""),
        sessions=sessions,
        source_kind=kind,
        source=local(str(location)),
        dashboard=_get(source, "tableau_de_bord", str, "source.", "tableau-de-bord.xlsx"),
        tabs_in_source=_get(source, "onglets_dans_la_source", bool, "source.", True),
        google=google,
        tabs=Tabs(
            answers=_get(source, "onglet_reponses", str, "source.", defaults.answers),
            roster=_get(source, "onglet_ambassadeurs", str, "source.", defaults.roster),
            completeness=_get(tabs, "completude", str, "onglets.", defaults.completeness),
            summary=_get(tabs, "synthese", str, "onglets.", defaults.summary),
            reminders=_get(tabs, "relances", str, "onglets.", defaults.reminders),
            state=_get(tabs, "etat", str, "onglets.", defaults.state),
            establishments=_get(reference, "onglet", str, "etablissements.",
                                defaults.establishments),
        ),
        limits=Limits(
            title_length=_positive(checks, "titre_longueur_max", "controles.", 120),
            max_classes=_positive(checks, "classes_max", "controles.", 20),
            text_length=_positive(checks, "texte_longueur_max", "controles.", 2000),
        ),
        establishments_file=local(reference_file) if reference_file else None,
        reminder_templates=(
            local(_get(reminders, "modele", str, "relances.", "templates/relance.txt")),
            local(_get(reminders, "modele_sans_reponse", str, "relances.",
                       "templates/relance-sans-reponse.txt")),
        ),
    )


def load_config(path: str | Path | None = None) -> Config:
    """Read config.toml (default: ./config.toml)."""
    file = Path(path or DEFAULT_CONFIG_NAME).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Configuration introuvable : {file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Configuration illisible : {file} ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Configuration invalide ({file}) : {exc}") from None
    return parse_config(data, file.resolve().parent, file.resolve())
