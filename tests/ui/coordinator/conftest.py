"""A coordinator's laptop: a real encrypted store holding two champions' records, the real window.

The records come from ``champions.domain.samples`` (as the demo's do); the enrolment is the
one ``champions.sync.enrolment`` saves after a coordinator's invite code, so the window decides
on its own that this device gets the Dashboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from champions.domain.samples import SampleGenerator
from champions.store import Store, open_default
from champions.sync.enrolment import IDENTITY_KEY

from ..conftest import make_window

CHAMPIONS = ("amina", "ben")
WAIT = 20_000


def identity(role: str) -> dict[str, str]:
    return {"hub_url": "https://hub.example.org", "device_id": "device-1", "device_name": "Office laptop",
            "person_id": "coord-1", "person_name": "Chloe Coordinator", "role": role, "org_id": "org-1",
            "org_name": "Wirral Voluntary Services", "enrolled_at": "2026-01-05T09:00:00+00:00"}


def fill(store: Store, conversations: int = 150, barriers: int = 20, activities: int = 15) -> None:
    """Two champions' records over the last 90 days (generated relative to today)."""
    for n, champion in enumerate(CHAMPIONS):
        gen = SampleGenerator(seed=40 + n, reference=store.reference, author_id=champion, org_id="org-1")
        store.conversations.save_many(list(gen.conversations(conversations)))
        store.barriers.save_many([gen.barrier() for _ in range(barriers)])
        store.activities.save_many(list(gen.activities(activities)))
    store.assets.save_many([SampleGenerator(seed=9, reference=store.reference).asset(i) for i in range(6)])


@pytest.fixture
def desk_store() -> Iterator[Store]:
    """An encrypted store, opened as the app opens it, enrolled as a coordinator and filled."""
    store = open_default()
    store.settings.set(IDENTITY_KEY, identity("coordinator"))
    fill(store)
    yield store
    store.close()


def wait_idle(qtbot: Any, page: Any, timeout: int = WAIT) -> None:
    """Until the desk is loaded and the newest filter counted."""

    def idle() -> None:
        assert page.desk is not None
        assert page.data is not None
        assert not page.is_busy()

    qtbot.waitUntil(idle, timeout=timeout)


@pytest.fixture
def coordinator_window(qtbot: Any, desk_store: Store) -> Iterator[Any]:
    window = make_window(qtbot, desk_store)
    yield window
    window.shutdown()


@pytest.fixture
def dashboard(qtbot: Any, coordinator_window: Any) -> Any:
    """The Dashboard page as a coordinator opens it: Ctrl+6, then the records load."""
    from PySide6.QtCore import Qt

    qtbot.keyClick(coordinator_window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = coordinator_window.dashboard
    assert coordinator_window.stack.currentWidget() is page
    wait_idle(qtbot, page)
    return page
