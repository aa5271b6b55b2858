"""The main window: navigation, the five pages, menus with shortcuts, and the status bar.

The window holds the main ``Store`` for small writes made by the person (a delete, an
undo) and two background workers with their own stores for everything that reads a
lot: one for the lists, one for Home and counts, so a long search never delays the
status bar. Store changes arrive through ``StoreEvents`` and refresh what is shown.

Pages not in ``EAGER_PAGES`` (Assets, and the coordinator's Dashboard) stand in the stack as a
``PendingPage`` and are imported and built the first time they are shown or used (``page(key)``,
the ``assets`` and ``dashboard`` properties), so the window appears sooner; their navigation row
and Ctrl+number shortcut are there from the start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from .coordinator.install import install_coordinator
from .diagnostics_action import install_diagnostics
from .pages.home_page import HomePage
from .pages.sync_page import SyncPage
from .widgets.undo import DeleteRecord
from .workers import StoreEvents, StoreWorker

if TYPE_CHECKING:
    from .pages.assets_page import AssetsPage
    from .pages.conversations_page import ConversationsPage
    from .pages.outreach_page import OutreachPage
    from .pages.record_list_page import RecordListPage

log = logging.getLogger(__name__)

PAGES = ("home", "conversations", "outreach", "assets", "sync")
#: Built with the window; every other page is built the first time it is shown or used.
#: Conversations and Outreach could wait too, but RecordListPage calls ``setVisible(True)`` on
#: its filter rows before they have a parent, which shows each as a window for a moment: built
#: while the main window is on screen, that takes the focus (and the activation) away from it.
EAGER_PAGES = ("home", "conversations", "outreach", "sync")
UNDO_VISIBLE_MS = 15_000
REFRESH_DELAY_MS = 150


def _forms() -> Any:
    """The entry forms live in ``champions.ui.forms``; the shell still runs if they are missing."""
    try:
        from . import forms
    except ImportError:  # pragma: no cover - only while the forms are being built
        log.exception("the entry forms could not be loaded")
        return None
    return forms


def scale_font(widget: QWidget, factor: float, bold: bool = False) -> None:
    """Sizes relative to the person's font, so 200% system text scales everything."""
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(round(font.pixelSize() * factor))
    font.setBold(bold)
    widget.setFont(font)


class PendingPage(QWidget):
    """Holds a page's place in the stack until it is first shown; it names itself for the navigation."""

    def __init__(self, key: str, nav_title: Callable[[], str] | None = None) -> None:
        super().__init__()
        self.setObjectName(f"pending_{key}")
        self._nav_title = nav_title

    def nav_title(self) -> str:
        return self._nav_title() if self._nav_title is not None else ""

    def retranslate(self) -> None:
        """Nothing shown yet; the real page is translated when it is built."""


class MainWindow(QMainWindow):
    unsynced_changed = Signal(int)
    #: The store changed through another connection (a sync's pull, an import) whose writes the
    #: window's ``events`` do not hear (``changed_elsewhere``). Coordinator pages listen.
    data_changed = Signal()

    def __init__(self, store: Any, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.demo = demo
        self.unsynced = -1
        self.page_keys: list[str] = list(PAGES)  # and any page added later (see add_page)
        self.dialogs: list[QDialog] = []
        self._shutdown_hooks: list[Callable[[], None]] = []  # what plugged-in parts stop (on_shutdown)
        self._pending: dict[str, Callable[[], QWidget]] = {}  # key -> builds the page on first use
        self.setObjectName("mainWindow")
        self.worker = StoreWorker(store, self, name="lists")
        self.counter = StoreWorker(store, self, name="counts")
        self.events = StoreEvents(store, self)
        self.undo_stack = QUndoStack(self)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_VISIBLE_MS)

        self._build_pages()
        self._build_navigation()
        self._build_actions()
        self._build_status_bar()
        self._scale_fonts()
        self._connect()
        self.retranslate()
        install_coordinator(self)
        install_diagnostics(self)  # Help > Copy diagnostics
        self.go_to("home")
        self.refresh_counts()
        self.resize(1280, 760)
        self.home.new_conversation_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- building -----------------------------------------------------------------
    def _build_pages(self) -> None:
        self.home = HomePage(self.store, self.counter)
        self.sync = SyncPage()
        makers: dict[str, Callable[[], QWidget]] = {
            "home": lambda: self.home,
            "conversations": self._make_conversations,
            "outreach": self._make_outreach,
            "assets": self._make_assets,
            "sync": lambda: self.sync,
        }
        self.pages: dict[str, QWidget] = {}
        self.stack = QStackedWidget()
        for key in PAGES:
            if key in EAGER_PAGES:
                self.pages[key] = makers[key]()
                self._connect_page(key, self.pages[key])
            else:
                self.pages[key] = PendingPage(key)
                self._pending[key] = makers[key]
            self.stack.addWidget(self.pages[key])

    def _make_conversations(self) -> QWidget:
        from .pages.conversations_page import ConversationsPage

        return ConversationsPage(self.store, self.worker)

    def _make_outreach(self) -> QWidget:
        from .pages.outreach_page import OutreachPage

        return OutreachPage(self.store, self.worker)

    def _make_assets(self) -> QWidget:
        from .pages.assets_page import AssetsPage

        # The demo shows a coordinator's actions; otherwise the page looks at the enrolment itself.
        return AssetsPage(self.store, self.worker, coordinator=True if self.demo else None)

    @property
    def conversations(self) -> ConversationsPage:
        return self.page("conversations")  # type: ignore[return-value]

    @property
    def outreach(self) -> OutreachPage:
        return self.page("outreach")  # type: ignore[return-value]

    @property
    def assets(self) -> AssetsPage:
        return self.page("assets")  # type: ignore[return-value]

    @property
    def dashboard(self) -> QWidget:
        """The coordinator's Dashboard, built on first use; only on a coordinator's device (and in the demo)."""
        if "dashboard" not in self.pages:
            raise AttributeError("dashboard")
        return self.page("dashboard")

    def is_built(self, key: str) -> bool:
        return key in self.pages and key not in self._pending

    def page(self, key: str) -> QWidget:
        """The page for ``key``, built now (in its placeholder's place) if this is its first use."""
        factory = self._pending.pop(key, None)
        if factory is None:
            return self.pages[key]
        return self._install_page(key, factory)

    def _install_page(self, key: str, factory: Callable[[], QWidget]) -> QWidget:
        placeholder = self.pages[key]
        try:
            page = factory()
        except BaseException:
            self._pending[key] = factory  # not half-built: the next visit tries again
            raise
        self.stack.insertWidget(self.stack.indexOf(placeholder), page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.pages[key] = page
        # Only once it has its final parent: reparenting under a style sheet resets fonts.
        for title in page.findChildren(QLabel, "pageTitle"):
            scale_font(title, 1.6, bold=True)
        self._connect_page(key, page)
        return page

    def _scale_fonts(self) -> None:
        """After every widget has its final parent: reparenting under a style sheet resets fonts."""
        for key in EAGER_PAGES:  # the pages built later by page() have theirs scaled there
            for title in self.pages[key].findChildren(QLabel, "pageTitle"):
                scale_font(title, 1.6, bold=True)
        scale_font(self.home.subtitle, 1.1)
        for button in (self.home.new_conversation_button, self.home.new_activity_button):
            scale_font(button, 1.3, bold=True)
        for tile in self.home.tiles.values():
            scale_font(tile.value, 2.2, bold=True)
        for title in (self.home.barriers_title, self.home.follow_ups_title):
            scale_font(title, 1.15, bold=True)

    def _build_navigation(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        for key in PAGES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        scale_font(self.nav, 1.15)
        self.nav.setUniformItemSizes(True)
        self.nav.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setSpacing(2)

        central = QSplitter()
        central.setObjectName("centralSplitter")
        central.setChildrenCollapsible(False)
        central.addWidget(self.nav)
        central.addWidget(self.stack)
        central.setStretchFactor(0, 0)
        central.setStretchFactor(1, 1)
        self.splitter = central
        self.setCentralWidget(central)
        QWidget.setTabOrder(self.nav, self.stack)

    def _action(self, shortcut: QKeySequence | str | None, slot: Any) -> QAction:
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_conversation_action = self._action("Ctrl+N", lambda: self.open_conversation())
        self.new_activity_action = self._action("Ctrl+Shift+N", lambda: self.open_activity())
        self.new_barrier_action = self._action("Ctrl+Shift+B", lambda: self.open_barrier())
        self.propose_asset_action = self._action(None, self.propose_asset)
        self.quit_action = self._action(QKeySequence(QKeySequence.StandardKey.Quit), self.close)
        self.find_action = self._action(QKeySequence(QKeySequence.StandardKey.Find), self.focus_search)
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.addAction(self.undo_action)
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.addAction(self.redo_action)
        self.page_actions: dict[str, QAction] = {}
        for number, key in enumerate(PAGES, start=1):
            self.page_actions[key] = self._action(f"Ctrl+{number}", lambda _checked=False, k=key: self.go_to(k, focus=True))
        self.about_action = self._action(None, self.about)

        menus = self.menuBar()
        self.file_menu = menus.addMenu("")
        self.file_menu.addActions([self.new_conversation_action, self.new_activity_action, self.new_barrier_action,
                                   self.propose_asset_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = menus.addMenu("")
        self.edit_menu.addActions([self.undo_action, self.redo_action])
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.go_menu = menus.addMenu("")
        self.go_menu.addActions(list(self.page_actions.values()))
        self.help_menu = menus.addMenu("")
        self.help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.undo_box = QWidget()
        self.undo_box.setObjectName("undoBox")
        row = QHBoxLayout(self.undo_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.undo_label = QLabel()
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoButton")
        row.addWidget(self.undo_label)
        row.addWidget(self.undo_button)
        self.undo_box.hide()
        bar.addWidget(self.undo_box)
        self.sync_status = QLabel()  # online/offline and last sync: filled by the sync feature
        self.sync_status.setObjectName("syncStatus")
        self.unsynced_label = QLabel()
        self.unsynced_label.setObjectName("unsyncedCount")
        bar.addPermanentWidget(self.sync_status)
        bar.addPermanentWidget(self.unsynced_label)

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.events.changed.connect(self._store_changed)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.indexChanged.connect(lambda _i: self._store_changed(None))
        self._undo_timer.timeout.connect(self.undo_box.hide)
        self.home.new_conversation.connect(lambda: self.open_conversation())
        self.home.new_activity.connect(lambda: self.open_activity())
        self.home.open_conversation.connect(lambda record_id: self.open_conversation(record_id))
        self.home.open_activity.connect(lambda record_id: self.open_activity(record_id))
        self.home.open_barrier.connect(lambda record_id: self.open_barrier(record_id))
        self.home.reply_saved.connect(lambda _review_id: self.record_saved_elsewhere())
        for worker in (self.worker, self.counter):
            worker.job_failed.connect(self._job_failed)

    def _connect_page(self, key: str, page: Any) -> None:
        """A lazily built page's signals, as soon as it exists."""
        if key == "assets":
            self._connect_assets(page)
            return
        opener = {"conversations": self.open_conversation, "outreach": self.open_activity}.get(key)
        if opener is None:
            return
        page.new_requested.connect(lambda o=opener: o())
        page.open_requested.connect(lambda record_id, o=opener: o(record_id))
        page.delete_requested.connect(lambda record_id, p=page: self.delete_record(p, record_id))
        page.model.page_failed.connect(self._job_failed)

    def _connect_assets(self, page: Any) -> None:
        """A coordinator's import writes through its own worker's store: tell the lists, the counts and sync."""

        page.data_changed.connect(lambda: self.record_saved_elsewhere(notify_pages=True))
        # The Dashboard reads the deciles when it loads.
        page.deprivation_imported.connect(lambda _result: self.dashboard.reload() if self.is_built("dashboard") else None)

    def retranslate(self) -> None:
        title = self.tr("Champions")
        self.setWindowTitle(self.tr("{app} (demo data)").format(app=title) if self.demo else title)
        names = {
            "home": self.tr("Home"),
            "conversations": self.tr("Conversations"),
            "outreach": self.tr("Outreach"),
            "assets": self.tr("Assets"),
            "sync": self.tr("Sync"),
        }
        for row, key in enumerate(self.page_keys):
            if key not in names:
                names[key] = self.pages[key].nav_title()  # type: ignore[attr-defined]
            item = self.nav.item(row)
            item.setText(names[key])
            item.setToolTip(self.tr("{page} (Ctrl+{number})").format(page=names[key], number=row + 1))
            self.page_actions[key].setText(self.tr("&{number} {page}").format(number=row + 1, page=names[key]))
        self.nav.setAccessibleName(self.tr("Pages"))
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 4 * self.nav.fontMetrics().averageCharWidth())
        self.new_conversation_action.setText(self.tr("&New conversation"))
        self.new_activity_action.setText(self.tr("New &activity"))
        self.new_barrier_action.setText(self.tr("New &barrier heard on its own"))
        self.propose_asset_action.setText(self.tr("&Propose a community asset…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.find_action.setText(self.tr("&Find"))
        self.about_action.setText(self.tr("&About Champions"))
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.undo_label.setText(self.tr("Deleted."))
        self.undo_button.setText(self.tr("&Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo the delete"))
        self.undo_button.setToolTip(self.tr("Bring it back (Ctrl+Z)"))
        if not self.sync_status.text():
            self.sync_status.setText(self.tr("Not connected to a hub yet"))
        self.sync_status.setAccessibleName(self.tr("Connection"))
        self._show_unsynced(self.unsynced)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            for page in self.pages.values():
                page.retranslate()  # type: ignore[attr-defined]
        super().changeEvent(event)

    # -- navigation -----------------------------------------------------------------
    def go_to(self, key: str, focus: bool = False) -> None:
        row = self.page_keys.index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        if focus:
            self.nav.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_page_key(self) -> str:
        return self.page_keys[max(self.nav.currentRow(), 0)]

    def add_lazy_page(self, key: str, nav_title: Callable[[], str], factory: Callable[[], QWidget]) -> None:
        """Like ``add_page``, but ``factory`` builds (and imports) the page only when it is first shown or used."""
        self.add_page(key, PendingPage(key, nav_title))
        self._pending[key] = factory

    def add_page(self, key: str, page: QWidget) -> None:
        """A page added after the shell is built (the coordinator's); it names itself with ``nav_title()``."""
        self.page_keys.append(key)
        self.pages[key] = page
        self.stack.addWidget(page)
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.addItem(item)
        number = len(self.page_keys)
        self.page_actions[key] = self._action(f"Ctrl+{number}" if number < 10 else None,
                                              lambda _checked=False: self.go_to(key, focus=True))
        self.go_menu.addAction(self.page_actions[key])
        for title in page.findChildren(QLabel, "pageTitle"):
            scale_font(title, 1.6, bold=True)
        self.retranslate()

    def remove_page(self, key: str) -> None:
        """Take a page added later out again (the coordinator's, after signing out); it stops its work first."""
        if key not in self.page_keys or key in PAGES:
            return
        if self.current_page_key() == key:
            self.go_to("home")
        row = self.page_keys.index(key)
        page = self.pages.pop(key)
        self._pending.pop(key, None)
        self.page_keys.pop(row)
        self.nav.blockSignals(True)
        self.nav.takeItem(row)
        self.nav.blockSignals(False)
        action = self.page_actions.pop(key)
        self.go_menu.removeAction(action)
        self.removeAction(action)
        action.deleteLater()
        if hasattr(page, "shutdown"):
            page.shutdown()
        self.stack.removeWidget(page)
        page.deleteLater()
        for number, other in enumerate(self.page_keys, start=1):  # the Ctrl+number keys follow the rows
            self.page_actions[other].setShortcut(QKeySequence(f"Ctrl+{number}") if number < 10 else QKeySequence())
        self.retranslate()

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self.page_keys[row]
        if key in self._pending:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.page(key)
            finally:
                QApplication.restoreOverrideCursor()
        self.stack.setCurrentIndex(row)

    def focus_search(self) -> None:
        """Ctrl+F: search the list on screen, or conversations from Home and Sync."""
        key = self.current_page_key()
        if key not in ("conversations", "outreach", "assets"):
            self.go_to("conversations")
            key = "conversations"
        self.page(key).focus_search()  # type: ignore[attr-defined]

    # -- records ------------------------------------------------------------------
    def _show_dialog(self, dialog: QDialog | None) -> QDialog | None:
        if dialog is None:
            return None
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]
        if not dialog.isVisible():
            dialog.open()
        return dialog

    def open_conversation(self, record_id: str | None = None) -> QDialog | None:
        forms = _forms()
        if forms is None:
            self._forms_missing()
            return None
        return self._show_dialog(forms.open_conversation_form(self, self.store, record_id))

    def open_activity(self, record_id: str | None = None) -> QDialog | None:
        forms = _forms()
        if forms is None:
            self._forms_missing()
            return None
        return self._show_dialog(forms.open_activity_form(self, self.store, record_id))

    def open_barrier(self, record_id: str | None = None) -> QDialog | None:
        """A barrier heard in passing, without a conversation to log it in."""
        forms = _forms()
        if forms is None:
            self._forms_missing()
            return None
        return self._show_dialog(forms.open_barrier_form(self, self.store, record_id))

    def propose_asset(self) -> QDialog:
        self.go_to("assets")
        return self.assets.propose()

    def _forms_missing(self) -> None:
        QMessageBox.information(
            self, self.tr("Champions"), self.tr("The entry forms are not installed in this build of Champions.")
        )

    def delete_record(self, page: RecordListPage, record_id: str) -> None:
        repo = getattr(self.store, page.repo_name)
        try:
            self.undo_stack.push(DeleteRecord(repo, record_id, page.what()))
        except Exception as exc:  # noqa: BLE001 - a failed delete is told, never silent
            log.exception("delete failed")
            QMessageBox.warning(self, self.tr("Champions"), self.tr("That could not be deleted: {why}").format(why=exc))
            return
        self.undo_label.setText(self.tr("Deleted the {what}.").format(what=page.what()))
        self.undo_box.show()
        self._undo_timer.start()

    # -- refreshing -------------------------------------------------------------------
    def _store_changed(self, _event: object) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Something changed in the store: re-run the searches and the counts."""
        for key in ("conversations", "outreach", "assets", "home"):
            if self.is_built(key):  # one not built yet reads the store afresh when it is
                self.pages[key].refresh()  # type: ignore[attr-defined]
        self.refresh_counts()

    def changed_elsewhere(self) -> None:
        """Records came through another connection (a sync's pull, an import): refresh, and tell the
        coordinator's pages, which the window's events cannot tell."""
        self.refresh()
        self.data_changed.emit()

    def record_saved_elsewhere(self, *, notify_pages: bool = False) -> None:
        """A page saved through its own worker's connection: refresh, count it as waiting, and sync soon."""
        if notify_pages:
            self.changed_elsewhere()
        else:
            self._store_changed(None)
        controller = getattr(self, "sync_controller", None)
        if controller is not None:
            controller.refresh()
            controller.debounce.start()

    def refresh_counts(self) -> None:
        self.counter.submit(lambda store: store.unsynced_count(), self._show_unsynced, channel="unsynced")

    def _show_unsynced(self, count: int) -> None:
        self.unsynced = count
        if count < 0:
            text = self.tr("Counting changes…")
        elif count == 0:
            text = self.tr("No changes waiting to sync")
        elif count == 1:
            text = self.tr("1 change waiting to sync")
        else:
            text = self.tr("{n} changes waiting to sync").format(n=count)
        self.unsynced_label.setText(text)
        self.unsynced_label.setAccessibleName(text)
        self.sync.set_unsynced(count)
        if count >= 0:
            self.unsynced_changed.emit(count)

    def _job_failed(self, exc: object) -> None:
        self.statusBar().showMessage(self.tr("Something went wrong while reading: {why}").format(why=exc), 10_000)

    def about(self) -> None:
        from .. import __version__

        QMessageBox.about(
            self,
            self.tr("About Champions"),
            self.tr("Champions {version}\nLog conversations, barriers and outreach; works offline.").format(
                version=__version__
            ),
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(1280, 760)

    # -- closing ------------------------------------------------------------------------
    def on_shutdown(self, stop: Callable[[], None]) -> None:
        """Run ``stop`` when the window shuts down, before its own workers (the last added first):
        how sync and the coordinator's pages, plugged in after the window is built, stop theirs."""
        self._shutdown_hooks.append(stop)

    def shutdown(self) -> None:
        """Stop background work and let go of the store's notifications; the caller closes the store."""
        while self._shutdown_hooks:
            self._shutdown_hooks.pop()()
        if self.is_built("assets"):
            self.assets.shutdown()  # cancels a coordinator's import or export and stops its thread
        self.events.close()
        self.worker.close()
        self.counter.close()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        for dialog in list(self.dialogs):
            if dialog.isVisible() and not dialog.close():
                event.ignore()  # a form with unsaved work asked, and the person said stay
                return
        self.shutdown()
        super().closeEvent(event)
