"""Background work for the UI: queries and counts run off the GUI thread.

Shaped like superqt's ``WorkerBase`` and Anki's ``QueryOp``: a ``QRunnable`` carries a
small signals ``QObject``; the job gets a ``Store`` (never a widget) and its result comes
back to a callback on the GUI thread. Each ``StoreWorker`` runs one thread that owns its
own ``Store`` made with ``store.reopen()``, because a SQLite connection must never be
shared across threads. Jobs on a *channel* follow "the newest request wins": a queued
job that is no longer the newest is skipped, and a stale result is dropped.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Job = Callable[[Any], Any]


class _TaskSignals(QObject):
    """Lives on the GUI thread; emitted from the worker thread, so delivery is queued."""

    returned = Signal(int, object)
    errored = Signal(int, object)


class _StoreTask(QRunnable):
    def __init__(self, worker: "StoreWorker", token: int, channel: str | None, job: Job) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.worker = worker
        self.token = token
        self.channel = channel
        self.job = job
        self.signals = worker._signals

    def run(self) -> None:  # runs on the worker thread
        if not self.worker._is_current(self.channel, self.token):
            return  # a newer request on this channel is already queued
        try:
            result = self.job(self.worker._thread_store())
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI, never swallowed
            log.exception("background job failed")
            self.signals.errored.emit(self.token, exc)
        else:
            self.signals.returned.emit(self.token, result)


@dataclass
class _Pending:
    channel: str | None
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None


class StoreWorker(QObject):
    """One background thread with its own Store; submit jobs, get results on the GUI thread."""

    busy_changed = Signal(bool)
    job_failed = Signal(object)

    def __init__(self, store: Any, parent: QObject | None = None, name: str = "store-worker") -> None:
        super().__init__(parent)
        self._main_store = store
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # keep the thread, and with it the thread's Store
        # The thread's Store, by the thread's id. Not threading.local: PySide gives a pool thread a new
        # Python thread state for each job, which empties a threading.local, so every job opened
        # (and kept) another connection with its own 32 MiB page cache, cold each time.
        self._stores: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._latest: dict[str, int] = {}
        self._pending: dict[int, _Pending] = {}
        self._tokens = itertools.count(1)
        self._closed = False
        self.setObjectName(name)
        self._signals = _TaskSignals(self)
        self._signals.returned.connect(self._deliver)
        self._signals.errored.connect(self._fail)

    # -- called on the GUI thread -------------------------------------------------
    def submit(
        self,
        job: Job,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        channel: str | None = None,
    ) -> int:
        """Run ``job(store)`` in the background. With a channel, only the newest result arrives."""
        if self._closed:
            return 0
        token = next(self._tokens)
        with self._lock:
            if channel is not None:
                self._latest[channel] = token
        self._pending[token] = _Pending(channel, on_done, on_error)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_StoreTask(self, token, channel, job))
        return token

    def is_busy(self) -> bool:
        return bool(self._pending)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued jobs ran (tests and shutdown only); results still arrive by event."""
        return self._pool.waitForDone(msecs)

    def close(self) -> None:
        """Stop taking jobs, let running ones finish and close the thread's Store on its own thread."""
        if self._closed:
            return
        self._closed = True
        with self._lock:
            self._latest.clear()
        self._pool.start(_CloseTask(self))
        self._pool.waitForDone()
        self._pending.clear()

    @Slot(int, object)
    def _deliver(self, token: int, result: object) -> None:
        pending = self._pop(token)
        if pending is None or not self._is_current(pending.channel, token):
            return  # stale: a newer request on the channel will answer
        if pending.on_done is not None:
            pending.on_done(result)

    @Slot(int, object)
    def _fail(self, token: int, exc: object) -> None:
        pending = self._pop(token)
        if pending is None or not self._is_current(pending.channel, token):
            return
        if pending.on_error is not None:
            pending.on_error(exc)  # type: ignore[arg-type]
        else:
            self.job_failed.emit(exc)

    def _pop(self, token: int) -> _Pending | None:
        pending = self._pending.pop(token, None)
        if pending is not None and pending.channel is not None:
            # Older jobs on the channel were skipped or dropped: they never report.
            for older in [t for t, p in self._pending.items() if p.channel == pending.channel and t < token]:
                del self._pending[older]
        if not self._pending:
            self.busy_changed.emit(False)
        return pending

    # -- called on either thread --------------------------------------------------
    def _is_current(self, channel: str | None, token: int) -> bool:
        if self._closed:
            return False
        if channel is None:
            return True
        with self._lock:
            return self._latest.get(channel) == token

    # -- called on the worker thread ----------------------------------------------
    def _thread_store(self) -> Any:
        thread = threading.get_ident()
        with self._lock:
            store = self._stores.get(thread)
        if store is None:
            store = self._main_store.reopen()
            with self._lock:
                self._stores[thread] = store
        return store

    def _close_thread_store(self) -> None:
        with self._lock:
            store = self._stores.pop(threading.get_ident(), None)
        if store is not None:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - closing at shutdown must not raise
                log.exception("closing the worker's store failed")


class _CloseTask(QRunnable):
    def __init__(self, worker: StoreWorker) -> None:
        super().__init__()
        self.worker = worker

    def run(self) -> None:
        self.worker._close_thread_store()


class StoreEvents(QObject):
    """Carries the store's change notifications onto the GUI thread as a Qt signal.

    ``store.subscribe`` may call back on whichever thread wrote; emitting a signal from
    there queues the delivery to receivers living on the GUI thread.
    """

    changed = Signal(object)

    def __init__(self, store: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = store.subscribe(self._notify)

    def _notify(self, event: object) -> None:
        self.changed.emit(event)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
