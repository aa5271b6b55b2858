"""Screenshots of Champions and devices and of a new invite code, in the real window, against a real hub.

Like ``test_submissions_screenshot.py``: under Xvfb when installed (else offscreen), in a child
process with its own QApplication. The child runs a hub, enrols a coordinator's laptop (the token
in an in-memory keyring backend) and a few champions' laptops, and opens the page the window
gives a coordinator. With CHAMPIONS_SAVE_SCREENSHOTS=1 the PNGs go to docs/screenshots/,
otherwise to the test's folder. Run as a script it is the child.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

SHOTS = ("people-and-devices.png", "invite-code.png")
SIZE = (1366, 768)


def seed_hub(url: str, base_url: str) -> tuple[str, str]:
    """An organisation with a coordinator and four champions; returns (hub address, coordinator's code)."""
    import sqlalchemy as sa

    from champions.domain import utcnow
    from champions.hub.schema import devices
    from champions.hub.testing import HubCli
    from champions.sync.client import HubClient

    cli = HubCli(url)
    org = cli.create_org("Wirral Community Voice")
    coordinator_code = cli.add_coordinator(org, "Chloe Williams")
    synced_days_ago = {"Amina Rahman": 0, "Grace Liu": 1, "Ben Okafor": 3, "Tomasz Nowak": None, "Fatima Begum": 12}
    moved: dict[str, float] = {}
    people: dict[str, str] = {}
    with HubClient(base_url, retries=0) as client:
        for name, days in synced_days_ago.items():
            enrolled = client.enrol(cli.invite(org, name), f"{name.split()[0]}'s laptop")
            people[name] = enrolled.person.id
            if days is not None:
                with HubClient(base_url, enrolled.token, retries=0) as laptop:
                    laptop.pull(0)
                moved[enrolled.device_id] = days
        lost = client.enrol(cli.invite(org, person=people["Ben Okafor"]), "Ben's tablet")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        now = utcnow()
        for device_id, days in moved.items():
            when = now - timedelta(days=days, hours=1.5 if days else 0.5)
            conn.execute(devices.update().where(devices.c.id == device_id).values(last_pull_at=when, last_push_at=when))
        conn.execute(devices.update().where(devices.c.id == lost.device_id).values(
            last_pull_at=now - timedelta(days=40), revoked_at=now - timedelta(days=20)))
    engine.dispose()
    return base_url, coordinator_code


def take_screenshots(out: Path) -> None:
    import keyring
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QPoint, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QPainter
    from PySide6.QtTest import QTest

    from champions.hub.testing import fresh_database, run_hub
    from champions.store import open_default
    from champions.sync.enrolment import enrol
    from champions.ui.app import apply_style, build_window, make_application
    from champions.ui.coordinator.people_entry import PEOPLE
    from tests.conftest import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    work = Path(os.environ["CHAMPIONS_DATA_DIR"]).parent
    app = make_application()
    apply_style(app)

    def wait(until, extra_ms: int = 300) -> None:  # noqa: ANN001
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not until():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.02)
        assert until(), "timed out"
        end = QDeadlineTimer(extra_ms)
        while not end.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.01)

    def screen_shot(window, dialog=None):  # noqa: ANN001, ANN202
        """What is on the screen: the window, with the dialog where Qt put it over the window."""
        image = window.grab().toImage()
        if dialog is not None:
            painter = QPainter(image)
            at = dialog.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
            painter.drawPixmap(at, dialog.grab())
            painter.setPen(QColor("#8a94a3"))  # no window manager draws its frame under Xvfb
            painter.drawRect(at.x() - 1, at.y() - 1, dialog.width() + 1, dialog.height() + 1)
            painter.end()
        return image

    with fresh_database(work, "sqlite") as url, run_hub(url) as running:
        hub_url, code = seed_hub(url, running.base_url)
        store = open_default()
        enrol(store, hub_url, code, device_name="Office laptop")
        window = build_window(store)
        window.resize(*SIZE)
        window.move(0, 0)
        window.show()
        window.go_to(PEOPLE)
        page = window.pages[PEOPLE]
        wait(lambda: page.loaded_at is not None and not page.is_busy(), 600)
        page.table.setFocus()
        QTest.keyClick(page.table, Qt.Key.Key_Home)
        QTest.keyClick(page.table, Qt.Key.Key_Down)  # Ben's laptop chosen, ready to revoke
        controller = window.sync_controller  # this laptop syncs once, as it does after enrolling
        controller.sync_now()
        wait(lambda: controller.view.last_success is not None and not controller.running)
        page.refresh()
        wait(lambda: not page.loading and not page.is_busy())
        assert len(page.model.rows) == 7, page.model.rows
        assert screen_shot(window).save(str(out / "people-and-devices.png"))

        dialog = page.open_invite()
        wait(lambda: dialog.isVisible())
        QTest.keyClicks(dialog.name, "Priya Shah")
        QTest.keyClick(dialog.name, Qt.Key.Key_Return)
        wait(lambda: dialog.result.isVisible(), 600)
        QTest.keyClick(dialog.copy_button, Qt.Key.Key_Space)
        assert QGuiApplication.clipboard().text() == dialog.code.text()
        wait(lambda: True)
        assert screen_shot(window, dialog).save(str(out / "invite-code.png"))
        dialog.reject()
        window.shutdown()
        window.close()
        store.close()


def test_people_screenshots(tmp_path: Path) -> None:
    from tests.ui.shots import shoot_in_child

    shoot_in_child(__file__, tmp_path, SHOTS, keyring_backend=None, timeout=240)


if __name__ == "__main__":
    take_screenshots(Path(sys.argv[1]))
