"""The comment box of the review flow (docs/design/review.md): a coordinator's query, a champion's reply.

One small dialog for both, because both are "write a comment on this record, seeing what was
said before". It never writes to the store itself: ``submitted(text)`` asks its owner to write
on the owner's worker thread, and the owner then calls ``accept()`` or ``show_problem(...)``, so
a failed write leaves the dialog open with the text as typed. An empty comment is refused here
with the domain's own words (``ReviewNote``'s validation), and nothing typed is lost.

``review_with`` and ``reply_with`` build the Review to save; they run on a worker thread and take
the worker's store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from pydantic import ValidationError

from ...domain import Review, ReviewNote, explain
from ..forms.labels import domain_tr
from ..models.rows import when_text

CONTEXT = "ReviewDialog"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


# -- building the review (on a worker thread) --------------------------------------------------------
def review_with(store: Any, kind: str, record_id: str, state: str, note: ReviewNote | None = None) -> Review:
    """The record's review set to ``state`` at the record's current rev, keeping every earlier note.

    One review per record (``review_id``): an existing one (even a withdrawn one) is built on, so
    the thread of queries and replies stays whole.
    """
    record = store.repository(kind).get(record_id)
    existing = store.reviews.for_subject(record_id)
    notes = [*(existing.notes if existing else []), *([note] if note else [])]
    envelope: dict[str, Any] = {}
    if existing is not None:
        envelope = existing.model_dump(include={"id", "org_id", "author_id", "device_id", "created_at",
                                                "updated_at", "rev"})
    return store.reviews.save(Review.of(record, state, *notes, **envelope, deleted=False))  # type: ignore[arg-type]


def reply_with(store: Any, review_id: str, text: str) -> Review:
    """A champion's reply appended to the review, everything else as the hub sent it (the hub's rule)."""
    review = store.reviews.get(review_id)
    reply = ReviewNote(note_kind="reply", text=text)
    return store.reviews.save(review.model_copy(update={"notes": [*review.notes, reply]}))


def note_author(note: ReviewNote, names: Mapping[str, str], me: str | None) -> str:
    """Who wrote a note, in words: "You", a known name, or the role its kind implies."""
    if note.author_id is None or (me is not None and note.author_id == me):
        return tr("You")  # written on this device and not yet through the hub, which stamps the author
    if note.author_id in names:
        return names[note.author_id]
    return tr("The coordinator") if note.note_kind in ("query", "note") else tr("The champion")


def thread_html(notes: Sequence[ReviewNote], who: Callable[[ReviewNote], str]) -> str:
    """The thread so far, oldest first, as simple rich text (every value escaped)."""
    if not notes:
        return f"<p><i>{escape(tr('Nothing has been asked about this record yet.'))}</i></p>"
    verbs = {"query": tr("{who} asked, {when}:"), "reply": tr("{who} replied, {when}:"),
             "note": tr("{who} noted, {when}:")}
    parts = []
    for note in notes:
        head = verbs.get(note.note_kind, verbs["note"]).format(who=who(note), when=when_text(note.written_at))
        body = escape(note.text).replace("\n", "<br>")
        parts.append(f"<p style='margin-bottom:2px'><b>{escape(head)}</b></p><p style='margin-top:0'>{body}</p>")
    return "".join(parts)


# -- the dialog -------------------------------------------------------------------------------------
class ReviewDialog(QDialog):
    """``note_kind`` "query" (the coordinator's) or "reply" (the champion's)."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None, *, note_kind: str, about: str, notes: Sequence[ReviewNote] = (),
                 who: Callable[[ReviewNote], str] | None = None, text: str = "", state: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.note_kind = note_kind
        self.asking: QMessageBox | None = None
        self._let_go = False  # the person chose to close without sending, or the app is shutting down
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setSizeGripEnabled(True)
        query = note_kind == "query"
        self.setWindowTitle(self.tr("Send a query") if query else self.tr("Reply to your coordinator"))

        self.about = QLabel(about)
        self.about.setObjectName("reviewAbout")
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        self.about.setAccessibleName(self.tr("The record: {about}").format(about=about))
        font = self.about.font()
        font.setBold(True)
        self.about.setFont(font)
        self.state = QLabel(self.tr("Review so far: {state}").format(state=state))
        self.state.setObjectName("reviewState")
        self.state.setAccessibleName(self.state.text())
        self.state.setVisible(bool(state))

        self.thread_label = QLabel(self.tr("&Earlier comments:"))
        self.thread = QTextBrowser()
        self.thread.setObjectName("reviewThread")
        self.thread.setOpenLinks(False)
        self.thread.setHtml(thread_html(notes, who or (lambda n: note_author(n, {}, None))))
        self.thread.setAccessibleName(self.tr("Earlier comments"))
        self.thread.setAccessibleDescription(self.thread.toPlainText())
        self.thread.setTabChangesFocus(True)
        lines = self.thread.fontMetrics().lineSpacing()
        self.thread.setMinimumHeight(lines * 5)
        self.thread_label.setBuddy(self.thread)

        self.comment_label = QLabel(self.tr("Your &query for the champion:") if query else self.tr("Your &reply:"))
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("reviewComment")
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText(
            self.tr("For example: Which pharmacy did you signpost to?") if query
            else self.tr("For example: I have added the pharmacy to the record."))
        self.comment.setAccessibleName(self.tr("Your query for the champion") if query else self.tr("Your reply"))
        self.comment.setMinimumHeight(lines * 5)
        self.comment.setPlainText(text)
        self.comment_label.setBuddy(self.comment)

        self.problem = QLabel()
        self.problem.setObjectName("reviewProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("QLabel#reviewProblem { color: #b00020; font-weight: 600; }")
        self.problem.hide()

        self.hint = QLabel(self.tr("The champion sees it after their next sync, and answers by editing the record.")
                           if query else self.tr("Your coordinator sees it after your next sync."))
        self.hint.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.send_button = QPushButton(self.tr("&Send query") if query else self.tr("&Send reply"))
        self.send_button.setObjectName("primaryButton")
        self.send_button.setAccessibleName(self.tr("Send the query") if query else self.tr("Send the reply"))
        self.send_button.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self.send_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.send)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self.send)

        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.state)
        layout.addWidget(self.thread_label)
        layout.addWidget(self.thread, 2)
        layout.addWidget(self.comment_label)
        layout.addWidget(self.comment, 2)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.comment, self.send_button)
        QWidget.setTabOrder(self.send_button, self.cancel_button)
        QWidget.setTabOrder(self.cancel_button, self.thread)
        self.resize(max(560, self.sizeHint().width()), max(460, self.sizeHint().height()))
        self.comment.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_in(self, window: QWidget) -> None:
        """Show it, kept in the main window's ``dialogs`` so closing the window asks about unsent text."""
        shell_dialogs = getattr(window, "dialogs", None)
        if isinstance(shell_dialogs, list):
            shell_dialogs.append(self)
        self.show()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing the window (the app quitting) with a comment typed asks first, as the forms do."""
        if self._let_go or not self.text() or not self.send_button.isEnabled():
            event.accept()
            return
        event.ignore()
        self.ask_before_closing()

    def ask_before_closing(self) -> QMessageBox:
        if self.asking is not None:
            return self.asking
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Not sent yet"))
        box.setText(self.tr("Send what you typed before closing?"))
        box.setInformativeText(self.tr("If you close without sending, it is not sent, and it is gone once "
                                       "Champions closes."))
        send = box.addButton(self.tr("Send"), QMessageBox.ButtonRole.AcceptRole)
        lose = box.addButton(self.tr("Close without sending"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep writing"), QMessageBox.ButtonRole.RejectRole)
        for button in (send, lose, keep):
            button.setAccessibleName(button.text())
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAccessibleName(box.text())

        def answered(button: Any) -> None:
            self.asking = None
            if button is send:
                self.send()
            elif button is lose:
                self.let_go()

        box.buttonClicked.connect(answered)
        box.finished.connect(lambda _r: setattr(self, "asking", None))
        self.asking = box
        box.open()
        return box

    def let_go(self) -> None:
        """Close now, asking nothing (the owner keeps the text if it wants it)."""
        self._let_go = True
        if self.asking is not None:
            self.asking.close()
        self.reject()

    def done(self, result: int) -> None:
        super().done(result)
        owner = self.parentWidget()  # the keyboard goes back to the list or page the box came from
        if owner is not None:
            owner.window().activateWindow()

    def text(self) -> str:
        return self.comment.toPlainText().strip()

    def send(self) -> None:
        """Check the comment with the domain's rule, then ask the owner to write it."""
        if not self.send_button.isEnabled():
            return  # a write is under way
        try:
            ReviewNote(note_kind=self.note_kind, text=self.text())  # type: ignore[arg-type]
        except ValidationError as error:
            self.show_problem(explain(error, ReviewNote)[0].translated(domain_tr))
            return
        self.problem.hide()
        self.send_button.setEnabled(False)
        self.submitted.emit(self.text())

    def show_problem(self, message: str) -> None:
        """Say what is wrong and stay open with the text as typed."""
        self.problem.setText(message)
        self.problem.setAccessibleName(message)
        self.problem.show()
        self.send_button.setEnabled(True)
        self.comment.setFocus(Qt.FocusReason.OtherFocusReason)
