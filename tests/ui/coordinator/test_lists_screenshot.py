"""A screenshot of the Shared lists page in the demo window at 1366x768: the barriers, one added, one retired.

Like ``test_submissions_screenshot.py``: under Xvfb when installed (else offscreen), in a child
process with its own QApplication. With CHAMPIONS_SAVE_SCREENSHOTS=1 the PNG goes to
docs/screenshots/, otherwise to the test's folder. Run as a script it is the child.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

SHOTS = ("shared-lists.png",)
SIZE = (1366, 768)


def take_screenshots(out: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

    from champions.domain import ReferenceItem
    from champions.domain.list_editing import next_position
    from champions.store import open_default
    from champions.ui.app import apply_style, build_window, fill_demo, make_application
    from champions.ui.coordinator.lists_entry import SHARED_LISTS

    app = make_application()
    apply_style(app)
    store = open_default(demo=True)
    fill_demo(store)
    lists = store.reference
    store.reference_items.save(ReferenceItem.make(
        "barrier", "PI.CHILDCARE", "no one to look after the children during the appointment",
        group="practical_issues", position=next_position(lists, "barrier")))
    too_new = store.reference_items.get(lists.get("barrier", "TF.TOO_NEW").id)
    store.reference_items.save(too_new.model_copy(update={"retired": True}))

    def pump(ms: int) -> None:
        end = QDeadlineTimer(ms)
        while not end.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.01)

    window = build_window(store, demo=True)
    window.resize(*SIZE)
    window.show()
    window.go_to(SHARED_LISTS)
    page = window.pages[SHARED_LISTS]
    page.choose_list("barrier")
    deadline = time.monotonic() + 60
    while (page.lists is None or page.is_busy()) and time.monotonic() < deadline:
        pump(50)
    assert page.lists is not None, "the lists never loaded"
    page._show_items(keep="PI.CHILDCARE")
    page.table.setFocus()
    pump(600)
    assert page.current_code() == "PI.CHILDCARE"
    assert window.grab().save(str(out / "shared-lists.png"))
    window.shutdown()
    window.close()
    store.close()


def test_shared_lists_screenshot(tmp_path: Path) -> None:
    from tests.ui.shots import shoot_in_child

    shoot_in_child(__file__, tmp_path, SHOTS)


if __name__ == "__main__":
    take_screenshots(Path(sys.argv[1]))
