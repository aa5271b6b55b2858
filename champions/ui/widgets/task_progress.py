"""A long job's progress dialog with Cancel, for jobs of ``champions.coordinator`` that take a task.

The job runs on a worker thread and reports through a thread-safe ``TaskState``; its reports
cross to the GUI thread as a queued signal (``bridge.progressed``) and move the bar; Cancel
(or Escape) sets the task's flag, which the job checks between rows. The Dashboard's exports
(``ExportRun``) and the coordinator's imports (``TaskRun``) both show one of these.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ...coordinator import TaskState

PROGRESS_STEPS = 1000


class _Bridge(QObject):
    """Emitted on the worker thread, received on the GUI thread."""

    progressed = Signal(int, int)


class TaskProgress(QObject):
    """Owns the task the job is given and the window-modal dialog that shows it."""

    def __init__(self, parent: QWidget, *, name: str, title: str, label: str, accessible_name: str) -> None:
        super().__init__(parent)
        self.bridge = _Bridge(self)
        self.task = TaskState(self.bridge.progressed.emit)
        self.dialog = QProgressDialog(parent)
        self.dialog.setObjectName(name)
        self.dialog.setWindowTitle(title)
        self.dialog.setLabelText(label)
        self.dialog.setCancelButtonText(self.tr("Cancel"))
        self.dialog.setAccessibleName(accessible_name)
        self.dialog.setRange(0, PROGRESS_STEPS)
        self.dialog.setValue(0)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.canceled.connect(self.cancel)
        self.bridge.progressed.connect(self._progress)

    def cancel(self) -> None:
        """The job stops at its next check (and cleans up after itself: no file, nothing changed)."""
        self.task.cancel()
        self.dialog.setLabelText(self.tr("Stopping…"))

    def complete(self) -> None:
        self.dialog.setValue(PROGRESS_STEPS)

    def close(self) -> None:
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.dialog.deleteLater()

    def _progress(self, done: int, total: int) -> None:
        if total > 0 and not self.task.cancelled:
            self.dialog.setValue(min(PROGRESS_STEPS, round(PROGRESS_STEPS * done / total)))
