"""The Assets page: find a group, place or service to signpost someone to, or propose one.

On a coordinator's device (``coordinator_identity(store)``, or ``coordinator=True`` as the demo
passes) the page is also where the directory is curated: *Publish* a champion's proposal,
*Edit…* an asset (the proposal form as an edit form), and import and export the directory as
Open Referral UK (``..coordinator.asset_curation``: on a worker of its own, with progress and
Cancel), and import the deprivation file (``..coordinator.deprivation_import``).

Publish and Edit save one record through the page's store, on the GUI thread as the proposal
form does, so the window and sync hear of it at once. An import writes on its own worker's
store, whose notifications do not reach the window: ``data_changed`` says when one did.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..models.asset_table import AssetTableModel, search_assets
from ..widgets.flow_layout import FlowLayout
from ..widgets.propose_asset_dialog import ProposeAssetDialog
from ..widgets.tables import setup_table
from ..workers import StoreWorker

if TYPE_CHECKING:
    from ..coordinator.asset_curation import PathChooser, RunResult, TaskRun
    from ..coordinator.deprivation_import import DeprivationImportDialog

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
    #: An import wrote assets through its own worker's store: lists, counts and sync should look again.
    data_changed = Signal()
    #: A coordinator's import or export ended (its ``RunResult``), after its message is shown.
    curation_finished = Signal(str, object)
    #: A deprivation file was imported (its ``DeprivationImport``): the Dashboard should load again.
    deprivation_imported = Signal(object)

    def __init__(self, store: Any, worker: StoreWorker, parent: QWidget | None = None, *,
                 coordinator: bool | None = None, choose_path: PathChooser | None = None) -> None:
        """``coordinator``: None looks at the enrolment (and again on each refresh, so a device
        enrolled as a coordinator meanwhile gets the actions); ``choose_path``: see asset_curation."""
        super().__init__(parent)
        self.store = store
        self.worker = worker
        self.model = AssetTableModel(self)
        self.dialog: ProposeAssetDialog | None = None
        self.message: QMessageBox | None = None  # the last import's or export's answer
        self.run: TaskRun | None = None  # the import or export running, one at a time
        self.deprivation_dialog: DeprivationImportDialog | None = None
        self._auto_coordinator = coordinator is None
        self.coordinator = False
        self._choose_path = choose_path
        self._keep_id: str | None = None  # the asset to keep selected when the list comes back
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
        # The coordinator's actions: on the selected asset, then on the whole directory.
        self.publish_button = QPushButton()
        self.publish_button.setObjectName("publishButton")
        self.edit_button = QPushButton()
        self.import_button = QPushButton()
        self.export_button = QPushButton()
        self.deprivation_button = QPushButton()
        self.curation_label = QLabel()
        self.curation_label.setObjectName("curationStatus")
        self.curation_label.setWordWrap(True)
        self.curation_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.coordinator_bar = QWidget()
        self.coordinator_bar.setObjectName("coordinatorActions")
        # One row of buttons that wraps (at 200% text on a 1366-pixel screen it does), so none is cut off.
        bar = FlowLayout(self.coordinator_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        for button in (self.publish_button, self.edit_button, self.import_button, self.export_button,
                       self.deprivation_button):
            bar.addWidget(button)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.propose_button)
        search = QHBoxLayout()
        search.addWidget(self.search_label)
        search.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.coordinator_bar)
        layout.addWidget(self.curation_label)
        layout.addLayout(search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.count_label)
        order = [self.publish_button, self.edit_button, self.propose_button, self.import_button, self.export_button,
                 self.deprivation_button, self.search, self.table]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.propose_button.clicked.connect(self.propose)
        self.publish_button.clicked.connect(self.publish_selected)
        self.edit_button.clicked.connect(self.edit_selected)
        self.import_button.clicked.connect(lambda: self.import_open_referral())
        self.export_button.clicked.connect(lambda: self.export_open_referral())
        self.deprivation_button.clicked.connect(self.import_deprivation)
        self.table.activated.connect(lambda index: self.edit_selected() if self.coordinator else None)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter on a row opens it, as in the other lists
            shortcut = QShortcut(QKeySequence(key), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self.edit_selected() if self.coordinator else None)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_details(current.row()))
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_actions())
        self.set_coordinator(bool(coordinator) if coordinator is not None else self._enrolled_as_coordinator())
        self.retranslate()
        self.run_search()

    # -- who is looking -----------------------------------------------------------------
    def _enrolled_as_coordinator(self) -> bool:
        from ..coordinator.install import coordinator_identity

        return coordinator_identity(self.store) is not None

    def set_coordinator(self, coordinator: bool) -> None:
        """Show or hide the coordinator's actions (the demo and a fresh coordinator's enrolment call it)."""
        self.coordinator = coordinator
        self.model.set_coordinator(coordinator)
        for widget in (self.publish_button, self.edit_button, self.coordinator_bar):
            widget.setVisible(coordinator)
        self.curation_label.setVisible(coordinator)
        self._update_actions()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Community assets"))
        self.propose_button.setText(self.tr("&Propose a new asset"))
        self.propose_button.setAccessibleName(self.tr("Propose a new asset"))
        self.search_label.setText(self.tr("&Search:"))
        self.search.setPlaceholderText(self.tr("Name, organisation, neighbourhood or language"))
        self.search.setAccessibleName(self.tr("Search community assets"))
        self.table.setAccessibleName(self.tr("Community assets"))
        self.details.setAccessibleName(self.tr("About the selected asset"))
        texts = {
            self.publish_button: (self.tr("Pu&blish"), self.tr("Publish the selected proposal"),
                                  self.tr("List the selected proposal for every champion; they get it on their next sync")),
            self.edit_button: (self.tr("Ed&it…"), self.tr("Edit the selected asset"),
                               self.tr("Correct the selected asset, or change whether it is listed (Enter)")),
            self.import_button: (self.tr("Import Open &Referral UK…"), self.tr("Import Open Referral UK"),
                                 self.tr("Add and update assets from an Open Referral UK package: a folder with "
                                         "datapackage.json and its CSV tables. Importing it again adds nothing twice.")),
            self.export_button: (self.tr("E&xport Open Referral UK…"), self.tr("Export Open Referral UK"),
                                 self.tr("Save every asset as an Open Referral UK package (datapackage.json and CSV "
                                         "tables) in a folder you choose")),
            self.deprivation_button: (self.tr("Import &deprivation file…"), self.tr("Import deprivation file"),
                                      self.tr("A postcode-to-decile file, so the Dashboard reports conversations by "
                                              "deprivation decile and Core20")),
        }
        for button, (text, name, tip) in texts.items():
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(tip)
        self.coordinator_bar.setAccessibleName(self.tr("The coordinator's actions on the directory"))
        self.curation_label.setAccessibleName(self.tr("The last import or export"))
        self._show_count(self.model.rowCount())

    def run_search(self) -> None:
        self._timer.stop()
        text = self.search.text()
        selected = self.selected_row()
        self._keep_id = selected.id if selected is not None else self._keep_id
        self.worker.submit(lambda store: search_assets(store, text), self._arrived, channel=f"assets-{id(self)}")

    def refresh(self) -> None:
        """Something changed in the store: search again (and look at the enrolment again, if asked to)."""
        if self._auto_coordinator and not self.coordinator and self._enrolled_as_coordinator():
            self.set_coordinator(True)
        self.run_search()

    def _arrived(self, rows: list[Any]) -> None:
        had_focus = self.table.hasFocus()
        self.model.set_rows(rows)
        row = self.model.row_of(self._keep_id)
        self._keep_id = None
        if row >= 0:  # the asset just published or edited stays selected, for the keyboard
            self.table.setCurrentIndex(self.model.index(row, 0))
            if had_focus:
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_details(row)
        self._show_count(len(rows))
        self._update_actions()
        self.loaded.emit(len(rows))

    def _show_count(self, count: int) -> None:
        self.count_label.setText(self.tr("1 asset") if count == 1 else self.tr("{n} assets").format(n=count))

    def _show_details(self, row: int) -> None:
        asset = self.model.row_at(row)
        self.details.setText(asset.description if asset else "")
        self.details.setVisible(bool(asset and asset.description))
        self._update_actions()

    def selected_row(self) -> Any:
        """The highlighted asset row (the one the actions apply to); none until one is chosen."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        row = self.selected_row()
        self.publish_button.setEnabled(row is not None and row.status == "proposed")
        self.edit_button.setEnabled(row is not None)
        idle = self.run is None
        for button in (self.import_button, self.export_button):
            button.setEnabled(idle)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def propose(self) -> ProposeAssetDialog:
        self.dialog = ProposeAssetDialog(self.store, self)
        self.dialog.saved.connect(lambda _id: self.run_search())
        self.dialog.open()
        return self.dialog

    # -- the coordinator's actions on one asset ---------------------------------------------
    def _selected_asset(self) -> Any:
        from ...store import NotFoundError

        row = self.selected_row()
        if row is None:
            return None
        try:
            return self.store.assets.get(row.id)
        except NotFoundError:  # deleted meanwhile (a sync): the list catches up
            self.run_search()
            return None

    def publish_selected(self) -> bool:
        """The selected proposal becomes listed: every champion gets it on their next sync."""
        if not self.coordinator:
            return False
        asset = self._selected_asset()
        if asset is None or asset.status != "proposed":
            return False
        saved = self.store.assets.save(asset.model_copy(update={"status": "active"}))
        self._keep_id = saved.id
        self.curation_label.setText(self.tr("Published “{name}”: the champions get it on their next sync.").format(
            name=saved.name))
        self.run_search()
        return True

    def edit_selected(self) -> ProposeAssetDialog | None:
        if not self.coordinator:
            return None
        asset = self._selected_asset()
        if asset is None:
            return None
        self.dialog = ProposeAssetDialog(self.store, self, asset=asset)

        def saved(asset_id: str) -> None:
            self._keep_id = asset_id
            self.run_search()

        self.dialog.saved.connect(saved)
        self.dialog.open()
        return self.dialog

    # -- the coordinator's actions on the directory ------------------------------------------
    def choose_path(self, purpose: str) -> Path | None:
        from ..coordinator.asset_curation import file_dialog_chooser

        chooser = self._choose_path or file_dialog_chooser(self)
        return chooser(purpose)

    def set_path_chooser(self, chooser: PathChooser | None) -> None:
        self._choose_path = chooser

    def import_open_referral(self, folder: Path | None = None) -> TaskRun | None:
        """Asks for the package's folder (unless given) and imports it on a worker of its own."""
        from ..coordinator.asset_curation import ORUK_IMPORT, import_oruk

        if not self.coordinator or self.run is not None:
            return None
        folder = folder or self.choose_path(ORUK_IMPORT)
        if folder is None:
            return None
        return self._start("import", folder, lambda store, task: import_oruk(store, folder, task),
                           self.tr("Importing community assets"), self.tr("Reading {name}…").format(name=folder.name))

    def export_open_referral(self, folder: Path | None = None) -> TaskRun | None:
        from ..coordinator.asset_curation import ORUK_EXPORT, export_oruk

        if not self.coordinator or self.run is not None:
            return None
        folder = folder or self.choose_path(ORUK_EXPORT)
        if folder is None:
            return None
        return self._start("export", folder, lambda store, task: export_oruk(store, folder, task),
                           self.tr("Exporting community assets"), self.tr("Writing into {name}…").format(name=folder.name))

    def _start(self, what: str, folder: Path, job: Any, title: str, label: str) -> TaskRun:
        from ..coordinator.asset_curation import TaskRun

        self.run = TaskRun(self.store, job, title, label, self)
        self.run.finished.connect(lambda result: self._curation_done(what, folder, result))
        self._update_actions()
        self.curation_label.setText(label)
        return self.run

    def _curation_done(self, what: str, folder: Path, result: RunResult) -> None:
        from ..coordinator.asset_curation import oruk_export_message, oruk_import_message, show_message

        if self.run is not None:
            self.run.deleteLater()
        self.run = None
        self._update_actions()
        if what == "import":
            message = oruk_import_message(result, folder)
            title = self.tr("Import Open Referral UK")
            if result.value is not None and result.value.created + result.value.updated:
                self.run_search()
                self.data_changed.emit()
        else:
            message = oruk_export_message(result, folder)
            title = self.tr("Export Open Referral UK")
        self.curation_label.setText(message.text)
        self.message = show_message(self, title, message)
        self.curation_finished.emit(what, result)

    def import_deprivation(self) -> DeprivationImportDialog:
        """The deprivation file's own small dialog (it stays open to show what was imported)."""
        from ..coordinator.deprivation_import import DeprivationImportDialog

        self.deprivation_dialog = DeprivationImportDialog(self.store, self, choose_path=self._choose_path)
        self.deprivation_dialog.imported.connect(self.deprivation_imported)
        self.deprivation_dialog.open()
        return self.deprivation_dialog

    def shutdown(self) -> None:
        """The window is closing: an import or export running is cancelled and its thread stopped."""
        if self.run is not None:
            self.run.shutdown()
        if self.deprivation_dialog is not None:
            self.deprivation_dialog.shutdown()
