import datetime as dt
import random
from dataclasses import replace

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


def test_sorted_partial_row_above_complete() -> None:
    """Issue #13 item 8: a sort put a partial row above the complete one; the complete one
    is kept and the principal is told which row to delete, not the partial row's errors."""
    result = run(yes("Collège A", objectifs=None, theme=None), yes("Collège A"))
    partial, complete = result.schools
    assert (partial.status, complete.status) == (DUPLICATE, "complet")
    assert [(i.code, i.cell, i.severity) for i in partial.issues] == [
        ("doublon", "A2", "avertissement")]
    assert partial.issues[0].message == (
        "Doublon : supprimez la ligne 2 (réponse retenue pour « Collège A » : la ligne 3).")
    assert not [i for i in result.issues if i.severity == "erreur"]
    assert [s.row for s in result.kept] == [3]


def test_the_most_complete_answer_wins_before_the_latest_deposit() -> None:
    result = run(yes("Collège A", date_depot="01/07/2021"),
                 yes("Collège A", date_depot="10/07/2021", objectifs=None))
    assert [s.status for s in result.schools] == ["complet", DUPLICATE]


def test_with_as_many_errors_the_answer_with_more_fields_filled_wins() -> None:
    result = run(yes("Collège A", courriel="principal@exemple.fr"), yes("Collège A"))
    assert [s.status for s in result.schools] == ["complet", DUPLICATE]
    result = run(yes("Collège A"), yes("Collège A", courriel="principal@exemple.fr"))
    assert [s.status for s in result.schools] == [DUPLICATE, "complet"]


def test_without_dates_the_kept_answer_does_not_depend_on_the_row_order() -> None:
    one, other = yes("Collège A"), yes("Collège A", classes_4e=3)
    forward, backward = run(one, other), run(other, one)
    assert forward.kept[0].values == backward.kept[0].values
    assert forward.kept[0].row != backward.kept[0].row


def test_a_dropped_fiche_names_the_file_to_delete() -> None:
    found = read_table(table([yes("Collège A"), yes("Collège A", objectifs=None)]))
    assert found is not None
    schools = [replace(s, origin=f"v{n}.xlsx", row=None)
               for n, s in enumerate(check_answers(found.answers, Limits()), start=1)]
    result = consolidate(schools, (), EMPTY_STATE, SESSIONS, TODAY)
    (issue,) = result.schools[1].issues
    assert "supprimez le fichier « v2.xlsx »" in issue.message
    assert "le fichier « v1.xlsx »" in issue.message


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
missing = st.sampled_from([None, "objectifs", "theme", "courriel"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(names, dates, missing, st.integers(0, 3)), min_size=1, max_size=8),
       st.randoms())
def test_shuffling_rows_never_changes_the_kept_answers(rows, rnd: random.Random) -> None:
    """Whatever the order of the rows, each school keeps the same answer, the same status,
    session and issues (only rows and cells move)."""
    answers = [yes(n, date_depot=d, classes_4e=c, **({m: None} if m else {}))
               for n, d, m, c in rows]
    shuffled = answers[:]
    rnd.shuffle(shuffled)

    def summary(result):
        kept = sorted((s.key, s.status, s.session, repr(sorted(s.values.items())),
                       tuple(sorted(i.code for i in s.issues)))
                      for s in result.kept)
        dropped = sorted(s.key for s in result.schools if s.status == DUPLICATE)
        errors = len([i for i in result.issues if i.severity == "erreur"])
        return kept, dropped, errors, sorted(result.state.days.items())

    assert summary(run(*answers)) == summary(run(*shuffled))
