"""Sync in the real window against a real hub: enrolling, the status bar, Sync now, the Sync page."""

from __future__ import annotations

from typing import Any

import pytest

from PySide6.QtCore import Qt

from champions.sync.engine import SyncEngine
from champions.sync.enrolment import enrol
from champions.ui.sync.install import install_sync
from tests.e2e.conftest import fast_client, hub  # noqa: F401 - the real hub fixture
from tests.e2e.test_sync_flow import hub_records

from .conftest import make_window

WAIT = 20_000


def sync_window(qtbot: Any, store: Any, **options: Any) -> tuple[Any, Any]:
    window = make_window(qtbot, store)
    options = {"interval_minutes": 60, "debounce_ms": 60_000,
               "engine_factory": lambda s: SyncEngine(s, client_factory=fast_client), **options}
    controller = install_sync(window, store, **options)
    qtbot.waitUntil(lambda: controller.view.phase != "starting", timeout=WAIT)
    return window, controller


def status_text(window: Any) -> str:
    return window.sync_status_widget.label.text()


# The first sync window after the translated-sync tests: twice in full CI runs it was not activated,
# or its first status never came, and never in tests/ui alone; cause not found (stop-11 note).
@pytest.mark.flaky(reruns=2, reruns_delay=2)
def test_enrol_dialog_connects_and_says_who_you_are(qtbot, store, hub):  # noqa: F811
    window, controller = sync_window(qtbot, store)
    assert status_text(window) == "Not connected to a hub · nothing waiting"
    window.go_to("sync")
    page = window.sync
    assert page.enrol_button.isVisible()
    qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    dialog = page.enrol_dialog
    qtbot.waitExposed(dialog)

    qtbot.keyClicks(dialog.hub, hub.url)
    qtbot.keyClicks(dialog.code, "WXYZ-2345")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=WAIT)
    assert dialog.message.text() == "That invite code is not right. Check it with your coordinator: it looks like ABCD-EFGH."

    code = hub.cli.invite(hub.org_id, "Amina")
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, code.lower())  # case does not matter
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Connected."), timeout=WAIT)
    assert dialog.message.text() == ("Connected. You are Amina, community champion, in Wirral Community Voice. "
                                     "This laptop will now sync by itself.")
    qtbot.waitUntil(lambda: controller.view.phase == "synced", timeout=WAIT)
    assert page.who.text().startswith("Connected to Wirral Community Voice as Amina (community champion), on http://127.0.0.1:")
    assert status_text(window).startswith("Synced ") and status_text(window).endswith("· nothing waiting")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    window.shutdown()


def test_status_bar_sync_now_offline_and_revoked(qtbot, store, hub, tmp_path):  # noqa: F811
    identity = enrol(store, hub.url, hub.cli.invite(hub.org_id, "Amina"))
    window, controller = sync_window(qtbot, store)
    from champions.domain.samples import SampleGenerator

    samples = SampleGenerator(seed=4, reference=store.reference)
    records = [store.conversations.save(r) for r in samples.conversations(2)]
    qtbot.waitUntil(lambda: status_text(window).startswith("Online · 2 changes waiting")
                    or status_text(window).startswith("Synced never"), timeout=WAIT)

    window.sync_status_widget.setFocus()
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: controller.view.phase == "synced", timeout=WAIT)
    assert status_text(window).endswith("· nothing waiting")
    assert set(hub_records(hub)) == {r.id for r in records}

    # a save syncs by itself shortly after (debounced)
    controller.debounce.setInterval(200)
    extra = store.conversations.save(next(samples.conversations(1)))
    qtbot.waitUntil(lambda: extra.id in hub_records(hub), timeout=WAIT)

    # the hub goes away: offline, with the work kept and the reason in plain words
    hub.running.kill()
    store.conversations.save(next(samples.conversations(1)))
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.view.phase == "offline", timeout=WAIT)
    assert status_text(window).startswith("Offline · 1 change waiting · last synced ")
    assert window.sync_status_widget.label.toolTip().startswith("Champions cannot reach the hub right now")
    assert controller.view.online is False

    # revoked: sync stops, the app says why, and the export is offered
    from champions.hub.testing import start_hub

    hub.running = start_hub(hub.cli.database_url)
    hub.cli.run("revoke", identity.device_id)
    store.settings.set("sync.identity", {**store.settings.get("sync.identity"), "hub_url": hub.url})
    from champions.sync import credentials

    credentials.save_token(hub.url, identity.device_id, credentials.load_token(identity.hub_url, identity.device_id))
    with qtbot.waitSignal(controller.view_changed, timeout=WAIT, check_params_cb=lambda v: v.phase == "problem"):
        qtbot.mouseClick(window.sync_status_widget.button, Qt.MouseButton.LeftButton)
    assert status_text(window) == "Sync stopped: this laptop can no longer sync · 1 change waiting"
    window.go_to("sync")
    page = window.sync
    assert page.problem.text().startswith("This laptop can no longer sync")
    assert page.export_button.isEnabled() and page.export_button.isDefault()
    target = tmp_path / "for-coordinator.zip"
    page.export(str(target))
    qtbot.waitUntil(lambda: page.export_message.text().startswith("Saved 1 changes"), timeout=WAIT)
    assert target.exists()
    # automatic sync does not hammer a hub that refused this laptop
    assert not controller._automatic_allowed()
    window.shutdown()


def test_sync_page_lists_a_refused_record_and_settles_a_conflict(qtbot, store, hub, tmp_path):  # noqa: F811
    enrol(store, hub.url, hub.cli.invite(hub.org_id, "Amina"))
    from champions.domain.samples import SampleGenerator
    from champions.store import Store

    samples = SampleGenerator(seed=6, reference=store.reference)
    record = store.conversations.save(next(samples.conversations(1)))
    asset = store.assets.save(samples.asset(0).model_copy(update={"status": "active"}))
    window, controller = sync_window(qtbot, store)
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        controller.sync_now()

    # the coordinator changes the same field on the hub
    coordinator = Store.open(tmp_path / "cora.db", None)
    enrol(coordinator, hub.url, hub.cli.add_coordinator(hub.org_id, "Cora"))
    cora = SyncEngine(coordinator, client_factory=fast_client)
    cora.run_once()
    coordinator.conversations.save(coordinator.conversations.get(record.id).model_copy(update={"notes": "hub's words"}))
    cora.run_once()
    store.conversations.save(store.conversations.get(record.id).model_copy(update={"notes": "my words"}))
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        qtbot.keyClick(window, Qt.Key.Key_F5)

    window.go_to("sync")
    page = window.sync
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT)
    rows = {page.table.item(i, 0).data(Qt.ItemDataRole.UserRole).state: i for i in range(2)}
    refused = rows["rejected"]
    assert page.table.item(refused, 0).text() == f"Community asset, {asset.name}"
    assert page.table.item(refused, 1).text() == ("A champion can propose a community asset, and a coordinator "
                                                  "publishes it. Save it as proposed.")
    # a proposed asset cannot be opened here: the advice says what to ask the coordinator instead
    assert page.table.item(refused, 2).text().startswith("A proposed asset cannot be changed on this laptop. "
                                                         "Tell your coordinator what it should say")
    conflict = rows["conflict"]
    assert page.table.item(conflict, 1).text() == "Changed here and on the hub: notes."
    assert page.problems_title.text() == "Records that need you: 2"
    assert status_text(window).endswith("· 2 need attention")

    page.table.setFocus()
    page.table.selectRow(conflict)
    assert page.keep_theirs_button.isEnabled()
    page.table.selectRow(refused)
    assert not page.keep_theirs_button.isEnabled()
    # by keyboard, as a person would: into the list, onto the conflict, Alt+V keeps the hub's version
    page.table.clearSelection()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(conflict):
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.selected().state == "conflict"
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT)
    assert store.conversations.get(record.id).notes == "hub's words"
    assert hub_records(hub)[record.id]["notes"] == "hub's words"
    cora.close()
    coordinator.close()
    window.shutdown()


def test_sync_runs_every_few_minutes_and_when_the_network_comes_back(qtbot, store, hub):  # noqa: F811
    from PySide6.QtNetwork import QNetworkInformation

    enrol(store, hub.url, hub.cli.invite(hub.org_id, "Amina"))
    window, controller = sync_window(qtbot, store)
    assert controller.periodic.isActive() and controller.periodic.interval() == 60 * 60_000
    from champions.domain.samples import SampleGenerator

    samples = SampleGenerator(seed=8, reference=store.reference)
    first = store.conversations.save(next(samples.conversations(1)))
    controller.periodic.setInterval(300)  # "every few minutes", shortened for the test
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        pass
    assert first.id in hub_records(hub)
    controller.periodic.setInterval(60 * 60_000)

    # the platform reports the network going away and coming back (Qt's signal, as the OS sends it)
    reach = QNetworkInformation.Reachability
    controller._reachability_changed(reach.Disconnected)
    assert controller.view.online is False
    assert status_text(window).startswith("Offline")
    second = store.conversations.save(next(samples.conversations(1)))
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        controller._reachability_changed(reach.Online)
    assert second.id in hub_records(hub)
    window.shutdown()


def test_sync_now_pressed_during_a_sync_that_finds_the_hub_gone_does_not_go_round_again(qtbot, store, hub):  # noqa: F811
    """Pressed twice while the hub is down, Sync now tries once: the status settles on Offline
    rather than showing Syncing for another round of retries (the timer and Sync now try again)."""
    enrol(store, hub.url, hub.cli.invite(hub.org_id, "Amina"))
    hub.running.kill()
    window, controller = sync_window(qtbot, store)
    phases: list[str] = []
    controller.view_changed.connect(lambda view: phases.append(view.phase))
    window.sync_status_widget.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert controller.running
    qtbot.keyClick(window, Qt.Key.Key_F5)  # again, while the first is still trying
    qtbot.waitUntil(lambda: controller.view.phase == "offline", timeout=WAIT)
    qtbot.wait(500)
    assert controller.view.phase == "offline" and not controller.running
    assert phases.count("syncing") == 1, phases

    # Once it has settled, Sync now does try again.
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert controller.running
    qtbot.waitUntil(lambda: not controller.running, timeout=WAIT)
    assert controller.view.phase == "offline"
    window.shutdown()
