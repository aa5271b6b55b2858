"""Tell the person at the window that some settings were not used, and why, in IT's words.

A broken or mistyped settings file (``champions.config``) never stops the app: it starts with
safe defaults. On the command line the problems go to stderr, but the windowed app has no
console, so without this nobody would learn that, say, the hub address IT set was ignored.
The notice is not modal: the champion can work on, and give the text to IT (it is selectable,
and *Copy diagnostics* in the Help menu carries it too).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("SettingsNotice", text)


def show_settings_problems(parent: QWidget, problems: Sequence[str]) -> QMessageBox | None:
    """A non-modal notice listing ``problems`` (file and line in each); None when there are none."""
    if not problems:
        return None
    box = QMessageBox(parent)
    box.setObjectName("settingsProblems")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("Some settings were not used"))
    box.setText(_tr(
        "Champions started with safe settings because part of its settings could not be used. "
        "Your work is not affected. Please tell your IT team; they can fix the file named below."))
    box.setInformativeText("\n".join(f"• {problem}" for problem in problems))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAccessibleName(_tr("Some settings were not used"))
    box.setModal(False)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box
