"""Organisations, people, invites, enrolment and device tokens.

Roles: ``admin`` and ``coordinator`` may see and change every record of their organisation and
manage its devices; a ``champion`` sees the shared lists, the community assets and their own
records. A revoked device, or any device of a disabled person, is refused with
``device_revoked``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..domain import as_utc, uuid7, utcnow
from ..sync import protocol as p
from . import audit
from .db import write
from .errors import HubError
from .records import seed_reference_items
from .schema import devices, enrol_failures, invites, orgs, people
from .settings import HubSettings
from .tokens import hash_code, hash_token, new_device_token, new_invite_code, normalise_code

ROLES = ("admin", "coordinator", "champion")


@dataclass(frozen=True)
class Auth:
    """Who is calling: resolved from the bearer token on every request, never cached."""

    device_id: str
    device_name: str
    person_id: str
    person_name: str
    role: str
    org_id: str
    org_name: str

    @property
    def is_coordinator(self) -> bool:
        return self.role in ("admin", "coordinator")

    def person(self) -> p.PersonInfo:
        return p.PersonInfo(id=self.person_id, name=self.person_name, role=self.role)  # type: ignore[arg-type]

    def org(self) -> p.OrgInfo:
        return p.OrgInfo(id=self.org_id, name=self.org_name)


def create_org(conn: Connection, name: str, source: str) -> str:
    """A new organisation, with the default reference lists so its devices all agree on them."""
    org_id = uuid7()
    conn.execute(orgs.insert().values(id=org_id, name=name.strip(), created_at=utcnow(), last_seq=0))
    count = seed_reference_items(conn, org_id)
    audit.record(conn, "create_org", source, org_id=org_id, name=name, reference_items=count)
    return org_id


def find_org(conn: Connection, key: str) -> sa.Row | None:
    """By id, or by exact name (case-insensitive) when that is unambiguous."""
    row = conn.execute(sa.select(orgs).where(orgs.c.id == key)).first()
    if row:
        return row
    found = conn.execute(sa.select(orgs).where(sa.func.lower(orgs.c.name) == key.strip().lower())).all()
    return found[0] if len(found) == 1 else None


def add_person(conn: Connection, org_id: str, name: str, role: str, source: str) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    person_id = uuid7()
    conn.execute(people.insert().values(id=person_id, org_id=org_id, name=name.strip(), role=role, created_at=utcnow()))
    audit.record(conn, "add_person", source, org_id=org_id, person_id=person_id, role=role)
    return person_id


def create_invite(conn: Connection, org_id: str, *, role: str, name: str = "", person_id: str | None = None,
                  days: int = 7, created_by: str | None = None, source: str) -> tuple[str, datetime, str]:
    """A one-time code for a new person (by name) or a new device of an existing person.

    Returns (code as XXXX-XXXX, expiry, the person's name). Only the code's hash is stored.
    """
    person_id = person_id or None
    if person_id:
        person = conn.execute(sa.select(people).where(people.c.id == person_id, people.c.org_id == org_id)).first()
        if person is None:
            raise HubError(404, p.ERR_NOT_FOUND, "There is no such person in this organisation.")
        if person.disabled_at is not None:
            raise HubError(422, p.ERR_INVALID_REQUEST,
                           f"{person.name}'s account is disabled, so a new laptop cannot be connected for them. "
                           "Enable the account first (champions-hub disable-person --enable).")
        role, name = person.role, person.name
    elif not name.strip():
        raise HubError(422, p.ERR_INVALID_REQUEST, "Give the name of the person the invite is for.")
    if role not in ROLES:
        raise HubError(422, p.ERR_INVALID_REQUEST, f"The role must be one of: {', '.join(ROLES)}.")
    code = new_invite_code()
    expires = utcnow() + timedelta(days=days)
    conn.execute(invites.insert().values(
        id=uuid7(), org_id=org_id, code_hash=hash_code(normalise_code(code) or ""), role=role, person_id=person_id,
        person_name=name.strip(), created_by=created_by, created_at=utcnow(), expires_at=expires,
    ))
    audit.record(conn, "invite", source, org_id=org_id, person_id=created_by, role=role, for_person=person_id or name.strip(), days=days)
    return code, expires, name.strip()


DISABLED_ENROL = ("{name}'s account has been disabled by a coordinator, so this code cannot connect a new laptop. "
                  "Ask your coordinator to enable the account first.")


def enrol(engine: Engine, req: p.EnrolRequest, ip: str, settings: HubSettings, client: str = "") -> p.EnrolResponse:
    """Exchange an invite code for a device token, throttling guesses per IP and overall.

    A wrong, used or expired code is recorded and committed before the error is raised, so
    throttling counts it. A good code for a disabled person is refused and left unused (it is no
    guess, so it is not counted). ``client`` is the app's ``Champions-Client`` header, audited.
    """
    now = utcnow()
    failure: HubError | None = None  # a guess: counted by the throttle
    refused: HubError | None = None  # a good code that may not be used now: not counted
    with write(engine) as conn:
        _check_throttle(conn, ip, now, settings)
        normalised = normalise_code(req.code)
        invite = None
        if normalised is not None:
            invite = conn.execute(sa.select(invites).where(invites.c.code_hash == hash_code(normalised))).first()
        if invite is None:
            failure = HubError(400, p.ERR_INVALID_CODE, "That invite code is not right. Check it with your coordinator: it looks like ABCD-EFGH.")
        elif invite.used_at is not None:
            failure = HubError(400, p.ERR_CODE_USED, "That invite code has already been used. Ask your coordinator for a new one.")
        elif as_utc(invite.expires_at) <= now:
            failure = HubError(400, p.ERR_CODE_EXPIRED, "That invite code has expired. Ask your coordinator for a new one.")
        if failure is None and invite is not None and invite.person_id is not None:
            person = conn.execute(sa.select(people.c.name, people.c.disabled_at).where(people.c.id == invite.person_id)).one()
            if person.disabled_at is not None:
                audit.record(conn, "enrol_refused", ip, org_id=invite.org_id, person_id=invite.person_id,
                             reason="person_disabled", client=client, client_version=req.client_version)
                refused = HubError(403, p.ERR_FORBIDDEN, DISABLED_ENROL.format(name=person.name))
        if failure is None and refused is None:
            assert invite is not None
            org = conn.execute(sa.select(orgs).where(orgs.c.id == invite.org_id)).one()
            device_id, token = uuid7(), new_device_token()
            taken = conn.execute(invites.update().where(invites.c.id == invite.id, invites.c.used_at.is_(None))
                                 .values(used_at=now, device_id=device_id)).rowcount
            if taken != 1:
                failure = HubError(400, p.ERR_CODE_USED, "That invite code has already been used. Ask your coordinator for a new one.")
        if failure is not None:
            conn.execute(enrol_failures.insert().values(ip=ip[:100], at=now))
            conn.execute(enrol_failures.delete().where(enrol_failures.c.at < now - timedelta(days=1)))
            audit.record(conn, "enrol_failed", ip, org_id=invite.org_id if invite else None, reason=failure.code, client=client)
        elif refused is None:
            assert invite is not None
            person_id = invite.person_id
            if person_id is None:
                person_id = uuid7()
                conn.execute(people.insert().values(id=person_id, org_id=invite.org_id, name=invite.person_name,
                                                    role=invite.role, created_at=now))
            person = conn.execute(sa.select(people).where(people.c.id == person_id)).one()
            name = req.device_name.strip() or f"{person.name}'s device"
            conn.execute(devices.insert().values(id=device_id, org_id=invite.org_id, person_id=person_id, name=name[:200],
                                                 token_hash=hash_token(token), created_at=now, enrolled_from=ip[:100]))
            audit.record(conn, "enrol", ip, org_id=invite.org_id, person_id=person_id, device_id=device_id,
                         device_name=name, client=client, client_version=req.client_version)
            return p.EnrolResponse(
                device_id=device_id, token=token,
                person=p.PersonInfo(id=person.id, name=person.name, role=person.role),
                org=p.OrgInfo(id=org.id, name=org.name),
            )
    raise refused or failure  # type: ignore[misc]


def _check_throttle(conn: Connection, ip: str, now: datetime, settings: HubSettings) -> None:
    since = now - settings.enrol_window
    for where, limit, message in (
        (enrol_failures.c.ip == ip, settings.enrol_ip_limit,
         "Too many wrong invite codes from this network. Wait {wait} and try again."),
        (sa.true(), settings.enrol_global_limit,
         "Too many wrong invite codes have been tried on this hub. Wait {wait} and try again."),
    ):
        count, oldest = conn.execute(
            sa.select(sa.func.count(), sa.func.min(enrol_failures.c.at)).where(where, enrol_failures.c.at > since)
        ).one()
        if count >= limit:
            wait = max(1, math.ceil((as_utc(oldest) + settings.enrol_window - now).total_seconds()))
            words = f"{math.ceil(wait / 60)} minutes" if wait > 90 else f"{wait} seconds"
            raise HubError(429, p.ERR_TOO_MANY_ATTEMPTS, message.format(wait=words), {"Retry-After": str(wait)})


def authenticate(conn: Connection, header: str | None) -> Auth:
    if not header or not header.lower().startswith("bearer ") or not header[7:].strip():
        raise HubError(401, p.ERR_AUTH_REQUIRED, "This needs the device's sign-in token. Enrol the device with an invite code first.",
                       {"WWW-Authenticate": "Bearer"})
    token = header[7:].strip()
    row = conn.execute(
        sa.select(devices.c.id, devices.c.name, devices.c.revoked_at, people.c.id.label("person_id"),
                  people.c.name.label("person_name"), people.c.role, people.c.disabled_at, orgs.c.id.label("org_id"),
                  orgs.c.name.label("org_name"))
        .select_from(devices.join(people, devices.c.person_id == people.c.id).join(orgs, devices.c.org_id == orgs.c.id))
        .where(devices.c.token_hash == hash_token(token))
    ).first()
    if row is None:
        raise HubError(401, p.ERR_INVALID_TOKEN, "The hub does not recognise this device. Enrol it again with a new invite code.",
                       {"WWW-Authenticate": "Bearer"})
    if row.revoked_at is not None:
        raise HubError(401, p.ERR_DEVICE_REVOKED, "This device has been removed from the hub by a coordinator. Your unsynced work is kept on this laptop; you can export it.")
    if row.disabled_at is not None:
        raise HubError(401, p.ERR_DEVICE_REVOKED, "Your account has been disabled by a coordinator, so this device can no longer sync. Your unsynced work is kept on this laptop; you can export it.")
    return Auth(row.id, row.name, row.person_id, row.person_name, row.role, row.org_id, row.org_name)


def revoke_device(conn: Connection, device_id: str, source: str, *, org_id: str | None = None, by: str | None = None) -> datetime:
    """Revoke a device (scoped to ``org_id`` when given); idempotent, returns when it was revoked."""
    where = [devices.c.id == device_id] + ([devices.c.org_id == org_id] if org_id else [])
    row = conn.execute(sa.select(devices).where(*where)).first()
    if row is None:
        raise HubError(404, p.ERR_NOT_FOUND, "There is no such device in this organisation.")
    if row.revoked_at is not None:
        return as_utc(row.revoked_at)
    now = utcnow()
    conn.execute(devices.update().where(devices.c.id == device_id).values(revoked_at=now))
    audit.record(conn, "revoke", source, org_id=row.org_id, person_id=by, device_id=device_id)
    return now


def set_person_disabled(conn: Connection, person_id: str, disabled: bool, source: str) -> None:
    row = conn.execute(sa.select(people).where(people.c.id == person_id)).first()
    if row is None:
        raise HubError(404, p.ERR_NOT_FOUND, "There is no such person.")
    conn.execute(people.update().where(people.c.id == person_id).values(disabled_at=utcnow() if disabled else None))
    audit.record(conn, "disable_person" if disabled else "enable_person", source, org_id=row.org_id, person_id=person_id)


def list_devices(conn: Connection, org_id: str | None = None) -> list[sa.Row]:
    query = (sa.select(devices, people.c.name.label("person_name"), people.c.role, orgs.c.name.label("org_name"))
             .select_from(devices.join(people, devices.c.person_id == people.c.id).join(orgs, devices.c.org_id == orgs.c.id))
             .order_by(orgs.c.name, people.c.name, devices.c.created_at))
    if org_id:
        query = query.where(devices.c.org_id == org_id)
    return list(conn.execute(query))


def iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None
