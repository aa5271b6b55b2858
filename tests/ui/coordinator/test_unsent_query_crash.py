"""A query typed and not sent survives a crash: a child process types one in the Submissions
page's real box, is SIGKILLed with the box still open, and the next start offers the words."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from champions.store import Store
from champions.ui.coordinator.submissions_page import SubmissionsPage
from champions.ui.workers import StoreEvents

from ..crash import run_until_killed
from .conftest import WAIT, fill
from .test_review_ui import open_query_box
from .test_submissions import wait_listed

ROOT = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from champions.store import Store
    from champions.ui.coordinator.submissions_page import SubmissionsPage, UNSENT_SETTING

    app = QApplication([])
    store = Store.open(sys.argv[1], bytes.fromhex(os.environ["CHAMPIONS_TEST_KEY"]))
    page = SubmissionsPage(store, None)
    page.resize(1200, 700)
    page.show()

    def until(check, what):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            app.processEvents()
            if check():
                return
            time.sleep(0.02)
        sys.exit(what)

    until(lambda: page.model.rowCount() > 0, "the list never came")
    page.table.selectRow(0)
    record_id = page.current_id()
    page.send_query()
    until(lambda: page.review_dialog is not None and page.review_dialog.isVisible(), "the box never opened")
    QTest.keyClicks(page.review_dialog.comment, "Was the clinic open that day?")
    until(lambda: (store.settings.get(UNSENT_SETTING) or {}).get(record_id) == "Was the clinic open that day?",
          "the words never reached the store")
    print("TYPED " + record_id, flush=True)
    app.exec()  # still typing, box open, until killed
    """
)


@pytest.mark.timeout(120)
def test_a_query_typed_and_not_sent_survives_a_kill(qtbot: Any, tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "coordinator.db"
    store = Store.open(path, key)
    fill(store, conversations=20, barriers=2, activities=2)
    store.close()
    env = {**os.environ, "CHAMPIONS_TEST_KEY": key.hex(), "QT_QPA_PLATFORM": "offscreen"}
    record_id = run_until_killed(CHILD, [str(path)], env, "TYPED", cwd=ROOT).split()[1]

    store = Store.open(path, key)  # the next start
    events = StoreEvents(store)
    page = SubmissionsPage(store, events)
    try:
        qtbot.addWidget(page)
        page.resize(1366, 700)
        page.show()
        with qtbot.waitActive(page):
            page.activateWindow()
        wait_listed(qtbot, page)
        page.table.selectRow(page.model.row_of(record_id))
        box = open_query_box(qtbot, page)
        assert box.comment.toPlainText() == "Was the clinic open that day?"
        qtbot.keyClick(box.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # sent now
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT)
        assert [n.text for n in store.reviews.for_subject(record_id).notes] == ["Was the clinic open that day?"]
        assert page._unsent.get(record_id) == ""  # nothing kept once sent
    finally:
        page.shutdown()
        events.close()
        store.close()
