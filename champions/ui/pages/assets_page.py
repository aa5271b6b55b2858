"""The Assets page: find a group, place or service to signpost someone to, or propose one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..models.asset_table import AssetTableModel, search_assets
from ..widgets.propose_asset_dialog import ProposeAssetDialog
from ..widgets.tables import setup_table
from ..workers import StoreWorker

SEARCH_DELAY_MS = 250
_SAMPLES = (
    "Walk-in vaccination clinic, Birkenhead",
    "Hoylake and West Kirby Food bank",
    "Hoylake and West Kirby",
    "English, Portuguese",
    "Mon-Fri 9:00-17:00",
    "Proposed, waiting for the coordinator",
)


class AssetsPage(QWidget):
    loaded = Signal(int)

    def __init__(self, store: Any, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.worker = worker
        self.model = AssetTableModel(self)
        self.dialog: ProposeAssetDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.propose_button = QPushButton()
        self.propose_button.setObjectName("primaryButton")
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_table(self.table, _SAMPLES, stretch=0)
        self.details = QLabel()
        self.details.setObjectName("assetDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_label = QLabel()

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.propose_button)
        search = QHBoxLayout()
        search.addWidget(self.search_label)
        search.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.count_label)
        QWidget.setTabOrder(self.propose_button, self.search)
        QWidget.setTabOrder(self.search, self.table)

        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.propose_button.clicked.connect(self.propose)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_details(current.row()))
        self.retranslate()
        self.run_search()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Community assets"))
        self.propose_button.setText(self.tr("&Propose a new asset"))
        self.propose_button.setAccessibleName(self.tr("Propose a new asset"))
        self.search_label.setText(self.tr("&Search:"))
        self.search.setPlaceholderText(self.tr("Name, organisation, neighbourhood or language"))
        self.search.setAccessibleName(self.tr("Search community assets"))
        self.table.setAccessibleName(self.tr("Community assets"))
        self.details.setAccessibleName(self.tr("About the selected asset"))
        self._show_count(self.model.rowCount())

    def run_search(self) -> None:
        self._timer.stop()
        text = self.search.text()
        self.worker.submit(lambda store: search_assets(store, text), self._arrived, channel=f"assets-{id(self)}")

    refresh = run_search

    def _arrived(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self._show_details(-1)
        self._show_count(len(rows))
        self.loaded.emit(len(rows))

    def _show_count(self, count: int) -> None:
        self.count_label.setText(self.tr("1 asset") if count == 1 else self.tr("{n} assets").format(n=count))

    def _show_details(self, row: int) -> None:
        asset = self.model.row_at(row)
        self.details.setText(asset.description if asset else "")
        self.details.setVisible(bool(asset and asset.description))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def propose(self) -> ProposeAssetDialog:
        self.dialog = ProposeAssetDialog(self.store, self)
        self.dialog.saved.connect(lambda _id: self.run_search())
        self.dialog.open()
        return self.dialog
