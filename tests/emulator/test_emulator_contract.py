"""Contract: our Sheets API emulator answers Google's recorded requests like Google did.

Every Sheets v4 / Drive v3 request of the cassettes in tests/data/reference/sheets-api-cassettes
(Google's replies recorded by gspread's own test suite) is replayed, in order, against the
emulator. Recorded ids are mapped to ours as they appear (Drive create -> spreadsheet id,
addSheet reply -> sheetId). Each reply must have the recorded status and the recorded *shape*
(recursively the same keys, JSON types and list lengths), and the same values except for
identifiers and timestamps, which no emulator can share with Google. Documented exceptions
are listed in EXCEPTIONS, each with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sheets_sync.emulator import SheetsEmulator

from ..helpers import present

CASSETTES = Path(__file__).resolve().parents[1] / "data" / "reference" / "sheets-api-cassettes"
GOOGLE = re.compile(
    r"^https://(sheets\.googleapis\.com(?=/v4/)|www\.googleapis\.com(?=/drive/v3/))"
)

# Values that identify or date a file: compared by type only.
VOLATILE_KEYS = {
    "spreadsheetId",
    "id",
    "sheetId",
    "protectedRangeId",
    "spreadsheetUrl",
    "createdTime",
    "modifiedTime",
}

# Documented differences: (cassette name or "*", JSON path regex) -> reason.
EXCEPTIONS: dict[tuple[str, str], str] = {
    (
        "WorksheetTest.test_add_protected_range_normal",
        r"\$\.sheets\[0\]\.protectedRanges\[0\]"
        r"\.editors\.users\[0\]",
    ): "Google lists the caller's own account (scrubbed to a "
    "placeholder in the cassette); the emulator lists its fictional owner address",
}


def cassette_files() -> list[Path]:
    return present(CASSETTES.glob("*.json"))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def differences(ours: Any, recorded: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """(path, what differs) for every place where `ours` departs from `recorded`."""
    if _kind(ours) != _kind(recorded):
        yield path, f"type {_kind(ours)} != recorded {_kind(recorded)}"
        return
    if isinstance(recorded, dict):
        for key in sorted(recorded.keys() - ours.keys()):
            yield f"{path}.{key}", "missing"
        for key in sorted(ours.keys() - recorded.keys()):
            yield f"{path}.{key}", "unexpected"
        for key in sorted(recorded.keys() & ours.keys()):
            if key in VOLATILE_KEYS and _kind(ours[key]) == _kind(recorded[key]):
                continue
            yield from differences(ours[key], recorded[key], f"{path}.{key}")
    elif isinstance(recorded, list):
        if len(ours) != len(recorded):
            yield path, f"length {len(ours)} != recorded {len(recorded)}"
        for i, (a, b) in enumerate(zip(ours, recorded, strict=False)):
            yield from differences(a, b, f"{path}[{i}]")
    elif ours != recorded:
        yield path, f"{ours!r} != recorded {recorded!r}"


def _excused(cassette: str, path: str) -> bool:
    return any(
        name in ("*", cassette) and re.fullmatch(pattern, path) for name, pattern in EXCEPTIONS
    )


def _map_ids(value: Any, sheet_ids: dict[int, int]) -> Any:
    if isinstance(value, dict):
        return {
            k: sheet_ids.get(v, v)
            if k == "sheetId" and isinstance(v, int)
            else _map_ids(v, sheet_ids)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_map_ids(v, sheet_ids) for v in value]
    return value


def _decode(text: str | None) -> Any:
    return json.loads(text) if text and text.strip() else None


def _learn_sheet_ids(ours: Any, recorded: Any, sheet_ids: dict[int, int]) -> None:
    for mine, theirs in zip(
        (ours or {}).get("replies", []), (recorded or {}).get("replies", []), strict=False
    ):
        if "addSheet" in mine and "addSheet" in theirs:
            sheet_ids[theirs["addSheet"]["properties"]["sheetId"]] = mine["addSheet"]["properties"][
                "sheetId"
            ]


@pytest.mark.parametrize("path", cassette_files(), ids=lambda p: p.stem)
def test_replayed_cassette_matches_google(path: Path) -> None:
    interactions = json.loads(path.read_text(encoding="utf-8"))["interactions"]
    exchanges = [i for i in interactions if GOOGLE.match(i["request"]["uri"])]
    assert exchanges, "a cassette without Google API calls tests nothing"
    spreadsheet_ids: dict[str, str] = {}
    sheet_ids: dict[int, int] = {}
    problems: list[str] = []
    with SheetsEmulator() as emu, requests.Session() as http:
        http.trust_env = False
        created = {
            _decode(i["response"]["body"]["string"])["id"]
            for i in exchanges
            if i["request"]["method"] == "POST"
            and i["request"]["uri"].split("?")[0].endswith("/drive/v3/files")
            and i["response"]["status"]["code"] == 200
        }
        for item in exchanges:  # files Google refused with 403 were never shared with us
            if item["response"]["status"]["code"] == 403:
                key = re.search(r"/spreadsheets/([^/?:]+)", item["request"]["uri"])
                if key and key.group(1) not in created:
                    emu.make_private(key.group(1))
        for n, item in enumerate(exchanges):
            request, response = item["request"], item["response"]
            url = GOOGLE.sub(emu.url, request["uri"])
            for theirs, mine in spreadsheet_ids.items():
                url = url.replace(theirs, mine)
            body = _decode(request["body"])
            data = None if body is None else json.dumps(_map_ids(body, sheet_ids)).encode()
            reply = http.request(
                request["method"],
                url,
                data=data,
                headers={"Content-Type": "application/json"},
                timeout=10,
            )
            ours, recorded = _decode(reply.text), _decode(response["body"]["string"])
            where = f"#{n} {request['method']} {request['uri'][:110]}"
            if reply.status_code != response["status"]["code"]:
                problems.append(
                    f"{where}: status {reply.status_code} != recorded "
                    f"{response['status']['code']} ({reply.text[:200]})"
                )
                continue
            if request["method"] == "POST" and url.split("?")[0].endswith("/drive/v3/files"):
                spreadsheet_ids[recorded["id"]] = ours["id"]
            _learn_sheet_ids(ours, recorded, sheet_ids)
            problems.extend(
                f"{where}: {p} {what}"
                for p, what in differences(ours, recorded)
                if not _excused(path.stem, p)
            )
    assert problems == [], "\n".join(problems)


def test_differences_sees_keys_types_lengths_and_values() -> None:
    recorded = {"range": "Sheet1!A1:B2", "values": [["a", 1]], "spreadsheetId": "x"}
    assert list(differences({**recorded, "spreadsheetId": "y"}, recorded)) == []
    assert list(
        differences(
            {"range": "Sheet1!A1:B2", "values": [["a", "1"]], "spreadsheetId": "x"}, recorded
        )
    ) == [("$.values[0][1]", "type str != recorded number")]
    assert [
        p for p, _ in differences({"range": "Sheet1!A1", "values": [], "extra": 1}, recorded)
    ] == ["$.spreadsheetId", "$.extra", "$.range", "$.values"]


def test_every_exception_names_a_cassette_and_a_reason() -> None:
    names = {p.stem for p in cassette_files()} | {"*"}
    for (name, pattern), reason in EXCEPTIONS.items():
        assert name in names or not cassette_files()
        re.compile(pattern)
        assert len(reason) > 20
