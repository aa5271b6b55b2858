"""The Champions and devices page's place in the main window: a navigation row now, the page when first shown.

Kept apart from ``people_page`` so registering costs a start-up nothing: the page (and the HTTP
client with it) is imported only when the coordinator first opens it. ``install.py`` calls
``add_people`` right after ``add_submissions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from .people_page import PeoplePage

PEOPLE = "people"


def people_title() -> str:
    """The navigation's name before the page is built: the page's own ``nav_title``."""
    return QCoreApplication.translate("PeoplePage", "Champions and devices")


def add_people(pages: Any) -> None:
    """Add the page to ``pages.window`` (built on first use); its worker stops when the window shuts down."""
    window = pages.window

    def build() -> PeoplePage:
        from .people_page import PeoplePage

        page = PeoplePage(window.store)
        pages.people = page
        shutdown = window.shutdown

        def shutdown_with_page() -> None:
            page.shutdown()
            shutdown()

        window.shutdown = shutdown_with_page
        return page

    window.add_lazy_page(PEOPLE, people_title, build)
