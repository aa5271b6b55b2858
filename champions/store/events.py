"""Change notification: views subscribe once and refresh when the data they show changed.

Callbacks run after the commit, in the thread that made the change (so a Qt view that
saved on the GUI thread hears it there; a worker's store tells its own subscribers).
A failing callback is logged and never undoes or hides a committed change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)

# What happened to the record: created / updated / deleted / restored by this device,
# "bulk" for save_many (record_id is None: refresh the whole list), "sync" when its
# sync state changed, "remote" when the sync engine wrote the hub's version.
ACTIONS = ("created", "updated", "deleted", "restored", "bulk", "sync", "remote")


@dataclass(frozen=True)
class ChangeEvent:
    kind: str
    record_id: str | None
    action: str


Callback = Callable[[ChangeEvent], None]


class Subscribers:
    def __init__(self) -> None:
        self._callbacks: list[Callback] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def emit(self, events: Iterable[ChangeEvent]) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for event in events:
            for callback in callbacks:
                try:
                    callback(event)
                except Exception:
                    log.exception("A change subscriber failed on %s; the change itself is saved.", event)
