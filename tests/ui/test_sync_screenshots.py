"""Screenshots of sync as a champion sees it, taken from the real window against a real hub.

The enrolment dialog, the status bar in each state (waiting, syncing, synced, offline, problem)
and the Sync page with a refused record. With CHAMPIONS_SAVE_SCREENSHOTS=1 the PNGs go to
docs/screenshots/ (the README shows them); otherwise to the test's folder. Each state is reached
the way a person reaches it, and the test checks the state before taking the picture.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from champions.domain.samples import SampleGenerator
from champions.ui.sync.install import install_sync
from tests.e2e.conftest import hub  # noqa: F401 - the real hub fixture
from tests.e2e.faulty_proxy import FaultyProxy

from .conftest import make_window
from .test_sync_ui import WAIT, status_text

REPO = Path(__file__).resolve().parents[2]


def test_sync_screenshots_in_a_process_of_their_own() -> None:
    """The story below runs in a fresh pytest process.

    In the full suite's long-lived process, the dropped line was not reported "offline" within a
    minute, while the same story passes every time on its own (an order-dependent fault not yet
    found: see the closing note of stop 10). Until it is, the screenshots are taken where the
    story is reliable, and the suite still fails if the story does.
    """
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "python_functions=story_*", __file__],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0 and " passed" in result.stdout, result.stdout[-4000:] + result.stderr[-2000:]


def story_sync_screenshots(qtbot, store, hub, tmp_path):  # noqa: F811
    out = REPO / "docs" / "screenshots" if os.environ.get("CHAMPIONS_SAVE_SCREENSHOTS") else tmp_path
    proxy = FaultyProxy(hub.running.port)
    window = make_window(qtbot, store)
    controller = install_sync(window, store, interval_minutes=60, debounce_ms=60_000)
    window.resize(1366, 768)

    def shoot_status(name: str) -> None:
        qtbot.wait(150)  # let the status bar lay out the new text
        image = window.statusBar().grab()
        assert image.save(str(out / f"sync-status-{name}.png"))

    try:
        window.go_to("sync")
        page = window.sync
        qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
        dialog = page.enrol_dialog
        qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.hub, proxy.url)
        qtbot.keyClicks(dialog.code, hub.cli.invite(hub.org_id, "Amina Begum"))
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.message.text().startswith("Connected."), timeout=WAIT)
        dialog.resize(560, dialog.sizeHint().height())
        assert dialog.grab().save(str(out / "sync-enrol-dialog.png"))
        dialog.accept()
        with qtbot.waitActive(window):
            window.activateWindow()
        qtbot.waitUntil(lambda: controller.view.phase == "synced", timeout=WAIT)
        shoot_status("synced")

        samples = SampleGenerator(seed=12, reference=store.reference)
        for record in samples.conversations(3):
            store.conversations.save(record)
        store.assets.save(samples.asset(1).model_copy(update={"status": "active"}))  # the hub will refuse it
        def waiting() -> None:
            assert status_text(window).startswith("Online · 4 changes waiting"), status_text(window)

        qtbot.waitUntil(waiting, timeout=WAIT)
        shoot_status("waiting")

        proxy.latency = (0.4, 0.4)  # a slow line, so the sync is still running when we look
        qtbot.keyClick(window, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: controller.view.phase == "syncing", timeout=WAIT)
        shoot_status("syncing")
        qtbot.waitUntil(lambda: controller.view.phase == "synced", timeout=WAIT)
        proxy.latency = (0.0, 0.0)
        qtbot.waitUntil(lambda: window.sync.table.rowCount() == 1, timeout=WAIT)
        assert window.sync.table.item(0, 1).text().startswith("A champion can propose a community asset")
        window.sync.table.selectRow(0)
        assert window.grab().save(str(out / "sync-page-rejected.png"))

        proxy.line_down()  # the line goes down, the kept-alive connection to the hub with it
        store.conversations.save(next(samples.conversations(1)))
        qtbot.keyClick(window, Qt.Key.Key_F5)
        # the client retries a dropped line with backoff before it calls it offline: give it time
        qtbot.waitUntil(lambda: controller.view.phase == "offline", timeout=3 * WAIT)
        shoot_status("offline")

        proxy.policy = lambda rng: "pass"
        hub.cli.run("revoke", controller.view.identity.device_id)
        qtbot.keyClick(window, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: controller.view.phase == "problem", timeout=WAIT)
        assert status_text(window) == "Sync stopped: this laptop can no longer sync · 1 change waiting"
        shoot_status("problem")
    finally:
        window.shutdown()
        proxy.close()
    for name in ("enrol-dialog", "status-synced", "status-waiting", "status-syncing", "page-rejected",
                 "status-offline", "status-problem"):
        assert (out / f"sync-{name}.png").stat().st_size > 1000
