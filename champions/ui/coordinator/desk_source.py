"""The coordinator's records read once for every page that counts or lists them.

The Dashboard counts and Submissions lists the same ``FactColumns``; each reading every record
into its own copy cost twice the time and memory (some 40 s and 260 MiB each at a million
records) and made switching from one page to the other a wait. One ``DeskSource`` per window
reads a ``StoreDesk`` on its own worker and hands the same one to every page. Once built the
columns are only read (and ``set_review_state`` swaps one bit, atomically enough for a count),
so each page's worker may count on them at the same time.

The source never reads by itself: a change to the records only marks it stale (``invalidate``,
from every page that hears of one), and the next page that is shown and wants the records calls
``load``. A change that comes while a read is under way leaves it stale for the next ``load``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal

from ...coordinator import TaskState
from ...coordinator.desk import StoreDesk
from ..workers import StoreWorker

log = logging.getLogger(__name__)

ReviewStates = Callable[[Any], Mapping[str, str]]


class DeskSource(QObject):
    """``desk`` is the last one read; ``ready`` says a new one is in, ``failed`` that a read failed."""

    progressed = Signal(int, int)  # records read so far, of how many (from the worker: queued)
    ready = Signal(object)  # StoreDesk
    failed = Signal(object)  # BaseException
    review_moved = Signal(str)  # a page moved this record to a new review state in place

    def __init__(self, store: Any, parent: QObject | None = None, *, champion_names: Mapping[str, str] | None = None,
                 review_states: ReviewStates | None = None) -> None:
        super().__init__(parent)
        self.worker = StoreWorker(store, self, name="coordinator-desk")
        self.champion_names = dict(champion_names or {})
        self.review_states = review_states
        self.desk: StoreDesk | None = None
        self.loads = 0  # reads started, for the tests (and a log line)
        self._stale = True
        self._loading = False
        self._closed = False

    def invalidate(self) -> None:
        """The records changed (a sync, an import, an edit): read them again at the next ``load``."""
        self._stale = True

    def load(self) -> StoreDesk | None:
        """The current desk if it is up to date; otherwise start reading (unless a read is already
        under way) and return None: ``ready`` brings the desk, or ``failed`` the reason."""
        if self._closed:
            return None
        if not self._stale and self.desk is not None:
            return self.desk
        if self._loading:
            return None
        self._loading = True
        self._stale = False
        self.loads += 1
        names, states, progress = dict(self.champion_names), self.review_states, self.progressed.emit

        def job(store: Any) -> StoreDesk:  # the columns only: a million records fit
            return StoreDesk.load(store, champion_names=names, task=TaskState(progress), review_states=states)

        self.worker.submit(job, self._loaded, self._failed, channel="desk")
        return None

    def _loaded(self, desk: StoreDesk) -> None:
        self._loading = False
        if self._closed:
            return
        self.desk = desk
        log.info("coordinator desk read (%d records, read %d times)", desk.columns.n, self.loads)
        self.ready.emit(desk)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self._stale = True  # so Try again reads again
        if not self._closed:
            self.failed.emit(exc)

    def moved_review(self, record_id: str) -> None:
        """A page changed one record's review state in the shared columns: the others recount."""
        self.review_moved.emit(record_id)

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.worker.close()


class ReadsSharedDesk:
    """What the Dashboard and Submissions pages share: reading the desk, its progress, its changes.

    A page mixes this in before ``QWidget`` and has ``source``, ``loading_bar``, a single-shot
    ``_reload_timer`` (connected to ``_reload_if_shown``), the flags ``_closed``, ``_loading``,
    ``_stale`` and ``_load_error``, and ``_loaded(desk)``, ``_show_state()`` and
    ``_show_loading()`` (what the page shows while the first read is under way).
    """

    source: DeskSource

    def reload(self) -> None:
        """Read every record again (on the shared desk's worker), whatever is known of them."""
        self.source.invalidate()
        self._read()

    def _read(self) -> None:
        """The records from the shared desk: read anew only if they changed since (``store_changed``)."""
        if self._closed:
            return
        if self._loading:  # a read is under way (it may predate the change): look again once it is in
            self._stale = True
            self._reload_timer.start()
            return
        self._loading = True
        self._stale = False
        self._load_error = None
        self._show_loading()
        self._show_state()
        desk = self.source.load()
        if desk is not None:  # up to date already (the other page read it)
            self._loaded(desk)

    def _desk_ready(self, desk: StoreDesk) -> None:
        if not self._closed:
            self._loaded(desk)

    def _load_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.loading_bar.setRange(0, total)
            self.loading_bar.setValue(done)

    def store_changed(self, _event: object) -> None:
        """Read the records again once they are quiet, and only if the page is shown (else when it is)."""
        self.source.invalidate()
        self._stale = True
        self._reload_timer.start()

    def _reload_if_shown(self) -> None:
        if self.isVisible() and self._stale and not self._loading:
            self._read()
        elif self._loading and self._stale:
            self._reload_timer.start()  # a read is under way; look again when it is in
