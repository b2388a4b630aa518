"""The HTTP side of the Google backend: one gspread HTTP client that retries, counts, and
turns what Google answers into one French line.

    SheetsHTTPClient.request
      ├── 2xx                                  returned
      ├── 408 / 429 / 500 / 502 / 503 / 504    retried: exponential backoff, full jitter,
      ├── connection refused / reset / timeout   bounded by a total wait (RetryPolicy.max_wait)
      └── anything else                        raised at once (gspread APIError)

gspread 6.2.1's BackOffHTTPClient never gives up on a permanent 429 (its guard is dead
code) and does not retry connection errors; this policy is ours. Sleep and randomness are
injected, so tests never wait.

A batchUpdate is applied by Google all or nothing, so repeating one whose answer was lost
cannot half-apply it: a repeat of a batch that did go through is refused whole (400), and
`translate` then says « relancez » rather than blaming the spreadsheet.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import requests
from google.auth import exceptions as auth_exceptions
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient, ParamsType
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL

from ...errors import ConfigError, SheetsSyncError, SourceChanged, SourceError, WriteRefused

RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout, auth_exceptions.TransportError)
# What a call to Google may raise that `translate` turns into a French line.
CALL_ERRORS = (APIError, auth_exceptions.RefreshError, *_NETWORK_ERRORS)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base·2ⁿ)).

    Gives up when the next wait would take the total past `max_wait` seconds, or after
    `max_attempts`; a Retry-After given by the server is honoured within the same bound.
    """

    max_wait: float = 60.0
    base: float = 1.0
    cap: float = 32.0
    max_attempts: int = 12
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: float | None) -> float:
        ceiling = min(self.cap, self.base * 2.0**attempt)
        wait = float(self.random()) * ceiling
        return max(wait, retry_after) if retry_after is not None else wait


@dataclass
class Traffic:
    """What went over the wire: requests sent (retries included), body bytes, retries."""

    requests: int = 0
    bytes_sent: int = 0
    retries: int = 0
    log: list[tuple[str, str, int]] = field(default_factory=list)  # (method, url, bytes)


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client with our retry policy and a traffic count.

    `account` is the service account's e-mail (None with the emulator): the 403 message
    tells the coordinator to share the spreadsheet with it.
    """

    def __init__(
        self,
        session: requests.Session,
        *,
        policy: RetryPolicy | None = None,
        account: str | None = None,
        credentials_path: str | None = None,
    ) -> None:
        super().__init__(auth=None, session=session)  # type: ignore[arg-type]
        self.policy = policy or RetryPolicy()
        self.account = account
        self.credentials_path = credentials_path
        self.traffic = Traffic()
        self.repeated_write = False  # a write was sent again after a lost answer

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        waited = 0.0
        attempt = 0
        while True:
            self.traffic.requests += 1
            size = len(data) if data is not None else 0
            self.traffic.bytes_sent += size
            self.traffic.log.append((method.upper(), endpoint, size))
            try:
                return super().request(method, endpoint, params, data, json, files, headers)
            except APIError as err:
                if err.code not in RETRIED_STATUSES:
                    raise
                failure: Exception = err
                retry_after = _retry_after(err.response)
            except _NETWORK_ERRORS as err:
                failure, retry_after = err, None
                if method.upper() != "GET":
                    self.repeated_write = True
            wait = self.policy.delay(attempt, retry_after)
            attempt += 1
            if attempt >= self.policy.max_attempts or waited + wait > self.policy.max_wait:
                raise failure
            self.traffic.retries += 1
            self.policy.sleep(wait)
            waited += wait

    def post_batch(self, spreadsheet_id: str, body: Mapping[str, Any]) -> Any:
        """spreadsheets.batchUpdate with a compact UTF-8 body (its size is what we count)."""
        return self.post_json(SPREADSHEET_BATCH_UPDATE_URL % spreadsheet_id, body)

    def post_json(self, url: str, body: Mapping[str, Any]) -> Any:
        data = encode(body)
        response = self.request(
            "post", url, data=data, headers={"Content-Type": "application/json; charset=UTF-8"}
        )
        return response.json()


def encode(body: Mapping[str, Any]) -> bytes:
    """The JSON body as sent: compact, UTF-8, no NaN."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _retry_after(response: requests.Response | None) -> float | None:
    value = None if response is None else response.headers.get("Retry-After")
    try:
        return None if value is None else max(0.0, float(value))
    except ValueError:
        return None


# --- what a failure means, in French -----------------------------------------------------


def _share_hint(client: SheetsHTTPClient, role: str) -> str:
    if client.account:
        return (
            f"partagez-le (bouton « Partager ») avec le compte de service {client.account}, "
            f"en tant que {role}"
        )
    return f"partagez-le avec le compte utilisé par sheets-sync, en tant que {role}"


def translate(
    err: Exception, client: SheetsHTTPClient, spreadsheet_id: str, *, writing: bool = False
) -> SheetsSyncError:
    """One French exception for a failed call; never carries credentials or a key."""
    where = f"le classeur Google « {spreadsheet_id} »"
    nothing = " Rien n'a été écrit." if writing else ""
    failed = WriteRefused if writing else SourceError
    if isinstance(err, auth_exceptions.RefreshError):
        return ConfigError(
            f"Identifiants Google refusés ({client.credentials_path}) : la clé du compte de "
            "service est invalide, révoquée ou le compte est désactivé. Créez une nouvelle "
            "clé JSON dans la console Google Cloud." + nothing
        )
    if isinstance(err, _NETWORK_ERRORS):
        return failed(
            "Impossible de joindre Google Sheets (réseau indisponible, proxy ou délai dépassé) "
            f"pour {where}. Vérifiez la connexion puis relancez." + nothing
        )
    if not isinstance(err, APIError):
        return SourceError(f"Erreur inattendue avec {where} ({type(err).__name__}).{nothing}")
    code, message = err.code, str(err.error.get("message", ""))
    if code == 401:
        return ConfigError(
            f"Identifiants Google refusés ({client.credentials_path}) pour {where}." + nothing
        )
    if code == 403:
        role = "éditeur" if writing else "lecteur (éditeur pour publier les onglets)"
        return failed(f"Accès refusé à {where} : {_share_hint(client, role)}.{nothing}")
    if code == 404:
        return SourceError(
            f"Classeur Google introuvable : « {spreadsheet_id} ». Vérifiez l'adresse ou "
            "l'identifiant (config.toml ou --source)." + nothing
        )
    if code in RETRIED_STATUSES:
        return failed(
            f"Google Sheets ne répond pas ou limite les requêtes (erreur {code}) pour {where}. "
            "Réessayez dans une minute." + nothing
        )
    if code == 400 and writing and client.repeated_write:
        return WriteRefused(
            f"La publication dans {where} n'a pas pu être confirmée (connexion interrompue) ; "
            "Google applique une publication entièrement ou pas du tout. Relancez la "
            "synchronisation."
        )
    if code == 400 and writing and ("No grid with id" in message or "already exists" in message):
        return SourceChanged(
            f"{where[0].upper()}{where[1:]} a été modifié pendant la synchronisation (onglet "
            "ajouté, renommé ou supprimé) ; rien n'a été écrit. Relancez la synchronisation."
        )
    return failed(
        f"Google Sheets a refusé la demande pour {where} (erreur {code} : {message}).{nothing}"
    )
