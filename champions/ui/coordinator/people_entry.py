"""The Champions and devices page's place in the main window: a navigation row now, the page when first shown.

Kept apart from ``people_page`` so registering costs a start-up nothing: the page (and the HTTP
client with it) is imported only when the coordinator first opens it. ``install.py`` calls
``add_people`` right after ``add_submissions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from .lazy_entry import add_lazy_coordinator_page

if TYPE_CHECKING:
    from .people_page import PeoplePage

PEOPLE = "people"


def people_title() -> str:
    """The navigation's name before the page is built: the page's own ``nav_title``."""
    return QCoreApplication.translate("PeoplePage", "People")


def add_people(pages: Any) -> None:
    """Add the page to ``pages.window`` (built on first use); its worker stops when the window shuts down."""

    def make(window: Any) -> PeoplePage:
        from .people_page import PeoplePage

        return PeoplePage(window.store)

    add_lazy_coordinator_page(pages, PEOPLE, people_title, make)
