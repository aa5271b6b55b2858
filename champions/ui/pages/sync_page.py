"""The Sync page: for now, what is waiting to be sent. The sync feature fills the rest."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class SyncPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unsynced = -1
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.waiting = QLabel()
        self.waiting.setObjectName("syncWaiting")
        self.waiting.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.waiting)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sync"))
        self.note.setText(
            self.tr("Sending your records to your organisation's hub arrives with the sync feature. "
                    "Until then everything you log is kept safely, encrypted, on this computer.")
        )
        self.set_unsynced(self.unsynced)

    def set_unsynced(self, count: int) -> None:
        self.unsynced = count
        if count < 0:
            self.waiting.setText(self.tr("Counting the changes waiting to be sent…"))
        elif count == 0:
            self.waiting.setText(self.tr("Nothing is waiting to be sent."))
        elif count == 1:
            self.waiting.setText(self.tr("1 change is waiting to be sent."))
        else:
            self.waiting.setText(self.tr("{n} changes are waiting to be sent.").format(n=count))
