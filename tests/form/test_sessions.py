import datetime as dt

from sheets_sync.cells.grid import Grid
from sheets_sync.config import Session
from sheets_sync.form.sessions import EMPTY_STATE, LATE, STATE_HEADER, read_state, session_for

SESSIONS = (Session("S1", dt.date(2021, 7, 16)), Session("S2", dt.date(2021, 9, 10)))


def test_deadlines_are_inclusive() -> None:
    assert session_for(dt.date(2021, 7, 16), SESSIONS) == "S1"
    assert session_for(dt.date(2021, 7, 17), SESSIONS) == "S2"
    assert session_for(dt.date(2021, 9, 11), SESSIONS) == LATE
    assert session_for(None, SESSIONS) is None


def state_grid(first_cell: str, *rows: tuple[object, ...]) -> Grid:
    return Grid("sheets-sync (état)", ((first_cell,), ("titre",), (), STATE_HEADER, *rows),
                sheet="sheets-sync (état)")  # type: ignore[arg-type]


def test_state_is_read_back_from_its_tab() -> None:
    grid = state_grid("Généré par sheets-sync le …", ("essais", dt.datetime(2021, 7, 2), "Essais"),
                      ("ancien", "2021-06-01", None), ("", dt.date(2021, 1, 1), "x"),
                      ("sans-date", "n'importe quoi", "x"))
    state = read_state([grid], "sheets-sync (état)")
    assert state.days == {"essais": dt.date(2021, 7, 2), "ancien": dt.date(2021, 6, 1)}
    assert state.names == {"essais": "Essais", "ancien": ""}


def test_a_tab_that_is_not_ours_is_no_state() -> None:
    grid = state_grid("Saisi à la main", ("essais", dt.date(2021, 7, 2), "Essais"))
    assert read_state([grid], "sheets-sync (état)") == EMPTY_STATE
    assert read_state([], "sheets-sync (état)") == EMPTY_STATE


def test_updated_keeps_known_days() -> None:
    state = EMPTY_STATE.updated({"a": "A"}, dt.date(2021, 7, 1))
    state = state.updated({"a": "A", "b": "B"}, dt.date(2021, 8, 1))
    assert state.rows() == [("a", dt.date(2021, 7, 1), "A"), ("b", dt.date(2021, 8, 1), "B")]
