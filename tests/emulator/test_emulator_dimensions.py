"""What a principal's hand does to a sheet, in the emulator: insert, delete, move, sort.

Formulas, validations' and conditional formats' custom formulas, protected ranges and merges
follow the cells as in Google Sheets (`emulator/dimensions.py`); the real gspread client sends
the requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gspread
import pytest
from gspread.exceptions import APIError
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.cells.a1 import column_letters
from sheets_sync.emulator import LoopbackSession, SheetsEmulator, refs
from sheets_sync.emulator.batch import apply_batch
from sheets_sync.emulator.dimensions import deletion, insertion, movement, sort_key
from sheets_sync.emulator.store import Store


def _everywhere(_name: str | None) -> bool:
    return True


def insert(formula: str, at: int, n: int = 1, rows: bool = False) -> str:
    change = insertion(at, n)
    return refs.remap(formula, _everywhere, rows, change.index, change.span)


def delete(formula: str, at: int, n: int = 1, rows: bool = False) -> str:
    change = deletion(at, n)
    return refs.remap(formula, _everywhere, rows, change.index, change.span)


# --- references (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "at", "expected"),
    [
        # a column inserted at F (index 5): F and after move right, ranges across grow
        ('=AND($D2="Oui";LEN(TRIM(G2))=0)', 5, '=AND($D2="Oui";LEN(TRIM(H2))=0)'),
        ("=COUNTA($A2:$O2)", 5, "=COUNTA($A2:$P2)"),
        ("=COUNTA($A2:$O2)", 15, "=COUNTA($A2:$O2)"),  # just after the range: unchanged
        ("=SUM(F:G)+E1", 5, "=SUM(G:H)+E1"),
        # text, function names that look like cells, and absolute parts
        ('=IF(G2="G2";LOG10(G2);$G$2)', 5, '=IF(H2="G2";LOG10(H2);$H$2)'),
        ("='Réponses'!G2&Réponses!A1", 5, "='Réponses'!H2&Réponses!A1"),
    ],
)
def test_inserted_columns_move_references(formula: str, at: int, expected: str) -> None:
    assert insert(formula, at) == expected


def test_deleted_columns_shrink_ranges_and_break_lost_cells() -> None:
    assert delete("=SUM(A1:E1)+C1+$D$2+F1", 2, 2) == "=SUM(A1:C1)+#REF!+#REF!+D1"
    assert delete("=SUM(C1:D1)", 2, 2) == "=SUM(#REF!)"


def test_references_to_another_tab_follow_only_that_tab() -> None:
    change = insertion(0, 1)

    def on_answers(name: str | None) -> bool:
        return name == "Réponses"

    got = refs.remap("=A1+Réponses!A1+'Autre'!A1", on_answers, False, change.index, change.span)
    assert got == "=A1+Réponses!B1+'Autre'!A1"


def test_moved_rows_and_copied_formulas() -> None:
    move = movement(4, 5, 1)  # row 5 moved above row 2
    assert refs.remap("=A5+A2", _everywhere, True, move.index, move.span) == "=A2+A3"
    assert refs.offset("=A5*2+$B$5+C$5+$D5", -3) == "=A2*2+$B$5+C$5+$D2"
    assert refs.offset("=A2", -2) == "=#REF!"


_CELLS = st.tuples(st.booleans(), st.integers(0, 40), st.booleans(), st.integers(0, 400))


def _ref(col_abs: bool, col: int, row_abs: bool, row: int) -> str:
    return f"{'$' if col_abs else ''}{column_letters(col + 1)}{'$' if row_abs else ''}{row + 1}"


@given(
    st.lists(st.tuples(_CELLS, st.none() | _CELLS), min_size=1, max_size=6),
    st.integers(0, 45),
    st.integers(1, 5),
    st.booleans(),
)
def test_insert_then_delete_gives_the_formula_back(
    parts: list[tuple[Any, Any]], at: int, n: int, rows: bool
) -> None:
    formula = (
        "="
        + "+".join(_ref(*a) if b is None else f"SUM({_ref(*a)}:{_ref(*b)})" for a, b in parts)
        + '&"A1:B2"'
    )
    canonical = refs.remap(formula, _everywhere, rows, lambda p: p, lambda a, b: (a, b))
    assert delete(insert(canonical, at, n, rows), at, n, rows) == canonical


@given(st.lists(_CELLS, min_size=1, max_size=6), st.integers(-5, 5))
def test_copying_down_then_up_gives_the_formula_back(cells: list[Any], by: int) -> None:
    formula = "=" + "+".join(_ref(c, col, r, row + 5) for c, col, r, row in cells)
    assert refs.offset(refs.offset(formula, by), -by) == formula


# --- through gspread ------------------------------------------------------------------------


@pytest.fixture
def emu() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as server:
        yield server


@pytest.fixture
def gc(emu: SheetsEmulator) -> gspread.Client:
    return gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]


def _laid_out(emu: SheetsEmulator, gc: gspread.Client) -> tuple[str, gspread.Worksheet]:
    """Nom, Classes, Total (=B*2) for three schools; validation, highlight, protections."""
    key = emu.create_spreadsheet("Essai", {"T": [["Nom", "Classes", "Total"]]})
    sh = gc.open_by_key(key)
    ws = sh.worksheet("T")
    ws.update(
        [  # typed: the formulas are formulas
            ["Collège Zola", 3, "=B2*2"],
            ["collège Ader", 1, "=B3*2"],
            ["", "", "=B4*2"],
            ["Collège Émile", 2, "=B5*2"],
        ],
        "A2",
        raw=False,
    )
    sid = ws.id
    answers = {
        "sheetId": sid,
        "startRowIndex": 1,
        "endRowIndex": 5,
        "startColumnIndex": 1,
        "endColumnIndex": 2,
    }
    custom = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "=B2<=20"}]}
    sh.batch_update(
        {
            "requests": [
                {"setDataValidation": {"range": answers, "rule": {"condition": custom}}},
                {
                    "addConditionalFormatRule": {
                        "index": 0,
                        "rule": {
                            "ranges": [answers],
                            "booleanRule": {"condition": custom, "format": {"bold": True}},
                        },
                    }
                },
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": {
                                "sheetId": sid,
                                "startRowIndex": 0,
                                "endRowIndex": 1,
                                "startColumnIndex": 0,
                                "endColumnIndex": 3,
                            },
                            "description": "En-tête",
                            "warningOnly": True,
                        }
                    }
                },
            ]
        }
    )
    return key, ws


def test_sort_orders_rows_blanks_last_and_formulas_follow(
    emu: SheetsEmulator, gc: gspread.Client
) -> None:
    key, ws = _laid_out(emu, gc)
    ws.sort((1, "asc"), range="A2:C5")
    tab = emu.spreadsheet(key).tab("T")
    assert tab.values("FORMULA")[1:] == [
        ["collège Ader", 1, "=B2*2"],  # case and accents ignored
        ["Collège Émile", 2, "=B3*2"],
        ["Collège Zola", 3, "=B4*2"],
        ["", "", "=B5*2"],  # the blank name goes last
    ]
    ws.sort((2, "des"), range="A2:C5")
    assert [r[0] for r in emu.spreadsheet(key).tab("T").values()[1:]] == [
        "Collège Zola",
        "Collège Émile",
        "collège Ader",
        "",
    ]


def test_inserted_column_moves_formulas_validations_formats_and_protections(
    emu: SheetsEmulator, gc: gspread.Client
) -> None:
    key, ws = _laid_out(emu, gc)
    ws.insert_cols([["Ajoutée"]], col=2, inherit_from_before=True)
    tab = emu.spreadsheet(key).tab("T")
    assert tab.values("FORMULA")[1] == ["Collège Zola", "", 3, "=C2*2"]
    assert tab.cells[(1, 2)]["dataValidation"]["condition"]["values"] == [
        {"userEnteredValue": "=C2<=20"}
    ]
    assert "dataValidation" not in tab.cells.get((1, 1), {})
    rule = tab.conditional_formats[0]
    assert (rule["ranges"][0]["startColumnIndex"], rule["ranges"][0]["endColumnIndex"]) == (2, 3)
    assert rule["booleanRule"]["condition"]["values"][0]["userEnteredValue"] == "=C2<=20"
    header = tab.protected_ranges[0]["range"]
    assert (header["startColumnIndex"], header["endColumnIndex"]) == (0, 4)  # it grew
    assert tab.cols == 27  # 26 columns, one more


def test_column_inserted_inside_a_validated_run_gets_its_validation(
    emu: SheetsEmulator, gc: gspread.Client
) -> None:
    key = emu.create_spreadsheet("Essai", {"T": [["a", "b"]]})
    sh = gc.open_by_key(key)
    ws = sh.worksheet("T")
    rule = {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "Oui"}]}}
    sh.batch_update(
        {
            "requests": [
                {
                    "setDataValidation": {
                        "range": {
                            "sheetId": ws.id,
                            "startRowIndex": 1,
                            "endRowIndex": 2,
                            "startColumnIndex": 0,
                            "endColumnIndex": 2,
                        },
                        "rule": rule,
                    }
                }
            ]
        }
    )
    ws.insert_cols([[""]], col=2, inherit_from_before=True)
    tab = emu.spreadsheet(key).tab("T")
    assert [tab.cells[(1, c)]["dataValidation"] for c in range(3)] == [rule] * 3


def test_deleted_column_shrinks_ranges_and_breaks_references(
    emu: SheetsEmulator, gc: gspread.Client
) -> None:
    key, ws = _laid_out(emu, gc)
    ws.delete_columns(2)
    tab = emu.spreadsheet(key).tab("T")
    assert tab.values("FORMULA")[1] == ["Collège Zola", "=#REF!*2"]
    assert tab.conditional_formats == []  # all its cells are gone
    header = tab.protected_ranges[0]["range"]
    assert (header["startColumnIndex"], header["endColumnIndex"]) == (0, 2)


def test_rows_inserted_deleted_and_moved(emu: SheetsEmulator, gc: gspread.Client) -> None:
    key, ws = _laid_out(emu, gc)
    ws.insert_rows([["Collège Neuf", 4, "=B2*2"]], row=2)
    tab = emu.spreadsheet(key).tab("T")
    assert tab.values("FORMULA")[2] == ["Collège Zola", 3, "=B3*2"]
    assert tab.cells[(2, 1)]["dataValidation"]["condition"]["values"][0] == {
        "userEnteredValue": "=B3<=20"
    }
    rule = tab.conditional_formats[0]["ranges"][0]
    assert (rule["startRowIndex"], rule["endRowIndex"]) == (2, 6)
    ws.delete_rows(2)
    assert emu.spreadsheet(key).tab("T").values("FORMULA")[1] == ["Collège Zola", 3, "=B2*2"]
    gc.open_by_key(key).batch_update(
        {
            "requests": [
                {
                    "moveDimension": {
                        "source": {
                            "sheetId": ws.id,
                            "dimension": "ROWS",
                            "startIndex": 4,
                            "endIndex": 5,
                        },
                        "destinationIndex": 1,
                    }
                }
            ]
        }
    )
    moved = emu.spreadsheet(key).tab("T").values("FORMULA")
    assert [r[0] for r in moved[1:]] == ["Collège Émile", "Collège Zola", "collège Ader", ""]
    assert moved[1][2] == "=B2*2" and moved[2][2] == "=B3*2"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            {
                "sortRange": {
                    "range": {"sheetId": 0, "startColumnIndex": 0, "endColumnIndex": 2},
                    "sortSpecs": [{"dimensionIndex": 2}],
                }
            },
            "dimensionIndex",
        ),
        (
            {
                "insertDimension": {
                    "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
                    "inheritFromBefore": True,
                }
            },
            "inherit",
        ),
        (
            {"deleteDimension": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0}}},
            "delete all",
        ),
        (
            {
                "moveDimension": {
                    "source": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 4},
                    "destinationIndex": 2,
                }
            },
            "destinationIndex",
        ),
    ],
)
def test_impossible_requests_are_400_and_change_nothing(
    emu: SheetsEmulator, gc: gspread.Client, request_: dict[str, Any], message: str
) -> None:
    key = emu.create_spreadsheet("Essai", {"Sheet1": [["b", "=A1"], ["a"]]})
    before = emu.spreadsheet(key).tab("Sheet1").values("FORMULA")
    with pytest.raises(APIError, match=message):
        gc.open_by_key(key).batch_update({"requests": [request_]})
    assert emu.spreadsheet(key).tab("Sheet1").values("FORMULA") == before


_SORTABLE = st.one_of(
    st.none(), st.integers(-5, 5), st.booleans(), st.text(alphabet="abAÉé ", max_size=3)
)


@given(st.lists(_SORTABLE, min_size=1, max_size=12), st.booleans())
def test_sort_keeps_every_row_and_puts_them_in_order(values: list[Any], descending: bool) -> None:
    """Whatever the values, a sort only reorders rows: none lost, blanks last, keys ordered."""
    rows = [["" if v is None else v, i] for i, v in enumerate(values)]
    book = Store(0).create("Essai", {"T": rows})
    apply_batch(
        book,
        {
            "requests": [
                {
                    "sortRange": {
                        "range": {
                            "sheetId": book.sheets[0].sheet_id,
                            "startRowIndex": 0,
                            "endRowIndex": len(rows),
                            "startColumnIndex": 0,
                            "endColumnIndex": 2,
                        },
                        "sortSpecs": [
                            {
                                "dimensionIndex": 0,
                                "sortOrder": "DESCENDING" if descending else "ASCENDING",
                            }
                        ],
                    }
                }
            ]
        },
    )
    sheet = book.sheets[0]
    after = [
        [sheet.cells.get((r, c), {}).get("userEnteredValue") for c in (0, 1)]
        for r in range(len(rows))
    ]
    before = [[book_value(v), {"numberValue": i}] for v, i in rows]
    assert sorted(map(repr, after)) == sorted(map(repr, before))
    keys = [sort_key(sheet, r, 0) for r in range(len(rows))]
    filled = [k for k in keys if k is not None]
    assert keys[: len(filled)] == filled  # blanks last
    assert filled == sorted(filled, reverse=descending)


def book_value(value: Any) -> dict[str, Any] | None:
    """How the emulator stores a plain value written by `Store.create`."""
    if value == "":
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"numberValue": value}
    return {"stringValue": value}
