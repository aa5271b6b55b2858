"""Who gets the Dashboard, its item models under Qt's model tester, keyboard reach, names, 200% text."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView, QTabBar

from champions.coordinator import ReportFilter
from champions.coordinator.dashboard import Table
from champions.coordinator.desk import Desk
from champions.store import open_default
from champions.sync.enrolment import IDENTITY_KEY
from champions.ui.coordinator.table_model import DashboardTableModel

from ..conftest import make_window, settle
from ..test_shell import _clipped, _focusable, _owner, big_text  # noqa: F401 - the 200% font fixture
from .conftest import WAIT, fill, identity, wait_idle


COORDINATOR_PAGES = {"dashboard": "Dashboard", "submissions": "Submissions", "people": "People",
                     "shared_lists": "Shared lists"}


def nav_keys(window: Any) -> list[str]:
    return [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())]


def test_each_coordinator_page_opens_from_the_keyboard_and_closes_with_the_window(qtbot: Any, desk_store: Any) -> None:
    window = make_window(qtbot, desk_store)
    try:
        for number, key in enumerate(COORDINATOR_PAGES, start=6):
            assert not window.is_built(key)
            qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda k=key: window.is_built(k) and window.stack.currentWidget() is window.pages[k], timeout=WAIT)
            assert window.pages[key].isVisible()
    finally:
        window.shutdown()  # each built page's worker stops with it (a leaked thread fails the run)


@pytest.mark.parametrize("role, shown", [("coordinator", True), ("admin", True), ("champion", False)])
def test_the_dashboard_is_for_coordinators(qtbot: Any, role: str, shown: bool) -> None:
    store = open_default()
    try:
        store.settings.set(IDENTITY_KEY, identity(role))
        window = make_window(qtbot, store)
        try:
            assert ("dashboard" in nav_keys(window)) is shown
            assert ("dashboard" in window.pages) is shown
            assert bool(set(COORDINATOR_PAGES) & set(nav_keys(window))) is shown
            if shown:
                assert window.nav.item(nav_keys(window).index("dashboard")).text() == "Dashboard"
                assert window.page_actions["dashboard"].shortcut().toString() == "Ctrl+6"
                assert "&6 Dashboard" in [a.text() for a in window.go_menu.actions()]
                assert nav_keys(window)[5:] == list(COORDINATOR_PAGES)
                assert [window.nav.item(i).text() for i in range(5, 9)] == list(COORDINATOR_PAGES.values())
        finally:
            window.shutdown()
    finally:
        store.close()


def test_demo_mode_shows_the_dashboard_with_the_demo_records(qtbot: Any, window: Any) -> None:
    assert "dashboard" in nav_keys(window)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = window.dashboard
    wait_idle(qtbot, page)
    assert page.data.headline.conversations == window.store.conversations.count() == 320


def test_enrolling_as_a_coordinator_while_the_app_runs_adds_the_dashboard(qtbot: Any) -> None:
    store = open_default()
    try:
        window = make_window(qtbot, store)
        try:
            assert "dashboard" not in window.pages
            store.settings.set(IDENTITY_KEY, identity("coordinator"))  # what enrolment saves
            fill(store, conversations=20, barriers=2, activities=2)  # then the first records arrive
            qtbot.waitUntil(lambda: "dashboard" in window.pages, timeout=WAIT)
            window.go_to("dashboard")
            wait_idle(qtbot, window.dashboard)
            assert window.dashboard.data.headline.conversations == 40
            assert window.current_page_key() == "dashboard"
        finally:
            window.shutdown()
    finally:
        store.close()


def test_new_records_reach_the_dashboard_on_screen(qtbot: Any, dashboard: Any, desk_store: Any) -> None:
    from champions.domain.samples import SampleGenerator

    before = dashboard.data.headline.conversations
    desk_store.conversations.save_many(list(SampleGenerator(seed=99, reference=desk_store.reference,
                                                            author_id="amina").conversations(5)))
    qtbot.waitUntil(lambda: dashboard.data.headline.conversations == before + 5, timeout=WAIT)


def test_what_a_sync_writes_on_its_own_connection_reaches_every_coordinator_page(
        qtbot: Any, coordinator_window: Any, desk_store: Any) -> None:
    """The sync engine writes on a store of its own, which the window's events never hear; the sync
    controller's ``data_changed`` calls ``window.refresh()``, and that must reach the coordinator's pages."""
    from champions.domain import ReferenceItem
    from champions.domain.samples import SampleGenerator

    window = coordinator_window
    window.go_to("dashboard")
    dashboard = window.dashboard
    wait_idle(qtbot, dashboard)
    window.go_to("shared_lists")
    lists = window.pages["shared_lists"]
    qtbot.waitUntil(lambda: lists.lists is not None and not lists.is_busy(), timeout=WAIT)
    window.go_to("dashboard")
    before = dashboard.data.headline.conversations
    other = desk_store.reopen()  # as the sync engine's own connection
    try:
        other.conversations.save_many(list(SampleGenerator(seed=98, reference=other.reference,
                                                           author_id="ben").conversations(3)))
        other.reference_items.save(ReferenceItem.make("topic", "hpv", "HPV vaccine"))
    finally:
        other.close()
    qtbot.wait(500)
    assert dashboard.data.headline.conversations == before  # nobody has told the window yet
    window.changed_elsewhere()  # what the sync controller's data_changed does
    qtbot.waitUntil(lambda: dashboard.data.headline.conversations == before + 3, timeout=WAIT)
    qtbot.waitUntil(lambda: lists.lists is not None and lists.lists.get("topic", "hpv") is not None, timeout=WAIT)


def test_signing_out_takes_the_coordinators_pages_away_and_keeps_the_records(qtbot: Any, desk_store: Any) -> None:
    from champions.ui.app import plug_in_sync

    window = make_window(qtbot, desk_store)
    try:
        controller = plug_in_sync(window, desk_store)
        window.go_to("submissions")  # built and working, then signed out from the Sync page
        qtbot.waitUntil(lambda: window.is_built("submissions"), timeout=WAIT)
        window.go_to("sync")
        qtbot.mouseClick(window.sync.sign_out_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "dashboard" not in nav_keys(window), timeout=WAIT)
        assert nav_keys(window) == ["home", "conversations", "outreach", "assets", "sync"]
        assert not set(COORDINATOR_PAGES) & set(window.pages) and not set(COORDINATOR_PAGES) & set(window.page_actions)
        assert [a.shortcut().toString() for a in window.go_menu.actions()][:5] == [f"Ctrl+{n}" for n in range(1, 6)]
        assert desk_store.conversations.count() == 300  # signing out keeps the laptop's records
        qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # no sixth page to go to now
        assert window.current_page_key() == "sync"
        # Enrolled again as a coordinator: the pages come back.
        desk_store.settings.set("sync.identity", identity("coordinator"))
        controller.enrolled.emit(None)
        qtbot.waitUntil(lambda: nav_keys(window)[5:] == list(COORDINATOR_PAGES), timeout=WAIT)
    finally:
        window.shutdown()


def test_every_item_model_passes_qts_model_tester(qtmodeltester: Any, desk_store: Any, dashboard: Any) -> None:
    empty = DashboardTableModel()
    qtmodeltester.check(empty)
    data = Desk.load(desk_store).dashboard(ReportFilter.make(neighbourhoods=["bebington"]))
    for table in data.tables():
        model = DashboardTableModel()
        model.set_table(table)
        qtmodeltester.check(model, force_py=True)
        model.set_table(Table("Empty", table.columns, ()))
        qtmodeltester.check(model, force_py=True)
    for panel in dashboard.panels.values():  # the models the page itself holds, with its numbers
        qtmodeltester.check(panel.model, force_py=True)


def test_the_keyboard_reaches_every_control_in_reading_order(qtbot: Any, dashboard: Any) -> None:
    page = dashboard
    bar = page.filters
    page.export_button.setFocus()
    owners: list[Any] = []
    for _ in range(40):  # a date box takes one Tab per part
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        owner = _owner(QApplication.focusWidget())
        if not owners or owners[-1] is not owner:
            owners.append(owner)
        if owner is page.panels["domains"].copy_button:
            break
    tab_bar = page.tabs.findChild(QTabBar)
    assert owners == [bar.period, bar.since, bar.until, bar.neighbourhood, bar.barrier, bar.group, bar.champion,
                      bar.clear_button, tab_bar, page.panels["domains"].table, page.panels["domains"].copy_button]
    # Between sections with the arrow keys on the tab bar, then into the table of the one shown.
    tab_bar.setFocus()
    qtbot.keyClick(tab_bar, Qt.Key.Key_Right)
    assert page.tabs.currentWidget() is page.panels["top"]
    qtbot.keyClick(tab_bar, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.panels["top"].table


def test_every_focusable_control_has_an_accessible_name(qtbot: Any, dashboard: Any) -> None:
    page = dashboard
    missing = []
    checked = 0
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        for widget in _focusable(page):
            checked += 1
            if not widget.accessibleName().strip():
                missing.append(f"{page.tabs.tabText(index)}: {type(widget).__name__} {widget.objectName()!r}")
    assert checked > 60
    assert missing == []
    for table in page.findChildren(QTableView):
        assert table.accessibleName() and table.accessibleDescription()
    for tile in page.tiles.values():
        assert ": " in tile.accessibleName()  # "Conversations: 300"


def test_nothing_is_clipped_at_200_percent_text_on_a_1366_by_768_screen(
        qtbot: Any, big_text: Any, desk_store: Any) -> None:  # noqa: F811
    window = make_window(qtbot, desk_store)
    try:
        settle(qtbot, window)
        window.go_to("dashboard")
        page = window.dashboard
        wait_idle(qtbot, page)
        assert window.size().toTuple() == (1366, 768)
        problems = []
        for index in range(page.tabs.count()):
            page.tabs.setCurrentIndex(index)
            qtbot.wait(30)
            problems += [f"{page.tabs.tabText(index)}: {p}" for p in _clipped(window)]
        assert problems == []
        minimum = window.minimumSizeHint()
        assert minimum.width() <= 1366 and minimum.height() <= 768
        assert page.panels["top"].table.height() > 5 * page.panels["top"].table.verticalHeader().defaultSectionSize()
    finally:
        window.shutdown()
