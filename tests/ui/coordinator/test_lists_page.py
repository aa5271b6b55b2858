"""The Shared lists page driven by keyboard over a real encrypted store, as a coordinator edits the lists.

Every change is checked in the store (``store.reference``, what the forms read, and the outbox,
what the next sync sends); a retired item is checked in the real conversation form: gone from
a new entry's picker, still named on an old record.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from champions.domain import Conversation, uuid7
from champions.store import Store
from champions.ui.coordinator.lists_page import EDITABLE, RETIRED_COLOUR, RETIRED_ROLE, ItemDialog, SharedListsPage
from champions.ui.workers import StoreEvents

WAIT = 10_000
ALT = Qt.KeyboardModifier.AltModifier
FULL_POSTCODE = "“CH41 2AB” is a full postcode. Use its district or sector instead, for example CH41 or CH41 2."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "coordinator.db", os.urandom(32))
    yield opened
    opened.close()


def open_page(qtbot: Any, store: Store) -> SharedListsPage:
    events = StoreEvents(store)
    page = SharedListsPage(store, events)
    events.setParent(page)
    qtbot.addWidget(page, before_close_func=lambda p: p.shutdown())
    page.resize(1200, 700)
    with qtbot.waitActive(page):  # mnemonics only reach the active window
        page.show()
        page.activateWindow()
    wait_idle(qtbot, page)
    page.chooser.setFocus()
    return page


def wait_idle(qtbot: Any, page: SharedListsPage) -> None:
    qtbot.waitUntil(lambda: page.lists is not None and not page.is_busy(), timeout=WAIT)


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focus(), key, modifier)
    QApplication.processEvents()


def type_text(qtbot: Any, text: str) -> None:
    qtbot.keyClicks(focus(), text)
    QApplication.processEvents()


def choose_list(qtbot: Any, page: SharedListsPage, list_name: str) -> None:
    """Alt+L to the list chooser, then the arrow keys down to the list."""
    press(qtbot, Qt.Key.Key_L, ALT)
    assert focus() is page.chooser
    press(qtbot, Qt.Key.Key_Home)
    for _ in range(EDITABLE.index(list_name)):
        press(qtbot, Qt.Key.Key_Down)
    assert page.current_list() == list_name
    assert page.model.list_name == list_name


def select_item(qtbot: Any, page: SharedListsPage, list_name: str, code: str) -> None:
    """Choose the list, Alt+I to its table, and the arrow keys down to the item."""
    choose_list(qtbot, page, list_name)
    press(qtbot, Qt.Key.Key_I, ALT)
    assert focus() is page.table
    press(qtbot, Qt.Key.Key_Home)
    while page.current_code() != code:
        before = page.current_code()
        press(qtbot, Qt.Key.Key_Down)
        assert page.current_code() != before, f"{code} is not in the list"


def toggle_retired(qtbot: Any, page: SharedListsPage) -> None:
    """Alt+R (Retire) or Alt+B (Bring back) on the selected item, until the page shows the change."""
    key = Qt.Key.Key_B if page.current_item().retired else Qt.Key.Key_R
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        press(qtbot, key, ALT)
    wait_idle(qtbot, page)


def open_add(qtbot: Any, page: SharedListsPage) -> ItemDialog:
    press(qtbot, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=WAIT)
    dialog = page.dialog
    assert dialog is not None and dialog.is_new
    qtbot.waitUntil(lambda: focus() is dialog.name, timeout=WAIT)
    return dialog


def save_and_wait(qtbot: Any, page: SharedListsPage, dialog: ItemDialog) -> None:
    """Enter saves (Save is the default button); the dialog closes once the worker has saved."""
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    wait_idle(qtbot, page)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table, timeout=WAIT)  # back where it was


def row_texts(page: SharedListsPage, code: str) -> list[str]:
    row = page.model.row_of(code)
    assert row >= 0, f"{code} is not listed"
    return [page.model.index(row, c).data() for c in range(page.model.columnCount())]


def outbox_has(store: Store, record_id: str) -> bool:
    return store.db.execute("SELECT count(*) FROM outbox WHERE record_id = ?", [record_id]).fetchone()[0] > 0


def test_add_a_neighbourhood_with_postcodes_and_a_full_postcode_is_refused(qtbot: Any, store: Store) -> None:
    page = open_page(qtbot, store)
    assert page.current_list() == "neighbourhood"
    dialog = open_add(qtbot, page)
    assert dialog.domain is None and dialog.postcodes is not None
    type_text(qtbot, "Rock Ferry")
    assert dialog.code.text() == "rock_ferry"  # made from the name while adding
    press(qtbot, Qt.Key.Key_P, ALT)
    assert focus() is dialog.postcodes
    type_text(qtbot, "CH41 2AB")
    press(qtbot, Qt.Key.Key_Return)

    # A full postcode names a street: said beside the field in plain words, and nothing typed is lost.
    assert dialog.isVisible()
    assert dialog.messages["postcodes"].isVisible()
    assert dialog.messages["postcodes"].message == FULL_POSTCODE
    assert dialog.postcodes.accessibleDescription() == FULL_POSTCODE
    assert dialog.postcodes.text() == "CH41 2AB"
    assert dialog.name.text() == "Rock Ferry"
    assert focus() is dialog.postcodes
    assert store.reference.get("neighbourhood", "rock_ferry") is None

    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "CH42 1, ch42 2")
    save_and_wait(qtbot, page, dialog)

    item = store.reference.get("neighbourhood", "rock_ferry")
    assert item is not None
    assert (item.label, item.postcodes, item.retired) == ("Rock Ferry", ["CH42 1", "CH42 2"], False)
    assert item.position == 6  # after the six shipped neighbourhoods
    assert store.reference.neighbourhood_for("CH42 1XY") == "rock_ferry"
    assert outbox_has(store, item.id)  # the next sync sends it
    assert row_texts(page, "rock_ferry") == ["Rock Ferry", "rock_ferry", "CH42 1, CH42 2", "In use"]
    assert page.current_code() == "rock_ferry"
    assert "Rock Ferry" in page.status.text()


def test_add_a_barrier_under_a_domain(qtbot: Any, store: Store) -> None:
    page = open_page(qtbot, store)
    choose_list(qtbot, page, "barrier")
    assert [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["Name", "Code", "Domain", "Status"]
    dialog = open_add(qtbot, page)
    assert dialog.postcodes is None and dialog.domain is not None
    type_text(qtbot, "No one to mind the children")
    assert dialog.code.text() == "NO_ONE_MIND"  # no domain yet, so no prefix
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.messages["group"].message == "Choose the domain this barrier belongs to."
    assert focus() is dialog.domain

    type_text(qtbot, "Pra")  # the combo's type-ahead
    assert dialog.domain.currentData() == "practical_issues"
    assert dialog.code.text() == "PI.NO_ONE_MIND"  # the domain's prefix, as the shipped codes have
    press(qtbot, Qt.Key.Key_C, ALT)
    assert focus() is dialog.code
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "PI.CHILDCARE")
    save_and_wait(qtbot, page, dialog)

    item = store.reference.get("barrier", "PI.CHILDCARE")
    assert item is not None
    assert (item.label, item.group, item.retired) == ("No one to mind the children", "practical_issues", False)
    assert store.reference.get("barrier", "PI.NO_ONE_MIND") is None
    assert row_texts(page, "PI.CHILDCARE") == ["No one to mind the children", "PI.CHILDCARE", "Practical issues", "In use"]
    # Listed with its domain, after the domain's other barriers.
    codes = [i.code for i in page.model.items]
    assert codes.index("PI.CHILDCARE") == max(i for i, c in enumerate(codes) if c.startswith("PI."))

    # Editing keeps the code: records already use it.
    press(qtbot, Qt.Key.Key_E, ALT)
    qtbot.waitUntil(lambda: page.dialog is not dialog and page.dialog is not None and page.dialog.isVisible(),
                    timeout=WAIT)
    edit = page.dialog
    assert edit.code.isReadOnly() and edit.code.text() == "PI.CHILDCARE"
    assert edit.domain.currentData() == "practical_issues"
    press(qtbot, Qt.Key.Key_End)
    type_text(qtbot, " during an appointment")
    assert edit.code.text() == "PI.CHILDCARE"
    save_and_wait(qtbot, page, edit)
    assert store.reference.get("barrier", "PI.CHILDCARE").label == "No one to mind the children during an appointment"


def test_a_code_already_in_the_list_gets_a_plain_message(qtbot: Any, store: Store) -> None:
    page = open_page(qtbot, store)
    choose_list(qtbot, page, "setting")
    dialog = open_add(qtbot, page)
    type_text(qtbot, "School")
    expected = "Settings already has the code school, for “School”. Choose another code, or close this and edit that item instead."
    assert dialog.messages["code"].message == expected  # said as it is typed
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.name.text() == "School"
    assert focus() is dialog.code
    press(qtbot, Qt.Key.Key_End)
    type_text(qtbot, "_hall")
    assert not dialog.messages["code"].isVisible()

    # Another window takes the code meanwhile: the save on the worker still refuses it.
    from champions.domain import ReferenceItem

    store.reference_items.save(ReferenceItem.make("setting", "school_hall", "Hall at the school", position=40))
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.messages["code"].isVisible(), timeout=WAIT)
    assert dialog.messages["code"].message == (
        "Settings already has the code school_hall, for “Hall at the school”. "
        "Choose another code, or close this and edit that item instead.")
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert store.reference.get("setting", "school_hall").label == "Hall at the school"  # not overwritten
    assert store.reference.get("setting", "school").label == "School"

    press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_retire_a_setting_keeps_it_listed_and_bring_it_back(qtbot: Any, store: Store) -> None:
    page = open_page(qtbot, store)
    select_item(qtbot, page, "setting", "school")
    assert page.retire_button.text() == "&Retire"
    toggle_retired(qtbot, page)

    school = store.reference.get("setting", "school")
    assert school is not None and school.retired
    assert "school" not in [i.code for i in store.reference.items("setting")]  # not offered for new entries
    assert store.reference.label("setting", "school") == "School"  # old records still name it
    assert outbox_has(store, school.id)
    row = page.model.row_of("school")
    assert row_texts(page, "school") == ["School", "school", "Retired"]
    assert page.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) == RETIRED_COLOUR
    assert page.model.index(row, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert page.model.index(row, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "School (retired)"
    assert page.model.index(row, 0).data(RETIRED_ROLE) is True
    assert page.current_code() == "school"
    assert page.retire_button.text() == "&Bring back"
    assert focus() is page.table  # the keyboard stays where it was, on the item, ready to undo
    assert "is retired" in page.status.text()

    # Bring back with Tab and Space this time: the button keeps the focus while the worker saves.
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Tab)
    assert focus() is page.retire_button
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        press(qtbot, Qt.Key.Key_Space)
    wait_idle(qtbot, page)
    assert focus() is page.retire_button and page.retire_button.text() == "&Retire"
    assert store.reference.get("setting", "school").retired is False
    assert "school" in [i.code for i in store.reference.items("setting")]
    assert row_texts(page, "school")[-1] == "In use"

    # Enter on the table edits the selected item.
    press(qtbot, Qt.Key.Key_I, ALT)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible() and not page.dialog.is_new,
                    timeout=WAIT)
    assert page.dialog.code.text() == "school" and page.dialog.name.text() == "School"
    press(qtbot, Qt.Key.Key_Escape)


def test_every_control_is_named_and_reached_by_tab(qtbot: Any, store: Store) -> None:
    page = open_page(qtbot, store)
    seen = []
    for _ in range(8):
        seen.append(focus())
        press(qtbot, Qt.Key.Key_Tab)
    for widget in (page.chooser, page.table, page.add_button, page.edit_button, page.retire_button):
        assert widget in seen, widget.objectName()
        assert widget.accessibleName(), widget.objectName()
    dialog = open_add(qtbot, page)
    for key, widget in dialog.fields.items():
        assert widget.accessibleName(), key
        assert dialog.labels[key].buddy() is widget
        assert "&" in dialog.labels[key].text()
    press(qtbot, Qt.Key.Key_Escape)


def test_a_retired_topic_is_not_offered_on_a_new_conversation_but_an_old_one_still_names_it(
        qtbot: Any, store: Store) -> None:
    from champions.ui.forms import RecordForm, open_conversation_form

    when = datetime.now(timezone.utc) - timedelta(days=3)
    old = store.conversations.save(Conversation(
        id=uuid7(), occurred_at=when, neighbourhood="birkenhead", setting="school", people_reached=2,
        topics=["flu_vaccine", "covid_vaccine"]))
    flu = store.reference.label("topic", "flu_vaccine")

    page = open_page(qtbot, store)
    select_item(qtbot, page, "topic", "flu_vaccine")
    toggle_retired(qtbot, page)
    assert store.reference.get("topic", "flu_vaccine").retired

    forms: list[RecordForm] = []
    try:
        new = open_conversation_form(None, store)
        forms.append(new)
        qtbot.addWidget(new)
        offered = new.topics._completer.model().stringList()
        assert flu not in offered
        assert store.reference.label("topic", "covid_vaccine") in offered

        again = open_conversation_form(None, store, old.id)
        forms.append(again)
        qtbot.addWidget(again)
        chips = {chip.code: chip.label for chip in again.topics.chips()}
        assert chips == {"flu_vaccine": flu, "covid_vaccine": store.reference.label("topic", "covid_vaccine")}
    finally:
        for form in forms:
            form.shutdown()


def test_a_sync_that_brings_list_changes_refreshes_the_page(qtbot: Any, store: Store) -> None:
    """The sync engine writes the hub's version of an item: the page shows it without being asked."""
    from champions.domain import ReferenceItem

    page = open_page(qtbot, store)
    item = ReferenceItem.make("neighbourhood", "new_ferry", "New Ferry", postcodes=["CH62 1"], position=7, rev=3)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        store.reference_items.apply_remote(item)
    assert row_texts(page, "new_ferry") == ["New Ferry", "new_ferry", "CH62 1", "In use"]


def test_an_old_conversation_names_its_retired_setting_neighbourhood_and_barrier(qtbot: Any, store: Store) -> None:
    from champions.domain import BarrierHeard
    from champions.ui.forms import open_conversation_form

    old = store.conversations.save(Conversation(
        id=uuid7(), occurred_at=datetime.now(timezone.utc) - timedelta(days=3), neighbourhood="birkenhead",
        setting="school", people_reached=2, barriers=[BarrierHeard(code="TF.TOO_NEW", quote="it is too new")]))
    page = open_page(qtbot, store)
    for list_name, code in (("setting", "school"), ("neighbourhood", "birkenhead"), ("barrier", "TF.TOO_NEW")):
        select_item(qtbot, page, list_name, code)
        toggle_retired(qtbot, page)
        qtbot.waitUntil(lambda n=list_name, c=code: store.reference.get(n, c).retired, timeout=WAIT)
    form = open_conversation_form(None, store, old.id)
    qtbot.addWidget(form)
    try:
        assert (form.setting.value(), form.setting.currentText()) == ("school", "School")
        assert (form.neighbourhood.value(), form.neighbourhood.currentText()) == ("birkenhead", "Birkenhead")
        [row] = form.barriers.rows
        assert row.code.value() == "TF.TOO_NEW" and row.code.currentText().startswith("TF.TOO_NEW — ")
    finally:
        form.shutdown()
    fresh = open_conversation_form(None, store)  # a new entry is not offered them
    qtbot.addWidget(fresh)
    try:
        assert fresh.setting.findData("school") < 0 and fresh.neighbourhood.findData("birkenhead") < 0
        assert fresh.setting.findData("market") >= 0 and fresh.neighbourhood.findData("wallasey") >= 0  # the others are
        fresh.barriers.add_row()
        assert fresh.barriers.rows[0].code.findData("TF.TOO_NEW") < 0
        assert fresh.barriers.rows[0].code.findData("TF.SAFETY") >= 0
    finally:
        fresh.shutdown()


def test_the_items_model_passes_qts_model_tester(qtbot: Any, qtmodeltester: Any, store: Store) -> None:
    page = open_page(qtbot, store)
    for list_name in EDITABLE:
        choose_list(qtbot, page, list_name)
        assert page.model.rowCount() == len(store.reference.items(list_name, include_retired=True)) > 0
        qtmodeltester.check(page.model)
