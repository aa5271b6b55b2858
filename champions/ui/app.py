"""Start the window: Qt, translations, the store (or a plain-words refusal), the demo data.

``champions.cli`` parses the arguments and calls :func:`run` for everything that needs a
window. A store that cannot be opened safely (no keyring, wrong key, a foreign file) is
explained in a message box and the app exits non-zero without touching the file.

The first window is shown before anything it does not need to paint: plugging in sync (which
imports the HTTP client and starts the sync controller) and offering crash drafts (which
imports the forms) run once the window has painted (see :func:`after_first_paint`).
"""

from __future__ import annotations

import logging
import sys
from argparse import Namespace
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ..resources import resource

log = logging.getLogger(__name__)

EXIT_STORE_REFUSED = 2
DEMO_CONVERSATIONS = 320
DEMO_ACTIVITIES = 60
DEMO_ASSETS = 6
DEMO_SEED = 2025
#: Deferred startup work runs after the first paint, or this long after the window was shown
#: if no paint comes (a window started minimised, a platform that never exposes it).
FIRST_PAINT_FALLBACK_MS = 1500


def install_translators(app: QApplication, lang: str | None) -> list[QTranslator]:
    """Load Qt's own and Champions' translations for the language, when they exist."""
    locale = QLocale(lang) if lang else QLocale.system()
    QLocale.setDefault(locale)
    installed: list[QTranslator] = []
    for name, folder in (
        ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        ("champions", str(resource("translations"))),
    ):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def apply_style(app: QApplication) -> None:
    sheet = resource("style", "champions.qss")
    if sheet.exists():
        app.setStyleSheet(sheet.read_text(encoding="utf-8"))


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "champions"])
    app.setApplicationName("Champions")
    app.setOrganizationName("Champions")
    app.setApplicationDisplayName("Champions")
    return app


def fill_demo(store: Any, conversations: int = DEMO_CONVERSATIONS, activities: int = DEMO_ACTIVITIES) -> bool:
    """Give a newcomer a living app: generated records, once, in the separate demo database."""
    from ..domain.samples import SampleGenerator
    from ..store import Query

    if store.conversations.count(Query(include_deleted=True)) > 0:
        return False
    generator = SampleGenerator(seed=DEMO_SEED, reference=store.reference)
    store.assets.save_many([generator.asset(i) for i in range(DEMO_ASSETS)])
    store.activities.save_many(list(generator.activities(activities)))
    store.conversations.save_many(list(generator.conversations(conversations)))
    return True


def refusal_text(exc: BaseException) -> tuple[str, str]:
    """A title and a plain-words explanation; the store's own message already says the file is safe."""
    from ..store import KeyringUnavailable, NotAChampionsDatabase, WrongKey

    tr = QCoreApplication.translate
    detail = str(exc)
    if isinstance(exc, KeyringUnavailable):
        hint = tr("Startup", "To look around without a keyring, start Champions with --demo.")
        return tr("Startup", "No safe place for the key"), f"{detail}\n\n{hint}"
    if isinstance(exc, WrongKey):
        return tr("Startup", "The database could not be unlocked"), detail
    if isinstance(exc, NotAChampionsDatabase):
        return tr("Startup", "This is not a Champions database"), detail
    return tr("Startup", "Champions could not open your records"), detail


def open_store(args: Namespace) -> Any:
    from ..store import open_default

    return open_default(demo=bool(getattr(args, "demo", False)),
                        allow_unencrypted=bool(getattr(args, "unencrypted_dev_db", False)))


def offer_drafts(window: QWidget, store: Any) -> None:
    """After a crash, offer the forms' unsaved drafts (the forms module owns how)."""
    try:
        from .forms import offer_drafts as offer
    except ImportError:  # pragma: no cover - only while the forms are being built
        log.warning("the entry forms are not available; drafts are not offered")
        return
    offer(window, store)


def install_sync_if_available(window: Any, store: Any) -> Any:
    """Sync lives in ``champions.ui.sync``; the window still works without it."""
    try:
        from .sync.install import install_sync
    except ImportError:  # pragma: no cover - only in a build without sync
        log.warning("sync is not available in this build")
        return None
    return install_sync(window, store)


def plug_in_sync(window: Any, store: Any) -> Any:
    """Sync into a built window, and the coordinator's pages told so they hear of a new enrolment."""
    controller = install_sync_if_available(window, store)
    pages = getattr(window, "coordinator_pages", None)
    if pages is not None:
        pages.hook_sync()
    return controller


def build_window(store: Any, demo: bool = False, defer_sync: bool = False) -> Any:
    """The main window as the app shows it: the shell with sync plugged in (or, with
    ``defer_sync``, plugged in once the window has first painted)."""
    from .main_window import MainWindow

    window = MainWindow(store, demo=demo)
    if defer_sync:
        after_first_paint(window, lambda: plug_in_sync(window, store))
    else:
        plug_in_sync(window, store)
    return window


class _FirstPaint(QObject):
    """Runs the queued callbacks once, just after the window's first paint (or the fallback timer)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.callbacks: list[Callable[[], None]] = []
        self.done = False
        window.installEventFilter(self)
        self.fallback = QTimer(self)
        self.fallback.setSingleShot(True)
        self.fallback.setInterval(FIRST_PAINT_FALLBACK_MS)
        self.fallback.timeout.connect(self.run)
        if window.isVisible():
            self.fallback.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and not self.done:
            if event.type() == QEvent.Type.Show and not self.fallback.isActive():
                self.fallback.start()
            elif event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, self, self.run)  # after this paint has finished, not in the middle of it
        return False

    def run(self) -> None:
        if self.done:
            return
        self.done = True
        self.fallback.stop()
        self.window.removeEventFilter(self)
        for callback in self.callbacks:
            try:
                callback()
            except Exception:  # noqa: BLE001 - one failed step must not stop the others
                log.exception("deferred startup step failed")


def after_first_paint(window: QWidget, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the window has painted for the first time, in the order queued."""
    runner = getattr(window, "_after_first_paint", None)
    if runner is None or runner.done:
        runner = _FirstPaint(window)
        window._after_first_paint = runner  # type: ignore[attr-defined]
    runner.callbacks.append(callback)


def run(args: Namespace) -> int:
    """Open the main window and run until it closes; the process's exit code."""
    from ..store import StoreError
    from .startup_probe import attach_if_requested

    app = make_application()
    attach_if_requested(app)
    install_translators(app, getattr(args, "lang", None))
    apply_style(app)
    try:
        store = open_store(args)
    except StoreError as exc:
        log.error("the store refused to open: %s", exc)
        title, text = refusal_text(exc)
        QMessageBox.critical(None, title, text)
        return EXIT_STORE_REFUSED

    window: Any = None
    try:
        if getattr(args, "demo", False):
            fill_demo(store)
        window = build_window(store, demo=bool(getattr(args, "demo", False)), defer_sync=True)
        after_first_paint(window, lambda: offer_drafts(window, store))
        problems = list(getattr(getattr(args, "settings", None), "problems", []) or [])
        if problems:
            from .settings_notice import show_settings_problems

            after_first_paint(window, lambda: show_settings_problems(window, problems))
        window.show()
        return app.exec()
    finally:
        if window is not None:
            window.shutdown()
        store.close()
