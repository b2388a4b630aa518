"""The year as a sync sees it: the plan of temps forts with what the tabs need to show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .exports import Names
from .model import PairedClass, Plan, TempsFort
from .tracking import FollowUp


@dataclass(frozen=True)
class YearPlan:
    """The plan of this sync for the paired classes, the temps forts of config.toml, how
    classes, schools and ambassadors are named, and « Suivi de l'année » as typed."""

    plan: Plan
    classes: tuple[PairedClass, ...]
    kinds: tuple[TempsFort, ...]
    names: Names
    today: dt.date
    follow_up: FollowUp = field(default_factory=FollowUp)
