"""The line under a field: a problem (red, with a sign, so not colour alone) or a warning."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

PROBLEM_COLOUR = "#a4001d"  # 7:1 on white
WARNING_COLOUR = "#7a4a00"


class FieldMessage(QLabel):
    """Hidden when there is nothing to say; tells the field's accessible description too."""

    def __init__(self, field: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(QCoreApplication.translate("FieldMessage", "Message"))
        self.kind = ""
        self.message = ""
        self.hide()

    def show_problem(self, message: str) -> None:
        self._show("problem", message, "⚠ ", PROBLEM_COLOUR)

    def show_warning(self, message: str) -> None:
        self._show("warning", message, "ⓘ ", WARNING_COLOUR)

    def clear_message(self) -> None:
        if not self.kind:
            return
        self.kind = self.message = ""
        self.setText("")
        self.hide()
        if self.field is not None:
            self.field.setAccessibleDescription("")

    def _show(self, kind: str, message: str, sign: str, colour: str) -> None:
        if (self.kind, self.message) == (kind, message):
            return
        self.kind, self.message = kind, message
        self.setText(sign + message)
        self.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.setAccessibleName(message)
        self.show()
        if self.field is not None:
            self.field.setAccessibleDescription(message)
