"""« Synthèse » (the figures partners read first), and every generated tab of a sync in order.

Every tab a partner or a principal may read (all but the coordinator tabs) has its text cells
masked (form/contacts): contact details typed in an answer never reach them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..ambassadors.sponsoring import Sponsorship
from ..cells.grid import CellValue, GeneratedTab, OutCell
from ..cells.layout import MAX_BARS, Plot, Table, lay_out
from ..config import CampaignView
from ..form.consolidate import Campaign
from ..form.contacts import mask_tab
from ..form.findings import Issue
from ..outreach.reminders import MessageTemplate, build_reminders, reminders_tab
from .choices import count_orientations
from .completeness import completeness_tab
from .figures import Figures, figure_lines, figures
from .journal import JournalEntry, journal_tab
from .marks import banner
from .memory import state_tab
from .sponsorship_tabs import classes_tab, equality_tab, mobilisation_tab, sponsorships_tab

if TYPE_CHECKING:
    from ..schoolyear.year import YearPlan

__all__ = ["Figures", "build_tabs", "coordinator_tabs", "figures", "summary_tab"]


def _line(label: str, value: CellValue, style: str = "integer") -> tuple[OutCell, ...]:
    return (OutCell(label), OutCell(value, style))


def _sponsor_lines(sponsorship: Sponsorship) -> list[tuple[OutCell, ...]]:
    figures = sponsorship.figures
    load = figures["load"]
    assert isinstance(load, dict)
    mobilised = sum(1 for n in load.values() if n)
    served = {p.class_id for p in sponsorship.result.pairings}

    def share(key: str) -> tuple[OutCell, ...]:
        value = figures[key]
        return _line(_SHARES[key], value if isinstance(value, float) else None, "percent")

    away = figures["away"]
    assert isinstance(away, tuple)
    return [
        _line("Ambassadeurs dans la liste", len(sponsorship.members)),
        _line("dont indisponibles cette année", len(away)),
        _line("Ambassadeurs mobilisés (au moins une classe)", mobilised),
        _line("Classes sans ambassadeur", sum(1 for c in sponsorship.classes
                                              if c.unit.id not in served)),
        share("women_share"), share("counter_stereotype_share"), share("growth_share"),
        share("local_share"),
    ]


_SHARES = {
    "women_share": "Part des parrainages par des femmes",
    "counter_stereotype_share": "Part des parrainages contre-stéréotypés",
    "growth_share": "Part des parrainages dans des métiers porteurs",
    "local_share": "Part des parrainages par des modèles locaux",
}


def summary_tab(config: CampaignView, campaign: Campaign, now: dt.datetime,
                sponsorship: Sponsorship | None = None) -> GeneratedTab:
    """« Synthèse »: the figures partners read first, and charts (cells/layout.py places the
    blocks one under the other and the charts at their right)."""
    f = figures(config, campaign)
    body: list[Table] = [Table(("Indicateur", "Valeur"),
                               tuple(_line(line.label, line.value, line.style)
                                     for line in figure_lines(f)), widths=(46, 16))]
    # each charted block has its header row naming the series right above its rows (Google
    # reads names there)
    sessions = Table(("Session", "Réponses"), tuple(_line(name, n) for name, n in f.per_session),
                     title="Réponses reçues par session")
    body.append(sessions)
    plots = [Plot("column", "Réponses reçues par session", sessions, (1,))]
    if config.sessions:
        body.append(Table(("Session", "Date limite"),
                          tuple(_line(s.name, s.deadline, "date")
                                for s in config.sessions), title="Dates limites"))
    if sponsorship is not None:
        body.append(Table(("Indicateur", "Valeur"), tuple(_sponsor_lines(sponsorship)),
                          title="Ambassadeurs et parrainages"))
    per_school = _classes_per_school(campaign)
    omitted: tuple[str, ...] = ()
    if per_school:
        schools = Table(("Établissement", "4ème", "3ème"),
                        tuple((OutCell(name), OutCell(n4, "integer"), OutCell(n3, "integer"))
                              for name, n4, n3 in per_school),
                        title="Classes volontaires par établissement")
        body.append(schools)
        if len(per_school) <= MAX_BARS:  # beyond, labels would be skipped: the table says it
            plots.append(Plot("bar", "Classes volontaires par établissement", schools, (1, 2)))
        else:
            omitted = (f"Classes volontaires par établissement : pas de graphique au-delà de "
                       f"{MAX_BARS} établissements (chaque nom n'y serait pas lisible) ; "
                       "le tableau donne chaque établissement.",)
    answers = [s.values["orientation"] for s in campaign.kept
               if s.participates and isinstance(s.values.get("orientation"), str)]
    themes = count_orientations(answers)
    several = sum(n for _, n in themes) > len(answers)  # some answers name two or more
    if themes:
        chosen = Table(("Orientation", "Établissements"),
                       tuple(_line(name, n) for name, n in themes),
                       title="Orientations choisies")
        body.append(chosen)
        if len(themes) > 1:  # a chart of one slice says nothing
            plots.append(Plot("bar" if several else "pie", "Orientations choisies", chosen,
                              (1,)))
    return lay_out(
        config.tabs.summary, banner(now),
        f"Synthèse — {config.name}" + (f" ({config.school_year})" if config.school_year else ""),
        body, plots,
        notes=("Réponses reçues = complètes (Oui sans erreur) + « Non » + incomplètes ; une "
               "réponse « Non » est une réponse, pas une participation.",
               "Les classes sont comptées pour les établissements qui participent (Oui), "
               "même si leur réponse est encore incomplète. Les doublons ne sont pas comptés.",
               "Session : d'après la « Date de dépôt », sinon le jour où la réponse a été vue "
               "complète pour la première fois.",
               "Orientations : chaque réponse est rangée parmi les orientations proposées par "
               "l'annexe qu'elle cite, sinon dans « Autre »"
               + (" ; un établissement qui en cite plusieurs compte dans chacune." if several
                  else "."), *omitted),
    )


def _classes_per_school(campaign: Campaign) -> list[tuple[str, int, int]]:
    out = []
    for s in campaign.kept:
        n4, n3 = s.values.get("classes_4e"), s.values.get("classes_3e")
        if s.participates and (isinstance(n4, int) or isinstance(n3, int)):
            out.append((s.name or "(sans nom)", n4 if isinstance(n4, int) else 0,
                        n3 if isinstance(n3, int) else 0))
    return out


def build_tabs(config: CampaignView, campaign: Campaign, sponsorship: Sponsorship,
               now: dt.datetime, templates: tuple[MessageTemplate, MessageTemplate],
               journal: Sequence[JournalEntry] = (),
               source_issues: Sequence[Issue] = (),
               year: YearPlan | None = None) -> list[GeneratedTab]:
    """Every generated tab of a sync, in the order they appear in the workbook.

    `source_issues`: what is wrong with the workbook itself (a tab not read, text typed
    outside the answers), shown to principals in « Complétude ». `year`: the school year's
    plan (« Calendrier », « Temps forts », « Bilan de l'année »), None when none is planned.
    """
    reminders = build_reminders(config, campaign.kept, campaign.unanswered, templates,
                                now.date())
    mark = banner(now)
    tabs = [
        summary_tab(config, campaign, now, sponsorship),
        completeness_tab(config, campaign, now, source_issues=source_issues),
        classes_tab(config, sponsorship, mark),
        mobilisation_tab(config, sponsorship, mark),
        equality_tab(config, sponsorship, mark),
        *(_year_partner_tabs(config, year, sponsorship, mark) if year is not None else ()),
        sponsorships_tab(config, sponsorship, mark),
        *((_calendar_tab(config, year, mark),) if year is not None else ()),
        reminders_tab(config, reminders, mark),
        journal_tab(config, journal, mark),
        state_tab(config, campaign, now, sponsorship, year),
    ]
    private = set(coordinator_tabs(config))
    return [t if t.name in private else mask_tab(t) for t in tabs]


def _year_partner_tabs(config: CampaignView, year: YearPlan, sponsorship: Sponsorship,
                       mark: str) -> list[GeneratedTab]:
    """« Temps forts », then « Bilan de l'année » (dashboards/year_review.py)."""
    from .year_review import year_review_tab  # a year planned: not every campaign has one
    from .year_tabs import year_events_tab

    return [year_events_tab(config, year, mark),
            year_review_tab(config, year, sponsorship, mark)]


def _calendar_tab(config: CampaignView, year: YearPlan, mark: str) -> GeneratedTab:
    """« Calendrier » (dashboards/year_tabs.py), for the coordination."""
    from .year_tabs import calendar_tab

    return calendar_tab(config, year, mark)


def coordinator_tabs(config: CampaignView) -> tuple[str, ...]:
    """Tabs only coordinators read, where contact data is expected: they are not masked."""
    t = config.tabs
    return (t.sponsorships, t.calendar, t.reminders, t.journal, t.state)
