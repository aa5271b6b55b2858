"""A searchable, filterable list of one kind of record (conversations or outreach).

The search box and filters make a ``Query``; the model runs it on the worker thread
and pages rows in as the table scrolls. Typing is debounced so each key press does not
start a search, and the newest search always wins.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...store import Query
from ..models.record_table import ID_ROLE, RecordTableModel
from ..forms.labels import domain_tr
from ..models.rows import Column
from ..widgets.date_filter import NO_DATE, DateFilterEdit
from ..widgets.flow_layout import FlowLayout
from ..widgets.tables import setup_table
from ..workers import StoreWorker

SEARCH_DELAY_MS = 300


class RecordListPage(QWidget):
    """Shared by the Conversations and Outreach pages; subclasses say what they list."""

    open_requested = Signal(str)  # record id
    new_requested = Signal()
    delete_requested = Signal(str)  # record id

    repo_name = ""
    columns: tuple[Column, ...] = ()
    with_barrier_filter = False
    with_kind_filter = False

    def __init__(self, store: Any, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.worker = worker
        self.model = RecordTableModel(worker, self.repo_name, self.columns, parent=self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self._keep: tuple[str | None, int] = (None, -1)
        self._build()
        self._connect()
        self.retranslate()
        self.run_search()

    # -- texts a subclass gives ---------------------------------------------------
    def title_text(self) -> str:
        raise NotImplementedError

    def new_text(self) -> str:
        raise NotImplementedError

    def count_text(self, count: int) -> str:
        raise NotImplementedError

    def search_hint(self) -> str:
        return self.tr("Words from notes or quotes")

    def what(self) -> str:
        """The kind of record in a sentence, e.g. "conversation", for undo and messages."""
        raise NotImplementedError

    # -- building -----------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.new_button = QPushButton()
        self.new_button.setObjectName("primaryButton")

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("Words from notes or quotes") + 40)

        self.since = DateFilterEdit()
        self.until = DateFilterEdit()
        self.neighbourhood = QComboBox()
        self.barrier = QComboBox()
        self.barrier.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.barrier.setMinimumContentsLength(20)
        self.kind = QComboBox()
        self.sync_state = QComboBox()
        self.clear_button = QPushButton()

        self.table = QTableView()
        self.table.setModel(self.model)
        self._size_columns()

        self.count_label = QLabel()
        self.open_button = QPushButton()
        self.delete_button = QPushButton()

        self.delete_action = QAction(self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.delete_action)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.new_button)

        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.since_label = QLabel()
        self.until_label = QLabel()
        self.neighbourhood_label = QLabel()
        self.barrier_label = QLabel()
        self.kind_label = QLabel()
        self.sync_label = QLabel()
        filters = QWidget()
        filters.setObjectName("filterBar")
        flow = FlowLayout(filters)
        flow.setContentsMargins(0, 0, 0, 0)
        for label, field in (
            (self.search_label, self.search),
            (self.since_label, self.since),
            (self.until_label, self.until),
            (self.neighbourhood_label, self.neighbourhood),
            (self.barrier_label, self.barrier),
            (self.kind_label, self.kind),
            (self.sync_label, self.sync_state),
        ):
            label.setBuddy(field)
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(4)
            row.addWidget(label)
            row.addWidget(field)
            flow.addWidget(pair)
            if not ((field is not self.barrier or self.with_barrier_filter) and (field is not self.kind or self.with_kind_filter)):
                pair.hide()  # hide(), not setVisible(True) before it has a parent: that flashed it as a window
        flow.addWidget(self.clear_button)

        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        footer.addWidget(self.open_button)
        footer.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        for first, second in (
            (self.new_button, self.search),
            (self.search, self.since),
            (self.since, self.until),
            (self.until, self.neighbourhood),
            (self.neighbourhood, self.barrier),
            (self.barrier, self.kind),
            (self.kind, self.sync_state),
            (self.sync_state, self.clear_button),
            (self.clear_button, self.table),
            (self.table, self.open_button),
            (self.open_button, self.delete_button),
        ):
            QWidget.setTabOrder(first, second)
        self._fill_choices()

    def _size_columns(self) -> None:
        stretch = next((i for i, c in enumerate(self.columns) if c.stretch), None)
        setup_table(self.table, [c.sample for c in self.columns], stretch)

    def _fill_choices(self) -> None:
        ref = self.store.reference
        self.neighbourhood.clear()
        self.neighbourhood.addItem("", None)
        for item in ref.items("neighbourhood"):
            self.neighbourhood.addItem(domain_tr(item.label), item.code)
        self.barrier.clear()
        self.barrier.addItem("", None)
        for group in ref.groups("barrier"):
            self.barrier.addItem(domain_tr(group.label), f"domain:{group.code}")
            for item in ref.items("barrier"):
                if item.group == group.code:
                    self.barrier.addItem("    " + domain_tr(item.label), f"code:{item.code}")
        self.sync_state.clear()
        for state in (None, "waiting", "synced", "rejected", "conflict"):
            self.sync_state.addItem("", state)
        self.kind.clear()
        self.kind.addItem("", None)
        for item in ref.items("activity_kind"):
            self.kind.addItem(domain_tr(item.label), item.code)

    def _connect(self) -> None:
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.run_search)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: self.run_search())
        for combo in (self.neighbourhood, self.barrier, self.kind, self.sync_state):
            combo.currentIndexChanged.connect(lambda _i: self.run_search())
        self.clear_button.clicked.connect(self.clear_filters)
        self.new_button.clicked.connect(self.new_requested)
        self.table.activated.connect(self._open_index)
        self.open_button.clicked.connect(self.open_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.delete_action.triggered.connect(self.delete_current)
        self.model.loaded.connect(self._loaded)
        self.model.first_rows.connect(self._first_rows)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

    def retranslate(self) -> None:
        self.title.setText(self.title_text())
        self.new_button.setText(self.new_text())
        self.new_button.setAccessibleName(self.new_text().replace("&", ""))
        self.search_label.setText(self.tr("&Search:"))
        self.search.setPlaceholderText(self.search_hint())
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setAccessibleDescription(self.search_hint())
        self.since_label.setText(self.tr("F&rom:"))
        self.until_label.setText(self.tr("&To:"))
        for edit, name in ((self.since, self.tr("From date")), (self.until, self.tr("To date"))):
            edit.setSpecialValueText(self.tr("Any date"))
            edit.setAccessibleName(name)
        self.neighbourhood_label.setText(self.tr("Neig&hbourhood:"))
        self.neighbourhood.setItemText(0, self.tr("All neighbourhoods"))
        self.neighbourhood.setAccessibleName(self.tr("Neighbourhood filter"))
        self.barrier_label.setText(self.tr("&Barrier:"))
        self.barrier.setItemText(0, self.tr("Any barrier"))
        self.barrier.setAccessibleName(self.tr("Barrier filter"))
        self.kind_label.setText(self.tr("&Kind:"))
        self.kind.setItemText(0, self.tr("Any kind"))
        self.kind.setAccessibleName(self.tr("Kind of activity filter"))
        self.sync_label.setText(self.tr("S&ync:"))
        for i, text in enumerate((
            self.tr("Any sync state"), self.tr("Waiting to sync"), self.tr("Synced"), self.tr("Rejected"), self.tr("Needs a decision")
        )):
            self.sync_state.setItemText(i, text)
        self.sync_state.setAccessibleName(self.tr("Sync state filter"))
        self.clear_button.setText(self.tr("C&lear filters"))
        self.clear_button.setAccessibleName(self.tr("Clear filters"))
        self.table.setAccessibleName(self.title_text())
        self.open_button.setText(self.tr("&Open"))
        self.open_button.setAccessibleName(self.tr("Open the selected {what}").format(what=self.what()))
        self.delete_button.setText(self.tr("&Delete"))
        self.delete_button.setAccessibleName(self.tr("Delete the selected {what}").format(what=self.what()))
        self.delete_action.setText(self.tr("Delete"))
        self._loaded(self.model.total())

    # -- searching ------------------------------------------------------------------
    def current_query(self) -> Any:
        fields: dict[str, Any] = {}
        text = self.search.text().strip()
        if text:
            fields["text"] = text
        if self.since.date() != NO_DATE:
            fields["since"] = _start_of(self.since.date())
        if self.until.date() != NO_DATE:
            fields["until"] = _start_of(self.until.date().addDays(1))  # until is exclusive
        if self.neighbourhood.currentData():
            fields["neighbourhood"] = self.neighbourhood.currentData()
        barrier = self.barrier.currentData() if self.with_barrier_filter else None
        if barrier:
            kind, code = barrier.split(":", 1)
            fields["barrier_domain" if kind == "domain" else "barrier_code"] = code
        state = self.sync_state.currentData()
        if state:
            fields["sync_state"] = ("pending", "sending") if state == "waiting" else state
        if self.with_kind_filter and self.kind.currentData():
            fields["activity_kind"] = self.kind.currentData()
        return Query(**fields)

    def run_search(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.current_query())

    def refresh(self) -> None:
        """Search again after a change, keeping the selected row (or its neighbour) selected."""
        index = self.table.currentIndex()
        self._keep = (self.current_id(), index.row() if index.isValid() else -1)
        self.model.refresh()

    def clear_filters(self) -> None:
        widgets = (self.search, self.since, self.until, self.neighbourhood, self.barrier, self.kind, self.sync_state)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        self.since.setDate(NO_DATE)
        self.until.setDate(NO_DATE)
        for combo in (self.neighbourhood, self.barrier, self.kind, self.sync_state):
            combo.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        self.run_search()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _first_rows(self) -> None:
        self.count_label.setText(self.tr("Counting…"))
        self._update_buttons()

    def _loaded(self, count: int) -> None:
        self.count_label.setText(self.count_text(count))
        bar = self.table.verticalScrollBar()
        if bar.value() == bar.maximum() and self.model.canFetchMore(QModelIndex()):
            # Scrolled to the bottom of the first page before the rest of the list was in: the
            # view only asks for more when the bar moves, so ask now rather than leave them stuck.
            self.model.fetchMore(QModelIndex())
        keep_id, keep_row = self._keep
        self._keep = (None, -1)
        row = self.model.row_of(keep_id) if keep_id else -1
        if row < 0 and keep_row >= 0:
            row = min(keep_row, self.model.rowCount() - 1)
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    # -- acting on rows -------------------------------------------------------------
    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), index.parent()):
            return None
        return index.data(ID_ROLE)

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _open_index(self, index: Any) -> None:
        record_id = index.data(ID_ROLE)
        if record_id:
            self.open_requested.emit(record_id)

    def open_current(self) -> None:
        record_id = self.current_id()
        if record_id:
            self.open_requested.emit(record_id)

    def delete_current(self) -> None:
        record_id = self.current_id()
        if record_id:
            self.delete_requested.emit(record_id)


def _start_of(day: QDate) -> datetime:
    """Midnight at the start of a local day, as an aware datetime."""
    return datetime.combine(day.toPython(), time()).astimezone()
