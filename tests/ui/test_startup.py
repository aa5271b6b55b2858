"""Startup stays fast: what a start imports before the first window, and the pages built later.

The first test launches the real app (``python -m champions.cli``) offscreen in a child process,
on a real encrypted database with a real file keyring in the test's folder, with
``CHAMPIONS_EXIT_AFTER_SHOWN=1``: champions/ui/startup_probe.py writes the modules loaded by the
time the first window has painted, then quits. The Dashboard's columns and QtCharts and the sync
client's requests cost about a second together on a 2-core laptop; none of them may come back
into a start unnoticed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from argparse import Namespace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from champions.store import open_default
from champions.sync import enrolment
from champions.ui.coordinator import install
from champions.ui.main_window import MainWindow, PendingPage

from .conftest import make_window, settle
from .coordinator.conftest import WAIT, identity

#: Imported only when the Dashboard is first shown, or once sync is plugged in after the first paint.
HEAVY = ("champions.coordinator.columns", "PySide6.QtCharts", "champions.ui.coordinator.dashboard_page", "champions.coordinator.desk",
         "requests", "champions.sync.client", "champions.ui.sync.controller")

SEED = """
import sys
from champions.domain.samples import SampleGenerator
from champions.store import open_default
from champions.sync.enrolment import IDENTITY_KEY
store = open_default()
store.settings.set(IDENTITY_KEY, {role!r})
gen = SampleGenerator(seed=3, reference=store.reference)
store.conversations.save_many(list(gen.conversations(40)))
store.activities.save_many(list(gen.activities(5)))
store.close()
"""


def app_env(home: Path) -> dict[str, str]:
    """The child's own data, config, log and keyring folders (a real file keyring, chosen on purpose)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAMPIONS_") and k != "PYTHON_KEYRING_BACKEND"}
    env.update(
        QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(home / "xdg"), CHAMPIONS_DATA_DIR=str(home / "data"),
        CHAMPIONS_CONFIG_DIR=str(home / "config"), CHAMPIONS_LOG_DIR=str(home / "logs"),
        CHAMPIONS_SYSTEM_CONFIG=str(home / "system" / "champions.toml"),
    )
    return env


@pytest.mark.timeout(180)
@pytest.mark.parametrize("role", ["champion", "coordinator"])
def test_the_first_window_is_shown_before_the_dashboard_and_the_sync_client_are_imported(
    tmp_path: Path, role: str
) -> None:
    env = app_env(tmp_path)
    subprocess.run([sys.executable, "-c", SEED.format(role=identity(role))], env=env, check=True, timeout=120)
    modules_file = tmp_path / "modules.txt"
    env.update(CHAMPIONS_EXIT_AFTER_SHOWN="1", CHAMPIONS_STARTUP_MODULES=str(modules_file))

    done = subprocess.run([sys.executable, "-m", "champions.cli"], env=env, capture_output=True, text=True,
                          timeout=120)

    assert done.returncode == 0, done.stderr[-3000:]
    shown = next(line.split() for line in done.stdout.splitlines() if line.startswith("CHAMPIONS_FIRST_WINDOW_SHOWN"))
    assert shown[-1] == "MainWindow", shown  # the window itself, not a message box about the store
    loaded = set(modules_file.read_text(encoding="utf-8").split())
    assert {"champions.ui.main_window", "champions.ui.pages.home_page", "champions.store"} <= loaded
    assert sorted(name for name in loaded if name.split(".")[0] in ("numpy", "requests")
                  or any(name == heavy or name.startswith(heavy + ".") for heavy in HEAVY)) == []


@pytest.mark.parametrize("role", ["champion", "coordinator", "admin", "viewer", ""])
def test_the_role_read_without_the_sync_client_agrees_with_the_enrolment(store: Any, role: str) -> None:
    assert install.IDENTITY_KEY == enrolment.IDENTITY_KEY
    store.settings.set(enrolment.IDENTITY_KEY, identity(role))
    found = install.coordinator_identity(store)
    assert (found is not None) is enrolment.current_identity(store).is_coordinator  # type: ignore[union-attr]
    if found is not None:
        assert (found.person_id, found.person_name) == ("coord-1", "Chloe Coordinator")


def test_no_enrolment_and_a_garbled_one_mean_no_dashboard(store: Any) -> None:
    assert install.coordinator_identity(store) is None
    store.settings.set(enrolment.IDENTITY_KEY, {"role": "coordinator"})  # no person: not an enrolment
    assert install.coordinator_identity(store) is None
    assert enrolment.current_identity(store) is None


def test_pages_are_built_on_their_first_visit_and_the_window_keeps_the_focus(qtbot: Any, store: Any) -> None:
    store.settings.set(enrolment.IDENTITY_KEY, identity("coordinator"))
    window = make_window(qtbot, store)
    try:
        keys = [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())]
        assert keys[:6] == ["home", "conversations", "outreach", "assets", "sync", "dashboard"]  # then any more
        for key in ("assets", "dashboard"):
            assert isinstance(window.stack.widget(keys.index(key)), PendingPage)
            assert not window.is_built(key)
        assert window.coordinator_pages.dashboard is None
        assert window.nav.item(5).text() == "Dashboard"
        assert window.page_actions["dashboard"].shortcut().toString() == "Ctrl+6"
        window.refresh()  # a store change with pages not built yet only refreshes the built ones

        for number, key in ((4, "assets"), (6, "dashboard")):
            qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
            assert window.is_built(key)
            page = window.pages[key]
            assert not isinstance(page, PendingPage)
            assert window.stack.currentWidget() is page
            assert window.stack.indexOf(page) == number - 1
            qtbot.wait(100)  # a window shown and hidden on the way would have taken the activation by now
            assert window.isActiveWindow() and window.nav.hasFocus()  # building it took nothing away
        assert window.dashboard is window.coordinator_pages.dashboard is window.pages["dashboard"]
        assert window.assets is window.pages["assets"]
        settle(qtbot, window)  # (its waits read every list page, building any still waiting)
    finally:
        window.shutdown()


def test_sync_is_plugged_in_after_the_first_paint_and_still_brings_the_dashboard(qtbot: Any) -> None:
    from champions.ui.app import run

    seen: dict[str, Any] = {}

    def look() -> None:
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None or not hasattr(window, "sync_controller"):
            return
        if "enrolled" not in seen:
            seen["status widget"] = window.sync_status_widget.isVisible()
            seen["placeholder hidden"] = not window.sync_status.isVisible()
            seen["dashboard before"] = "dashboard" in window.pages
            # What the controller does once an invite code is accepted: the identity saved, then the signal.
            window.store.settings.set(enrolment.IDENTITY_KEY, identity("coordinator"))
            window.sync_controller.enrolled.emit(enrolment.current_identity(window.store))
            seen["enrolled"] = True
            seen["dashboard after"] = "dashboard" in window.pages
            poll.stop()
            window.close()

    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(look)
    poll.start()

    def give_up() -> None:  # never hang the suite: close whatever is open, the asserts below say why
        poll.stop()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()

    QTimer.singleShot(WAIT, give_up)
    assert run(Namespace(demo=False, unencrypted_dev_db=False, data_dir=None, lang=None)) == 0
    assert seen == {"status widget": True, "placeholder hidden": True, "dashboard before": False,
                    "enrolled": True, "dashboard after": True}
    with open_default() as store:  # the window's own store was closed cleanly on the way out
        assert install.coordinator_identity(store) is not None
