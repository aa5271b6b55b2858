"""Importing the deprivation file as a coordinator does it, then reading the Dashboard by decile.

A small file is generated in the coordinator's format (postcode, lsoa21cd, imd_decile) for the
postcode districts the laptop's conversations name, each district given its own decile. The
dialog is opened from the Assets page by keyboard; the file comes from its path chooser (the
app's asks with QFileDialog). The Dashboard reloads on the dialog's ``imported``, as the window
is to wire it, and its decile table must then count the conversations by the file's deciles.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from champions.coordinator import ReportFilter
from champions.coordinator.desk import Desk
from champions.ui.coordinator.dashboard_page import PEOPLE_VIEWS
from champions.ui.coordinator.table_model import RAW_ROLE

from .conftest import WAIT, wait_idle

UNITS = "ABDEFGHJLNPQRSTUWXYZ"


def districts_of(store: Any) -> list[str]:
    return sorted({c.postcode_district for c in store.conversations.query() if c.postcode_district})


def write_file(path: Path, deciles: dict[str, int], per_district: int = 5, extra: str = "") -> Path:
    """``per_district`` postcodes in each district, all with the district's decile, each a made-up LSOA."""
    rng = random.Random(7)
    lines = ["postcode,lsoa21cd,imd_decile"]
    for district, decile in deciles.items():
        for n in range(per_district):
            lines.append(f"{district} {n + 1}{rng.choice(UNITS)}{rng.choice(UNITS)},E0100{rng.randint(1000, 9999)},{decile}")
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def open_dialog(qtbot: Any, window: Any, path: Path) -> Any:
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = window.assets
    assert page.coordinator and page.deprivation_button.isVisible()
    page.set_path_chooser(lambda purpose: path if purpose == "deprivation-file" else None)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Import &deprivation file…
    qtbot.waitUntil(lambda: page.deprivation_dialog is not None and page.deprivation_dialog.isVisible())
    dialog = page.deprivation_dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def import_by_keyboard(qtbot: Any, dialog: Any) -> Any:
    if not dialog.isActiveWindow():  # offscreen gives activation back to no one when the progress closes
        dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.finished_import, timeout=WAIT) as done:
        QTest.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # &Choose a file and import…
    return done.args[0]


def shown_rows(model: Any) -> list[tuple[Any, ...]]:
    return [tuple(model.data(model.index(r, c), RAW_ROLE) for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def test_a_generated_file_gives_the_dashboard_its_deciles(qtbot: Any, coordinator_window: Any, dashboard: Any,
                                                          desk_store: Any, tmp_path: Path) -> None:
    before = dashboard.data.by_deprivation_decile
    assert [row[2] for row in before.rows[:10]] == [0] * 10  # no decile known yet
    districts = districts_of(desk_store)
    assert len(districts) >= 4
    deciles = {d: n % 10 + 1 for n, d in enumerate(districts)}
    path = write_file(tmp_path / "wirral_imd.csv", deciles)

    dialog = open_dialog(qtbot, coordinator_window, path)
    assert dialog.current.text() == ("No deprivation file has been imported yet: conversations are reported "
                                     "without a decile.")
    old_data = dashboard.data
    page = coordinator_window.assets
    page.deprivation_imported.connect(lambda _report: dashboard.reload())  # what the window is to wire
    result = import_by_keyboard(qtbot, dialog)
    core20 = sum(1 for v in deciles.values() if v <= 2)
    assert dialog.outcome.text() == (f"{5 * len(districts)} postcodes imported: {len(districts)} postcode districts "
                                     f"now have a deprivation decile, {core20} of them in Core20 (deciles 1 and 2).")
    assert result.value.imported == 5 * len(districts)
    assert not dialog.problems.isVisible()
    assert dialog.current.text().startswith(f"In use: wirral_imd.csv, {5 * len(districts)} postcodes, imported ")

    qtbot.waitUntil(lambda: dashboard.data is not old_data and not dashboard.is_busy(), timeout=WAIT)
    wait_idle(qtbot, dashboard)
    # What the decile table must say, counted here from the records and the file alone.
    desk = Desk.load(desk_store)  # every record, read afresh: not the page's columns
    kept = [f.record for f in desk.submissions(dashboard.report_filter()) if f.record.kind == "conversation"]
    by_decile = Counter(deciles.get(c.postcode_district or "", "") for c in kept)
    table = dashboard.data.by_deprivation_decile
    assert [(row[0], row[2]) for row in table.rows] == [(d, by_decile.get(d, 0)) for d in (*range(1, 11), "")]
    assert sum(row[2] for row in table.rows[:10]) > 0
    dashboard.people_view.setCurrentIndex(PEOPLE_VIEWS.index("decile"))  # what the coordinator reads
    assert shown_rows(dashboard.panels["people"].model) == list(table.rows)

    core20_only = dashboard.desk.dashboard(ReportFilter.from_dict({**dashboard.report_filter().to_dict(),
                                                                   "core20_only": True}))
    assert core20_only.headline.conversations == by_decile.get(1, 0) + by_decile.get(2, 0)

    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # Close
    assert not dialog.isVisible()


def test_a_wrong_file_says_what_is_wrong_and_keeps_the_data_in_use(qtbot: Any, coordinator_window: Any,
                                                                   desk_store: Any, tmp_path: Path) -> None:
    from champions.coordinator.deprivation import decile_lookup

    good = write_file(tmp_path / "good.csv", {"CH41": 1, "CH44": 6}, per_district=3)
    dialog = open_dialog(qtbot, coordinator_window, good)
    import_by_keyboard(qtbot, dialog)
    assert decile_lookup(desk_store) == {"CH41": 1, "CH44": 6}

    wrong = tmp_path / "wrong.csv"
    wrong.write_text("pcd,lsoa,decile\nCH41 5AB,E01007001,1\n", encoding="utf-8")
    dialog._choose_path = lambda _purpose: wrong
    imported: list[Any] = []
    dialog.imported.connect(imported.append)
    import_by_keyboard(qtbot, dialog)
    assert dialog.outcome.text() == "Nothing was imported from wrong.csv, and the deprivation data in use is unchanged."
    assert [dialog.problems.item(i).text() for i in range(dialog.problems.count())] == [
        "Line 1: The first line must name the columns postcode, lsoa21cd, imd_decile (or sector, imd_decile for a "
        "sector summary). This file has: pcd, lsoa, decile."]
    assert dialog.problems.isVisible() and dialog.focusWidget() is dialog.problems  # read them from the keyboard
    assert imported == []  # nothing for the Dashboard to reload
    assert decile_lookup(desk_store) == {"CH41": 1, "CH44": 6}
    assert dialog.current.text().startswith("In use: good.csv, 6 postcodes")

    # A decile out of range is named by its line; the good lines are imported.
    mixed = write_file(tmp_path / "mixed.csv", {"CH45": 2}, per_district=2, extra="CH45 9ZZ,E01001234,11\n")
    dialog._choose_path = lambda _purpose: mixed
    import_by_keyboard(qtbot, dialog)
    assert dialog.outcome.text() == ("2 postcodes imported: 1 postcode district now has a deprivation decile, and it "
                                     "is in Core20 (deciles 1 and 2). 1 line could not be used: it is listed below.")
    assert [dialog.problems.item(i).text() for i in range(dialog.problems.count())] == [
        "Line 4: The decile “11” must be a whole number from 1 (most deprived) to 10."]
    assert decile_lookup(desk_store) == {"CH45": 2}
    assert len(imported) == 1
