"""Pointing a client at the emulator: SHEETS_EMULATOR_HOST and a host-rewriting session.

Like Google's own `*_EMULATOR_HOST` variables, `SHEETS_EMULATOR_HOST=127.0.0.1:8765` means
"talk to the emulator, with no credentials". gspread has no endpoint option; its documented
hook is a custom `requests.Session` (`gspread.Client(auth=None, session=...)`), so the
session rewrites Google's hosts and keeps the path verbatim.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import requests

EMULATOR_HOST_VARIABLE = "SHEETS_EMULATOR_HOST"
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")


def emulator_url(environ: Mapping[str, str] | None = None) -> str | None:
    """ "http://host:port" when SHEETS_EMULATOR_HOST is set (host:port or a URL), else None."""
    value = (os.environ if environ is None else environ).get(EMULATOR_HOST_VARIABLE, "").strip()
    if not value:
        return None
    return value.rstrip("/") if "://" in value else f"http://{value}"


class LoopbackSession(requests.Session):
    """Send every Google API call to the emulator at `base_url` (refuses any other URL)."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.trust_env = False  # no proxies from the environment on loopback

    def request(
        self,
        method: str | bytes,
        url: str | bytes,
        *args: Any,
        **kwargs: Any,
    ) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        for host in GOOGLE_HOSTS:
            if text.startswith(host):
                return super().request(method, self.base_url + text[len(host) :], *args, **kwargs)
        raise ValueError(f"URL outside the Google APIs, refused offline: {text}")
