"""The demo's fictional year: « Suivi de l'année » as the coordination and the collèges would
have filled it by mid-year, so that `sheets-sync demo` shows « Calendrier », « Temps forts »
and « Bilan de l'année » with something to read.

    first sync ──► YearPlan ──► demo_follow_up_rows ──► the tab, created ──► second sync
                   (the plan)   (tenu / confirmé / …)   (follow_up backend)

Mid-year means the tab as typed on `as_of`: when half of the immersions have taken place, or
the sync's day if earlier (nothing is ever marked held before it happens). What took place before
is « tenu » on its planned day (one immersion « annulé »); what comes after is « à venir »,
or « confirmé » for every other immersion; half of the fiches métiers handed in, a few
portraits published (links under example.org, reserved for examples). Everything is
fictional, as the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..backends import excel
from ..config import Config
from ..schoolyear.tracking import FIELDS
from ..schoolyear.year import YearPlan

TITLES = ("Technicienne de maintenance", "Développeur web", "Aide-soignant",
          "Logisticienne", "Électricien du bâtiment", "Data analyste",
          "Conductrice de travaux", "Infirmier", "Soudeuse", "Chargé d'affaires énergie")


def demo_follow_up_rows(year: YearPlan, productions: Sequence[str]) -> list[tuple[str, ...]]:
    """Rows in FIELDS order, one per class and temps fort (its planned day when held or
    confirmed), then one per production; classes in school and label order."""
    events = {e.key: e for e in year.plan.events}
    kinds = [k.name for k in year.kinds]
    as_of = as_of_day(year)
    classes = sorted(year.classes, key=lambda c: (year.names.schools.get(c.school, c.school),
                                                  year.names.classes.get(c.class_id, "")))
    rows: list[tuple[str, ...]] = []
    for i, cls in enumerate(classes):
        school = year.names.schools.get(cls.school, cls.school)
        label = year.names.classes.get(cls.class_id, cls.class_id)

        def row(kind: str, state: str, day: str = "", title: str = "", link: str = "",
                comment: str = "", *, school: str = school, label: str = label,
                class_id: str = cls.class_id) -> tuple[str, ...]:
            return (school, label, class_id, kind, title, state, day, link, comment)

        for order, kind in enumerate(kinds):
            event = events.get((cls.class_id, kind))
            day = event.start.day.strftime("%d/%m/%Y") if event else ""
            if event is None:
                rows.append(row(kind, "à venir"))
            elif order == 1 and i == 4:
                rows.append(row(kind, "annulé", day, comment="Reporté : l'entreprise n'a pas "
                                "pu accueillir la classe ce jour-là."))
            elif event.start.day < as_of:
                rows.append(row(kind, "tenu", day))
            elif order == 1 and i % 2 == 1:
                rows.append(row(kind, "confirmé", day))
            else:
                rows.append(row(kind, "à venir"))
        title = TITLES[i % len(TITLES)]
        for kind in productions:
            link = f"https://example.org/proch-orientation/{cls.class_id}/{kind.replace(' ', '-')}"
            if kind == "fiche métier":
                rows.append(row(kind, "remise" if i % 2 == 0 else "en cours",
                                title=f"Fiche métier : {title}"))
            elif kind == "portrait" and i % 4 == 0:
                rows.append(row(kind, "publiée", title=f"Portrait : {title}", link=link))
            elif kind == "portrait" and i % 4 == 1:
                rows.append(row(kind, "en cours", title=f"Portrait : {title}"))
            else:
                rows.append(row(kind, "à venir"))
    assert all(len(r) == len(FIELDS) for r in rows)
    return rows


def as_of_day(year: YearPlan) -> dt.date:
    """The day the demo's « Suivi de l'année » is typed as of: when half of the second temps
    fort's events (the immersions) have taken place, never after the sync's day."""
    kinds = [k.name for k in year.kinds]
    middle = kinds[min(1, len(kinds) - 1)] if kinds else ""
    days = sorted(e.start.day for e in year.plan.events if e.kind == middle)
    return min(year.today, days[len(days) // 2]) if days else year.today


def fill_demo_year(config: Config, year: YearPlan | None) -> int:
    """Create the demo's « Suivi de l'année » filled at mid-year; the rows written (0 when the
    demo plans no year or the tab already exists: nothing typed is ever replaced)."""
    from ..backends.excel import follow_up_write
    from ..follow_up import follow_up_workbook, productions_of, typed_tab
    from ..schoolyear.tracking import placed

    path = follow_up_workbook(config)
    if year is None or config.schoolyear is None or path is None:
        return 0
    book = excel.read_workbook(path, limits=config.reading) if Path(path).exists() else None
    tab = config.tabs.follow_up
    if book is not None and any((g.sheet or g.tab) == tab for g in book.grids):
        return 0
    rows = demo_follow_up_rows(year, productions_of(config))
    follow_up_write.add_rows(path, typed_tab(tab, tuple(k.name for k in year.kinds)),
                             placed(rows, ()), backup=None,
                             expected_fingerprint=book.fingerprint if book else None)
    return len(rows)
