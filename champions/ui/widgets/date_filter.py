"""A date box for filters: "Any date" until a date is picked, and Tab leaves it.

QDateEdit spends Tab on moving between day, month and year, and with its special
value shown it never lets go, trapping keyboard users; here Tab moves to the next
control and the arrow keys move between the parts of the date.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

NO_DATE = QDate(2000, 1, 1)


class DateFilterEdit(QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(NO_DATE)
        self.setDate(NO_DATE)
        self.setDisplayFormat("dd/MM/yyyy")

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, N802 - Qt's names
        return QWidget.focusNextPrevChild(self, next)

    def is_set(self) -> bool:
        return self.date() != NO_DATE

    def clear_date(self) -> None:
        self.setDate(NO_DATE)
