"""Which method answers which URL: a pure function from (method, path, query, body) to
(status, JSON body), over a `Store`. No sockets here; server.py does the HTTP.

    GET    /v4/spreadsheets/{id}                       metadata (ranges, includeGridData, fields)
    POST   /v4/spreadsheets/{id}:batchUpdate           batch.apply_batch, all or nothing
    GET    /v4/spreadsheets/{id}/values/{range}        values.value_range
    PUT    /v4/spreadsheets/{id}/values/{range}        values.update
    POST   /v4/spreadsheets/{id}/values/{range}:append | :clear
    GET    /v4/spreadsheets/{id}/values:batchGet       POST …/values:batchUpdate | :batchClear
    POST   /v4/spreadsheets                            create (Sheets API)
    POST   /drive/v3/files   GET /drive/v3/files?q=…   GET | DELETE /drive/v3/files/{id}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from . import values
from .batch import apply_batch
from .errors import ApiError, invalid_argument
from .fields import parse_fields, select
from .model import Spreadsheet
from .store import Store

Params = Mapping[str, Sequence[str]]
Reply = tuple[int, Any]
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_SHEETS = "/v4/spreadsheets"
_DRIVE = "/drive/v3/files"
_NAME_QUERY = re.compile(r"""name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def strip_nulls(value: Any) -> Any:
    """Drop `"key": null` from objects (Google treats null as unset); list items are kept."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value


def route(store: Store, method: str, path: str, query: Params, body: Any) -> Reply:
    """Answer one request; an ApiError becomes its JSON error reply."""
    try:
        if path == _SHEETS or path.startswith(_SHEETS + "/"):
            return _sheets(store, method, path[len(_SHEETS) :].lstrip("/"), query, body)
        if path == _DRIVE or path.startswith(_DRIVE + "/"):
            return _drive(store, method, unquote(path[len(_DRIVE) :].lstrip("/")), query, body)
        raise ApiError(404, f"The requested URL {path} was not found on this server.")
    except ApiError as err:
        return err.code, err.body()


def _body(body: Any) -> dict[str, Any]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise invalid_argument("Invalid JSON payload received. Expected an object.")
    return body


def _write(store: Store, key: str, change: Callable[[Spreadsheet], Any]) -> Reply:
    """Run `change` on a copy of the spreadsheet; keep the copy only if it succeeded."""
    book = store.get(key).snapshot()
    result = change(book)
    store.commit(book)
    return 200, result


def _sheets(store: Store, method: str, rest: str, query: Params, body: Any) -> Reply:
    if not rest:
        if method != "POST":
            raise ApiError(404)
        return 200, _create(store, _body(body))
    match = re.fullmatch(r"([^/:]*)([/:]?)(.*)", rest, re.DOTALL)
    assert match is not None  # the pattern accepts any text
    key, sep, tail = unquote(match.group(1)), match.group(2), match.group(3)
    if not sep and method == "GET":
        return 200, store.get(key).metadata(query)
    if sep == ":" and tail == "batchUpdate" and method == "POST":
        return _write(store, key, lambda b: apply_batch(b, _body(body)))
    if sep == "/" and tail.startswith("values"):
        return _values(store, method, key, tail[len("values") :], query, _body(body))
    raise ApiError(404)


def _values(
    store: Store, method: str, key: str, tail: str, query: Params, body: dict[str, Any]
) -> Reply:
    if tail == ":batchGet" and method == "GET":
        return 200, values.batch_get(store.get(key), query)
    if tail == ":batchUpdate" and method == "POST":
        return _write(store, key, lambda b: values.batch_update(b, body))
    if tail == ":batchClear" and method == "POST":
        return _write(store, key, lambda b: values.batch_clear(b, body))
    if not tail.startswith("/") or len(tail) < 2:
        raise ApiError(404)
    raw, _, verb = tail[1:].rpartition(":")
    if verb not in ("append", "clear"):
        raw, verb = tail[1:], ""
    range_text = unquote(raw)
    if verb == "clear" and method == "POST":
        return _write(
            store,
            key,
            lambda b: {"spreadsheetId": key, "clearedRange": values.clear(b, range_text)},
        )
    if verb == "append" and method == "POST":
        return _write(store, key, lambda b: values.append(b, range_text, body, query))
    if not verb and method == "GET":
        return 200, values.value_range(store.get(key), range_text, query)
    if not verb and method == "PUT":
        return _write(store, key, lambda b: values.update(b, range_text, body, query))
    raise ApiError(404)


def _create(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    title = str((body.get("properties") or {}).get("title") or "Untitled spreadsheet")
    tabs = [s.get("properties", {}).get("title") for s in body.get("sheets") or []]
    locale = str((body.get("properties") or {}).get("locale") or "en_US")
    book = store.create(title, {t: [] for t in tabs if t} or None, locale=locale)
    return book.metadata({})


def _file(book: Spreadsheet) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": book.spreadsheet_id,
        "name": book.properties["title"],
        "mimeType": SPREADSHEET_MIME,
        "createdTime": book.created,
        "modifiedTime": book.modified,
    }


def _drive(store: Store, method: str, key: str, query: Params, body: Any) -> Reply:
    fields = query.get("fields", [""])[-1]
    if not key and method == "POST":
        request = _body(body)
        mime = request.get("mimeType", SPREADSHEET_MIME)
        if mime != SPREADSHEET_MIME:
            raise invalid_argument(f"Only spreadsheets can be created here, not {mime}.")
        book = store.create(str(request.get("name") or "Untitled spreadsheet"))
        out = _file(book)
        return 200, select(out, parse_fields(fields)) if fields else {
            k: out[k] for k in ("kind", "id", "name", "mimeType")
        }
    if not key and method == "GET":
        match = _NAME_QUERY.search(query.get("q", [""])[-1])
        wanted = None if match is None else (match.group(1) or match.group(2) or "")
        files = [
            {k: _file(b)[k] for k in ("kind", "id", "name", "mimeType")}
            for b in store.spreadsheets.values()
            if wanted is None or b.properties["title"] == wanted.replace('\\"', '"')
        ]
        return 200, {"kind": "drive#fileList", "incompleteSearch": False, "files": files}
    if key and method == "GET":
        out = _file(store.get(key))
        return 200, select(out, parse_fields(fields)) if fields else {
            k: out[k] for k in ("kind", "id", "name", "mimeType")
        }
    if key and method == "DELETE":
        store.delete(key)
        return 204, None
    raise ApiError(404)
