"""Reading, writing and watching a form widget the same way, whatever kind it is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from .barriers import BarrierList
from .widgets.choice_box import ChoiceBox, FixedChoice
from .widgets.tag_picker import TagPicker

def change_signal(widget: QWidget) -> Any:
    if isinstance(widget, (ChoiceBox, FixedChoice, TagPicker, BarrierList)):
        return widget.changed
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.valueChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    if isinstance(widget, QDateTimeEdit):  # QDateEdit too
        return widget.dateTimeChanged
    raise TypeError(f"no change signal for {type(widget).__name__}")


def get_value(widget: QWidget) -> Any:
    if isinstance(widget, (ChoiceBox, FixedChoice, TagPicker, BarrierList)):
        return widget.value()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QDateEdit):
        return widget.date().toString(Qt.DateFormat.ISODate)
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString("yyyy-MM-ddTHH:mm")
    raise TypeError(type(widget).__name__)


def set_value(widget: QWidget, value: Any) -> None:
    if isinstance(widget, (ChoiceBox, FixedChoice, TagPicker, BarrierList)):
        widget.set_value(value)
    elif isinstance(widget, QLineEdit):
        widget.setText(value or "")
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value or "")
        widget.moveCursor(QTextCursor.MoveOperation.End)  # carry on where the text ends
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value))
    elif isinstance(widget, QDoubleSpinBox):
        widget.setValue(float(value))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QDateEdit):
        if value:
            widget.setDate(QDate.fromString(value, Qt.DateFormat.ISODate))
    elif isinstance(widget, QDateTimeEdit):
        widget.setDateTime(QDateTime.fromString(value, "yyyy-MM-ddTHH:mm"))
    else:
        raise TypeError(type(widget).__name__)


def focus_widgets(widget: QWidget) -> list[QWidget]:
    if isinstance(widget, TagPicker):
        return [*widget.chips(), widget.edit]
    if isinstance(widget, BarrierList):
        return widget.focus_widgets()
    return [widget]
