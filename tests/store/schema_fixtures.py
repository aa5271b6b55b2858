"""Build a database as an earlier release left it: its DDL, and rows written as that release wrote them.

The rows are written with plain SQL on purpose, not through today's repositories, so the
fixture keeps describing the old file even when the store code moves on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from champions.domain import Envelope, ReferenceLists, load_default_items
from champions.store.connection import connect
import itertools

from champions.store.kinds import SPECS, iso, seq_base
from champions.store.migrations import migrate

SEQ_BY_TIME = ("conversation", "barrier", "outreach_activity")  # seq = occurred_at ms x 1,000,000 + slot
_slots = itertools.count(1)
# Columns of each record table as of schema v1 (unchanged since).
V1_COLUMNS = {
    "conversation": ("occurred_at", "neighbourhood", "setting"),
    "barrier": ("occurred_at", "neighbourhood", "code", "domain"),
    "outreach_activity": ("occurred_at", "neighbourhood", "activity_kind"),
    "community_asset": ("name", "neighbourhood", "status"),
    "reference_item": ("list_name", "code", "grp", "retired", "position"),
}
# Tables added later: (the version that added them, their columns then).
LATER_COLUMNS = {"review": (4, ("subject_kind", "subject_id", "subject_author_id", "state", "subject_rev"))}


def build_database(path: Path, key: bytes | None, version: int, records: list[Envelope],
                   settings: dict[str, Any] | None = None) -> None:
    conn = connect(path, key, latest_version=version, check=False)
    try:
        migrate(conn, path, key, target=version)
        ref = ReferenceLists(load_default_items())
        conn.execute("BEGIN")
        for item in load_default_items():
            _insert(conn, item.model_copy(update={"rev": 1}), ref, "synced", outbox=False)
        for record in records:
            _insert(conn, record.model_copy(update={"rev": 1}), ref, "pending", outbox=True)
        for k, v in (settings or {}).items():
            conn.execute("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", (k, json.dumps(v), "2025-01-01T00:00:00.000000Z"))
        conn.execute("COMMIT")
    finally:
        conn.close()


def _insert(conn: Any, record: Envelope, ref: ReferenceLists, state: str, *, outbox: bool) -> None:
    kind = record.kind  # type: ignore[attr-defined]
    extra = V1_COLUMNS[kind] if kind in V1_COLUMNS else LATER_COLUMNS[kind][1]
    values = SPECS[kind].values(record, ref)
    data = record.model_dump_json()
    seq = seq_base(record.occurred_at) + next(_slots) if kind in SEQ_BY_TIME else None  # type: ignore[attr-defined]
    cols = ("seq", "id", "rev", "deleted", "org_id", "author_id", "device_id", "created_at", "updated_at", *extra, "sync_state", "data")
    conn.execute(
        f"INSERT INTO {kind} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        (seq, record.id, record.rev, int(record.deleted), record.org_id, record.author_id, record.device_id,
         iso(record.created_at), iso(record.updated_at), *values, state, data),
    )
    if kind == "conversation":
        conn.executemany("INSERT INTO conversation_barrier (conversation_id, position, seq, code, domain) VALUES (?, ?, ?, ?, ?)",
                         [(record.id, pos, seq, b.code, ref.get("barrier", b.code).group)  # type: ignore[union-attr]
                          for pos, b in enumerate(record.barriers)])  # type: ignore[attr-defined]
    if outbox:
        conn.execute(
            "INSERT INTO outbox (kind, record_id, rev, payload, state, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
            (kind, record.id, record.rev, data, iso(record.updated_at), iso(record.updated_at)),
        )
