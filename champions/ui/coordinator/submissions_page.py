"""The coordinator's Submissions: every record of the organisation, newest first, to read and correct.

The same filter bar as the Dashboard (plus review state) makes the same ``ReportFilter``, so a
list here and a count there always agree. On this page's own worker thread the records are
read once into ``FactColumns`` (``from_store``: columns only, no records kept, so a million
fit), shared with the Dashboard through the window's ``DeskSource``; a filter change is then
``kept_rows(filter)`` on this page's worker, and the table reads a page of
records from the store only when it shows it (``SubmissionsModel``).

Enter or a double-click opens the record in the champion's own form, to read or correct and
save (a barrier heard on its own too, in ``forms.barrier``). Review states come from ``review_states(store)`` on the
worker, by default ``stored_review_states``: the store's reviews against the records' current
revs (``champions.coordinator.review``). "Mark reviewed" and "Send a query…" write the selected
record's Review on the worker (``review_dialog.review_with``), then move that one record to
its new state in the columns (``FactColumns.set_review_state``) rather than read them all again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...coordinator import ReportFilter
from ...coordinator.columns import FactColumns, KeptRows
from ...coordinator.desk import StoreDesk
from ...coordinator.filters import REVIEW_STATES
from ...coordinator.review import review_states
from ...domain import Review, ReviewNote
from ..widgets.tables import setup_table
from ..widgets.unsent_texts import UnsentTexts
from ..workers import StoreWorker
from .desk_source import DeskSource, ReadsSharedDesk
from .filter_bar import FilterBar
from .install import person_id
from .review_dialog import ReviewDialog, note_author, review_with
from .submissions_model import (
    COLUMN_KEYS,
    COLUMNS,
    ID_ROLE,
    KIND_NAMES,
    KIND_ROLE,
    REVIEW_NAMES,
    REVIEW_ROLE,
    SubmissionsModel,
    champion_label,
)
from .submissions_model import tr as submissions_tr

log = logging.getLogger(__name__)

UNSENT_SETTING = "coordinator.submissions.unsent_queries"  # local only: words typed, not yet sent
FILTER_SETTING = "coordinator.submissions.filter"
REFILTER_DELAY_MS = 120  # arrow keys through a list filter once, at the end
RELOAD_DELAY_MS = 1500  # a sync writes in pages: read the records again once it is quiet
MARK_REVIEWED_KEYS = "Ctrl+Shift+R"
SEND_QUERY_KEYS = "Ctrl+Shift+Q"

ReviewStates = Callable[[Any], Mapping[str, str]]


def no_reviews(_store: Any) -> Mapping[str, str]:
    """Every record "Not reviewed" (for a page that shows no reviews)."""
    return {}


def stored_review_states(store: Any) -> Mapping[str, str]:
    """On the worker: each reviewed record's derived state (docs/design/review.md), from this store."""
    reviews = store.reviews.query()
    return review_states(reviews, store.reviews.current_revs(reviews))


class SubmissionsFilterBar(FilterBar):
    """The Dashboard's filter bar with one more control: the review state."""

    def __init__(self, reference: Any, today: Callable[[], date] = date.today, parent: QWidget | None = None) -> None:
        super().__init__(reference, today, parent)
        self.setObjectName("submissionsFilters")
        self.review = QComboBox()
        self.review.setObjectName("reviewFilter")
        self.review.addItem("", None)
        for state in REVIEW_STATES:
            self.review.addItem("", state)
        label = QLabel()
        label.setBuddy(self.review)
        self.labels["review"] = label
        pair = QWidget()
        row = QHBoxLayout(pair)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(label)
        row.addWidget(self.review)
        flow = self.layout()
        clear = flow.takeAt(flow.count() - 1)  # the Clear button stays last
        flow.addWidget(pair)
        flow.addItem(clear)
        QWidget.setTabOrder(self.champion, self.review)
        QWidget.setTabOrder(self.review, self.clear_button)
        self.review.currentIndexChanged.connect(self._emit)
        self.retranslate()

    def report_filter(self) -> ReportFilter:
        flt = super().report_filter()
        state = self.review.currentData() if hasattr(self, "review") else None
        return replace(flt, review_states=frozenset({state})) if state else flt

    def set_filter(self, flt: ReportFilter) -> None:
        if hasattr(self, "review"):
            with self._silenced():
                state = min(flt.review_states) if flt.review_states else None
                self.review.setCurrentIndex(max(0, self.review.findData(state)) if state else 0)
        super().set_filter(flt)

    def describe(self) -> str:
        text = super().describe()
        if not hasattr(self, "review") or self.review.currentIndex() <= 0:
            return text
        review = self.review.currentText()
        return review if text == self.tr("Everything, all dates") else f"{text}; {review}"

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "review"):
            return  # the base class translates before this control exists
        self.labels["review"].setText(self.tr("Re&view:"))
        self.review.setItemText(0, self.tr("Any review state"))
        for i, state in enumerate(REVIEW_STATES, start=1):
            self.review.setItemText(i, submissions_tr(REVIEW_NAMES[state]))
        self.review.setAccessibleName(self.tr("Review state filter"))


class SubmissionsPage(ReadsSharedDesk, QWidget):
    """``columns`` is what the list filters; ``model`` shows the current filter's records."""

    loaded = Signal()  # the records were read (again)
    filtered = Signal(int)  # the current filter's list is shown: how many records
    opened = Signal(object)  # the form or view opened for a record
    review_saved = Signal(str)  # a review was written (on the worker's connection): the record's id

    def __init__(self, store: Any, events: Any = None, *, champion_names: Mapping[str, str] | None = None,
                 review_states: ReviewStates = stored_review_states, today: Callable[[], date] = date.today,
                 source: DeskSource | None = None, parent: QWidget | None = None) -> None:
        """``source``: the window's shared desk; without one the page reads the records for itself
        (with ``review_states``; a shared source has its own)."""
        super().__init__(parent)
        self.setObjectName("submissionsPage")
        self.store = store
        self.champion_names = dict(champion_names or {})
        self.review_states = review_states
        self.worker = StoreWorker(store, self, name="coordinator-submissions")
        self.model = SubmissionsModel(self.worker, parent=self)
        self.columns: FactColumns | None = None
        self.dialogs: list[QDialog] = []
        self._names: dict[str, str] = {}
        self._loading = False
        self._filtering = False
        self._stale = False
        self._closed = False
        self._keep: str | None = None
        self._unsent = UnsentTexts(store, UNSENT_SETTING, self)  # record id -> a query typed and not sent
        self._writing = False
        self.review_dialog: ReviewDialog | None = None
        self._load_error: BaseException | None = None
        self._own_source = source is None
        self.source = source if source is not None else DeskSource(
            store, self, champion_names=self.champion_names,
            review_states=None if review_states is stored_review_states else review_states)
        self._refilter_timer = QTimer(self)
        self._refilter_timer.setSingleShot(True)
        self._refilter_timer.setInterval(REFILTER_DELAY_MS)
        self._refilter_timer.timeout.connect(self.refilter)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._reload_if_shown)
        self._build(today)
        self._restore_filter()
        self._connect(events)
        self.retranslate()

    # -- building ---------------------------------------------------------------------------
    def _build(self, today: Callable[[], date]) -> None:
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setObjectName("submissionsStatus")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.status, 1)
        self.filters = SubmissionsFilterBar(self.store.reference, today)

        self.table = QTableView()
        self.table.setObjectName("submissionsTable")
        self.table.setModel(self.model)
        stretch = next(i for i, c in enumerate(COLUMNS) if c.stretch)
        setup_table(self.table, [c.sample for c in COLUMNS], stretch)

        self.loading = QWidget()
        self.loading.setObjectName("submissionsLoading")
        self.loading_label = QLabel()
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_label.setWordWrap(True)
        self.loading_bar = QProgressBar()
        self.loading_bar.setObjectName("submissionsProgress")
        self.loading_bar.setRange(0, 0)
        self.loading_bar.setMaximumWidth(420)
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("retrySubmissions")
        self.retry_button.hide()
        box = QVBoxLayout(self.loading)
        box.addStretch(1)
        box.addWidget(self.loading_label)
        box.addWidget(self.loading_bar, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)
        self.body = QStackedWidget()
        self.body.addWidget(self.loading)
        self.body.addWidget(self.table)

        self.count_label = QLabel()
        self.count_label.setObjectName("submissionsCount")
        self.count_label.setWordWrap(True)  # at 200% text the counts wrap rather than widen the window
        self.open_button = QPushButton()
        self.open_button.setObjectName("openSubmission")
        self.open_button.setEnabled(False)
        self.mark_button = QPushButton()
        self.mark_button.setObjectName("markReviewed")
        self.query_button = QPushButton()
        self.query_button.setObjectName("sendQuery")
        for button in (self.mark_button, self.query_button):
            button.setEnabled(False)
        self.mark_shortcut = QShortcut(QKeySequence(MARK_REVIEWED_KEYS), self, activated=self.mark_reviewed)
        self.query_shortcut = QShortcut(QKeySequence(SEND_QUERY_KEYS), self, activated=self.send_query)
        for shortcut in (self.mark_shortcut, self.query_shortcut):
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.review_notice = QLabel()
        self.review_notice.setObjectName("reviewNotice")
        self.review_notice.setWordWrap(True)
        self.review_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.review_notice.hide()
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.open_button)
        footer.addWidget(self.mark_button)
        footer.addWidget(self.query_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.filters)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.review_notice)
        layout.addLayout(footer)
        QWidget.setTabOrder(self.filters.clear_button, self.table)
        QWidget.setTabOrder(self.table, self.open_button)
        QWidget.setTabOrder(self.open_button, self.mark_button)
        QWidget.setTabOrder(self.mark_button, self.query_button)

    def _connect(self, events: Any) -> None:
        self.filters.changed.connect(self._filter_changed)
        self.table.activated.connect(self._open_index)
        self.open_button.clicked.connect(self.open_current)
        self.mark_button.clicked.connect(self.mark_reviewed)
        self.query_button.clicked.connect(self.send_query)
        self.retry_button.clicked.connect(self.reload)
        self.model.loaded.connect(self._list_shown)
        self.model.page_failed.connect(self._page_failed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.source.progressed.connect(self._load_progress)
        self.source.ready.connect(self._desk_ready)
        self.source.failed.connect(self._load_failed)
        if events is not None:
            events.changed.connect(self.store_changed)

    # -- words --------------------------------------------------------------------------------
    def nav_title(self) -> str:
        return self.tr("Submissions")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Submissions"))
        self.filters.retranslate()
        self.table.setAccessibleName(self.tr("Every record of the organisation, newest first"))
        self.table.setAccessibleDescription(self.tr("Press Enter to open the selected record."))
        self.open_button.setText(self.tr("&Open"))
        self.open_button.setAccessibleName(self.tr("Open the selected record"))
        self.mark_button.setText(self.tr("Mar&k reviewed"))
        self.mark_button.setAccessibleName(self.tr("Mark the selected record reviewed"))
        self.mark_button.setToolTip(self.tr("Mark the selected record reviewed ({keys})").format(
            keys=QKeySequence(MARK_REVIEWED_KEYS).toString(QKeySequence.SequenceFormat.NativeText)))
        self.query_button.setText(self.tr("Send a &query…"))
        self.query_button.setAccessibleName(self.tr("Send a query about the selected record to its champion"))
        self.query_button.setToolTip(self.tr("Ask the champion to check something ({keys})").format(
            keys=QKeySequence(SEND_QUERY_KEYS).toString(QKeySequence.SequenceFormat.NativeText)))
        self.retry_button.setText(self.tr("T&ry again"))
        self.retry_button.setAccessibleName(self.tr("Try loading the records again"))
        self.loading_bar.setAccessibleName(self.tr("Loading the records"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._show_state()

    def count_text(self, kept: KeptRows) -> str:
        loc = self.locale()
        counts = kept.counts()
        return self.tr("{total} records: {conversations} conversations, {barriers} barriers logged on their own, "
                       "{activities} outreach activities").format(
            total=loc.toString(len(kept)), conversations=loc.toString(counts["conversation"]),
            barriers=loc.toString(counts["barrier"]), activities=loc.toString(counts["outreach_activity"]))

    def _show_state(self) -> None:
        if self._load_error is not None:
            self.loading_label.setText(self.tr("The records could not be loaded: {why}").format(why=self._load_error))
            self.loading_bar.hide()
            self.retry_button.show()
        else:
            self.loading_label.setText(self.tr("Loading the organisation's records…"))
            self.loading_bar.show()
            self.retry_button.hide()
        self.loading_label.setAccessibleName(self.loading_label.text())
        if self._loading or self._filtering:
            self._set_status(self.tr("Filtering…"))
            self.count_label.setText(self.tr("Counting…"))
        elif self.columns is not None:
            self.count_label.setText(self.count_text(self.model.kept()))
            self._set_status(self.filters.describe())
        self.count_label.setAccessibleName(self.count_label.text())

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleName(text)
        self.status.setToolTip(text)

    # -- loading --------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.columns is None or self._stale:
            self._read()

    def _show_loading(self) -> None:
        if self.columns is None:
            self.body.setCurrentWidget(self.loading)

    def _loaded(self, desk: StoreDesk) -> None:
        self._loading = False
        refresh = self.columns is not None
        self.columns = columns = desk.columns
        self._names = {a: champion_label(a, self.champion_names) for a in columns.authors.values}
        self.filters.set_champions(self._names)
        self.body.setCurrentWidget(self.table)
        self.loaded.emit()
        if refresh:  # keep the selected record selected, and the list as far down
            self._keep = self.current_id()
        self.refilter(keep_position=refresh)

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._load_error = exc
        if self.columns is None:
            self.body.setCurrentWidget(self.loading)
        self._show_state()
        self._set_status(self.tr("The records could not be loaded."))

    def refresh(self) -> None:
        """A sync brought records (written on the sync's own connection, which ``events`` does not hear)."""
        self.store_changed(None)

    # -- filtering --------------------------------------------------------------------------------
    def report_filter(self) -> ReportFilter:
        return self.filters.report_filter()

    def _filter_changed(self) -> None:
        self._save_filter()
        if self.columns is not None:
            self._filtering = True
            self._show_state()
            self._refilter_timer.start()

    def refilter(self, keep_position: bool = False) -> None:
        """The current filter's records on the worker; the newest filter's list is the one shown."""
        self._refilter_timer.stop()
        columns = self.columns
        if columns is None or self._closed:
            return
        self._filtering = True
        self._show_state()
        flt = self.report_filter()
        self.worker.submit(lambda _store: columns.kept_rows(flt),
                           lambda kept: self._filtered(kept, keep_position), self._filter_failed,
                           channel="kept")

    def _filtered(self, kept: KeptRows, keep_position: bool) -> None:
        self._filtering = self._refilter_timer.isActive()
        self.model.set_rows(kept, self._names, keep_position=keep_position)

    def _filter_failed(self, exc: BaseException) -> None:
        self._filtering = False
        self._set_status(self.tr("Filtering failed: {why}").format(why=exc))

    def _list_shown(self, count: int) -> None:
        keep, self._keep = self._keep, None
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and count:
            row = 0  # the newest, so Enter opens something as soon as the table has focus
        if row >= 0:
            self.table.selectRow(row)
        self._show_state()
        self._update_buttons()
        self.filtered.emit(count)

    def _page_failed(self, exc: BaseException) -> None:
        self._set_status(self.tr("Some records could not be read: {why}").format(why=exc))

    def is_busy(self) -> bool:
        return (self._loading or self._filtering or self._refilter_timer.isActive() or self.worker.is_busy()
                or self.model.is_loading_rows())

    # -- opening ------------------------------------------------------------------------------------
    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), index.parent()):
            return None
        return index.data(ID_ROLE)

    def _update_buttons(self) -> None:
        chosen = self.current_id() is not None
        self.open_button.setEnabled(chosen)
        self.mark_button.setEnabled(chosen and not self._writing)
        self.query_button.setEnabled(chosen and not self._writing)

    def _open_index(self, index: Any) -> None:
        record_id, kind = index.data(ID_ROLE), index.data(KIND_ROLE)
        if record_id and kind:
            self.open_record(kind, record_id)

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if self.current_id() is not None:
            self._open_index(index)

    def open_record(self, kind: str, record_id: str) -> QDialog | None:
        """The champion's own form for the record, to read, or correct and save."""
        parent = self.window()
        try:
            from ..forms import open_form

            dialog: QDialog = open_form(parent, self.store, kind, record_id)
        except Exception as exc:  # noqa: BLE001 - a record that cannot be opened is told, never silent
            log.exception("opening %s %s failed", kind, record_id)
            self._set_status(self.tr("The record could not be opened: {why}").format(why=exc))
            return None
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        shell_dialogs = getattr(parent, "dialogs", None)
        if isinstance(shell_dialogs, list):  # the main window asks about unsaved work in them on closing
            shell_dialogs.append(dialog)
        self.opened.emit(dialog)
        return dialog

    # -- reviewing ------------------------------------------------------------------------------------
    def _target(self) -> tuple[str, str, str] | None:
        """The selected record: its kind, id and a line that says which it is."""
        index = self.table.currentIndex()
        record_id = self.current_id()
        if record_id is None:
            return None
        kind = index.data(KIND_ROLE)
        row = index.row()

        def cell(key: str) -> str:
            return self.model.index(row, COLUMN_KEYS.index(key)).data() or ""

        parts = [submissions_tr(KIND_NAMES[kind]), cell("when"), cell("neighbourhood"), cell("champion")]
        return kind, record_id, ", ".join(p for p in parts if p)

    def mark_reviewed(self) -> None:
        """The selected record reviewed at the version shown; any earlier comments stay with it."""
        target = self._target()
        if target is None or self._writing:
            return
        kind, record_id, about = target
        self._write(lambda store: review_with(store, kind, record_id, "reviewed"),
                    lambda review: self._reviewed(review, self.tr("Marked as reviewed: {about}.").format(about=about)),
                    lambda exc: self._tell(self.tr("It could not be marked reviewed: {why}").format(why=exc)))

    def send_query(self) -> None:
        """Read the record's thread on the worker, then open the comment box for a query."""
        target = self._target()
        if target is None or self._writing:
            return
        if self.review_dialog is not None and self.review_dialog.isVisible():
            self.review_dialog.raise_()
            self.review_dialog.activateWindow()
            return
        kind, record_id, about = target
        state = submissions_tr(REVIEW_NAMES.get(self.table.currentIndex().data(REVIEW_ROLE), "Not reviewed"))

        def read(store: Any) -> tuple[Review | None, str | None]:
            return store.reviews.for_subject(record_id), person_id(store)

        self.worker.submit(read, lambda got: self._open_query(kind, record_id, about, state, *got),
                           lambda exc: self._tell(self.tr("The record's review could not be read: {why}").format(why=exc)))

    def _open_query(self, kind: str, record_id: str, about: str, state: str, review: Review | None,
                    me: str | None) -> None:
        if self._closed:
            return
        notes = review.notes if review is not None and not review.deleted else []
        names = self.champion_names
        dialog = ReviewDialog(self.window(), note_kind="query", about=about, notes=notes,
                              who=lambda note: note_author(note, names, me), text=self._unsent.get(record_id),
                              state=state)
        dialog.comment.textChanged.connect(lambda: self._unsent.keep(record_id, dialog.comment.toPlainText()))
        dialog.submitted.connect(lambda text: self._send_query(dialog, kind, record_id, about, text))
        dialog.rejected.connect(lambda: self._keep_unsent(dialog, record_id))
        self.review_dialog = dialog
        dialog.open_in(self.window())

    def _keep_unsent(self, dialog: ReviewDialog, record_id: str) -> None:
        text = dialog.comment.toPlainText()
        self._unsent.keep(record_id, text, now=True)
        if text.strip():
            self._tell(self.tr("The query was not sent. What you typed is kept: press Send a query again to finish it."))

    def _send_query(self, dialog: ReviewDialog, kind: str, record_id: str, about: str, text: str) -> None:
        note = ReviewNote(note_kind="query", text=text)

        def sent(review: Review) -> None:
            self._unsent.drop(record_id)
            dialog.accept()
            self._reviewed(review, self.tr("Query sent: {about}. The champion sees it after their next sync.").format(about=about))

        def failed(exc: BaseException) -> None:
            dialog.show_problem(self.tr("The query could not be saved: {why}. It is still here; try again.").format(why=exc))

        self._write(lambda store: review_with(store, kind, record_id, "queried", note), sent, failed)

    def _write(self, job: Callable[[Any], Any], done: Callable[[Any], None],
               failed: Callable[[BaseException], None]) -> None:
        """One review write at a time, on the worker; the buttons wait for it."""
        self._writing = True
        self._update_buttons()

        def finish(then: Callable[[Any], None]) -> Callable[[Any], None]:
            def run(value: Any) -> None:
                self._writing = False
                self._update_buttons()
                then(value)
            return run

        self.worker.submit(job, finish(done), finish(failed))

    def _reviewed(self, review: Review, message: str) -> None:
        """Say what was done, and move the record to its new review state in the columns (on the
        worker, a few milliseconds even at a million records), so the Review column and filter
        show it at once. Only while a load is under way are the records read again after it."""
        self._tell(message)
        self.review_saved.emit(review.subject_id)
        columns = self.columns
        if columns is None or self._loading:
            self.source.invalidate()  # a read under way may have started before this review was written
            self._stale = True
            self._reload_timer.start()
            return
        states = self.review_states

        def job(store: Any) -> bool:
            if states is stored_review_states:  # this one record's state, not every review's again
                found = review_states([review], store.reviews.current_revs([review]))
            else:
                found = states(store)
            return columns.set_review_state(review.subject_id, found.get(review.subject_id, "unreviewed"))

        def done(moved: bool) -> None:
            if not moved:  # not in these columns (it came after they were read): read them again
                self.reload()
                return
            self._keep = self.current_id()
            self.refilter(keep_position=True)
            self.source.moved_review(review.subject_id)

        def failed(exc: BaseException) -> None:
            log.warning("the review could not be shown in place (%s); reading the records again", type(exc).__name__)
            self.reload()

        self.worker.submit(job, done, failed)

    def _tell(self, message: str) -> None:
        self.review_notice.setText(message)
        self.review_notice.setAccessibleName(message)
        self.review_notice.setVisible(bool(message))

    # -- keeping the filter -----------------------------------------------------------------------
    def _restore_filter(self) -> None:
        try:
            saved = self.store.settings.get(FILTER_SETTING)
            if saved:
                flt = ReportFilter.from_dict(saved)
                # The champions are listed once the records are read; offer the kept one already.
                self.filters.set_champions({a: champion_label(a, self.champion_names) for a in flt.champions})
                self.filters.set_filter(flt)
        except Exception:  # noqa: BLE001 - an unreadable saved filter only means starting afresh
            log.exception("the saved submissions filter could not be read")

    def _save_filter(self) -> None:
        try:
            self.store.settings.set(FILTER_SETTING, self.report_filter().to_dict())
        except Exception:  # noqa: BLE001 - not keeping the filter must never stop the list
            log.exception("the submissions filter could not be kept")

    # -- closing -----------------------------------------------------------------------------------
    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.review_dialog is not None:
            self.review_dialog.let_go()
        self._refilter_timer.stop()
        self._reload_timer.stop()
        self.worker.close()
        if self._own_source:
            self.source.shutdown()
