"""The guard counts <row> and <si> in large parts with a cheap bound first (issue #16): the
bound never refuses a part whose exact count is within the limits, and the refusals stay
what they were."""

from __future__ import annotations

import io
import zipfile

import pytest

from sheets_sync.backends.files.package_guard import XLSX, inspect_zip
from sheets_sync.config import ReadLimits
from sheets_sync.errors import SourceError

HEAD = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>')
LIMITS = ReadLimits(max_ratio=1_000_000, max_cells=2_000_000)


def _package(body: str, times: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        book.writestr("xl/worksheets/sheet1.xml",
                      HEAD + body * times + "</sheetData></worksheet>")
    return out.getvalue()


def test_longer_names_passing_the_bound_are_not_rows() -> None:
    """1,100,000 « <rowItems/> » and « <sig/> »: past both limits by the bound, none by the
    exact count."""
    data = _package("<rowItems/><sig/><x:sign/>", 1_100_000)
    assert inspect_zip("lisible.xlsx", data, LIMITS) == XLSX


@pytest.mark.parametrize(("body", "says"), [
    ("<row/>", "1\u202f048\u202f576 lignes"),
    ('<x:row r="1">\n</x:row>', "1\u202f048\u202f576 lignes"),
    ("<si><t>a</t></si>", "cellules_max"),
])
def test_tags_past_a_limit_are_refused(body: str, says: str) -> None:
    with pytest.raises(SourceError) as refused:
        inspect_zip("trop.xlsx", _package(body, 2_100_000), LIMITS)
    assert says in str(refused.value)
