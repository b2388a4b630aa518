"""The hidden state tab: what the toolkit remembers from one sync to the next."""

from __future__ import annotations

import datetime as dt

from ..cells.grid import GeneratedTab, OutCell
from ..config import CampaignView
from ..form.consolidate import Campaign
from ..form.sessions import STATE_HEADER
from .marks import banner


def state_tab(config: CampaignView, campaign: Campaign, now: dt.datetime) -> GeneratedTab:
    """The hidden tab where the toolkit remembers when each answer was first seen complete."""
    rows = tuple((OutCell(key), OutCell(day, "date"), OutCell(name))
                 for key, day, name in campaign.state.rows())
    return GeneratedTab(
        name=config.tabs.state,
        banner=banner(now),
        title="Mémoire de sheets-sync : date à laquelle chaque réponse a été vue complète",
        header=STATE_HEADER,
        rows=rows,
        widths=(34, 16, 34),
        hidden=True,
    )
