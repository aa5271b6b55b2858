"""Every record of the organisation in one table, newest first, for the coordinator's Submissions page.

Built like ``champions.ui.models.record_table`` (after Anki's browser): the model holds only
what ``FactColumns.kept_rows`` gives for the current filter (ids, kinds, review states and
authors, as parallel lists) and a cache of built rows. Rows are exposed to the view in pages
(``canFetchMore``/``fetchMore``), and a page's cells are read from the store and made into text
on the worker thread the first time the view shows one of its rows. ``data()`` never touches the
store. The kind and review columns come from the lists themselves, so they show at once.

Conversations, standalone barriers and outreach activities live in three repositories; a page
reads each kind's ids from its own one and puts them back in the list's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ...coordinator.columns import KeptRows
from ..forms.labels import ref_label
from ..models.rows import sentence, when_text
from ..workers import StoreWorker

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
REVIEW_ROLE = Qt.ItemDataRole.UserRole + 3
CONTEXT = "Submissions"

KIND_NAMES = {
    "conversation": QT_TRANSLATE_NOOP("Submissions", "Conversation"),
    "barrier": QT_TRANSLATE_NOOP("Submissions", "Barrier"),
    "outreach_activity": QT_TRANSLATE_NOOP("Submissions", "Outreach"),
}
# The review states' words live in champions.coordinator (English); offered to translators here.
REVIEW_NAMES = {
    "unreviewed": QT_TRANSLATE_NOOP("Submissions", "Not reviewed"),
    "reviewed": QT_TRANSLATE_NOOP("Submissions", "Reviewed"),
    "queried": QT_TRANSLATE_NOOP("Submissions", "Query sent"),
    "answered": QT_TRANSLATE_NOOP("Submissions", "Query answered"),
}

_Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


@dataclass(frozen=True)
class SubmissionColumn:
    key: str
    title: str  # source text in the "Submissions" context
    sample: str  # typical longest text, to size the column from the font
    numeric: bool = False
    stretch: bool = False


COLUMNS: tuple[SubmissionColumn, ...] = (
    SubmissionColumn("when", QT_TRANSLATE_NOOP("Submissions", "When"), "Wed 30 Sep 2026, 23:59"),
    SubmissionColumn("kind", QT_TRANSLATE_NOOP("Submissions", "Kind"), "Conversation"),
    SubmissionColumn("champion", QT_TRANSLATE_NOOP("Submissions", "Champion"), "Champion 0190abcd"),
    SubmissionColumn("neighbourhood", QT_TRANSLATE_NOOP("Submissions", "Neighbourhood"), "Hoylake and West Kirby"),
    SubmissionColumn("summary", QT_TRANSLATE_NOOP("Submissions", "What was heard or done"),
                     "Worried about side effects or safety", stretch=True),
    SubmissionColumn("people", QT_TRANSLATE_NOOP("Submissions", "People"), "People", numeric=True),
    SubmissionColumn("review", QT_TRANSLATE_NOOP("Submissions", "Review"), "Query answered"),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


def champion_label(author_id: str | None, names: Mapping[str, str]) -> str:
    """A champion by name when the desk knows it, else by the start of their id (as the Dashboard does)."""
    if not author_id:
        return tr("This device")  # logged here and not yet through the hub, which stamps the author
    name = names.get(author_id)
    return name if name else tr("Champion {id}").format(id=author_id[:8])


def summary_text(record: Any, ref: Any) -> str:
    """One line that says what the record is about, whatever its kind."""
    if record.kind == "conversation":
        if not record.barriers:
            return tr("No barriers recorded")
        return sentence("; ".join(ref_label(ref, "barrier", b.code) for b in record.barriers))
    if record.kind == "barrier":
        label = sentence(ref_label(ref, "barrier", record.code))
        return tr("{barrier}: “{quote}”").format(barrier=label, quote=record.quote) if record.quote else label
    kind = sentence(ref_label(ref, "activity_kind", record.activity_kind))
    return f"{kind} ({', '.join(record.partners)})" if record.partners else kind


def record_cells(record: Any, ref: Any, names: Mapping[str, str]) -> dict[str, str]:
    people = getattr(record, "people_reached", None)
    return {
        "when": when_text(record.occurred_at),
        "champion": champion_label(record.author_id, names),
        "neighbourhood": ref_label(ref, "neighbourhood", record.neighbourhood) if record.neighbourhood else "",
        "summary": summary_text(record, ref),
        "people": "" if people is None else str(people),
    }


def build_page(store: Any, ids: Sequence[str], kinds: Sequence[str],
               names: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Runs on the worker thread: each kind's records from its repository, made into text."""
    ref = store.reference
    by_kind: dict[str, list[str]] = {}
    for record_id, kind in zip(ids, kinds):
        by_kind.setdefault(kind, []).append(record_id)
    rows: dict[str, dict[str, str]] = {}
    for kind, wanted in by_kind.items():
        for record in store.repository(kind).get_many(wanted):
            rows[record.id] = record_cells(record, ref, names)
    return rows


class SubmissionsModel(QAbstractTableModel):
    """Read-only. ``set_rows`` swaps the filter's list (a reset); pages of cells arrive by themselves."""

    loaded = Signal(int)  # a new list is in: how many records the filter keeps
    rows_ready = Signal()  # a page of cells arrived
    page_failed = Signal(object)  # reading a page failed (the error); asked again when next shown

    def __init__(self, worker: StoreWorker, page_size: int = PAGE_SIZE, parent: Any = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._page_size = page_size
        self._kept = KeptRows([], [], [], [])
        self._names: Mapping[str, str] = {}
        self._exposed = 0
        self._rows: dict[str, dict[str, str]] = {}
        self._requested: set[int] = set()
        self._arrived: set[int] = set()
        self._generation = 0

    # -- the list --------------------------------------------------------------------
    def set_rows(self, kept: KeptRows, names: Mapping[str, str] | None = None, keep_position: bool = False) -> None:
        """Show a filter's records; with ``keep_position`` (a reload after a sync) as far down as before."""
        exposed = max(self._exposed, self._page_size) if keep_position else self._page_size
        self.beginResetModel()
        self._generation += 1
        self._kept = kept
        if names is not None:
            self._names = dict(names)
        self._exposed = min(len(kept), exposed)
        self._rows = {}
        self._requested = set()
        self._arrived = set()
        self.endResetModel()
        if self._exposed:
            self._request_page(0)  # ask now, rather than wait for the view to paint
        self.loaded.emit(len(kept))

    def kept(self) -> KeptRows:
        return self._kept

    def total(self) -> int:
        return len(self._kept)

    def ids(self) -> list[str]:
        return self._kept.ids

    # -- paging ------------------------------------------------------------------------
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802 - Qt's signature
        return not parent.isValid() and self._exposed < len(self._kept)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802
        """A page at first, then as many again, so reaching the end of a million is a dozen inserts."""
        if parent.isValid():
            return
        more = min(max(self._page_size, self._exposed), len(self._kept) - self._exposed)
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
        ids = self._kept.ids[start:start + self._page_size]
        kinds = self._kept.kinds[start:start + self._page_size]
        generation, names = self._generation, self._names
        self._worker.submit(
            lambda store: build_page(store, ids, kinds, names),
            lambda rows: self._page_arrived(generation, page, rows),
            lambda exc: self._page_failed(generation, page, exc),
        )

    def _page_failed(self, generation: int, page: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._requested.discard(page)
        self.page_failed.emit(exc)

    def _page_arrived(self, generation: int, page: int, rows: dict[str, dict[str, str]]) -> None:
        if generation != self._generation:
            return  # the filter changed while the page was being read
        self._rows.update(rows)
        self._arrived.add(page)
        first = page * self._page_size
        last = min(first + self._page_size, self._exposed) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.rows_ready.emit()

    def is_loading_rows(self) -> bool:
        return bool(self._requested - self._arrived)

    # -- Qt's model interface ----------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._exposed

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return tr(COLUMNS[section].title)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(self._alignment(section))
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < self._exposed:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def _alignment(self, column: int) -> Qt.AlignmentFlag:
        horizontal = Qt.AlignmentFlag.AlignRight if COLUMNS[column].numeric else Qt.AlignmentFlag.AlignLeft
        return horizontal | Qt.AlignmentFlag.AlignVCenter

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not (0 <= row < self._exposed) or not (0 <= column < len(COLUMNS)):
            return None
        kept = self._kept
        if role == ID_ROLE:
            return kept.ids[row]
        if role == KIND_ROLE:
            return kept.kinds[row]
        if role == REVIEW_ROLE:
            return kept.review_states[row]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._alignment(column))
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        key = COLUMN_KEYS[column]
        if key == "kind":
            return tr(KIND_NAMES[kept.kinds[row]])
        if key == "review":
            return tr(REVIEW_NAMES.get(kept.review_states[row], "Not reviewed"))
        cells = self._rows.get(kept.ids[row])
        if cells is None:
            self._request_page(row // self._page_size)
            return tr("Loading…") if key == "when" else ""
        return cells[key]

    # -- helpers for the page -------------------------------------------------------------------
    def id_at(self, row: int) -> str | None:
        return self._kept.ids[row] if 0 <= row < self._exposed else None

    def kind_at(self, row: int) -> str | None:
        return self._kept.kinds[row] if 0 <= row < self._exposed else None

    def row_of(self, record_id: str) -> int:
        """The row of an id among the exposed rows, or -1."""
        try:
            return self._kept.ids.index(record_id, 0, self._exposed)
        except ValueError:
            return -1
