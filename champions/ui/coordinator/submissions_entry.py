"""The Submissions page's place in the main window: a navigation row now, the page when first shown.

Kept apart from ``submissions_page`` so registering costs a start-up nothing: the page (and
numpy with it) is imported only when the coordinator first opens it, as the Dashboard is.
``install.py`` calls ``add_submissions`` right after adding the Dashboard. A sync writes on its own
connection, whose changes the window's ``events`` never hear: the page also listens for the sync
controller's ``data_changed`` when sync is plugged in by the time the page is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from .submissions_page import SubmissionsPage

SUBMISSIONS = "submissions"


def submissions_title() -> str:
    """The navigation's name before the page is built: the page's own ``nav_title``."""
    return QCoreApplication.translate("SubmissionsPage", "Submissions")


def add_submissions(pages: Any, names: dict[str, str]) -> None:
    """Add the page to ``pages.window`` (built on first use); its worker stops when the window shuts down."""
    window = pages.window

    def build() -> SubmissionsPage:
        from .submissions_page import SubmissionsPage

        page = SubmissionsPage(window.store, window.events, champion_names=names)
        pages.submissions = page
        controller = getattr(window, "sync_controller", None)
        if controller is not None:  # what a sync pulls (the answer to a query) is read in as it arrives
            controller.data_changed.connect(page.refresh)
        # A review is written on the page's worker connection, which the window's events do not hear:
        # count it as waiting, and send it shortly, as a saved record is.
        if hasattr(window, "refresh_counts"):
            page.review_saved.connect(lambda _id: window.refresh_counts())
        if controller is not None:
            page.review_saved.connect(lambda _id: (controller.refresh(), controller.debounce.start()))
        shutdown = window.shutdown

        def shutdown_with_page() -> None:
            page.shutdown()
            shutdown()

        window.shutdown = shutdown_with_page
        return page

    window.add_lazy_page(SUBMISSIONS, submissions_title, build)
