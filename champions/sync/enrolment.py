"""Joining a hub with an invite code, and leaving it.

The device token goes to the OS keyring only (see ``credentials``); who this laptop is (device,
person, role, organisation, hub address) is not secret and lives in the store's settings, so the
app can show it offline. Signing out forgets the token and the identity but keeps every record.
"""

from __future__ import annotations

import platform
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from champions.config import ConfigError, load_settings, require_ca_bundle
from champions.domain import utcnow

from . import credentials
from . import protocol as p
from .client import HubClient, normalise_hub_url
from .errors import NotEnrolled, TLSProblem

IDENTITY_KEY = "sync.identity"
CURSOR_KEY = "sync.cursor"


class SettingsLike(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...
    def delete(self, key: str) -> None: ...


class HasSettings(Protocol):
    settings: SettingsLike


@dataclass(frozen=True)
class Identity:
    hub_url: str
    device_id: str
    device_name: str
    person_id: str
    person_name: str
    role: str
    org_id: str
    org_name: str
    enrolled_at: str

    @property
    def is_coordinator(self) -> bool:
        return self.role in ("coordinator", "admin")

    def for_export(self) -> dict[str, Any]:
        return {
            "hub_url": self.hub_url, "device_id": self.device_id,
            "person": {"id": self.person_id, "name": self.person_name, "role": self.role},
            "org": {"id": self.org_id, "name": self.org_name},
        }


def current_identity(store: HasSettings) -> Identity | None:
    data = store.settings.get(IDENTITY_KEY)
    if not data:
        return None
    try:
        return Identity(**data)
    except TypeError:
        return None


def default_device_name() -> str:
    return (platform.node() or "Champions laptop")[:200]


def connection_options() -> dict[str, Any]:
    """CA bundle and proxy from the managed settings (a missing CA bundle file is a TLS problem)."""
    loaded = load_settings()
    try:
        ca_bundle: Path | None = require_ca_bundle(loaded)
    except ConfigError as exc:
        raise TLSProblem(str(exc)) from None
    return {"ca_bundle": ca_bundle, "proxy": loaded.settings.proxy}


def enrol(store: HasSettings, hub_url: str, code: str, *, device_name: str | None = None,
          client: HubClient | None = None) -> Identity:
    """Exchange the invite code for a device token; keep the token in the keyring, the rest in settings.

    Raises the sync errors (EnrolmentRefused for a bad code, HubUnreachable, TLSProblem, ...).
    """
    url = normalise_hub_url(hub_url)
    own = client is None
    client = client or HubClient(url, **connection_options())
    try:
        answer: p.EnrolResponse = client.enrol(code, device_name or default_device_name())
    finally:
        if own:
            client.close()
    credentials.save_token(url, answer.device_id, answer.token)  # first: no identity without its token
    previous = current_identity(store)
    identity = Identity(
        hub_url=url, device_id=answer.device_id, device_name=device_name or default_device_name(),
        person_id=answer.person.id, person_name=answer.person.name, role=answer.person.role,
        org_id=answer.org.id, org_name=answer.org.name, enrolled_at=utcnow().isoformat(),
    )
    if previous is None or previous.hub_url != url or previous.org_id != identity.org_id:
        store.settings.set(CURSOR_KEY, 0)  # another hub or organisation: pull everything it has
    store.settings.set(IDENTITY_KEY, asdict(identity))
    return identity


def token_for(identity: Identity) -> str:
    token = credentials.load_token(identity.hub_url, identity.device_id)
    if not token:
        raise NotEnrolled(
            "This laptop's key for the hub is missing from the system keyring. "
            "Ask your coordinator for a new invite code and enrol again; your records stay on this laptop."
        )
    return token


def sign_out(store: HasSettings) -> None:
    """Forget the token and who we are on the hub; every record stays on this laptop."""
    identity = current_identity(store)
    if identity is not None:
        credentials.delete_token(identity.hub_url, identity.device_id)
    store.settings.delete(IDENTITY_KEY)
