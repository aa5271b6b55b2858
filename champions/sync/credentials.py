"""The device token lives in the OS keyring and nowhere else (not the database, config or a log).

One entry per hub and device, under the service "Champions", so enrolling the same laptop with a
second hub (a test hub, a county hub) never overwrites the first one's token.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from .errors import CredentialStoreUnavailable

SERVICE = "Champions"

_UNAVAILABLE = (
    "Champions cannot use this computer's secure password store (keyring), so it has nowhere safe "
    "to keep the hub's key. Ask your IT team to enable the system keyring."
)


def account_name(hub_url: str, device_id: str) -> str:
    """``device-id@host:port`` — readable in the OS keyring manager, unique per hub and device."""
    parts = urlsplit(hub_url)
    host = parts.hostname or hub_url
    port = f":{parts.port}" if parts.port else ""
    return f"{device_id}@{host}{port}"


def save_token(hub_url: str, device_id: str, token: str) -> None:
    try:
        keyring.set_password(SERVICE, account_name(hub_url, device_id), token)
    except KeyringError as exc:
        raise CredentialStoreUnavailable(_UNAVAILABLE, detail=type(exc).__name__) from None


def load_token(hub_url: str, device_id: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, account_name(hub_url, device_id))
    except KeyringError as exc:
        raise CredentialStoreUnavailable(_UNAVAILABLE, detail=type(exc).__name__) from None


def delete_token(hub_url: str, device_id: str) -> None:
    """Forget the token; forgetting one that is already gone is fine."""
    try:
        keyring.delete_password(SERVICE, account_name(hub_url, device_id))
    except PasswordDeleteError:
        pass
    except KeyringError as exc:
        raise CredentialStoreUnavailable(_UNAVAILABLE, detail=type(exc).__name__) from None
