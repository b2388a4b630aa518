"""A re-sync reads back only the generated tabs it needs (state, journal), not its own output."""

from __future__ import annotations

import datetime as dt

from sheets_sync import sync
from sheets_sync.backends import excel
from sheets_sync.cells.grid import is_generated
from sheets_sync.pull import remembered

from ...conftest import MakeCampaign
from ...helpers import COMPLETE_NO, COMPLETE_YES


def test_generated_tabs_are_skimmed_except_state_and_journal(
    make_campaign: MakeCampaign,
) -> None:
    config = make_campaign((COMPLETE_YES, {**COMPLETE_YES, "etablissement": "Collège B"},
                            COMPLETE_NO))
    sync(config, now=dt.datetime(2021, 7, 1, 9))
    whole = {g.sheet: g for g in excel.read_workbook(config.source).grids}
    skimmed = {g.sheet: g for g in excel.read_workbook(
        config.source, keep_generated=remembered(config)).grids}
    assert whole.keys() == skimmed.keys()
    generated = {name for name, g in whole.items() if g.rows and is_generated(g.rows[0][0])}
    assert {config.tabs.completeness, config.tabs.summary, config.tabs.state,
            config.tabs.journal} <= generated
    for name, grid in whole.items():
        if name in generated and name not in remembered(config):
            assert len(grid.rows) > 1 and len(skimmed[name].rows) == 1, name
            assert skimmed[name].rows[0][0] == grid.rows[0][0]
        else:  # inputs and the remembered tabs: read whole
            assert skimmed[name].rows == grid.rows, name


def test_a_resync_still_remembers_sessions_and_extends_the_journal(
    make_campaign: MakeCampaign,
) -> None:
    config = make_campaign()
    first = sync(config, now=dt.datetime(2021, 7, 1, 9))
    second = sync(config, now=dt.datetime(2021, 9, 20, 9))
    assert len(second.check.journal) == len(first.check.journal) + 1
    # the session remembered from the first day, though the second sync is past its deadline
    assert [s.session for s in second.check.campaign.kept] == [
        s.session for s in first.check.campaign.kept]


def test_the_graft_handed_our_titles_gives_the_same_package(make_campaign: MakeCampaign) -> None:
    """The write hands the graft the titles it already found; the result must not change."""
    import io
    import zipfile

    from sheets_sync.backends.excel.generated_tabs import generated_parts
    from sheets_sync.backends.excel.graft import graft
    from sheets_sync.backends.excel.render import render_package
    from sheets_sync.dashboards.overview import build_tabs
    from sheets_sync.outreach.texts import reminder_templates
    from sheets_sync.sync import check_source

    config = make_campaign()
    now = dt.datetime(2021, 7, 1, 9)
    sync(config, now=now)
    data = config.source.read_bytes()
    checked = check_source(config, today=now.date())
    tabs = build_tabs(config, checked.campaign, checked.sponsorship, now,
                      reminder_templates(config))
    rendered, hidden = render_package(tabs), [t.hidden for t in tabs]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        ours = {title for title, generated in generated_parts(zf).items() if generated}
    assert config.tabs.summary in ours and config.tabs.answers not in ours
    assert graft(data, rendered, hidden, generated=ours) == graft(data, rendered, hidden)


def test_a_skimmed_tab_read_whole_later_is_the_tab_read_whole(
    make_campaign: MakeCampaign,
) -> None:
    """« Parrainages » is skimmed at a re-sync; `read_tab` reads it whole from the same bytes,
    as a whole read would, through calamine and through openpyxl alike."""
    from sheets_sync.backends.excel.openpyxl_read import read_grids_openpyxl
    from sheets_sync.config import ReadLimits
    from sheets_sync.starter.fictional import demo_roster

    config = make_campaign((COMPLETE_YES, {**COMPLETE_YES, "etablissement": "Collège B"}),
                           roster=demo_roster(size=8))
    sync(config, now=dt.datetime(2021, 7, 1, 9))
    title = config.tabs.sponsorships
    whole = {g.sheet: g for g in excel.read_workbook(config.source).grids}
    book = excel.read_workbook(config.source, keep_generated=remembered(config))
    skim = next(g for g in book.grids if g.sheet == title)
    assert len(skim.rows) == 1 and len(whole[title].rows) > 2
    assert excel.read_tab(book, title) == whole[title]
    assert excel.read_tab(book, "Absent") is None
    state = excel.read_tab(book, config.tabs.state)  # read whole already: the same grid
    assert state is next(g for g in book.grids if g.sheet == config.tabs.state)
    alone = read_grids_openpyxl(config.source.name, config.source.read_bytes(), None,
                                ReadLimits(), (title,), only=title)
    assert alone == (whole[title],)
