"""The Google Sheets backend through real gspread against our emulator on 127.0.0.1.

Every test reads back what the emulator stored (cells, formats, protections, tab ids) and
counts the requests it logged. Nothing reaches the internet: the service-account tests point
google-auth's token endpoint at a local server.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import gspread
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.backends import google
from sheets_sync.backends.google.cells import cell_data, link_uri, split_ref
from sheets_sync.backends.google.publish import publish_batches
from sheets_sync.backends.google.retry import SheetsHTTPClient, encode
from sheets_sync.cells.grid import MARKER, CellError, GeneratedTab, OutCell
from sheets_sync.emulator import LoopbackSession, SheetsEmulator
from sheets_sync.errors import ConfigError, SourceChanged, SourceError, WriteRefused
from sheets_sync.form.check import check_answers
from sheets_sync.form.model import ANSWER_FIELDS, ROSTER_FIELDS
from sheets_sync.form.read import extract
from sheets_sync.form.template import PREPARED_ROWS, sheets_template

from ...helpers import COMPLETE_NO, COMPLETE_YES, KEYS

NOW = dt.datetime(2021, 7, 1, 9, 30)
SERIAL_EPOCH = dt.date(1899, 12, 30)
INCOMPLETE = {
    **COMPLETE_YES,
    "etablissement": "Collège des Brouillons",
    "titre": None,
    "classes_4e": -1,
}


# --- shared with test_google_faults ---------------------------------------------------------


class Sleeps(list[float]):
    """An injected sleep: records the waits, never waits."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def emulator_client(
    emu: SheetsEmulator, *, max_wait: float = 60.0, sleeps: Sleeps | None = None
) -> SheetsHTTPClient:
    return google.open_client(
        None,
        environ={"SHEETS_EMULATOR_HOST": emu.host},
        max_wait=max_wait,
        sleep=Sleeps() if sleeps is None else sleeps,
        rand=lambda: 0.5,
    )


def state(emu: SheetsEmulator, key: str) -> list[Any]:
    """Everything a reader of the spreadsheet could see, to compare before/after."""
    book = emu.spreadsheet(key)
    return copy.deepcopy(
        [
            (
                s.properties,
                sorted(s.cells.items()),
                s.protected_ranges,
                s.charts,
                sorted(s.column_meta.items()),
                s.conditional_formats,
            )
            for s in book.sheets
        ]
    )


def tab_state(emu: SheetsEmulator, key: str, title: str) -> Any:
    sheet = emu.spreadsheet(key).tab(title)
    return (
        sheet.sheet_id,
        sheet.properties,
        sorted(sheet.cells.items()),
        [{k: v for k, v in p.items() if k != "protectedRangeId"} for p in sheet.protected_ranges],
    )


def type_answers(emu: SheetsEmulator, key: str, answers: list[dict[str, Any]]) -> None:
    """A principal types rows into « Réponses » (as Sheets parses typed text)."""
    gc = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
    rows = [["" if a.get(k) is None else a.get(k) for k in KEYS] for a in answers]
    gc.open_by_key(key).worksheet("Réponses").update(rows, "A2", raw=False)


def dashboard(read: google.SpreadsheetRead, now: dt.datetime = NOW) -> list[GeneratedTab]:
    """A small dashboard from the checked schools: every style, links, a hidden state tab."""
    found = extract(read.grids, "Réponses")
    schools = check_answers(found.answers, _limits())
    banner = f"{MARKER} le {now:%d/%m/%Y à %H:%M} — ne pas modifier"
    rows = []
    for school in schools:
        first = next((i for i in school.issues if i.cell), None)
        rows.append(
            (
                OutCell(school.name, link=f"'{school.tab}'!A{school.row}"),
                OutCell(school.status, "ok" if not school.errors else "error"),
                OutCell(len(school.errors), "integer"),
                OutCell(
                    first.cell if first else None,
                    "warning",
                    link=f"'{school.tab}'!{first.cell}" if first else None,
                ),
                OutCell("=SOMME(A1)"),  # text that looks like a formula stays text
            )
        )
    complete = sum(1 for s in schools if not s.errors)
    summary = (
        (OutCell("Réponses complètes"), OutCell(complete / max(len(schools), 1), "percent")),
        (OutCell("Date limite"), OutCell(dt.date(2021, 7, 16), "date")),
        (
            OutCell("Contact"),
            OutCell("coordination@example.org", link="mailto:coordination@example.org"),
        ),
    )
    return [
        GeneratedTab(
            "Synthèse",
            banner,
            "Synthèse",
            ("Indicateur", "Valeur"),
            summary,
            widths=(30, 14),
            notes=("Chiffres provisoires.",),
        ),
        GeneratedTab(
            "Complétude",
            banner,
            "Complétude",
            ("Établissement", "Statut", "Erreurs", "Cellule", "Texte"),
            tuple(rows),
            widths=(34, 14, 10, 12, 12),
        ),
        GeneratedTab(
            "sheets-sync (état)",
            banner,
            "État",
            ("Clé", "Vue complète le"),
            ((OutCell("essais"), OutCell(now.date(), "date")),),
            hidden=True,
        ),
    ]


def _limits() -> Any:
    from sheets_sync.config import Limits

    return Limits()


def sync_once(client: SheetsHTTPClient, key: str, now: dt.datetime = NOW) -> google.PublishResult:
    read = google.read_spreadsheet(client, key)
    return google.publish(client, key, read, dashboard(read, now))


@pytest.fixture
def emu() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as server:
        yield server


def make_campaign(emu: SheetsEmulator) -> str:
    """A spreadsheet laid out by the template, then filled by three principals."""
    key = emu.create_spreadsheet("Campagne 2021")
    google.write_google_template(emulator_client(emu), key, sheets_template(None))
    type_answers(emu, key, [COMPLETE_YES, COMPLETE_NO, INCOMPLETE])
    emu.clear_log()
    return key


@pytest.fixture
def campaign(emu: SheetsEmulator) -> str:
    return make_campaign(emu)


def calls(emu: SheetsEmulator) -> list[tuple[str, str]]:
    return [(r.method, r.path.rsplit("/", 1)[-1].split(":")[-1]) for r in emu.requests]


# --- references and credentials -------------------------------------------------------------

ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"


@pytest.mark.parametrize(
    "text",
    [
        ID,
        f"  {ID}\n",
        f"https://docs.google.com/spreadsheets/d/{ID}/edit#gid=0",
        f"https://docs.google.com/spreadsheets/u/1/d/{ID}/edit?usp=sharing",
        f"docs.google.com/spreadsheets/d/{ID}",
        f"https://drive.google.com/open?id={ID}",
    ],
)
def test_spreadsheet_ref_accepts_urls_and_ids(text: str) -> None:
    assert google.parse_spreadsheet_ref(text) == ID


@pytest.mark.parametrize(
    "text, words",
    [
        ("reponses.xlsx", "ni l'adresse ni l'identifiant"),
        ("", "ni l'adresse ni l'identifiant"),
        ("https://example.org/spreadsheets/x", "n'est pas l'adresse d'un classeur"),
        (f"https://docs.google.com/spreadsheets/d/e/2PACX-{ID}/pubhtml", "publiée sur le web"),
    ],
)
def test_spreadsheet_ref_refuses_the_rest_in_french(text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        google.parse_spreadsheet_ref(text)


def test_target_takes_credentials_from_the_environment(tmp_path: Path) -> None:
    env = {"GOOGLE_APPLICATION_CREDENTIALS": str(tmp_path / "cle.json")}
    target = google.google_target(f"https://docs.google.com/spreadsheets/d/{ID}/edit", None, env)
    assert target == google.GoogleTarget(ID, tmp_path / "cle.json", None)
    emulated = google.google_target(ID, None, {"SHEETS_EMULATOR_HOST": "127.0.0.1:8765"})
    assert emulated.emulator == "http://127.0.0.1:8765" and emulated.credentials is None


def _key_file(tmp_path: Path, token_uri: str, **extra: str) -> tuple[Path, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "projet-fictif",
        "private_key_id": "0" * 40,
        "private_key": pem,
        "client_email": "sheets-sync@projet-fictif.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": token_uri,
        **extra,
    }
    path = tmp_path / "compte-de-service.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path, pem


@pytest.mark.parametrize(
    "content, words",
    [
        (None, "introuvable"),
        ("{pas du json", "n'est pas un fichier JSON valide"),
        (json.dumps({"type": "authorized_user"}), "n'est pas une clé de compte de service"),
        (json.dumps({"type": "service_account", "client_email": "a@b.c"}), "il manque"),
        (
            json.dumps(
                {
                    "type": "service_account",
                    "client_email": "a@b.c",
                    "token_uri": "x",
                    "private_key": "-----BEGIN PRIVATE KEY-----\nabîmée\n",
                }
            ),
            "endommagée",
        ),
    ],
)
def test_bad_credentials_files_are_config_errors_naming_the_path(
    tmp_path: Path, content: str | None, words: str
) -> None:
    path = tmp_path / "cle.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=words) as err:
        google.open_client(path, environ={})
    assert str(path) in str(err.value) and err.value.exit_code == 2


def test_no_credentials_at_all_says_where_to_put_them() -> None:
    with pytest.raises(ConfigError, match="GOOGLE_APPLICATION_CREDENTIALS"):
        google.open_client(None, environ={})


class _TokenServer(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"error": "invalid_grant", "error_description": "Invalid JWT Signature."}'
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def token_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/token"
    server.shutdown()
    server.server_close()


def test_a_revoked_key_is_a_config_error_without_the_key(tmp_path: Path, token_server: str) -> None:
    path, pem = _key_file(tmp_path, token_server)
    client = google.open_client(path, environ={}, sleep=Sleeps())
    assert client.account == "sheets-sync@projet-fictif.iam.gserviceaccount.com"
    with pytest.raises(ConfigError, match="Identifiants Google refusés") as err:
        google.read_spreadsheet(client, ID)
    text = str(err.value)
    assert str(path) in text and "BEGIN PRIVATE KEY" not in text and pem[40:80] not in text
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert client.traffic.requests == 1  # refused at the token: no Sheets request was made


def test_no_network_is_a_source_error_after_bounded_retries(tmp_path: Path) -> None:
    path, _ = _key_file(tmp_path, "http://127.0.0.1:9/token")  # discard port: refused
    sleeps = Sleeps()
    client = google.open_client(path, environ={}, max_wait=5.0, sleep=sleeps)
    with pytest.raises(SourceError, match="Impossible de joindre Google Sheets"):
        google.read_spreadsheet(client, ID)
    assert sleeps and sum(sleeps) <= 5.0
    assert client.traffic.requests == len(sleeps) + 1


def test_emulator_variable_needs_no_credentials(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom"]]})
    client = google.open_client(None, environ={"SHEETS_EMULATOR_HOST": emu.host})
    assert google.read_spreadsheet(client, key).tabs == {"Réponses": 0}
    assert client.account is None


def test_403_asks_to_share_with_the_service_account(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Privé")
    emu.make_private(key)
    client = SheetsHTTPClient(
        LoopbackSession(emu.url), account="robot@projet-fictif.iam.gserviceaccount.com"
    )
    with pytest.raises(SourceError) as err:
        google.read_spreadsheet(client, key)
    assert "partagez-le" in str(err.value)
    assert "robot@projet-fictif.iam.gserviceaccount.com" in str(err.value)
    assert [r.status for r in emu.requests] == [403]  # a 403 is not retried


def test_404_names_the_id(emu: SheetsEmulator) -> None:
    with pytest.raises(SourceError, match="introuvable : « inconnu-0123456789abcdefghij »"):
        google.read_spreadsheet(emulator_client(emu), "inconnu-0123456789abcdefghij")


# --- reading ----------------------------------------------------------------------------------


def test_pull_is_two_requests_with_typed_values(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet(
        "Campagne",
        {
            "Réponses": [
                ["Nom", "Classes", "Date de dépôt", "Oui ?", "Erreur", "Formule"],
                ["Collège Exemple", 3, dt.date(2021, 7, 16), True, CellError("#N/A"), "=SOMME(A1)"],
                [],
                ["Collège Bis", 2.5],
            ],
            "Ambassadeurs": [["Prénom", "NOM"]],
            "Synthèse": [[f"{MARKER} le 01/07/2021"], ["Titre"]],
        },
    )
    client = emulator_client(emu)
    read = google.read_spreadsheet(client, key)
    assert calls(emu) == [("GET", key), ("GET", "batchGet")]
    assert emu.requests[1].query["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert emu.requests[1].query["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    answers = read.grids[0]
    assert (answers.tab, answers.sheet, answers.origin) == ("Réponses", "Réponses", "Campagne")
    assert answers.rows == (
        ("Nom", "Classes", "Date de dépôt", "Oui ?", "Erreur", "Formule"),
        (
            "Collège Exemple",
            3,
            (dt.date(2021, 7, 16) - SERIAL_EPOCH).days,
            True,
            CellError("#N/A"),
            "=SOMME(A1)",
        ),
        (None,) * 6,
        ("Collège Bis", 2.5, None, None, None, None),
    )
    assert read.generated == {"Synthèse"}
    assert list(read.tabs) == ["Réponses", "Ambassadeurs", "Synthèse"]


def test_revision_follows_input_tabs_only(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom"], ["Collège A"]]})
    client = emulator_client(emu)
    first = google.read_spreadsheet(client, key)
    google.publish(client, key, first, dashboard(first))
    assert google.read_spreadsheet(client, key).revision == first.revision
    type_answers(emu, key, [COMPLETE_NO])
    assert google.read_spreadsheet(client, key).revision != first.revision


# --- cells ------------------------------------------------------------------------------------


def test_cell_values_are_never_formulas_and_dates_are_serials() -> None:
    gids = {"Réponses": 0, "Autre onglet": 77}
    assert cell_data(OutCell("=SOMME(A1)"), gids) == {
        "userEnteredValue": {"stringValue": "=SOMME(A1)"}
    }
    assert cell_data(OutCell(True), gids) == {"userEnteredValue": {"boolValue": True}}
    assert cell_data(OutCell(None, "header"), gids)["userEnteredFormat"]["textFormat"] == {
        "bold": True
    }
    day = cell_data(OutCell(dt.date(2021, 7, 16)), gids)
    assert day == {
        "userEnteredValue": {"numberValue": 44393},
        "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}},
    }
    moment = cell_data(OutCell(dt.datetime(2021, 7, 16, 12)), gids)
    assert moment["userEnteredValue"] == {"numberValue": 44393.5}
    assert moment["userEnteredFormat"]["numberFormat"]["type"] == "DATE_TIME"
    share = cell_data(OutCell(0.25, "percent"), gids)["userEnteredFormat"]["numberFormat"]
    assert share == {"type": "PERCENT", "pattern": "0 %"}
    assert cell_data(OutCell(CellError("#REF!")), gids) == {
        "userEnteredValue": {"stringValue": "#REF!"}
    }
    with pytest.raises(ValueError):
        cell_data(OutCell("x", "clignotant"), gids)


def test_links_are_formats_not_formulas() -> None:
    gids = {"Réponses": 0, "L'autre": 77}
    linked = cell_data(OutCell("F7 (titre)", "error", link="'Réponses'!F7"), gids)
    assert linked["userEnteredValue"] == {"stringValue": "F7 (titre)"}
    text = linked["userEnteredFormat"]["textFormat"]
    assert text["link"] == {"uri": "#gid=0&range=F7"} and text["underline"] is True
    assert linked["userEnteredFormat"]["backgroundColor"]  # the style is kept under the link
    assert link_uri("'L''autre'!B2", gids) == "#gid=77&range=B2"
    assert link_uri("réponses!A1", gids) == "#gid=0&range=A1"
    assert link_uri("mailto:a@example.org", gids) == "mailto:a@example.org"
    assert link_uri("'Absent'!A1", gids) is None
    assert "userEnteredFormat" not in cell_data(OutCell("x", link="'Absent'!A1"), gids)


@given(
    st.text(min_size=1, max_size=30).filter(lambda t: t.strip()),
    st.from_regex(r"[A-Z]{1,3}[1-9][0-9]{0,4}", fullmatch=True),
)
def test_internal_references_round_trip(title: str, cell: str) -> None:
    quoted = "'" + title.replace("'", "''") + "'!" + cell
    assert split_ref(quoted) == (title, cell)


# --- publishing -------------------------------------------------------------------------------


def test_a_sync_is_three_requests_and_writes_every_tab(emu: SheetsEmulator, campaign: str) -> None:
    key = campaign
    client = emulator_client(emu)
    inputs = [tab_state(emu, key, t) for t in ("Réponses", "Ambassadeurs")]
    read = google.read_spreadsheet(client, key)
    tabs = dashboard(read)
    assert google.plan_publish(read, tabs) == [
        ("Synthèse", "créé"),
        ("Complétude", "créé"),
        ("sheets-sync (état)", "créé"),
    ]
    result = google.publish(client, key, read, tabs)
    assert calls(emu) == [("GET", key), ("GET", "batchGet"), ("POST", "batchUpdate")]
    assert (result.requests, result.retries, result.staged) == (1, 0, False)
    assert result.bytes_sent == len(emu_body(emu, 2))
    book = emu.spreadsheet(key)
    assert [(s.title, s.hidden) for s in book.sheets] == [
        ("Réponses", False),
        ("Ambassadeurs", False),
        ("Synthèse", False),
        ("Complétude", False),
        ("sheets-sync (état)", True),
    ]
    assert [tab_state(emu, key, t) for t in ("Réponses", "Ambassadeurs")] == inputs
    completeness = book.tab("Complétude")
    assert completeness.values()[3:] == [
        ["Établissement", "Statut", "Erreurs", "Cellule", "Texte"],
        ["Collège des Essais", "complet", 0, "", "=SOMME(A1)"],
        ["Collège du Refus", "ne-participe-pas", 0, "", "=SOMME(A1)"],
        ["Collège des Brouillons", "incomplet", 2, "E4", "=SOMME(A1)"],
    ]
    assert completeness.cells[(4, 4)]["userEnteredValue"] == {"stringValue": "=SOMME(A1)"}
    answers_gid = book.tab("Réponses").sheet_id
    link = completeness.cells[(6, 3)]["userEnteredFormat"]["textFormat"]["link"]
    assert link == {"uri": f"#gid={answers_gid}&range=E4"}
    assert completeness.frozen_rows == 4
    assert completeness.column_meta[0] == {"pixelSize": 34 * 7}
    assert [
        (p["warningOnly"], "editors" in p, p["range"]) for p in completeness.protected_ranges
    ] == [(True, False, {"sheetId": completeness.sheet_id})]
    summary = book.tab("Synthèse")
    assert summary.cells[(4, 1)]["userEnteredFormat"]["numberFormat"]["type"] == "PERCENT"
    assert summary.cells[(5, 1)]["userEnteredValue"] == {"numberValue": 44393}
    assert summary.values()[-1] == ["Chiffres provisoires."]


def emu_body(emu: SheetsEmulator, index: int) -> bytes:
    return encode(emu.requests[index].body)


def test_re_sync_is_identical_and_keeps_every_gid(emu: SheetsEmulator, campaign: str) -> None:
    key = campaign
    client = emulator_client(emu)
    sync_once(client, key)
    before = state(emu, key)
    gids = {s.title: s.sheet_id for s in emu.spreadsheet(key).sheets}
    emu.clear_log()
    sync_once(client, key)
    assert len(emu.requests) == 3
    assert {s.title: s.sheet_id for s in emu.spreadsheet(key).sheets} == gids
    after = state(emu, key)
    for sheet in (*before, *after):  # a protected range gets a new id when re-added
        for protected in sheet[2]:
            protected.pop("protectedRangeId")
    assert after == before


def test_a_replaced_tab_keeps_its_place_and_leaves_nothing_behind(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet(
        "Campagne", {"Réponses": [["Nom"], ["Collège A"]], "Notes": [["à garder"]]}
    )
    client = emulator_client(emu)
    sync_once(client, key)
    order = [s.title for s in emu.spreadsheet(key).sheets]
    gspread_client = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
    sheet = gspread_client.open_by_key(key)
    sheet.worksheet("Synthèse").update([["griffonné"]], "H40")  # someone typed in our tab
    sheet.batch_update(
        {
            "requests": [
                {
                    "updateSheetProperties": {
                        "properties": {
                            "sheetId": emu.spreadsheet(key).tab("Synthèse").sheet_id,
                            "index": 0,
                        },
                        "fields": "index",
                    }
                }
            ]
        }
    )
    moved = [s.title for s in emu.spreadsheet(key).sheets]
    assert moved[0] == "Synthèse" and moved != order
    read = google.read_spreadsheet(client, key)
    tabs = dashboard(read)
    google.publish(client, key, read, [t for t in tabs if t.name != "Complétude"])
    book = emu.spreadsheet(key)
    assert [s.title for s in book.sheets] == [t for t in moved if t != "Complétude"]
    assert (39, 7) not in book.tab("Synthèse").cells
    assert len(book.tab("Synthèse").protected_ranges) == 1


def test_someone_elses_tab_with_our_name_is_refused_before_any_write(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom"]], "Complétude": [["Mes notes"]]})
    client = emulator_client(emu)
    read = google.read_spreadsheet(client, key)
    with pytest.raises(WriteRefused, match="« Complétude » porte le nom d'un onglet généré"):
        google.plan_publish(read, dashboard(read))
    with pytest.raises(WriteRefused):
        google.publish(client, key, read, dashboard(read))
    assert calls(emu) == [("GET", key), ("GET", "batchGet")]
    twice = [dashboard(read)[0], dashboard(read)[0]]
    with pytest.raises(WriteRefused, match="Deux onglets"):
        google.plan_publish(read, twice)


def test_a_dashboard_spreadsheet_holding_only_our_tabs_can_be_republished(
    emu: SheetsEmulator,
) -> None:
    source = emu.create_spreadsheet("Source", {"Réponses": [["Nom"], ["Collège A"]]})
    target = emu.create_spreadsheet("Tableau de bord")  # one blank « Sheet1 »
    client = emulator_client(emu)
    read = google.read_spreadsheet(client, source)
    google.publish(client, target, google.read_spreadsheet(client, target), dashboard(read)[:1])
    gspread_client = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
    gspread_client.open_by_key(target).del_worksheet_by_id(0)
    assert [s.title for s in emu.spreadsheet(target).sheets] == ["Synthèse"]
    google.publish(client, target, google.read_spreadsheet(client, target), dashboard(read)[:1])
    assert [s.title for s in emu.spreadsheet(target).sheets] == ["Synthèse"]


def test_large_publish_is_staged_in_the_fewest_requests_under_the_limit(
    emu: SheetsEmulator,
) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom"], ["Collège A"]]})
    client = emulator_client(emu)
    read = google.read_spreadsheet(client, key)
    rows = tuple(
        (OutCell(f"Collège fictif n°{i}", "wrap"), OutCell(i, "integer")) for i in range(3000)
    )
    big = [
        GeneratedTab("Complétude", f"{MARKER} test", "Titre", ("Nom", "N"), rows),
        GeneratedTab("Synthèse", f"{MARKER} test", "Titre", ("Nom",), rows[:5]),
    ]
    batches, staging = publish_batches(read, big, max_bytes=100_000)
    sizes = [len(encode({"requests": b})) for b in batches]
    assert len(batches) > 2 and all(s <= 100_000 for s in sizes) and len(staging) == 2
    assert sum(sizes) // 100_000 + 1 >= len(batches) - 1  # no batch is needlessly small
    emu.clear_log()
    result = google.publish(client, key, read, big, max_bytes=100_000)
    assert (result.requests, result.staged) == (len(batches), True)
    assert [len(encode(r.body)) for r in emu.requests] == sizes
    book = emu.spreadsheet(key)
    assert [s.title for s in book.sheets] == ["Réponses", "Complétude", "Synthèse"]
    assert not any(s.hidden for s in book.sheets)
    values = book.tab("Complétude").values()
    assert len(values) == 3004 and values[-1] == ["Collège fictif n°2999", 2999]
    assert book.tab("Complétude").frozen_rows == 4


def test_tabs_changed_during_the_sync_refuse_the_whole_publish(
    emu: SheetsEmulator, campaign: str
) -> None:
    key = campaign
    client = emulator_client(emu)
    sync_once(client, key)
    read = google.read_spreadsheet(client, key)
    tabs = dashboard(read)
    gspread_client = gspread.Client(auth=None, session=LoopbackSession(emu.url))  # type: ignore[arg-type]
    sheet = gspread_client.open_by_key(key)
    sheet.del_worksheet(sheet.worksheet("Complétude"))  # meanwhile, someone removes our tab
    before = state(emu, key)
    with pytest.raises(SourceChanged, match="modifié pendant la synchronisation"):
        google.publish(client, key, read, tabs)
    assert state(emu, key) == before


def test_answers_typed_during_the_sync_are_kept(emu: SheetsEmulator, campaign: str) -> None:
    key = campaign
    client = emulator_client(emu)
    read = google.read_spreadsheet(client, key)
    type_answers(emu, key, [COMPLETE_NO])  # a principal types while we compute
    typed = tab_state(emu, key, "Réponses")
    google.publish(client, key, read, dashboard(read))
    assert tab_state(emu, key, "Réponses") == typed
    assert google.read_spreadsheet(client, key).revision != read.revision


# --- template ---------------------------------------------------------------------------------


def test_template_lays_out_the_annex_in_one_write(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Nouvelle campagne")
    google.write_google_template(emulator_client(emu), key, sheets_template(None))
    assert calls(emu) == [("GET", key), ("GET", "batchGet"), ("POST", "batchUpdate")]
    book = emu.spreadsheet(key)
    assert [s.title for s in book.sheets] == ["Réponses", "Ambassadeurs"]  # blank Sheet1 gone
    answers, roster = book.tab("Réponses"), book.tab("Ambassadeurs")
    values = answers.values()
    assert values[0] == [f.label for f in ANSWER_FIELDS] + ["Statut"]
    # below the header, only the « Statut » column: live-feedback formulas
    assert all(row[:-1] == [""] * len(ANSWER_FIELDS) for row in values[1:])
    assert all(str(row[-1]).startswith('=IF(COUNTA($A') for row in values[1:])
    assert len(values) == PREPARED_ROWS + 1
    assert roster.values() == [[f.label for f in ROSTER_FIELDS]]
    assert (answers.frozen_rows, answers.rows) == (1, PREPARED_ROWS + 1)
    participation = answers.cells[(PREPARED_ROWS, 3)]["dataValidation"]
    assert participation["condition"] == {
        "type": "ONE_OF_LIST",
        "values": [{"userEnteredValue": "Oui"}, {"userEnteredValue": "Non"}],
    }
    assert participation["strict"] is True
    count = answers.cells[(1, 4)]["dataValidation"]["condition"]
    assert count["type"] == "CUSTOM_FORMULA"
    assert "=INT(E2)" in count["values"][0]["userEnteredValue"]
    orientation = answers.cells[(1, 7)]["dataValidation"]
    assert orientation["strict"] is False and len(orientation["condition"]["values"]) == 3
    assert "informations sur les secteurs porteurs" in answers.cells[(0, 7)]["note"]
    assert answers.cells[(1, 14)]["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    header = answers.protected_ranges[0]
    assert header["warningOnly"] is True and header["range"]["endRowIndex"] == 1
    rules = answers.conditional_formats  # stored by the emulator, as Google lists them
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in rules]
    assert '=AND($D2="Oui",LEN(TRIM(G2))=0)' in formulas  # titre, required with « Oui »
    assert "=AND(COUNTA($A2:$O2)>0,LEN(TRIM(A2))=0)" in formulas
    assert all(r["ranges"][0]["endRowIndex"] == PREPARED_ROWS + 1 for r in rules)
    assert {r["ranges"][0]["sheetId"] for r in rules} == {answers.sheet_id}
    assert {r["ranges"][0]["sheetId"] for r in roster.conditional_formats} == {roster.sheet_id}
    listed = emu.spreadsheet(key).metadata({})["sheets"][0]["conditionalFormats"]
    assert listed == rules
    genre = roster.cells[(1, 2)]["dataValidation"]
    assert genre["strict"] is True and len(genre["condition"]["values"]) == 3


def test_template_never_overwrites_an_existing_tab(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne", {"Réponses": [["déjà là"]]})
    before = state(emu, key)
    with pytest.raises(WriteRefused, match="contient déjà l'onglet « Réponses »"):
        google.write_google_template(emulator_client(emu), key, sheets_template(None))
    assert state(emu, key) == before
    assert [r.method for r in emu.requests] == ["GET"]


def test_template_keeps_a_default_tab_that_has_content(emu: SheetsEmulator) -> None:
    key = emu.create_spreadsheet("Campagne", {"Sheet1": [["une note"]]})
    google.write_google_template(emulator_client(emu), key, sheets_template(None))
    assert [s.title for s in emu.spreadsheet(key).sheets] == ["Réponses", "Ambassadeurs", "Sheet1"]


def test_end_to_end_answers_read_back_through_the_template(
    emu: SheetsEmulator, campaign: str
) -> None:
    read = google.read_spreadsheet(emulator_client(emu), campaign)
    found = extract(read.grids, "Réponses")
    schools = check_answers(found.answers, _limits())
    assert [(s.name, s.row) for s in schools] == [
        ("Collège des Essais", 2),
        ("Collège du Refus", 3),
        ("Collège des Brouillons", 4),
    ]
    assert [bool(s.errors) for s in schools] == [False, False, True]
    flagged = {i.cell for i in schools[2].issues}
    assert {"E4", "G4"} <= flagged
