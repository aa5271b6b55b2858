"""The Shared lists page's place in the main window: a navigation row now, the page when first shown.

Kept apart from ``lists_page`` so registering costs a start-up nothing, as the Submissions
page does. ``install.py`` calls ``add_shared_lists`` after adding the other coordinator pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from .lists_page import SharedListsPage

SHARED_LISTS = "shared_lists"


def shared_lists_title() -> str:
    """The navigation's name before the page is built: the page's own ``nav_title``."""
    return QCoreApplication.translate("SharedListsPage", "Shared lists")


def add_shared_lists(pages: Any) -> None:
    """Add the page to ``pages.window`` (built on first use); its worker stops when the window shuts down."""
    window = pages.window

    def build() -> SharedListsPage:
        from .lists_page import SharedListsPage

        page = SharedListsPage(window.store, window.events)
        pages.shared_lists = page
        shutdown = window.shutdown

        def shutdown_with_page() -> None:
            page.shutdown()
            shutdown()

        window.shutdown = shutdown_with_page
        return page

    window.add_lazy_page(SHARED_LISTS, shared_lists_title, build)
