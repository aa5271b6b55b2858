"""Screenshots of the Dashboard with the demo data at 1366x768, as a newcomer opening ``--demo`` sees it.

Like ``tests/ui/test_screenshot.py``: under Xvfb when installed (else offscreen), in a child
process with its own QApplication. With CHAMPIONS_SAVE_SCREENSHOTS=1 the PNGs go to
docs/screenshots/, otherwise to the test's folder. Run as a script it is the child.
"""

from __future__ import annotations

import sys
from pathlib import Path

SHOTS = ("dashboard.png", "dashboard-weeks.png", "dashboard-people.png", "dashboard-intention.png",
         "dashboard-quotes.png", "dashboard-200-percent.png")
SIZE = (1366, 768)


def take_screenshots(out: Path) -> None:
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from champions.ui.app import build_window
    from tests.ui.shots import demo_store, wait_until

    store = demo_store()
    app = QApplication.instance()

    def settle(window, extra_ms: int = 300) -> None:  # noqa: ANN001
        page = window.dashboard
        wait_until(lambda: page.data is not None and not page.is_busy() and not window.counter.is_busy(), extra_ms,
                   timeout=30, what="the dashboard")

    def open_window():
        window = build_window(store, demo=True)
        window.resize(*SIZE)
        window.show()
        window.go_to("dashboard")
        settle(window, 600)
        return window

    def tab(window, key: str) -> None:
        page = window.dashboard
        page.tabs.setCurrentIndex(list(page.panels).index(key))

    def save(window, name: str) -> None:
        settle(window)
        assert window.grab().save(str(out / name)), name

    window = open_window()
    page = window.dashboard
    tab(window, "top")
    save(window, "dashboard.png")
    tab(window, "weeks")
    save(window, "dashboard-weeks.png")
    tab(window, "people")
    page.filters.neighbourhood.setCurrentIndex(page.filters.neighbourhood.findData("birkenhead"))
    save(window, "dashboard-people.png")
    page.filters.clear()
    tab(window, "intention")
    save(window, "dashboard-intention.png")
    tab(window, "quotes")
    save(window, "dashboard-quotes.png")
    window.shutdown()
    window.close()

    font = QFont(app.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    app.setFont(font)
    window = open_window()
    tab(window, "domains")
    save(window, "dashboard-200-percent.png")
    window.shutdown()
    window.close()
    store.close()


def test_dashboard_screenshots(tmp_path: Path) -> None:
    from tests.ui.shots import shoot_in_child

    shoot_in_child(__file__, tmp_path, SHOTS)


if __name__ == "__main__":
    take_screenshots(Path(sys.argv[1]))
