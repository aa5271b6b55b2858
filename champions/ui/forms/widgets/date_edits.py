"""Date and time boxes that take a date typed the way people write it: ``01/06/2025 10:00``.

Qt moves to the next part by itself once a part is full (``01`` for the day), so a
separator typed next would skip a whole part and the month would land in the year.
Here a separator right after such a jump is taken as already done. And Tab leaves the
box (Qt would walk through day, month, year, hour, minute first).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QWidget

SEPARATORS = set("/:.- ")


class _TypedDate:
    _just_moved = False

    def _typed(self, event: QKeyEvent, base: type) -> None:
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            # Tab leaves the box, like every other field; the parts are reached by typing or arrows.
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            event.accept()
            QWidget.focusNextPrevChild(self, forward)  # type: ignore[arg-type]
            return
        text = event.text()
        if text and text in SEPARATORS and self._just_moved:
            self._just_moved = False
            event.accept()
            return
        before = self.currentSectionIndex()  # type: ignore[attr-defined]
        base.keyPressEvent(self, event)
        self._just_moved = bool(text) and text.isdigit() and self.currentSectionIndex() != before  # type: ignore[attr-defined]


    def _focused(self, event: QFocusEvent, base: type) -> None:
        base.focusInEvent(self, event)
        if event.reason() != Qt.FocusReason.MouseFocusReason:
            # however focus arrives (Tab, a shortcut, Save pointing at a problem), typing starts at the day
            self.setSelectedSection(self.sectionAt(0))  # type: ignore[attr-defined]
        self._just_moved = False


class TypedDateTimeEdit(_TypedDate, QDateTimeEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(QDate(2000, 1, 1))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        self._typed(event, QDateTimeEdit)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self._focused(event, QDateTimeEdit)


class TypedDateEdit(_TypedDate, QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(QDate(2000, 1, 1))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        self._typed(event, QDateEdit)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self._focused(event, QDateEdit)
