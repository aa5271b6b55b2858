"""Protocol v1 between a device and the hub: the request and response bodies, shared by both ends.

Everything here is plain data (pydantic models and constants); neither end's I/O lives here, so
the sync client and the hub cannot drift apart. JSON over HTTPS.

Endpoints (all answer JSON; every error body is an ``ErrorBody``)::

    GET  /v1/health                       -> Health                     (no auth)
    POST /v1/enrol      EnrolRequest      -> EnrolResponse              (no auth; invite code)
    GET  /v1/me                           -> MeResponse                 (Bearer token)
    POST /v1/push       PushRequest       -> PushResponse               (Bearer token)
    GET  /v1/pull?since=CURSOR&limit=N    -> PullResponse               (Bearer token)

Every request should carry ``PROTOCOL_HEADER: PROTOCOL_VERSION`` (and may carry
``CLIENT_HEADER`` with the app's version, for the audit log). A hub whose minimum protocol is
newer than the client's answers 426 with code ``upgrade_required``.

Authentication: ``Authorization: Bearer <token>`` with the token from ``EnrolResponse``.
401 codes: ``auth_required`` (no token), ``invalid_token`` (unknown token), ``device_revoked``
(the device was revoked, or its person was disabled: both mean "this laptop may no longer
sync"; keep the unsynced work and offer to export it; the message says which).

Push semantics, per change (one bad change never blocks the rest of the batch):

- ``accepted``: stored; it is now the hub's current version of the record.
- ``duplicate``: the hub already has this exact (id, rev); nothing changed. Safe to treat as
  success: retried batches and changes sent twice answer this.
- ``conflict``: ``base_rev`` is not the hub's current rev (someone else changed the record
  meanwhile), or another version with the same (id, rev) exists. The hub keeps the sent version
  aside (nothing is overwritten silently) and returns its own current version in
  ``hub_record``; the client should merge and push a new rev with ``base_rev = hub_record.rev``.
- ``rejected``: invalid, or not allowed for this person; ``reason`` says why in plain words and
  ``problems`` lists field-level messages. Resending the same change will be rejected again.

The hub sets ``org_id``, ``device_id`` and (for new records) ``author_id`` itself from the
authenticated device; whatever the client sends for them is ignored.

Reviews (kind ``review``, docs/design/review.md): coordinators and admins create and change any
review of their organisation; the hub sets ``subject_author_id`` from the reviewed record and each
new note's ``author_id`` from the device. A champion may only change a review of their own record,
and only by adding ``reply`` notes; anything else is ``rejected`` with the reason. A champion
pulls only the reviews of their own records.

Pull: ``since`` is the ``next_cursor`` of the previous page (0 at first). Cursors are opaque
increasing integers; keep calling while ``has_more``. Each record appears once per page set, in
its latest version (tombstones are records with ``deleted: true``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
"""The protocol this code speaks."""
MIN_PROTOCOL_VERSION = 1
"""The oldest client protocol the hub still serves; older clients get 426 ``upgrade_required``."""

PROTOCOL_HEADER = "Champions-Protocol"
"""Request header carrying the client's protocol version (an integer)."""
CLIENT_HEADER = "Champions-Client"
"""Optional request header with the client app's name and version, e.g. ``champions/0.1.0``."""

MAX_BATCH_CHANGES = 1000
"""Most changes in one push; more gets 413 ``batch_too_large``."""
MAX_BATCH_BYTES = 5 * 1024 * 1024
"""Largest push body in bytes (after gzip decompression); larger gets 413 ``batch_too_large``."""
PULL_DEFAULT_LIMIT = 500
PULL_MAX_LIMIT = 1000

Role = Literal["admin", "coordinator", "champion"]
ChangeStatus = Literal["accepted", "duplicate", "conflict", "rejected"]
RecordKind = Literal["conversation", "barrier", "outreach_activity", "community_asset", "reference_item", "review"]

# Error codes in ErrorBody.code, for the client to act on (the message is for people).
ERR_AUTH_REQUIRED = "auth_required"
ERR_INVALID_TOKEN = "invalid_token"
ERR_DEVICE_REVOKED = "device_revoked"
ERR_FORBIDDEN = "forbidden"
ERR_INVALID_CODE = "invalid_code"
ERR_CODE_USED = "code_used"
ERR_CODE_EXPIRED = "code_expired"
ERR_TOO_MANY_ATTEMPTS = "too_many_attempts"
ERR_UPGRADE_REQUIRED = "upgrade_required"
ERR_BATCH_TOO_LARGE = "batch_too_large"
ERR_BAD_REQUEST = "bad_request"
ERR_INVALID_REQUEST = "invalid_request"
ERR_NOT_FOUND = "not_found"
ERR_INTERNAL = "internal_error"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
"""Names and ids never hold control characters (PostgreSQL cannot even store NUL in text)."""


class ErrorBody(_Model):
    """Every error answer: a stable code for programs and a sentence for people."""

    code: str = Field(description="Stable machine-readable code, e.g. device_revoked")
    message: str = Field(description="What happened and what to do, in plain words")


class PersonInfo(_Model):
    id: str
    name: str
    role: Role


class OrgInfo(_Model):
    id: str
    name: str


class EnrolRequest(_Model):
    """Exchange a one-time invite code for a device token."""

    code: str = Field(min_length=1, max_length=64, description="Invite code, e.g. ABCD-EFGH (case and dash optional)")
    device_name: str = Field("", max_length=200, pattern=NO_CONTROL,
                             description="A name to recognise the laptop by, e.g. 'Amina's laptop'")
    client_version: str = Field("", max_length=100, pattern=NO_CONTROL)


class EnrolResponse(_Model):
    device_id: str
    token: str = Field(description="Bearer token; keep it in the OS keyring, never on disk or in a log")
    person: PersonInfo
    org: OrgInfo
    protocol_version: int = PROTOCOL_VERSION


class MeResponse(_Model):
    device_id: str
    device_name: str
    person: PersonInfo
    org: OrgInfo
    protocol_version: int = PROTOCOL_VERSION


class Health(_Model):
    status: Literal["ok"] = "ok"
    protocol_version: int = PROTOCOL_VERSION
    min_protocol_version: int = MIN_PROTOCOL_VERSION
    database: Literal["sqlite", "postgresql"]


class Change(_Model):
    """One outbox entry: the whole record as saved at ``rev``."""

    kind: RecordKind
    id: str = Field(min_length=1, max_length=64, pattern=NO_CONTROL)
    rev: int = Field(ge=0, le=2**31 - 1)
    base_rev: int | None = Field(
        None, ge=0, le=2**31 - 1,
        description="The hub rev this edit was made on (None for a record the hub has never sent this device)",
    )
    record: dict[str, Any] = Field(description="The record's fields as the domain model dumps them (mode='json')")


class PushRequest(_Model):
    batch_id: str = Field(min_length=1, max_length=64, pattern=NO_CONTROL,
                          description="Client-made id for this batch, for the audit log")
    changes: list[Change] = Field(max_length=MAX_BATCH_CHANGES)


class FieldProblem(_Model):
    field: str
    message: str


class ChangeResult(_Model):
    id: str
    rev: int
    status: ChangeStatus
    reason: str | None = None
    problems: list[FieldProblem] = Field(default_factory=list)
    hub_record: dict[str, Any] | None = Field(None, description="The hub's current version, on a conflict")


class PushResponse(_Model):
    batch_id: str
    results: list[ChangeResult]


class PulledRecord(_Model):
    seq: int
    kind: RecordKind
    id: str
    rev: int
    record: dict[str, Any]


class PullResponse(_Model):
    changes: list[PulledRecord]
    next_cursor: int = Field(description="Pass as ?since= next time; never goes backwards")
    has_more: bool


# Coordinator endpoints (role coordinator or admin), used by the coordinator app.

class DeviceInfo(_Model):
    id: str
    name: str
    person: PersonInfo
    created_at: str
    last_push_at: str | None
    last_pull_at: str | None
    revoked_at: str | None


class DevicesResponse(_Model):
    devices: list[DeviceInfo]


class PersonListed(PersonInfo):
    """A person as the coordinator's list shows them: a disabled person's devices cannot sync."""

    disabled: bool = False


class PeopleResponse(_Model):
    people: list[PersonListed]


class InviteRequest(_Model):
    name: str = Field("", max_length=200, pattern=NO_CONTROL, description="Name of the new person (ignored with person_id)")
    role: Literal["champion", "coordinator"] = "champion"
    person_id: str | None = Field(None, max_length=64, pattern=NO_CONTROL,
                                  description="Invite a new device for an existing person instead")
    days: int = Field(7, ge=1, le=90, description="Days before the code expires")


class InviteResponse(_Model):
    code: str = Field(description="Shown as XXXX-XXXX")
    expires_at: str
    role: Role
    person_name: str
    hub_url: str = Field(description="The address to type into the app with the code")


class RevokeResponse(_Model):
    device_id: str
    revoked_at: str


# "Export for my coordinator" (issue 5): a zip with EXPORT_MANIFEST and EXPORT_CHANGES (one
# ``Change`` per line, oldest first), written by the app and read by ``champions-hub import``.

EXPORT_FORMAT = "champions-export"
EXPORT_FORMAT_VERSION = 1
EXPORT_MANIFEST = "manifest.json"
EXPORT_CHANGES = "changes.jsonl"


class ExportFileEntry(_Model):
    name: str
    sha256: str = Field(description="SHA-256 of the member's bytes, hex")
    lines: int = Field(ge=0)
    bytes: int = Field(ge=0)


class ExportManifest(_Model):
    format: Literal["champions-export"] = EXPORT_FORMAT
    format_version: int = EXPORT_FORMAT_VERSION
    protocol_version: int = PROTOCOL_VERSION
    app_version: str = ""
    created_at: str
    hub_url: str | None = None
    device_id: str
    person: PersonInfo | None = None
    org: OrgInfo | None = None
    files: list[ExportFileEntry] = Field(min_length=1)
