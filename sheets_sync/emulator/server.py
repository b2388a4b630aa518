"""The HTTP side: a ThreadingHTTPServer on 127.0.0.1 that logs every request and can answer
chosen requests with a fault instead (an error status, a late answer, a dropped connection).

Requests are numbered from 1 in arrival order; `faults` maps a number to what happens to it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from .errors import ApiError, invalid_argument, rate_limited
from .routes import route, strip_nulls
from .store import Store

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class LoggedRequest:
    """One request as received, with the status it got (0 when the connection was dropped)."""

    number: int
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int
    fault: str | None = None


@dataclass(frozen=True)
class Fault:
    """What to do instead of (or before) answering a request.

    kind "status": answer `status` with Google's JSON error body, apply nothing.
    kind "timeout": wait `delay` seconds, then answer normally (the change *is* applied, as
    when a real call outlives the client's timeout).
    kind "drop": close the connection without an answer, apply nothing.
    """

    kind: str
    status: int = 0
    delay: float = 0.0

    def error(self) -> ApiError:
        return rate_limited() if self.status == 429 else ApiError(self.status)


@dataclass
class EmulatorState:
    """What the handler threads share; every access holds `lock`."""

    store: Store
    lock: threading.Lock = field(default_factory=threading.Lock)
    log: list[LoggedRequest] = field(default_factory=list)
    faults: dict[int, Fault] = field(default_factory=dict)
    received: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, state: EmulatorState) -> None:
        self.state = state
        super().__init__((LOOPBACK, port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One buffered write per reply, no Nagle: otherwise each reply waits ~40 ms for an ACK.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    server: EmulatorHTTPServer

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request log is kept as data, not printed."""

    def _handle(self, method: str) -> None:
        state = self.server.state
        path, _, raw_query = self.path.partition("?")
        query = parse_qs(raw_query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        with state.lock:
            state.received += 1
            number = state.received
            fault = state.faults.pop(number, None)
        body: Any = None
        status: int
        reply: Any
        try:
            body = strip_nulls(json.loads(raw)) if raw.strip() else None
        except (ValueError, UnicodeDecodeError):
            status, reply = 400, invalid_argument("Invalid JSON payload received.").body()
        else:
            status, reply = 0, None
        if fault is not None and fault.kind == "drop":
            self._record(number, method, path, query, body, 0, "drop")
            self.close_connection = True
            return
        if fault is not None and fault.kind == "status":
            status, reply = fault.status, fault.error().body()
        elif status == 0:
            if fault is not None and fault.kind == "timeout":
                state.stopping.wait(fault.delay)
            with state.lock:
                status, reply = route(state.store, method, path, query, body)
        self._record(
            number, method, path, query, body, status, None if fault is None else fault.kind
        )
        self._send(status, reply)

    def _record(
        self,
        number: int,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        status: int,
        fault: str | None,
    ) -> None:
        state = self.server.state
        with state.lock:
            state.log.append(LoggedRequest(number, method, path, query, body, status, fault))

    def _send(self, status: int, reply: Any) -> None:
        data = b"" if reply is None else json.dumps(reply, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
            self.close_connection = True
