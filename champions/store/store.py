"""Store: one open database file and the repositories, outbox, settings and drafts on it.

Thread rule: a Store (one SQLite connection) belongs to the thread that opened it; the
driver refuses use from any other. A worker thread calls ``store.reopen()`` and gets its
own Store on the same file and key. Writers take the write lock up front (BEGIN
IMMEDIATE) and wait up to the busy timeout for each other.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from champions.domain import (
    Barrier,
    CommunityAsset,
    Conversation,
    OutreachActivity,
    ReferenceItem,
    ReferenceLists,
    Review,
    load_default_items,
)

from .connection import Connection, connect
from .drafts import Drafts
from .errors import NotFoundError, StoreBusy
from .events import Callback, ChangeEvent, Subscribers
from .kinds import SPECS
from .migrations import LATEST_VERSION, migrate, schema_version
from .outbox import Outbox, SyncState
from .repository import READ_CONTEXT, Repository, _Writer
from .reviews import Reviews
from .settings import Settings

log = logging.getLogger(__name__)


class Store:
    def __init__(self, conn: Connection, path: Path, key: bytes | None) -> None:
        """Use Store.open(); this wraps an already opened and migrated connection."""
        self._conn = conn
        self._key = key
        self.path = Path(path)
        self._db: Any = None
        self._subscribers = Subscribers()
        self._reference: ReferenceLists | None = None
        self._reference_mark: tuple[Any, ...] | None = None
        self.conversations: Repository[Conversation] = Repository(self, SPECS["conversation"])
        self.barriers: Repository[Barrier] = Repository(self, SPECS["barrier"])
        self.activities: Repository[OutreachActivity] = Repository(self, SPECS["outreach_activity"])
        self.assets: Repository[CommunityAsset] = Repository(self, SPECS["community_asset"])
        self.reference_items: Repository[ReferenceItem] = Repository(self, SPECS["reference_item"])
        self.reviews: Reviews = Reviews(self, SPECS["review"])
        self.outbox = Outbox(self)
        self.settings = Settings(self)
        self.drafts = Drafts(self)
        self.last_backup: Path | None = None

    @classmethod
    def open(cls, path: Path | str, key: bytes | None, *, check: bool = True) -> "Store":
        """Open or create the database at ``path``; ``key=None`` means unencrypted (dev or demo only).

        ``check=False`` skips identifying the file and the integrity check, for a second
        connection to a file this process has just opened and checked (see ``reopen``).
        """
        path = Path(path)
        conn = connect(path, key, latest_version=LATEST_VERSION, check=check)
        try:
            backup = migrate(conn, path, key)
            store = cls(conn, path, key)
            store.last_backup = backup
            store._seed_reference()
        except BaseException:
            conn.close()
            raise
        return store

    def reopen(self) -> "Store":
        """A new Store on the same file and key, for another thread."""
        return Store.open(self.path, self._key, check=False)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.execute("PRAGMA optimize")
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> Any:
        """A sqlite_utils.Database on this connection, for inspection in tests and tools (imported lazily: it is slow to import)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self._conn)
        return self._db

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    @property
    def schema_version(self) -> int:
        return schema_version(self._conn)

    def repository(self, kind: str) -> Repository[Any]:
        return {r.kind: r for r in self._repositories()}[kind]

    def _repositories(self) -> tuple[Repository[Any], ...]:
        return (self.conversations, self.barriers, self.activities, self.assets, self.reference_items, self.reviews)

    # ---- reference lists ---------------------------------------------------------

    @property
    def reference(self) -> ReferenceLists:
        """The lists as this database holds them (cached; rebuilt when any connection changed them)."""
        mark = self._conn.execute(
            "SELECT count(*), max(updated_at), total(rev) FROM reference_item"
        ).fetchone()
        if self._reference is None or mark != self._reference_mark:
            rows = self._conn.execute("SELECT data FROM reference_item").fetchall()
            self._reference = ReferenceLists(ReferenceItem.model_validate_json(d, context=READ_CONTEXT) for (d,) in rows)
            self._reference_mark = mark
        return self._reference

    def _seed_reference(self) -> None:
        """On first open, the shipped lists; not queued for the hub, which seeds the same ids."""
        if self._conn.execute("SELECT 1 FROM reference_item LIMIT 1").fetchone():
            return
        items = [i.model_copy(update={"rev": max(i.rev, 1)}) for i in load_default_items()]
        with self._transaction() as events:
            writer = _Writer(self.reference_items, events, bulk=True)
            for item in items:
                writer.write(item, remote_state="synced")
            writer.flush()
            events.clear()  # nobody can have subscribed yet

    # ---- sync state and notification ---------------------------------------------

    def sync_state(self, record_id: str) -> SyncState:
        for repo in self._repositories():
            row = self._conn.execute(
                f"SELECT sync_state, sync_reason FROM {repo.spec.table} WHERE id = ?", (record_id,)
            ).fetchone()
            if row is not None:
                return SyncState(*row)
        raise NotFoundError(f"There is no record with id {record_id}.")

    def unsynced_count(self) -> int:
        return self.outbox.unsynced_count()

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Call ``callback(ChangeEvent)`` after each committed change; returns the unsubscribe function."""
        return self._subscribers.subscribe(callback)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[list[ChangeEvent]]:
        """One write transaction; events collected inside are sent after COMMIT."""
        if self._conn.in_transaction:
            raise RuntimeError("Store transactions do not nest")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except Exception as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusy(
                    "The database is busy: another Champions window or program is writing to it. Try again in a moment."
                ) from exc
            raise
        events: list[ChangeEvent] = []
        try:
            yield events
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        if any(e.kind == "reference_item" for e in events):
            self._reference = None
        self._subscribers.emit(events)

