"""Put the coordinator's pages in the main window when this device belongs to a coordinator.

The Dashboard appears when the enrolment (``champions.sync.enrolment``) says coordinator or
admin, and in ``--demo`` so a newcomer sees what a coordinator gets. A device enrolled while
the app runs gets it as soon as the enrolment is saved: the sync controller's ``enrolled``
signal when sync is installed, and otherwise the next change to the store (the first records
pulled) makes it look again.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer

from .dashboard_page import DashboardPage

log = logging.getLogger(__name__)

DASHBOARD = "dashboard"
ENROLMENT_CHECK_MS = 300


def coordinator_identity(store: Any) -> Any:
    """The enrolment if it is a coordinator's (or an admin's), else None."""
    try:
        from ...sync.enrolment import current_identity
    except ImportError:  # pragma: no cover - a build without sync
        return None
    try:
        identity = current_identity(store)
    except Exception:  # noqa: BLE001 - an unreadable setting only means "not a coordinator"
        log.exception("the enrolment could not be read")
        return None
    return identity if identity is not None and identity.is_coordinator else None


class CoordinatorPages:
    """Owns the coordinator's pages for one window; ``install`` adds them once, when they are due."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.dashboard: DashboardPage | None = None
        self._hooked_sync = False

    def install_if_due(self, *_args: Any) -> bool:
        if self.dashboard is not None:
            return True
        identity = coordinator_identity(self.window.store)
        if not (self.window.demo or identity is not None):
            self._hook_sync()
            return False
        names = {identity.person_id: identity.person_name} if identity is not None else {}
        page = DashboardPage(self.window.store, self.window.events, champion_names=names)
        self.dashboard = page
        self.window.add_page(DASHBOARD, page)
        self.window.dashboard = page
        return True

    def _hook_sync(self) -> None:
        controller = getattr(self.window, "sync_controller", None)
        if controller is not None and not self._hooked_sync:
            controller.enrolled.connect(self.install_if_due)
            self._hooked_sync = True

    def shutdown(self) -> None:
        if self.dashboard is not None:
            self.dashboard.shutdown()


def install_coordinator(window: Any) -> CoordinatorPages:
    """Called once by the main window; adds the Dashboard now or when the device becomes a coordinator's."""
    pages = CoordinatorPages(window)
    window.coordinator_pages = pages
    if not pages.install_if_due():
        # A sync writes many records: look at the enrolment once they are quiet, not once per record.
        check = QTimer(window)
        check.setSingleShot(True)
        check.setInterval(ENROLMENT_CHECK_MS)
        check.timeout.connect(pages.install_if_due)
        window.events.changed.connect(lambda _event: None if pages.dashboard is not None else check.start())
        QTimer.singleShot(0, pages._hook_sync)  # sync is plugged in after the window is built
    original_shutdown = window.shutdown

    def shutdown() -> None:
        pages.shutdown()
        original_shutdown()

    window.shutdown = shutdown
    return pages
