"""Fixtures for the window tests: a real store in the test's own data folder, the real window.

The top-level conftest gives every test a private CHAMPIONS_DATA_DIR and an in-memory
keyring, so ``open_default`` here opens a real (encrypted or demo) SQLite file there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from champions.store import Store, open_default


@pytest.fixture
def store() -> Iterator[Store]:
    """An empty, encrypted store, opened the way the app opens it."""
    opened = open_default()
    yield opened
    opened.close()


@pytest.fixture
def demo_store() -> Iterator[Store]:
    """The demo database, filled as ``champions --demo`` fills it on first run."""
    from champions.ui.app import fill_demo

    opened = open_default(demo=True)
    fill_demo(opened)
    yield opened
    opened.close()


def make_window(qtbot: Any, store: Store, demo: bool = False) -> Any:
    from champions.ui.app import apply_style, make_application
    from champions.ui.main_window import MainWindow

    apply_style(make_application())
    window = MainWindow(store, demo=demo)
    qtbot.addWidget(window, before_close_func=lambda w: w.shutdown())
    window.resize(1366, 768)
    window.show()
    activate(qtbot, window)  # shortcuts only reach the active window
    return window


def activate(qtbot: Any, window: Any, tries: int = 3) -> None:
    """Make ``window`` the active one, asking again if the first request is lost.

    In a long run a dialog an earlier test closed may still be on its way out (deleted later)
    when the next window asks to be activated, and the request is dropped (seen once in CI).
    """
    from PySide6.QtWidgets import QApplication

    for _ in range(tries):
        window.raise_()
        window.activateWindow()
        try:
            qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - pytest-qt's TimeoutError: try once more
            qtbot.wait(200)
    others = [f"{w.__class__.__name__}({w.objectName()!r})" for w in QApplication.topLevelWidgets()
              if w.isVisible() and w is not window]
    raise AssertionError(f"the window never became active; other visible windows: {others}")


def settle(qtbot: Any, window: Any, timeout: int = 10_000) -> None:
    """Wait until the background searches, pages of rows and counts have all arrived."""

    def idle() -> None:
        assert not window.worker.is_busy()
        assert not window.counter.is_busy()
        assert not window._refresh_timer.isActive()
        for page in (window.conversations, window.outreach):
            assert not page._search_timer.isActive()
            assert not page.model.is_searching()
            assert not page.model.is_loading_rows()
        assert not window.assets._timer.isActive()

    qtbot.waitUntil(idle, timeout=timeout)


@pytest.fixture
def window(qtbot: Any, demo_store: Store) -> Iterator[Any]:
    win = make_window(qtbot, demo_store, demo=True)
    settle(qtbot, win)
    yield win
    win.shutdown()  # before the store fixture closes the store
