"""Formula, link and header injection (issue #7): nothing typed ever comes back active.

Every payload of tests/data/injection/payloads.txt (OWASP CSV injection, DDE, HYPERLINK,
IMPORTXML, IMAGE, WEBSERVICE…, hidden leading characters, URLs, markup, header injection) is
typed into every field of the annex n°1, every roster column and the « Ajustements » tab, in
two ways a principal's workbook can hold it:

    text      a string cell holding the payload (what Excel stores once it escaped « = »)
    cached    a formula cell whose value, as Excel cached it, is the payload

Then each output is read back at the lowest level and checked:

    Excel sync        the package XML of every generated tab: no <f>, no t="str", a text that
                      starts like a formula has quotePrefix, links only internal (to a tab of
                      the workbook, from its name) or the toolkit's percent-encoded mailto:,
                      chart ranges only over generated tabs, no external relationship
    Google sync       the batchUpdate the emulator received: input text only as stringValue,
                      never formulaValue, links only #gid=… or the toolkit's mailto:
    report html/xlsx  no script, no event attribute, no href but the page's own anchors
    relances (.eml)   the header set and recipients are the toolkit's, whatever was typed

A generated cell may *contain* a payload (it is what was typed): it must be a string cell.
"""

from __future__ import annotations

import email
import email.policy
import html.parser
import io
import json
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import openpyxl
import pytest
from click.testing import CliRunner
from defusedxml import ElementTree as SafeET

from sheets_sync.ambassadors.sponsoring import ADJUSTMENT_HEADER
from sheets_sync.cells.grid import MARKER, GeneratedTab, OutCell
from sheets_sync.cli import main
from sheets_sync.config import Config, load_config
from sheets_sync.emulator import SheetsEmulator
from sheets_sync.form.model import ANSWER_FIELDS, ROSTER_FIELDS, Kind
from sheets_sync.outreach.drafts import draft, header_text
from sheets_sync.outreach.reminders import Reminder
from sheets_sync.reports.html_page import contact_cells
from sheets_sync.starter.campaign import default_config_text, write_template

from .robustness import PAYLOADS, SCANNED, tried

CORPUS = Path(__file__).parent / "data" / "injection" / "payloads.txt"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
HYPERLINK_TYPE = f"{REL}/hyperlink"

# The only external link the toolkit builds: « Relances », a draft to a school's address.
# Every character taken from input is percent-encoded (RFC 3986 unreserved ones excepted).
MAILTO = re.compile(
    r"^mailto:(?P<to>[A-Za-z0-9%@._~-]*)\?subject=[A-Za-z0-9%._~/-]*&body=[A-Za-z0-9%._~/-]*$"
)
ADDRESS = re.compile(r"^[^@\s,;:<>()\[\]\"?&=%/\\]+@[\w.-]+\.[\w-]+$")
INTERNAL = re.compile(r"^'((?:[^']|'')+)'!\$?[A-Z]{1,3}\$?\d+$")
CHART_RANGE = re.compile(r"^'((?:[^']|'')+)'!\$[A-Z]{1,3}\$\d+:\$[A-Z]{1,3}\$\d+$")
GID_LINK = re.compile(r"^#gid=\d+&range=[A-Z]{1,3}\d+$")
TOKEN = re.compile(r"JETON(\d{6})X")
# Texts a spreadsheet would take for a formula if typed again: their cell style is quoted.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_ESCAPE = re.compile(r"\\(?:([trn\\])|u([0-9a-fA-F]{4})|\{(\d+)\}(.))", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_text(text: str) -> str:
    """Cell text as Excel shows it: _xHHHH_ escapes decoded (_x005F_ is a literal « _ »)."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


# --- the corpus ----------------------------------------------------------------------------


def _unescape(match: re.Match[str]) -> str:
    simple, code, times, char = match.groups()
    if simple is not None:
        return {"t": "\t", "r": "\r", "n": "\n", "\\": "\\"}[simple]
    if code is not None:
        return chr(int(code, 16))
    return char * int(times)


def load_payloads(path: Path = CORPUS) -> list[str]:
    """The payloads of the corpus, escapes decoded (format in the file's header)."""
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("#"):
            out.append(_ESCAPE.sub(_unescape, line))
    return out


ALL = load_payloads()


def _shows_contact(payload: str) -> bool:
    """Whether a partner report would refuse a cell showing `payload` (e-mail or phone)."""
    tab = GeneratedTab(name="t", banner="b", title="t", header=("x",), rows=((OutCell(payload),),))
    return bool(contact_cells([tab]))


# --- typing payloads into an annex n°1 workbook ---------------------------------------------


@dataclass
class Typed:
    """The cells typed with a payload: each token stands for (payload, how it is stored)."""

    cells: list[tuple[str, str]] = field(default_factory=list)
    rows: int = 0

    def token(self, payload: str, how: str) -> str:
        self.cells.append((payload, how))
        return f"JETON{len(self.cells) - 1:06d}X"

    def serial(self) -> int:
        """A number no other row of the workbook carries (names stay distinct)."""
        self.rows += 1
        return self.rows

    def row(self, values: Mapping[str, str], how: str) -> dict[str, object]:
        return {key: self.token(payload, how) for key, payload in values.items()}


def _text_xml(text: str) -> str:
    """Cell text as Excel stores it: XML-escaped, CR kept as &#13;, controls as _xHHHH_."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text.replace("\r", "&#13;")


def _cell_xml(attrs: str, payload: str, how: str) -> str:
    keep = re.sub(r'\s*\bt="[^"]*"', "", attrs)
    text = _text_xml(payload[:32767])
    if how == "text":
        return f'<c {keep} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    # A formula whose cached result is the payload (Excel would show it, the sync reads it).
    literal = _text_xml(payload[:200].replace('"', '""'))
    return f'<c {keep} t="str"><f>"{literal}"</f><v xml:space="preserve">{text}</v></c>'


def _shared_strings(package: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in package.namelist():
        return []
    root = SafeET.fromstring(package.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{MAIN}}}t")) for si in root]


def type_payloads(path: Path, typed: Typed) -> int:
    """Replace every token cell of the workbook at `path` by its payload; returns how many."""
    with zipfile.ZipFile(path) as package:
        strings = _shared_strings(package)
        parts = {name: package.read(name) for name in package.namelist()}
    done = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal done
        attrs, body = match.group(1), match.group(2)
        if 't="s"' in attrs:
            value = re.search(r"<v>(\d+)</v>", body)
            text = strings[int(value.group(1))] if value else ""
        else:
            text = "".join(re.findall(r"<t[^>]*>([^<]*)</t>", body))
        found = TOKEN.fullmatch(text)
        if not found:
            return match.group(0)
        done += 1
        return _cell_xml(attrs, *typed.cells[int(found.group(1))])

    for name, data in parts.items():
        if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
            parts[name] = re.sub(
                r"<c ([^>]*?)(?<!/)>(.*?)</c>", replace, data.decode("utf-8"), flags=re.S
            ).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return done


VALID_ANSWER: dict[str, object] = {"participation": "Oui", "classes_4e": 1, "classes_3e": 1}
VALID_MEMBER: dict[str, object] = {
    "genre": "F",
    "code_rome": "M1805",
    "capacite": 2,
    "consentement": "Oui",
}
_FREE_TEXT = (Kind.TEXT, Kind.LINE, Kind.EMAIL, Kind.PHONE)


def complete_answer(name: str) -> dict[str, object]:
    """A complete answer taking part, named `name` (the referent lacks a function: a warning)."""
    texts = {f.key: "Collège des Essais" for f in ANSWER_FIELDS if f.kind in (Kind.TEXT, Kind.LINE)}
    return texts | VALID_ANSWER | {"etablissement": name}


def answer_rows(payloads: Sequence[str], typed: Typed, how: str) -> list[dict[str, object]]:
    """Two rows per payload: every field typed with it; every free-text field typed with it
    in an otherwise complete answer (so that it is matched and reaches every dashboard)."""
    rows: list[dict[str, object]] = []
    for p in payloads:
        i = typed.serial()
        # distinct names, so that no row is set aside as a duplicate of another
        everything = {f.key: p for f in ANSWER_FIELDS} | {"etablissement": f"{p} n°{i}"}
        texts = {f.key: p for f in ANSWER_FIELDS if f.kind in _FREE_TEXT} | {
            "etablissement": f"{p} — réponse complète n°{i}",
            "titre": p.replace("\r", "").replace("\n", "")[:100],
        }
        rows += [typed.row(everything, how), typed.row(texts, how) | VALID_ANSWER]
    return rows


def roster_rows(payloads: Sequence[str], typed: Typed, how: str) -> list[dict[str, object]]:
    """Two rows per payload: every column typed with it; every text column typed with it,
    consent given (so that the name reaches the partner tabs)."""
    rows: list[dict[str, object]] = []
    for p in payloads:
        i = typed.serial()
        everything = {f.key: p for f in ROSTER_FIELDS} | {"nom": f"{p} n°{i}"}
        texts = {f.key: p for f in ROSTER_FIELDS if f.key not in VALID_MEMBER} | {
            "nom": f"{p} — ambassadrice n°{i}"
        }
        rows += [typed.row(everything, how), typed.row(texts, how) | VALID_MEMBER]
    return rows


def add_adjustments(
    path: Path, tab: str, payloads: Sequence[str], typed: Typed, hows: Sequence[str]
) -> None:
    """The coordinators' « Ajustements » tab, one row per payload in every column."""
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet(tab)
    sheet.append(ADJUSTMENT_HEADER)
    for how in hows:
        for p in payloads:
            sheet.append([typed.token(p, how) for _ in ADJUSTMENT_HEADER])
    book.save(path)


def campaign_config(folder: Path, *, source: str = "reponses.xlsx") -> Config:
    text = default_config_text().replace('chemin = "reponses.xlsx"', f'chemin = "{source}"')
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return load_config(folder / "config.toml")


def typed_workbook(
    folder: Path, payloads: Sequence[str], *, hows: Sequence[str] = ("text", "cached")
) -> tuple[Config, int]:
    """A « tableau » campaign whose every input cell holds a payload; (config, cells typed)."""
    config = campaign_config(folder)
    typed = Typed()
    answers = [row for how in hows for row in answer_rows(payloads, typed, how)]
    roster = [row for how in hows for row in roster_rows(payloads, typed, how)]
    write_template(config.source, "tableau", config, answers=answers, roster=roster)
    add_adjustments(config.source, config.tabs.adjustments, payloads, typed, hows)
    count = type_payloads(config.source, typed)
    assert count == len(typed.cells)
    return config, count


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def shown_in(payload: str, text: str) -> bool:
    """Whether `text` shows the payload's head, whitespace runs counted as one space."""
    return " ".join(_head(payload).split()) in " ".join(text.split())


def _head(payload: str) -> str:
    """What any output keeps of a payload: read as Excel reads it, trimmed, controls dropped,
    its first 40 characters."""
    return _CONTROL.sub("", ooxml_text(payload)).strip()[:40].strip()


# --- reading an .xlsx package at the XML level ----------------------------------------------


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _rels(package: zipfile.ZipFile, part: str) -> dict[str, Element]:
    path = PurePosixPath(part)
    name = str(path.parent / "_rels" / f"{path.name}.rels")
    if name not in package.namelist():
        return {}
    return {r.get("Id", ""): r for r in SafeET.fromstring(package.read(name))}


def _target(part: str, rel: Element) -> str:
    """The part a relationship points to, from the package root."""
    target = rel.get("Target", "")
    if target.startswith("/"):
        return target[1:]
    parts: list[str] = []
    for piece in (*PurePosixPath(part).parent.parts, *PurePosixPath(target).parts):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _cell_text(cell: Element, strings: Sequence[str]) -> str | None:
    kind = cell.get("t")
    if kind == "inlineStr":
        return ooxml_text("".join(t.text or "" for t in cell.iter(_q(MAIN, "t"))))
    value = cell.find(_q(MAIN, "v"))
    if kind == "s" and value is not None:
        return ooxml_text(strings[int(value.text or 0)])
    return None


@dataclass
class Scan:
    """What the generated tabs of a package hold: their cells' texts, cells counted."""

    cells: int = 0
    texts: dict[str, list[str]] = field(default_factory=dict)

    def joined(self, tab: str) -> str:
        return "\n".join(self.texts[tab])


def _check_drawing(package: zipfile.ZipFile, part: str, generated: set[str]) -> None:
    """A drawing has no hyperlink; its charts read ranges of generated tabs only."""
    root = SafeET.fromstring(package.read(part))
    assert not [e for e in root.iter() if e.tag.endswith(("}hlinkClick", "}hlinkHover"))], part
    for rel in _rels(package, part).values():
        assert rel.get("TargetMode") != "External", (part, rel.get("Target"))
        chart = _target(part, rel)
        if not chart.startswith("xl/charts/"):
            continue
        tree = SafeET.fromstring(package.read(chart))
        assert tree.find(f".//{_q(CHART, 'externalData')}") is None, chart
        for ref in tree.iter(_q(CHART, "f")):
            found = CHART_RANGE.match(ref.text or "")
            assert found, (chart, ref.text)
            assert found.group(1).replace("''", "'") in generated, (chart, ref.text)
        assert not _rels(package, chart), chart  # no external data, no user shapes


def scan_package(data: bytes, reminders_tab: str | None) -> Scan:
    """Check every generated tab of an .xlsx package at the XML level (see module docstring).

    Tabs whose A1 carries the marker are the generated ones (a report has no other); the
    input tabs of the workbook are the only link targets allowed besides them.
    """
    scan = Scan()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        strings = _shared_strings(package)
        styles = SafeET.fromstring(package.read("xl/styles.xml"))
        xfs = list(styles.find(_q(MAIN, "cellXfs")) or [])
        book = SafeET.fromstring(package.read("xl/workbook.xml"))
        book_rels = _rels(package, "xl/workbook.xml")
        sheets = {
            s.get("name", ""): _target("xl/workbook.xml", book_rels[s.get(_q(REL, "id"), "")])
            for s in book.iter(_q(MAIN, "sheet"))
        }
        roots = {name: SafeET.fromstring(package.read(part)) for name, part in sheets.items()}
        generated = set()
        for name, root in roots.items():
            first = root.find(f".//{_q(MAIN, 'c')}")
            text = _cell_text(first, strings) if first is not None else None
            if first is not None and first.get("r") == "A1" and (text or "").startswith(MARKER):
                generated.add(name)
        assert generated
        for name in sorted(generated):
            scan.texts[name] = _check_sheet(
                package,
                sheets[name],
                roots[name],
                strings,
                xfs,
                set(sheets),
                generated,
                name == reminders_tab,
            )
            scan.cells += len(scan.texts[name])
    return scan


def _check_sheet(
    package: zipfile.ZipFile,
    part: str,
    root: Element,
    strings: Sequence[str],
    xfs: Sequence[Element],
    tabs: set[str],
    generated: set[str],
    mailto_allowed: bool,
) -> list[str]:
    texts = []
    for cell in root.iter(_q(MAIN, "c")):
        where = (part, cell.get("r"))
        assert cell.find(_q(MAIN, "f")) is None, where  # no formula, whatever its text
        assert cell.get("t") in (None, "n", "b", "s", "inlineStr"), where  # never t="str"
        text = _cell_text(cell, strings) or ""
        if text.startswith(FORMULA_START):  # stays text even if someone edits the cell
            assert xfs[int(cell.get("s", "0"))].get("quotePrefix") == "1", (where, text[:80])
        texts.append(text)
    rels = _rels(package, part)
    for link in root.iter(_q(MAIN, "hyperlink")):
        rid = link.get(_q(REL, "id"))
        if rid is None:  # internal: 'Réponses'!F7, built from a tab name and an A1 address
            found = INTERNAL.match(link.get("location", ""))
            assert found and found.group(1).replace("''", "'") in tabs, (part, link.attrib)
            continue
        rel = rels[rid]
        assert rel.get("Type") == HYPERLINK_TYPE and mailto_allowed, (part, rel.attrib)
        check_mailto(rel.get("Target", ""))
    for rel in rels.values():
        if rel.get("Type") == HYPERLINK_TYPE:
            continue
        assert rel.get("TargetMode") != "External", (part, rel.attrib)
        assert rel.get("Type", "").endswith("/drawing"), (part, rel.attrib)
        _check_drawing(package, _target(part, rel), generated)
    return texts


def check_mailto(url: str) -> None:
    """The toolkit's mailto: every character from input percent-encoded, one valid address."""
    found = MAILTO.match(url)
    assert found, url
    to = unquote(found.group("to"))
    assert to == "" or ADDRESS.match(to), url


# --- the corpus and the typed workbook ------------------------------------------------------


def test_corpus_covers_the_issue() -> None:
    assert len(ALL) >= 40 and len(set(ALL)) == len(ALL)
    for start in ("=", "+", "-", "@", "\t", "\r", " ", "＝", "\ufeff", "\u200b"):
        assert any(p.startswith(start) for p in ALL), start
    for word in (
        "HYPERLINK",
        "IMPORTXML",
        "IMAGE",
        "WEBSERVICE",
        "IMPORTDATA",
        "IMPORTRANGE",
        "IMPORTHTML",
        "IMPORTFEED",
        "DDE",
        "cmd|",
        "javascript:",
        "http://",
        "mailto:",
        "<script>",
        "onerror=",
        "<a href=",
        "\r\nBcc:",
    ):
        assert any(word in p for p in ALL), word
    assert max(len(p) for p in ALL) > 2000  # longer than the checks' « very long » text


def test_template_writes_typed_text_as_text(tmp_path: Path) -> None:
    """write_template stores « =… » as a string: the only formulas are its « Statut » ones."""
    path = tmp_path / "modele.xlsx"
    answers = [{f.key: p for f in ANSWER_FIELDS} for p in ALL[:12]]
    write_template(path, "tableau", answers=answers)
    with zipfile.ZipFile(path) as package:
        strings = _shared_strings(package)
        root = SafeET.fromstring(package.read("xl/worksheets/sheet1.xml"))
    status = chr(ord("A") + len(ANSWER_FIELDS))
    typed = 0
    for cell in root.iter(_q(MAIN, "c")):
        ref = cell.get("r", "")
        if cell.find(_q(MAIN, "f")) is not None:
            assert ref.startswith(status), ref  # live « Statut » column, built from config
            continue
        if ref[1:] != "1" and cell.get("t") == "s":
            assert _cell_text(cell, strings) in {
                p.replace("\r\n", "\n").replace("\r", "\n") for p in ALL[:12]
            }, ref
            typed += 1
    assert typed == 12 * len(ANSWER_FIELDS)


@dataclass(frozen=True)
class Synced:
    """A campaign typed with every payload, synced into its own workbook."""

    config: Config
    typed: int
    scan: Scan


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Synced:
    folder = tmp_path_factory.mktemp("injection")
    config, count = typed_workbook(folder, ALL)
    code, out = run("sync", "--config", str(config.path), "--quiet", "--strict")
    assert code == 1 and "Traceback" not in out, out[-2000:]
    return Synced(config, count, scan_package(config.source.read_bytes(), config.tabs.reminders))


def test_excel_sync_writes_no_formula_and_no_link_from_input(synced: Synced) -> None:
    tabs = synced.config.tabs
    scan = synced.scan
    assert {
        tabs.summary,
        tabs.completeness,
        tabs.reminders,
        tabs.classes,
        tabs.sponsorships,
    } <= set(scan.texts)
    # the payloads did reach the generated tabs (as text): the scan above proves something
    completeness, reminders = scan.joined(tabs.completeness), scan.joined(tabs.reminders)
    sponsorships = scan.joined(tabs.sponsorships)
    for p in ALL:  # contact details typed in an answer are masked in « Complétude »
        texts = (reminders, sponsorships) + ((completeness,) if p in SAFE else ())
        assert all(shown_in(p, text) for text in texts), p
    tried(PAYLOADS, synced.typed)
    tried(SCANNED, scan.cells)


def _edit(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """The package with a pattern of one part replaced (it must be found)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == part:
                content, found = re.subn(old, new, content)
                assert found, content[:2000]
            target.writestr(name, content)
    return out.getvalue()


def test_the_scan_catches_a_formula_or_an_outside_link() -> None:
    """The checks above can fail: a formula cell, a web link, a chart over an input tab."""
    from sheets_sync.backends.excel.render import render_package
    from sheets_sync.cells.grid import Chart, Series

    def tab(*rows: tuple[OutCell, ...], charts: tuple[Chart, ...] = ()) -> GeneratedTab:
        return GeneratedTab(
            name="Relances",
            banner=f"{MARKER} le 01/07/2021",
            title="t",
            header=("a", "b"),
            rows=rows,
            charts=charts,
        )

    mailto = "mailto:a@b.fr?subject=x&body=y"
    clean = render_package([tab((OutCell("=1+1"), OutCell("Écrire", link=mailto)))])
    assert scan_package(clean, "Relances").cells == 6
    formula = _edit(
        clean,
        "xl/worksheets/sheet1.xml",
        rb'(<c r="A5"[^>]*?) t="inlineStr"><is><t>=1\+1</t></is>',
        rb"\1><f>1+1</f>",
    )
    unquoted = _edit(clean, "xl/styles.xml", rb' quotePrefix="1"', b"")
    web = render_package([tab((OutCell("clic", link="https://evil.example/"),))])
    bcc = render_package([tab((OutCell("clic", link="mailto:x@evil.example?bcc=y@z.fr"),))])
    chart = Chart("column", "c", 5, 5, 1, (Series("s", 2),), "D4", sheet="Réponses")
    outside = render_package([tab((OutCell("a"), OutCell(1)), charts=(chart,))])
    for bad, why in (
        (formula, "'A5'"),
        (unquoted, "=1\\+1"),
        (web, "https://evil"),
        (bcc, "bcc="),
        (outside, "'Réponses'!"),
    ):
        with pytest.raises(AssertionError, match=why):
            scan_package(bad, "Relances")


# --- fiches ---------------------------------------------------------------------------------


def test_fiches_typed_with_payloads_give_inert_dashboards(tmp_path: Path) -> None:
    folder = tmp_path / "fiches"
    folder.mkdir()
    config = campaign_config(tmp_path, source="fiches")
    count = 0
    for n, p in enumerate(ALL):
        typed = Typed()
        record = {f.key: p for f in ANSWER_FIELDS} | {"etablissement": f"{p} fiche n°{n}"}
        how = "cached" if n % 2 else "text"
        path = folder / f"fiche-{n:03d}.xlsx"
        write_template(path, "fiche", config, answers=[typed.row(record, how)])
        count += type_payloads(path, typed)
    assert count == len(ALL) * len(ANSWER_FIELDS)
    code, out = run("sync", "--config", str(config.path), "--quiet", "--strict")
    assert code == 1 and "Traceback" not in out, out[-2000:]
    scan = scan_package(config.dashboard_path().read_bytes(), config.tabs.reminders)
    completeness = scan.joined(config.tabs.completeness)
    assert all(shown_in(p, completeness) for p in SAFE)
    tried(PAYLOADS, count)
    tried(SCANNED, scan.cells)


# --- Google Sheets --------------------------------------------------------------------------


def _google_rows(
    records: Sequence[Mapping[str, object]],
    fields: Sequence[Any],
    typed: Typed,
    header: Sequence[str],
) -> tuple[list[list[object]], list[tuple[int, int, str]]]:
    """Rows of plain values for the emulator, and the cells to type as formulas instead."""
    rows: list[list[object]] = [list(header)]
    formulas = []
    for r, record in enumerate(records, start=1):
        row: list[object] = []
        for c, f in enumerate(fields):
            value = record.get(f.key) if hasattr(f, "key") else record.get(f)
            found = TOKEN.fullmatch(value) if isinstance(value, str) else None
            if found:
                payload, how = typed.cells[int(found.group(1))]
                if how == "cached" and payload.startswith("="):
                    formulas.append((r, c, payload))
                    value = ""
                else:
                    value = payload
            row.append(value if value is not None else "")
        rows.append(row)
    return rows, formulas


def _walk(node: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from _walk(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, key)
    else:
        yield key, node


def test_google_sync_sends_input_text_as_string_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = Typed()
    hows = ("text", "cached")
    answers, formulas = _google_rows(
        [row for how in hows for row in answer_rows(ALL, typed, how)],
        ANSWER_FIELDS,
        typed,
        [f.label for f in ANSWER_FIELDS],
    )
    roster, roster_formulas = _google_rows(
        [row for how in hows for row in roster_rows(ALL, typed, how)],
        ROSTER_FIELDS,
        typed,
        [f.label for f in ROSTER_FIELDS],
    )
    adjustments, adjustment_formulas = _google_rows(
        [
            dict(zip(ADJUSTMENT_HEADER, (typed.token(p, how),) * 3, strict=True))
            for how in hows
            for p in ALL
        ],
        ADJUSTMENT_HEADER,
        typed,
        ADJUSTMENT_HEADER,
    )
    config = campaign_config(tmp_path)
    heads = {h for p in ALL if len(h := _head(p)) >= 4}
    with SheetsEmulator() as emulator:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", emulator.host)
        tabs = {
            config.tabs.answers: answers,
            config.tabs.roster: roster,
            config.tabs.adjustments: adjustments,
        }
        key = emulator.create_spreadsheet("Campagne", tabs)
        book = emulator.spreadsheet(key)
        for tab, cells in (
            (config.tabs.answers, formulas),
            (config.tabs.roster, roster_formulas),
            (config.tabs.adjustments, adjustment_formulas),
        ):
            for r, c, text in cells:  # a principal typed it without the leading apostrophe
                book.tab(tab).put(r, c, {"userEnteredValue": {"formulaValue": text}})
        emulator.clear_log()
        code, out = run("sync", "--config", str(config.path), "--source", key, "--quiet",
                        "--strict")
        assert code == 1 and "Traceback" not in out, out[-2000:]
        requests = emulator.requests
        written = emulator.spreadsheet(key)
        generated = [s for s in written.sheets if s.title not in tabs]
        stored = [cell for s in generated for cell in s.cells.values()]
        completeness = written.tab(config.tabs.completeness).values()
    assert len(formulas) > len(ALL) and all(r.status == 200 for r in requests)
    # read with one values:batchGet, written with batchUpdate alone (split past 2 MB): no
    # values API write at all, so USER_ENTERED (which would parse « = ») is never used
    writes = requests[2:]
    assert [r.method for r in requests[:2]] == ["GET", "GET"] and writes
    assert all(r.method == "POST" and r.path.endswith(":batchUpdate") for r in writes)
    assert not any("valueInputOption" in r.query for r in requests)
    cells = 0
    for name, value in _walk([r.body for r in writes]):
        assert name != "formulaValue"
        if name == "userEnteredValue" and isinstance(value, dict):
            assert set(value) <= {"stringValue", "numberValue", "boolValue"}, value
            cells += 1
        elif name == "uri":
            if not GID_LINK.match(value):
                check_mailto(value)
        elif isinstance(value, str) and name != "stringValue":
            assert not [h for h in heads if h in value], (name, value[:200])
    assert all("formulaValue" not in c.get("userEnteredValue", {}) for c in stored)
    shown = "\n".join(str(v) for row in completeness for v in row)
    assert all(shown_in(p, shown) for p in SAFE)
    tried(PAYLOADS, len(typed.cells))
    tried(SCANNED, cells)


# --- partner reports ------------------------------------------------------------------------


class _Page(html.parser.HTMLParser):
    """Every tag with its attributes, and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


SAFE = [p for p in ALL if not _shows_contact(p)]
FETCHING = {"src", "srcdoc", "srcset", "xlink:href", "action", "formaction", "poster", "data"}


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, int]:
    """A campaign typed with the payloads a partner report may show (no e-mail, no phone)."""
    return typed_workbook(tmp_path_factory.mktemp("rapport"), SAFE, hows=("text",))


def test_html_report_shows_payloads_as_escaped_text(
    reported: tuple[Config, int], tmp_path: Path
) -> None:
    config, count = reported
    path = tmp_path / "rapport.html"
    code, out = run("report", "--config", str(config.path), "--format", "html", "-o", str(path))
    assert code == 0, out
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    names = {tag for tag, _ in page.tags}
    active = {"script", "img", "iframe", "object", "embed", "link", "base", "form", "input"}
    assert not names & (active | {"image", "use", "foreignobject", "animate", "set"})
    for tag, attrs in page.tags:
        for attr, value in attrs:
            assert not attr.startswith("on") and attr not in FETCHING, (tag, attr)
            assert "javascript:" not in (value or "").lower(), (tag, attr, value)
            if attr == "href":
                assert tag == "a" and re.fullmatch(r"#(?:onglet-\d+|contenu)", value or ""), value
    shown = "".join(page.text)
    assert all(shown_in(p, shown) for p in SAFE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in path.read_text(encoding="utf-8")
    tried(PAYLOADS, count)
    tried(SCANNED, sum(1 for tag, _ in page.tags if tag in ("td", "th")))


def test_xlsx_report_writes_no_formula_and_no_link(
    reported: tuple[Config, int], tmp_path: Path
) -> None:
    config, _ = reported
    path = tmp_path / "rapport.xlsx"
    code, out = run("report", "--config", str(config.path), "--format", "xlsx", "-o", str(path))
    assert code == 0, out
    scan = scan_package(path.read_bytes(), None)  # no mailto: either, nor any external link
    assert set(scan.texts) == set(config.partner_tabs)
    shown = "\n".join(t for texts in scan.texts.values() for t in texts)
    assert all(shown_in(p, shown) for p in SAFE)
    tried(SCANNED, scan.cells)


def test_a_report_showing_an_address_typed_as_a_name_is_masked(tmp_path: Path) -> None:
    """Contact details typed in an answer never reach a partner: the report masks them."""
    contact = [p for p in ALL if p not in SAFE]
    assert len(contact) >= 4  # « mailto:… », « x\r\nBcc: victim@example.org »…
    config, _ = typed_workbook(tmp_path, contact, hows=("text",))
    path = tmp_path / "rapport.html"
    code, out = run("report", "--config", str(config.path), "-o", str(path))
    assert code == 0 and "Traceback" not in out, out[-2000:]
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    assert page.text and not any(_shows_contact(text) for text in page.text)


# --- reminder drafts ------------------------------------------------------------------------

HEADERS = {"Subject", "X-Unsent", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"}


def test_drafts_cannot_be_given_a_header_or_a_recipient(synced: Synced, tmp_path: Path) -> None:
    out_dir = tmp_path / "relances"
    code, out = run(
        "relances", "--config", str(synced.config.path), "--out", str(out_dir), "--quiet"
    )
    assert code == 0 and "Traceback" not in out, out[-2000:]
    files = sorted(out_dir.iterdir())
    assert f"{len(files)} établissements à relancer" in out and len(files) > 1
    subjects = []
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert set(message.keys()) == HEADERS, (path.name, message.keys())
        assert not message.defects and not message.is_multipart()
        assert message.get_content_type() == "text/plain"
        subject = message["Subject"]
        assert "\r" not in subject and "\n" not in subject
        subjects.append(subject)
    joined = "\n".join(subjects)
    for p in ALL:  # every incomplete school was chased, its name on one line
        assert shown_in(header_text(p[:30]), joined), p
    tried(SCANNED, len(files))


@pytest.mark.parametrize(
    ("typed", "to"),
    [
        ("direction@college.example.org", "direction@college.example.org"),
        ("prénom.o'nom+relance@collège.example.fr", "prénom.o'nom+relance@collège.example.fr"),
        ("a@example.org\r\nBcc: victim@example.org", None),
        ("a@example.org\nBcc: victim@example.org", None),
        ("a@example.org\n", None),  # « $ » matches before a final line break: fullmatch
        ("a@example.org, victim@example.org", None),
        ("a@example.org;victim@example.org", None),
        ("a@example.org?bcc=victim@example.org", None),
        ("Direction <a@example.org>", None),
        ('"x" <a@example.org>', None),
        ('=HYPERLINK("mailto:a@example.org")', None),
        ("javascript:alert(1)//@example.org", None),
        ("mailto:a@example.org", None),
        ("=?utf-8?q?x=0D=0ABcc:_victim@example.org?=", None),
        ("a@example.org =?utf-8?b?eA0KQmNjOiB2aWN0aW1AZXhhbXBsZS5vcmc=?=", None),
    ],
)
def test_only_a_plain_address_becomes_a_recipient(typed: str, to: str | None) -> None:
    reminder = Reminder(
        f"Collège {typed}",
        "incomplet",
        (),
        typed,
        None,
        f"Relance — Collège {typed}",
        f"Bonjour,\n{typed}\n",
    )
    message = email.message_from_bytes(draft(reminder).as_bytes(), policy=email.policy.default)
    assert message["To"] == to
    assert set(message.keys()) == HEADERS | ({"To"} if to else set())
    # one line, and an encoded word typed as text is not decoded (into a line break)
    shown = " ".join(typed.split()).replace("=?", "= ?")
    assert message["Subject"] == f"Relance — Collège {shown}"
    check_mailto(reminder.mailto)
    assert json.dumps(reminder.mailto).isascii()


def test_a_huge_capacity_is_reported_not_a_crash(tmp_path: Path) -> None:
    """« Nombre de classes maximum » typed as 30 digits (or =111…1+1 in Google Sheets)."""
    config = campaign_config(tmp_path)
    member = {
        "prenom": "Nadia",
        "nom": "BENALI",
        "metier": "Data analyste",
        "secteur": "Numérique",
        "capacite": "1" * 30,
    }
    answers = [complete_answer("Collège des Essais")]
    write_template(config.source, "tableau", config, answers=answers, roster=[member])
    code, out = run("check", "--config", str(config.path), "--json")
    assert code == 1
    issues = json.loads(out)["issues"]
    assert [(i["cell"], i["code"]) for i in issues if i["tab"] == config.tabs.roster] == [
        ("J2", "nombre-invalide")
    ]


def test_xlsxwriter_write_would_make_a_formula_the_renderer_does_not() -> None:
    """Why the renderer never calls write(): by default « =… » becomes <f>."""
    import xlsxwriter

    from sheets_sync.backends.excel.render import OPTIONS

    def written(options: dict[str, object]) -> bytes:
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True, **options})
        book.add_worksheet().write(0, 0, '=HYPERLINK("http://evil.example/","clic")')
        book.close()
        with zipfile.ZipFile(out) as package:
            return package.read("xl/worksheets/sheet1.xml")

    assert b"<f>HYPERLINK(" in written({})
    assert b"<f>" not in written({k: v for k, v in OPTIONS.items() if k != "constant_memory"})


def test_a_name_written_in_rich_markup_is_printed_as_typed(tmp_path: Path) -> None:
    """« [/link] » crashes `check`; « [link=javascript:…]clic[/link] » prints a live link."""
    config = campaign_config(tmp_path)
    answers = [complete_answer("[/link][link=javascript:alert(1)]x[/link]")]
    write_template(config.source, "tableau", config, answers=answers)
    code, out = run("check", "--config", str(config.path), "--details")
    assert code == 0 and "[link=javascript:" in out
