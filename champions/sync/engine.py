"""The sync engine: push the outbox, pull what changed, settle conflicts. No Qt, no threads.

``SyncEngine(store).run_once()`` is the whole of a sync; the UI runs it on a worker thread with
its own ``store.reopen()``. Every step is its own transaction, so killing the process anywhere
leaves a state the next run finishes from:

- push: entries go pending -> sending (one transaction), then the hub's answers are recorded
  (one transaction per batch). Entries still 'sending' at the start of a run were cut off; they
  are sent again, and the hub answers "duplicate" for what it already has (idempotent by id, rev).
- An edit saved while its record's batch is in flight has its own outbox row (a new rev) that
  stays pending: the answer for the older rev only touches that rev's row.
- One batch is on the wire at a time, in order, on a small HTTP thread; meanwhile this thread
  records the previous batch's answers and marks the next batch (the store's work and the hub's
  overlap). A batch touching a record still in flight waits for that answer (its base_rev).
- pull: each page is applied together with the new cursor in one transaction (the next page is
  fetched meanwhile); our own accepted pushes coming back are skipped before the store sees them.
- conflict: merged field by field against the last common version when the two sides changed
  different fields (the merge goes out as a new rev); otherwise both versions are kept and the
  person chooses on the Sync page.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from champions.domain import uuid7, utcnow
from champions.store import Store
from champions.store.incoming import Answer, Conflict, Incoming, Pending

from . import protocol as p
from .client import HubClient
from .enrolment import CURSOR_KEY, Identity, connection_options, current_identity, token_for
from .errors import NotEnrolled, ServerRejected, SyncError
from .export_file import write_export
from .merge import three_way_merge

log = logging.getLogger(__name__)

LAST_SUCCESS_KEY = "sync.last_success"
LAST_PROBLEM_KEY = "sync.last_problem"

ClientFactory = Callable[[Identity, str], HubClient]


def default_client(identity: Identity, token: str) -> HubClient:
    return HubClient(identity.hub_url, token, **connection_options())


@dataclass
class SyncReport:
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    merged: int = 0
    kept_both: int = 0
    pulled: int = 0
    echoes: int = 0
    seconds: float = 0.0
    push_seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"sent {self.sent}", f"received {self.pulled}"]
        if self.rejected:
            parts.append(f"{self.rejected} refused")
        if self.kept_both:
            parts.append(f"{self.kept_both} need a decision")
        return ", ".join(parts)


@dataclass
class SyncStatus:
    """What the status bar shows; read cheaply from the store, no network."""

    identity: Identity | None
    unsynced: int
    last_success: str | None
    last_problem: dict[str, Any] | None
    problems: int = 0


@dataclass
class _Batch:
    entries: list[Pending]
    bases: list[int | None] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        return {e.record_id for e in self.entries}

    def body(self, batch_id: str) -> bytes:
        """The PushRequest JSON, built around the payload texts as saved (no parse, no re-dump)."""
        parts = [
            '{"kind":%s,"id":%s,"rev":%d,"base_rev":%s,"record":%s}'
            % (json.dumps(e.kind), json.dumps(e.record_id), e.rev, "null" if b is None else int(b), e.payload)
            for e, b in zip(self.entries, self.bases)
        ]
        return ('{"batch_id":%s,"changes":[%s]}' % (json.dumps(batch_id), ",".join(parts))).encode("utf-8")

    def changes(self) -> list[p.Change]:
        return [p.Change(kind=e.kind, id=e.record_id, rev=e.rev, base_rev=b, record=json.loads(e.payload))
                for e, b in zip(self.entries, self.bases)]


def _wait(future: Future[Any]) -> None:
    """Let a request still on the wire finish before anything else uses the client."""
    try:
        future.result()
    except BaseException:  # noqa: BLE001 - the error being handled is the one to report
        pass


def _reason(result: p.ChangeResult) -> str:
    reason = result.reason or "The hub refused this record."
    details = [f"{pr.field}: {pr.message}" for pr in result.problems if pr.message not in reason]
    return reason + (" (" + "; ".join(details) + ")" if details else "")


class SyncEngine:
    """Runs sync for one store (one thread). Reuses one HTTP client while the identity is the same."""

    def __init__(self, store: Store, *, client_factory: ClientFactory = default_client,
                 batch_size: int = 500, pull_limit: int = p.PULL_DEFAULT_LIMIT) -> None:
        self.store = store
        self.ledger = Incoming(store)
        self.client_factory = client_factory
        self.batch_size = min(batch_size, p.MAX_BATCH_CHANGES)
        self.pull_limit = min(pull_limit, p.PULL_MAX_LIMIT)
        self._client: HubClient | None = None
        self._client_key: tuple[str, str, str] | None = None
        self._device_id = ""
        # The HTTP calls run here, one at a time, so the store work overlaps the hub's (see _push).
        # Only this thread uses the client while a call is in flight; the store stays on the caller's.
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-http")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        self._sender.shutdown(wait=True)
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-http")

    # ---- status --------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        settings = self.store.settings
        return SyncStatus(
            identity=current_identity(self.store),
            unsynced=self.store.unsynced_count(),
            last_success=settings.get(LAST_SUCCESS_KEY),
            last_problem=settings.get(LAST_PROBLEM_KEY),
            problems=len(self.ledger.problems()),
        )

    # ---- the whole sync --------------------------------------------------------------------

    def run_once(self) -> SyncReport:
        """Push everything waiting, then pull everything new. Raises a SyncError on trouble
        (after remembering it for the status bar); whatever was done before stays done."""
        started = time.monotonic()
        report = SyncReport()
        try:
            client = self._client_for_identity()
            self.store.outbox.requeue_sending()  # cut off by a crash or a lost connection
            self._push(client, report)
            report.push_seconds = time.monotonic() - started
            self._pull(client, report)
        except SyncError as exc:
            self._remember_problem(exc)
            raise
        report.seconds = time.monotonic() - started
        self.store.settings.set(LAST_SUCCESS_KEY, utcnow().isoformat())
        if self.store.settings.get(LAST_PROBLEM_KEY) is not None:
            self.store.settings.delete(LAST_PROBLEM_KEY)
        return report

    def _client_for_identity(self) -> HubClient:
        identity = current_identity(self.store)
        if identity is None:
            raise NotEnrolled("This laptop is not connected to a hub yet. Enrol with the invite code from your coordinator.")
        token = token_for(identity)
        key = (identity.hub_url, identity.device_id, token)
        if self._client is None or self._client_key != key:
            self.close()
            self._client = self.client_factory(identity, token)
            self._client_key = key
        self._device_id = identity.device_id
        return self._client

    def _remember_problem(self, exc: SyncError) -> None:
        log.warning("sync stopped: %s (%s)", type(exc).__name__, exc.detail)
        try:
            self.store.settings.set(LAST_PROBLEM_KEY, {
                "kind": type(exc).__name__, "message": str(exc), "retry_later": exc.retry_later,
                "at": utcnow().isoformat(),
                # for the UI to show it in the person's language
                "template": exc.template, "values": {k: str(v) for k, v in exc.values.items()}, "hub_says": exc.hub_says,
            })
        except Exception:  # noqa: BLE001 - the original problem is the one to report
            log.exception("could not remember the sync problem")

    # ---- push ------------------------------------------------------------------------------

    def _prepare(self, entries: list[Pending]) -> _Batch:
        batch = _Batch(entries)
        bases = self.ledger.base_revs(e.record_id for e in entries)
        previous: dict[str, int] = {}
        for entry in entries:
            base = previous.get(entry.record_id, bases.get(entry.record_id))
            if base is not None and base >= entry.rev:
                base = None  # never claim a base at or above the rev; the hub decides by authorship
            batch.bases.append(base)
            previous[entry.record_id] = entry.rev
        return batch

    def _push(self, client: HubClient, report: SyncReport) -> None:
        size = self.batch_size
        while True:
            try:
                return self._push_batches(client, report, size)
            except ServerRejected as exc:
                if exc.status == 413 and size > 1:
                    size = max(1, size // 2)  # the hub's limit is in bytes too: smaller batches
                    continue
                raise

    def _push_batches(self, client: HubClient, report: SyncReport, size: int) -> None:
        """Push every waiting change in batches of ``size``, in order, one batch on the wire at a time.

        While the hub works on batch k, this thread records the answers to batch k-1 and marks and
        builds batch k+1, so the store's work and the hub's overlap instead of adding up. A batch
        holding a record that is still in flight waits for that answer first: its base_rev is the
        answer (exactly as when one batch follows the other). On any error every change still
        marked as sending goes back to pending (the hub answers "duplicate" for what it got).
        """
        rounds_left = self.store.unsynced_count() // max(size, 1) + 50  # merges add a few rows; never loop forever
        flight: tuple[_Batch, Future[p.PushResponse]] | None = None
        try:
            while True:
                entries = self.ledger.pending(size) if rounds_left > 0 else []
                rounds_left -= 1
                if entries and flight is not None and not flight[0].ids.isdisjoint(e.record_id for e in entries):
                    self._record(flight[0], flight[1].result(), report)
                    flight = None
                    entries = self.ledger.pending(size)  # the answers may have closed some of them
                batch: _Batch | None = None
                body = b""
                if entries:
                    batch_id = uuid7()
                    self.ledger.mark_sending(entries, batch_id)
                    batch = self._prepare(entries)
                    body = batch.body(batch_id)
                if flight is not None:
                    answer = flight[1].result()
                    answered, flight = flight[0], None
                    if batch is not None:  # on the wire before we record the answer we just got
                        flight = (batch, self._sender.submit(client.push_body, body))
                    self._record(answered, answer, report)  # a merge queues a new rev: look again
                elif batch is not None:
                    flight = (batch, self._sender.submit(client.push_body, body))
                else:
                    return
        except BaseException:
            if flight is not None:
                _wait(flight[1])
            self.store.outbox.requeue_sending()
            raise

    def _record(self, batch: _Batch, answer: p.PushResponse, report: SyncReport) -> None:
        by_key = {(e.record_id, e.rev): e for e in batch.entries}
        answered: set[int] = set()
        answers: list[Answer] = []
        conflicts: dict[str, tuple[str, dict[str, Any] | None]] = {}
        for result in answer.results:
            entry = by_key.get((result.id, result.rev))
            if entry is None or entry.seq in answered:
                continue
            answered.add(entry.seq)
            report.sent += 1
            if result.status in ("accepted", "duplicate"):
                setattr(report, result.status, getattr(report, result.status) + 1)
                answers.append(Answer(entry.seq, "synced"))
            elif result.status == "rejected":
                report.rejected += 1
                answers.append(Answer(entry.seq, "rejected", _reason(result)))
            else:
                conflicts[entry.record_id] = (entry.kind, result.hub_record)
        answers += [Answer(e.seq, "pending") for e in batch.entries
                    if e.seq not in answered and e.record_id not in conflicts]
        self.ledger.record_answers(answers, {e.seq: e for e in batch.entries})
        for record_id, (kind, hub_record) in conflicts.items():
            if hub_record is None:
                self.ledger.record_answers([Answer(e.seq, "pending") for e in batch.entries if e.record_id == record_id], {e.seq: e for e in batch.entries})
                continue
            outcome = self.ledger.resolve(kind, record_id, hub_record, three_way_merge)
            if outcome == "merged":
                report.merged += 1
            elif outcome == "kept_both":
                report.kept_both += 1

    # ---- pull ------------------------------------------------------------------------------

    def _pull(self, client: HubClient, report: SyncReport) -> None:
        """Pull every page since the cursor; the next page is fetched while this one is applied.

        Our own pushes come back from the hub (it sends every record's current version). A pulled
        record this device wrote at exactly the rev both sides already have (``sync_base``) is left
        out before the store parses anything: applying it would change nothing but the cursor.
        """
        cursor = int(self.store.settings.get(CURSOR_KEY, 0) or 0)
        future: Future[p.PullResponse] | None = self._sender.submit(client.pull, cursor, self.pull_limit)
        try:
            while future is not None:
                page = future.result()
                future = None
                if page.has_more:
                    future = self._sender.submit(client.pull, page.next_cursor, self.pull_limit)
                if page.changes or page.next_cursor != cursor:
                    changes = self._not_echoes(page.changes, self._device_id)
                    try:
                        outcome = self.ledger.apply_pulled(
                            [(c.kind, c.id, c.rev, c.record) for c in changes], CURSOR_KEY, page.next_cursor)
                    except ValidationError as exc:  # the page was not applied, the cursor did not move
                        raise ServerRejected(
                            "The hub sent a record this version of Champions cannot read, so nothing from the hub "
                            "was changed on this laptop. Ask your IT team whether Champions needs updating.",
                            detail=str(exc)[:500]) from None
                    report.pulled += outcome.applied
                    report.echoes += len(page.changes) - len(changes)
                cursor = page.next_cursor
        finally:
            if future is not None:
                _wait(future)

    def _not_echoes(self, changes: list[p.PulledRecord], device_id: str) -> list[p.PulledRecord]:
        own = [c.id for c in changes if c.record.get("device_id") == device_id]
        if not own:
            return changes
        agreed = self.ledger.base_revs(own)
        return [c for c in changes if not (c.record.get("device_id") == device_id and agreed.get(c.id) == c.rev)]

    # ---- conflicts and the coordinator export ---------------------------------------------------

    def conflicts(self) -> list[Conflict]:
        return self.ledger.conflicts()

    def keep_mine(self, record_id: str) -> None:
        self.ledger.keep(record_id, "mine")

    def keep_theirs(self, record_id: str) -> None:
        self.ledger.keep(record_id, "theirs")

    def export_for_coordinator(self, path: Path) -> int:
        """Write every change the hub has not confirmed to ``path``; returns how many."""
        identity = current_identity(self.store)
        if identity is None:
            raise NotEnrolled("This laptop was never connected to a hub, so there is no coordinator to export for.")
        entries = [Pending(e.seq, e.kind, e.record_id, e.rev, json.dumps(e.payload)) for e in self.ledger.unsynced_entries()]
        return write_export(Path(path), self._prepare(entries).changes(), identity=identity.for_export())
