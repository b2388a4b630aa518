"""The calamine .xlsx reader sorts errors as the openpyxl one does (tests/backends/files/
test_damage.py): the machine's errors go through, a damaged file defers to openpyxl, whose
refusal (« endommagé (BadZipFile) ») is the message the user always got."""

from __future__ import annotations

from typing import Any

import openpyxl
import pytest

from sheets_sync.backends import excel
from sheets_sync.backends.excel import xlsx_read
from sheets_sync.errors import SourceError

from ..files.test_damage import FILE, HOSTILE, MACHINE, raiser


@pytest.mark.parametrize("exc", MACHINE, ids=lambda e: type(e).__name__)
def test_calamine_path_lets_the_machine_s_errors_through(monkeypatch: pytest.MonkeyPatch,
                                                         exc: BaseException) -> None:
    monkeypatch.setattr(xlsx_read, "_read", raiser(exc))
    monkeypatch.setattr(openpyxl, "load_workbook", raiser(AssertionError("not reached")))
    with pytest.raises(type(exc)):
        excel.read_workbook(HOSTILE / "campagne.xlsx")


@pytest.mark.parametrize("exc", FILE, ids=lambda e: type(e).__name__)
def test_calamine_path_defers_damage_to_openpyxl(monkeypatch: pytest.MonkeyPatch,
                                                 exc: Exception) -> None:
    seen: list[Any] = []

    def damaged(*args: object, **kwargs: object) -> Any:
        seen.append(args)
        raise exc

    monkeypatch.setattr(xlsx_read, "_read", damaged)
    monkeypatch.setattr(openpyxl, "load_workbook", raiser(exc))
    with pytest.raises(SourceError, match=r"campagne\.xlsx est endommagé .*\(" +
                       type(exc).__name__):
        excel.read_workbook(HOSTILE / "campagne.xlsx")
    assert len(seen) == 1


def test_a_good_workbook_never_reaches_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpyxl, "load_workbook", raiser(AssertionError("openpyxl used")))
    assert excel.read_workbook(HOSTILE / "campagne.xlsx").grids
