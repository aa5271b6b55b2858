"""The asset directory end to end: a coordinator imports Open Referral UK on the Assets page, publishes, syncs.

A real hub on 127.0.0.1, a coordinator's and a champion's laptops with real stores and the real
sync client. The coordinator works in the real Assets page (its path chooser gives the folder a
QFileDialog would ask for); the champion's laptop only syncs. Listed assets reach the champion,
a proposal only once it is published, and importing the same package again sends nothing new.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from champions.coordinator.openreferral import content, export_package
from champions.domain import CommunityAsset
from champions.domain.ids import uuid7
from champions.store import Query

EXAMPLES = Path(__file__).resolve().parents[1] / "coordinator" / "data" / "oruk" / "examples"
WAIT = 30_000


def hub_assets(hub: Any) -> dict[str, dict]:
    """Every community asset the hub holds for the org, by id; fails on a duplicate id."""
    out = hub.cli.run("export", "--org", hub.org_id, "--include-deleted", "--kind", "community_asset")
    found: dict[str, dict] = {}
    for line in out.splitlines():
        if line.strip().startswith("{"):
            body = json.loads(line)
            assert body["id"] not in found, f"duplicate asset {body['id']} on the hub"
            found[body["id"]] = body
    return found


def package(folder: Path, laptop: Any) -> list[CommunityAsset]:
    """Three listed assets and one proposal, as a council's directory might send them."""
    assets = [laptop.samples.asset(i).model_copy(update={"id": uuid7(), "name": f"Council listing {i}"})
              for i in range(4)]
    assets[3] = assets[3].model_copy(update={"status": "proposed", "name": "Council listing to check"})
    export_package(folder, assets, laptop.store.reference)
    return assets


def activate(qtbot: Any, page: Any) -> None:
    """Mnemonics reach the active window only; offscreen gives activation back to no one after a message box."""
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)


def import_folder(qtbot: Any, page: Any, folder: Path) -> str:
    page.set_path_chooser(lambda _purpose: folder)
    activate(qtbot, page)
    with qtbot.waitSignal(page.curation_finished, timeout=WAIT):
        QTest.keyClick(page, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # Import Open &Referral UK…
    box = page.message
    text = box.text()
    qtbot.waitUntil(box.isActiveWindow)
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())
    return text


def test_imported_assets_reach_the_champions_and_a_proposal_once_published(qtbot, hub, laptops, tmp_path) -> None:
    from champions.ui.app import make_application
    from champions.ui.pages.assets_page import AssetsPage
    from champions.ui.workers import StoreWorker

    make_application()
    amina, cora = laptops("Amina"), laptops("Cora", "coordinator")
    amina.sync()
    cora.sync()
    folder = tmp_path / "directory"
    assets = package(folder, cora)

    worker = StoreWorker(cora.store)
    page = AssetsPage(cora.store, worker)  # decides from the enrolment that this is a coordinator's laptop
    qtbot.addWidget(page)
    try:
        assert page.coordinator
        page.show()
        assert import_folder(qtbot, page, EXAMPLES) == "1 asset imported: 1 new, 0 updated."
        assert import_folder(qtbot, page, folder) == "4 assets imported: 4 new, 0 updated."
        assert cora.store.assets.count(Query()) == 5

        report = cora.sync()
        assert report.accepted == 5 and report.rejected == 0
        amina.sync()
        listed = {a.id: a for a in amina.store.assets.query(Query())}
        expected = [EXAMPLES_ID, *(a.id for a in assets[:3])]
        assert sorted(listed) == sorted(expected)  # the proposal stays with the coordinator
        for asset in assets[:3]:
            assert content(listed[asset.id]) == content(cora.store.assets.get(asset.id))
        assert listed[EXAMPLES_ID].name == "Community Counselling"

        # The coordinator publishes the proposal by keyboard, and it follows on the next syncs.
        qtbot.waitUntil(lambda: page.model.row_of(assets[3].id) >= 0, timeout=WAIT)
        activate(qtbot, page)
        page.table.setFocus()
        page.table.selectRow(page.model.row_of(assets[3].id))
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            QTest.keyClick(page, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # Pu&blish
        assert cora.store.assets.get(assets[3].id).status == "active"
        assert cora.sync().accepted == 1
        amina.sync()
        assert amina.store.assets.get(assets[3].id).status == "active"
        assert amina.store.assets.count(Query()) == 5

        # The examples again: nothing changes, nothing is sent, nothing is doubled.
        assert import_folder(qtbot, page, EXAMPLES) == (
            "Nothing to import: the assets in this package are already listed as they are.")
        assert cora.sync().sent == 0
        amina.sync()
        assert amina.store.assets.count(Query(include_deleted=True)) == 5
        on_hub = hub_assets(hub)
        assert sorted(on_hub) == sorted([EXAMPLES_ID, *(a.id for a in assets)])
    finally:
        page.close()
        page.shutdown()
        worker.close()


EXAMPLES_ID = "ac148810-d857-441c-9679-408f346de14b"
