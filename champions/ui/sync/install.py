"""Plug sync into the main window with one line: ``controller = install_sync(window, store)``.

Adds the status-bar widget (replacing the shell's placeholder labels), the "Sync now" action
(F5 and Ctrl+R, also in the File menu), puts the full Sync page in place of the shell's
placeholder, refreshes the lists when the hub sent something, and stops sync before the
window's own workers (``on_shutdown``) so the worker thread is gone before the store is closed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from .controller import SyncController
from .page import SyncPage
from .status import SyncStatusWidget


def install_sync(main_window: Any, store: Any, **controller_options: Any) -> SyncController:
    controller = SyncController(store, main_window, **controller_options)
    widget = SyncStatusWidget()
    for placeholder in ("sync_status", "unsynced_label"):
        label = getattr(main_window, placeholder, None)
        if label is not None:
            label.hide()
    main_window.statusBar().addPermanentWidget(widget)
    controller.view_changed.connect(widget.show_view)
    widget.sync_requested.connect(lambda: controller.sync_now())

    action = QAction(main_window.tr("Sync &now"), main_window)
    action.setObjectName("syncNowAction")
    action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
    action.setStatusTip(main_window.tr("Send and receive changes now"))
    action.triggered.connect(lambda: controller.sync_now())
    main_window.addAction(action)
    menu = getattr(main_window, "file_menu", None)
    if menu is not None:
        menu.insertAction(menu.actions()[-1] if menu.actions() else None, action)

    page = SyncPage(controller)
    old = getattr(main_window, "sync", None)
    stack = getattr(main_window, "stack", None)
    if old is not None and stack is not None:
        index = stack.indexOf(old)
        stack.insertWidget(index, page)
        stack.removeWidget(old)
        old.deleteLater()
        main_window.sync = page
        main_window.pages["sync"] = page
        from ..main_window import scale_font

        scale_font(page.title, 1.6, bold=True)  # as the shell does for every page title
        scale_font(page.problems_title, 1.15, bold=True)
    if hasattr(main_window, "go_to"):
        widget.open_sync_page.connect(lambda: main_window.go_to("sync"))
    openers = {"conversation": getattr(main_window, "open_conversation", None),
               "outreach_activity": getattr(main_window, "open_activity", None)}
    page.open_record.connect(lambda kind, record_id: openers.get(kind) and openers[kind](record_id))
    if hasattr(main_window, "refresh"):
        controller.data_changed.connect(getattr(main_window, "changed_elsewhere", main_window.refresh))

    main_window.on_shutdown(controller.shutdown)
    main_window.sync_controller = controller
    main_window.sync_status_widget = widget
    main_window.sync_now_action = action
    return controller
