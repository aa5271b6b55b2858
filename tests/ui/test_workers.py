"""The background worker keeps one Store for its thread, however many jobs it runs.

PySide runs each job of a QThreadPool thread under a new Python thread state, which empties a
``threading.local``: the worker kept its Store in one, so every job opened (and kept) another
SQLite connection, each with its own page cache, cold each time. Over a million records a
search grew the app by about 35 MB; this pins the one-store-per-thread promise.
"""

from __future__ import annotations

import threading
from typing import Any

from champions.ui.workers import StoreWorker


def run_jobs(qtbot: Any, worker: StoreWorker, n: int) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []
    for _ in range(n):
        worker.submit(lambda store: (threading.get_ident(), id(store)), seen.append)
    qtbot.waitUntil(lambda: len(seen) == n, timeout=10_000)
    return seen


def test_every_job_gets_the_threads_one_store(qtbot: Any, store: Any) -> None:
    worker = StoreWorker(store)
    try:
        seen = run_jobs(qtbot, worker, 20)
        seen += run_jobs(qtbot, worker, 5)  # after the thread was idle between jobs
        assert len({thread for thread, _ in seen}) == 1
        assert len({store_id for _, store_id in seen}) == 1, "a job opened a Store of its own"
        assert len(worker._stores) == 1
    finally:
        worker.close()
    assert worker._stores == {}  # closed on its own thread at shutdown


def test_a_job_sees_what_the_main_store_committed(qtbot: Any, store: Any) -> None:
    from champions.domain.samples import SampleGenerator

    worker = StoreWorker(store)
    try:
        counts: list[int] = []
        worker.submit(lambda s: s.conversations.count(), counts.append)
        qtbot.waitUntil(lambda: counts == [0], timeout=10_000)
        store.conversations.save(next(SampleGenerator(seed=1, reference=store.reference).conversations(1)))
        worker.submit(lambda s: s.conversations.count(), counts.append)  # the same connection, a new read
        qtbot.waitUntil(lambda: counts == [0, 1], timeout=10_000)
    finally:
        worker.close()
