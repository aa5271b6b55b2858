"""The Shared lists page's place in the main window: a navigation row now, the page when first shown.

Kept apart from ``lists_page`` so registering costs a start-up nothing, as the Submissions
page does. ``install.py`` calls ``add_shared_lists`` after adding the other coordinator pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from .lazy_entry import add_lazy_coordinator_page

if TYPE_CHECKING:
    from .lists_page import SharedListsPage

SHARED_LISTS = "shared_lists"


def shared_lists_title() -> str:
    """The navigation's name before the page is built: the page's own ``nav_title``."""
    return QCoreApplication.translate("SharedListsPage", "Shared lists")


def add_shared_lists(pages: Any) -> None:
    """Add the page to ``pages.window`` (built on first use); its worker stops when the window shuts down."""

    def make(window: Any) -> SharedListsPage:
        from .lists_page import SharedListsPage

        return SharedListsPage(window.store, window.events)

    add_lazy_coordinator_page(pages, SHARED_LISTS, shared_lists_title, make)
