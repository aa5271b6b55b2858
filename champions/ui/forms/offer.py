"""At start-up, offer the drafts left by a crash, a kill or a power cut: restore or discard each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("DraftsOffer", text)


KIND_NAMES = {"conversation": "Conversation", "outreach_activity": "Outreach activity"}


def describe(form_key: str, data: dict[str, Any], saved_at: datetime) -> str:
    kind = form_key.split(":", 1)[0]
    what = data.get("summary") or _tr(KIND_NAMES.get(kind, kind))
    when = saved_at.astimezone().strftime("%d/%m/%Y %H:%M")
    edit = "" if data.get("is_new", True) else _tr(" (changes to a saved record)")
    return _tr("{0}{1}, last typed at {2}").replace("{0}", what).replace("{1}", edit).replace("{2}", when)


class DraftsOffer(QDialog):
    """One line per draft with Restore and Discard; "Decide later" keeps them for next time."""

    def __init__(self, parent: QWidget | None, store: Any, drafts: list[tuple[str, dict[str, Any], datetime]],
                 opener: Callable[[QWidget | None, Any, str], QDialog]) -> None:
        super().__init__(parent)
        self.store = store
        self._opener = opener
        self.setWindowTitle(_tr("Unsaved work found"))
        self.setAccessibleName(_tr("Unsaved work found"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        intro = QLabel(_tr("Champions closed before these were saved. Nothing is lost: "
                           "restore each one to carry on, or discard it if you do not need it."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.rows: dict[str, QFrame] = {}
        for form_key, data, saved_at in drafts:
            row = QFrame()
            row.setFrameShape(QFrame.Shape.StyledPanel)
            line = QHBoxLayout(row)
            text = describe(form_key, data, saved_at)
            label = QLabel(text)
            label.setWordWrap(True)
            line.addWidget(label, 1)
            restore = QPushButton(_tr("Restore"))
            restore.setAccessibleName(_tr("Restore: {0}").replace("{0}", text))
            restore.setAutoDefault(False)
            discard = QPushButton(_tr("Discard"))
            discard.setAccessibleName(_tr("Discard: {0}").replace("{0}", text))
            discard.setAutoDefault(False)
            restore.clicked.connect(lambda _c=False, k=form_key, d=data: self.restore(k, d))
            discard.clicked.connect(lambda _c=False, k=form_key: self.discard(k))
            line.addWidget(restore)
            line.addWidget(discard)
            layout.addWidget(row)
            self.rows[form_key] = row
        later = QPushButton(_tr("Decide later"))
        later.setAccessibleName(_tr("Decide later"))
        later.setAutoDefault(False)
        later.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(later)
        layout.addLayout(bottom)

    def restore(self, form_key: str, data: dict[str, Any]) -> QDialog:
        record_id = data.get("record_id") or form_key.split(":", 1)[1]
        self._drop_row(form_key)
        return self._opener(self.parentWidget(), self.store, form_key.split(":", 1)[0], record_id)

    def discard(self, form_key: str) -> None:
        self.store.drafts.discard(form_key)
        self._drop_row(form_key)

    def _drop_row(self, form_key: str) -> None:
        row = self.rows.pop(form_key, None)
        if row is not None:
            row.hide()
            row.deleteLater()
        if not self.rows:
            self.close()
        else:
            next(iter(self.rows.values())).findChild(QPushButton).setFocus()
