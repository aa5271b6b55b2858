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

from .crash import run_until_killed

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
    line = run_until_killed(CHILD, [str(path)], env, "DRAFT-WRITTEN")
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


# -- the whole app in real processes -----------------------------------------------------------
# Each child runs the real ``champions`` entry point (champions.cli.main) with a real keyrings.alt
# file keyring; a timer started before it drives the window from the keyboard, as a person would.

APP_PRELUDE = textwrap.dedent(
    """
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from champions import cli
    from champions.ui.app import make_application

    app = make_application()

    def focus():
        return QApplication.focusWidget()

    def window():
        from champions.ui.main_window import MainWindow
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)

    def wait_for(check, seconds=20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents()
            found = check()
            if found:
                return found
            time.sleep(0.02)
        sys.exit(f"timed out waiting for {check}")
    """
)

FILL_AND_WAIT = APP_PRELUDE + textwrap.dedent(
    """
    def drive():
        from champions.ui.forms import ConversationForm
        main = wait_for(window)
        main.activateWindow()
        wait_for(lambda: main.isActiveWindow())
        QTest.keyClick(main, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        form = wait_for(lambda: next((d for d in main.dialogs if isinstance(d, ConversationForm)), None))
        wait_for(lambda: focus() is not None and form.isAncestorOf(focus()))
        def active():
            if not form.isActiveWindow():  # offscreen leaves a closed completer pop-up "active"
                form.activateWindow()
                wait_for(form.isActiveWindow)
            return focus()

        def keys(text, *presses, modifier=Qt.KeyboardModifier.NoModifier):
            if text:
                QTest.keyClicks(active(), text)
            for key in presses:
                QTest.keyClick(active(), key, modifier)
                app.processEvents()
        tab, enter = Qt.Key.Key_Tab, Qt.Key.Key_Return
        keys("17/11/2026 16:05", tab)
        keys("hoylake", enter, tab)
        keys("school", enter, tab)
        keys("CH47", tab)
        keys("12", tab)
        keys("35", enter, tab)  # age bands
        keys("", tab)  # ethnic groups
        keys("bengali", enter)  # languages
        keys("", Qt.Key.Key_B, modifier=Qt.KeyboardModifier.ControlModifier)
        keys("PI.LANGUAGE", enter, tab)
        keys("no leaflets in Bengali at the school", tab)
        keys("part")
        state = form.state()
        wait_for(lambda: (main.store.drafts.load(form.form_key) or {}).get("state") == state)
        print("DRAFT-WRITTEN " + json.dumps({"form_key": form.form_key, "state": state}), flush=True)
        # and the champion keeps going... until the process is killed

    def guarded():
        try:
            drive()
        except BaseException:  # a failed step must end the process, not leave it waiting
            import traceback
            traceback.print_exc()
            os._exit(3)

    QTimer.singleShot(0, guarded)
    sys.exit(cli.main([]))
    """
)

RELAUNCH_AND_RESTORE = APP_PRELUDE + textwrap.dedent(
    """
    def drive():
        from champions.ui.forms import ConversationForm, DraftsOffer
        main = wait_for(window)
        offer = wait_for(lambda: next((w for w in QApplication.topLevelWidgets()
                                       if isinstance(w, DraftsOffer) and w.isVisible()), None))
        from PySide6.QtWidgets import QPushButton
        restore = next(b for b in offer.findChildren(QPushButton) if b.text() == "Restore")
        offered = restore.accessibleName()
        QTest.keyClick(restore, Qt.Key.Key_Space)
        form = wait_for(lambda: next((w for w in main.findChildren(ConversationForm) if w.isVisible()), None))
        print("RESTORED " + json.dumps({"form_key": form.form_key, "state": form.state(), "offer": offered}),
              flush=True)
        form.shutdown()
        main.close()

    def guarded():
        try:
            drive()
        except BaseException:  # a failed step must end the process, not leave it waiting
            import traceback
            traceback.print_exc()
            os._exit(3)

    QTimer.singleShot(0, guarded)
    sys.exit(cli.main([]))
    """
)


def run_child(script: str, env: dict[str, str], marker: str, kill: bool) -> dict:
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    try:
        line = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if line.startswith(marker) or not line:
                break
        if not line.startswith(marker):
            child.kill()
            raise AssertionError(f"no {marker}: {child.stderr.read()[-3000:]}")
        if kill:
            os.kill(child.pid, signal.SIGKILL)
            assert child.wait(10) == -signal.SIGKILL
        else:
            assert child.wait(30) == 0, child.stderr.read()[-3000:]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return json.loads(line.split(" ", 1)[1])


@pytest.mark.timeout(200)
def test_app_killed_mid_form_offers_the_draft_on_relaunch(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",  # a real keyring, in this test's folder
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "CHAMPIONS_DATA_DIR": str(tmp_path / "data"),
    }
    written = run_child(FILL_AND_WAIT, env, "DRAFT-WRITTEN", kill=True)
    assert written["state"]["barriers"] == [
        {"code": "PI.LANGUAGE", "quote": "no leaflets in Bengali at the school", "addressed": "partly"}
    ]
    restored = run_child(RELAUNCH_AND_RESTORE, env, "RESTORED", kill=False)
    assert restored["offer"].startswith("Restore: Conversation on 17/11/2026 16:05, in Hoylake and West Kirby, 1 barrier(s)")
    assert restored["form_key"] == written["form_key"]
    assert restored["state"] == written["state"]
