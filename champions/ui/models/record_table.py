"""A table over a million records that stays smooth: it holds ids, not rows.

Like Anki's browser model, the model keeps only the ordered ids of the current search
(newest first) and a cache of built rows. Rows are exposed to the view in pages through
``canFetchMore``/``fetchMore`` as the user scrolls, and a page's cells are built on the
worker thread the first time the view asks for one of its rows (DB Browser for SQLite's
chunk loading). ``data()`` never touches the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ..workers import StoreWorker
from .id_list import IdList
from .rows import CONTEXT, Column, Row, build_rows

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SYNC_STATE_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def sync_text(state: str, reason: str) -> str:
    """The sync column in words: waiting, synced, or rejected with the hub's reason."""
    tr = QCoreApplication.translate
    if state in ("pending", "waiting"):
        return tr("SyncState", "Waiting to sync")
    if state == "sending":
        return tr("SyncState", "Sending…")
    if state == "synced":
        return tr("SyncState", "Synced")
    if state == "rejected":
        return tr("SyncState", "Rejected: {reason}").format(reason=reason) if reason else tr("SyncState", "Rejected")
    if state == "conflict":
        return tr("SyncState", "Needs a decision")
    return state


class RecordTableModel(QAbstractTableModel):
    """Rows of one repository (conversations, activities) for a ``Query``; lazy and off-thread."""

    loaded = Signal(int)  # a search finished: the number of matching records
    first_rows = Signal()  # the first page of a search is in; the whole list is still coming
    rows_ready = Signal()  # a page of cells arrived
    page_failed = Signal(object)  # building a page failed; the error, for the status bar

    def __init__(
        self,
        worker: StoreWorker,
        repo_name: str,
        columns: Sequence[Column],
        page_size: int = PAGE_SIZE,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._repo_name = repo_name
        self._columns = tuple(columns)
        self._page_size = page_size
        self._ids: IdList = IdList()
        self._exposed = 0
        self._rows: dict[str, Row] = {}
        self._requested: set[int] = set()
        self._arrived: set[int] = set()
        self._generation = 0
        self._query: Any = None
        self._searching = False

    # -- searching ----------------------------------------------------------------
    def set_query(self, query: Any, keep_position: bool = False) -> None:
        """Run the search in the background; the newest search wins.

        A new search comes in two steps: the first page of ids (an index walk, milliseconds
        even over a million records) so rows show at once, then the whole ordered id list for
        scrolling and the count. A refresh keeps the scroll position, so it waits for the whole list.
        """
        self._query = query
        self._searching = True
        repo_name = self._repo_name
        channel = f"{repo_name}-ids-{id(self)}"
        if keep_position:
            self._worker.submit(
                lambda store: IdList.of(getattr(store, repo_name), query),
                lambda ids: self._set_ids(ids, keep_position=True, complete=True),
                channel=channel,
            )
            return
        first = replace(query, limit=self._page_size, offset=0)

        def first_page_arrived(ids: IdList) -> None:
            self._set_ids(ids, keep_position=False, complete=len(ids) < self._page_size)
            if self._searching:  # more may follow: fetch them all, still on this channel
                self._worker.submit(
                    lambda store: IdList.of(getattr(store, repo_name), query), self._all_ids_arrived, channel=channel
                )

        self._worker.submit(lambda store: IdList.of(getattr(store, repo_name), first), first_page_arrived,
                            channel=channel)

    def refresh(self) -> None:
        """Search again after a change in the store, keeping how far the user has scrolled."""
        if self._query is not None:
            self.set_query(self._query, keep_position=True)

    def is_searching(self) -> bool:
        """True until the whole id list of the newest search is in (the count is known)."""
        return self._searching

    def query(self) -> Any:
        return self._query

    def total(self) -> int:
        return len(self._ids)

    def _set_ids(self, ids: IdList, keep_position: bool, complete: bool) -> None:
        self._searching = not complete
        exposed = max(self._exposed, self._page_size) if keep_position else self._page_size
        self.beginResetModel()
        self._generation += 1
        self._ids = ids
        self._exposed = min(len(self._ids), exposed)
        self._rows = {}
        self._requested = set()
        self._arrived = set()
        self.endResetModel()
        if self._exposed:
            self._request_page(0)  # ask now, rather than wait for the view to paint
        if complete:
            self.loaded.emit(len(self._ids))
        else:
            self.first_rows.emit()

    def _all_ids_arrived(self, ids: IdList) -> None:
        """The rest of the list: the rows on screen stay as they are when they still lead it."""
        if not ids.leads_with(self._ids[: self._exposed]):
            self._set_ids(ids, keep_position=False, complete=True)
            return
        self._ids = ids
        self._searching = False
        self.loaded.emit(len(self._ids))

    # -- paging -------------------------------------------------------------------
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._exposed < len(self._ids)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        """Expose more rows: a page at first, then as many again, so reaching the end of a
        million takes a dozen inserts, not five thousand. Only the first new page is built now;
        the others are built when the view paints them."""
        if parent.isValid():
            return
        more = min(max(self._page_size, self._exposed), len(self._ids) - self._exposed)
        if more <= 0:
            return
        first = self._exposed
        self.beginInsertRows(QModelIndex(), first, first + more - 1)
        self._exposed += more
        self.endInsertRows()
        self._request_page(first // self._page_size)

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        start = page * self._page_size
        ids = self._ids[start : start + self._page_size]
        generation = self._generation
        repo_name, columns = self._repo_name, self._columns
        self._worker.submit(
            lambda store: build_rows(store, repo_name, ids, columns),
            lambda rows: self._page_arrived(generation, page, rows),
            lambda exc: self._page_failed(generation, page, exc),
        )

    def _page_failed(self, generation: int, page: int, exc: BaseException) -> None:
        """Forget the request so the page is asked for again the next time it is shown."""
        if generation == self._generation:
            self._requested.discard(page)
        self.page_failed.emit(exc)

    def _page_arrived(self, generation: int, page: int, rows: dict[str, Row]) -> None:
        if generation != self._generation:
            return  # the search changed while the page was being built
        self._rows.update(rows)
        self._arrived.add(page)
        first = page * self._page_size
        last = min(first + self._page_size, self._exposed) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self._columns) - 1))
        self.rows_ready.emit()

    def is_loading_rows(self) -> bool:
        return bool(self._requested - self._arrived)

    # -- the model ----------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._exposed

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate(CONTEXT, self._columns[section].title)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(self._alignment(section))
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and 0 <= section < self._exposed:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def _alignment(self, column: int) -> Qt.AlignmentFlag:
        horizontal = Qt.AlignmentFlag.AlignRight if self._columns[column].numeric else Qt.AlignmentFlag.AlignLeft
        return horizontal | Qt.AlignmentFlag.AlignVCenter

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self._exposed) or not (0 <= index.column() < len(self._columns)):
            return None
        record_id = self._ids[index.row()]
        if role == ID_ROLE:
            return record_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._alignment(index.column()))
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole, SYNC_STATE_ROLE):
            return None
        row = self._rows.get(record_id)
        if row is None:
            self._request_page(index.row() // self._page_size)
            if role == SYNC_STATE_ROLE:
                return None
            return QCoreApplication.translate("RecordTableModel", "Loading…") if index.column() == 0 else ""
        if role == SYNC_STATE_ROLE:
            return row.sync_state
        column = self._columns[index.column()]
        if column.cell is None:
            return sync_text(row.sync_state, row.sync_reason)
        return row.cells[index.column()]

    # -- helpers for the page ---------------------------------------------------------
    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < self._exposed else None

    def row_of(self, record_id: str) -> int:
        """The row of an id among the exposed rows, or -1."""
        try:
            return self._ids.index(record_id, 0, self._exposed)
        except ValueError:
            return -1

    def columns(self) -> tuple[Column, ...]:
        return self._columns
