"""Drafts (and the form's larger reads): off the GUI thread, in order, on the form's own connection.

A form's state is written within about a second of a change, so a crash, a kill
or a power cut loses at most that second. One worker thread per form keeps the
writes in the order they were asked for (a "discard" after "save" never
resurrects the draft) and has its own connection (``store.reopen()``), because a
SQLite connection must not be shared across threads.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class DraftWriter(QObject):
    written = Signal(str)
    discarded = Signal(str)
    failed = Signal(str, str)
    fetched = Signal(str, object)  # name, result: a read the form asked for (e.g. the assets)

    def __init__(self, store: Any) -> None:
        super().__init__()
        self._store = store
        self._own: Any = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="champions-drafts")
        self._closed = False

    def save(self, form_key: str, data: dict[str, Any]) -> Future[None] | None:
        return self._submit(self._save, form_key, data)

    def discard(self, form_key: str) -> Future[None] | None:
        return self._submit(self._discard, form_key)

    def fetch(self, name: str, read: Any) -> Future[None] | None:
        """Run ``read(store)`` on the worker's connection; the result arrives as ``fetched(name, result)``."""
        return self._submit(self._fetch, name, read)

    def flush(self, timeout: float = 10.0) -> None:
        """Wait for every write asked for so far (used when the form closes)."""
        future = self._submit(lambda: None)
        if future is not None:
            future.result(timeout)

    def close(self) -> None:
        """Finish what is queued, then close the worker's connection; never blocks the caller."""
        if self._closed:
            return
        self._pool.submit(self._close_own)
        self._closed = True
        self._pool.shutdown(wait=False)

    # -- on the worker thread --------------------------------------------------------
    def _submit(self, fn: Any, *args: Any) -> Future[None] | None:
        if self._closed:
            return None
        return self._pool.submit(self._guard, fn, *args)

    def _guard(self, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:  # a failed draft write must never take the form down
            log.exception("draft write failed")
            self._emit(self.failed, str(args[0]) if args else "", str(exc))

    def _drafts(self) -> Any:
        if self._own is None:
            self._own = self._store.reopen()
        return self._own.drafts

    def _save(self, form_key: str, data: dict[str, Any]) -> None:
        self._drafts().save(form_key, data)
        self._emit(self.written, form_key)

    def _discard(self, form_key: str) -> None:
        self._drafts().discard(form_key)
        self._emit(self.discarded, form_key)

    def _fetch(self, name: str, read: Any) -> None:
        self._drafts()  # opens the worker's connection if needed
        self._emit(self.fetched, name, read(self._own))

    def _close_own(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the form went away first; the write itself is done
            pass
