"""Screenshots of the forms at 1366x768 (normal and 200% text), and checks that nothing is clipped.

Set CHAMPIONS_SAVE_SCREENSHOTS=1 to write them to docs/screenshots/ as well.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from champions.store import Store
from champions.ui.forms import RecordForm, open_activity_form, open_barrier_form, open_conversation_form

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "c.db", os.urandom(32))
    yield opened
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, RecordForm):
            widget.shutdown()  # as the app does before it closes its store
    opened.close()


@pytest.fixture
def big_text():  # type: ignore[no-untyped-def]
    """The system font at 200%."""
    app = QApplication.instance()
    before = QFont(app.font())
    font = QFont(before)
    font.setPointSizeF(before.pointSizeF() * 2)
    app.setFont(font)
    yield
    app.setFont(before)


def save_shot(widget: QWidget, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    assert widget.grab().save(str(path))
    if os.environ.get("CHAMPIONS_SAVE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(DOCS / name))
    return path


def place(qtbot, form: RecordForm) -> None:  # type: ignore[no-untyped-def]
    from champions.ui.app import apply_style, make_application

    apply_style(make_application())  # the app's own style sheet, so the pictures look like the app
    qtbot.addWidget(form)
    form.resize(1366, 768)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and form.isAncestorOf(QApplication.focusWidget()))


def type_in(qtbot, widget: QWidget, text: str, enter: bool = False) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), text)
    if enter:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def fill(qtbot, form) -> None:  # type: ignore[no-untyped-def]
    type_in(qtbot, form.neighbourhood, "birk", enter=True)
    type_in(qtbot, form.setting, "market", enter=True)
    type_in(qtbot, form.district, "CH41 5AB")
    type_in(qtbot, form.languages.edit, "engl", enter=True)
    type_in(qtbot, form.languages.edit, "urdu", enter=True)
    type_in(qtbot, form.age_bands.edit, "65", enter=True)
    type_in(qtbot, form.topics.edit, "flu", enter=True)
    type_in(qtbot, form.topics.edit, "covid", enter=True)
    form.barriers.add_row(focus=True)
    qtbot.keyClicks(QApplication.focusWidget(), "safety")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    type_in(qtbot, form.barriers.rows[0].quote, "My neighbour was ill for a week after hers")
    type_in(qtbot, form.notes, "Ring her back on 07700 900123")


def clipped(form: QWidget) -> list[str]:
    """Labels and buttons narrower or shorter than they need to show their text."""
    found = []
    for widget in form.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractButton)):
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            need_h = widget.heightForWidth(widget.width())
            if need_h > widget.height() + 1:
                found.append(f"{widget.text()[:40]!r} needs {need_h}px high, has {widget.height()}")
            continue
        hint = widget.minimumSizeHint()
        if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
            found.append(f"{type(widget).__name__} {widget.text()[:40]!r} {widget.size().toTuple()} < {hint.toTuple()}")
    return found


def test_conversation_form_screenshot_with_a_problem_showing(qtbot, store: Store, tmp_path: Path) -> None:
    form = open_conversation_form(None, store)
    place(qtbot, form)
    fill(qtbot, form)
    qtbot.waitUntil(lambda: form._rows["postcode_district"].problem.isVisible())
    qtbot.waitUntil(lambda: form._rows["notes"].warning.isVisible())
    form.scroll.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    assert clipped(form) == []
    assert form.scroll.horizontalScrollBar().maximum() == 0, "nothing wider than the window"
    path = tmp_path / "conversation-form.png"  # the README's copy is taken under Xvfb (test_screenshot.py)
    assert form.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_activity_form_screenshot(qtbot, store: Store, tmp_path: Path) -> None:
    form = open_activity_form(None, store)
    place(qtbot, form)
    form.save()  # shows what is missing
    QApplication.processEvents()
    assert clipped(form) == []
    save_shot(form, tmp_path, "activity-form.png")


def fill_barrier(qtbot, form) -> None:  # type: ignore[no-untyped-def]
    type_in(qtbot, form.code, "safety", enter=True)
    type_in(qtbot, form.quote, "My neighbour was ill for a week after hers")
    type_in(qtbot, form.neighbourhood, "birk", enter=True)
    QApplication.processEvents()


def test_barrier_form_screenshot(qtbot, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    form = open_barrier_form(None, store)
    place(qtbot, form)
    fill_barrier(qtbot, form)
    assert clipped(form) == []
    assert form.scroll.horizontalScrollBar().maximum() == 0, "nothing wider than the window"
    save_shot(form, tmp_path, "barrier-form.png")


def test_barrier_form_at_200_percent_text(qtbot, store: Store, tmp_path: Path, big_text) -> None:  # type: ignore[no-untyped-def]
    form = open_barrier_form(None, store)
    place(qtbot, form)
    fill_barrier(qtbot, form)
    assert clipped(form) == []
    assert form.scroll.horizontalScrollBar().maximum() == 0
    save_shot(form, tmp_path, "barrier-form-200.png")


def test_conversation_form_at_200_percent_text(qtbot, store: Store, tmp_path: Path, big_text) -> None:  # type: ignore[no-untyped-def]
    form = open_conversation_form(None, store)
    place(qtbot, form)
    fill(qtbot, form)
    form.save()
    QApplication.processEvents()
    assert clipped(form) == []
    assert form.scroll.horizontalScrollBar().maximum() == 0
    # the last field can still be reached: the form scrolls, it is not cut off
    form.activateWindow()  # the offscreen platform leaves a closed completer popup "active"
    qtbot.waitUntil(form.isActiveWindow)
    form.notes.setFocus()
    QApplication.processEvents()
    top = form.notes.mapTo(form.scroll.viewport(), form.notes.rect().topLeft()).y()
    assert 0 <= top < form.scroll.viewport().height()
    save_shot(form, tmp_path, "conversation-form-200.png")
