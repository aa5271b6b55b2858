"""The outbox: every local change, in order, until the hub has answered for it.

Each saved revision of a record has exactly one outbox row (UNIQUE(record_id, rev)),
written in the same transaction as the record. The record row mirrors the state of its
latest revision (``sync_state``/``sync_reason``), so lists can show "waiting",
"synced" or "rejected: why" without a join.

States: pending -> sending (in a batch) -> synced | rejected | conflict.
``requeue_sending`` puts a batch that never got an answer (the app died mid-push) back
to pending; the hub applies (id, rev) idempotently, so sending twice is safe.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from champions.domain import utcnow

from .events import ChangeEvent
from .kinds import SPECS, iso, parse_iso
from .schema import SYNC_STATES

if TYPE_CHECKING:
    from .store import Store

RESULT_STATES = ("synced", "rejected", "conflict", "pending")


@dataclass(frozen=True)
class SyncState:
    state: str  # one of schema.SYNC_STATES
    reason: str | None = None


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    kind: str
    record_id: str
    rev: int
    payload: dict[str, Any]  # the full record as saved, ready for the wire
    state: str
    batch_id: str | None
    reason: str | None
    created_at: datetime
    updated_at: datetime


_COLUMNS = "seq, kind, record_id, rev, payload, state, batch_id, reason, created_at, updated_at"


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    seq, kind, record_id, rev, payload, state, batch_id, reason, created, updated = row
    return OutboxEntry(seq, kind, record_id, rev, json.loads(payload), state, batch_id, reason,
                       parse_iso(created), parse_iso(updated))


class Outbox:
    def __init__(self, store: "Store") -> None:
        self._store = store

    @property
    def _conn(self):  # type: ignore[no-untyped-def]
        return self._store._conn

    def pending(self, limit: int = 100) -> list[OutboxEntry]:
        """The oldest changes waiting to be sent, in the order they were made."""
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()
        return [_entry(r) for r in rows]

    def entries(self, record_id: str) -> list[OutboxEntry]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE record_id = ? ORDER BY seq", (record_id,)).fetchall()
        return [_entry(r) for r in rows]

    def get(self, seq: int) -> OutboxEntry | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else _entry(row)

    def unsynced_count(self) -> int:
        """Changes the hub does not have yet (waiting or on their way)."""
        return self._conn.execute("SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')").fetchone()[0]

    def mark_sending(self, seqs: Iterable[int], batch_id: str) -> None:
        seqs = list(seqs)
        now = iso(utcnow())
        with self._store._transaction() as events:
            for seq in seqs:
                rows = self._conn.execute(
                    "UPDATE outbox SET state = 'sending', batch_id = ?, reason = NULL, updated_at = ? "
                    "WHERE seq = ? AND state IN ('pending', 'sending') RETURNING kind, record_id, rev",
                    (batch_id, now, seq),
                ).fetchall()  # fetchall: a RETURNING statement must finish before COMMIT
                for row in rows:
                    events.extend(self._mirror(*row, "sending", None))

    def mark_result(self, seq: int, state: str, reason: str | None = None) -> None:
        """Record the hub's answer for one change (``pending`` puts it back in the queue)."""
        if state not in RESULT_STATES:
            raise ValueError(f"state must be one of {RESULT_STATES}, not {state!r}")
        with self._store._transaction() as events:
            rows = self._conn.execute(
                "UPDATE outbox SET state = ?, reason = ?, updated_at = ? WHERE seq = ? RETURNING kind, record_id, rev",
                (state, reason, iso(utcnow()), seq),
            ).fetchall()
            if not rows:
                raise KeyError(f"No outbox entry {seq}")
            events.extend(self._mirror(*rows[0], state, reason))

    def requeue_sending(self) -> int:
        """Put changes that were on their way when the app stopped back in the queue."""
        with self._store._transaction() as events:
            rows = self._conn.execute(
                "UPDATE outbox SET state = 'pending', batch_id = NULL, updated_at = ? WHERE state = 'sending' "
                "RETURNING kind, record_id, rev",
                (iso(utcnow()),),
            ).fetchall()
            for row in rows:
                events.extend(self._mirror(*row, "pending", None))
        return len(rows)

    def _mirror(self, kind: str, record_id: str, rev: int, state: str, reason: str | None) -> list[ChangeEvent]:
        """Show the state on the record, if this entry is its latest revision."""
        assert state in SYNC_STATES
        table = SPECS[kind].table
        cur = self._conn.execute(
            f"UPDATE {table} SET sync_state = ?, sync_reason = ? WHERE id = ? AND rev = ?", (state, reason, record_id, rev)
        )
        return [ChangeEvent(kind, record_id, "sync")] if cur.rowcount else []
