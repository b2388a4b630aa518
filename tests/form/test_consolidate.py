import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.config import Limits, Session
from sheets_sync.form.check import DUPLICATE, check_answers
from sheets_sync.form.consolidate import consolidate
from sheets_sync.form.identity import Establishment
from sheets_sync.form.read import read_table
from sheets_sync.form.sessions import EMPTY_STATE, LATE, SeenComplete

from ..helpers import COMPLETE_NO, COMPLETE_YES, table

SESSIONS = (Session("S1", dt.date(2021, 7, 16)), Session("S2", dt.date(2021, 9, 10)))
TODAY = dt.date(2021, 7, 1)


def run(*answers, reference=(), state=EMPTY_STATE, today=TODAY):
    found = read_table(table(answers))
    assert found is not None
    return consolidate(check_answers(found.answers, Limits()), reference, state, SESSIONS, today)


def yes(name: str, **values: object) -> dict[str, object]:
    return {**COMPLETE_YES, "etablissement": name, **values}


def test_latest_deposit_wins_and_both_rows_are_named() -> None:
    result = run(yes("Collège A", date_depot="10/07/2021"), yes("Clg A", date_depot="01/07/2021"))
    first, second = result.schools
    assert (first.status, second.status) == ("complet", DUPLICATE)
    (issue,) = [i for i in second.issues if i.code == "doublon"]
    assert issue.cell == "A3" and "ligne 2" in issue.message and "ligne 3" in issue.message
    assert len(result.kept) == 1


def test_without_dates_the_lower_row_wins() -> None:
    result = run(yes("Collège A"), yes("Collège A", classes_4e=3))
    assert [s.status for s in result.schools] == [DUPLICATE, "complet"]


def test_unsure_match_is_not_merged() -> None:
    reference = [Establishment("Collège Jean-Lebas"), Establishment("Collège Jean Macé")]
    result = run(yes("Collège Jean"), reference=reference)
    (school,) = result.schools
    assert school.reference is None
    assert [(i.code, i.cell) for i in school.issues] == [("etablissement-incertain", "A2")]
    assert len(result.unanswered) == 2


def test_sure_match_takes_the_uai_as_identity_and_lists_the_unanswered() -> None:
    reference = [Establishment("Collège Jean-Lebas", "0590190L"), Establishment("Collège Muet")]
    result = run(yes("Clg J. Lebas"), yes("Lycée Inconnu"), reference=reference)
    known, unknown = result.schools
    assert (known.key, known.reference) == ("0590190L", "Collège Jean-Lebas")
    assert [i.code for i in unknown.issues] == ["etablissement-inconnu"]
    assert [e.name for e in result.unanswered] == ["Collège Muet"]


def test_sessions_by_deposit_date_or_first_seen_complete() -> None:
    state = SeenComplete({"ancien": dt.date(2021, 6, 1)}, {"ancien": "Collège Ancien"})
    result = run(
        yes("Collège Ancien"),  # remembered: seen complete on 1 June → S1
        yes("Collège Neuf"),  # seen complete today (1 July) → S1
        yes("Collège Daté", date_depot="2021-08-30"),  # → S2
        yes("Collège Tard", date_depot="11/09/2021"),  # → late
        yes("Collège Incomplet", objectifs=None),  # no date, not complete → none
        state=state, today=dt.date(2021, 7, 20),
    )
    assert [s.session for s in result.schools] == ["S1", "S2", "S2", LATE, None]
    assert result.state.days["ancien"] == dt.date(2021, 6, 1)
    assert result.state.days["neuf"] == dt.date(2021, 7, 20)
    assert "incomplet" not in result.state.days


def test_first_seen_day_never_moves() -> None:
    first = run(yes("Collège A"), today=dt.date(2021, 7, 10))
    again = run(yes("Collège A"), state=first.state, today=dt.date(2021, 9, 1))
    assert again.schools[0].session == "S1"
    assert again.state.days == first.state.days


def test_answers_no_count_as_answered_for_sessions() -> None:
    result = run(COMPLETE_NO)
    assert result.schools[0].session == "S1"


names = st.sampled_from(["Collège A", "Clg A", "Collège B", "Collège C", "Collège D"])
dates = st.one_of(st.none(), st.sampled_from(["2021-07-01", "2021-08-20", "2021-09-30"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(names, dates, st.booleans()), min_size=1, max_size=8), st.randoms())
def test_shuffling_rows_changes_only_rows_and_cells(rows, rnd: random.Random) -> None:
    answers = [yes(n, date_depot=d, objectifs=None if missing else "x")
               for n, d, missing in rows]
    shuffled = answers[:]
    rnd.shuffle(shuffled)

    def summary(result):
        kept = sorted((s.key, s.status, s.session, s.values.get("date_depot"),
                       tuple(sorted(i.code for i in s.issues if i.code != "doublon")))
                      for s in result.kept)
        return kept, sorted(result.state.days.items())

    a, b = summary(run(*answers)), summary(run(*shuffled))
    # Which duplicate wins may differ only when no date tells them apart.
    dated = {}
    for n, d, _ in rows:
        dated.setdefault(run(yes(n)).schools[0].key, []).append(d)
    ambiguous = {k for k, ds in dated.items() if len(ds) > 1 and
                 ds.count(max(ds, key=lambda x: x or "")) > 1}
    strip = lambda kept: [k for k in kept if k[0] not in ambiguous]  # noqa: E731
    assert strip(a[0]) == strip(b[0])
    assert [k[0] for k in a[0]] == [k[0] for k in b[0]]
