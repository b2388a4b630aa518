"""The search behind the plan: a greedy plan, then OR-Tools CP-SAT over small chunks.

Tasks (one per class and temps fort) come with their candidate options (when, who, where),
all valid on their own; this module picks at most one per task without two events for an
ambassador or a class on the same half-day and within the weekly company visits cap, placing
as many as possible, then spreading them (per school and ambassador and ISO week) and keeping
each class's temps forts in order. Tasks that can share nothing (disjoint windows, other
schools and people) are solved apart; a component is solved in chunks of a few schools,
each committed before the next. Single-threaded with a deterministic time budget: the same
input gives the same plan. ortools is imported inside `solve` only.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .calendar import HalfDay
from .model import PairedClass, PlanSettings, TempsFort

PLACE_WEIGHT = 1_000  # one more event placed outweighs every soft rule it may bend
SPREAD_WEIGHT = 10
ORDER_WEIGHT = 40


@dataclass(frozen=True)
class Option:
    """One way to hold a task: when, who, where."""

    task: int
    halves: tuple[HalfDay, ...]
    attendees: tuple[str, ...]
    company: str | None  # the company visited (place « entreprise »), for the weekly cap
    where: str


@dataclass
class Task:
    """One temps fort to place for one class, with its candidate options (or why none)."""

    index: int
    cls: PairedClass
    kind: TempsFort
    order: int
    options: list[Option]
    reason: str = ""


def week_of(half: HalfDay) -> tuple[int, int]:
    """The ISO (year, week) of a half-day: the unit of spreading and of the visits cap."""
    return _week(half.day)


@functools.cache
def _week(day: dt.date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


class Usage:
    """Half-days already taken (by kept events, then by the greedy plan)."""

    def __init__(self, visits_per_week: int) -> None:
        self.visits_per_week = visits_per_week
        self.amb: set[tuple[str, HalfDay]] = set()
        self.cls: set[tuple[str, HalfDay]] = set()
        self.company: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
        self.school_week: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
        self.amb_week: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)

    def fits(self, class_id: str, halves: Sequence[HalfDay], attendees: Sequence[str],
             company: str | None) -> bool:
        if not self.cls:
            return True  # nothing taken yet
        if any((class_id, h) in self.cls for h in halves):
            return False
        if any((a, h) in self.amb for a in attendees for h in halves):
            return False
        return company is None or all(
            self.company[(company, w)] < self.visits_per_week
            for w in {week_of(h) for h in halves})

    def add(self, class_id: str, school: str, halves: Sequence[HalfDay],
            attendees: Sequence[str], company: str | None) -> None:
        weeks = {week_of(h) for h in halves}
        self.cls.update((class_id, h) for h in halves)
        self.amb.update((a, h) for a in attendees for h in halves)
        for w in weeks:
            if company is not None:
                self.company[(company, w)] += 1
            self.school_week[(school, w)] += 1
            for a in attendees:
                self.amb_week[(a, w)] += 1


def _greedy(tasks: list[Task], usage: Usage) -> dict[int, Option]:
    """A valid plan, most constrained tasks first: the solver's hint and fallback."""
    chosen: dict[int, Option] = {}
    for task in sorted(tasks, key=lambda t: (len(t.options), t.cls.class_id, t.order)):
        best = None
        best_cost: tuple[int, ...] = ()
        for option in task.options:
            if not usage.fits(task.cls.class_id, option.halves, option.attendees,
                              option.company):
                continue
            week = week_of(option.halves[0])
            cost = (usage.school_week[(task.cls.school, week)]
                    + sum(usage.amb_week[(a, week)] for a in option.attendees),)
            if best is None or cost < best_cost:
                best, best_cost = option, cost
        if best is not None:
            chosen[task.index] = best
            usage.add(task.cls.class_id, task.cls.school, best.halves, best.attendees,
                      best.company)
    return chosen


def _components(tasks: list[Task]) -> list[list[Task]]:
    """Tasks that may share a class, a school, an ambassador or a visited company in some week
    (temps forts with disjoint windows never interact, so they are solved apart)."""
    parent = list(range(len(tasks)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str, tuple[int, int]], int] = {}
    for pos, task in enumerate(tasks):
        keys = set()
        for option in task.options:
            for week in {week_of(h) for h in option.halves}:
                keys.add(("school", task.cls.school, week))
                keys.add(("class", task.cls.class_id, week))
                keys.update(("amb", a, week) for a in option.attendees)
                if option.company:
                    keys.add(("company", option.company, week))
        for key in sorted(keys):
            if key in owner:
                parent[find(pos)] = find(owner[key])
            else:
                owner[key] = pos
    groups: dict[int, list[Task]] = defaultdict(list)
    for pos, task in enumerate(tasks):
        groups[find(pos)].append(task)
    return sorted(groups.values(), key=lambda g: g[0].index)


def solve(tasks: list[Task], usage: Usage,
           settings: PlanSettings) -> tuple[dict[int, Option], str]:
    """CP-SAT over chunks of each component, each chunk hinted with (and falling back to) a
    greedy plan, committed before the next one is solved: every model stays small."""
    live = [t for t in tasks if t.options]
    if not live:
        return {}, "rien à planifier"
    from ortools.sat.python import cp_model  # lazy: heavy, only when planning

    taken = copy_usage(usage)
    chosen: dict[int, Option] = {}
    statuses: set[str] = set()
    total = sum(len(t.options) for t in live)
    for group in _components(live):
        for chunk in _chunks(group, settings.chunk_tasks):
            chunk = [replace(t, options=[o for o in t.options if taken.fits(
                t.cls.class_id, o.halves, o.attendees, o.company)]) for t in chunk]
            chunk = [t for t in chunk if t.options]
            if not chunk:
                continue
            hint = _greedy(chunk, copy_usage(taken))
            if len(hint) == len(chunk) and _spread_cost(chunk, hint, taken) == 0:
                picked, status = hint, "OPTIMAL"  # every event placed, none bunched: done
            elif settings.solver_seconds <= 0:
                picked, status = hint, "GLOUTON"  # no solver time: the greedy plan
            else:
                budget = max(0.05, settings.solver_seconds
                             * sum(len(t.options) for t in chunk) / total)
                picked, status = _solve_component(cp_model, chunk, taken, hint, settings,
                                                  budget)
            statuses.add(status)
            for task in chunk:
                option = picked.get(task.index)
                if option is not None:
                    chosen[task.index] = option
                    taken.add(task.cls.class_id, task.cls.school, option.halves,
                              option.attendees, option.company)
    return chosen, "/".join(sorted(statuses))


def _spread_cost(chunk: list[Task], picked: dict[int, Option], taken: Usage) -> int:
    """How bunched a chunk's plan is (the soft rules' penalty, 0 when nothing is bunched)."""
    school_week: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    amb_week: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    for task in chunk:
        option = picked[task.index]
        for week in {week_of(h) for h in option.halves}:
            school_week[(task.cls.school, week)] += 1
            for a in option.attendees:
                amb_week[(a, week)] += 1
    cost = sum(max(0, n + taken.school_week[k] - 1) for k, n in school_week.items())
    cost += sum(max(0, n + taken.amb_week[k] - 1) for k, n in amb_week.items())
    return cost + _order_cost(chunk, picked)


def _order_cost(chunk: list[Task], picked: dict[int, Option]) -> int:
    """Temps forts of a class held out of their configured order."""
    by_class: dict[str, list[Task]] = defaultdict(list)
    for task in chunk:
        by_class[task.cls.class_id].append(task)
    late = 0
    for tasks in by_class.values():
        tasks.sort(key=lambda t: t.order)
        for a, b in itertools.pairwise(tasks):
            if picked[b.index].halves[0] <= picked[a.index].halves[0]:
                late += 1
    return late


def _chunks(group: list[Task], size: int) -> list[list[Task]]:
    """Consecutive slices of about `size` tasks, never splitting a school's tasks."""
    ordered = sorted(group, key=lambda t: (t.kind.start, t.cls.school, t.cls.class_id, t.order))
    chunks: list[list[Task]] = [[]]
    for i, task in enumerate(ordered):
        if (len(chunks[-1]) >= size and i and ordered[i - 1].cls.school != task.cls.school):
            chunks.append([])
        chunks[-1].append(task)
    return chunks


def copy_usage(usage: Usage) -> Usage:
    copy = Usage(usage.visits_per_week)
    copy.amb = set(usage.amb)
    copy.cls = set(usage.cls)
    copy.company = defaultdict(int, usage.company)
    copy.school_week = defaultdict(int, usage.school_week)
    copy.amb_week = defaultdict(int, usage.amb_week)
    return copy


def _solve_component(cp_model: Any, group: list[Task], usage: Usage,
                     hint: dict[int, Option], settings: PlanSettings,
                     budget: float) -> tuple[dict[int, Option], str]:
    model = cp_model.CpModel()
    x: dict[tuple[int, int], Any] = {}
    by_amb: dict[tuple[str, HalfDay], list[Any]] = defaultdict(list)
    by_cls: dict[tuple[str, HalfDay], list[Any]] = defaultdict(list)
    by_company: dict[tuple[str, tuple[int, int]], list[Any]] = defaultdict(list)
    by_school_week: dict[tuple[str, tuple[int, int]], list[Any]] = defaultdict(list)
    by_amb_week: dict[tuple[str, tuple[int, int]], list[Any]] = defaultdict(list)
    placed = []
    for task in group:
        row = []
        for j, option in enumerate(task.options):
            var = model.NewBoolVar(f"x{task.index}_{j}")
            x[(task.index, j)] = var
            row.append(var)
            weeks = {week_of(h) for h in option.halves}
            for h in option.halves:
                by_cls[(task.cls.class_id, h)].append(var)
                for a in option.attendees:
                    by_amb[(a, h)].append(var)
            for w in weeks:
                if option.company:
                    by_company[(option.company, w)].append(var)
                by_school_week[(task.cls.school, w)].append(var)
                for a in option.attendees:
                    by_amb_week[(a, w)].append(var)
            if hint.get(task.index) is option:
                model.AddHint(var, True)
        model.AddAtMostOne(row)
        placed.extend(row)
    for half_table in (by_amb, by_cls):
        for vars_ in half_table.values():
            if len(vars_) > 1:
                model.AddAtMostOne(vars_)
    for (company, week), vars_ in by_company.items():
        room = settings.visits_per_week - usage.company[(company, week)]
        if len(vars_) > room:
            model.Add(sum(vars_) <= room)
    penalties = []
    weekly: list[tuple[dict[tuple[str, tuple[int, int]], list[Any]],
                       dict[tuple[str, tuple[int, int]], int]]] = [
        (by_school_week, usage.school_week), (by_amb_week, usage.amb_week)]
    for week_table, already in weekly:
        for key, vars_ in week_table.items():
            base = already[key]
            if len(vars_) + base <= 1:
                continue
            excess = model.NewIntVar(0, len(vars_) + base, "")
            model.Add(excess >= sum(vars_) + base - 1)
            penalties.append(excess)
    order_penalties = _order_constraints(model, group, x)
    terms = placed + penalties + order_penalties
    weights = ([PLACE_WEIGHT] * len(placed) + [-SPREAD_WEIGHT] * len(penalties)
               + [-ORDER_WEIGHT] * len(order_penalties))
    model.Maximize(cp_model.LinearExpr.WeightedSum(terms, weights))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    # Deterministic time only: a wall-clock limit would bind sooner on a loaded machine and
    # give another plan for the same input (review finding 9).
    solver.parameters.max_deterministic_time = budget
    status = solver.Solve(model)
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {t.index: hint[t.index] for t in group if t.index in hint}, name
    picked = {}
    for task in group:
        for j, option in enumerate(task.options):
            if solver.BooleanValue(x[(task.index, j)]):
                picked[task.index] = option
    return picked, name


def _order_constraints(model: Any, group: list[Task],
                       x: dict[tuple[int, int], Any]) -> list[Any]:
    """Soft: for a class, temps forts in their configured order when windows overlap."""
    per_class: dict[str, list[Task]] = defaultdict(list)
    for task in group:
        per_class[task.cls.class_id].append(task)
    penalties = []
    for tasks in per_class.values():
        tasks.sort(key=lambda t: t.order)
        for a, b in itertools.pairwise(tasks):
            if a.kind.end < b.kind.start:
                continue  # windows in order: nothing to enforce
            first = min(o.halves[0].day for o in a.options + b.options)
            def rank(o: Option, first: dt.date = first) -> int:
                return (o.halves[0].day - first).days * 2 + o.halves[0].afternoon
            ta = sum(rank(o) * x[(a.index, j)] for j, o in enumerate(a.options))
            tb = sum(rank(o) * x[(b.index, j)] for j, o in enumerate(b.options))
            both = model.NewBoolVar("")
            pa = sum(x[(a.index, j)] for j in range(len(a.options)))
            pb = sum(x[(b.index, j)] for j in range(len(b.options)))
            model.Add(pa + pb - 1 <= both)
            late = model.NewBoolVar("")
            model.Add(tb >= ta + 1).OnlyEnforceIf([both, late.Not()])
            penalties.append(late)
    return penalties

