"""Several choices as removable chips, picked by typing: the groups, languages, topics, partners.

Enter adds the best match as a chip and clears the box; Backspace in the empty box
removes the last chip; a chip is a button (Tab to it, Space, Delete or Backspace
removes it). With ``free=True`` any text becomes a chip (partners, materials).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QPushButton, QSizePolicy, QWidget

from .choice_box import Choice, EnterPicksLineEdit, best_match, make_completer, unique_match
from .flow_layout import FlowLayout


def _tr(text: str) -> str:
    return QCoreApplication.translate("TagPicker", text)


class Chip(QPushButton):
    """One chosen item; pressing it (or Delete/Backspace on it) removes it."""

    remove_requested = Signal(str)

    def __init__(self, code: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setAutoDefault(False)
        self.setObjectName("chip")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.clicked.connect(lambda: self.remove_requested.emit(self.code))
        self.rename(text)

    def rename(self, text: str) -> None:
        self.label = text
        self.setText(f"{text}  ✕")
        self.setAccessibleName(_tr("Remove {0}").replace("{0}", text))
        self.setToolTip(_tr("Remove {0}").replace("{0}", text))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit(self.code)
            return
        super().keyPressEvent(event)


class TagPicker(QFrame):
    changed = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None, *, free: bool = False) -> None:
        super().__init__(parent)
        self.free = free
        self._texts: dict[str, str] = {}  # code -> text shown
        self._codes: dict[str, str] = {}  # text shown -> code
        self._chips: list[Chip] = []
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(accessible_name)
        self._layout = FlowLayout(self, spacing=4)
        self.edit = EnterPicksLineEdit(self)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setPlaceholderText(_tr("Type to add, then Enter") if not free else _tr("Type a name, then Enter"))
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("x" * 22))
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edit.on_enter = self._add_from_text
        self.edit.on_backspace_empty = self._remove_last
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.edit.installEventFilter(self)
        self._completer = make_completer(self.edit)
        self._completer.activated[str].connect(self._add_text)
        if not free:
            self.edit.setCompleter(self._completer)
        self._layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    # -- what the form reads and writes ---------------------------------------------
    def set_choices(self, choices: Iterable[Choice]) -> None:
        """The items to pick from; chips already chosen take their names from them (they may arrive late)."""
        self._texts = {c.code: c.text for c in choices}
        self._codes = {t: c for c, t in self._texts.items()}
        self._completer.model().setStringList(list(self._texts.values()))
        for chip in self._chips:
            chip.rename(self._texts.get(chip.code, chip.label))

    def value(self) -> list[str]:
        return [chip.code for chip in self._chips]

    def set_value(self, codes: Iterable[str]) -> None:
        for chip in list(self._chips):
            self._drop(chip)
        for code in codes:
            self._add_code(code, notify=False)
        self.changed.emit()

    def pending_text(self) -> str:
        """Typed but not added: kept in drafts and checked by validation, never dropped."""
        return self.edit.text().strip()

    def set_pending_text(self, text: str) -> None:
        self.edit.setText(text)

    def chips(self) -> list[Chip]:
        return list(self._chips)

    # -- keyboard --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self._resolve_leftover()
        return super().eventFilter(watched, event)

    def _add_from_text(self) -> bool:
        text = self.edit.text().strip()
        if not text:
            return False
        if self.free:
            self._add_code(text)
            self.edit.clear()
            return True
        match = best_match(self._completer, text)
        self._completer.popup().hide()
        if match is None:
            return True  # keep the text; validation says it is not on the list
        return self._add_text(match)

    def _add_text(self, text: str) -> bool:
        code = self._codes.get(text)
        if code is None:
            return False
        self._add_code(code)
        self.edit.clear()
        self._completer.popup().hide()
        return True

    def _resolve_leftover(self) -> None:
        text = self.edit.text().strip()
        if not text:
            return
        if self.free:
            self._add_code(text)
            self.edit.clear()
            return
        match = unique_match(self._completer, text)
        if match is not None:
            self._add_text(match)

    def _add_code(self, code: str, *, notify: bool = True) -> None:
        if code in self.value():
            return
        chip = Chip(code, self._texts.get(code, code), self)
        chip.remove_requested.connect(self._remove_code)
        self._layout.insertWidget(len(self._chips), chip)
        self._chips.append(chip)
        chip.show()
        # Chips come just before the text box in Tab order, in the order they were added.
        before = self.edit.previousInFocusChain()
        if before is not None and before is not chip:
            QWidget.setTabOrder(before, chip)
        self.updateGeometry()
        if notify:
            self.changed.emit()

    def _remove_code(self, code: str) -> None:
        for chip in self._chips:
            if chip.code == code:
                had_focus = chip.hasFocus()
                self._drop(chip)
                if had_focus:
                    self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
                self.changed.emit()
                return

    def _remove_last(self) -> bool:
        if not self._chips:
            return False
        self._remove_code(self._chips[-1].code)
        return True

    def _drop(self, chip: Chip) -> None:
        self._chips.remove(chip)
        self._layout.removeWidget(chip)
        chip.hide()
        chip.deleteLater()
        self.updateGeometry()
