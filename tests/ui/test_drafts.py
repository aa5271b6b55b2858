"""Drafts: the form's state reaches the store within 2 seconds and comes back intact after a crash."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QPushButton, QWidget

from champions.store import Store
from champions.ui.forms import (
    RecordForm,
    ActivityForm,
    ConversationForm,
    DraftsOffer,
    offer_drafts,
    open_activity_form,
    open_conversation_form,
)


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def store(tmp_path: Path, key: bytes) -> Store:
    opened = Store.open(tmp_path / "c.db", key)
    yield opened
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, RecordForm):
            widget.shutdown()  # as the app does before it closes its store
    opened.close()


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_in(qtbot, widget: QWidget, text: str, enter: bool = False) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(focus(), text)
    if enter:
        qtbot.keyClick(focus(), Qt.Key.Key_Return)


def fill_conversation(qtbot, form: ConversationForm) -> None:  # type: ignore[no-untyped-def]
    """Half a conversation: most kinds of field, and text still pending in a type-ahead box."""
    type_in(qtbot, form.when, "20/11/2026 15:45")
    type_in(qtbot, form.neighbourhood, "birk", enter=True)
    type_in(qtbot, form.setting, "school", enter=True)
    type_in(qtbot, form.district, "CH42")
    form.people.setFocus()
    qtbot.keyClick(form.people, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.people, "4")
    type_in(qtbot, form.age_bands.edit, "65", enter=True)
    type_in(qtbot, form.languages.edit, "polish", enter=True)
    type_in(qtbot, form.topics.edit, "flu", enter=True)
    form.setFocus()
    qtbot.keyClick(focus(), Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focus(), "TF.SAFETY")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    type_in(qtbot, form.barriers.rows[0].quote, "scared of needles and side effects")
    form.barriers.add_row(focus=True)
    qtbot.keyClicks(focus(), "travel")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    type_in(qtbot, form.barriers.rows[1].quote, "the bus does not go there")
    form.barriers.rows[1].addressed.setFocus()
    qtbot.keyClicks(focus(), "p")
    form.intention_before.setFocus()
    qtbot.keyClicks(focus(), "not s")
    form.referral.setFocus()
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    form.follow_up.setFocus()
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    type_in(qtbot, form.notes, "Said she would think about it.")
    type_in(qtbot, form.core20plus.edit, "carer")  # typed, not yet added: must survive too


def open_form(qtbot, opener, parent, store, record_id=None, crash=False):  # type: ignore[no-untyped-def]
    form = opener(parent, store, record_id)
    if not crash:  # a form that will "crash" is deleted by the test itself
        qtbot.addWidget(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and form.isAncestorOf(QApplication.focusWidget()))
    return form


def test_draft_is_written_within_two_seconds_of_a_change(qtbot, store: Store) -> None:
    form = open_form(qtbot, open_conversation_form, None, store)
    type_in(qtbot, form.notes, "first words")
    started = time.monotonic()
    qtbot.waitUntil(lambda: (store.drafts.load(form.form_key) or {}).get("state", {}).get("notes") == "first words",
                    timeout=2000)
    assert time.monotonic() - started < 2.0
    type_in(qtbot, form.notes, " and more")
    qtbot.waitUntil(lambda: store.drafts.load(form.form_key)["state"]["notes"] == "first words and more", timeout=2000)


def test_crashed_form_is_offered_and_restored_intact(qtbot, tmp_path: Path, key: bytes) -> None:
    store = Store.open(tmp_path / "c.db", key)
    form = open_form(qtbot, open_conversation_form, None, store, crash=True)
    fill_conversation(qtbot, form)
    before = form.state()
    form_key, record_id = form.form_key, form.record_id
    qtbot.waitUntil(lambda: (store.drafts.load(form_key) or {}).get("state") == before, timeout=3000)
    assert before["pending"] == {"groups.core20plus": "carer"}
    assert len(before["barriers"]) == 2 and before["referral_made"] and before["follow_up"]

    shiboken6.delete(form)  # the app dies: no close event, no question, nothing saved
    store.close()

    store = Store.open(tmp_path / "c.db", key)  # next start
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    offer = offer_drafts(window, store)
    assert isinstance(offer, DraftsOffer) and offer.isVisible()
    restore = next(b for b in offer.findChildren(QPushButton) if b.text() == "Restore")
    assert "Conversation on 20/11/2026 15:45, in Birkenhead, 2 barrier(s)" in restore.accessibleName()
    restore.setFocus()
    qtbot.keyClick(restore, Qt.Key.Key_Space)

    restored = window.findChild(ConversationForm)
    assert restored is not None and restored.isVisible()
    assert (restored.form_key, restored.record_id, restored.is_new) == (form_key, record_id, True)
    assert restored.state() == before
    assert restored.core20plus.pending_text() == "carer"
    assert restored.notice.text() == "Your unsaved changes were restored from a draft."
    assert restored.is_dirty()

    # finishing it saves under the same id and removes the draft
    restored.core20plus.edit.clear()
    with qtbot.waitSignal(restored.saved) as saved:
        restored.save()
    assert saved.args == [record_id]
    qtbot.waitUntil(lambda: store.drafts.list() == [], timeout=3000)
    record = store.conversations.get(record_id)
    assert [b.code for b in record.barriers] == ["TF.SAFETY", "PI.TRAVEL"]
    assert record.intention_before == "not_sure" and record.referral_made
    store.close()


def test_discarding_an_offered_draft_removes_it(qtbot, store: Store) -> None:
    store.drafts.save("conversation:0190-x", {"kind": "conversation", "record_id": "0190-x", "is_new": True,
                                              "summary": "Conversation on 01/11/2026 10:00", "state": {}})
    offer = offer_drafts(None, store)
    qtbot.addWidget(offer)
    discard = next(b for b in offer.findChildren(QPushButton) if b.text() == "Discard")
    qtbot.keyClick(discard, Qt.Key.Key_Space)
    assert store.drafts.list() == []
    qtbot.waitUntil(lambda: not offer.isVisible())


def test_no_drafts_no_question(store: Store) -> None:
    assert offer_drafts(None, store) is None


def test_decide_later_keeps_the_drafts(qtbot, store: Store) -> None:
    store.drafts.save("outreach_activity:0190-y", {"kind": "outreach_activity", "record_id": "0190-y",
                                                   "is_new": True, "summary": "Stall on 01/11/2026 10:00", "state": {}})
    offer = offer_drafts(None, store)
    qtbot.addWidget(offer)
    later = next(b for b in offer.findChildren(QPushButton) if b.text() == "Decide later")
    qtbot.keyClick(later, Qt.Key.Key_Space)
    assert [k for k, _d, _t in store.drafts.list()] == ["outreach_activity:0190-y"]


def test_saving_removes_the_draft(qtbot, store: Store) -> None:
    form = open_form(qtbot, open_conversation_form, None, store)
    type_in(qtbot, form.neighbourhood, "birk", enter=True)
    type_in(qtbot, form.setting, "market", enter=True)
    qtbot.waitUntil(lambda: store.drafts.load(form.form_key) is not None, timeout=3000)
    key = form.form_key
    with qtbot.waitSignal(form.saved):
        qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: store.drafts.load(key) is None, timeout=3000)


def test_unsaved_edits_of_a_saved_record_come_back_on_that_record(qtbot, store: Store) -> None:
    form = open_form(qtbot, open_activity_form, None, store)
    type_in(qtbot, form.kind, "stall", enter=True)
    type_in(qtbot, form.neighbourhood, "wallasey", enter=True)
    with qtbot.waitSignal(form.saved) as saved:
        form.save()
    record_id = saved.args[0]

    edit = open_form(qtbot, open_activity_form, None, store, record_id, crash=True)
    assert edit.form_key == f"outreach_activity:{record_id}"
    type_in(qtbot, edit.partners.edit, "Age UK", enter=True)
    type_in(qtbot, edit.notes, "Rained all day")
    qtbot.waitUntil(lambda: store.drafts.load(edit.form_key) is not None, timeout=3000)
    shiboken6.delete(edit)

    offer = offer_drafts(None, store)
    qtbot.addWidget(offer)
    restore = next(b for b in offer.findChildren(QPushButton) if b.text() == "Restore")
    assert "(changes to a saved record)" in restore.accessibleName()
    restored = offer.restore(f"outreach_activity:{record_id}", store.drafts.load(f"outreach_activity:{record_id}"))
    qtbot.addWidget(restored)
    assert isinstance(restored, ActivityForm) and not restored.is_new
    assert restored.windowTitle() == "Edit outreach activity"
    assert restored.partners.value() == ["Age UK"] and restored.notes.toPlainText() == "Rained all day"
    assert store.activities.get(record_id).notes == "", "the draft is not the record until saved"


def test_a_draft_left_by_a_crash_just_after_saving_edits_the_saved_record(qtbot, store: Store) -> None:
    """Killed between the save and the draft's removal: the draft must not make a second record."""
    form = open_form(qtbot, open_conversation_form, None, store)
    type_in(qtbot, form.neighbourhood, "birk", enter=True)
    type_in(qtbot, form.setting, "market", enter=True)
    type_in(qtbot, form.notes, "first version")
    qtbot.waitUntil(lambda: store.drafts.load(form.form_key) is not None, timeout=3000)
    left_behind = store.drafts.load(form.form_key)
    with qtbot.waitSignal(form.saved) as saved:
        form.save()
    qtbot.waitUntil(lambda: store.drafts.load(form.form_key) is None, timeout=3000)
    store.drafts.save(form.form_key, left_behind)  # as if the process died before the discard ran

    restored = open_form(qtbot, open_conversation_form, None, store, saved.args[0])
    assert not restored.is_new and restored.windowTitle() == "Edit conversation"
    assert restored.notes.toPlainText() == "first version"
    type_in(qtbot, restored.notes, " and a second")
    with qtbot.waitSignal(restored.saved):
        restored.save()
    assert store.conversations.count() == 1
    record = store.conversations.get(saved.args[0])
    assert record.notes == "first version and a second" and record.rev == 2
