"""A screenshot of the Shared lists page in the demo window at 1366x768: the barriers, one added, one retired.

Like ``test_submissions_screenshot.py``: under Xvfb when installed (else offscreen), in a child
process with its own QApplication. With CHAMPIONS_SAVE_SCREENSHOTS=1 the PNG goes to
docs/screenshots/, otherwise to the test's folder. Run as a script it is the child.
"""

from __future__ import annotations

import sys
from pathlib import Path

SHOTS = ("shared-lists.png",)
SIZE = (1366, 768)


def take_screenshots(out: Path) -> None:
    from champions.domain import ReferenceItem
    from champions.domain.list_editing import next_position
    from champions.ui.app import build_window
    from champions.ui.coordinator.lists_entry import SHARED_LISTS
    from tests.ui.shots import demo_store, pump, wait_until

    store = demo_store()
    lists = store.reference
    store.reference_items.save(ReferenceItem.make(
        "barrier", "PI.CHILDCARE", "no one to look after the children during the appointment",
        group="practical_issues", position=next_position(lists, "barrier")))
    too_new = store.reference_items.get(lists.get("barrier", "TF.TOO_NEW").id)
    store.reference_items.save(too_new.model_copy(update={"retired": True}))

    window = build_window(store, demo=True)
    window.resize(*SIZE)
    window.show()
    window.go_to(SHARED_LISTS)
    page = window.pages[SHARED_LISTS]
    page.choose_list("barrier")
    wait_until(lambda: page.lists is not None and not page.is_busy(), 0, what="the lists")
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
