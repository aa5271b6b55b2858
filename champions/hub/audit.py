"""The audit log: enrolments, revocations, pushes, exports: who, when, from where."""

from __future__ import annotations

import getpass
import json
from typing import Any

from sqlalchemy.engine import Connection

from ..domain import utcnow
from .schema import audit_log


def cli_source() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "cli"


def record(conn: Connection, action: str, source: str, *, org_id: str | None = None, person_id: str | None = None,
           device_id: str | None = None, **detail: Any) -> None:
    conn.execute(audit_log.insert().values(
        at=utcnow(), org_id=org_id, person_id=person_id, device_id=device_id, action=action,
        source=source[:200], detail=json.dumps(detail, sort_keys=True, default=str),
    ))
