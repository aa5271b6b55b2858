"""Champions and devices, against a real hub: the list with last sync times, invite codes, revoking a laptop.

The coordinator's laptop is a real encrypted store enrolled with a real invite code (its token in
the test's in-memory keyring backend, as the app keeps it in the OS keyring); champions are the
end-to-end tests' laptops, syncing with the real engine. The page is driven by keyboard and mouse.
"""

from __future__ import annotations

import socket
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from champions.sync.client import HubClient
from champions.sync.enrolment import enrol
from champions.sync.errors import DeviceRevoked
from champions.ui.coordinator.people_page import COLUMNS, PeoplePage, last_sync_text
from tests.e2e.conftest import FAST_CLIENT, fast_client, hub, laptops  # noqa: F401 - the real hub fixtures

WAIT = 20_000
ALT = Qt.KeyboardModifier.AltModifier


def open_page(qtbot: Any, store: Any) -> PeoplePage:
    page = PeoplePage(store, client_factory=fast_client)
    qtbot.addWidget(page, before_close_func=lambda w: w.shutdown())
    page.resize(1100, 600)
    with qtbot.waitActive(page):  # mnemonics only reach the active window
        page.show()
        page.activateWindow()
    qtbot.waitUntil(lambda: page.loaded_at is not None or page.message.isVisible(), timeout=WAIT)
    return page


def cells(page: PeoplePage) -> list[dict[str, str]]:
    model = page.model
    return [{c: model.data(model.index(r, n)) for n, c in enumerate(COLUMNS)} for r in range(model.rowCount())]


def row_of(page: PeoplePage, device: str) -> int:
    return next(n for n, row in enumerate(page.model.rows) if row.device_name == device)


def wait_loaded(qtbot: Any, page: PeoplePage) -> None:
    qtbot.waitUntil(lambda: not page.loading and not page.is_busy(), timeout=WAIT)


@pytest.fixture
def coordinator(store: Any, hub: Any) -> Any:  # noqa: F811
    """This laptop, enrolled as Chloe the coordinator with the code the hub's admin command made."""
    enrol(store, hub.url, hub.cli.add_coordinator(hub.org_id, "Chloe"), device_name="Office laptop")
    return store


def test_the_list_shows_each_champions_laptop_with_its_last_sync(qtbot, qtmodeltester, coordinator, hub, laptops):  # noqa: F811
    amina = laptops("Amina")
    amina.store.conversations.save(next(amina.samples.conversations(1)))
    amina.sync()
    ben = laptops("Ben")  # enrolled, never synced
    page = open_page(qtbot, coordinator)
    assert not page.message.isVisible()
    qtmodeltester.check(page.model)
    rows = cells(page)
    now = datetime.now(timezone.utc).astimezone()
    assert rows[0]["person"] == "Amina" and rows[0]["device"] == "Amina's laptop"
    assert rows[0]["role"] == "Community champion" and rows[0]["access"] == "Can sync"
    assert rows[0]["last_sync"].startswith("today ")
    synced = datetime.strptime(rows[0]["last_sync"], "today %H:%M").replace(year=now.year, month=now.month, day=now.day)
    assert abs(synced - now.replace(tzinfo=None, second=0, microsecond=0)) <= timedelta(minutes=2)
    assert rows[1] == {"person": "Ben", "role": "Community champion", "device": "Ben's laptop",
                       "last_sync": "never", "access": "Can sync"}
    assert rows[2]["person"] == "Chloe" and rows[2]["role"] == "Coordinator"
    assert rows[2]["device"] == "Office laptop (this laptop)"
    assert page.status.text().startswith("3 people · 3 devices · updated today ")
    # the full time is in the tooltip
    tip = page.model.data(page.model.index(0, COLUMNS.index("last_sync")), Qt.ItemDataRole.ToolTipRole)
    assert tip and str(now.year) in tip

    # Ben syncs while the coordinator is on another page; coming back a while later asks the hub again
    page.hide()
    ben.sync()
    page.loaded_at -= timedelta(minutes=2)
    page.show()
    qtbot.waitUntil(lambda: cells(page)[1]["last_sync"].startswith("today "), timeout=WAIT)


def test_a_person_disabled_on_the_hub_reads_so_on_each_of_their_laptops(qtbot, coordinator, hub, laptops):  # noqa: F811
    amina = laptops("Amina")
    laptops("Ben")
    hub.cli.run("disable-person", amina.identity.person_id)  # the admin's command, as IT would run it
    page = open_page(qtbot, coordinator)
    amina_row, ben_row = cells(page)[row_of(page, "Amina's laptop")], cells(page)[row_of(page, "Ben's laptop")]
    assert (amina_row["access"], ben_row["access"]) == ("Person disabled", "Can sync")
    index = page.model.index(row_of(page, "Amina's laptop"), COLUMNS.index("access"))
    assert "none of this person's laptops can sync" in page.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert page.model.data(index, Qt.ItemDataRole.FontRole).italic()  # greyed like a revoked laptop
    page.table.setFocus()
    page.table.setCurrentIndex(index)
    assert page.revoke_button.isEnabled()  # the laptop itself can still be revoked, should the person come back
    hub.cli.run("disable-person", amina.identity.person_id, "--enable")
    page.refresh()
    wait_loaded(qtbot, page)
    assert cells(page)[row_of(page, "Amina's laptop")]["access"] == "Can sync"


def test_last_sync_in_plain_words() -> None:
    now = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc).astimezone()
    at = now.replace(hour=10, minute=42)
    assert last_sync_text(at, now) == "today 10:42"
    assert last_sync_text(at - timedelta(days=1), now) == "yesterday 10:42"
    assert last_sync_text(at - timedelta(days=3), now) == "3 days ago"
    assert last_sync_text(at - timedelta(days=30), now) == (at - timedelta(days=30)).strftime("%-d %b %Y")
    assert last_sync_text(None, now) == "never"


def test_an_invite_code_made_by_keyboard_is_shown_big_copied_and_enrols_a_laptop(qtbot, coordinator, hub):  # noqa: F811
    page = open_page(qtbot, coordinator)
    qtbot.keyClick(page, Qt.Key.Key_I, ALT)  # Make invite code… (a mnemonic clicks after a short animation)
    qtbot.waitUntil(lambda: page.invite_dialog is not None)
    dialog = page.invite_dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.name.hasFocus()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # no name yet: a plain message, no code
    assert dialog.message.text() == "Type the name of the person the code is for."
    assert not dialog.result.isVisible()
    qtbot.keyClicks(dialog.name, "Dana Mensah")
    qtbot.keyClick(dialog, Qt.Key.Key_R, ALT)  # Role: Coordinator
    assert dialog.role.hasFocus()
    qtbot.keyClick(dialog.role, Qt.Key.Key_Down)
    assert dialog.role.currentData() == "coordinator"
    qtbot.keyClick(dialog, Qt.Key.Key_M, ALT)  # Make code
    qtbot.waitUntil(lambda: dialog.result.isVisible(), timeout=WAIT)

    code = dialog.code.text()
    assert len(code) == 9 and code[4] == "-"
    assert dialog.caption.text() == "Invite code for Dana Mensah (coordinator):"
    assert dialog.code.font().pointSizeF() >= 2.5 * dialog.font().pointSizeF()
    assert dialog.code.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    expires = dialog.invite.expires_at[:10]
    assert (datetime.fromisoformat(expires).date() - datetime.now(timezone.utc).date()).days == 7
    assert dialog.details.text().startswith("It works once, until ")
    assert dialog.hub_address.text() == f"Hub address: {hub.url}"
    QGuiApplication.clipboard().clear()
    assert dialog.copy_button.hasFocus()
    qtbot.keyClick(dialog.copy_button, Qt.Key.Key_Space)  # Copy
    assert QGuiApplication.clipboard().text() == code
    assert dialog.copy_button.text() == "Copied"

    with HubClient(hub.url, **FAST_CLIENT) as client:
        joined = client.enrol(code, "Dana's laptop")
    assert (joined.person.name, joined.person.role) == ("Dana Mensah", "coordinator")

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closing the dialog lists the new laptop
    qtbot.waitUntil(lambda: any(r.device_name == "Dana's laptop" for r in page.model.rows), timeout=WAIT)
    assert cells(page)[row_of(page, "Dana's laptop")]["person"] == "Dana Mensah"


def test_a_second_laptop_for_someone_already_enrolled(qtbot, coordinator, hub, laptops):  # noqa: F811
    laptops("Amina")
    page = open_page(qtbot, coordinator)
    dialog = page.open_invite()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_F, ALT)  # For: Amina
    qtbot.keyClick(dialog.who, Qt.Key.Key_Down)
    assert dialog.who.currentText() == "Amina (community champion)"
    assert not dialog.name.isEnabled() and not dialog.role.isEnabled()
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result.isVisible(), timeout=WAIT)
    with HubClient(hub.url, **FAST_CLIENT) as client:
        joined = client.enrol(dialog.code.text(), "Amina's new laptop")
    assert joined.person.id == page.model.rows[0].person_id
    dialog.reject()


def test_revoking_a_laptop_asks_first_and_then_it_cannot_sync(qtbot, coordinator, hub, laptops):  # noqa: F811
    amina, ben = laptops("Amina"), laptops("Ben")
    amina.sync()
    page = open_page(qtbot, coordinator)
    assert not page.revoke_button.isEnabled()  # nothing chosen yet
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Home)  # the first row: Amina's laptop
    assert page.selected().device_name == "Amina's laptop"
    assert page.revoke_button.isEnabled()

    # Cancel (the default, so a stray Return is safe) keeps the laptop connected
    qtbot.mouseClick(page.revoke_button, Qt.MouseButton.LeftButton)
    box = page.confirm
    qtbot.waitExposed(box)
    assert box.text() == "Revoke “Amina's laptop”, Amina's laptop?"
    assert "Amina can export them for you" in box.informativeText()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())
    wait_loaded(qtbot, page)
    assert amina.sync() is not None  # still syncing

    qtbot.mouseClick(page.revoke_button, Qt.MouseButton.LeftButton)
    box = page.confirm
    qtbot.waitExposed(box)
    yes = box.findChild(type(page.revoke_button), "revokeYes")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cells(page)[row_of(page, "Amina's laptop")]["access"] == "Revoked", timeout=WAIT)
    assert page.message.text() == "“Amina's laptop” (Amina) is revoked: it can no longer sync."
    assert page.selected().device_name == "Amina's laptop"  # the choice survives the refresh
    assert not page.revoke_button.isEnabled()
    assert cells(page)[row_of(page, "Ben's laptop")]["access"] == "Can sync"
    with pytest.raises(DeviceRevoked):
        amina.sync()
    assert ben.sync() is not None


def test_a_stopped_hub_is_a_plain_message_and_the_window_stays_responsive(qtbot, coordinator, hub, laptops):  # noqa: F811
    laptops("Amina")
    page = open_page(qtbot, coordinator)
    before = cells(page)
    hub.running.stop()

    ticks: list[float] = []
    timer = QTimer(page)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    clock = QElapsedTimer()
    clock.start()
    page.refresh_button.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_S, ALT)  # Refresh (a mnemonic clicks after a short animation)
    qtbot.waitUntil(lambda: page.status.text() == "Asking the hub…", timeout=2_000)
    assert clock.elapsed() < 1_000  # the call went to the worker, not the GUI thread
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=WAIT)
    timer.stop()
    text = page.message.text()
    assert text.startswith("Champions cannot reach the hub right now (no connection, or the hub is down).")
    assert "The list below is from today " in text
    assert "Traceback" not in text and "Error" not in text
    assert page.message.property("problem") is True
    assert cells(page) == before  # the last list stays on screen
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert ticks and max(gaps, default=0) < 0.5, gaps

    # making a code says the same, in the dialog
    dialog = page.open_invite()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Ben")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Champions cannot reach the hub"), timeout=WAIT)
    assert not dialog.result.isVisible() and dialog.make_button.isEnabled()
    dialog.reject()


def test_a_hub_that_never_answers_leaves_the_window_responsive(qtbot, coordinator, hub):  # noqa: F811
    """A connection that opens but never answers (a dead proxy, a hung hub) must not freeze the window."""
    from champions.sync import credentials
    from champions.sync.enrolment import IDENTITY_KEY, current_identity

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the connection; nobody ever reads or answers
    url = f"http://127.0.0.1:{silent.getsockname()[1]}"
    identity = current_identity(coordinator)
    credentials.save_token(url, identity.device_id, credentials.load_token(identity.hub_url, identity.device_id))
    coordinator.settings.set(IDENTITY_KEY, {**coordinator.settings.get(IDENTITY_KEY), "hub_url": url})
    page = PeoplePage(coordinator, client_factory=lambda ident, token: HubClient(
        ident.hub_url, token, timeout=(2.0, 2.0), retries=0), load_now=False)
    qtbot.addWidget(page, before_close_func=lambda w: w.shutdown())
    page.show()
    ticks: list[float] = []
    timer = QTimer(page)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    started = time.monotonic()
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    assert time.monotonic() - started < 0.5 and page.status.text() == "Asking the hub…"
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=WAIT)
    timer.stop()
    silent.close()
    assert time.monotonic() - started >= 1.9  # it really waited for the hub...
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > 40 and max(gaps) < 0.25, gaps  # ...while the window kept running
    assert page.message.text().startswith("The hub did not answer in time")  # slow, not unreachable


def test_on_a_champions_laptop_the_hub_says_only_a_coordinator_can(qtbot, store, hub):  # noqa: F811
    enrol(store, hub.url, hub.cli.invite(hub.org_id, "Amina"), device_name="Amina's laptop")
    page = open_page(qtbot, store)
    assert page.message.text() == "Only a coordinator or admin can do this."
    assert page.model.rowCount() == 0


def test_a_laptop_not_enrolled_says_so(qtbot, store):
    page = open_page(qtbot, store)
    assert page.message.text() == ("This laptop is not connected to a hub yet. Enrol with the invite code from "
                                   "your coordinator.")
    page.message.clear()
    QTest.keyClick(page, Qt.Key.Key_S, ALT)  # Refresh: asks again, says it again
    qtbot.waitUntil(lambda: page.message.text().startswith("This laptop is not connected"), timeout=WAIT)
