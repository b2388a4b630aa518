"""Requests and bytes of one Google Sheets sync, against the emulator (run on demand).

    python bench/bench_google.py [--schools 15 650 7000] [--max-bytes 2000000]

For each size, a spreadsheet of fictional answers (« Collège fictif n°… ») is pulled,
checked, and a dashboard is published twice (first sync: tabs created; second: replaced).
Prints, per sync: HTTP requests by kind, bytes sent (request bodies), bytes received
(answers), the largest request, whether the publish was staged, and the wall time.

The dashboard is a stand-in built here (one row per school, the house styles, a link per
school to its row, a hidden state tab), sized like « Complétude »: the real tabs come from
sheets_sync.dashboards.overview, whose API is still moving.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sheets_sync.backends import google
from sheets_sync.backends.google.publish import MAX_BYTES
from sheets_sync.cells.grid import MARKER, GeneratedTab, OutCell
from sheets_sync.config import Limits
from sheets_sync.emulator import SheetsEmulator
from sheets_sync.form.check import check_answers
from sheets_sync.form.model import ANSWER_FIELDS, CONTENTS, DISCIPLINES, ORIENTATIONS
from sheets_sync.form.read import extract

SIZES = (15, 650, 7_000)


def answers(n: int, seed: int = 2021) -> list[list[object]]:
    """n fictional answers as typed rows (a few incomplete ones)."""
    rng = random.Random(seed)
    rows: list[list[object]] = [[f.label for f in ANSWER_FIELDS]]
    for i in range(n):
        yes = rng.random() < 0.8
        values: dict[str, object] = {
            "etablissement": f"Collège fictif n°{i + 1}",
            "adresse": f"{i + 1} rue de l'Exemple, 59100 Roubaix",
            "referent": "Camille MARTIN, principale adjointe",
            "participation": "Oui" if yes else "Non",
            "courriel": f"referent{i + 1}@example.org",
            "date_depot": dt.date(2021, 7, 1) + dt.timedelta(days=rng.randrange(60)),
        }
        if yes:
            values.update(
                {
                    "classes_4e": rng.randrange(3),
                    "classes_3e": rng.randrange(1, 3),
                    "titre": "Des métiers près de chez nous" if rng.random() < 0.9 else None,
                    "orientation": rng.choice(ORIENTATIONS),
                    "objectifs": "Découvrir des métiers.",
                    "discipline": rng.choice(DISCIPLINES),
                    "theme": "Le numérique",
                    "contenu": rng.choice(CONTENTS),
                }
            )
        rows.append([values.get(f.key) for f in ANSWER_FIELDS])
    return rows


def dashboard(read: google.SpreadsheetRead, now: dt.datetime) -> list[GeneratedTab]:
    schools = check_answers(extract(read.grids, "Réponses").answers, Limits())
    banner = f"{MARKER} le {now:%d/%m/%Y à %H:%M} — ne pas modifier"
    rows = tuple(
        (
            OutCell(s.name, link=f"'{s.tab}'!A{s.row}"),
            OutCell("Réponses", "muted"),
            OutCell(s.row, "integer"),
            OutCell(s.status, "error" if s.errors else "ok"),
            OutCell(" ; ".join(i.field or "" for i in s.errors), "wrap"),
            OutCell(len(s.errors), "integer"),
            OutCell(s.values.get("date_depot"), "date"),
            OutCell(
                next((i.cell for i in s.errors if i.cell), None),
                "error",
                link=next((f"'{s.tab}'!{i.cell}" for i in s.errors if i.cell), None),
            ),
        )
        for s in schools
    )
    complete = sum(1 for s in schools if not s.errors)
    header = (
        "Établissement",
        "Onglet",
        "Ligne",
        "Statut",
        "À corriger",
        "Erreurs",
        "Date de dépôt",
        "Cellule",
    )
    return [
        GeneratedTab(
            "Synthèse",
            banner,
            "Synthèse",
            ("Indicateur", "Valeur"),
            ((OutCell("Réponses complètes"), OutCell(complete / max(len(schools), 1), "percent")),),
            widths=(40, 14),
        ),
        GeneratedTab(
            "Complétude", banner, "Complétude", header, rows, widths=(34, 12, 8, 14, 40, 8, 12, 10)
        ),
        GeneratedTab(
            "sheets-sync (état)",
            banner,
            "État",
            ("Clé", "Vue complète le"),
            tuple(
                (OutCell(f"fictif-{s.row}"), OutCell(now.date(), "date"))
                for s in schools
                if not s.errors
            ),
            hidden=True,
        ),
    ]


class Received(requests.adapters.HTTPAdapter):
    """Counts the bytes of every answer."""

    total = 0

    def build_response(self, req, resp):  # type: ignore[no-untyped-def]
        response = super().build_response(req, resp)
        Received.total += len(response.content)
        return response


def one_sync(client: google.SheetsHTTPClient, key: str, now: dt.datetime, max_bytes: int) -> str:
    before = (client.traffic.requests, client.traffic.bytes_sent, len(client.traffic.log))
    received = Received.total
    start = time.perf_counter()
    read = google.read_spreadsheet(client, key)
    result = google.publish(client, key, read, dashboard(read, now), max_bytes=max_bytes)
    elapsed = time.perf_counter() - start
    log = client.traffic.log[before[2] :]
    kinds = {"GET": 0, "POST": 0}
    for method, _, _ in log:
        kinds[method] = kinds.get(method, 0) + 1
    largest = max(size for _, _, size in log)
    return (
        f"{client.traffic.requests - before[0]:>3} requêtes ({kinds['GET']} lectures, "
        f"{kinds['POST']} batchUpdate{'s' if kinds['POST'] > 1 else ''}) "
        f"| envoyé {(client.traffic.bytes_sent - before[1]) / 1e6:7.3f} Mo "
        f"(plus grosse : {largest / 1e6:.3f} Mo) "
        f"| reçu {(Received.total - received) / 1e6:7.3f} Mo "
        f"| {'en plusieurs fois' if result.staged else 'en une fois     '} "
        f"| {elapsed:6.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES)
    args = parser.parse_args()
    with SheetsEmulator() as emu:
        for n in args.schools:
            key = emu.create_spreadsheet(f"Campagne fictive ({n})", {"Réponses": answers(n)})
            client = google.open_client(None, environ={"SHEETS_EMULATOR_HOST": emu.host})
            client.session.mount("http://", Received())
            for label, now in (
                ("1re synchro", dt.datetime(2021, 7, 1, 9)),
                ("2e synchro ", dt.datetime(2021, 7, 2, 9)),
            ):
                print(
                    f"{n:>5} établissements, {label} : {one_sync(client, key, now, args.max_bytes)}"
                )


if __name__ == "__main__":
    main()
