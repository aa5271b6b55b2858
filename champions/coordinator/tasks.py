"""A cooperative cancel flag and progress report for long jobs (after Orange3's TaskState).

The UI's worker makes one, passes it to an export or import, and calls ``cancel()`` from
the GUI thread; the job checks ``cancelled`` between rows and raises ``Cancelled``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol


class Cancelled(Exception):
    """The person pressed Cancel; the job stopped and left nothing half-written."""


class TaskLike(Protocol):
    @property
    def cancelled(self) -> bool: ...

    def progress(self, done: int, total: int) -> None: ...


class TaskState:
    """Thread-safe: ``cancel`` may come from another thread than the one doing the work."""

    def __init__(self, on_progress: Callable[[int, int], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._on_progress = on_progress
        self.done = 0
        self.total = 0

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self._on_progress is not None:
            self._on_progress(done, total)


class _NoTask:
    cancelled = False

    def progress(self, done: int, total: int) -> None:
        pass


NO_TASK: TaskLike = _NoTask()


def check(task: TaskLike) -> None:
    if task.cancelled:
        raise Cancelled()
