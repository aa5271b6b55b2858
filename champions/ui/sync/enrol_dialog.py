"""“Connect to your organisation's hub”: the hub address and the invite code, then who you are.

Enrolment talks to the network, so it runs on the sync controller's worker thread; the dialog
stays responsive and shows the answer (or the problem, in plain words) when it arrives.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from champions.sync.enrolment import Identity
from champions.sync.errors import SyncError

from .messages import sync_message

ROLE_WORDS = {"champion": QT_TRANSLATE_NOOP("EnrolDialog", "community champion"),
              "coordinator": QT_TRANSLATE_NOOP("EnrolDialog", "coordinator"),
              "admin": QT_TRANSLATE_NOOP("EnrolDialog", "administrator")}


def role_word(role: str) -> str:
    return QCoreApplication.translate("EnrolDialog", ROLE_WORDS[role]) if role in ROLE_WORDS else role


class EnrolDialog(QDialog):
    def __init__(self, controller: Any, hub_url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.identity: Identity | None = None
        self.setObjectName("enrolDialog")
        self.setWindowTitle(self.tr("Connect to your hub"))
        self.intro = QLabel(self.tr(
            "Your coordinator gives you the hub address and a one-time invite code. "
            "Type them here to connect this laptop. Your records stay on this laptop either way."))
        self.intro.setWordWrap(True)
        self.hub = QLineEdit(hub_url)
        self.hub.setObjectName("hubAddress")
        self.hub.setPlaceholderText("https://hub.example.org")
        self.hub.setAccessibleName(self.tr("Hub address"))
        self.code = QLineEdit()
        self.code.setObjectName("inviteCode")
        self.code.setPlaceholderText("ABCD-EFGH")
        self.code.setAccessibleName(self.tr("Invite code"))
        form = QFormLayout()
        form.addRow(self.tr("&Hub address"), self.hub)
        form.addRow(self.tr("&Invite code"), self.code)
        self.message = QLabel()
        self.message.setObjectName("enrolMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName(self.tr("Result"))
        self.buttons = QDialogButtonBox()
        self.connect_button = QPushButton(self.tr("&Connect"))
        self.connect_button.setObjectName("enrolConnect")
        self.connect_button.setAccessibleName(self.tr("Connect"))
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName(self.tr("Close"))
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.connect_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.close_button.clicked.connect(self._close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.connect_button.setDefault(True)  # after it is in the dialog, so Return presses it
        (self.code if hub_url else self.hub).setFocus()

    def start(self) -> None:
        hub, code = self.hub.text().strip(), self.code.text().strip()
        if not hub:
            self._problem(self.tr("Type the hub address your coordinator gave you."))
            self.hub.setFocus()
            return
        if not code:
            self._problem(self.tr("Type the invite code your coordinator gave you."))
            self.code.setFocus()
            return
        self._busy(True)
        self.message.setText(self.tr("Connecting to the hub…"))
        self.controller.enrol(hub, code, self._done, self._failed)

    def _busy(self, busy: bool) -> None:
        for widget in (self.hub, self.code, self.connect_button):
            widget.setEnabled(not busy)

    def _done(self, identity: Identity) -> None:
        self.identity = identity
        self._busy(False)
        self.message.setProperty("problem", False)
        self.message.setText(self.tr("Connected. You are {person}, {role}, in {org}. This laptop will now sync by itself.")
                             .format(person=identity.person_name,
                                     role=role_word(identity.role),
                                     org=identity.org_name))
        self.connect_button.hide()
        self.code.clear()
        self.close_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        text = sync_message(exc) if isinstance(exc, SyncError) else self.tr(
            "Something went wrong while connecting ({what}). Try again, or ask your coordinator.").format(
                what=type(exc).__name__)
        self._problem(text)
        self.code.setFocus()
        self.code.selectAll()

    def _problem(self, text: str) -> None:
        self.message.setProperty("problem", True)
        self.message.setText(text)

    def _close(self) -> None:
        self.accept() if self.identity is not None else self.reject()
