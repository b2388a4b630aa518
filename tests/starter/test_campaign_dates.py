"""Issue #14: `init` writes the school year and deadlines of the campaign being set up, not
the demo's 2021 ones; a weekend deadline moves to the Friday before."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.config import load_config
from sheets_sync.starter.campaign import (
    campaign_config_text,
    default_config_text,
    init_campaign,
)
from sheets_sync.starter.config_text import SESSION_DAYS, campaign_dates, open_day

TODAY = dt.date(2026, 12, 3)  # injected: the tests never read the clock


def deadlines(today: dt.date) -> list[dt.date]:
    return [s.deadline for s in campaign_dates(today)[1]]


def test_the_2021_call_gives_its_own_dates() -> None:
    assert campaign_dates(dt.date(2021, 3, 1))[0] == "2021-2022"
    assert deadlines(dt.date(2021, 3, 1)) == [dt.date(2021, 7, 16), dt.date(2021, 9, 10)]


def test_after_the_last_deadline_the_campaign_is_next_years() -> None:
    assert campaign_dates(TODAY)[0] == "2027-2028"
    assert deadlines(TODAY) == [dt.date(2027, 7, 16), dt.date(2027, 9, 10)]
    assert campaign_dates(dt.date(2026, 9, 10))[0] == "2026-2027"  # a Thursday: still ahead
    assert campaign_dates(dt.date(2026, 9, 11))[0] == "2027-2028"


def test_weekend_deadlines_move_to_the_friday_before() -> None:
    # 16/07/2022 and 10/09/2022 are Saturdays; 10/09/2023 is a Sunday
    assert deadlines(dt.date(2022, 1, 1)) == [dt.date(2022, 7, 15), dt.date(2022, 9, 9)]
    assert deadlines(dt.date(2023, 1, 1))[1] == dt.date(2023, 9, 8)
    # on Saturday 10/09/2022 the moved deadline (Friday 9) has passed: next year's campaign
    assert campaign_dates(dt.date(2022, 9, 10))[0] == "2023-2024"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_the_campaign_is_the_first_whose_deadlines_are_ahead(today: dt.date) -> None:
    year, sessions = campaign_dates(today)
    first = int(year[:4])
    assert year == f"{first}-{first + 1}" and first in (today.year, today.year + 1)
    days = [s.deadline for s in sessions]
    assert today <= days[-1] and days == sorted(days)
    assert all(d.weekday() < 5 for d in days)  # never a Saturday or a Sunday
    for day, (_, month, nominal) in zip(days, SESSION_DAYS, strict=True):
        assert 0 <= (dt.date(first, month, nominal) - day).days <= 2
    if first > today.year:  # this year's campaign is over
        assert open_day(dt.date(today.year, *SESSION_DAYS[-1][1:])) < today


def test_init_writes_this_campaigns_dates_in_config_and_templates(tmp_path: Path) -> None:
    """Bug (#14): `init` wrote the demo's 2021 dates; every answer was then « Hors délai »."""
    folder = tmp_path / "campagne"
    init_campaign(folder, today=TODAY)
    text = (folder / "config.toml").read_text(encoding="utf-8")
    assert 'annee_scolaire = "2027-2028"' in text
    assert "date_limite = 2027-07-16" in text and "date_limite = 2027-09-10" in text
    prose = text.replace("\n# ", " ")
    assert "samedi ou un dimanche est avancée au vendredi précédent" in prose
    assert "2021" not in text
    config = load_config(folder / "config.toml")
    assert config.school_year == "2027-2028"
    assert [s.deadline for s in config.sessions] == [dt.date(2027, 7, 16), dt.date(2027, 9, 10)]
    for name in ("modele-tableau.xlsx", "modele-fiche.xlsx"):
        guide = " ".join(str(c.value) for row in
                         openpyxl.load_workbook(folder / name)["Mode d'emploi"].iter_rows()
                         for c in row if c.value)
        assert "16/07/2027" in guide and "10/09/2027" in guide and "2027-2028" in guide
        assert "2021" not in guide


def test_config_texts_stay_valid_and_commented() -> None:
    for text in (default_config_text(), campaign_config_text(), campaign_config_text(TODAY)):
        data = tomllib.loads(text)
        assert data["source"]["chemin"] == "reponses.xlsx"
        assert text.count("\n# ") > 50  # every key is explained
    assert "[coordination]" not in default_config_text()
    assert tomllib.loads(campaign_config_text(TODAY))["coordination"] == {
        "classeur": "coordination.xlsx"}
    # other tests edit these lines: each appears once
    for line in ('type = "excel"', 'chemin = "reponses.xlsx"', "[onglets]",
                 "onglets_dans_la_source = true"):
        assert default_config_text().count(line) == 1, line
    for key in ("taille_max_mo", "lignes_max", "cellules_max"):
        assert len(re.findall(rf"(?m)^{key} = ", default_config_text())) == 1
