"""Home, "my week": the figures match what was logged, and the big buttons open the forms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt

from champions.domain import Barrier, BarrierHeard, Conversation, OutreachActivity, utcnow
from champions.ui.pages.home_page import start_of_week

from .conftest import make_window, settle


def log_a_week(store: Any) -> None:
    now = utcnow()
    monday = start_of_week(now)
    this_week = max(now - timedelta(minutes=1), monday)
    last_week = monday - timedelta(days=1)
    today = now.astimezone().date()
    store.conversations.save_many([
        Conversation(occurred_at=this_week, neighbourhood="wallasey", setting="market", people_reached=3,
                     barriers=[BarrierHeard(code="PI.TRAVEL"), BarrierHeard(code="TF.SAFETY")],
                     follow_up_on=today + timedelta(days=2)),
        Conversation(occurred_at=this_week, neighbourhood="birkenhead", setting="school", people_reached=2,
                     barriers=[BarrierHeard(code="PI.TRAVEL")]),
        Conversation(occurred_at=last_week, neighbourhood="wallasey", setting="market", people_reached=10,
                     barriers=[BarrierHeard(code="TF.TRUST")], follow_up_on=today + timedelta(days=30)),
    ])
    store.activities.save_many([
        OutreachActivity(occurred_at=this_week, activity_kind="stall", neighbourhood="wallasey", duration_minutes=90),
        OutreachActivity(occurred_at=this_week, activity_kind="event", neighbourhood="wallasey", duration_minutes=60),
        OutreachActivity(occurred_at=last_week, activity_kind="event", neighbourhood="wallasey", duration_minutes=600),
    ])
    store.barriers.save_many([  # heard on their own: they count with the conversations' barriers
        Barrier(occurred_at=this_week, code="TF.SAFETY", neighbourhood="wallasey"),
        Barrier(occurred_at=last_week, code="TF.TRUST", neighbourhood="wallasey"),
    ])


def tile(window: Any, key: str) -> tuple[str, str]:
    t = window.home.tiles[key]
    return t.value.text(), t.caption.text()


def test_my_week_counts_only_this_week(qtbot: Any, store: Any) -> None:
    log_a_week(store)
    window = make_window(qtbot, store)
    try:
        settle(qtbot, window)
        assert tile(window, "conversations") == ("2", "Conversations")
        assert tile(window, "people") == ("5", "People reached")
        assert tile(window, "hours") == ("2.5", "Outreach hours")
        assert tile(window, "follow_ups") == ("1", "Follow-ups due")
        assert tile(window, "unsynced") == ("8", "Waiting to sync")
        assert window.home.tiles["people"].accessibleName() == "People reached: 5"
        bars = [row.findChild(type(window.home.no_barriers)).text()
                for row in (window.home.barriers_box.itemAt(i).widget() for i in range(window.home.barriers_box.count()))]
        assert bars == ["Distance or transport (2)", "Worried about side effects or safety (2)"]
        assert window.home.follow_ups.count() == 1
        assert window.home.follow_ups.item(0).text().endswith(": Wallasey")
        assert window.unsynced_label.text() == "8 changes waiting to sync"
    finally:
        window.shutdown()


def test_my_week_updates_after_a_save(qtbot: Any, store: Any) -> None:
    window = make_window(qtbot, store)
    try:
        settle(qtbot, window)
        assert tile(window, "conversations") == ("0", "Conversations")
        assert window.home.no_barriers.isVisible()
        assert window.home.follow_ups.item(0).text() == "Nothing due in the next week."
        store.conversations.save(Conversation(neighbourhood="wallasey", setting="market", people_reached=4,
                                              barriers=[BarrierHeard(code="SP.FAMILY")]))
        settle(qtbot, window)
        assert tile(window, "conversations") == ("1", "Conversations")
        assert tile(window, "people") == ("4", "People reached")
        assert not window.home.no_barriers.isVisible()
    finally:
        window.shutdown()


def test_the_big_buttons_open_the_forms(qtbot: Any, window: Any) -> None:
    assert window.home.new_conversation_button.hasFocus()  # Space or Enter starts logging at once
    qtbot.keyClick(window.home.new_conversation_button, Qt.Key.Key_Space)
    assert type(window.dialogs[-1]).__name__ == "ConversationForm"
    assert window.dialogs[-1].isVisible()
    qtbot.mouseClick(window.home.new_activity_button, Qt.MouseButton.LeftButton)
    assert type(window.dialogs[-1]).__name__ == "ActivityForm"


def test_enter_on_a_follow_up_opens_that_conversation(qtbot: Any, store: Any) -> None:
    log_a_week(store)
    window = make_window(qtbot, store)
    try:
        settle(qtbot, window)
        follow_ups = window.home.follow_ups
        follow_ups.setFocus()
        follow_ups.setCurrentRow(0)
        wanted = follow_ups.item(0).data(Qt.ItemDataRole.UserRole)
        qtbot.keyClick(follow_ups, Qt.Key.Key_Return)
        assert getattr(window.dialogs[-1], "record_id", None) == wanted
    finally:
        window.shutdown()
