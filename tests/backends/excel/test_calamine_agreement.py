"""The calamine reader of .xlsx/.xlsm agrees with the previous openpyxl reader (issue #16).

Every workbook under tests/data (the Excel-made and awkward ones of ../shared/reference among
them) is read by both; the grids must be equal value for value and type for type, with the
same tab names, order and hidden flags. No difference is left: a date cell reads as a
`datetime` at midnight with both (calamine's `date` is converted), an error as `CellError`,
an empty string as "" and a formula's empty result as None.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_sync.backends import excel
from sheets_sync.backends.excel import xlsx_read
from sheets_sync.backends.excel.openpyxl_read import read_grids_openpyxl
from sheets_sync.cells.grid import CellError, Grid
from sheets_sync.config import ReadLimits
from sheets_sync.errors import SourceError

DATA = Path(__file__).resolve().parents[2] / "data"
WORKBOOKS = sorted(p for p in DATA.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm"))
LIMITS = ReadLimits()
# not workbooks at all (an .xls, a text, a lock file renamed, an encrypted package): both
# readers refuse them, calamine's defers to openpyxl, whose message stays
NOT_READ = {"excel-97-file-renamed.xlsx", "notes.xlsx", "~$college-du-canal.xlsx",
            "text-file-renamed.xlsx", "zip-without-a-workbook.xlsx", "protege.xlsx"}


def typed(grids: tuple[Grid, ...]) -> list[Any]:
    return [(g.tab, g.sheet, g.origin, g.hidden,
             [[(type(v).__name__, v) for v in row] for row in g.rows]) for g in grids]


def both(name: str, data: bytes, keep: tuple[str, ...] | None = None) -> tuple[Any, Any]:
    new = xlsx_read.read_grids(name, data, None, LIMITS, keep)
    assert new is not None, f"{name}: calamine deferred to openpyxl"
    return typed(read_grids_openpyxl(name, data, None, LIMITS, keep)), typed(new)


def test_the_reference_workbooks_are_all_here() -> None:
    names = {p.name for p in WORKBOOKS}
    for folder in ("excel-made", "awkward"):
        shared = DATA / "reference" / folder
        assert len(list(shared.glob("*.xls*"))) >= 9
    assert {"tablib__bad_dimensions.xlsx", "frictionless__issue-1024.xlsx", "macro01.xlsm",
            "chartsheet01.xlsx", "rich_string01.xlsx"} <= names
    assert len(WORKBOOKS) >= 120


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(DATA)))
def test_same_grids_as_openpyxl(path: Path) -> None:
    data = path.read_bytes()
    if path.name in NOT_READ:
        assert xlsx_read.read_grids(path.name, data, None, LIMITS, None) is None
        with pytest.raises(SourceError):
            excel.read_workbook(path)
        return
    old, new = both(path.name, data)
    assert new == old
    assert typed(excel.read_workbook(path).grids) == old


@pytest.mark.parametrize("path", [p for p in WORKBOOKS if p.name not in NOT_READ][:40],
                         ids=lambda p: p.name)
def test_same_grids_when_generated_tabs_are_skimmed(path: Path) -> None:
    old, new = both(path.name, path.read_bytes(), keep=())
    assert new == old


# --- cells calamine reads otherwise, set right by the scan ---------------------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def xlsx(*sheets: str, strings: list[str] | None = None, hidden: int | None = None,
         styles: str | None = None) -> bytes:
    """A minimal package of the given sheetData bodies (tabs « T1 », « T2 »…)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{CT}.worksheet+xml"/>'
            for n in range(1, len(sheets) + 1))
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            f'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.'
            f'main+xml"/>{overrides}'
            + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"'
               "/>" if strings is not None else "")
            + (f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>'
               if styles is not None else "") + "</Types>"))
        book.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        tabs = "".join(
            f'<sheet name="T{n}" sheetId="{n}" r:id="rId{n}"'
            + (' state="hidden"' if hidden == n else "") + "/>"
            for n in range(1, len(sheets) + 1))
        book.writestr("xl/workbook.xml", (
            f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL}"><sheets>{tabs}</sheets>'
            "</workbook>"))
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1))
        if strings is not None:
            rels += f'<Relationship Id="rS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            items = "".join(f"<si><t>{s}</t></si>" if s else "<si><t/></si>" for s in strings)
            book.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {NS}>{items}</sst>')
        if styles is not None:
            rels += f'<Relationship Id="rT" Type="{REL}/styles" Target="styles.xml"/>'
            book.writestr("xl/styles.xml", f'<?xml version="1.0"?><styleSheet {NS}>{styles}'
                          "</styleSheet>")
        book.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{rels}</Relationships>'))
        for n, body in enumerate(sheets, start=1):
            book.writestr(f"xl/worksheets/sheet{n}.xml", (
                f'<?xml version="1.0"?><worksheet {NS}><sheetData>{body}</sheetData>'
                "</worksheet>"))
    return out.getvalue()


DATES = ('<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts>'
         '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
         '<xf numFmtId="164" applyNumberFormat="1"/></cellXfs>')


def test_awkward_cells_read_as_openpyxl_read_them() -> None:
    """Errors, empty strings (inline and shared), formulas without or with an empty cached
    value, booleans, « 3.0 » and « 1E3 », an integer past 2**53, escapes, rich text, dates."""
    row = ('<row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_b_x005F_x000D_</t></is></c>'
           '<c r="B1" t="inlineStr"><is><t/></is></c><c r="C1" t="s"><v>1</v></c>'
           '<c r="D1" t="str"><f>X()</f><v></v></c><c r="E1"><f>1+1</f></c>'
           '<c r="F1" t="b"><v>1</v></c><c r="G1" t="e"><v>#N/A</v></c>'
           '<c r="H1"><v>3.0</v></c><c r="I1"><v>1E3</v></c><c r="J1"><v>2.5</v></c>'
           '<c r="K1"><v>12345678901234567890</v></c><c r="L1" t="inlineStr"><is><r><t>x</t>'
           '</r><r><t>y</t></r></is></c><c r="M1" t="s"><v>0</v></c>'
           '<c r="N1" s="1"><v>44393</v></c><c r="O1" s="2"><v>44393.5</v></c>'
           '<c r="P1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="Q1"><v>7</v></c></row>'
           '<row r="3"><c r="B3" t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c></row>')
    data = xlsx(row, strings=["Collège", "", "ligne 1\nligne 2"], styles=DATES)
    blank = xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>  </t>'
                 '</is></c></row>', strings=[" "])
    assert both("blancs.xlsx", blank) == 2 * ([("T1", "T1", "blancs.xlsx", False,
                                                [[("str", " "), ("str", "  ")]])],)
    old, new = both("cellules.xlsx", data)
    assert new == old
    cells = dict(zip("ABCDEFGHIJKLMNOPQ", [v for _, v in old[0][4][0]], strict=True))
    assert cells["A"] == "a\rb_x000D_" and cells["B"] == "" and cells["C"] == ""
    assert cells["D"] is None and cells["E"] is None and cells["F"] is True
    assert cells["G"] == CellError("#N/A") and cells["P"] == CellError("#DIV/0!")
    assert type(cells["H"]) is float and type(cells["I"]) is float and type(cells["Q"]) is int
    assert cells["K"] == 12345678901234567890 and cells["L"] == "xy"
    assert cells["N"] == dt.datetime(2021, 7, 16) and type(cells["N"]) is dt.datetime
    assert cells["O"] == dt.datetime(2021, 7, 16, 12, 0)


def test_hidden_tabs_and_order() -> None:
    data = xlsx('<row r="1"><c r="A1"><v>1</v></c></row>', "",
                '<row r="2"><c r="B2"><v>2</v></c></row>', hidden=2)
    old, new = both("onglets.xlsx", data)
    assert new == old
    assert [(t[1], t[3]) for t in new] == [("T1", False), ("T2", True), ("T3", False)]


@pytest.mark.parametrize("body", [
    '<row><c><v>1</v></c></row><row><c t="inlineStr"><is><t>x</t></is></c></row>',  # no refs
    '<row r="1"><c r="A1"><v>1</v></c></row>\0',  # not XML
    '<row r="1"><c r="A1"><v>1</v></c><<<>>></row>',
])
def test_unusual_sheets_go_to_openpyxl(body: str) -> None:
    data = xlsx(body)
    assert xlsx_read.read_grids("x.xlsx", data, None, LIMITS, None) is None


def test_formatted_cells_far_away_do_not_count() -> None:
    """A formatted empty cell at XFD1048576 holds nothing: calamine places nothing there."""
    body = ('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="XFD1" s="0"/></row>'
            '<row r="1048576"><c r="A1048576" s="0"/></row>')
    old, new = both("loin.xlsx", xlsx(body))
    assert new == old and new[0][4] == [[("str", "x")]]


def test_a_far_filled_cell_is_measured_before_calamine_allocates() -> None:
    """One cell at row 99 999, column ALL: calamine would build 99 999 x 1 000 cells; the scan
    sees it first and openpyxl refuses the file with its message."""
    body = ('<row r="1"><c r="A1"><v>1</v></c><c r="ALL1"><v>3</v></c></row>'
            '<row r="99999"><c r="A99999"><v>2</v></c></row>')
    data = xlsx(body)
    assert xlsx_read.read_grids("x.xlsx", data, None, LIMITS, None) is None
    with pytest.raises(SourceError, match="cellules_max"):
        read_grids_openpyxl("x.xlsx", data, None, LIMITS, None)


CELL = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
    st.sampled_from(["", "=", "#N/A", "_x000D_", "a\nb", " "]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, max_size=5), max_size=6))
def test_any_grid_written_by_openpyxl_reads_the_same(rows: list[list[Any]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c).value = value
                if isinstance(value, str):
                    sheet.cell(r, c).data_type = "s"  # « = » typed as text, not a formula
    out = io.BytesIO()
    book.save(out)
    old, new = both("hypothese.xlsx", out.getvalue())
    assert new == old


@pytest.mark.parametrize("pad", [19, 20, 21, 31, 32, 33, 40])
def test_a_cell_cut_by_the_first_chunk_is_not_taken_for_an_unnumbered_one(pad: int) -> None:
    """Bug found at 650 schools: a « <c » or « <row » at the end of the first 64 KiB read
    looked like one without reference, and the whole workbook went to openpyxl (5 to 25
    times slower). These paddings put one at the cut (40: none, for contrast)."""
    first = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"y" * pad}</t></is></c></row>'
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 3000))
    data = xlsx(first + rows)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        head = book.read("xl/worksheets/sheet1.xml")[: 1 << 16]
    assert (xlsx_read._UNNUMBERED.search(head) is not None) == (pad != 40)
    old, new = both("frontiere.xlsx", data)
    assert new == old
