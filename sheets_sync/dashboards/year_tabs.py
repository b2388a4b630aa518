"""The year's tabs: « Calendrier » (coordinators: every event, who, where, status) and
« Temps forts » (partners: events per school and month, no one named).

    # Calendrier  A           B             C           D                 E         F …
    # 4           Date        Demi-journée  Temps fort  Établissement     Classe    Ambassadeurs
    # 5           13/09/2021  matin         lancement   Collège Tisserand 4ème n°1  Claire Leroy…
    # …           (then « Non planifiés » and « Déplacés » when there are some)

Both are built from the sync's YearPlan, the one the .ics files and the state tab are made
from, so what the tabs, the calendars and the next sync say agrees.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ..cells.grid import GeneratedTab, OutCell
from ..cells.layout import Plot, Table, lay_out
from ..config import CampaignView
from ..schoolyear.model import CANCELLED, CONFIRMED, HELD, SCHOOL, Event
from ..schoolyear.year import YearPlan
from .year_review import year_figures

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
          "nov.", "déc.")
SCHOOL_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6)  # September to June
OUTSIDE = "Hors année"  # a month column for events typed outside September–June
UNDATED = "Tenus sans date"  # a column for temps forts marked held with no day typed
CALENDAR_HEADER = ("Date", "Demi-journée", "Temps fort", "Établissement", "Classe",
                   "Ambassadeurs", "Lieu", "Statut")

Row = tuple[OutCell, ...]


def half_day_text(event: Event) -> str:
    """« matin », « après-midi », or « 2 demi-journées » for a longer event."""
    if len(event.half_days) > 1:
        return f"{len(event.half_days)} demi-journées"
    return "après-midi" if event.start.afternoon else "matin"


def status_of(event: Event, held: frozenset[tuple[str, str]],
              cancelled: frozenset[tuple[str, str]] = frozenset()) -> str:
    """As shown: « tenu » or « annulé » once « Suivi de l'année » says so, else the plan's."""
    if event.key in held:
        return HELD
    return CANCELLED if event.key in cancelled else event.status


def _school(year: YearPlan, key: str) -> str:
    return year.names.schools.get(key, key)


def _label(year: YearPlan, class_id: str) -> str:
    return year.names.classes.get(class_id, class_id)


def _place(year: YearPlan, event: Event) -> str:
    return _school(year, event.school) if event.place == SCHOOL else event.where


def _school_of(year: YearPlan) -> dict[str, str]:
    return {c.class_id: c.school for c in year.classes}


def calendar_rows(year: YearPlan) -> list[Row]:
    """One row per event, by date (what « Calendrier » lists first)."""
    rows: list[Row] = []
    figures = year_figures(year)
    for e in sorted(year.plan.events, key=lambda e: (e.start, e.school, e.class_id, e.kind)):
        status = status_of(e, figures.held, figures.cancelled)
        rows.append((
            OutCell(e.start.day, "date"), OutCell(half_day_text(e)), OutCell(e.kind),
            OutCell(_school(year, e.school)), OutCell(_label(year, e.class_id)),
            OutCell(", ".join(year.names.own.get(a, a) for a in e.attendees), "wrap"),
            OutCell(_place(year, e)),
            OutCell(status, "ok" if status in (CONFIRMED, HELD)
                    else "muted" if status == CANCELLED else None),
        ))
    return rows


def calendar_tab(config: CampaignView, year: YearPlan, mark: str) -> GeneratedTab:
    """« Calendrier » (coordinators only: ambassadors are named)."""
    plan, schools = year.plan, _school_of(year)
    body = [Table(CALENDAR_HEADER, tuple(calendar_rows(year)),
                  widths=(12, 14, 16, 30, 12, 40, 30, 10))]
    if plan.unplaced:
        body.append(Table(
            ("Établissement", "Classe", "Temps fort", "Pourquoi"),
            tuple((OutCell(_school(year, schools.get(u.class_id, ""))),
                   OutCell(_label(year, u.class_id)), OutCell(u.kind), OutCell(u.reason, "wrap"))
                  for u in sorted(plan.unplaced, key=lambda u: (u.class_id, u.kind))),
            widths=(30, 12, 16, 60), title=f"Non planifiés : {len(plan.unplaced)}"))
    if plan.moved:
        now = {e.key: e for e in plan.events}
        rows = []
        for old, why in sorted(plan.moved, key=lambda m: (m[0].start, m[0].class_id)):
            new = now.get(old.key)
            rows.append((OutCell(_school(year, old.school)), OutCell(_label(year, old.class_id)),
                         OutCell(old.kind), OutCell(old.start.day, "date"),
                         OutCell(half_day_text(old)),
                         OutCell(new.start.day, "date") if new else OutCell("non replanifié"),
                         OutCell(half_day_text(new) if new else None),
                         OutCell(why[:1].upper() + why[1:] + ".", "wrap")))
        body.append(Table(("Établissement", "Classe", "Temps fort", "Était le", "Demi-journée",
                           "Désormais le", "Demi-journée", "Pourquoi"), tuple(rows),
                          widths=(30, 12, 16, 12, 14, 14, 14, 50),
                          title=f"Déplacés depuis la dernière synchronisation : "
                                f"{len(plan.moved)}"))
    return lay_out(
        config.tabs.calendar, mark,
        f"Calendrier des temps forts — {config.name} (réservé à la coordination)", body,
        notes=("Statut : « proposé » (nouveau, à confirmer), « publié » (déjà montré : il ne "
               "bouge plus, sauf s'il devient impossible, et il est alors listé dans "
               "« Déplacés »), « confirmé » (une date saisie dans « "
               f"{config.tabs.follow_up} » : il ne bouge jamais), « tenu », « annulé » "
               "(marqués ainsi dans ce même onglet).",))


def school_year_start(year: YearPlan) -> int:
    """The calendar year the school year starts in (September), from its temps forts."""
    first = min((k.start for k in year.kinds), default=year.today)
    return first.year if first.month >= 8 else first.year - 1


def month_label(month: int, start: int) -> str:
    """« sept. 2026 » for a month of the school year starting in `start`."""
    return f"{MONTHS[month - 1]} {start if month >= 8 else start + 1}"


def _month_key(day: dt.date, start: int) -> int | None:
    """The month's column (September is 0), None outside September..June of the year."""
    if day.month not in SCHOOL_MONTHS or day.year != (start if day.month >= 8 else start + 1):
        return None
    return SCHOOL_MONTHS.index(day.month)


def year_events_tab(config: CampaignView, year: YearPlan, mark: str) -> GeneratedTab:
    """« Temps forts » (partners): events per school and month, then per temps fort; no
    ambassador, no contact."""
    start, plan = school_year_start(year), year.plan
    months = [month_label(m, start) for m in SCHOOL_MONTHS]
    per_school: dict[str, Counter[int]] = {}
    totals: Counter[int] = Counter()
    figures = year_figures(year)  # the counts « Bilan de l'année » shows too
    outside = len(months)  # the « Hors année » column: a day typed outside September–June
    for e in plan.events:
        if e.key not in figures.planned:
            continue
        n = _month_key(e.start.day, start)
        n = outside if n is None else n
        per_school.setdefault(_school(year, e.school), Counter())[n] += 1
        totals[n] += 1
    undated = outside + 1  # held, no day typed: counted by « Bilan », in no month
    schools, shown = _school_of(year), {e.key for e in plan.events}
    for key in sorted(figures.planned - shown):
        per_school.setdefault(_school(year, schools[key[0]]), Counter())[undated] += 1
        totals[undated] += 1
    for c in year.classes:  # every school with a paired class, even with nothing placed
        per_school.setdefault(_school(year, c.school), Counter())
    # shown only when needed; with them the Total always agrees with « Bilan »
    months += [label for n, label in ((outside, OUTSIDE), (undated, UNDATED)) if totals[n]]
    columns = [*range(len(SCHOOL_MONTHS)), *(n for n in (outside, undated) if totals[n])]
    grid = Table(("Établissement", *months, "Total"),
                 tuple((OutCell(name), *(OutCell(count[n], "integer") for n in columns),
                        OutCell(sum(count.values()), "integer"))
                       for name, count in sorted(per_school.items())),
                 widths=(34,))
    by_month = Table(("Mois", "Temps forts"),
                     tuple((OutCell(label), OutCell(totals[n], "integer"))
                           for n, label in zip(columns, months, strict=True)),
                     title="Temps forts planifiés par mois")
    def count(keys: frozenset[tuple[str, str]], kind: str) -> OutCell:
        return OutCell(sum(1 for _, k in keys if k == kind), "integer")

    kinds = Table(("Temps fort", "Planifiés", "Confirmés, pas encore tenus", "Tenus", "Annulés",
                   "Non placés"),
                  tuple((OutCell(k.name), count(figures.planned, k.name),
                         count(figures.confirmed, k.name), count(figures.held, k.name),
                         count(figures.cancelled, k.name), count(figures.unplaced, k.name))
                        for k in year.kinds),
                  title="Par temps fort")
    return lay_out(
        config.tabs.year_events, mark,
        f"Temps forts de l'année — {config.name}"
        + (f" ({config.school_year})" if config.school_year else ""),
        [grid, by_month, kinds],
        [Plot("column", "Temps forts planifiés par mois", by_month, (1,))],
        notes=("Chaque temps fort compte dans le mois où il commence"
               + (f" (« {OUTSIDE} » : un jour saisi hors de septembre à juin)" if totals[outside]
                  else "")
               + (f" ; « {UNDATED} » : marqués « tenu » sans jour dans « "
                  f"{config.tabs.follow_up} »" if totals[undated] else "") + ". Planifiés : au "
               "calendrier (proposés, publiés, confirmés ou tenus), sauf les annulés ; "
               f"confirmés : une date saisie dans « {config.tabs.follow_up} » ; tenus et "
               "annulés : marqués ainsi dans ce même onglet ; non placés : aucune demi-journée "
               "possible (la coordination en connaît la raison).",))


__all__ = ["OUTSIDE", "UNDATED", "calendar_rows", "calendar_tab", "half_day_text", "month_label",
           "status_of", "year_events_tab"]
