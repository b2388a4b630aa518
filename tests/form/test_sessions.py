import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.cells.grid import Grid
from sheets_sync.config import Limits, Session
from sheets_sync.form.check import check_answers
from sheets_sync.form.consolidate import consolidate
from sheets_sync.form.read import read_table
from sheets_sync.form.sessions import (
    ANSWERS_HEADER,
    EMPTY_STATE,
    LATE,
    PAIRINGS_HEADER,
    STATE_HEADER,
    Previous,
    Published,
    fingerprint,
    read_previous,
    read_state,
    session_for,
)

from ..helpers import COMPLETE_YES, table

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


MARK = "Généré par sheets-sync le …"


def test_answers_and_pairings_blocks_are_read_back_and_do_not_leak_into_the_days() -> None:
    grid = state_grid(MARK, ("essais", dt.date(2021, 7, 2), "Essais"), (),
                      ANSWERS_HEADER, ("essais", "3f2a1c09e4b71234", "oui"),
                      ("canal", "0000aaaa0000aaaa", "non"), (),
                      PAIRINGS_HEADER, ("essais-4e1", "nadia-benali-3f2a1c", "oui", "2021-10-04"),
                      ("essais-3e1", "karim-roussel-a01b22", "non", dt.datetime(2021, 10, 5)),
                      ("essais-3e2", "sans-date", "non", None))
    assert read_state([grid], "sheets-sync (état)").days == {"essais": dt.date(2021, 7, 2)}
    assert read_previous([grid], "sheets-sync (état)") == Previous(
        {"essais": ("3f2a1c09e4b71234", True), "canal": ("0000aaaa0000aaaa", False)},
        (Published("essais-4e1", "nadia-benali-3f2a1c", True, dt.date(2021, 10, 4)),
         Published("essais-3e1", "karim-roussel-a01b22", False, dt.date(2021, 10, 5))))


def test_an_old_state_tab_without_blocks_reads_as_nothing_published() -> None:
    grid = state_grid(MARK, ("essais", dt.date(2021, 7, 2), "Essais"))
    assert read_previous([grid], "sheets-sync (état)") == Previous()
    assert read_previous([state_grid("Saisi à la main", (), PAIRINGS_HEADER,
                                     ("a-4e1", "x", "non", "2021-10-04"))],
                         "sheets-sync (état)") == Previous()
    assert read_previous([], "sheets-sync (état)") == Previous()


values = st.dictionaries(st.sampled_from(["etablissement", "classes_4e", "participation",
                                          "date", "theme"]),
                         st.one_of(st.none(), st.booleans(), st.integers(), st.text(),
                                   st.dates()))


@given(values)
def test_fingerprint_depends_on_values_not_on_their_order(answer: dict[str, object]) -> None:
    reordered = dict(reversed(list(answer.items())))
    assert fingerprint(reordered) == fingerprint(answer)
    assert len(fingerprint(answer)) == 16
    if answer:
        key = next(iter(answer))
        assert fingerprint({**answer, key: ["autre"]}) != fingerprint(answer)


def test_blank_deposit_date_is_never_late_by_first_sync_date() -> None:
    """Bug (#14): an answer without « Date de dépôt », first synced after the last deadline,
    was « Hors délai » judged by the day of the first sync; that day proves no lateness."""
    after = dt.date(2021, 11, 2)
    assert session_for(after, SESSIONS) == LATE  # a typed date after the deadlines: late
    assert session_for(after, SESSIONS, typed=False) == "S2"  # first seen then: last session
    assert session_for(dt.date(2021, 7, 1), SESSIONS, typed=False) == "S1"
    assert session_for(None, SESSIONS, typed=False) is None


@given(st.dates(), st.booleans())
def test_only_a_typed_date_makes_an_answer_late(day: dt.date, typed: bool) -> None:
    session = session_for(day, SESSIONS, typed=typed)
    assert (session == LATE) == (typed and day > SESSIONS[-1].deadline)
    assert session in {s.name for s in SESSIONS} | {LATE}


def test_first_sync_after_the_deadlines_places_undated_answers_in_a_session() -> None:
    """Bug (#14), through consolidate: the first sync runs in November; the undated answer is
    in the last session, the one dated after the deadline is late."""
    rows = ({**COMPLETE_YES, "etablissement": "Collège Sans Date"},
            {**COMPLETE_YES, "etablissement": "Collège Tard", "date_depot": "12/09/2021"},
            {**COMPLETE_YES, "etablissement": "Collège Tôt", "date_depot": "01/07/2021"})
    found = read_table(table(rows))
    assert found is not None
    result = consolidate(check_answers(found.answers, Limits()), (), EMPTY_STATE, SESSIONS,
                         dt.date(2021, 11, 2))
    assert [s.session for s in result.schools] == ["S2", LATE, "S1"]
