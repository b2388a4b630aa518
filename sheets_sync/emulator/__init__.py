"""A Google Sheets API v4 emulator on 127.0.0.1, for offline tests and demos.

    with SheetsEmulator() as emu:
        key = emu.create_spreadsheet("Campagne", {"Réponses": [["Nom", "Adresse"]]})
        client = gspread.Client(auth=None, session=LoopbackSession(emu.url))
        client.open_by_key(key).sheet1.get_all_values()
        emu.requests            # every request received, numbered from 1
        emu.inject(429, at=3)   # the 3rd request gets a 429 RESOURCE_EXHAUSTED

It holds spreadsheets in memory (tabs, values, formats, validations, charts, conditional
formats, protected ranges), applies batchUpdate all or nothing and mirrors Google's reply
shapes, checked against Google's recorded exchanges by tests/emulator/test_emulator_contract.py.
What a principal does to a sheet works too, so that a campaign can be rehearsed: sorting a
range, inserting, deleting or moving rows and columns, with formulas, validations, conditional
formats and protections following the cells (`dimensions.py`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TextIO

from ..backends.google.loopback import EMULATOR_HOST_VARIABLE, LoopbackSession, emulator_url
from .errors import ApiError
from .model import Sheet, Spreadsheet
from .server import LOOPBACK, EmulatorHTTPServer, EmulatorState, Fault, LoggedRequest
from .store import Store

__all__ = [
    "EMULATOR_HOST_VARIABLE",
    "ApiError",
    "LoggedRequest",
    "LoopbackSession",
    "Sheet",
    "SheetsEmulator",
    "Spreadsheet",
    "emulator_url",
    "serve",
]

_STATUS_FAULTS = (400, 403, 404, 408, 429, 500, 503)


class SheetsEmulator:
    """The emulator server: start()/stop() or a `with` block; port 0 picks a free port."""

    def __init__(self, port: int = 0, *, seed: int = 0) -> None:
        self._state = EmulatorState(Store(seed))
        self._port = port
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SheetsEmulator:
        if self._server is None:
            self._state.stopping.clear()
            self._server = EmulatorHTTPServer(self._port, self._state)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="sheets-emulator",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._state.stopping.set()
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> SheetsEmulator:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("emulator not started")
        return int(self._server.server_address[1])

    @property
    def host(self) -> str:
        """ "127.0.0.1:PORT", the value for SHEETS_EMULATOR_HOST."""
        return f"{LOOPBACK}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    # --- spreadsheets ---------------------------------------------------------------------

    def create_spreadsheet(
        self,
        title: str = "Classeur de test",
        tabs: Mapping[str, Sequence[Sequence[object]]] | None = None,
        spreadsheet_id: str | None = None,
        *,
        locale: str = "en_US",
    ) -> str:
        """A new spreadsheet (tabs of plain values, or one empty "Sheet1"); returns its id.

        `locale="fr_FR"`: formulas written to it must use « ; » (`emulator.formulas`).
        """
        with self._state.lock:
            return self._state.store.create(
                title, tabs, spreadsheet_id, locale=locale).spreadsheet_id

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        """The stored spreadsheet (read it while no request is in flight)."""
        with self._state.lock:
            return self._state.store.get(spreadsheet_id)

    def make_private(self, spreadsheet_id: str) -> None:
        """Requests on this id answer 403 PERMISSION_DENIED, as for a file not shared."""
        with self._state.lock:
            self._state.store.private.add(spreadsheet_id)

    # --- request log and faults -----------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request answered so far, in arrival order."""
        with self._state.lock:
            return sorted(self._state.log, key=lambda r: r.number)

    def clear_log(self) -> None:
        with self._state.lock:
            self._state.log.clear()

    @property
    def received(self) -> int:
        """How many requests arrived so far (the next one is number received + 1)."""
        with self._state.lock:
            return self._state.received

    def inject(
        self, fault: int | str, *, at: int | None = None, times: int = 1, delay: float = 1.0
    ) -> None:
        """Answer request number `at` (default: the next one) and the `times - 1` after it
        with a fault: an HTTP status (429, 500, 503…, with Google's JSON error body, nothing
        applied), "timeout" (answer after `delay` seconds, change applied) or "drop" (close
        the connection without an answer, nothing applied)."""
        if isinstance(fault, int):
            if fault not in _STATUS_FAULTS:
                raise ValueError(f"unsupported fault status: {fault}")
            planned = Fault("status", status=fault)
        elif fault in ("timeout", "drop"):
            planned = Fault(fault, delay=delay)
        else:
            raise ValueError(f"unknown fault: {fault!r}")
        with self._state.lock:
            first = self._state.received + 1 if at is None else at
            for number in range(first, first + times):
                self._state.faults[number] = planned


def serve(
    port: int = 8765,
    load: Path | None = None,
    *,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Run the emulator on 127.0.0.1:port until interrupted (or until `stop` is set).

    With `load`, the spreadsheet is preloaded from an .xlsx file (values of every tab).
    Prints, in French, where it listens and the id of the spreadsheet to open.
    """
    from .load_xlsx import read_xlsx_tabs

    tabs = read_xlsx_tabs(load) if load is not None else None
    title = load.stem if load is not None else "Classeur de démonstration"
    with SheetsEmulator(port) as emu:
        key = emu.create_spreadsheet(title, tabs)
        lines = [
            f"Émulateur Google Sheets à l'écoute sur {emu.url} (boucle locale).",
            f"Classeur : {key}" + (f" (chargé depuis {load.name})" if load else ""),
            f"Pour y diriger sheets-sync : export {EMULATOR_HOST_VARIABLE}={emu.host}",
            "Ctrl+C pour arrêter.",
        ]
        if out is not None:
            out.write("\n".join(lines) + "\n")
            out.flush()
        with contextlib.suppress(KeyboardInterrupt):
            (stop or threading.Event()).wait()
