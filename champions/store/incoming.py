"""What the sync engine needs from the store, each step as ONE transaction (issue 5).

Kept apart from the repositories on purpose: this is the only code that writes the hub's versions
into the database, records the hub's answers, and keeps the sync ledger:

- ``sync_base``: per record, the last version both this device and the hub had (its hub rev and
  body). It is the *base* of a three-way merge and the ``base_rev`` of the next push.
- ``sync_conflict``: the hub's version of a record that conflicts field-by-field with the local
  one, kept until the person chooses (keep mine / keep theirs). Nothing is ever dropped.

Incoming records never create outbox rows. A page of pulled records and the new cursor commit
together, so a crash mid-pull means that page is fetched again, never half-applied.

The two tables are created here if missing (``CREATE TABLE IF NOT EXISTS``); they hold only
data that sync can rebuild from the hub, so they are safe to add outside the numbered migrations.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from champions.domain import Envelope, utcnow

from .events import ChangeEvent
from .kinds import SPECS, iso
from .outbox import OutboxEntry
from .repository import READ_CONTEXT, _Writer

if TYPE_CHECKING:
    from .store import Store

LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS sync_base (
    record_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    rev INTEGER NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data))
);
CREATE TABLE IF NOT EXISTS sync_conflict (
    record_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    hub_rev INTEGER NOT NULL,
    hub_data TEXT NOT NULL CHECK (json_valid(hub_data)),
    mine_rev INTEGER NOT NULL,
    fields TEXT NOT NULL CHECK (json_valid(fields)),
    created_at TEXT NOT NULL
);
"""

UNSYNCED = ("pending", "sending")


@dataclass(frozen=True)
class Answer:
    """The hub's answer for one outbox entry, as the engine decided to record it."""

    seq: int
    state: str  # synced | rejected | conflict | pending
    reason: str | None = None


@dataclass(frozen=True)
class Pending:
    """An outbox entry as it goes on the wire: the payload stays the JSON text it was saved as."""

    seq: int
    kind: str
    record_id: str
    rev: int
    payload: str


@dataclass(frozen=True)
class Conflict:
    record_id: str
    kind: str
    hub_rev: int
    hub_record: dict[str, Any]
    mine_rev: int
    fields: list[str]
    created_at: str


@dataclass
class PullOutcome:
    applied: int = 0
    skipped_local_changes: list[str] = field(default_factory=list)
    unchanged: int = 0


_STAMPS = frozenset({"org_id", "author_id", "device_id", "updated_at", "created_at"})


def _same_content(local: dict[str, Any], hub: dict[str, Any]) -> bool:
    """The same record apart from the stamps the hub adds (org, author, device) and timestamps."""
    if local == hub:
        return True
    keys = (local.keys() | hub.keys()) - _STAMPS
    return all(local.get(k) == hub.get(k) for k in keys)


def _model(kind: str, data: dict[str, Any]) -> Envelope:
    return SPECS[kind].model.model_validate(data, context=READ_CONTEXT)


class Incoming:
    """The sync ledger on one Store (one thread, like the Store itself)."""

    def __init__(self, store: "Store") -> None:
        self.store = store
        self._conn.executescript(LEDGER_DDL)

    @property
    def _conn(self):  # type: ignore[no-untyped-def]
        return self.store._conn

    # ---- reading ---------------------------------------------------------------------

    def bases(self, ids: Iterable[str]) -> dict[str, tuple[int, dict[str, Any]]]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, tuple[int, dict[str, Any]]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for rid, rev, data in self._conn.execute(
                f"SELECT record_id, rev, data FROM sync_base WHERE record_id IN ({marks})", chunk
            ):
                found[rid] = (rev, json.loads(data))
        return found

    def base_revs(self, ids: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(self._conn.execute(
                f"SELECT record_id, rev FROM sync_base WHERE record_id IN ({marks})", chunk).fetchall())
        return found

    def local(self, kind: str, record_id: str) -> tuple[int, str, dict[str, Any]] | None:
        """(rev, sync_state, record) of the local copy, or None."""
        row = self._conn.execute(
            f"SELECT rev, sync_state, data FROM {SPECS[kind].table} WHERE id = ?", (record_id,)
        ).fetchone()
        return None if row is None else (row[0], row[1], json.loads(row[2]))

    def conflicts(self) -> list[Conflict]:
        rows = self._conn.execute(
            "SELECT record_id, kind, hub_rev, hub_data, mine_rev, fields, created_at FROM sync_conflict ORDER BY created_at"
        ).fetchall()
        return [Conflict(r[0], r[1], r[2], json.loads(r[3]), r[4], json.loads(r[5]), r[6]) for r in rows]

    def conflict(self, record_id: str) -> Conflict | None:
        return next((c for c in self.conflicts() if c.record_id == record_id), None)

    def problems(self) -> list[tuple[str, str, str, str | None]]:
        """(kind, record_id, state, reason) of every record whose latest version was refused or conflicts."""
        out: list[tuple[str, str, str, str | None]] = []
        for kind, spec in SPECS.items():
            out += [(kind, rid, state, reason) for rid, state, reason in self._conn.execute(
                f"SELECT id, sync_state, sync_reason FROM {spec.table} WHERE sync_state IN ('rejected', 'conflict') "
                "ORDER BY updated_at DESC")]
        return out

    def unsynced_entries(self) -> list[OutboxEntry]:
        """Every change the hub has not confirmed (for "Export for my coordinator"), oldest first."""
        from .outbox import _COLUMNS, _entry

        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE state IN ('pending', 'sending', 'conflict', 'rejected') ORDER BY seq"
        ).fetchall()
        return [_entry(r) for r in rows]

    # ---- push answers ------------------------------------------------------------------

    def pending(self, limit: int) -> list[Pending]:
        """The oldest waiting changes, in order, without parsing them (they were validated when saved)."""
        rows = self._conn.execute(
            "SELECT seq, kind, record_id, rev, payload FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()
        return [Pending(*row) for row in rows]

    def mark_sending(self, entries: list[Pending], batch_id: str) -> None:
        """pending -> sending for a whole batch in one transaction (bulk statements, one event per kind)."""
        now = iso(utcnow())
        with self.store._transaction() as events:
            self._conn.executemany(
                "UPDATE outbox SET state = 'sending', batch_id = ?, reason = NULL, updated_at = ? "
                "WHERE seq = ? AND state IN ('pending', 'sending')",
                [(batch_id, now, e.seq) for e in entries],
            )
            self._mirror_many([(e.kind, e.record_id, e.rev, "sending", None) for e in entries], events)

    def record_answers(self, answers: list[Answer], entries: dict[int, Pending]) -> None:
        """Store the hub's answers for a batch in one transaction; accepted ones become the new base."""
        now = iso(utcnow())
        known = [a for a in answers if a.seq in entries]
        with self.store._transaction() as events:
            self._conn.executemany(
                "UPDATE outbox SET state = ?, reason = ?, updated_at = ? WHERE seq = ?",
                [(a.state, a.reason, now, a.seq) for a in known],
            )
            self._mirror_many([(entries[a.seq].kind, entries[a.seq].record_id, entries[a.seq].rev, a.state, a.reason)
                               for a in known], events)
            synced = [entries[a.seq] for a in known if a.state == "synced"]
            self._conn.executemany(
                "INSERT INTO sync_base (record_id, kind, rev, data) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (record_id) DO UPDATE SET kind = excluded.kind, rev = excluded.rev, data = excluded.data "
                "WHERE excluded.rev >= sync_base.rev",
                [(e.record_id, e.kind, e.rev, e.payload) for e in synced],
            )

    def _mirror_many(self, rows: list[tuple[str, str, int, str, str | None]], events: list[ChangeEvent]) -> None:
        """Show each entry's state on its record, where the entry is the record's latest revision."""
        by_kind: dict[str, list[tuple[str, str | None, str, int]]] = {}
        for kind, record_id, rev, state, reason in rows:
            by_kind.setdefault(kind, []).append((state, reason, record_id, rev))
        for kind, params in by_kind.items():
            self._conn.executemany(
                f"UPDATE {SPECS[kind].table} SET sync_state = ?, sync_reason = ? WHERE id = ? AND rev = ?", params)
            if len(params) == 1:
                events.append(ChangeEvent(kind, params[0][2], "sync"))
            else:
                events.append(ChangeEvent(kind, None, "sync"))

    def _set_base(self, kind: str, record_id: str, rev: int, data: dict[str, Any]) -> None:
        self._conn.execute(
            "INSERT INTO sync_base (record_id, kind, rev, data) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (record_id) DO UPDATE SET kind = excluded.kind, rev = excluded.rev, data = excluded.data",
            (record_id, kind, rev, json.dumps(data)),
        )

    def _locals(self, latest: dict[str, tuple[str, int, dict[str, Any]]]) -> dict[str, tuple[int, str, dict[str, Any]]]:
        """(rev, sync_state, record) of the local copies of these records, a few queries per page."""
        by_kind: dict[str, list[str]] = {}
        for record_id, (kind, _rev, _record) in latest.items():
            by_kind.setdefault(kind, []).append(record_id)
        found: dict[str, tuple[int, str, dict[str, Any]]] = {}
        for kind, ids in by_kind.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ", ".join("?" * len(chunk))
                for rid, rev, state, data in self._conn.execute(
                        f"SELECT id, rev, sync_state, data FROM {SPECS[kind].table} WHERE id IN ({marks})", chunk):
                    found[rid] = (rev, state, json.loads(data))
        return found

    # ---- conflicts ---------------------------------------------------------------------

    def resolve(self, kind: str, record_id: str, hub_record: dict[str, Any], merge: Any) -> str:
        """Settle a push conflict in one transaction, against the LATEST local version.

        ``merge(base, mine, theirs)`` returns a MergeResult. A clean merge is saved as a new
        local rev (queued for the hub, based on the hub's rev); otherwise the hub's version is
        kept in ``sync_conflict`` for the person. Either way the conflicting outbox entries of
        this record are closed as 'conflict' (their content lives on in the local record).
        Returns "merged", "kept_both" or "gone" (no local record).
        """
        hub_rev = int(hub_record.get("rev", 0))
        repo = self.store.repository(kind)
        with self.store._transaction() as events:
            local = self.local(kind, record_id)
            if local is None:
                return "gone"
            local_rev, _state, mine = local
            base = self.bases([record_id]).get(record_id)
            result = merge(base[1] if base else None, mine, hub_record)
            self._conn.execute(
                "UPDATE outbox SET state = 'conflict', reason = ?, updated_at = ? "
                "WHERE record_id = ? AND state IN ('pending', 'sending')",
                ("Merged with the hub's version." if result.clean else "Conflicts with the hub's version.",
                 iso(utcnow()), record_id),
            )
            self._set_base(kind, record_id, hub_rev, hub_record)
            merged = None
            if result.clean:
                try:
                    merged = repo.model.model_validate(
                        {**result.merged, "rev": max(local_rev, hub_rev)}, context={"reference": self.store.reference})
                except ValidationError as error:  # the two edits are each valid but not together
                    result.merged = None
                    result.conflicting = sorted({".".join(map(str, e["loc"])) for e in error.errors()}) or ["record"]
            if merged is not None:
                writer = _Writer(repo, events, bulk=False)
                writer.write(merged, action="updated")
                writer.flush()
                self._conn.execute("DELETE FROM sync_conflict WHERE record_id = ?", (record_id,))
                return "merged"
            self._conn.execute(
                "INSERT INTO sync_conflict (record_id, kind, hub_rev, hub_data, mine_rev, fields, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET hub_rev = excluded.hub_rev, "
                "hub_data = excluded.hub_data, mine_rev = excluded.mine_rev, fields = excluded.fields",
                (record_id, kind, hub_rev, json.dumps(hub_record), local_rev, json.dumps(result.conflicting),
                 iso(utcnow())),
            )
            reason = "Changed on the hub too: " + ", ".join(result.conflicting) + ". Choose which version to keep."
            self._conn.execute(
                f"UPDATE {repo.spec.table} SET sync_state = 'conflict', sync_reason = ? WHERE id = ?", (reason, record_id)
            )
            events.append(ChangeEvent(kind, record_id, "sync"))
            return "kept_both"

    def keep(self, record_id: str, which: str) -> None:
        """The person's choice on a conflict: ``mine`` or ``theirs``. The other version stays on the hub."""
        conflict = self.conflict(record_id)
        if conflict is None:
            raise KeyError(record_id)
        repo = self.store.repository(conflict.kind)
        with self.store._transaction() as events:
            local = self.local(conflict.kind, record_id)
            local_rev = local[0] if local else 0
            chosen = local[2] if (which == "mine" and local) else conflict.hub_record
            writer = _Writer(repo, events, bulk=False)
            record = _model(conflict.kind, {**chosen, "rev": max(local_rev, conflict.hub_rev)})
            if which == "theirs" and conflict.hub_rev > local_rev:
                writer.write(_model(conflict.kind, conflict.hub_record), remote_state="synced")
            else:  # a new rev on top of the hub's, so the hub accepts it and every device follows
                writer.write(record, action="updated")
            writer.flush()
            self._set_base(conflict.kind, record_id, conflict.hub_rev, conflict.hub_record)
            self._conn.execute("DELETE FROM sync_conflict WHERE record_id = ?", (record_id,))

    # ---- pull ----------------------------------------------------------------------------

    def apply_pulled(self, changes: list[tuple[str, str, int, dict[str, Any]]], cursor_key: str, cursor: int) -> PullOutcome:
        """Apply a page of (kind, id, rev, record) from the hub and move the cursor, in ONE transaction.

        A record with local changes the hub has not confirmed is left alone (the next push meets
        the hub's version as a conflict and merges); an open conflict gets the newer hub version.
        """
        outcome = PullOutcome()
        with self.store._transaction() as events:
            writers: dict[str, _Writer] = {}
            latest: dict[str, tuple[str, int, dict[str, Any]]] = {}
            for kind, record_id, rev, record in changes:
                latest[record_id] = (kind, rev, record)  # a page holds each record once, but be safe
            locals_ = self._locals(latest)
            bases: list[tuple[str, str, int, str]] = []
            for record_id, (kind, rev, record) in latest.items():
                local = locals_.get(record_id)
                if local is not None and local[1] != "synced":
                    outcome.skipped_local_changes.append(record_id)
                    self._conn.execute(
                        "UPDATE sync_conflict SET hub_rev = ?, hub_data = ? WHERE record_id = ? AND hub_rev < ?",
                        (rev, json.dumps(record), record_id, rev),
                    )
                    continue
                bases.append((record_id, kind, rev, json.dumps(record)))
                if local is not None and (local[0] > rev or (local[0] == rev and _same_content(local[2], record))):
                    outcome.unchanged += 1  # our own push coming back, or we have newer (the seeded lists)
                    continue
                writer = writers.get(kind)
                if writer is None:
                    writer = writers[kind] = _Writer(self.store.repository(kind), events, bulk=True)
                stored = {**record, "rev": max(rev, 1)}  # the store counts revs from 1; the base keeps the hub's
                writer.write(_model(kind, stored), remote_state="synced")
                outcome.applied += 1
            self._conn.executemany(
                "INSERT INTO sync_base (record_id, kind, rev, data) VALUES (?, ?, ?, ?) ON CONFLICT (record_id) "
                "DO UPDATE SET kind = excluded.kind, rev = excluded.rev, data = excluded.data WHERE excluded.rev > sync_base.rev",
                bases,
            )
            for writer in writers.values():
                writer.flush()
            for kind in writers:
                events.append(ChangeEvent(kind, None, "remote"))
            self._conn.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (cursor_key, json.dumps(cursor), iso(utcnow())),
            )
        return outcome
