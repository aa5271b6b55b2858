"""The status-bar widget: online or offline, changes waiting, last sync, the last problem in plain words."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from .controller import SyncView


def tr(text: str) -> str:
    return QCoreApplication.translate("SyncStatus", text)


def when_text(moment: datetime | None, now: datetime | None = None) -> str:
    """“14:02” today, “Mon 14:02” this week, else “3 Mar 14:02”, in local time."""
    if moment is None:
        return tr("never")
    local = moment.astimezone()
    now = (now or datetime.now(timezone.utc)).astimezone()
    if local.date() == now.date():
        layout = tr("HH:mm")
    elif (now.date() - local.date()).days < 7:
        layout = tr("ddd HH:mm")
    else:
        layout = tr("d MMM HH:mm")
    shown = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    return QLocale().toString(shown, layout)  # day and month names in the person's language


def waiting_text(count: int) -> str:
    if count < 0:
        return tr("counting changes…")
    if count == 0:
        return tr("nothing waiting")
    if count == 1:
        return tr("1 change waiting")
    return tr("{n} changes waiting").format(n=count)


def first_sentence(text: str | None, most: int = 70) -> str:
    """The start of a problem's explanation, short enough for the status bar (the rest is in the tooltip)."""
    text = (text or tr("see the Sync page")).strip()
    sentence = text.split(". ")[0].split(": ")[0].rstrip(".")
    if len(sentence) > most:
        sentence = sentence[:most].rsplit(" ", 1)[0] + "…"
    return sentence[:1].lower() + sentence[1:]


def status_texts(view: SyncView) -> tuple[str, str]:
    """(the short status-bar line, the full sentence for the tooltip and screen readers)."""
    waiting = waiting_text(view.unsynced)
    last = tr("last synced {when}").format(when=when_text(view.last_success))
    if view.phase == "starting":
        return tr("Sync: checking…"), tr("Checking the sync status.")
    if view.phase == "not_enrolled":
        short = tr("Not connected to a hub · {waiting}").format(waiting=waiting)
        return short, tr("This laptop is not connected to a hub yet. Open the Sync page to connect. {waiting}.").format(
            waiting=waiting.capitalize())
    if view.phase == "syncing":
        return tr("Syncing… · {waiting}").format(waiting=waiting), tr("Syncing with the hub now.")
    if view.phase == "offline" or view.online is False:
        short = tr("Offline · {waiting} · {last}").format(waiting=waiting, last=last)
        return short, (view.problem or tr("Offline.")) + " " + short
    if view.phase == "problem":
        short = tr("Sync stopped: {why} · {waiting}").format(why=first_sentence(view.problem), waiting=waiting)
        return short, (view.problem or "") + " " + tr("Open the Sync page for what to do.")
    if view.phase == "waiting":
        short = tr("Online · {waiting} · {last}").format(waiting=waiting, last=last)
        return short, short
    short = tr("Synced {when} · {waiting}").format(when=when_text(view.last_success), waiting=waiting)
    if view.problems:
        short += " · " + tr("{n} need attention").format(n=len(view.problems))
    return short, short


class SyncStatusWidget(QWidget):
    """Lives in the status bar; the button starts a sync, clicking the text opens the Sync page."""

    open_sync_page = Signal()
    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatusWidget")
        self.dot = QLabel("●")
        self.dot.setObjectName("syncDot")
        self.dot.setAccessibleName(tr("Sync state"))
        self.label = QLabel()
        self.label.setObjectName("syncStatusText")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.button = QToolButton()
        self.button.setObjectName("syncNowButton")
        self.button.setText(tr("Sync now"))
        self.button.setAccessibleName(tr("Sync now"))
        self.button.setToolTip(tr("Send and receive changes now (F5)"))
        self.button.clicked.connect(self.sync_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.dot)
        row.addWidget(self.label)
        row.addWidget(self.button)
        self.view = SyncView()
        self.show_view(self.view)

    def show_view(self, view: SyncView) -> None:
        self.view = view
        short, full = status_texts(view)
        self.label.setText(short)
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(short) + 6)  # never cut off
        self.label.setToolTip(full)
        self.label.setAccessibleName(tr("Sync status"))
        self.label.setAccessibleDescription(full)
        self.setAccessibleName(full)
        colour = {"synced": "#1b7f3b", "waiting": "#1b5fa8", "syncing": "#1b5fa8", "offline": "#8a6d00",
                  "problem": "#b3261e", "not_enrolled": "#6b6b6b"}.get(view.phase, "#6b6b6b")
        if view.phase == "synced" and view.problems:
            colour = "#b3261e"
        self.dot.setStyleSheet(f"color: {colour};")
        self.dot.setProperty("phase", view.phase)
        self.button.setEnabled(view.phase != "syncing")

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt's name
        self.open_sync_page.emit()
        super().mouseReleaseEvent(event)
