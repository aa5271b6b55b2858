"""For benchmarks/startup_bench.py: note when the first window has painted, print it, quit.

Active only when ``CHAMPIONS_EXIT_AFTER_SHOWN=1``. ``app.run()`` should call
``attach_if_requested(app)`` right after creating the QApplication; until it does,
``champions.cli`` calls :func:`install`, which attaches when ``QApplication.exec`` starts.
The printed line is ``CHAMPIONS_FIRST_WINDOW_SHOWN <unix time> <resident KiB> <CPU seconds> <class>``:
the process's CPU time (all threads) up to that paint, and the painted window's class (so a
benchmark can tell the main window from a message box saying the store could not open). With ``CHAMPIONS_STARTUP_MODULES``
set to a file path as well, the names of the modules loaded by then are written there, one a line
(tests/ui/test_startup.py keeps the Dashboard's and the HTTP client's imports out of a start).
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV = "CHAMPIONS_EXIT_AFTER_SHOWN"
MODULES_ENV = "CHAMPIONS_STARTUP_MODULES"
MARK = "CHAMPIONS_FIRST_WINDOW_SHOWN"


def resident_kib() -> int:
    """Resident memory now (Linux), else the peak the OS reports."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak // 1024 if sys.platform == "darwin" else peak
    except ImportError:  # Windows
        return 0


class _FirstPaint(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._done = False
        self._window = ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            not self._done
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.isWindow()
        ):
            self._done = True
            self._window = type(watched).__name__
            # After this paint has finished, not in the middle of it.
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(f"{MARK} {time.time():.6f} {resident_kib()} {time.process_time():.3f} {self._window}", flush=True)
        modules_file = os.environ.get(MODULES_ENV)
        if modules_file:
            with open(modules_file, "w", encoding="utf-8") as out:
                out.write("".join(f"{name}\n" for name in sorted(sys.modules)))
        self._app.exit(0)


def attach_if_requested(app: QApplication) -> None:
    if os.environ.get(ENV) != "1" or getattr(app, "_champions_probe", None) is not None:
        return
    probe = _FirstPaint(app)
    app.installEventFilter(probe)
    app._champions_probe = probe  # type: ignore[attr-defined]


def install() -> None:
    """Attach to whichever QApplication runs, even if app.run() does not call us itself."""
    original = QApplication.exec

    def exec_with_probe(*_instance: object) -> int:  # called as app.exec() or QApplication.exec()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            attach_if_requested(app)
        return original()

    QApplication.exec = exec_with_probe  # type: ignore[method-assign]
