"""The Submissions page's place in the main window: a navigation row now, the page when first shown.

Kept apart from ``submissions_page`` so registering costs a start-up nothing: the page (and
the desk's columns with it) is imported only when the coordinator first opens it, as the Dashboard is.
``install.py`` calls ``add_submissions`` right after adding the Dashboard. What a sync or an
import writes on its own connection reaches the page through the window's ``data_changed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from .lazy_entry import add_lazy_coordinator_page

if TYPE_CHECKING:
    from .submissions_page import SubmissionsPage

SUBMISSIONS = "submissions"


def submissions_title() -> str:
    """The navigation's name before the page is built: the page's own ``nav_title``."""
    return QCoreApplication.translate("SubmissionsPage", "Submissions")


def add_submissions(pages: Any, names: dict[str, str]) -> None:
    """Add the page to ``pages.window`` (built on first use); its worker stops when the window shuts down."""

    def make(window: Any) -> SubmissionsPage:
        from .submissions_page import SubmissionsPage

        page = SubmissionsPage(window.store, window.events, champion_names=names, source=pages.shared_desk(names))
        # A review is written on the page's worker connection, which the window's events do not hear:
        # the window counts it as waiting (and sync sends it shortly), as a saved record.
        page.review_saved.connect(lambda _id: window.record_saved_elsewhere())
        return page

    add_lazy_coordinator_page(pages, SUBMISSIONS, submissions_title, make)
