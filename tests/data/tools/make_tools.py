"""Build the workbooks of this folder, each saved by the tool its name says.

The same content every time: a « Réponses » tab (the annex n°1 header and two answers) and
a « Notes » tab. What differs is how each tool lays out the package XML, which is what the
graft must cope with (tests/backends/excel/test_tools_workbooks.py). Run from the repository
root (see README.md in this folder)::

    .venv/bin/python -m tests.data.tools.make_tools              # without lxml, + LibreOffice
    PYTHONPATH=/tmp/lxml .venv/bin/python -m tests.data.tools.make_tools --lxml

`--lxml` needs lxml importable (`pip install --target /tmp/lxml lxml`; it is kept out of the
project's environment because openpyxl changes how it writes when lxml is installed) and
writes only the workbooks whose name says « lxml ». Every school here is fictional.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import openpyxl.xml
import pandas as pd
import xlsxwriter

from ...helpers import COMPLETE_NO, COMPLETE_YES, HEADER, KEYS

HERE = Path(__file__).resolve().parent
WHEN = dt.datetime(2021, 6, 1, 9, 0)
ROWS = [[answer.get(k) for k in KEYS] for answer in (COMPLETE_YES, COMPLETE_NO)]
NOTES = [["Note", "Auteur"], ["Relancer le collège du Refus", "Alice"]]


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        pd.DataFrame(ROWS, columns=list(HEADER)),
        pd.DataFrame(NOTES[1:], columns=NOTES[0]),
    )


def by_openpyxl(path: Path) -> None:
    book = openpyxl.Workbook()
    answers = book.active
    assert answers is not None
    answers.title = "Réponses"
    for row in [list(HEADER), *ROWS]:
        answers.append(row)
    notes = book.create_sheet("Notes")
    for row in NOTES:
        notes.append(row)
    book.properties.created = book.properties.modified = WHEN
    book.save(path)


def by_pandas(path: Path, engine: str) -> None:
    answers, notes = _frames()
    with pd.ExcelWriter(path, engine=engine) as writer:
        answers.to_excel(writer, sheet_name="Réponses", index=False)
        notes.to_excel(writer, sheet_name="Notes", index=False)
        if engine == "openpyxl":
            writer.book.properties.created = writer.book.properties.modified = WHEN
        else:
            writer.book.set_properties({"created": WHEN})


def by_xlsxwriter(path: Path) -> None:
    book = xlsxwriter.Workbook(path)
    book.set_properties({"created": WHEN})
    for title, rows in (("Réponses", [list(HEADER), *ROWS]), ("Notes", NOTES)):
        sheet = book.add_worksheet(title)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()


def by_libreoffice(source: Path, path: Path) -> None:
    """`source` opened and saved again as .xlsx by LibreOffice (headless)."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder / "out"),
             str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        shutil.move(folder / "out" / f"{source.stem}.xlsx", path)


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MS = "http://schemas.microsoft.com/office/spreadsheetml"
# The root declarations of a workbook saved by Excel for Microsoft 365 (2024), attribute for
# attribute; the absPath, revision and window uids are made up.
EXCEL_BOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="{MC}" \
mc:Ignorable="x15 xr xr6 xr10 xr2" xmlns:x15="{MS}/2010/11/main" \
xmlns:xr="{MS}/2014/revision" xmlns:xr6="{MS}/2016/revision6" \
xmlns:xr10="{MS}/2016/revision10" xmlns:xr2="{MS}/2015/revision2">\
<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="28010"/>\
<workbookPr defaultThemeVersion="202300"/><mc:AlternateContent xmlns:mc="{MC}">\
<mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\principal\\Documents\\" \
xmlns:x15ac="{MS}/2010/11/ac"/></mc:Choice></mc:AlternateContent>\
<xr:revisionPtr revIDLastSave="0" documentId="13_ncr:1_{{0B7C1A52-3E2D-4F7B-9C61-2D5E8A4B1F30}}" \
xr6:coauthVersionLast="47" xr6:coauthVersionMax="47" \
xr10:uidLastSave="{{00000000-0000-0000-0000-000000000000}}"/><bookViews>\
<workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15720" \
activeTab="1" xr2:uid="{{5F1E4C8D-6A2B-4E3F-8D7C-1B9A0E2F3C4D}}"/></bookViews><sheets>\
<sheet name="Réponses" sheetId="1" r:id="rId1"/><sheet name="Notes" sheetId="2" r:id="rId2"/>\
</sheets><calcPr calcId="191029"/><extLst><ext uri="{{140A7094-0E35-4892-8432-C4D2E57EDEB5}}" \
xmlns:x15="{MS}/2010/11/main"><x15:workbookPr chartTrackingRefBase="1"/></ext>\
<ext uri="{{B58B0392-4F1F-4190-BB64-5DF3571DCE5F}}" \
xmlns:xcalcf="{MS}/2018/calcfeatures"><xcalcf:calcFeatures>\
<xcalcf:feature name="microsoft.com:RD"/><xcalcf:feature name="microsoft.com:Single"/>\
</xcalcf:calcFeatures></ext></extLst></workbook>"""
EXCEL_ROOTS = {
    "<styleSheet ": f'<styleSheet xmlns:mc="{MC}" mc:Ignorable="x14ac x16r2 xr" '
    f'xmlns:x14ac="{MS}/2009/9/ac" xmlns:x16r2="{MS}/2015/02/main" '
    f'xmlns:xr="{MS}/2014/revision" ',
    "<worksheet ": f'<worksheet xmlns:mc="{MC}" mc:Ignorable="x14ac xr xr2 xr3" '
    f'xmlns:x14ac="{MS}/2009/9/ac" xmlns:xr="{MS}/2014/revision" '
    f'xmlns:xr2="{MS}/2015/revision2" xmlns:xr3="{MS}/2016/revision3" '
    'xr:uid="{2C6D4E1A-8B3F-4A5E-9D2C-7E1F0A3B5C6D}" ',
}


def excel_markup(source: Path, path: Path) -> None:
    """`source` with the markup-compatibility layout of a current Excel: mc:Ignorable on the
    roots, x14ac/xr/xr2/xr3/xr6/xr10/x15 namespaces, an mc:AlternateContent that declares
    mc again, extLst entries declaring their own prefixes, the second tab active."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = EXCEL_BOOK.encode("utf-8")
            else:
                text = data.decode("utf-8")
                for start, declared in EXCEL_ROOTS.items():
                    text = text.replace(start, declared, 1)
                data = text.encode("utf-8")
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data)


def prefixed(source: Path, path: Path) -> None:
    """`source` with the main namespace behind a prefix (x:) in the workbook and styles, as
    the Open XML SDK writes it, and the relationships namespace bound to another prefix
    (rel:) declared on <x:sheets> only."""
    main_ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in ("xl/workbook.xml", "xl/styles.xml"):
                text = re.sub(r"<(/?)(?=[A-Za-z])", r"<\1x:", data.decode("utf-8"))
                text = text.replace(main_ns, main_ns.replace("xmlns=", "xmlns:x="))
                text = text.replace(f" {rel_ns}", "").replace(" r:id=", " rel:id=")
                text = text.replace("<x:sheets>", f"<x:sheets {rel_ns.replace(':r=', ':rel=')}>")
                data = text.encode("utf-8")
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lxml", action="store_true", help="the workbooks saved with lxml")
    lxml = parser.parse_args().lxml
    if lxml != openpyxl.xml.LXML:
        sys.exit("openpyxl " + ("does not see" if lxml else "sees") + " lxml: see the docstring")
    if lxml:
        by_openpyxl(HERE / "openpyxl-lxml.xlsx")
        by_pandas(HERE / "pandas-openpyxl-lxml.xlsx", "openpyxl")
        return
    by_openpyxl(HERE / "openpyxl.xlsx")
    by_pandas(HERE / "pandas-openpyxl.xlsx", "openpyxl")
    by_pandas(HERE / "pandas-xlsxwriter.xlsx", "xlsxwriter")
    by_xlsxwriter(HERE / "xlsxwriter.xlsx")
    by_libreoffice(HERE / "xlsxwriter.xlsx", HERE / "libreoffice.xlsx")
    excel_markup(HERE / "xlsxwriter.xlsx", HERE / "excel-markup-compatibility.xlsx")
    prefixed(HERE / "xlsxwriter.xlsx", HERE / "prefixed-namespaces.xlsx")


if __name__ == "__main__":
    main()
