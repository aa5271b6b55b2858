"""Repository[T]: save, update, soft-delete, restore and query one kind of record.

Every change goes through ``_Writer``: it stamps the record (rev + 1, updated_at now,
created_at kept), writes the record row, its denormalised child rows and one outbox row
with the full record, all inside the caller's single transaction. Records are validated
with the domain model and the current reference lists before anything is written, so an
invalid record raises pydantic's ValidationError and leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timezone
from itertools import islice
import re
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from champions.domain import Envelope, ReferenceLists, utcnow

from .errors import NotFoundError, StoreError
from .events import ChangeEvent
from .kinds import ENVELOPE_COLUMNS, SLOTS, KindSpec, conversation_barriers, iso, parse_iso, seq_base
from .outbox import SyncState
from .query import Query, select

if TYPE_CHECKING:
    from .store import Store

T = TypeVar("T", bound=Envelope)

# Reading never re-judges a stored record: the future-date check is relaxed (a record from
# a device with a fast clock stays readable) and list membership is not checked (a list
# item removed later must not hide old records).
READ_CONTEXT = {"now": datetime(9000, 1, 1, tzinfo=timezone.utc)}
_CHUNK = 500
_JSON_PATH = re.compile(r"\$(\.[A-Za-z_][A-Za-z0-9_]*)+")  # safe to write into the SQL
_COLUMN = re.compile(r"[a-z_]+")


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Repository(Generic[T]):
    def __init__(self, store: "Store", spec: KindSpec) -> None:
        self._store = store
        self.spec = spec
        self.kind = spec.kind
        self.model: type[T] = spec.model  # type: ignore[assignment]
        seq = ("seq",) if spec.time_ordered else ()  # other kinds let SQLite number them
        self._columns = seq + ENVELOPE_COLUMNS + spec.columns + ("sync_state", "sync_reason", "data")
        names = ", ".join(self._columns)
        marks = ", ".join("?" * len(self._columns))
        updates = ", ".join(f"{c} = excluded.{c}" for c in self._columns if c != "id")
        self._upsert = f"INSERT INTO {spec.table} ({names}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {updates}"

    # ---- reading -------------------------------------------------------------------

    @property
    def _conn(self):  # type: ignore[no-untyped-def]
        return self._store._conn

    def _parse(self, data: str) -> T:
        return self.model.model_validate_json(data, context=READ_CONTEXT)

    def get(self, record_id: str) -> T:
        """The stored record, deleted ones included (check ``.deleted``)."""
        row = self._conn.execute(f"SELECT data FROM {self.spec.table} WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no {self.kind.replace('_', ' ')} with id {record_id}.")
        return self._parse(row[0])

    def get_many(self, ids: list[str]) -> list[T]:
        """Records in the order of ``ids`` (for views that page through a list of ids)."""
        found: dict[str, str] = {}
        for chunk in _chunks(dict.fromkeys(ids), _CHUNK):
            marks = ", ".join("?" * len(chunk))
            found.update(self._conn.execute(f"SELECT id, data FROM {self.spec.table} WHERE id IN ({marks})", chunk).fetchall())
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFoundError(f"There is no {self.kind.replace('_', ' ')} with id {', '.join(missing[:5])}.")
        parsed = {i: self._parse(data) for i, data in found.items()}
        return [parsed[i] for i in ids]

    def query(self, q: Query | None = None) -> list[T]:
        """Matching records, newest first (assets by name, list items by list order)."""
        return [self._parse(data) for (data,) in self._select("t.data", q or Query())]

    def ids(self, q: Query | None = None) -> list[str]:
        """Read row by row, not ``fetchall()``: freeing a million fetched tuples at once holds the GIL
        for 50-70 ms, a stall for the window whose worker asked."""
        sql, params = select(self.spec, "t.id", q or Query())
        return [i for (i,) in self._conn.execute(sql, params)]

    def packed_ids(self, q: Query | None = None, width: int = 36) -> tuple[str, int] | None:
        """The ids of ``ids(q)``, in the same order, end to end in one string, and how many.

        For lists over a million records: SQLite joins them without making a Python object per
        row (no 95 MB of small strings to build and free on the worker, holding the GIL).
        None when some id is not ``width`` characters (say, an imported record): use ``ids()``.
        """
        sql, params = select(self.spec, "t.id AS id", replace(q or Query(), limit=(q.limit if q and q.limit is not None else -1)))
        packed, count, total = self._conn.execute(
            f"SELECT coalesce(group_concat(id, ''), ''), count(*), coalesce(sum(length(id)), 0) FROM ({sql})", params
        ).fetchone()  # the LIMIT keeps the subquery whole, so the rows reach group_concat in its order
        return (packed, count) if total == width * count else None

    def count(self, q: Query | None = None) -> int:
        q = replace(q or Query(), limit=None, offset=0)
        sql, params = select(self.spec, "t.seq", q)  # the same plan as the list, so a count is as quick
        return self._conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]

    def values(self, q: Query | None, *fields: str, where: str = "", params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Some fields of the matching records, read by SQLite without parsing each record.

        For summaries over many records (Home's week), where parsing every record would make a
        million short-lived objects and garbage-collector passes that stall the window. A field
        is a column (``id``, ``neighbourhood``) or a JSON path into the record (``$.people_reached``;
        a list comes back as JSON text). ``where`` filters further on the fields, named ``v0``,
        ``v1``, ... in order, with ``params``; it is SQL, so a literal written in the code, never text a
        person typed (their values go in ``params``).
        """
        exprs = []
        for n, name in enumerate(fields):
            if _JSON_PATH.fullmatch(name):
                exprs.append(f"json_extract(t.data, '{name}') AS v{n}")
            elif _COLUMN.fullmatch(name):
                exprs.append(f"t.{name} AS v{n}")
            else:
                raise ValueError(f"not a column or a simple JSON path: {name!r}")
        sql, query_params = select(self.spec, ", ".join(exprs), q or Query())
        if where:
            sql, query_params = f"SELECT * FROM ({sql}) WHERE {where}", [*query_params, *params]
        return self._conn.execute(sql, query_params).fetchall()

    def _select(self, what: str, q: Query) -> list[tuple[Any, ...]]:
        sql, params = select(self.spec, what, q)
        return self._conn.execute(sql, params).fetchall()

    def sync_states(self, ids: list[str]) -> dict[str, SyncState]:
        states: dict[str, SyncState] = {}
        for chunk in _chunks(dict.fromkeys(ids), _CHUNK):
            marks = ", ".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT id, sync_state, sync_reason FROM {self.spec.table} WHERE id IN ({marks})", chunk
            ).fetchall()
            states.update({i: SyncState(s, r) for i, s, r in rows})
        return states

    # ---- writing -------------------------------------------------------------------

    def validate(self, record: T, reference: ReferenceLists | None = None) -> T:
        """The record as the domain model accepts it today, or pydantic's ValidationError."""
        if not isinstance(record, self.model):
            raise TypeError(f"{self.kind} repository cannot store a {type(record).__name__}")
        reference = reference if reference is not None else self._store.reference
        return self.model.model_validate(record.model_dump(), context={"reference": reference})

    def save(self, record: T) -> T:
        """Create or update; returns the stored record (rev bumped, updated_at set)."""
        valid = self.validate(record)
        with self._store._transaction() as events:
            writer = _Writer(self, events, bulk=False)
            stored = writer.write(valid, owned=True)
            writer.flush()
        return stored

    def save_many(self, records: Iterable[T]) -> int:
        """Save many records in ONE transaction (with their outbox rows); all or nothing."""
        count = 0
        reference = self._store.reference
        with self._store._transaction() as events:
            writer = _Writer(self, events, bulk=True)
            for chunk in _chunks(records, _CHUNK):
                valid = [self.validate(record, reference) for record in chunk]
                writer.preload(r.id for r in valid)
                writer.preload_slots(valid)
                for record in valid:
                    writer.write(record, owned=True)
                    count += 1
                writer.flush()
            if count:
                events.append(ChangeEvent(self.kind, None, "bulk"))
        return count

    def delete(self, record_id: str) -> T:
        """Soft delete: a tombstone the hub must see; the row stays until the hub has it."""
        return self._set_deleted(record_id, True, "deleted")

    def restore(self, record_id: str) -> T:
        """Undo a delete."""
        return self._set_deleted(record_id, False, "restored")

    def _set_deleted(self, record_id: str, deleted: bool, action: str) -> T:
        with self._store._transaction() as events:
            current = self.get(record_id)
            if current.deleted == deleted:
                return current
            writer = _Writer(self, events, bulk=False)
            stored = writer.write(current.model_copy(update={"deleted": deleted}), action=action)
            writer.flush()
        return stored

    def apply_remote(self, record: T, state: str = "synced") -> T:
        """Store the hub's version as it is (its rev, no outbox row): for the sync engine,
        which decides about conflicts with local changes before calling this."""
        valid = self.model.model_validate(record.model_dump(), context=READ_CONTEXT)
        with self._store._transaction() as events:
            writer = _Writer(self, events, bulk=False)
            writer.write(valid, remote_state=state)
            writer.flush()
        return valid


class _Writer:
    """Buffers the rows of a batch of changes and writes them with executemany."""

    def __init__(self, repo: Repository[Any], events: list[ChangeEvent], *, bulk: bool) -> None:
        self.repo = repo
        self.conn = repo._store._conn
        self.reference = repo._store.reference
        self.events = events
        self.bulk = bulk
        self.now = utcnow()
        self.now_iso = iso(self.now)
        self.current: dict[str, tuple[int, str, int | None]] = {}  # id -> (rev, created_at, seq)
        self.last_slot: dict[int, int] = {}  # seq base -> the highest seq used in that millisecond
        self.rows: list[tuple[Any, ...]] = []
        self.outbox: list[tuple[Any, ...]] = []
        self.children: list[tuple[Any, ...]] = []
        self.replaced: list[tuple[str]] = []
        self.pending_ids: set[str] = set()

    def preload(self, ids: Iterable[str]) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i not in self.current]
        if not wanted:
            return
        marks = ", ".join("?" * len(wanted))
        rows = self.conn.execute(
            f"SELECT id, rev, created_at, seq FROM {self.repo.spec.table} WHERE id IN ({marks})", wanted
        ).fetchall()
        self.current.update({i: (rev, created, seq) for i, rev, created, seq in rows})
        for i in wanted:
            self.current.setdefault(i, (0, "", None))

    def preload_slots(self, records: Iterable[Envelope]) -> None:
        """The last used seq of each millisecond these records fall in, in one query instead of one each."""
        if not self.repo.spec.time_ordered:
            return
        bases = list({seq_base(r.occurred_at) for r in records} - self.last_slot.keys())  # type: ignore[attr-defined]
        if not bases:
            return
        values = ", ".join(["(?)"] * len(bases))
        rows = self.conn.execute(
            f"WITH b(base) AS (VALUES {values}) SELECT base, (SELECT max(seq) FROM {self.repo.spec.table} "
            "WHERE seq >= base AND seq < base + ?) FROM b",
            [*bases, SLOTS],
        ).fetchall()
        self.last_slot.update({base: base - 1 if last is None else last for base, last in rows})

    def write(self, record: Envelope, *, action: str | None = None, remote_state: str | None = None,
              owned: bool = False) -> Any:
        """Queue one change; ``owned`` means the record is a fresh copy nobody else holds, so it is
        stamped in place instead of copied (validation already made it)."""
        if record.id in self.pending_ids:  # the same record twice in a batch: keep the order of its revisions
            self.flush()
        if record.id not in self.current:
            self.preload([record.id])
        old_rev, old_created, old_seq = self.current[record.id]
        if remote_state is None:
            stamp = {"rev": max(old_rev, record.rev) + 1, "updated_at": self.now}
            if old_created:
                stamp["created_at"] = parse_iso(old_created)
            if owned:
                stored = record
                for name, value in stamp.items():
                    setattr(stored, name, value)
            else:
                stored = record.model_copy(update=stamp)
            state = "pending"
        else:
            stored, state = record, remote_state
        data = stored.model_dump_json()
        spec = self.repo.spec
        seq: tuple[int, ...] = ()
        if spec.time_ordered:
            seq = (self._seq(stored.occurred_at, old_seq),)  # type: ignore[attr-defined]
        created = iso(stored.created_at) if remote_state is not None or not old_created else old_created
        self.rows.append((
            *seq, stored.id, stored.rev, int(stored.deleted), stored.org_id, stored.author_id, stored.device_id,
            created, self.now_iso if remote_state is None else iso(stored.updated_at), *spec.values(stored, self.reference), state, None, data,
        ))
        if spec.kind == "conversation":
            if old_rev:
                self.replaced.append((stored.id,))
            self.children.extend(conversation_barriers(stored, self.reference, seq[0]))  # type: ignore[arg-type]
        if remote_state is None:
            self.outbox.append((spec.kind, stored.id, stored.rev, data, self.now_iso, self.now_iso))
        self.current[stored.id] = (stored.rev, created, seq[0] if seq else old_seq)
        self.pending_ids.add(stored.id)
        if not self.bulk:
            self.events.append(ChangeEvent(spec.kind, stored.id, action or _action(old_rev, remote_state)))
        return stored

    def _seq(self, occurred_at: datetime, old_seq: int | None) -> int:
        """Keep the record's seq while its millisecond is unchanged, else the next free slot in the new one."""
        base = seq_base(occurred_at)
        if old_seq is not None and base <= old_seq < base + SLOTS:
            return old_seq
        last = self.last_slot.get(base)
        if last is None:
            row = self.conn.execute(
                f"SELECT max(seq) FROM {self.repo.spec.table} WHERE seq >= ? AND seq < ?", (base, base + SLOTS)
            ).fetchone()
            last = base - 1 if row[0] is None else row[0]
        if last + 1 >= base + SLOTS:
            raise StoreError("Too many records with exactly the same time; change the time of this one by a minute.")
        self.last_slot[base] = last + 1
        return last + 1

    def flush(self) -> None:
        if self.rows:
            self.conn.executemany(self.repo._upsert, self.rows)
        if self.replaced:
            self.conn.executemany("DELETE FROM conversation_barrier WHERE conversation_id = ?", self.replaced)
        if self.children:
            self.conn.executemany(
                "INSERT INTO conversation_barrier (conversation_id, position, seq, code, domain) VALUES (?, ?, ?, ?, ?)",
                self.children,
            )
        if self.outbox:
            self.conn.executemany(
                "INSERT INTO outbox (kind, record_id, rev, payload, state, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                self.outbox,
            )
        self.rows, self.outbox, self.children, self.replaced = [], [], [], []
        self.pending_ids = set()


def _action(old_rev: int, remote_state: str | None) -> str:
    if remote_state is not None:
        return "remote"
    return "updated" if old_rev else "created"
