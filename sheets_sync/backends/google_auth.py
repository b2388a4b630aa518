"""Where the Google source is, and who we are to Google: spreadsheet id, service account.

    source (config or --source)      https://docs.google.com/spreadsheets/d/<ID>/edit#gid=0
                                      or the bare <ID>
    credentials                       service-account JSON: config, else
                                      GOOGLE_APPLICATION_CREDENTIALS
    SHEETS_EMULATOR_HOST=host:port    our emulator, no credentials at all

The key itself never leaves google-auth: no message or exception prints it; only the
file's path and the account's e-mail (which the coordinator must share the sheet with).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import requests
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account

from ..emulator.client import EMULATOR_HOST_VARIABLE, LoopbackSession, emulator_url
from ..errors import ConfigError
from .google_retry import RetryPolicy, SheetsHTTPClient

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


def service_account_info(path: Path) -> dict[str, Any]:
    """The JSON key file, checked enough to give a French message when it is not one."""
    try:
        raw = Path(path).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Fichier d'identifiants Google introuvable : {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise ConfigError(f"Fichier d'identifiants Google illisible : {path} ({reason}).") from None
    try:
        info = json.loads(raw)
    except ValueError:
        raise ConfigError(
            f"Le fichier d'identifiants Google {path} n'est pas un fichier JSON valide."
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConfigError(
            f"Le fichier {path} n'est pas une clé de compte de service Google (« type » doit "
            "valoir « service_account ») : créez une clé JSON pour un compte de service dans "
            "la console Google Cloud."
        )
    missing = [k for k in ("client_email", "private_key", "token_uri") if not info.get(k)]
    if missing:
        raise ConfigError(
            f"Clé de compte de service incomplète ({path}) : il manque {', '.join(missing)}."
        )
    return info


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
        try:
            creds = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=list(SCOPES)
            )
        except (ValueError, KeyError, TypeError):
            raise ConfigError(
                f"Clé de compte de service illisible ({path}) : la clé privée est endommagée. "
                "Créez une nouvelle clé JSON dans la console Google Cloud."
            ) from None
        session = AuthorizedSession(creds)  # type: ignore[no-untyped-call]
        client = SheetsHTTPClient(
            session, policy=policy, account=str(info["client_email"]), credentials_path=str(path)
        )
    client.set_timeout(TIMEOUT)
    return client
