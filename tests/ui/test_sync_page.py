"""The Sync page's advice matches what the champion can do, and export works for refused records."""

from __future__ import annotations

import json
import zipfile
from typing import Any

from champions.sync.enrolment import enrol
from champions.ui.sync.controller import ProblemRow
from champions.ui.sync.page import OPENABLE, what_to_do
from tests.e2e.conftest import hub  # noqa: F401 - the real hub fixture

from .test_sync_ui import WAIT, sync_window


def test_advice_for_each_kind_of_refused_record_matches_the_open_button(qtbot: Any) -> None:
    for kind in ("conversation", "outreach_activity", "community_asset", "reference_item", "barrier"):
        advice = what_to_do(ProblemRow(kind, "r1", "t", "rejected", "why"))
        says_open = advice.startswith("Open the record")
        assert says_open == (kind in OPENABLE), (kind, advice)
    assert "cannot be changed on this laptop" in what_to_do(ProblemRow("community_asset", "r", "t", "rejected", ""))
    assert "kept by your coordinator" in what_to_do(ProblemRow("reference_item", "r", "t", "rejected", ""))


def test_a_refused_asset_says_what_can_be_done_and_is_exported_for_the_coordinator(qtbot, store, hub, tmp_path):  # noqa: F811
    enrol(store, hub.url, hub.cli.invite(hub.org_id, "Amina"))
    from champions.domain.samples import SampleGenerator

    samples = SampleGenerator(seed=6, reference=store.reference)
    asset = store.assets.save(samples.asset(0).model_copy(update={"status": "active"}))  # a champion cannot publish
    window, controller = sync_window(qtbot, store)
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        controller.sync_now()
    window.go_to("sync")
    page = window.sync
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT)
    assert controller.view.unsynced == 0  # nothing waits: the only unsynced work is the refused asset

    page.table.setFocus()
    page.table.selectRow(0)
    assert page.selected().record_id == asset.id
    advice = page.table.item(0, 2).text()
    assert advice.startswith("A proposed asset cannot be changed on this laptop. Tell your coordinator")
    assert "Open the record" not in advice
    assert not page.open_button.isEnabled()  # and nothing tells the champion to press it
    assert not page.keep_mine_button.isEnabled()

    assert page.export_button.isEnabled()  # refused records are unsynced work: they can go to the coordinator
    target = tmp_path / "for-cora.zip"
    page.export(str(target))
    qtbot.waitUntil(lambda: page.export_message.text().startswith("Saved"), timeout=WAIT)
    assert page.export_message.text().startswith("Saved 1 changes to")
    with zipfile.ZipFile(target) as zf:
        [line] = zf.read("changes.jsonl").decode().splitlines()
    change = json.loads(line)
    assert (change["kind"], change["id"], change["record"]["status"]) == ("community_asset", asset.id, "active")
    window.shutdown()


def test_export_stays_off_when_nothing_is_unsynced(qtbot, store, hub):  # noqa: F811
    enrol(store, hub.url, hub.cli.invite(hub.org_id, "Amina"))
    window, controller = sync_window(qtbot, store)
    with qtbot.waitSignal(controller.sync_finished, timeout=WAIT):
        controller.sync_now()
    window.go_to("sync")
    qtbot.waitUntil(lambda: controller.view.phase == "synced", timeout=WAIT)
    assert controller.view.unsynced == 0 and not controller.view.problems
    assert not window.sync.export_button.isEnabled()
    window.shutdown()
