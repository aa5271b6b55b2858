"""The window as a whole: keyboard navigation, accessible names, and room at 200% text."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QWidget,
)

from champions.ui.main_window import PAGES

from .conftest import make_window, settle


def test_ctrl_number_keys_switch_pages(qtbot: Any, window: Any) -> None:
    for number, key in enumerate(PAGES, start=1):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is window.pages[key]
        assert window.nav.currentRow() == number - 1
        assert window.nav.hasFocus()  # so arrow keys go on from here


def test_arrow_keys_in_the_navigation_switch_pages(qtbot: Any, window: Any) -> None:
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.stack.currentWidget() is window.conversations
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.stack.currentWidget() is window.outreach
    qtbot.keyClick(window.nav, Qt.Key.Key_Up)
    assert window.stack.currentWidget() is window.conversations


def test_ctrl_f_from_home_goes_to_the_conversation_search(qtbot: Any, window: Any) -> None:
    assert window.stack.currentWidget() is window.home
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.conversations
    assert window.conversations.search.hasFocus()

    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.assets.search.hasFocus()


def test_ctrl_n_and_ctrl_shift_n_open_the_entry_forms(qtbot: Any, window: Any) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    conversation = window.dialogs[-1]
    assert conversation.isVisible()
    assert type(conversation).__name__ == "ConversationForm"
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    activity = window.dialogs[-1]
    assert activity.isVisible()
    assert type(activity).__name__ == "ActivityForm"


def test_tab_walks_the_conversations_page_in_reading_order(qtbot: Any, window: Any) -> None:
    page = window.conversations
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page.new_button.setFocus()
    owners: list[QWidget] = []
    for _ in range(20):  # a date box takes one Tab per part (day, month, year)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        owner = _owner(QApplication.focusWidget())
        if not owners or owners[-1] is not owner:
            owners.append(owner)
        if owner is page.table:
            break
    expected = [page.search, page.since, page.until, page.neighbourhood, page.barrier, page.sync_state,
                page.clear_button, page.table]
    assert owners == expected


def _owner(widget: QWidget) -> QWidget:
    """A spin box's or combo box's inner line edit stands for the box itself."""
    parent = widget.parentWidget()
    if isinstance(parent, (QAbstractSpinBox, QComboBox)):
        return parent
    return widget


def _focusable(root: QWidget) -> list[QWidget]:
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the box's own editor; the box carries the name
        found.append(widget)
    return found


def test_every_focusable_control_has_an_accessible_name(qtbot: Any, window: Any) -> None:
    missing = []
    checked = 0
    for key in PAGES:
        window.go_to(key)
        settle(qtbot, window)
        if key == "conversations":
            window.conversations.table.selectRow(0)
        for widget in _focusable(window):
            checked += 1
            if not widget.accessibleName().strip():
                missing.append(f"{key}: {type(widget).__name__} {widget.objectName()!r}")
    window.undo_box.show()
    for widget in _focusable(window.statusBar()):
        checked += 1
        if not widget.accessibleName().strip():
            missing.append(f"status bar: {type(widget).__name__}")
    assert checked > 25
    assert missing == []


@pytest.fixture
def big_text(qapp: QApplication) -> Any:
    """The system font at 200%, as a person with low vision sets it."""
    before = QFont(qapp.font())
    font = QFont(before)
    font.setPointSizeF(before.pointSizeF() * 2)
    qapp.setFont(font)
    yield font
    qapp.setFont(before)


def _clipped(root: QWidget) -> list[str]:
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not root:
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            hint = widget.sizeHint()
            if widget.width() < hint.width() or widget.height() < hint.height():
                problems.append(f"button {widget.text()!r} is {widget.size().toTuple()}, needs {hint.toTuple()}")
        elif isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            hint = widget.sizeHint()
            if widget.width() < hint.width() or widget.height() < hint.height():
                problems.append(f"label {widget.text()!r} is {widget.size().toTuple()}, needs {hint.toTuple()}")
        elif isinstance(widget, (QComboBox, QAbstractSpinBox)):
            hint = widget.minimumSizeHint()
            if widget.width() < hint.width() or widget.height() < hint.height():
                problems.append(f"{type(widget).__name__} {widget.accessibleName()!r} is squeezed")
    return problems


def test_nothing_is_clipped_at_200_percent_text_on_a_1366_by_768_screen(
    qtbot: Any, big_text: QFont, demo_store: Any
) -> None:
    window = make_window(qtbot, demo_store, demo=True)
    try:
        settle(qtbot, window)
        assert window.font().pointSizeF() == big_text.pointSizeF()
        assert window.size().toTuple() == (1366, 768)
        problems = []
        for key in PAGES:
            window.go_to(key)
            settle(qtbot, window)
            qtbot.wait(50)
            problems += [f"{key}: {p}" for p in _clipped(window)]
        nav_texts = [window.nav.item(i).text() for i in range(window.nav.count())]
        widest = max(window.nav.fontMetrics().horizontalAdvance(t) for t in nav_texts)
        assert window.nav.viewport().width() >= widest
        assert problems == []
        minimum = window.minimumSizeHint()
        assert minimum.width() <= 1366 and minimum.height() <= 768
    finally:
        window.shutdown()
