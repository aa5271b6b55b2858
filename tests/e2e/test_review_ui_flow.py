"""The review flow through the real windows and a real hub: the coordinator sends a query from the
Submissions page by keyboard, the champion's sync (F5, the window's own sync controller) brings it to
Home, she opens the record from there and answers by editing, and after both sync the coordinator's
list says "Query answered"; marked reviewed there, it leaves the champion's Home after her next sync.

Each window has sync plugged in as the app does (``install_sync``), so a sync writes on the
controller's own connection and the pages learn of it only from the controller's ``data_changed``,
as in the app.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from champions.sync.engine import SyncEngine
from champions.ui.sync.install import install_sync
from tests.e2e.conftest import fast_client
from tests.ui.conftest import make_window, settle
from tests.ui.coordinator.test_submissions import cell, choose, wait_listed
from tests.ui.test_queries_for_you import answer_from_home

WAIT = 30_000


def sync_window(qtbot: Any, store: Any) -> tuple[Any, Any]:
    """The real window with sync plugged in; automatic syncs held back so the story decides when."""
    window = make_window(qtbot, store)
    controller = install_sync(window, store, interval_minutes=60, debounce_ms=600_000,
                              engine_factory=lambda s: SyncEngine(s, client_factory=fast_client))
    qtbot.waitUntil(lambda: controller.view.phase != "starting", timeout=WAIT)
    return window, controller


def sync(qtbot: Any, window: Any, controller: Any) -> Any:
    """F5 in the window, as a person presses it; the report once the sync is done."""
    with qtbot.waitActive(window):  # shortcuts reach only the active window; two are open here
        window.raise_()
        window.activateWindow()
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT) as done:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    return done.args[0]


def test_a_query_sent_from_the_window_reaches_the_champion_and_the_answer_returns(
        qtbot: Any, hub: Any, laptops: Any) -> None:
    amina, cora = laptops("Amina"), laptops("Cora", "coordinator")
    talk = amina.store.conversations.save(next(amina.samples.conversations(1)))
    desk, desk_sync = sync_window(qtbot, cora.store)
    home, home_sync = sync_window(qtbot, amina.store)
    try:
        assert sync(qtbot, home, home_sync).accepted == 1
        sync(qtbot, desk, desk_sync)

        # The coordinator picks Amina's conversation in Submissions and sends a query.
        qtbot.keyClick(desk, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
        page = desk.pages["submissions"]
        wait_listed(qtbot, page)
        row = page.model.row_of(talk.id)
        assert row >= 0 and cell(page, row, "review") == "Not reviewed"
        page.table.setFocus()
        page.table.selectRow(row)
        qtbot.keyClick(page.table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: page.review_dialog is not None and page.review_dialog.isVisible(), timeout=WAIT)
        box = page.review_dialog
        qtbot.waitUntil(lambda: QApplication.focusWidget() is box.comment)
        qtbot.keyClicks(box.comment, "Which pharmacy did you signpost to?")
        qtbot.keyClick(box.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT)
        qtbot.waitUntil(lambda: cell(page, page.model.row_of(talk.id), "review") == "Query sent", timeout=WAIT)
        assert desk_sync.debounce.isActive()  # it would go by itself shortly, as a saved record does
        assert sync(qtbot, desk, desk_sync).accepted == 1

        # Amina's sync brings it to her Home; Enter opens the conversation with the question on top.
        queries = home.home.queries
        assert not home.home.queries_box.isVisible()
        sync(qtbot, home, home_sync)
        qtbot.waitUntil(lambda: home.home.queries_box.isVisible(), timeout=WAIT)
        settle(qtbot, home)
        assert queries.count() == 1
        assert "Your coordinator asks: “Which pharmacy did you signpost to?”" in queries.item(0).text()
        answer_from_home(qtbot, home, talk.id, "Which pharmacy did you signpost to?",
                         " Signposted to Boots on Grange Road.")
        qtbot.waitUntil(lambda: queries.item(0).text().startswith("Answered, waiting for your coordinator"),
                        timeout=WAIT)
        assert sync(qtbot, home, home_sync).accepted == 1

        # The coordinator's sync brings the edit: the list says the query is answered.
        sync(qtbot, desk, desk_sync)
        qtbot.waitUntil(lambda: cell(page, page.model.row_of(talk.id), "review") == "Query answered", timeout=WAIT)
        wait_listed(qtbot, page)
        choose(qtbot, page, page.filters.review, 4)  # Query answered
        assert page.model.ids() == [talk.id]
        assert cora.store.conversations.get(talk.id).notes.endswith("Signposted to Boots on Grange Road.")

        # Marked reviewed, it leaves Amina's queries after her next sync.
        page.table.setFocus()
        page.table.selectRow(0)
        qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: page.model.ids() == [], timeout=WAIT)
        assert sync(qtbot, desk, desk_sync).accepted == 1
        sync(qtbot, home, home_sync)
        qtbot.waitUntil(lambda: not home.home.queries_box.isVisible(), timeout=WAIT)
        assert amina.store.reviews.for_subject(talk.id).state == "reviewed"
    finally:
        home.shutdown()
        desk.shutdown()
