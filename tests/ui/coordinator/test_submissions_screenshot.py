"""A screenshot of the Submissions page with the demo data at 1366x768, as ``--demo`` shows it.

Like ``test_screenshots.py``: under Xvfb when installed (else offscreen), in a child process with
its own QApplication. With CHAMPIONS_SAVE_SCREENSHOTS=1 the PNG goes to docs/screenshots/,
otherwise to the test's folder. Run as a script it is the child.
"""

from __future__ import annotations

import sys
from pathlib import Path

SHOTS = ("submissions.png",)
SIZE = (1366, 768)


def take_screenshots(out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from champions.ui.app import build_window
    from tests.ui.shots import demo_store, wait_until

    store = demo_store()

    def settle(page, extra_ms: int = 400) -> None:  # noqa: ANN001
        wait_until(lambda: page.columns is not None and not page.is_busy(), extra_ms, what="the submissions")

    window = build_window(store, demo=True)
    window.resize(*SIZE)
    window.show()
    window.go_to("submissions")
    page = window.pages["submissions"]
    settle(page, 600)
    page.table.setFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Down)  # the second record selected, as a coordinator reads down
    settle(page)
    assert page.model.total() > 300, page.model.total()
    assert window.grab().save(str(out / "submissions.png"))
    window.shutdown()
    window.close()
    store.close()


def test_submissions_screenshot(tmp_path: Path) -> None:
    from tests.ui.shots import shoot_in_child

    shoot_in_child(__file__, tmp_path, SHOTS)


if __name__ == "__main__":
    take_screenshots(Path(sys.argv[1]))
