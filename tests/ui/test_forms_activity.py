"""The outreach activity form: saved from the keyboard, and validated next to each field."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from champions.store import Store
from champions.ui.forms import ActivityForm, RecordForm, open_activity_form
from champions.ui.forms.activity import LAST_ENTRY_KEY


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "c.db", os.urandom(32))
    yield opened
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, RecordForm):
            widget.shutdown()  # as the app does before it closes its store
    opened.close()


def open_form(qtbot, store: Store) -> ActivityForm:  # type: ignore[no-untyped-def]
    form = open_activity_form(None, store)
    qtbot.addWidget(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and form.isAncestorOf(QApplication.focusWidget()))
    return form


def keys(qtbot, text: str = "", *presses: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    if text:
        qtbot.keyClicks(QApplication.focusWidget(), text)
    for key in presses:
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)


TAB, ENTER = Qt.Key.Key_Tab, Qt.Key.Key_Return


def test_activity_logged_with_the_keyboard(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    assert QApplication.focusWidget() is form.kind
    keys(qtbot, "stall", ENTER, TAB)
    keys(qtbot, "18/11/2026 09:00", TAB)
    keys(qtbot, "150", TAB)
    keys(qtbot, "wallasey", ENTER, TAB)
    keys(qtbot, "Age UK Wirral", ENTER)
    keys(qtbot, "Mosque youth group", ENTER, TAB)
    keys(qtbot, "40", TAB)
    keys(qtbot, "polish", ENTER)
    keys(qtbot, "somali", ENTER, TAB)
    keys(qtbot, "6.5", TAB)
    keys(qtbot, "Leaflets", ENTER)
    keys(qtbot, "Banner", ENTER, TAB)
    keys(qtbot, "Busy market day")
    with qtbot.waitSignal(form.saved) as saved:
        keys(qtbot, "", Qt.Key.Key_S, modifier=Qt.KeyboardModifier.ControlModifier)
    record = store.activities.get(saved.args[0])
    assert (record.activity_kind, record.duration_minutes, record.neighbourhood) == ("stall", 150, "wallasey")
    assert record.occurred_at.astimezone().strftime("%d/%m/%Y %H:%M") == "18/11/2026 09:00"
    assert record.partners == ["Age UK Wirral", "Mosque youth group"]
    assert (record.people_reached, record.volunteer_hours) == (40, 6.5)
    assert record.languages == ["pl", "so"]
    assert record.materials == ["Leaflets", "Banner"]
    assert record.notes == "Busy market day"
    assert store.settings.get(LAST_ENTRY_KEY)["activity_kind"] == "stall"
    assert store.drafts.list() == [] or qtbot.waitUntil(lambda: store.drafts.list() == [], timeout=3000) is None


def test_activity_problems_are_shown_and_nothing_is_lost(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys(qtbot, "", TAB)
    next_year = date.today().year + 1
    keys(qtbot, f"02/02/{next_year} 12:00", TAB)
    keys(qtbot, "0", TAB)
    keys(qtbot, "", TAB, TAB, TAB)  # neighbourhood, partners, people
    keys(qtbot, "klingon", TAB)  # languages: not on the list, left in the box
    keys(qtbot, "", Qt.Key.Key_S, modifier=Qt.KeyboardModifier.ControlModifier)
    rows = form._rows
    assert rows["activity_kind"].problem.message == "Choose what kind of activity this was, for example a stall."
    assert rows["occurred_at"].problem.message == "The date of the activity is in the future. Check the date and time."
    assert rows["duration_minutes"].problem.message == "Enter how long it lasted in minutes: at least 1."
    assert rows["neighbourhood"].problem.message == "Choose the neighbourhood where the activity happened."
    assert rows["languages"].problem.message == (
        "“klingon” is not on the languages list. Choose one from the list, or ask your coordinator to add it."
    )
    assert form.summary.text().splitlines()[0] == "Not saved yet. Please check 5 things:"
    assert QApplication.focusWidget() is form.kind
    assert form.languages.pending_text() == "klingon"
    assert form.duration.value() == 0
    assert store.activities.count() == 0


def test_every_control_has_an_accessible_name_and_tab_reaches_it(qtbot, store: Store) -> None:
    from PySide6.QtWidgets import QWidget

    form = open_form(qtbot, store)
    form.partners.set_value(["Age UK"])
    form.fix_tab_order()
    focusable = [w for w in form.findChildren(QWidget)
                 if w.isVisibleTo(form) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                 and w.focusProxy() is None and not w.parentWidget().inherits("QComboBox")]
    assert [type(w).__name__ for w in focusable if not w.accessibleName()] == []
    reached = []
    for _ in range(len(focusable) + 3):
        reached.append(QApplication.focusWidget().accessibleName())
        keys(qtbot, "", TAB)
    assert reached[:12] == ["Kind of activity", "When", "How long (minutes)", "Neighbourhood", "Remove Age UK",
                            "Partners", "People reached", "Languages", "Volunteer hours", "Materials", "Notes", "Save"]


def test_a_draft_with_an_unreadable_field_still_opens(qtbot, store: Store) -> None:
    """A draft written by another version of the app must not stop the form opening."""
    store.drafts.save("outreach_activity:0190-z", {"kind": "outreach_activity", "record_id": "0190-z", "is_new": True,
                                                   "state": {"duration_minutes": "ninety", "notes": "kept"}})
    form = open_activity_form(None, store, "0190-z")
    qtbot.addWidget(form)
    assert form.notes.toPlainText() == "kept"
    assert form.duration.value() == 60
