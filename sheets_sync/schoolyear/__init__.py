"""The school year after registration: calendar, availabilities, the plan of temps forts.

    calendar.py      when a collège of the Lille academy (zone B) is open, half-day by half-day
    availability.py  « Disponibilités » cells read as allowed half-days and months
    model.py         temps forts, paired classes, events: plain data a config loader fills
    plan.py          the plan: candidate half-days per class and temps fort, kept events, reasons
    solve.py         the search: greedy, then OR-Tools CP-SAT (imported only when planning)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from .plan import plan_year


def __getattr__(name: str) -> Any:
    """`plan_year` (and the solver behind it) loads when first asked for: reading a roster's
    « Disponibilités » or config.toml does not pay for it."""
    if name == "plan_year":
        from .plan import plan_year

        return plan_year
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
