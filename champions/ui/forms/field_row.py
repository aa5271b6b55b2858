"""A labelled field with its message line underneath, in a form layout."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from .widgets.field_message import FieldMessage


@dataclass
class FieldRow:
    """What validation needs to reach a field: where to focus, where to speak."""

    label: str
    widget: QWidget
    problem: FieldMessage
    warning: FieldMessage | None = None
    touched: bool = False  # problems show once the champion has changed the field (or pressed Save)


def make_form_layout() -> QFormLayout:
    layout = QFormLayout()
    # At 200% font or in a narrow window the label goes above its field instead of clipping.
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    layout.setVerticalSpacing(10)
    return layout


def add_row(layout: QFormLayout, label: str, widget: QWidget, *, warns: bool = False,
            shown: QWidget | None = None) -> FieldRow:
    """Label, widget, then a problem line (and a personal-data warning line if ``warns``).

    ``shown`` is what goes on the row when it is more than ``widget`` (a checkbox with its date).
    """
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    face = shown or widget
    if face.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Expanding:
        column.addWidget(face)
    else:  # small fields keep their size; the message under them still gets the full width
        column.addWidget(face, 0, Qt.AlignmentFlag.AlignLeft)
    problem = FieldMessage(widget)
    column.addWidget(problem)
    warning = None
    if warns:
        warning = FieldMessage(widget)
        column.addWidget(warning)
    title = QLabel(label)
    title.setBuddy(widget.focusProxy() or widget)
    title.setWordWrap(True)
    layout.addRow(title, holder)
    if not widget.accessibleName():
        widget.setAccessibleName(label)
    row = FieldRow(label, widget, problem, warning)
    from .binding import change_signal  # here, not at the top: binding imports the barrier rows

    change_signal(widget).connect(lambda *_a: setattr(row, "touched", True))
    return row
