"""The school year after registration: calendar, availabilities, the plan of temps forts.

    calendar.py      when a collège of the Lille academy (zone B) is open, half-day by half-day
    availability.py  « Disponibilités » cells read as allowed half-days and months
    model.py         temps forts, paired classes, events: plain data a config loader fills
    plan.py          the plan: candidate half-days per class and temps fort, kept events, reasons
    solve.py         the search: greedy, then OR-Tools CP-SAT (imported only when planning)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cells.lazy import lazy_attributes

if TYPE_CHECKING:
    from .availability import Availability, Finding, Reading, parse_availability
    from .calendar import (
        CalendarSettings,
        Closure,
        HalfDay,
        Period,
        SchoolCalendar,
        UnknownSchoolYear,
        YearData,
        easter_sunday,
        load_calendar,
        public_holidays,
        shipped_years,
    )
    from .model import (
        Event,
        PairedClass,
        Plan,
        PlanAmbassador,
        PlanSettings,
        TempsFort,
        Unplaced,
    )
    from .plan import plan_year

# Names load when first asked for (PEP 562): reading a roster's « Disponibilités » pays
# neither for the calendar and the plan's model nor for the solver behind `plan_year`.
_HOMES = {
    **dict.fromkeys(("Availability", "Finding", "Reading", "parse_availability"),
                    "availability"),
    **dict.fromkeys(("CalendarSettings", "Closure", "HalfDay", "Period", "SchoolCalendar",
                     "UnknownSchoolYear", "YearData", "easter_sunday", "load_calendar",
                     "public_holidays", "shipped_years"), "calendar"),
    **dict.fromkeys(("Event", "PairedClass", "Plan", "PlanAmbassador", "PlanSettings",
                     "TempsFort", "Unplaced"), "model"),
    "plan_year": "plan",
}

__getattr__ = lazy_attributes(__name__, _HOMES)

__all__ = [
    "Availability",
    "CalendarSettings",
    "Closure",
    "Event",
    "Finding",
    "HalfDay",
    "PairedClass",
    "Period",
    "Plan",
    "PlanAmbassador",
    "PlanSettings",
    "Reading",
    "SchoolCalendar",
    "TempsFort",
    "UnknownSchoolYear",
    "Unplaced",
    "YearData",
    "easter_sunday",
    "load_calendar",
    "parse_availability",
    "plan_year",
    "public_holidays",
    "shipped_years",
]
