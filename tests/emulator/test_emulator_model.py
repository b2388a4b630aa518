"""The emulator's pure parts: ranges, field masks, typed input, formulas, public API."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sheets_sync.emulator as emulator
from sheets_sync.emulator.cells import evaluate, extended_value, render
from sheets_sync.emulator.errors import ApiError
from sheets_sync.emulator.fields import apply_mask, parse_fields, select
from sheets_sync.emulator.ranges import Span, echo, parse_cells, quote_title, split_range
from sheets_sync.emulator.store import Store


def test_exported_members() -> None:
    assert emulator.__all__ == [
        "EMULATOR_HOST_VARIABLE",
        "ApiError",
        "LoggedRequest",
        "LoopbackSession",
        "Sheet",
        "SheetsEmulator",
        "Spreadsheet",
        "emulator_url",
        "serve",
    ]
    for name in emulator.__all__:
        assert getattr(emulator, name) is not None


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("B2", Span(1, 1, 1, 1, anchor=True)),
        ("B2:D4", Span(1, 1, 3, 3)),
        ("D4:B2", Span(1, 1, 3, 3)),
        ("A:A", Span(0, 0, None, 0)),
        ("C", Span(0, 2, None, 2)),
        ("2:3", Span(1, 0, 2, None)),
        ("A2:C", Span(1, 0, None, 2)),
        ("$A$1:$B$2", Span(0, 0, 1, 1)),
    ],
)
def test_parse_cells(text: str, span: Span) -> None:
    assert parse_cells(text) == span


@pytest.mark.parametrize("text", ["", ":", "A0", "1A", "ZZZZ1", "A1:"])
def test_unparsable_ranges_are_400(text: str) -> None:
    with pytest.raises(ApiError) as err:
        parse_cells(text)
    assert err.value.code == 400


def test_split_and_quote_titles() -> None:
    assert split_range("'L''école'!A1") == ("L'école", "A1")
    assert split_range("'Mon onglet'") == ("Mon onglet", None)
    assert split_range("Réponses!A1:B2") == ("Réponses", "A1:B2")
    assert split_range("A1:B2") == (None, "A1:B2")
    assert [quote_title(t) for t in ("Sheet1", "Réponses", "Mon onglet", "A1", "2021", "L'é")] == [
        "Sheet1",
        "Réponses",
        "'Mon onglet'",
        "'A1'",
        "'2021'",
        "'L''é'",
    ]


@given(
    st.text(min_size=1, max_size=20).filter(lambda t: t.strip() == t and "\x00" not in t),
    st.integers(0, 999),
    st.integers(0, 25),
    st.integers(1, 1000),
    st.integers(1, 26),
)
def test_echo_reads_back_as_the_same_rectangle(
    title: str, r0: int, c0: int, h: int, w: int
) -> None:
    row_end, col_end = min(r0 + h, 1000), min(c0 + w, 26)
    got_title, cells = split_range(echo(title, r0, c0, row_end, col_end))
    assert got_title == title
    assert cells is not None
    assert parse_cells(cells).clip(1000, 26) == (r0, c0, row_end, col_end)


def test_field_masks() -> None:
    tree = parse_fields("userEnteredFormat(backgroundColor,textFormat.bold),note")
    assert tree == {
        "userEnteredFormat": {"backgroundColor": {}, "textFormat": {"bold": {}}},
        "note": {},
    }
    target = {
        "note": "old",
        "userEnteredFormat": {"textFormat": {"bold": True, "italic": True}, "wrapStrategy": "WRAP"},
    }
    apply_mask(target, {"userEnteredFormat": {"backgroundColor": {"red": 1}}}, tree)
    assert target == {
        "userEnteredFormat": {
            "textFormat": {"italic": True},
            "wrapStrategy": "WRAP",
            "backgroundColor": {"red": 1},
        }
    }
    assert parse_fields("gridProperties/rowCount") == {"gridProperties": {"rowCount": {}}}
    assert select(
        {"sheets": [{"properties": {"title": "A"}, "charts": []}]},
        parse_fields("sheets.properties"),
    ) == {"sheets": [{"properties": {"title": "A"}}]}
    with pytest.raises(ApiError):
        parse_fields("a(b")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", {"numberValue": 12}),
        ("-1.5e1", {"numberValue": -15}),
        ("true", {"boolValue": True}),
        ("'=1+1", {"stringValue": "=1+1"}),
        ("=1+1", {"formulaValue": "=1+1"}),
        ("2021-02-30", {"stringValue": "2021-02-30"}),
        ("Collège", {"stringValue": "Collège"}),
    ],
)
def test_user_entered_parsing(typed: str, stored: dict[str, object]) -> None:
    assert extended_value(typed, True, "v")[0] == stored


def test_raw_input_never_makes_formulas_and_percent_gets_a_format() -> None:
    for text in ("=1+1", "+33", "-2", "@x", "\t=x"):
        assert extended_value(text, False, "v") == ({"stringValue": text}, None)
    assert extended_value("12.5%", True, "v") == (
        {"numberValue": 0.125},
        {"type": "PERCENT", "pattern": "0.0%"},
    )
    assert extended_value("", True, "v") == (None, None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=5,
)


@given(json_values, st.booleans())
def test_any_json_value_is_stored_or_refused_with_400(value: object, user: bool) -> None:
    try:
        stored, _ = extended_value(value, user, "values[0][0]")
    except ApiError as err:
        assert err.code == 400
        return
    cell = {"userEnteredValue": stored} if stored else None
    for option in ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"):
        render(cell, option, "SERIAL_NUMBER")


def test_formulas_evaluate_arithmetic_only() -> None:
    assert evaluate("=4/2") == 2
    assert evaluate("=(1+2)^2") == 9
    assert evaluate("=-3/2") == -1.5
    assert evaluate("=1/0") == {
        "errorValue": {
            "type": "DIVIDE_BY_ZERO",
            "message": "Function DIVIDE parameter 2 cannot be zero.",
        }
    }
    assert (
        render({"userEnteredValue": {"formulaValue": "=1/0"}}, "UNFORMATTED_VALUE", "SERIAL_NUMBER")
        == "#DIV/0!"
    )
    assert evaluate("=SUM(A1:A3)") == "=SUM(A1:A3)"
    assert evaluate("=9^9^9") == "=9^9^9"


def test_store_ids_and_errors() -> None:
    store = Store(seed=1)
    book = store.create("Classeur")
    assert [(s.sheet_id, s.title, s.rows, s.cols) for s in book.sheets] == [(0, "Sheet1", 1000, 26)]
    assert len(book.spreadsheet_id) == 44
    assert Store(seed=1).create("Classeur").spreadsheet_id == book.spreadsheet_id
    store.private.add("secret")
    for key, code in (("secret", 403), ("absent", 404)):
        with pytest.raises(ApiError) as err:
            store.get(key)
        assert err.value.code == code
