"""The Assets page: browse, search, and propose a new asset with plain-words problems."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from champions.store import Query

from .conftest import settle


def show_assets(qtbot: Any, window: Any) -> Any:
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.assets
    settle(qtbot, window)
    return window.assets


def names(page: Any) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def test_assets_are_listed_and_searched(qtbot: Any, window: Any) -> None:
    page = show_assets(qtbot, window)
    assert page.model.rowCount() == 6
    assert page.count_label.text() == "6 assets"
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    assert headers == ["Name", "Organisation", "Neighbourhood", "Languages", "Opening times", "Status"]

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.search, "registration")
    settle(qtbot, window)
    assert len(names(page)) == 1
    assert names(page)[0].startswith("GP registration help desk")
    assert page.model.index(0, 4).data() == "Mon-Fri 9:00-17:00"

    page.table.setFocus()
    page.table.selectRow(0)
    assert page.details.text() == "Help to register with a GP, no proof of address needed."


def test_proposing_an_asset_explains_problems_and_keeps_what_was_typed(qtbot: Any, window: Any, demo_store: Any) -> None:
    page = show_assets(qtbot, window)
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)

    qtbot.keyClicks(dialog.organisation, "St Mary's Church")
    qtbot.keyClicks(dialog.postcode, "CH41")
    qtbot.keyClicks(dialog.opening_times, "Tuesdays 10-12")
    dialog.description.setFocus()
    qtbot.keyClicks(dialog.description, "Coffee morning with a nurse once a month.")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert dialog.isVisible()
    assert dialog.errors["name"].text() == "Give the service a name people would recognise."
    assert dialog.errors["postcode"].text() == (
        "Enter the whole postcode of the place, for example CH41 5LH, or leave it empty."
    )
    assert dialog.name.hasFocus()  # the first problem
    assert dialog.organisation.text() == "St Mary's Church"
    assert dialog.opening_times.text() == "Tuesdays 10-12"
    assert dialog.description.toPlainText() == "Coffee morning with a nurse once a month."
    assert demo_store.assets.count(Query()) == 6

    qtbot.keyClicks(dialog.name, "Coffee and jabs")
    dialog.postcode.clear()
    qtbot.keyClicks(dialog.postcode, "ch41 5lh")
    dialog.languages.setFocus()
    dialog.languages.setCurrentRow(1)
    qtbot.keyClick(dialog.languages, Qt.Key.Key_Space)  # tick a language from the keyboard
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not dialog.isVisible()
    proposed = [a for a in demo_store.assets.query(Query()) if a.status == "proposed"]
    assert len(proposed) == 1
    asset = proposed[0]
    assert (asset.name, asset.organization.name, asset.location.postcode, asset.opening_times) == (
        "Coffee and jabs", "St Mary's Church", "CH41 5LH", "Tuesdays 10-12"
    )
    assert asset.languages == [dialog.languages.item(1).data(Qt.ItemDataRole.UserRole)]
    assert asset.neighbourhood == demo_store.reference.neighbourhood_for("CH41 5LH")

    settle(qtbot, window)
    assert names(page)[0] == "Coffee and jabs"  # proposals first, for the champion to see
    # The demo is a coordinator's window: the proposal waits for them to publish it.
    assert page.model.index(0, 5).data() == "Proposed: check it, then publish"
