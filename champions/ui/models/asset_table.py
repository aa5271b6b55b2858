"""Community assets to signpost people to: a few hundred at most, so held whole.

The search runs on the worker thread over name, organisation, description,
neighbourhood, languages and categories; the model only shows the prepared rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from .record_table import ID_ROLE
from ..forms.labels import ref_label
from .rows import CONTEXT

_Index = QModelIndex | QPersistentModelIndex

ASSET_COLUMNS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("Columns", "Name"),
    QT_TRANSLATE_NOOP("Columns", "Organisation"),
    QT_TRANSLATE_NOOP("Columns", "Neighbourhood"),
    QT_TRANSLATE_NOOP("Columns", "Languages"),
    QT_TRANSLATE_NOOP("Columns", "Opening times"),
    QT_TRANSLATE_NOOP("Columns", "Status"),
)
_STATUS = {
    "active": QT_TRANSLATE_NOOP("AssetStatus", "Listed"),
    "proposed": QT_TRANSLATE_NOOP("AssetStatus", "Proposed, waiting for the coordinator"),
    "inactive": QT_TRANSLATE_NOOP("AssetStatus", "No longer running"),
}
# The coordinator is the one who checks a proposal: the words say what to do with it.
_STATUS_FOR_COORDINATOR = {**_STATUS, "proposed": QT_TRANSLATE_NOOP("AssetStatus", "Proposed: check it, then publish")}


@dataclass(frozen=True)
class AssetRow:
    id: str
    cells: tuple[str, str, str, str, str]
    status: str
    description: str
    haystack: str  # lower-cased text the search looks in


def asset_row(asset: Any, ref: Any) -> AssetRow:
    neighbourhood = ref_label(ref, "neighbourhood", asset.neighbourhood) if asset.neighbourhood else ""
    languages = ", ".join(ref_label(ref, "language", code) for code in asset.languages)
    cells = (asset.name, asset.organization.name, neighbourhood, languages, asset.opening_times)
    haystack = " ".join(
        (*cells, asset.description, asset.location.postcode, asset.location.city, " ".join(asset.taxonomy_terms))
    ).casefold()
    return AssetRow(asset.id, cells, asset.status, asset.description, haystack)


def search_assets(store: Any, text: str) -> list[AssetRow]:
    """Runs on the worker thread: every live asset whose text holds all the words typed."""
    from ...store import Query

    ref = store.reference
    words = text.casefold().split()
    rows = [asset_row(a, ref) for a in store.assets.query(Query())]
    rows = [r for r in rows if all(w in r.haystack for w in words)]
    rows.sort(key=lambda r: (r.status != "proposed", r.cells[0].casefold()))
    return rows


class AssetTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AssetRow] = []
        self._status_words = _STATUS

    def set_coordinator(self, coordinator: bool) -> None:
        """A coordinator reads "Proposed: check it, then publish" where a champion reads "waiting"."""
        self._status_words = _STATUS_FOR_COORDINATOR if coordinator else _STATUS
        if self._rows:
            last = len(ASSET_COLUMNS) - 1
            self.dataChanged.emit(self.index(0, last), self.index(len(self._rows) - 1, last))

    def set_rows(self, rows: list[AssetRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ASSET_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(ASSET_COLUMNS):
            return QCoreApplication.translate(CONTEXT, ASSET_COLUMNS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (0 <= index.column() < len(ASSET_COLUMNS)):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() == len(ASSET_COLUMNS) - 1:
                return QCoreApplication.translate("AssetStatus", self._status_words.get(row.status, row.status))
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.description or None
        return None

    def row_at(self, row: int) -> AssetRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, asset_id: str | None) -> int:
        """The row showing this asset, or -1 (to keep the selection on it after a refresh)."""
        return next((n for n, r in enumerate(self._rows) if r.id == asset_id), -1)
