"""The coordinator curates the Assets page: imports and exports Open Referral UK, publishes and edits.

A real coordinator's laptop (an encrypted store enrolled with a coordinator's identity, so the
page decides on its own that the actions are due) and the real window, driven by keyboard. The
folder a QFileDialog would ask for comes from the page's path chooser.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from champions.coordinator import Cancelled, TaskState
from champions.coordinator.openreferral import export_package
from champions.domain import AssetContact, CommunityAsset
from champions.domain.ids import uuid7
from champions.domain.samples import SampleGenerator
from champions.store import Query, Store, open_default
from champions.sync.enrolment import IDENTITY_KEY
from tests.coordinator.test_openreferral import rows_as_json
from tests.ui.coordinator.conftest import fill, identity

from .conftest import make_window, settle

ORUK = Path(__file__).resolve().parents[1] / "coordinator" / "data" / "oruk"
EXAMPLES = ORUK / "examples"
WAIT = 20_000


@pytest.fixture
def coordinator_store() -> Iterator[Store]:
    store = open_default()
    store.settings.set(IDENTITY_KEY, identity("coordinator"))
    fill(store, conversations=10, barriers=2, activities=2)  # and six assets
    yield store
    store.close()


@pytest.fixture
def window(qtbot: Any, coordinator_store: Store) -> Iterator[Any]:
    win = make_window(qtbot, coordinator_store)
    settle(qtbot, win)
    yield win
    win.assets.shutdown()
    win.shutdown()


def show_assets(qtbot: Any, window: Any, folder: Path | None = None) -> Any:
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = window.assets
    assert window.stack.currentWidget() is page
    settle(qtbot, window)
    chosen: list[str] = []
    page.set_path_chooser(lambda purpose: chosen.append(purpose) or folder)
    page.chosen = chosen
    return page


def press(qtbot: Any, window: Any, key: Qt.Key) -> None:
    """Alt+letter: the button's mnemonic, as a keyboard user presses it (once the window is active again).

    A mnemonic "animates" the click: the button is clicked about 100 ms later, so wait for what it does."""
    if not window.isActiveWindow():  # offscreen gives activation back to no one when a message box closes
        window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)


def run_and_answer(qtbot: Any, window: Any, page: Any, key: Qt.Key) -> Any:
    """Press the action, wait for its job on the worker, return the message box it answers with."""
    with qtbot.waitSignal(page.curation_finished, timeout=WAIT):
        press(qtbot, window, key)
    box = page.message
    assert box is not None and box.isVisible()
    return box


def close(qtbot: Any, box: Any) -> None:
    qtbot.waitUntil(box.isActiveWindow)
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())


def names(page: Any) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def test_a_champion_has_no_curation_actions(qtbot: Any, store: Store) -> None:
    win = make_window(qtbot, store)
    try:
        page = show_assets(qtbot, win)
        assert not page.coordinator
        for widget in (page.publish_button, page.edit_button, page.coordinator_bar, page.import_button):
            assert not widget.isVisible()
        assert page.propose_button.isVisible()
        press(qtbot, win, Qt.Key.Key_R)  # the import's mnemonic does nothing here
        qtbot.wait(300)
        assert page.run is None and page.chosen == []
    finally:
        win.shutdown()


def test_the_oruk_examples_import_through_the_page_and_a_second_import_adds_nothing(
        qtbot: Any, window: Any, coordinator_store: Store) -> None:
    page = show_assets(qtbot, window, EXAMPLES)
    assert page.coordinator and page.import_button.isVisible()
    assert page.model.rowCount() == 6

    with qtbot.waitSignal(page.data_changed, timeout=WAIT):
        box = run_and_answer(qtbot, window, page, Qt.Key.Key_R)
    assert page.chosen == ["oruk-import"]
    assert box.text() == "1 asset imported: 1 new, 0 updated."
    assert box.informativeText() == "The champions get them on their next sync."
    assert box.icon() == box.Icon.Information
    close(qtbot, box)
    settle(qtbot, window)
    assert coordinator_store.assets.count(Query()) == 7
    assert "Community Counselling" in names(page)
    assert page.count_label.text() == "7 assets"
    counselling = coordinator_store.assets.get("ac148810-d857-441c-9679-408f346de14b")
    assert (counselling.status, counselling.contact.phone) == ("active", "+44 1234 234567")

    box = run_and_answer(qtbot, window, page, Qt.Key.Key_R)
    assert box.text() == "Nothing to import: the assets in this package are already listed as they are."
    close(qtbot, box)
    settle(qtbot, window)
    assert coordinator_store.assets.count(Query()) == 7
    assert coordinator_store.assets.count(Query(include_deleted=True)) == 7
    assert page.model.rowCount() == 7
    assert coordinator_store.assets.get(counselling.id).rev == counselling.rev  # not even re-saved


def twelve_assets(store: Store) -> list[CommunityAsset]:
    gen = SampleGenerator(seed=77, reference=store.reference)
    return [gen.asset(i).model_copy(update={"id": uuid7(), "name": f"Directory entry {i:02d}"}) for i in range(12)]


def test_a_package_with_new_and_changed_assets_says_how_many_of_each(
        qtbot: Any, window: Any, coordinator_store: Store, tmp_path: Path) -> None:
    assets = twelve_assets(coordinator_store)
    coordinator_store.assets.save_many([a.model_copy(update={"opening_times": "Old hours"}) for a in assets[:2]])
    export_package(tmp_path, assets, coordinator_store.reference)
    page = show_assets(qtbot, window, tmp_path)

    box = run_and_answer(qtbot, window, page, Qt.Key.Key_R)
    assert box.text() == "12 assets imported: 10 new, 2 updated."
    close(qtbot, box)
    settle(qtbot, window)
    assert coordinator_store.assets.count(Query()) == 6 + 12
    assert coordinator_store.assets.get(assets[0].id).opening_times == assets[0].opening_times
    assert sum(n.startswith("Directory entry") for n in names(page)) == 12
    assert page.curation_label.text() == "12 assets imported: 10 new, 2 updated."


def test_a_bad_package_names_the_file_the_line_and_the_problem(
        qtbot: Any, window: Any, coordinator_store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    page = show_assets(qtbot, window, empty)
    box = run_and_answer(qtbot, window, page, Qt.Key.Key_R)
    assert box.text() == "Nothing was imported from empty."
    assert box.informativeText() == ("1 problem in the package:\n"
                                     "services.csv: There is no services.csv in this folder, so there is nothing to import.")
    assert box.icon() == box.Icon.Warning
    close(qtbot, box)

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "services.csv").write_text("id,name,status\ns1,Walk-in clinic,active\ns2,Food bank,open\ns3,,active\n",
                                      encoding="utf-8")
    page.set_path_chooser(lambda _purpose: bad)
    box = run_and_answer(qtbot, window, page, Qt.Key.Key_R)
    assert box.text() == "1 asset imported: 1 new, 0 updated."
    assert box.informativeText() == (
        "2 problems in the package:\n"
        "services.csv, line 3: The status “open” is not one of active, inactive, defunct or temporarily closed, "
        "so the service was skipped.\n"
        "services.csv, line 4: The service has no name, so it was skipped.\n\n"
        "The champions get them on their next sync.")
    close(qtbot, box)
    assert coordinator_store.assets.get("s1").name == "Walk-in clinic"
    assert coordinator_store.assets.count(Query()) == 7


def test_many_problems_are_all_in_the_details(qtbot: Any, window: Any, tmp_path: Path) -> None:
    lines = "".join(f"s{i},Service {i},open\n" for i in range(10))
    (tmp_path / "services.csv").write_text("id,name,status\n" + lines, encoding="utf-8")
    page = show_assets(qtbot, window, tmp_path)
    box = run_and_answer(qtbot, window, page, Qt.Key.Key_R)
    assert box.text() == "Nothing was imported from " + tmp_path.name + "."
    assert box.informativeText().startswith("10 problems in the package:\nservices.csv, line 2: The status “open”")
    assert box.informativeText().endswith("…and 4 more (Show Details…).")
    assert len(box.detailedText().splitlines()) == 10
    close(qtbot, box)


def test_an_export_validates_against_the_uk_json_schemas(
        qtbot: Any, window: Any, coordinator_store: Store, tmp_path: Path) -> None:
    proposal = SampleGenerator(seed=3, reference=coordinator_store.reference).asset(0).model_copy(
        update={"id": uuid7(), "status": "proposed", "name": "Proposed drop-in",
                "contact": AssetContact(name="Front desk", phone="0151 111 2222", email="hello@example.org")})
    coordinator_store.assets.save(proposal)
    out = tmp_path / "out"
    out.mkdir()
    page = show_assets(qtbot, window, out)
    box = run_and_answer(qtbot, window, page, Qt.Key.Key_X)
    assert page.chosen == ["oruk-export"]
    assert box.text() == "7 assets exported as Open Referral UK."
    assert box.informativeText().startswith(f"In {out}: datapackage.json, organizations.csv, services.csv")
    close(qtbot, box)

    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    checked = 0
    for resource in package["resources"]:
        schema = json.loads((ORUK / "schema" / f"{resource['name']}.json").read_text(encoding="utf-8"))
        validator_class = jsonschema.validators.validator_for(schema)
        validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        for row in rows_as_json(out / resource["path"], schema, types):
            assert [e.message for e in validator.iter_errors(row)] == [], (resource["name"], row)
            checked += 1
    assert checked > 20
    with open(out / "services.csv", encoding="utf-8", newline="") as handle:
        services = {row["id"]: row for row in csv.DictReader(handle)}
    assert len(services) == 7
    assert services[proposal.id]["status"] == "inactive"  # ORUK has no "proposed": kept as a Champions term

    # The export read back into the same laptop changes nothing.
    page.set_path_chooser(lambda _purpose: out)
    box = run_and_answer(qtbot, window, page, Qt.Key.Key_R)
    assert box.text() == "Nothing to import: the assets in this package are already listed as they are."
    close(qtbot, box)
    assert coordinator_store.assets.count(Query()) == 7


def test_publishing_a_proposal_by_keyboard(qtbot: Any, window: Any, coordinator_store: Store) -> None:
    proposal = CommunityAsset(name="Coffee and jabs", status="proposed", author_id="amina",
                              description="Coffee morning with a nurse once a month.")
    coordinator_store.assets.save(proposal)
    page = show_assets(qtbot, window)
    assert names(page)[0] == "Coffee and jabs"  # proposals first
    assert page.model.index(0, 5).data() == "Proposed: check it, then publish"
    assert not page.publish_button.isEnabled()  # nothing chosen yet
    before = coordinator_store.unsynced_count()

    page.table.setFocus()
    assert page.table.currentIndex().row() == 0 and page.selected_row() is None  # the cursor is on it, no more
    assert not page.publish_button.isEnabled()
    QTest.keyClick(page.table, Qt.Key.Key_Space)  # choose it
    assert page.selected_row().cells[0] == "Coffee and jabs"
    assert page.publish_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        press(qtbot, window, Qt.Key.Key_B)  # Pu&blish
    settle(qtbot, window)

    stored = coordinator_store.assets.get(proposal.id)
    assert (stored.status, stored.rev, stored.author_id) == ("active", 2, "amina")
    assert coordinator_store.unsynced_count() == before + 1  # queued for the hub, then every champion
    assert page.curation_label.text() == "Published “Coffee and jabs”: the champions get it on their next sync."
    row = page.model.row_of(proposal.id)
    assert page.model.index(row, 5).data() == "Listed"
    assert page.table.currentIndex().row() == row and page.table.hasFocus()  # still on it, for the keyboard
    assert not page.publish_button.isEnabled()  # it is listed now
    press(qtbot, window, Qt.Key.Key_B)
    qtbot.wait(300)
    assert coordinator_store.assets.get(proposal.id).rev == 2


def test_editing_an_asset_keeps_what_the_form_does_not_show(qtbot: Any, window: Any, coordinator_store: Store) -> None:
    [asset] = [a for a in coordinator_store.assets.query(Query()) if a.name.startswith("GP registration")]
    page = show_assets(qtbot, window)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(page.model.row_of(asset.id), 0))
    QTest.keyClick(page.table, Qt.Key.Key_Return)  # Enter opens it
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible() and dialog.asset.id == asset.id
    assert [d for d in page.findChildren(type(dialog)) if d.isVisible()] == [dialog]  # one, however Enter arrives
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.windowTitle() == "Edit a community asset"
    assert (dialog.name.text(), dialog.opening_times.text()) == (asset.name, asset.opening_times)

    dialog.opening_times.setFocus()
    dialog.opening_times.selectAll()
    qtbot.keyClicks(dialog.opening_times, "Tuesdays 10-12")
    dialog.status.setFocus()
    QTest.keyClick(dialog.status, Qt.Key.Key_End)  # the last status: no longer running
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()

    stored = coordinator_store.assets.get(asset.id)
    assert (stored.opening_times, stored.status, stored.rev) == ("Tuesdays 10-12", "inactive", asset.rev + 1)
    for kept in ("contact", "taxonomy_terms", "languages", "neighbourhood", "description", "created_at"):
        assert getattr(stored, kept) == getattr(asset, kept), kept
    assert stored.location.model_dump(exclude={"name"}) == asset.location.model_dump(exclude={"name"})
    settle(qtbot, window)
    row = page.model.row_of(asset.id)
    assert page.model.index(row, 4).data() == "Tuesdays 10-12"
    assert page.model.index(row, 5).data() == "No longer running"
    assert page.table.currentIndex().row() == row


def test_cancel_stops_a_long_job_and_says_so(qtbot: Any, window: Any) -> None:
    """The progress dialog's Cancel (Escape) reaches the job on its own thread through TaskState."""
    from champions.ui.coordinator.asset_curation import TaskRun

    page = show_assets(qtbot, window)
    started: list[bool] = []

    def job(_store: Any, task: TaskState) -> int:
        started.append(True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if task.cancelled:
                raise Cancelled()
            task.progress(1, 2)
            time.sleep(0.01)
        return 1

    run = TaskRun(window.store, job, "Working", "Working…", page)
    qtbot.waitUntil(lambda: bool(started) and run.dialog.value() == 500, timeout=WAIT)
    with qtbot.waitSignal(run.finished, timeout=WAIT) as finished:
        QTest.keyClick(run.dialog, Qt.Key.Key_Escape)
    assert finished.args[0].cancelled
    assert not run.is_running()

