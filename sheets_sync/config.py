"""The campaign, read from config.toml: sessions, deadlines, source, tab names, limits.

Keys are French because coordinators edit the file; every table and key is checked against
the schema in config_schema.py first, so an unknown key, a wrong type or a value out of
range raises ConfigError with a French message that names it, its file and its line.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .errors import ConfigError

if TYPE_CHECKING:
    from .schoolyear.calendar import CalendarSettings
    from .schoolyear.model import PlanSettings, SchoolDays, TempsFort

DEFAULT_CONFIG_NAME = "config.toml"
_Fail = Callable[[str, str], ConfigError]  # (key path, French message) -> the error to raise
WRITABLE_SUFFIXES = (".xlsx", ".xlsm")  # workbooks generated tabs can be written into
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
    sponsorships: str = "Parrainages"
    adjustments: str = "Ajustements"
    classes: str = "Classes"
    mobilisation: str = "Mobilisation des ambassadeurs"
    equality: str = "Égalité filles-garçons"
    journal: str = "Journal"
    state: str = "sheets-sync (état)"
    establishments: str = "Établissements"
    calendar: str = "Calendrier"  # coordination: every event of the year, who, where, status
    year_events: str = "Temps forts"  # partners: events per school and month
    follow_up: str = "Suivi de l'année"  # typed by coordinators and principals
    year_review: str = "Bilan de l'année"  # partners: held vs planned, productions


@dataclass(frozen=True)
class Limits:
    """Limits the checks apply."""

    title_length: int = 120
    max_classes: int = 20
    text_length: int = 2000


@dataclass(frozen=True)
class ReadLimits:
    """How much of a workbook the readers accept (table [lecture]); beyond, the file is refused.

    The defaults leave a wide margin over a 7 000-school campaign after a sync (its workbook:
    3 MB, 45 MB once decompressed, 16 625 rows in its longest tab, 550 000 cells in all) and
    stop a zip bomb or a 1 000 000-row tab before it fills the memory.
    """

    max_megabytes: int = 200  # the file on disk, and its parts once decompressed (in total)
    max_ratio: int = 200  # decompressed / compressed size of one part (of more than 1 MiB)
    max_parts: int = 10_000  # parts (files) in the zip package
    max_rows: int = 100_000  # rows of one tab, up to its last filled row
    max_columns: int = 1_000  # columns of one tab, up to its last filled column
    max_cells: int = 5_000_000  # rows x columns of the filled area, all tabs together

    @property
    def max_bytes(self) -> int:
        return self.max_megabytes * 1024 * 1024


@dataclass(frozen=True)
class Matching:
    """How ambassadors are matched to classes (« appariement »)."""

    per_class: int = 2
    growth_sectors: tuple[str, ...] | None = None  # None: the toolkit's default list
    women_share: dict[str, float] | None = None  # ROME letter or prefix -> share of women
    women_share_source: str | None = None
    low_share: float = 0.3
    high_share: float = 0.7
    local_communes: tuple[str, ...] = ("Roubaix",)
    weights: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class GoogleSource:
    """A Google spreadsheet as the source: its URL or id, and how to reach it."""

    spreadsheet: str
    credentials: Path | None = None
    max_wait: float = 60.0


@dataclass(frozen=True)
class SchoolYear:
    """The school year to plan (tables [annee_scolaire], [[fermetures]], [[temps_forts]]), as
    the schoolyear modules take it: `load_calendar(calendar)`, `plan_year(..., kinds, ...,
    settings=plan)`. `schools`: the half-days schools accept or prefer
    ([[annee_scolaire.etablissements]]); `productions`: the productions `suivi --preparer`
    prepares a row of per class."""

    calendar: CalendarSettings
    kinds: tuple[TempsFort, ...]
    plan: PlanSettings
    schools: tuple[SchoolDays, ...] = ()
    productions: tuple[str, ...] = ("fiche métier", "portrait")


@dataclass(frozen=True)
class Config:
    """A whole campaign."""

    path: Path | None
    name: str
    school_year: str
    sessions: tuple[Session, ...]
    source: Path
    dashboard: str
    tabs: Tabs = field(default_factory=Tabs)
    limits: Limits = field(default_factory=Limits)
    reading: ReadLimits = field(default_factory=ReadLimits)
    tabs_in_source: bool = True
    google: GoogleSource | None = None
    matching: Matching = field(default_factory=Matching)
    roster_file: Path | None = None
    partner_tabs: tuple[str, ...] = ()
    establishments_file: Path | None = None
    reminder_templates: tuple[Path, Path] | None = None
    coordination: Path | str | None = None  # workbook path (Excel) or spreadsheet (Google)
    schoolyear: SchoolYear | None = None  # None: no school year planned (no [annee_scolaire])

    def with_source(self, source: str | Path) -> Config:
        """The same campaign read from another place (the --source option).

        An address of a Google spreadsheet (or, for a Google campaign, its id) switches the
        source to it; anything else is a workbook or a folder of fiches.
        """
        text = str(source)
        looks_like_id = _SPREADSHEET_ID.match(text) is not None and not Path(text).exists()
        if text.startswith(("https://", "http://")) or looks_like_id or self.google is not None:
            google = self.google or GoogleSource(text)
            sheet = None if isinstance(self.coordination, Path) else self.coordination
            return replace(self, google=replace(google, spreadsheet=text), coordination=sheet)
        book = self.coordination if isinstance(self.coordination, Path) else None
        return replace(self, google=None, source=Path(source).expanduser().resolve(),
                       coordination=book)

    def same_book(self) -> bool:
        """Whether generated tabs are written into the workbook the answers are read from.

        Only an .xlsx/.xlsm workbook can receive them: the tabs of an .xls, .xlsb or .ods
        source go to the dashboard workbook beside it.
        """
        if self.google is not None:
            return True
        return (not self.source.is_dir() and self.tabs_in_source
                and self.source.suffix.lower() in WRITABLE_SUFFIXES)

    def coordinator_tabs(self) -> tuple[str, ...]:
        """Generated tabs for coordinators only: the shared file never gets them once a
        coordinator workbook is named."""
        t = self.tabs
        return (t.sponsorships, t.reminders, t.journal, t.state, t.calendar)

    def shared_tabs(self) -> frozenset[str]:
        """Generated tabs the principals' shared file may hold: partner tabs and Complétude."""
        t = self.tabs
        partners = self.partner_tabs or (t.summary, t.classes, t.mobilisation, t.equality,
                                         t.year_events, t.year_review)
        return frozenset({*partners, t.completeness}) - set(self.coordinator_tabs())

    def dashboard_path(self) -> Path:
        """The separate dashboard workbook: beside the source, or inside a folder of fiches."""
        path = Path(self.dashboard)
        if path.is_absolute():
            return path
        return (self.source if self.source.is_dir() else self.source.parent) / path


class CampaignView(Protocol):
    """The part of the campaign the stages after the checks read: names, dates, tab names,
    matching settings, and whether generated tabs sit beside the answers.

    `Config` is one. A stage typed with this view (dashboards, reminders, sponsoring) cannot
    reach the source, the credentials, the reading limits or any file path.
    """

    @property
    def name(self) -> str: ...

    @property
    def school_year(self) -> str: ...

    @property
    def sessions(self) -> tuple[Session, ...]: ...

    @property
    def tabs(self) -> Tabs: ...

    @property
    def matching(self) -> Matching: ...

    def same_book(self) -> bool: ...


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


_WEIGHTS = {"affectation": "assign", "mot_commun": "word", "mots_communs_max": "max_shared_words",
            "metier_porteur": "growth", "contre_stereotype": "counter_stereotype",
            "modele_local": "local", "bonus_orientation": "orientation_boost"}


def _share(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError(f"Configuration : « {where} » doit être une part entre 0 et 1.")
    return float(value)


def _matching(table: dict[str, Any]) -> Matching:
    where = "appariement."
    shares = _get(table, "part_femmes", dict, where, {})
    weights = _get(table, "poids", dict, where, {})
    for key, value in weights.items():
        if key not in _WEIGHTS or isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(
                f"Configuration : « appariement.poids.{key} » : poids inconnu ou non entier "
                f"(poids possibles : {', '.join(_WEIGHTS)})."
            )
    sectors = _get(table, "secteurs_porteurs", list, where, [])
    communes = _get(table, "communes_locales", list, where, ["Roubaix"])
    return Matching(
        per_class=_positive(table, "ambassadeurs_par_classe", where, 2),
        growth_sectors=tuple(str(s) for s in sectors) or None,
        women_share={k: _share(v, f"{where}part_femmes.{k}") for k, v in shares.items()} or None,
        women_share_source=_get(table, "source_part_femmes", str, where, "") or None,
        low_share=_share(table.get("part_basse", 0.3), where + "part_basse"),
        high_share=_share(table.get("part_haute", 0.7), where + "part_haute"),
        local_communes=tuple(str(c) for c in communes),
        weights={_WEIGHTS[k]: int(v) for k, v in weights.items()},
    )


def _reading(table: dict[str, Any]) -> ReadLimits:
    where, default = "lecture.", ReadLimits()
    return ReadLimits(
        max_megabytes=_positive(table, "taille_max_mo", where, default.max_megabytes),
        max_ratio=_positive(table, "ratio_compression_max", where, default.max_ratio),
        max_parts=_positive(table, "parties_max", where, default.max_parts),
        max_rows=_positive(table, "lignes_max", where, default.max_rows),
        max_columns=_positive(table, "colonnes_max", where, default.max_columns),
        max_cells=_positive(table, "cellules_max", where, default.max_cells),
    )


def _date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _plain(path: str, message: str) -> ConfigError:
    return ConfigError(f"Configuration : {message}")


def _weekly_closed(texts: list[str], fail: _Fail) -> frozenset[tuple[int, bool]]:
    from .schoolyear.availability import parse_availability

    slots: set[tuple[int, bool]] = set()
    for text in texts:
        reading = parse_availability(text)
        if reading.findings or reading.availability.unconstrained:
            raise fail("annee_scolaire.demi_journees_fermees",
                       f"« annee_scolaire.demi_journees_fermees » : « {text} » n'est pas une "
                       "demi-journée (écrivez par exemple « mercredi après-midi »).")
        slots |= reading.availability.slots
    return frozenset(slots)


def _schoolyear(data: dict[str, Any], campaign_year: str,
                fail: _Fail = _plain) -> SchoolYear | None:
    """The [annee_scolaire] view (None when the config has no such table nor temps forts);
    keys and types are already checked against the schema. `fail(path, message)` makes the
    error (with the file's line when load_config knows it)."""
    table = data.get("annee_scolaire")
    if table is None and "temps_forts" not in data and "fermetures" not in data:
        return None
    from .schoolyear.calendar import CalendarSettings, Closure, Period, YearData
    from .schoolyear.model import PlanSettings, TempsFort

    table = table or {}
    year = str(table.get("annee") or campaign_year).strip()
    if not year:
        raise fail("annee_scolaire", "l'année scolaire à planifier manque : ajoutez "
                   "« annee = \"2026-2027\" » dans [annee_scolaire] (ou « annee_scolaire » "
                   "dans [campagne]).")
    extra: dict[str, YearData] = {}
    if "premier_jour" in table or "dernier_jour" in table:
        if "premier_jour" not in table or "dernier_jour" not in table:
            raise fail("annee_scolaire", "[annee_scolaire] donne premier_jour et "
                       "dernier_jour ensemble (une année non livrée avec l'outil).")
        source = str(table.get("source", "config.toml"))
        holidays = tuple(Period(v["nom"], _date(v["debut"]), _date(v["reprise"]), source)
                         for v in table.get("vacances", ()))
        extra[year] = YearData(year, _date(table["premier_jour"]), _date(table["dernier_jour"]),
                               holidays, source)
    closures = []
    for n, item in enumerate(data.get("fermetures", ()), start=1):
        start = _date(item["du"])
        end = _date(item.get("au", start))
        if end < start:
            raise fail(f"fermetures[{n}].au",
                       f"« fermetures[{n}] » : « au » ({end}) précède « du » ({start}).")
        half = item.get("demi_journee", "journée")
        closures.append(Closure(item["nom"], start, end,
                                None if half == "journée" else half == "après-midi"))
    kinds = []
    names: set[str] = set()
    for n, item in enumerate(data.get("temps_forts", ()), start=1):
        where = f"temps_forts[{n}]"
        start, end = _date(item["du"]), _date(item["au"])
        name = item["nom"].strip()
        if end < start:
            raise fail(f"{where}.au", f"« {where} » : « au » ({end}) précède « du » "
                       f"({start}).")
        if name.casefold() in names:
            raise fail(f"{where}.nom", f"« {where} » : le temps fort « {name} » est déjà "
                       "décrit ; chaque nom ne figure qu'une fois.")
        names.add(name.casefold())
        place = item.get("lieu", "etablissement")
        venue = item.get("adresse") or None
        if place == "lieu" and venue is None:
            raise fail(f"{where}.lieu", f"« {where} » : lieu = \"lieu\" demande la clé "
                       "« adresse » (où se tient le temps fort).")
        kinds.append(TempsFort(name, start, end, place, item.get("presence", "tous"),
                               item.get("duree", 1), venue))
    weekly = _weekly_closed(table.get("demi_journees_fermees", ["mercredi après-midi"]), fail)
    return SchoolYear(
        calendar=CalendarSettings(year, tuple(closures), weekly, extra),
        kinds=tuple(kinds),
        plan=PlanSettings(visits_per_week=table.get("visites_par_semaine", 2)),
        schools=_school_days(table.get("etablissements", ()), fail),
        productions=_productions(table, fail),
    )


def _school_days(items: list[dict[str, Any]], fail: _Fail) -> tuple[SchoolDays, ...]:
    """[[annee_scolaire.etablissements]]: each school's accepted and preferred half-days,
    phrased as the roster's « Disponibilités ». Stricter than the roster: a part not
    understood (a finding, or a « jamais » that excludes nothing) is refused."""
    from .schoolyear.availability import parse_availability
    from .schoolyear.model import SchoolDays

    out = []
    for n, item in enumerate(items, start=1):
        where = f"annee_scolaire.etablissements[{n}]"
        read = {}
        for key in ("disponibilites", "preferer"):
            if key not in item:
                continue
            reading = parse_availability(item[key])
            part = next((f.part for f in reading.findings if f.part), None)
            if not reading.findings:
                part = _negating_nothing(item[key])
            if reading.findings or part:
                unread = f" (« {part} » n'est pas compris)" if part else ""
                raise fail(f"{where}.{key}", f"« {where}.{key} » : « {item[key]} » ne se lit "
                           f"pas comme des demi-journées{unread} ; écrivez par exemple « mardi "
                           "et jeudi matin », « pas le vendredi » ou « sauf en juin ».")
            read[key] = reading.availability
        out.append(SchoolDays(item["nom"].strip(), read.get("disponibilites"),
                              read.get("preferer")))
    return tuple(out)


def _negating_nothing(text: str) -> str | None:
    """A negation that excludes nothing (« jamais », « pas de préférence ») with what follows
    it up to the next comma, or None: what follows it, read alone, says no day nor month."""
    import unicodedata

    from .schoolyear.availability import _NEGATION, parse_availability

    def negation(word: str) -> bool:
        folded = unicodedata.normalize("NFKD", word.lower())
        return "".join(c for c in folded if not unicodedata.combining(c)) in _NEGATION

    if not parse_availability(text).availability.slots:
        return None  # « indisponible », « non disponible »: no half-day at all, as written
    words = [w for w in re.finditer(r"[^\W\d_]+", text) if negation(w.group(0))]
    for n, word in enumerate(words):
        stop = words[n + 1].start() if n + 1 < len(words) else len(text)
        after = re.split(r"[,;.\n]", text[word.end():stop], maxsplit=1)[0]
        if not after.strip() or parse_availability(after).findings:
            clause = re.split(r"[,;.\n]", text[word.start():], maxsplit=1)[0]
            return " ".join(clause.split())
    return None


def _productions(table: dict[str, Any], fail: _Fail) -> tuple[str, ...]:
    """annee_scolaire.productions as tracking.PRODUCTION_TYPES spells them: case, accents
    and plurals free, as the tab reader takes them (« Fiche Métier » → « fiche métier »)."""
    from .schoolyear.tracking import PRODUCTION_TYPES, production_types

    wanted = table.get("productions", ["fiche métier", "portrait"])
    known, unknown = production_types(tuple(wanted))
    if unknown:
        raise fail("annee_scolaire.productions",
                   f"« annee_scolaire.productions » : « {unknown[0]} » n'est pas une production "
                   f"connue (possibles : {', '.join(PRODUCTION_TYPES)}).")
    return known


def parse_config(data: dict[str, Any], base: Path, path: Path | None = None,
                 fail: _Fail = _plain) -> Config:
    """Build a Config from parsed TOML; relative paths are taken from `base`.

    Every table and key is first checked against SCHEMA: an unknown one is an error.
    """
    from .config_schema import check_schema  # the schema reads this module's defaults

    check_schema(data)
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
    roster_file = _get(_get(data, "ambassadeurs", dict, "", {}), "fichier", str,
                       "ambassadeurs.", "")
    tabs_in_source = _get(source, "onglets_dans_la_source", bool, "source.", True)
    named = _get(_get(data, "coordination", dict, "", {}), "classeur", str, "coordination.", "")
    if google is not None and not tabs_in_source and not named:
        raise ConfigError(
            "Configuration : « source.onglets_dans_la_source = false » avec une source Google "
            "demande un classeur de coordination : ajoutez « [coordination] classeur = "
            "\"<adresse du classeur Google>\" » (les onglets de coordination y seront écrits)."
        )
    coordination: Path | str | None = None
    if named:
        coordination = named if google is not None else local(named)
    school_year = _get(campaign, "annee_scolaire", str, "campagne.", "")
    return Config(
        path=path,
        schoolyear=_schoolyear(data, school_year, fail),
        name=name,
        school_year=school_year,
        sessions=sessions,
        source=local(str(location)),
        dashboard=_get(source, "tableau_de_bord", str, "source.", "tableau-de-bord.xlsx"),
        tabs_in_source=tabs_in_source,
        coordination=coordination,
        google=google,
        matching=_matching(_get(data, "appariement", dict, "", {})),
        tabs=Tabs(
            answers=_get(source, "onglet_reponses", str, "source.", defaults.answers),
            roster=_get(source, "onglet_ambassadeurs", str, "source.", defaults.roster),
            completeness=_get(tabs, "completude", str, "onglets.", defaults.completeness),
            summary=_get(tabs, "synthese", str, "onglets.", defaults.summary),
            reminders=_get(tabs, "relances", str, "onglets.", defaults.reminders),
            sponsorships=_get(tabs, "parrainages", str, "onglets.", defaults.sponsorships),
            adjustments=_get(tabs, "ajustements", str, "onglets.", defaults.adjustments),
            classes=_get(tabs, "classes", str, "onglets.", defaults.classes),
            mobilisation=_get(tabs, "mobilisation", str, "onglets.", defaults.mobilisation),
            equality=_get(tabs, "egalite", str, "onglets.", defaults.equality),
            journal=_get(tabs, "journal", str, "onglets.", defaults.journal),
            state=_get(tabs, "etat", str, "onglets.", defaults.state),
            calendar=_get(tabs, "calendrier", str, "onglets.", defaults.calendar),
            year_events=_get(tabs, "temps_forts", str, "onglets.", defaults.year_events),
            follow_up=_get(tabs, "suivi", str, "onglets.", defaults.follow_up),
            year_review=_get(tabs, "bilan", str, "onglets.", defaults.year_review),
            establishments=_get(reference, "onglet", str, "etablissements.",
                                defaults.establishments),
        ),
        limits=Limits(
            title_length=_positive(checks, "titre_longueur_max", "controles.", 120),
            max_classes=_positive(checks, "classes_max", "controles.", 20),
            text_length=_positive(checks, "texte_longueur_max", "controles.", 2000),
        ),
        reading=_reading(_get(data, "lecture", dict, "", {})),
        establishments_file=local(reference_file) if reference_file else None,
        roster_file=local(roster_file) if roster_file else None,
        partner_tabs=tuple(str(t) for t in _get(_get(data, "partenaires", dict, "", {}),
                                                 "onglets", list, "partenaires.", [])),
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
    from .config_schema import Lines, check_schema, toml_error

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Configuration invalide ({file}) : {toml_error(exc)}") from None
    lines = Lines(file, text)
    check_schema(data, lines)
    return parse_config(data, file.resolve().parent, file.resolve(), lines.error)
