"""Help ▸ Copy diagnostics: a zip for a support ticket, and its location on the clipboard.

The zip is ``champions.diagnostics.build_diagnostics_zip``: the log files (redacted again on
the way in), the versions and the effective settings, never a record, a token or a key. The
person is told where the file is, in a dialog they can read and copy from, and the path is
on the clipboard so they can paste it into an email or a ticket. The dialog is window-modal
but not blocking, so the rest of the app (and a test) carries on.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)


def running_qt() -> dict[str, str]:
    """What only the running app knows: the Qt it really loaded and the windowing platform."""
    import PySide6

    return {
        "Qt (running)": qVersion(),
        "PySide6 (running)": PySide6.__version__,
        "Qt platform": QGuiApplication.platformName() or "unknown",
    }


class CopyDiagnostics(QObject):
    """The action and what it does; ``last_path`` and ``last_box`` are kept for the person (and tests)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.action = QAction(window)
        self.action.setObjectName("copyDiagnosticsAction")
        self.action.triggered.connect(self.run)
        self.last_path: Path | None = None
        self.last_box: QMessageBox | None = None
        window.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Copy &diagnostics for support"))
        self.action.setStatusTip(
            self.tr("Save the logs and version details in a zip for your IT team, and copy where it is")
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def run(self) -> Path | None:
        """Write the zip, put its path on the clipboard and say so; a failure is said plainly."""
        from ..diagnostics import build_diagnostics_zip

        try:
            path = build_diagnostics_zip(extra=running_qt())
        except OSError as exc:
            log.error("the diagnostics zip could not be written: %s", type(exc).__name__)
            self._show(
                QMessageBox.Icon.Warning,
                self.tr("Diagnostics not saved"),
                self.tr("The diagnostics file could not be written ({why}). "
                        "Check there is free disk space, then try again.").format(why=exc.strerror or exc),
            )
            return None
        QGuiApplication.clipboard().setText(str(path))
        self.last_path = path
        log.info("diagnostics zip written (%d bytes)", path.stat().st_size)
        self._show(
            QMessageBox.Icon.Information,
            self.tr("Diagnostics saved"),
            self.tr("The diagnostics are saved in:\n{path}\n\nThis location is on the clipboard: paste it into "
                    "your message to your IT team and attach the file. It holds the app's logs and version "
                    "details only, never your records, names, notes or keys.").format(path=path),
        )
        return path

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("diagnosticsMessage")
        box.setAccessibleName(title)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                    | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: setattr(self, "last_box", None))
        box.open()
        self.last_box = box


def install_diagnostics(window: Any) -> CopyDiagnostics:
    """Add Copy diagnostics to the window's Help menu, above About."""
    copier = CopyDiagnostics(window)
    about = getattr(window, "about_action", None)
    if about is not None and about in window.help_menu.actions():
        window.help_menu.insertAction(about, copier.action)
        window.help_menu.insertSeparator(about)
    else:
        window.help_menu.addAction(copier.action)
    window.copy_diagnostics = copier
    return copier
