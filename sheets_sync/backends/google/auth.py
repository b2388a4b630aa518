"""Where the Google source is, and who we are to Google: spreadsheet id, service account.

    source (config or --source)      https://docs.google.com/spreadsheets/d/<ID>/edit#gid=0
                                      or the bare <ID>
    credentials                       service-account JSON: config, else
                                      GOOGLE_APPLICATION_CREDENTIALS
    SHEETS_EMULATOR_HOST=host:port    our emulator, no credentials at all

The key itself never leaves google-auth: no message or exception prints it; only the
file's path and the account's e-mail (which the coordinator must share the sheet with).
Errors about the key file are raised outside the `except` that caught the cause: Python
would chain that cause, and a JSONDecodeError keeps the whole document (the key), a
UnicodeDecodeError the file's bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import requests
from google.auth import exceptions as auth_exceptions
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account

from ...errors import ConfigError
from ..files.os_reasons import reason
from .loopback import EMULATOR_HOST_VARIABLE, LoopbackSession, emulator_url
from .retry import RetryPolicy, SheetsHTTPClient

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
CREDENTIALS_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS"
TIMEOUT = (10.0, 120.0)  # connect, read (Google answers within 180 s or times out itself)

_ID = re.compile(r"[A-Za-z0-9_-]{20,120}")
_URL_ID = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
_QUERY_ID = re.compile(r"[?&]id=([A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class GoogleTarget:
    """A Google source: the spreadsheet, the credentials file, or the emulator's URL."""

    spreadsheet_id: str
    credentials: Path | None
    emulator: str | None


def parse_spreadsheet_ref(text: str) -> str:
    """A spreadsheet's URL (as copied from the browser) or its id -> the id."""
    value = text.strip()
    if "://" in value or value.startswith(("docs.google.com", "drive.google.com")):
        if "/spreadsheets/d/e/" in value:
            raise ConfigError(
                f"« {value} » est l'adresse d'une page publiée sur le web, pas celle du classeur : "
                "ouvrez le classeur et copiez l'adresse de la barre du navigateur."
            )
        found = _URL_ID.search(value) or _QUERY_ID.search(value)
        if found and _ID.fullmatch(found.group(1)):
            return found.group(1)
        raise ConfigError(
            f"« {value} » n'est pas l'adresse d'un classeur Google Sheets "
            "(attendu : https://docs.google.com/spreadsheets/d/…/edit)."
        )
    if _ID.fullmatch(value):
        return value
    raise ConfigError(
        f"« {value} » n'est ni l'adresse ni l'identifiant d'un classeur Google Sheets "
        "(l'identifiant est la longue suite de lettres et chiffres après /d/ dans l'adresse)."
    )


def google_target(
    source: str, credentials: Path | None = None, environ: Mapping[str, str] | None = None
) -> GoogleTarget:
    """The target of a sync: the id from `source`, and how we will authenticate."""
    env = os.environ if environ is None else environ
    path = credentials
    if path is None and env.get(CREDENTIALS_VARIABLE):
        path = Path(env[CREDENTIALS_VARIABLE])
    return GoogleTarget(parse_spreadsheet_ref(source), path, emulator_url(env))


_UNREADABLE = object()


def _reason(exc: BaseException) -> str:
    """Why a file could not be read, in French (strerror is the system's, often English)."""
    if isinstance(exc, UnicodeDecodeError):
        return "ce n'est pas un fichier texte UTF-8"
    if isinstance(exc, OSError):
        return reason(exc)
    return type(exc).__name__


def _read_key_file(path: Path) -> str:
    text: str | None = None
    reason = ""
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        reason = "introuvable"
    except (OSError, UnicodeDecodeError) as exc:
        reason = _reason(exc)
    if text is None:  # raised here, not in the except: the cause is not chained
        if reason == "introuvable":
            raise ConfigError(f"Fichier d'identifiants Google introuvable : {path}")
        raise ConfigError(f"Fichier d'identifiants Google illisible : {path} ({reason}).")
    return text


def service_account_info(path: Path) -> dict[str, Any]:
    """The JSON key file, checked enough to give a French message when it is not one."""
    raw = _read_key_file(path)
    info: Any = _UNREADABLE
    with contextlib.suppress(ValueError):
        info = json.loads(raw)
    if info is _UNREADABLE:
        raise ConfigError(
            f"Le fichier d'identifiants Google {path} n'est pas un fichier JSON valide."
        )
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConfigError(
            f"Le fichier {path} n'est pas une clé de compte de service Google (« type » doit "
            "valoir « service_account ») : créez une clé JSON pour un compte de service dans "
            "la console Google Cloud."
        )
    needed = ("client_email", "private_key", "token_uri")
    missing = [k for k in needed if not info.get(k)]
    if missing:
        raise ConfigError(
            f"Clé de compte de service incomplète ({path}) : il manque {', '.join(missing)}."
        )
    wrong = [k for k in needed if not isinstance(info[k], str)]
    if wrong:
        raise ConfigError(
            f"Clé de compte de service invalide ({path}) : {', '.join(wrong)} doit être un "
            "texte. Créez une nouvelle clé JSON dans la console Google Cloud."
        )
    return info


class _ServiceAccount(service_account.Credentials):
    """google-auth's service account, whose token refresh fails only with google-auth errors.

    A token endpoint answering 200 with something else than a token (a proxy's login page)
    makes google-auth fail with TypeError or ValueError deep inside; that becomes a
    TransportError, which the retry policy retries and `translate` says as « réseau, proxy ».
    """

    def refresh(self, request: Any) -> None:
        try:
            super().refresh(request)  # type: ignore[no-untyped-call]
        except (TypeError, ValueError, AttributeError):
            raise auth_exceptions.TransportError(  # type: ignore[no-untyped-call]
                "the token endpoint's reply is not a token"
            ) from None


def _credentials(info: dict[str, Any], path: Path) -> _ServiceAccount:
    """google-auth credentials for the key, which must load and sign (an RSA key)."""
    creds: _ServiceAccount | None = None
    # whatever google-auth or cryptography raise on a bad key means the same to the coordinator
    with contextlib.suppress(Exception):
        built = _ServiceAccount.from_service_account_info(  # type: ignore[no-untyped-call]
            info, scopes=list(SCOPES)
        )
        built.signer.sign(b"sheets-sync")  # an EC key loads, but fails only at the first call
        creds = built
    if creds is None:  # raised here, not in the except: the cause is not chained
        raise ConfigError(
            f"Clé de compte de service illisible ({path}) : la clé privée est endommagée. "
            "Créez une nouvelle clé JSON dans la console Google Cloud."
        )
    return creds


def open_client(
    credentials: Path | None,
    *,
    environ: Mapping[str, str] | None = None,
    max_wait: float = 60.0,
    sleep: Callable[[float], None] | None = None,
    rand: Callable[[], float] | None = None,
) -> SheetsHTTPClient:
    """A client for the Sheets API: the emulator when SHEETS_EMULATOR_HOST is set, else
    Google with the service account in `credentials` (or GOOGLE_APPLICATION_CREDENTIALS).

    No request is made here; a rejected key shows at the first call (see translate).
    """
    env = os.environ if environ is None else environ
    policy = RetryPolicy(max_wait=max_wait)
    if sleep is not None:
        policy = replace(policy, sleep=sleep)
    if rand is not None:
        policy = replace(policy, random=rand)
    url = emulator_url(env)
    session: requests.Session
    if url is not None:
        session = LoopbackSession(url)
        client = SheetsHTTPClient(session, policy=policy)
    else:
        path = credentials
        if path is None and env.get(CREDENTIALS_VARIABLE):
            path = Path(env[CREDENTIALS_VARIABLE])
        if path is None:
            raise ConfigError(
                "Aucun identifiant Google : indiquez le fichier JSON du compte de service dans "
                f"config.toml, ou dans la variable {CREDENTIALS_VARIABLE} "
                f"(ou {EMULATOR_HOST_VARIABLE} pour l'émulateur)."
            )
        info = service_account_info(path)
        creds = _credentials(info, path)
        session = AuthorizedSession(creds)  # type: ignore[no-untyped-call]
        client = SheetsHTTPClient(
            session, policy=policy, account=str(info["client_email"]), credentials_path=str(path)
        )
    client.set_timeout(TIMEOUT)
    return client
