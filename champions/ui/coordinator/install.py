"""Put the coordinator's pages in the main window when this device belongs to a coordinator.

The Dashboard, Submissions, Champions and devices, and Shared lists appear when the
enrolment (``champions.sync.enrolment``) says coordinator or admin, and in ``--demo`` so a
newcomer sees what a coordinator gets. A device enrolled while the app runs gets them as soon
as the enrolment is saved: the sync controller's ``enrolled`` signal when sync is installed,
and otherwise the next change to the store (the first records pulled) makes it look again.

Startup stays light: the role is read from the store's settings directly (not through
``champions.sync``, which would import the HTTP client), and the Dashboard (its columns, QtCharts)
is imported and built only when its page is first shown or used (``window.add_lazy_page``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer

from .lazy_entry import add_lazy_coordinator_page
from .lists_entry import add_shared_lists
from .people_entry import add_people
from .submissions_entry import add_submissions

if TYPE_CHECKING:
    from .dashboard_page import DashboardPage
    from .desk_source import DeskSource

log = logging.getLogger(__name__)

DASHBOARD = "dashboard"
COORDINATOR_PAGE_KEYS = (DASHBOARD, "submissions", "people", "shared_lists")  # the *_entry modules' keys
ENROLMENT_CHECK_MS = 300
#: Where ``champions.sync.enrolment`` keeps who this device is (its ``IDENTITY_KEY``), and the
#: roles its ``Identity.is_coordinator`` accepts; tests/ui/test_startup.py checks they agree.
IDENTITY_KEY = "sync.identity"
COORDINATOR_ROLES = ("coordinator", "admin")


@dataclass(frozen=True)
class Coordinator:
    person_id: str
    person_name: str


def _enrolment(store: Any) -> dict[str, Any]:
    """The enrolment as stored ({} before enrolling, or when it cannot be read)."""
    try:
        data = store.settings.get(IDENTITY_KEY)
    except Exception:  # noqa: BLE001 - an unreadable setting only means "not enrolled as far as we know"
        log.exception("the enrolment could not be read")
        return {}
    return data if isinstance(data, dict) else {}


def coordinator_identity(store: Any) -> Coordinator | None:
    """Who the coordinator (or admin) is when this device is enrolled as one, else None."""
    data = _enrolment(store)
    if data.get("role") not in COORDINATOR_ROLES:
        return None
    person_id, person_name = data.get("person_id"), data.get("person_name")
    if not isinstance(person_id, str) or not isinstance(person_name, str):
        return None
    return Coordinator(person_id, person_name)


def person_id(store: Any) -> str | None:
    """Who this device's person is, from the enrolment (None before enrolling), whatever their role."""
    found = _enrolment(store).get("person_id")
    return found if isinstance(found, str) and found else None


def dashboard_title() -> str:
    """The navigation's name for the Dashboard before it is built: the page's own ``nav_title``."""
    return QCoreApplication.translate("DashboardPage", "Dashboard")


class CoordinatorPages:
    """Owns the coordinator's pages for one window; ``install`` adds them once, when they are due."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.installed = False
        self.dashboard: DashboardPage | None = None  # once built, on its first showing
        self.desk_source: DeskSource | None = None  # the records' columns, shared by the Dashboard and Submissions
        self._hooked_sync = False

    def install_if_due(self, *_args: Any) -> bool:
        if self.installed:
            return True
        identity = coordinator_identity(self.window.store)
        if not (self.window.demo or identity is not None):
            self.hook_sync()
            return False
        names = {identity.person_id: identity.person_name} if identity is not None else {}
        add_lazy_coordinator_page(self, DASHBOARD, dashboard_title,
                                  lambda window: _make_dashboard(window, names, self.shared_desk(names)))
        add_submissions(self, names)
        add_people(self)
        add_shared_lists(self)
        self.installed = True
        return True

    def shared_desk(self, names: dict[str, str]) -> DeskSource:
        """The one ``DeskSource`` of this window's coordinator pages, made when the first of them is built."""
        if self.desk_source is None:
            from .desk_source import DeskSource

            self.desk_source = DeskSource(self.window.store, self.window, champion_names=names)
            self.window.on_shutdown(self.desk_source.shutdown)
        return self.desk_source

    def hook_sync(self) -> None:
        """Listen for the sync controller's ``enrolled`` (and signing out); called again once sync is plugged in."""
        controller = getattr(self.window, "sync_controller", None)
        if controller is not None and not self._hooked_sync:
            controller.enrolled.connect(self.install_if_due)
            controller.view_changed.connect(self._view_changed)
            self._hooked_sync = True

    def _view_changed(self, view: Any) -> None:
        if self.installed and not self.window.demo and getattr(view, "phase", None) == "not_enrolled":
            self.uninstall()

    def uninstall(self) -> None:
        """Signed out: the coordinator's pages go (the records stay on the laptop, as signing out promises)."""
        for key in COORDINATOR_PAGE_KEYS:
            self.window.remove_page(key)
            if getattr(self, key, None) is not None:
                setattr(self, key, None)
        if self.desk_source is not None:
            self.desk_source.shutdown()
            self.desk_source = None
        self.installed = False


def _make_dashboard(window: Any, names: dict[str, str], source: DeskSource) -> DashboardPage:
    from .dashboard_page import DashboardPage

    return DashboardPage(window.store, window.events, champion_names=names, source=source)


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
        window.events.changed.connect(lambda _event: None if pages.installed else check.start())
    QTimer.singleShot(0, window, pages.hook_sync)  # sync is plugged in after the window is built
    return pages  # each page, once built, stops with the window (add_lazy_coordinator_page)
