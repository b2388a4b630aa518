"""Regenerate the hostile-files fixtures: `python tests/data/hostile/make.py` (needs soffice).

    campagne.xlsx            the demo campaign (answers + roster), written by write_template
    campagne.ods / .xls      LibreOffice's conversions of it: the same cells, other formats
    valeurs.xlsx             one cell of each kind (text, numbers, booleans, dates, errors)
    valeurs.ods / .xls       LibreOffice's conversions of it
    valeurs.xlsb             the same values in a small .xlsb built here record by record
                             (LibreOffice cannot write .xlsb)
    protege.xlsx             campagne.xlsx encrypted with the password « secret »
                             (msoffcrypto-tool, from the dev extras)
    fiche-ods.xlsx → .ods    two fiches (demo answers 1 and 4) and their conversions, for a
    fiche-xls.xlsx → .xls    folder of fiches in several formats
    awkward/                 other projects' awkward workbooks, copied as they are (see its
                             README and licences; not made by this script)

The tests only read these files; LibreOffice stamps dates into them, so two runs differ in
bytes, never in cells.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from sheets_sync.starter.campaign import write_template  # noqa: E402
from sheets_sync.starter.fictional import demo_answers, demo_roster  # noqa: E402


def convert(source: Path, fmt: str) -> None:
    """LibreOffice's conversion of `source` to `fmt` (« ods » or « xls »), beside it."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", fmt, "--outdir", str(HERE), str(source)],
            check=True, capture_output=True, timeout=180,
        )


def values_workbook(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Valeurs")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, ["texte", "entier", "réel", "booléen", "date", "date et heure",
                           "erreur N/A", "erreur DIV/0"])
    sheet.write_string(1, 0, "Collège « Essai »\nligne 2")
    sheet.write_number(1, 1, 3)
    sheet.write_number(1, 2, 2.5)
    sheet.write_boolean(1, 3, False)
    sheet.write_datetime(1, 4, dt.date(2021, 7, 16), day)
    sheet.write_datetime(1, 5, dt.datetime(2021, 7, 16, 14, 30), stamp)
    sheet.write_formula(1, 6, "=NA()", None, "#N/A")
    sheet.write_formula(1, 7, "=1/0", None, "#DIV/0!")
    sheet.write_string(3, 2, "plus bas")
    hidden = book.add_worksheet("Masqué")
    hidden.write_string(0, 0, "caché")
    hidden.hide()
    book.close()


# --- a small .xlsb, record by record (MS-XLSB) -------------------------------------------

def record(kind: int, payload: bytes = b"") -> bytes:
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, sizes = len(payload), bytearray()
    while True:
        sizes.append((size & 0x7F) | (0x80 if size > 0x7F else 0))
        size >>= 7
        if not size:
            break
    return head + bytes(sizes) + payload


def wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb_workbook(path: Path) -> None:
    sheet = bytearray(record(0x81))  # BrtBeginSheet
    sheet += record(0x94, struct.pack("<IIII", 0, 3, 0, 2))  # BrtWsDim
    sheet += record(0x91)  # BrtBeginSheetData

    def row(index: int) -> bytes:
        return record(0x0000, struct.pack("<IIH", index, 0, 0) + b"\x00" * 7)  # BrtRowHdr

    def cell(kind: int, col: int, value: bytes) -> bytes:
        return record(kind, struct.pack("<II", col, 0) + value)

    sheet += row(0) + cell(0x06, 0, wide("texte")) + cell(0x06, 1, wide("nombre"))
    sheet += cell(0x06, 2, wide("erreur"))
    sheet += row(1) + cell(0x06, 0, wide("Collège « Essai »")) + cell(0x05, 1,
                                                                      struct.pack("<d", 3.0))
    sheet += cell(0x03, 2, b"\x2a")  # BrtCellError #N/A
    sheet += row(3) + cell(0x04, 0, b"\x01")  # BrtCellBool TRUE at A4
    sheet += record(0x92) + record(0x82)  # BrtEndSheetData, BrtEndSheet
    workbook = (record(0x83) + record(0x8F)  # BrtBeginBook, BrtBeginBundleShs
                + record(0x9C, struct.pack("<II", 0, 1) + wide("rId1") + wide("Valeurs"))
                + record(0x90) + record(0x84))  # BrtEndBundleShs, BrtEndBook
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
             '"http://schemas.openxmlformats.org/package/2006/content-types"><Default '
             'Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Override PartName="/xl/workbook.bin" ContentType='
             '"application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Override PartName='
             '"/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
             '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>')
    book_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/>'
                 '</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in (("[Content_Types].xml", types.encode()), ("_rels/.rels", rels.encode()),
                           ("xl/workbook.bin", workbook),
                           ("xl/_rels/workbook.bin.rels", book_rels.encode()),
                           ("xl/worksheets/sheet1.bin", bytes(sheet))):
            info = zipfile.ZipInfo(name, (2021, 7, 16, 0, 0, 0))
            package.writestr(info, data, zipfile.ZIP_DEFLATED)


def encrypted(source: Path, target: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as plain:
        out = io.BytesIO()
        OOXMLFile(plain).encrypt("secret", out)
    target.write_bytes(out.getvalue())


def main() -> None:
    campaign = HERE / "campagne.xlsx"
    write_template(campaign, "tableau", answers=demo_answers(), roster=demo_roster())
    values = HERE / "valeurs.xlsx"
    values_workbook(values)
    for source in (campaign, values):
        for fmt in ("ods", "xls"):
            convert(source, fmt)
    answers = demo_answers()
    for name, answer, fmt in (("fiche-ods", answers[0], "ods"), ("fiche-xls", answers[3], "xls")):
        write_template(HERE / f"{name}.xlsx", "fiche", answers=[answer])
        convert(HERE / f"{name}.xlsx", fmt)
    xlsb_workbook(HERE / "valeurs.xlsb")
    encrypted(campaign, HERE / "protege.xlsx")
    shutil.rmtree(HERE / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
