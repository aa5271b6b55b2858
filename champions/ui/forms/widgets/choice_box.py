"""A combo box with type-ahead over any part of the text: a few letters and Enter choose.

People type "birk" or "safety", not the first letters of a long label, so the
completer matches anywhere in the text, case-insensitively; Enter takes the
highlighted match, or the first one when none is highlighted. Text that matches
nothing is kept as typed (the form's validation then says what to do), never
thrown away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from PySide6.QtCore import QElapsedTimer, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QCompleter, QLineEdit, QWidget


class Choice(NamedTuple):
    code: str
    text: str  # what is shown and searched (label, and code where it helps)


def make_completer(parent: QWidget, texts: Iterable[str] = ()) -> QCompleter:
    completer = QCompleter(QStringListModel(list(texts), parent), parent)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setMaxVisibleItems(12)
    return completer


def _ranked(completer: QCompleter, text: str) -> list[list[str]]:
    """Matches of ``text``: exact, then starting with it, then a word starting with it, then anywhere."""
    folded = text.strip().casefold()
    model = completer.model()
    texts = [str(model.index(row, 0).data()) for row in range(model.rowCount())]
    exact = [t for t in texts if t.casefold() == folded]
    prefix = [t for t in texts if t.casefold().startswith(folded)]
    word = [t for t in texts if any(w.startswith(folded) for w in re.split(r"[^\w+]+", t.casefold()))]
    anywhere = [t for t in texts if folded in t.casefold()]
    return [exact, prefix, word, anywhere]


def best_match(completer: QCompleter, text: str) -> str | None:
    """The highlighted completion, else the best-ranked match of ``text`` (what Enter picks)."""
    if not text.strip():
        return None
    popup = completer.popup()
    if popup.isVisible() and popup.currentIndex().isValid():
        return str(popup.currentIndex().data())
    for group in _ranked(completer, text):
        if group:
            return group[0]
    return None


def unique_match(completer: QCompleter, text: str) -> str | None:
    """A match only when it is not ambiguous, for text left behind when the champion tabs on."""
    if not text.strip():
        return None
    for group in _ranked(completer, text):
        if len(group) == 1:
            return group[0]
        if group:
            return None
    return None


class EnterPicksLineEdit(QLineEdit):
    """Calls ``on_enter`` first; if it took the key, the key goes no further (no accidental Save)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.on_enter = lambda: False
        self.on_backspace_empty = lambda: False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.on_enter():
            event.accept()
            return
        if event.key() == Qt.Key.Key_Backspace and not self.text() and self.on_backspace_empty():
            event.accept()
            return
        super().keyPressEvent(event)


class ChoiceBox(QComboBox):
    """One choice from a list, by typing part of its text; ``value()`` is the code or the raw text."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        edit = EnterPicksLineEdit(self)
        edit.on_enter = self._pick_from_text
        self.setLineEdit(edit)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(22)
        self._completer = make_completer(self)
        self._completer.activated[str].connect(self._pick_text)
        self.setCompleter(self._completer)
        self.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.editTextChanged.connect(lambda _t: self.changed.emit())
        edit.editingFinished.connect(self._resolve_leftover)

    def set_choices(self, choices: Iterable[Choice]) -> None:
        keep = self.value()
        self.blockSignals(True)
        self.clear()
        texts = []
        for choice in choices:
            self.addItem(choice.text, choice.code)
            texts.append(choice.text)
        self._completer.model().setStringList(texts)
        self.blockSignals(False)
        self.set_value(keep)

    def value(self) -> str:
        index = self.currentIndex()
        if index >= 0 and self.itemText(index) == self.currentText():
            return str(self.itemData(index))
        return self.currentText().strip()

    def set_value(self, value: str | None) -> None:
        index = self.findData(value) if value else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText(value or "")

    def _pick_text(self, text: str) -> bool:
        index = self.findText(text, Qt.MatchFlag.MatchExactly)
        if index < 0:
            return False
        self.setCurrentIndex(index)
        self.setEditText(self.itemText(index))
        self.lineEdit().setCursorPosition(0)  # a long label shows its start (the code), not its tail
        return True

    def _pick_from_text(self) -> bool:
        match = best_match(self._completer, self.currentText())
        self._completer.popup().hide()
        if match is None:
            return False
        return self._pick_text(match)

    def _resolve_leftover(self) -> None:
        if self.value() == self.currentText().strip() and self.currentText().strip():
            match = unique_match(self._completer, self.currentText())
            if match is not None:
                self._pick_text(match)


class FixedChoice(QComboBox):
    """A short fixed list (yes / partly / no): a plain combo where typing the start of an item selects it.

    Qt's own type-ahead opens the list on a space, so "not s" (for "Not sure") would
    leave the champion inside a pop-up; here a space in the middle of typing is just text.
    """

    changed = Signal()

    def __init__(self, choices: Iterable[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for choice in choices:
            self.addItem(choice.text, choice.code)
        self.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._typed = ""
        self._typed_at = QElapsedTimer()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        text = event.text()
        printable = bool(text) and text.isprintable() and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        fresh = not self._typed_at.isValid() or self._typed_at.elapsed() > QApplication.keyboardInputInterval()
        if printable and not (text == " " and fresh):
            self._typed = text if fresh else self._typed + text
            self._typed_at.start()
            wanted = self._typed.casefold()
            for index in range(self.count()):
                if self.itemText(index).casefold().startswith(wanted):
                    self.setCurrentIndex(index)
                    break
            event.accept()
            return
        super().keyPressEvent(event)

    def value(self) -> str:
        return str(self.currentData()) if self.currentIndex() >= 0 else ""

    def set_value(self, value: str | None) -> None:
        self.setCurrentIndex(self.findData(value))
