"""A dashboard ``Table`` as a Qt model: the numbers beside each chart, read out and copied as they are.

The model shows exactly the rows ``champions.coordinator`` computed (the chart is drawn from
the same ``Table``), so what a coordinator reads, hears from a screen reader and pastes into
a spreadsheet can never disagree with the chart. ``RAW_ROLE`` gives the cell's value
unformatted, for tests and for charts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QLocale, QModelIndex, QPersistentModelIndex, Qt

from ...coordinator.dashboard import NOT_RECORDED, Table
from ...domain import ADDRESSED, INTENTIONS

RAW_ROLE = Qt.ItemDataRole.UserRole + 1
CONTEXT = "DashboardTable"  # headers and titles come from champions.coordinator in English

_Index = QModelIndex | QPersistentModelIndex
_EMPTY = Table("", (), ())
# Fixed English words the non-Qt layer puts in cells (not list labels, which are data).
_FIXED_WORDS = frozenset({NOT_RECORDED, "Total", "Group", "Detail", "Core20", "No PLUS group recorded",
                          "Most deprived 20% of areas (deprivation decile 1 or 2)",
                          "Not known (no postcode district, or not in the imported file)",
                          *INTENTIONS.values(), *ADDRESSED.values()})


def translated(text: str) -> str:
    """The non-Qt layer's English words, offered to translators under one context."""
    return QCoreApplication.translate(CONTEXT, text) if text else text


def format_cell(value: Any, locale: QLocale | None = None) -> str:
    """Whole numbers with thousands separators, hours and percentages with what they need."""
    locale = locale or QLocale()
    if value is None:
        return ""
    if isinstance(value, bool):
        return QCoreApplication.translate(CONTEXT, "Yes") if value else QCoreApplication.translate(CONTEXT, "No")
    if isinstance(value, int):
        return locale.toString(value)
    if isinstance(value, float):
        text = locale.toString(value, "f", 2)
        point = locale.decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text
    if isinstance(value, str) and value in _FIXED_WORDS:
        return translated(value)
    return value if isinstance(value, str) else str(value)


class DashboardTableModel(QAbstractTableModel):
    """Read-only; ``set_table`` swaps the whole table (a recount), which views handle as a reset."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: Table = _EMPTY
        self._locale = QLocale()

    @property
    def table(self) -> Table:
        return self._table

    def set_table(self, table: Table) -> None:
        if table == self._table:
            return
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def as_tsv(self) -> str:
        return self._table.as_tsv() if self._table.columns else ""

    # -- Qt's model interface ---------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's name
        return 0 if parent.isValid() else len(self._table.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._table.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._table.rows) or index.column() >= len(self._table.columns):
            return None
        value = self._table.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return format_cell(value, self._locale)
        if role == RAW_ROLE:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._table.columns) and role in (
                    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
                return translated(self._table.columns[section])
            if role == RAW_ROLE and 0 <= section < len(self._table.columns):
                return self._table.keys[section] if section < len(self._table.keys) else self._table.columns[section]
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._table.rows):
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


