"""A coordinator page's place in the main window: a navigation row now, the page when first shown.

Each page's ``*_entry`` module names its page and title and calls ``add_lazy_coordinator_page``;
only the builder imports the page itself, so registering costs start-up nothing (the desk's columns, the
HTTP client and the page's widgets load when the coordinator first opens it). A built page's
``shutdown`` (its worker) runs when the window shuts down, and its ``store_changed`` (if it has
one) whenever the window refreshes after a change it could not otherwise see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtWidgets import QWidget


def add_lazy_coordinator_page(pages: Any, key: str, title: Callable[[], str], make: Callable[[Any], QWidget]) -> None:
    """Add ``make(window)`` as page ``key`` of ``pages.window``, built on first use and kept as ``pages.<key>``."""
    window = pages.window

    def build() -> QWidget:
        page = make(window)
        setattr(pages, key, page)
        if hasattr(page, "store_changed"):
            # What a sync or an import writes on a connection of its own, the window's events never
            # hear; the window says so (changed_elsewhere).
            window.data_changed.connect(lambda: page.store_changed(None))

        def shutdown_page() -> None:
            if shiboken6.isValid(page):  # not already taken out (signing out removes the pages)
                page.shutdown()  # type: ignore[attr-defined]

        window.on_shutdown(shutdown_page)
        return page

    window.add_lazy_page(key, title, build)
