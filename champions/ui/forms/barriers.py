"""Barriers heard, added inline in the conversation form: several, each removable."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from champions.domain import BarrierHeard

from .field_row import FieldRow, add_row, make_form_layout
from .labels import addressed_choices, field_label
from .widgets.choice_box import Choice, ChoiceBox, FixedChoice


def _tr(text: str) -> str:
    return QCoreApplication.translate("BarrierEditor", text)


class BarrierRow(QFrame):
    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, number: int, choices: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("barrierRow")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        head = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: 600;")
        head.addWidget(self.heading)
        head.addStretch(1)
        outer.addLayout(head)
        form = make_form_layout()
        outer.addLayout(form)

        self.code = ChoiceBox()
        self.code.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.code.set_choices(choices)
        self.code.set_value("")
        self.quote = QLineEdit()
        self.addressed = FixedChoice(addressed_choices())
        self.addressed.set_value("no")
        self.remove = QPushButton()
        self.remove.setAutoDefault(False)
        head.addWidget(self.remove)

        self.code_row = add_row(form, field_label(BarrierHeard, "code"), self.code)
        self.quote_row = add_row(form, field_label(BarrierHeard, "quote"), self.quote, warns=True)
        self.addressed_row = add_row(form, field_label(BarrierHeard, "addressed"), self.addressed)
        self.code.changed.connect(self.changed)
        self.quote.textChanged.connect(lambda _t: self.changed.emit())
        self.addressed.changed.connect(self.changed)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self.set_number(number)

    def set_number(self, number: int) -> None:
        """Names say which barrier, so a screen reader user knows which one they are in."""
        self.number = number
        self.heading.setText(_tr("Barrier {0}").replace("{0}", str(number)))
        self.code.setAccessibleName(_tr("Barrier {0}: which barrier").replace("{0}", str(number)))
        self.quote.setAccessibleName(_tr("Barrier {0}: in their words").replace("{0}", str(number)))
        self.addressed.setAccessibleName(_tr("Barrier {0}: addressed").replace("{0}", str(number)))
        self.remove.setText(_tr("Remove barrier {0}").replace("{0}", str(number)))
        self.remove.setAccessibleName(self.remove.text())

    def value(self) -> dict[str, str]:
        return {"code": self.code.value(), "quote": self.quote.text(), "addressed": self.addressed.value()}

    def set_value(self, data: dict[str, str]) -> None:
        self.code.set_value(data.get("code", ""))
        self.quote.setText(data.get("quote", ""))
        self.addressed.set_value(data.get("addressed", "no"))

    def rows(self) -> dict[str, FieldRow]:
        return {"code": self.code_row, "quote": self.quote_row, "addressed": self.addressed_row}

    def focus_widgets(self) -> list[QWidget]:
        return [self.code, self.quote, self.addressed, self.remove]


class BarrierList(QWidget):
    """The rows plus "Add barrier"; the form asks it for the widget behind ``barriers.N.field``."""

    changed = Signal()
    rows_changed = Signal()

    def __init__(self, choices: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self.rows: list[BarrierRow] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._column = QVBoxLayout()
        layout.addLayout(self._column)
        self.empty_note = QLabel(_tr("No barriers yet. Press Ctrl+B or “Add barrier” for each one you heard."))
        self.empty_note.setWordWrap(True)
        layout.addWidget(self.empty_note)
        self.add_button = QPushButton(_tr("Add barrier (Ctrl+B)"))
        self.add_button.setAutoDefault(False)
        self.add_button.setAccessibleName(_tr("Add barrier"))
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def set_choices(self, choices: list[Choice]) -> None:
        """The barriers offered (an old record's retired ones among them); rows keep what they show."""
        self._choices = choices
        for row in self.rows:
            value = row.code.value()
            row.code.set_choices(choices)
            row.code.set_value(value)

    def add_row(self, data: dict[str, str] | None = None, *, focus: bool = False) -> BarrierRow:
        row = BarrierRow(len(self.rows) + 1, self._choices, self)
        if data:
            row.set_value(data)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self.remove_row)
        self._column.addWidget(row)
        row.show()  # now, not on the next event loop turn, so Tab can reach it at once
        self.rows.append(row)
        self.empty_note.setVisible(not self.rows)
        self.rows_changed.emit()
        self.changed.emit()
        if focus:
            row.code.setFocus()
        return row

    def remove_row(self, row: BarrierRow) -> None:
        index = self.rows.index(row)
        self.rows.remove(row)
        self._column.removeWidget(row)
        row.hide()
        row.deleteLater()
        for number, other in enumerate(self.rows, start=1):
            other.set_number(number)
        self.empty_note.setVisible(not self.rows)
        self.rows_changed.emit()
        self.changed.emit()
        # Focus goes somewhere sensible, never lost: the next barrier, the previous, or "Add".
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].code.setFocus()
        else:
            self.add_button.setFocus()

    def value(self) -> list[dict[str, str]]:
        return [row.value() for row in self.rows]

    def set_value(self, barriers: list[dict[str, str]]) -> None:
        for row in list(self.rows):
            self.rows.remove(row)
            self._column.removeWidget(row)
            row.deleteLater()
        for data in barriers:
            self.add_row(data)
        self.empty_note.setVisible(not self.rows)

    def focus_widgets(self) -> list[QWidget]:
        return [w for row in self.rows for w in row.focus_widgets()] + [self.add_button]
