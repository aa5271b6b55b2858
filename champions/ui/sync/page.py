"""The Sync page: who this laptop is on the hub, the sync status, and what needs the champion.

Records the hub refused are listed with the hub's reason and what to do; records that conflict
with a change made on the hub are listed with the fields both sides changed, and the champion
keeps their version or the hub's (the other stays on the hub: nothing is lost). "Export for my
coordinator" writes unsynced work to a file, for a revoked laptop or weeks without a connection.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .controller import ProblemRow, SyncView
from .enrol_dialog import EnrolDialog, role_word
from .messages import sync_message
from .status import status_texts, waiting_text


OPENABLE = ("conversation", "outreach_activity")
"""Kinds the window has a form for. A champion cannot change a community asset once proposed,
nor the shared lists: for those the advice is what the champion can do instead."""


def what_to_do(row: ProblemRow) -> str:
    tr = QCoreApplication.translate
    if row.state == "conflict":
        return tr("SyncPage", "Someone changed this record on the hub too. Keep your version or the hub's; "
                              "the other stays on the hub.")
    if row.kind in OPENABLE:
        return tr("SyncPage", "Open the record, correct it and save it: it will be sent again. "
                              "If you are not sure, ask your coordinator.")
    if row.kind == "community_asset":
        return tr("SyncPage", "A proposed asset cannot be changed on this laptop. Tell your coordinator what it "
                              "should say: they can correct and publish it on the hub. “Export for my "
                              "coordinator” gives them this version as a file.")
    return tr("SyncPage", "The shared lists are kept by your coordinator. Tell them about this item: they can add or "
                          "correct it on the hub. “Export for my coordinator” gives them this version as a file.")


def has_unsynced_work(view: SyncView) -> bool:
    """Anything the hub has not taken: waiting changes, and refused or conflicting records."""
    return view.unsynced > 0 or bool(view.problems)


class SyncPage(QWidget):
    """Drop-in for the shell's placeholder page (keeps its ``set_unsynced`` and ``retranslate``)."""

    open_record = Signal(str, str)  # kind, record id

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("syncPage")
        self.view = controller.view
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.who = QLabel()
        self.who.setObjectName("syncWho")
        self.who.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("syncPageStatus")
        self.status.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("syncProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.sync_button = QPushButton()
        self.sync_button.setObjectName("syncPageSyncNow")
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("enrolButton")
        self.sign_out_button = QPushButton()
        self.sign_out_button.setObjectName("signOutButton")
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportForCoordinator")
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.enrol_button, self.sign_out_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.problems_title = QLabel()
        self.problems_title.setObjectName("problemsTitle")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("syncProblems")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.keep_mine_button = QPushButton()
        self.keep_mine_button.setObjectName("keepMine")
        self.keep_theirs_button = QPushButton()
        self.keep_theirs_button.setObjectName("keepTheirs")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openProblemRecord")
        choice = QHBoxLayout()
        for button in (self.keep_mine_button, self.keep_theirs_button, self.open_button):
            choice.addWidget(button)
        choice.addStretch(1)
        self.export_message = QLabel()
        self.export_message.setObjectName("exportMessage")
        self.export_message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.who)
        layout.addWidget(self.status)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addWidget(self.export_message)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.table, 1)
        layout.addLayout(choice)

        self.sync_button.clicked.connect(lambda: controller.sync_now())
        self.enrol_button.clicked.connect(self.open_enrol_dialog)
        self.sign_out_button.clicked.connect(lambda: controller.sign_out())
        self.export_button.clicked.connect(self.export)
        self.keep_mine_button.clicked.connect(lambda: self._keep("mine"))
        self.keep_theirs_button.clicked.connect(lambda: self._keep("theirs"))
        self.open_button.clicked.connect(self._open)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        controller.view_changed.connect(self.show_view)
        self.enrol_dialog: EnrolDialog | None = None
        self.retranslate()

    # ---- the shell's interface --------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Sync"))
        for button, text in ((self.sync_button, self.tr("Sync &now")),
                             (self.enrol_button, self.tr("&Connect to a hub…")),
                             (self.sign_out_button, self.tr("Sign &out of the hub")),
                             (self.export_button, self.tr("E&xport for my coordinator…")),
                             (self.keep_mine_button, self.tr("Keep &my version")),
                             (self.keep_theirs_button, self.tr("Keep the hub's &version")),
                             (self.open_button, self.tr("Open the &record"))):
            button.setText(text)
            button.setAccessibleName(text.replace("&", "").replace("…", ""))
        self.table.setHorizontalHeaderLabels([self.tr("Record"), self.tr("Problem"), self.tr("What you can do")])
        self.table.setAccessibleName(self.tr("Records that need you"))
        self.show_view(self.view)

    def set_unsynced(self, count: int) -> None:
        """The shell tells every page the waiting count; the controller's view already has it."""

    # ---- showing ----------------------------------------------------------------------------

    def show_view(self, view: SyncView) -> None:
        self.view = view
        identity = view.identity
        if identity is None:
            self.who.setText(self.tr("This laptop is not connected to a hub. Everything you log is kept safely on it; "
                                     "connect with the invite code from your coordinator to send it."))
        else:
            self.who.setText(self.tr("Connected to {org} as {person} ({role}), on {hub}.").format(
                org=identity.org_name, person=identity.person_name,
                role=role_word(identity.role), hub=identity.hub_url))
        short, _full = status_texts(view)
        self.status.setText(short)
        self.status.setAccessibleName(short)
        self.problem.setText(view.problem or "")
        self.problem.setVisible(bool(view.problem))
        self.enrol_button.setVisible(identity is None or view.problem_kind in ("DeviceRevoked", "NotEnrolled"))
        self.sign_out_button.setVisible(identity is not None)
        self.sync_button.setEnabled(view.phase != "syncing" and identity is not None)
        self.export_button.setEnabled(identity is not None and has_unsynced_work(view))
        self.export_button.setDefault(view.problem_kind == "DeviceRevoked")
        self.problems_title.setText(self.tr("Records that need you: {n}").format(n=len(view.problems))
                                    if view.problems else self.tr("No record needs you. {waiting}.").format(
                                        waiting=waiting_text(view.unsynced).capitalize()))
        self._fill(view.problems)

    def _fill(self, rows: tuple[ProblemRow, ...]) -> None:
        selected = self.selected()
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            reason = row.reason
            if row.state == "conflict" and row.fields:
                reason = self.tr("Changed here and on the hub: {fields}.").format(fields=", ".join(row.fields))
            for column, text in enumerate((row.title, reason, what_to_do(row))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row)
                item.setToolTip(text)
                self.table.setItem(index, column, item)
            if selected is not None and selected.record_id == row.record_id:
                self.table.selectRow(index)
        self.table.resizeRowsToContents()
        self._selection_changed()

    def selected(self) -> ProblemRow | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _selection_changed(self) -> None:
        row = self.selected()
        conflict = row is not None and row.state == "conflict"
        self.keep_mine_button.setEnabled(conflict)
        self.keep_theirs_button.setEnabled(conflict)
        self.open_button.setEnabled(row is not None and row.kind in OPENABLE)

    # ---- actions ---------------------------------------------------------------------------

    def _keep(self, which: str) -> None:
        row = self.selected()
        if row is not None and row.state == "conflict":
            self.controller.keep(row.record_id, which)

    def _open(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_record.emit(row.kind, row.record_id)

    def open_enrol_dialog(self) -> EnrolDialog:
        from champions.config import load_settings

        try:
            preset = load_settings().settings.hub_url or ""
        except Exception:  # noqa: BLE001 - a broken config only loses the pre-filled address
            preset = ""
        self.enrol_dialog = EnrolDialog(self.controller, preset, self)
        self.enrol_dialog.open()
        return self.enrol_dialog

    def export(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export for my coordinator"),
                                                  "champions-for-coordinator.zip", self.tr("Zip files (*.zip)"))
        if not path:
            return
        self.export_message.setText(self.tr("Writing the file…"))
        self.controller.export_for_coordinator(
            path,
            lambda n: self.export_message.setText(self.tr(
                "Saved {n} changes to {path}. Give this file to your coordinator; the hub takes each change once, "
                "even if the file is imported twice.").format(n=n, path=path)),
            lambda exc: self.export_message.setText(self.tr("The file could not be written: {why}").format(
                why=sync_message(exc))),
        )
