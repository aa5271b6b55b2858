"""A real crash: a child process fills half a form, is SIGKILLed, and the draft comes back intact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QPushButton

from champions.store import Store
from champions.ui.forms import ConversationForm, offer_drafts

CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from champions.store import Store
    from champions.ui.forms import open_conversation_form

    app = QApplication([])
    store = Store.open(sys.argv[1], bytes.fromhex(os.environ["CHAMPIONS_TEST_KEY"]))
    form = open_conversation_form(None, store)
    form.activateWindow()
    QTest.qWaitForWindowActive(form)

    def type_in(widget, text, enter=False):
        widget.setFocus()
        QTest.keyClicks(QApplication.focusWidget() or widget, text)
        if enter:
            QTest.keyClick(QApplication.focusWidget() or widget, Qt.Key.Key_Return)

    type_in(form.when, "19/11/2026 11:20")
    type_in(form.neighbourhood, "moreton", enter=True)
    type_in(form.setting, "doorstep", enter=True)
    type_in(form.district, "CH46")
    type_in(form.ethnic_groups.edit, "irish", enter=True)
    type_in(form.languages.edit, "arabic", enter=True)
    form.barriers.add_row(focus=True)
    type_in(form.barriers.rows[0].code, "PI.GP_REG", enter=True)
    type_in(form.barriers.rows[0].quote, "not registered with a doctor since moving")
    type_in(form.notes, "Half way through when the battery died")
    expected = form.state()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        app.processEvents()
        draft = store.drafts.load(form.form_key)
        if draft is not None and draft["state"] == expected:
            break
        time.sleep(0.02)
    else:
        sys.exit("the draft never reached the store")
    print("DRAFT-WRITTEN " + json.dumps({"form_key": form.form_key, "state": expected}), flush=True)
    app.exec()  # carry on as if the champion were still typing, until killed
    """
)


@pytest.mark.timeout(120)
def test_saved_draft_survives_kill(qtbot, tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "c.db"
    Store.open(path, key).close()
    env = {**os.environ, "CHAMPIONS_TEST_KEY": key.hex(), "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    try:
        line = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if line.startswith("DRAFT-WRITTEN") or not line:
                break
        assert line.startswith("DRAFT-WRITTEN"), f"child failed: {child.stderr.read() if child.poll() is not None else ''}"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    written = json.loads(line.split(" ", 1)[1])

    store = Store.open(path, key)  # the next start
    try:
        window = QMainWindow()
        qtbot.addWidget(window)
        window.show()
        offer = offer_drafts(window, store)
        assert offer is not None
        qtbot.addWidget(offer)
        restore = next(b for b in offer.findChildren(QPushButton) if b.text() == "Restore")
        assert restore.accessibleName().startswith("Restore: Conversation on 19/11/2026 11:20, in Moreton and Leasowe, 1 barrier(s)")
        qtbot.keyClick(restore, Qt.Key.Key_Space)
        form = window.findChild(ConversationForm)
        assert form is not None and form.form_key == written["form_key"]
        assert form.state() == written["state"]
        assert form.barriers.rows[0].quote.text() == "not registered with a doctor since moving"
        assert form.ethnic_groups.chips()[0].label == "Irish"
        form._finish(discard_draft=False)
    finally:
        store.close()
