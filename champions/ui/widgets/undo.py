"""Deleting is a soft delete that can be undone (Ctrl+Z, or the "Undo" button)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand


class DeleteRecord(QUndoCommand):
    """Pushing it deletes (a tombstone, never a hard delete); undo restores the record."""

    def __init__(self, repo: Any, record_id: str, description: str) -> None:
        super().__init__(QCoreApplication.translate("Undo", "Delete {what}").format(what=description))
        self.repo = repo
        self.record_id = record_id

    def redo(self) -> None:
        self.repo.delete(self.record_id)

    def undo(self) -> None:
        self.repo.restore(self.record_id)
