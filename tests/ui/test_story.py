"""THE STORY, through the real main window with the keyboard alone.

A champion logs a conversation with two barriers (Tab, typing, Enter, Ctrl+S), closes
the app, starts it again, finds the conversation by a word of a quote, edits it,
deletes it and takes the delete back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from champions.store import open_default
from champions.ui.forms import ConversationForm, offer_drafts
from champions.ui.models.record_table import ID_ROLE

from .conftest import make_window, settle

CTRL = Qt.KeyboardModifier.ControlModifier


class Keyboard:
    """Keys go to whatever has focus, as on a real keyboard."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has keyboard focus"
        return widget

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focus, text)
        QApplication.processEvents()

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focus, key, modifier)
        QApplication.processEvents()

    def pick(self, text: str) -> None:
        """Type a few letters of a list item and take the match with Enter."""
        self.type(text)
        self.press(Qt.Key.Key_Return)

    def tab_to(self, accessible_name: str, limit: int = 60) -> None:
        for _ in range(limit):
            if self.focus.accessibleName() == accessible_name:
                return
            self.press(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {accessible_name!r}")


def the_form(qtbot: Any, window: Any) -> ConversationForm:
    qtbot.waitUntil(lambda: any(isinstance(d, ConversationForm) and d.isVisible() for d in window.dialogs))
    form = next(d for d in window.dialogs if isinstance(d, ConversationForm) and d.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and form.isAncestorOf(QApplication.focusWidget()))
    return form


def test_champion_logs_restarts_finds_edits_deletes_and_undoes(qtbot: Any) -> None:
    keys = Keyboard(qtbot)
    store = open_default()
    window = make_window(qtbot, store)
    settle(qtbot, window)

    # -- log a conversation with two barriers -------------------------------------------
    keys.press(Qt.Key.Key_N, CTRL)
    form = the_form(qtbot, window)
    assert keys.focus is form.when  # now, as a new entry starts
    keys.press(Qt.Key.Key_Tab)
    keys.pick("birk")
    keys.press(Qt.Key.Key_Tab)
    keys.pick("market")
    keys.press(Qt.Key.Key_Tab)
    keys.type("CH41")
    keys.press(Qt.Key.Key_Tab)
    keys.type("2")
    keys.press(Qt.Key.Key_B, CTRL)
    keys.pick("safety")
    keys.press(Qt.Key.Key_Tab)
    keys.type("Someone told her the jab has pork gelatine in it")
    keys.press(Qt.Key.Key_Tab)
    keys.type("y")
    keys.press(Qt.Key.Key_B, CTRL)
    keys.pick("travel")
    keys.press(Qt.Key.Key_Tab)
    keys.type("The bus to the clinic stopped running")
    keys.tab_to("Intention before")
    keys.type("not s")
    keys.press(Qt.Key.Key_Tab)
    keys.type("y")
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        keys.press(Qt.Key.Key_S, CTRL)
    record_id = saved.args[0]
    logged = store.conversations.get(record_id)
    assert [(b.code, b.addressed) for b in logged.barriers] == [("TF.SAFETY", "yes"), ("PI.TRAVEL", "no")]
    assert (logged.neighbourhood, logged.setting, logged.people_reached) == ("birkenhead", "market", 2)
    assert (logged.intention_before, logged.intention_after) == ("not_sure", "yes")

    # -- close the app and start it again ----------------------------------------------
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    window.shutdown()
    store.close()

    store = open_default()
    window = make_window(qtbot, store)
    settle(qtbot, window)
    assert offer_drafts(window, store) is None, "nothing was left unsaved"

    # -- find it by a word of a quote ----------------------------------------------------
    keys.press(Qt.Key.Key_F, CTRL)
    page = window.conversations
    assert keys.focus is page.search
    keys.type("gelatine")
    settle(qtbot, window)
    assert page.model.total() == 1
    assert page.model.index(0, 0).data(ID_ROLE) == record_id

    # -- open it and edit it --------------------------------------------------------------
    keys.tab_to(page.table.accessibleName())
    assert page.table.currentIndex().data(ID_ROLE) == record_id
    keys.press(Qt.Key.Key_Space)  # select the row
    assert page.current_id() == record_id
    keys.press(Qt.Key.Key_Return)
    form = the_form(qtbot, window)
    assert form.record_id == record_id and form.windowTitle() == "Edit conversation"
    assert form.barriers.rows[0].quote.text() == "Someone told her the jab has pork gelatine in it"
    keys.tab_to("Notes")
    keys.type("Came back the next week and booked.")
    with qtbot.waitSignal(form.saved, timeout=5000):
        keys.press(Qt.Key.Key_S, CTRL)
    edited = store.conversations.get(record_id)
    assert edited.notes == "Came back the next week and booked." and edited.rev == 2
    assert len(edited.barriers) == 2

    # -- delete it, then take the delete back ----------------------------------------------
    qtbot.waitUntil(lambda: keys.focus is page.table)
    settle(qtbot, window)
    assert page.current_id() == record_id
    keys.press(Qt.Key.Key_Delete)
    settle(qtbot, window)
    assert store.conversations.get(record_id).deleted
    assert page.model.total() == 0
    assert window.undo_box.isVisible()

    keys.press(Qt.Key.Key_Z, CTRL)
    settle(qtbot, window)
    assert not store.conversations.get(record_id).deleted
    assert page.model.total() == 1
    assert page.model.index(0, 0).data(ID_ROLE) == record_id

    window.shutdown()
    store.close()


def test_keystrokes_for_a_standard_conversation(qtbot: Any, figures: list[str]) -> None:
    """One barrier, the defaults accepted (place and day from the last entry), from Ctrl+N to Ctrl+S."""
    store = open_default()
    window = make_window(qtbot, store)
    settle(qtbot, window)
    counted = Keyboard(qtbot)
    count = 0

    def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        nonlocal count
        counted.press(key, modifier)
        count += 1

    def type_(text: str) -> None:
        nonlocal count
        counted.type(text)
        count += len(text)

    # the first conversation of the day sets the place
    press(Qt.Key.Key_N, CTRL)
    form = the_form(qtbot, window)
    press(Qt.Key.Key_Tab)
    type_("birk")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Tab)
    type_("market")
    press(Qt.Key.Key_Return)
    with qtbot.waitSignal(form.saved):
        press(Qt.Key.Key_S, CTRL)
    figures.append(f"keystrokes for the first conversation of the day (place typed): {count}")

    count = 0
    press(Qt.Key.Key_N, CTRL)
    form = the_form(qtbot, window)
    press(Qt.Key.Key_B, CTRL)
    type_("safe")
    press(Qt.Key.Key_Return)
    with qtbot.waitSignal(form.saved) as saved:
        press(Qt.Key.Key_S, CTRL)
    figures.append(f"keystrokes for a standard conversation (one barrier, defaults accepted): {count} (goal 25)")
    assert count <= 25
    record = store.conversations.get(saved.args[0])
    assert (record.neighbourhood, record.setting, [b.code for b in record.barriers]) == (
        "birkenhead", "market", ["TF.SAFETY"])
    window.shutdown()
    store.close()
