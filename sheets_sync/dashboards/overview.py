"""« Synthèse » (the figures partners read first), and every generated tab of a sync in order."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..ambassadors.sponsoring import Sponsorship
from ..cells.grid import CellValue, Chart, GeneratedTab, OutCell, Series
from ..config import CampaignView
from ..form.check import INCOMPLETE
from ..form.consolidate import Campaign
from ..form.sessions import LATE
from ..outreach.reminders import MessageTemplate, build_reminders, reminders_tab
from .completeness import completeness_tab
from .journal import JournalEntry, journal_tab
from .marks import banner, session_label
from .memory import state_tab
from .sponsorship_tabs import classes_tab, equality_tab, mobilisation_tab, sponsorships_tab


@dataclass(frozen=True)
class Figures:
    """The campaign at a glance (duplicates left out)."""

    answered: int
    taking_part: int
    not_taking_part: int
    undecided: int
    classes_4e: int
    classes_3e: int
    complete: int
    incomplete: int
    expected: int | None
    unanswered: int
    per_session: tuple[tuple[str, int], ...]

    @property
    def classes(self) -> int:
        return self.classes_4e + self.classes_3e


def figures(config: CampaignView, campaign: Campaign) -> Figures:
    """Count answers and classes; classes count only for schools taking part."""
    schools = campaign.kept
    taking = [s for s in schools if s.participates is True]

    def total(key: str) -> int:
        return sum(v for s in taking if isinstance(v := s.values.get(key), int))

    sessions = [s.name for s in config.sessions] + [LATE]
    per_session = tuple((session_label(name), sum(1 for s in schools if s.session == name))
                        for name in sessions)
    expected = len({s.key for s in schools} | {e.key for e in campaign.unanswered})
    return Figures(
        answered=len(schools),
        taking_part=len(taking),
        not_taking_part=sum(1 for s in schools if s.participates is False),
        undecided=sum(1 for s in schools if s.participates is None),
        classes_4e=total("classes_4e"),
        classes_3e=total("classes_3e"),
        complete=sum(1 for s in schools if s.answered),
        incomplete=sum(1 for s in schools if s.status == INCOMPLETE),
        expected=expected if campaign.unanswered or any(s.reference for s in schools) else None,
        unanswered=len(campaign.unanswered),
        per_session=per_session,
    )


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

    return [
        _line("Ambassadeurs dans la liste", len(sponsorship.members)),
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
    """« Synthèse »: the figures partners read first, and charts."""
    f = figures(config, campaign)
    share = f.complete / f.answered if f.answered else 0.0
    rows: list[tuple[OutCell, ...]] = [_line("Établissements ayant répondu", f.answered)]
    if f.expected is not None:
        rows += [_line("Établissements attendus (liste de référence)", f.expected),
                 _line("Établissements sans réponse", f.unanswered)]
    rows += [
        _line("Participent (Oui)", f.taking_part),
        _line("Ne participent pas (Non)", f.not_taking_part),
        _line("Réponse Oui/Non manquante ou illisible", f.undecided),
        _line("Classes de 4ème volontaires", f.classes_4e),
        _line("Classes de 3ème volontaires", f.classes_3e),
        _line("Classes volontaires (total)", f.classes),
        _line("Réponses complètes", f.complete),
        _line("Réponses incomplètes", f.incomplete),
        _line("Part des réponses complètes", share, "percent"),
    ]
    # each charted block has a row naming its series right above it (Google reads names there)
    rows.append((OutCell("Réponses complètes par session", "title"), OutCell("Réponses", "title")))
    session_row = GeneratedTab.FIRST_DATA_ROW + len(rows)
    rows += [_line(name, n) for name, n in f.per_session]
    rows += [_line(f"Date limite — {s.name}", s.deadline, "date") for s in config.sessions]
    if sponsorship is not None:
        rows += _sponsor_lines(sponsorship)
    charts = [Chart("column", "Réponses complètes par session", session_row,
                    session_row + len(f.per_session) - 1, 1, (Series("Réponses", 2),), "D4")]
    per_school = _classes_per_school(campaign)
    if per_school:
        block = GeneratedTab.FIRST_DATA_ROW + len(rows) + 1
        rows.append((OutCell("Classes volontaires par établissement", "title"),
                     OutCell("4ème", "title"), OutCell("3ème", "title")))
        rows += [(OutCell(name), OutCell(n4, "integer"), OutCell(n3, "integer"))
                 for name, n4, n3 in per_school]
        charts.append(Chart("bar", "Classes volontaires par établissement", block,
                            block + len(per_school) - 1, 1,
                            (Series("4ème", 2), Series("3ème", 3)), "D22"))
    themes = Counter(s.values["orientation"] for s in campaign.kept
                     if s.participates and isinstance(s.values.get("orientation"), str))
    if themes:
        block = GeneratedTab.FIRST_DATA_ROW + len(rows) + 1
        rows.append((OutCell("Orientations choisies", "title"),
                     OutCell("Établissements", "title")))
        rows += [_line(name, n) for name, n in themes.most_common()]
        charts.append(Chart("pie", "Orientations choisies", block, block + len(themes) - 1, 1,
                            (Series("Établissements", 2),), "D40"))
    return GeneratedTab(
        name=config.tabs.summary,
        banner=banner(now),
        title=f"Synthèse — {config.name}"
        + (f" ({config.school_year})" if config.school_year else ""),
        header=("Indicateur", "Valeur", ""),
        rows=tuple(rows),
        widths=(46, 16, 10),
        charts=tuple(charts),
        notes=("Les classes sont comptées pour les établissements qui participent (Oui), "
               "même si leur réponse est encore incomplète. Les doublons ne sont pas comptés.",),
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
               journal: Sequence[JournalEntry] = ()) -> list[GeneratedTab]:
    """Every generated tab of a sync, in the order they appear in the workbook."""
    reminders = build_reminders(config, campaign.kept, campaign.unanswered, templates,
                                now.date())
    mark = banner(now)
    return [
        summary_tab(config, campaign, now, sponsorship),
        completeness_tab(config, campaign, now),
        classes_tab(config, sponsorship, mark),
        mobilisation_tab(config, sponsorship, mark),
        equality_tab(config, sponsorship, mark),
        sponsorships_tab(config, sponsorship, mark),
        reminders_tab(config, reminders, mark),
        journal_tab(config, journal, mark),
        state_tab(config, campaign, now),
    ]
