"""The hidden state tab: what the toolkit remembers from one sync to the next."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..ambassadors.sponsoring import Sponsorship
from ..cells.grid import GeneratedTab, OutCell
from ..config import CampaignView
from ..form.consolidate import Campaign
from ..form.sessions import (
    AFTERNOON,
    ANSWERS_HEADER,
    EVENTS_HEADER,
    MORNING,
    NO,
    PAIRINGS_HEADER,
    STATE_HEADER,
    YES,
    fingerprint,
    pseudonym,
)
from .marks import SharedCells, banner

if TYPE_CHECKING:
    from ..schoolyear.year import YearPlan

Row = tuple[OutCell, ...]


def _answers(campaign: Campaign) -> list[Row]:
    """Each answer's fingerprint and completeness, so the next sync can tell what changed."""
    return [(OutCell(s.key), OutCell(fingerprint(s.values)), OutCell(YES if s.answered else NO))
            for s in sorted(campaign.kept, key=lambda s: s.key) if s.key]


def _pairings(sponsorship: Sponsorship, today: dt.date) -> list[Row]:
    """The pairings published by this sync (ambassadors by pseudonym), each with the day it
    was first published."""
    classes, dates = SharedCells(), SharedCells("date")  # dates: dt.date only
    names: dict[str, OutCell] = {}  # an ambassador's pseudonym, hashed once
    yes, no = OutCell(YES), OutCell(NO)
    out: list[Row] = []
    for p in sponsorship.result.pairings:
        name = names.get(p.ambassador_id)
        if name is None:
            name = names[p.ambassador_id] = OutCell(pseudonym(p.ambassador_id))
        since = sponsorship.since(p.class_id, p.ambassador_id, today)
        out.append((classes[p.class_id], name, yes if p.confirmed else no,
                    dates[since] if type(since) is dt.date else OutCell(since, "date")))
    return out


def _events(year: YearPlan) -> list[Row]:
    """The temps forts published by this sync: where and when, who by pseudonym only."""
    return [(OutCell(e.class_id), OutCell(e.kind), OutCell(e.start.day, "date"),
             OutCell(AFTERNOON if e.start.afternoon else MORNING),
             OutCell(len(e.half_days), "integer"), OutCell(e.status),
             OutCell(" ".join(pseudonym(a) for a in e.attendees)))
            for e in year.plan.events]


def state_tab(config: CampaignView, campaign: Campaign, now: dt.datetime,
              sponsorship: Sponsorship | None = None,
              year: YearPlan | None = None) -> GeneratedTab:
    """The hidden tab where the toolkit remembers when each answer was first seen complete,
    each answer's fingerprint, the pairings and the temps forts it published
    (form/sessions.py reads it)."""
    rows: list[Row] = [(OutCell(key), OutCell(day, "date"), OutCell(name))
                       for key, day, name in campaign.state.rows()]
    rows += [(), tuple(OutCell(h) for h in ANSWERS_HEADER), *_answers(campaign)]
    if sponsorship is not None:
        rows += [(), tuple(OutCell(h) for h in PAIRINGS_HEADER),
                 *_pairings(sponsorship, now.date())]
    if year is not None:
        rows += [(), tuple(OutCell(h) for h in EVENTS_HEADER), *_events(year)]
    return GeneratedTab(
        name=config.tabs.state,
        banner=banner(now),
        title="Mémoire de sheets-sync : réponses vues, dates de complétude, parrainages publiés"
              + (", temps forts publiés" if year is not None else ""),
        header=STATE_HEADER,
        rows=tuple(rows),
        widths=(34, 34, 34, 16),
        hidden=True,
    )
