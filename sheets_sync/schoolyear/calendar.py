"""The school year of a Lille-academy collège (zone B): when it is open, half-day by half-day.

School holidays ship as data (`resources/calendrier-zone-b.toml`, each year with its official
source); public holidays are computed (Easter by the Gregorian computus). The config may close
more days or half-days (`[[fermetures]]`), change the weekly closed half-days (Wednesday
afternoon by default) or add a school year the package does not ship. A year that is neither
shipped nor given in config is a `UnknownSchoolYear` (a ConfigError), never a guess.

    # septembre 2026  lun 31  mar 1   mer 2      jeu 3   ven 4
    #   matin          —      ouvert  ouvert     ouvert  ouvert
    #   après-midi     —      ouvert  fermé      ouvert  ouvert
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import ConfigError
from .names import MONTHS, WEEKDAYS

DATA = Path(__file__).resolve().parents[1] / "resources" / "calendrier-zone-b.toml"
WEDNESDAY_AFTERNOON = frozenset({(2, True)})
_YEAR = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{4})\s*$")


class UnknownSchoolYear(ConfigError):
    """The campaign's school year is neither shipped nor described in config.toml."""


class HalfDay(NamedTuple):
    """One half-day: the unit the year is planned in (a tuple: fast to hash and to sort)."""

    day: dt.date
    afternoon: bool

    @property
    def weekday(self) -> int:
        return self.day.weekday()

    @property
    def slot(self) -> tuple[int, bool]:
        """(weekday, afternoon): what availabilities speak of."""
        return self.day.weekday(), self.afternoon

    def label(self) -> str:
        """« mardi 1 septembre 2026, matin »."""
        d = self.day
        part = "après-midi" if self.afternoon else "matin"
        return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}, {part}"


@dataclass(frozen=True)
class Period:
    """School holidays, as the arrêté writes them: closed from `start` until `resume` (excluded)."""

    name: str
    start: dt.date
    resume: dt.date
    source: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.start <= day < self.resume


@dataclass(frozen=True)
class Closure:
    """Extra closed days from config (`[[fermetures]]`): `start`..`end` inclusive, whole days
    or only mornings / afternoons (`afternoon` True / False; None = whole day)."""

    name: str
    start: dt.date
    end: dt.date
    afternoon: bool | None = None

    def covers(self, half: HalfDay) -> bool:
        return (self.start <= half.day <= self.end
                and (self.afternoon is None or self.afternoon == half.afternoon))


@dataclass(frozen=True)
class YearData:
    """One school year's official dates (shipped, or added in config)."""

    year: str
    first_day: dt.date
    last_day: dt.date
    holidays: tuple[Period, ...]
    source: str


@dataclass(frozen=True)
class CalendarSettings:
    """What config.toml says about the year (filled by the config loader).

    `weekly_closed` holds (weekday, afternoon) pairs closed every week: Wednesday afternoon
    by default, as in most collèges; `extra_years` adds or replaces a year's official dates.
    """

    year: str
    closures: tuple[Closure, ...] = ()
    weekly_closed: frozenset[tuple[int, bool]] = WEDNESDAY_AFTERNOON
    extra_years: Mapping[str, YearData] = field(default_factory=dict)


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous « Meeus/Jones/Butcher » computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def public_holidays(year: int) -> dict[dt.date, str]:
    """The eleven public holidays of metropolitan France in a calendar year (Alsace-Moselle's
    two extra days are not the Lille academy's). Two may fall on the same day (2008)."""
    easter = easter_sunday(year)
    days = [
        (dt.date(year, 1, 1), "Jour de l'an"),
        (easter + dt.timedelta(days=1), "Lundi de Pâques"),
        (dt.date(year, 5, 1), "Fête du travail"),
        (dt.date(year, 5, 8), "Victoire 1945"),
        (easter + dt.timedelta(days=39), "Ascension"),
        (easter + dt.timedelta(days=50), "Lundi de Pentecôte"),
        (dt.date(year, 7, 14), "Fête nationale"),
        (dt.date(year, 8, 15), "Assomption"),
        (dt.date(year, 11, 1), "Toussaint"),
        (dt.date(year, 11, 11), "Armistice 1918"),
        (dt.date(year, 12, 25), "Noël"),
    ]
    holidays: dict[dt.date, str] = {}
    for day, name in days:
        holidays[day] = f"{holidays[day]} et {name}" if day in holidays else name
    return holidays


@functools.cache
def _shipped() -> dict[str, YearData]:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return {year: _year_data(year, raw) for year, raw in data["annees"].items()}


def _year_data(year: str, raw: Mapping[str, Any]) -> YearData:
    periods = tuple(Period(p["nom"], p["debut"], p["reprise"], raw.get("source", ""))
                    for p in raw.get("vacances", ()))
    return YearData(year, raw["premier_jour"], raw["dernier_jour"], periods,
                    raw.get("source", ""))


def shipped_years() -> tuple[str, ...]:
    """The school years whose official dates ship with the package, oldest first."""
    return tuple(sorted(_shipped()))


def year_bounds(year: str) -> tuple[int, int]:
    """« 2026-2027 » → (2026, 2027); anything else is a ConfigError."""
    match = _YEAR.match(year)
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ConfigError(
            f"Année scolaire « {year} » illisible : écrivez-la comme « 2026-2027 » "
            "(deux années qui se suivent).")
    return int(match[1]), int(match[2])


class SchoolCalendar:
    """When a collège of the academy is open during one school year."""

    def __init__(self, data: YearData, closures: tuple[Closure, ...] = (),
                 weekly_closed: frozenset[tuple[int, bool]] = WEDNESDAY_AFTERNOON) -> None:
        self.year = data.year
        self.first_day = data.first_day
        self.last_day = data.last_day
        self.holidays = data.holidays
        self.source = data.source
        self.closures = closures
        self.weekly_closed = weekly_closed
        start, end = year_bounds(data.year)
        self.public_holidays = {d: n for y in (start, end) for d, n in public_holidays(y).items()
                                if data.first_day <= d <= data.last_day}

    def closed_reason(self, half: HalfDay) -> str | None:
        """Why the school is closed on this half-day (French), or None when it is open."""
        day = half.day
        if not self.first_day <= day <= self.last_day:
            return f"hors de l'année scolaire {self.year}"
        if day.weekday() >= 5:
            return "week-end"
        if day in self.public_holidays:
            return f"jour férié ({self.public_holidays[day]})"
        for period in self.holidays:
            if period.covers(day):
                return period.name
        for closure in self.closures:
            if closure.covers(half):
                return closure.name
        if half.slot in self.weekly_closed:
            return f"{WEEKDAYS[half.weekday]} {'après-midi' if half.afternoon else 'matin'}"
        return None

    def is_open(self, half: HalfDay) -> bool:
        return self.closed_reason(half) is None

    def open_half_days(self, start: dt.date | None = None,
                       end: dt.date | None = None) -> list[HalfDay]:
        """Open half-days from `start` to `end` (inclusive; default: the whole year), in order."""
        first = max(start or self.first_day, self.first_day)
        last = min(end or self.last_day, self.last_day)
        return [h for h in _half_days(first, last) if self.is_open(h)]


def french_date(day: dt.date) -> str:
    """« 1er septembre 2026 »."""
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def _half_days(first: dt.date, last: dt.date) -> Iterator[HalfDay]:
    day = first
    while day <= last:
        yield HalfDay(day, False)
        yield HalfDay(day, True)
        day += dt.timedelta(days=1)


def load_calendar(settings: CalendarSettings | str) -> SchoolCalendar:
    """The calendar of the campaign's school year, config overrides applied."""
    if isinstance(settings, str):
        settings = CalendarSettings(settings)
    year_bounds(settings.year)
    known = {**_shipped(), **settings.extra_years}
    data = known.get(settings.year.strip())
    if data is None:
        shipped = ", ".join(shipped_years())
        raise UnknownSchoolYear(
            f"L'année scolaire {settings.year} n'est pas connue de sheets-sync (calendrier "
            f"livré : {shipped}). Ajoutez ses dates officielles dans config.toml, table "
            "[annee_scolaire] : premier_jour, dernier_jour et [[annee_scolaire.vacances]] "
            "(nom, debut, reprise), d'après le calendrier scolaire de education.gouv.fr.")
    if data.last_day < data.first_day:
        raise ConfigError(f"Année scolaire {data.year} : le dernier jour ({data.last_day}) "
                          f"précède le premier ({data.first_day}).")
    return SchoolCalendar(data, settings.closures, settings.weekly_closed)
