"""Which tabs are ours: the shared strings an A1 points at, read without parsing the whole
table (issue #16), give what the whole parse gives, on awkward tables too."""

from __future__ import annotations

import io
import zipfile

import pytest

from sheets_sync.backends.excel.generated_tabs import _parsed_strings_at, _shared_strings_at

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ITEMS = [
    "<si><t>Nom</t></si>",
    "<si/>",
    '<si><r><t>Généré par </t></r><r><rPr><b/></rPr><t xml:space="preserve">sheets-sync</t>'
    "</r><rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si>",
    "<si><t>a &amp; b &lt;si&gt; &#233;</t></si>",
    "<si>\n  <t>sur deux\nlignes</t>\n</si>",
]


def _table(root: str, items: list[str], prefix: str = "") -> bytes:
    if prefix:
        items = [i.replace("<", f"<{prefix}:").replace(f"<{prefix}:/", f"</{prefix}:")
                 for i in items]
    body = "\n".join(items)
    return DECL + f"{root}{body}</{prefix + ':' if prefix else ''}sst>".encode()


TABLES = {
    "plain": _table(f'<sst xmlns="{MAIN}" count="5" uniqueCount="5">', ITEMS),
    "prefixed": _table(f'<x:sst xmlns:x="{MAIN}">', ITEMS, "x"),
    "comment": _table(f'<sst xmlns="{MAIN}"><!-- <si><t>leurre</t></si> -->', ITEMS),
    "cdata": _table(f'<sst xmlns="{MAIN}">', [*ITEMS[:2], "<si><t><![CDATA[<si>]]></t></si>",
                                              *ITEMS[2:]]),
    "greater-than in an attribute": _table(f'<sst xmlns="{MAIN}" note="a>b">', ITEMS),
    "many": _table(f'<sst xmlns="{MAIN}">', [f"<si><t>n°{i}</t></si>" for i in range(3000)]),
    "empty": DECL + f'<sst xmlns="{MAIN}"/>'.encode(),
    "utf-16": f'<?xml version="1.0" encoding="UTF-16"?><sst xmlns="{MAIN}">{"".join(ITEMS)}'
              "</sst>".encode("utf-16"),
}


def _zip(table: bytes) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("xl/sharedStrings.xml", table)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("wanted", [{0}, {1, 2}, {4}, {3, 2999}, {0, 1, 2, 3, 4, 5, 50}])
def test_same_strings_as_the_whole_parse(name: str, wanted: set[int]) -> None:
    table = TABLES[name]
    expected = _parsed_strings_at(table, wanted)
    assert _shared_strings_at(_zip(table), wanted) == expected


def test_the_strings_read_right() -> None:
    found = _shared_strings_at(_zip(TABLES["prefixed"]), {0, 1, 2, 3, 4})
    assert found == {0: "Nom", 1: "", 2: "Généré par sheets-sync", 3: "a & b <si> é",
                     4: "sur deux\nlignes"}
    assert _shared_strings_at(_zip(TABLES["many"]), {2999})[2999] == "n°2999"
    assert _shared_strings_at(_zip(TABLES["comment"]), {0}) == {0: "Nom"}  # not the decoy
