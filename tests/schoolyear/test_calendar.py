"""The zone B school calendar: shipped dates, public holidays, open half-days, overrides."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.errors import ConfigError, SheetsSyncError
from sheets_sync.schoolyear import (
    CalendarSettings,
    Closure,
    HalfDay,
    Period,
    UnknownSchoolYear,
    YearData,
    easter_sunday,
    load_calendar,
    public_holidays,
    shipped_years,
)

D = dt.date


@pytest.mark.parametrize(("year", "easter"), [
    (1961, D(1961, 4, 2)), (2000, D(2000, 4, 23)), (2008, D(2008, 3, 23)),
    (2011, D(2011, 4, 24)), (2019, D(2019, 4, 21)), (2024, D(2024, 3, 31)),
    (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28)),
    (2028, D(2028, 4, 16)), (2038, D(2038, 4, 25)), (2285, D(2285, 3, 22)),
])
def test_easter_sunday_known_years(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


@given(st.integers(1583, 4099))
def test_easter_is_a_sunday_between_march_22_and_april_25(year: int) -> None:
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert D(year, 3, 22) <= easter <= D(year, 4, 25)


def test_public_holidays_2027() -> None:
    holidays = public_holidays(2027)
    assert len(holidays) == 11
    assert holidays[D(2027, 3, 29)] == "Lundi de Pâques"
    assert holidays[D(2027, 5, 6)] == "Ascension"
    assert holidays[D(2027, 5, 17)] == "Lundi de Pentecôte"
    assert {D(2027, 1, 1), D(2027, 5, 1), D(2027, 5, 8), D(2027, 7, 14), D(2027, 8, 15),
            D(2027, 11, 1), D(2027, 11, 11), D(2027, 12, 25)} < set(holidays)


def test_two_holidays_on_one_day_are_both_named() -> None:
    assert public_holidays(2008)[D(2008, 5, 1)] == "Fête du travail et Ascension"


def test_shipped_years_include_the_current_and_next_years() -> None:
    assert {"2025-2026", "2026-2027"} <= set(shipped_years())


@pytest.mark.parametrize(("year", "first", "last"), [
    ("2025-2026", D(2025, 9, 1), D(2026, 7, 3)),
    ("2026-2027", D(2026, 9, 1), D(2027, 7, 2)),
])
def test_first_and_last_school_days(year: str, first: dt.date, last: dt.date) -> None:
    calendar = load_calendar(year)
    assert (calendar.first_day, calendar.last_day) == (first, last)
    assert calendar.source.startswith("https://www.education.gouv.fr/")


@pytest.mark.parametrize(("year", "name", "start", "resume"), [
    ("2025-2026", "Vacances de la Toussaint", D(2025, 10, 18), D(2025, 11, 3)),
    ("2025-2026", "Vacances de Noël", D(2025, 12, 20), D(2026, 1, 5)),
    ("2025-2026", "Vacances d'hiver", D(2026, 2, 14), D(2026, 3, 2)),
    ("2025-2026", "Vacances de printemps", D(2026, 4, 11), D(2026, 4, 27)),
    ("2025-2026", "Pont de l'Ascension", D(2026, 5, 15), D(2026, 5, 18)),
    ("2026-2027", "Vacances de la Toussaint", D(2026, 10, 17), D(2026, 11, 2)),
    ("2026-2027", "Vacances de Noël", D(2026, 12, 19), D(2027, 1, 4)),
    ("2026-2027", "Vacances d'hiver", D(2027, 2, 20), D(2027, 3, 8)),
    ("2026-2027", "Vacances de printemps", D(2027, 4, 17), D(2027, 5, 3)),
    ("2026-2027", "Pont de l'Ascension", D(2027, 5, 7), D(2027, 5, 10)),
])
def test_zone_b_holidays(year: str, name: str, start: dt.date, resume: dt.date) -> None:
    periods = {p.name: p for p in load_calendar(year).holidays}
    assert (periods[name].start, periods[name].resume) == (start, resume)


def test_holidays_are_closed_from_start_until_the_morning_classes_resume() -> None:
    calendar = load_calendar("2026-2027")
    assert calendar.is_open(HalfDay(D(2026, 10, 16), True))  # the Friday before
    assert calendar.closed_reason(HalfDay(D(2026, 10, 19), False)) == "Vacances de la Toussaint"
    assert calendar.is_open(HalfDay(D(2026, 11, 2), False))  # classes resume that morning


def test_closed_half_days() -> None:
    calendar = load_calendar("2026-2027")
    assert calendar.closed_reason(HalfDay(D(2026, 9, 2), True)) == "mercredi après-midi"
    assert calendar.is_open(HalfDay(D(2026, 9, 2), False))
    assert calendar.closed_reason(HalfDay(D(2026, 9, 5), False)) == "week-end"
    assert calendar.closed_reason(HalfDay(D(2026, 11, 11), False)) == "jour férié (Armistice 1918)"
    assert calendar.closed_reason(HalfDay(D(2027, 5, 17), True)) == \
        "jour férié (Lundi de Pentecôte)"
    assert calendar.closed_reason(HalfDay(D(2026, 8, 31), False)) == \
        "hors de l'année scolaire 2026-2027"


def test_open_half_days_of_the_first_week() -> None:
    halves = load_calendar("2026-2027").open_half_days(D(2026, 8, 20), D(2026, 9, 6))
    # mardi 1 → vendredi 4 : 8 demi-journées, sans le mercredi après-midi
    assert len(halves) == 7
    assert halves[0] == HalfDay(D(2026, 9, 1), False)
    assert HalfDay(D(2026, 9, 2), True) not in halves
    assert halves == sorted(halves)


def test_config_closures_and_weekly_closed_half_days() -> None:
    settings = CalendarSettings(
        "2026-2027",
        closures=(Closure("Brevet blanc", D(2027, 1, 25), D(2027, 1, 26)),
                  Closure("Conseils de classe", D(2026, 12, 1), D(2026, 12, 4), afternoon=True)),
        weekly_closed=frozenset({(4, True)}),  # vendredi après-midi, mercredi après-midi ouvert
    )
    calendar = load_calendar(settings)
    assert calendar.closed_reason(HalfDay(D(2027, 1, 25), True)) == "Brevet blanc"
    assert calendar.closed_reason(HalfDay(D(2026, 12, 1), True)) == "Conseils de classe"
    assert calendar.is_open(HalfDay(D(2026, 12, 1), False))
    assert calendar.is_open(HalfDay(D(2026, 9, 2), True))
    assert calendar.closed_reason(HalfDay(D(2026, 9, 4), True)) == "vendredi après-midi"


def test_a_year_outside_the_shipped_data_is_a_clear_error() -> None:
    with pytest.raises(UnknownSchoolYear) as caught:
        load_calendar("2030-2031")
    message = str(caught.value)
    assert "2030-2031" in message and "2026-2027" in message and "[annee_scolaire]" in message
    assert isinstance(caught.value, ConfigError)
    assert isinstance(caught.value, SheetsSyncError)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("year", ["2026", "2026-2028", "deux mille", "2027-2026"])
def test_an_unreadable_year_is_a_config_error(year: str) -> None:
    with pytest.raises(ConfigError, match="2026-2027"):
        load_calendar(year)


def test_a_year_given_in_config() -> None:
    data = YearData("2030-2031", D(2030, 9, 2), D(2031, 7, 4),
                    (Period("Vacances de Noël", D(2030, 12, 21), D(2031, 1, 6)),), "config")
    calendar = load_calendar(CalendarSettings("2030-2031", extra_years={"2030-2031": data}))
    assert calendar.closed_reason(HalfDay(D(2030, 12, 23), False)) == "Vacances de Noël"
    assert calendar.closed_reason(HalfDay(D(2030, 12, 25), False)) == "jour férié (Noël)"
    assert calendar.is_open(HalfDay(D(2031, 1, 6), False))


def test_half_day_label() -> None:
    assert HalfDay(D(2026, 9, 1), True).label() == "mardi 1 septembre 2026, après-midi"


@given(st.dates(D(2025, 8, 1), D(2027, 8, 31)), st.booleans())
def test_open_means_a_weekday_in_the_year_outside_holidays(day: dt.date, pm: bool) -> None:
    for year in shipped_years():
        calendar = load_calendar(year)
        half = HalfDay(day, pm)
        if calendar.is_open(half):
            assert day.weekday() < 5
            assert calendar.first_day <= day <= calendar.last_day
            assert not any(p.covers(day) for p in calendar.holidays)
            assert day not in calendar.public_holidays
            assert (day.weekday(), pm) != (2, True)
            assert half in calendar.open_half_days(day, day)
