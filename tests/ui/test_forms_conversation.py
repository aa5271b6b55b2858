"""The conversation form driven as a champion would: the keyboard, real widgets, a real encrypted store."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from champions.store import Query, Store
from champions.ui.forms import ConversationForm, RecordForm, open_conversation_form
from champions.ui.forms.conversation import LAST_ENTRY_KEY

FUTURE = "The date of the conversation is in the future. Check the date and time."
ZERO_PEOPLE = "Enter how many people you spoke with: at least 1."
FULL_POSTCODE = ("That is a full postcode, which can identify someone's home. "
                 "Enter only the first part, for example CH41.")
PHONE = "This looks like a phone number. Please don't record a resident's contact details."


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "c.db", os.urandom(32))
    yield opened
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, RecordForm):
            widget.shutdown()  # as the app does before it closes its store
    opened.close()


class Keyboard:
    """Sends keys to whatever has focus, as a person's keyboard does, and counts them."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.count = 0

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has keyboard focus"
        return widget

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focus, text)
        self.count += len(text)
        QApplication.processEvents()

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(self.focus, key, modifier)
            self.count += 1
            QApplication.processEvents()

    def tab(self, times: int = 1) -> None:
        self.press(Qt.Key.Key_Tab, times=times)

    def tab_to(self, accessible_name: str, limit: int = 40) -> None:
        for _ in range(limit):
            if self.focus.accessibleName() == accessible_name:
                return
            self.tab()
        raise AssertionError(f"Tab never reached {accessible_name!r}; stuck at {self.focus.accessibleName()!r}")


def open_form(qtbot, store: Store, record_id: str | None = None) -> ConversationForm:  # type: ignore[no-untyped-def]
    form = open_conversation_form(None, store, record_id)
    qtbot.addWidget(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and form.isAncestorOf(QApplication.focusWidget()))
    return form


def test_keyboard_only_entry_with_two_barriers_is_saved(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    assert keys.focus is form.when
    keys.type("21/11/2026 10:30")
    keys.tab()
    keys.type("birk")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("mark")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("CH41")
    keys.tab()
    keys.type("3")
    keys.tab_to("Languages")
    keys.type("urd")
    keys.press(Qt.Key.Key_Return)
    keys.type("engl")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    keys.type("safety")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("worried about what is in it")
    keys.tab()
    keys.type("p")  # Partly
    keys.press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    keys.type("PI.WHERE")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("no idea where the clinic is")
    keys.tab()
    keys.type("y")  # Yes
    keys.tab_to("Notes")
    keys.type("Busy morning at the market stall.")
    with qtbot.waitSignal(form.saved) as saved:
        keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    record = store.conversations.get(saved.args[0])
    assert record.occurred_at.astimezone().replace(tzinfo=None) == datetime(2026, 11, 21, 10, 30)
    assert (record.neighbourhood, record.setting, record.postcode_district) == ("birkenhead", "market", "CH41")
    assert record.people_reached == 3
    assert record.groups.languages == ["ur", "en"]
    assert [(b.code, b.quote, b.addressed) for b in record.barriers] == [
        ("TF.SAFETY", "worried about what is in it", "partly"),
        ("PI.WHERE", "no idea where the clinic is", "yes"),
    ]
    assert record.notes == "Busy morning at the market stall."
    assert store.drafts.list() == []


def test_standard_conversation_takes_few_keystrokes(qtbot, store: Store) -> None:
    """One barrier, the defaults accepted, after a first entry set the place: goal at most 25 keys."""
    store.settings.set(LAST_ENTRY_KEY, {"occurred_at": datetime.now().isoformat(timespec="minutes"),
                                        "neighbourhood": "birkenhead", "setting": "market",
                                        "postcode_district": "CH41", "saved_on": date.today().isoformat()})
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    keys.type("safe")
    keys.press(Qt.Key.Key_Return)
    with qtbot.waitSignal(form.saved) as saved:
        keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    print(f"\nkeystrokes for a standard conversation: {keys.count}")
    assert keys.count <= 25
    record = store.conversations.get(saved.args[0])
    assert [b.code for b in record.barriers] == ["TF.SAFETY"]
    assert (record.neighbourhood, record.setting) == ("birkenhead", "market")


def test_validation_story_says_what_is_wrong_next_to_each_field_and_keeps_everything(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    next_year = date.today().year + 1
    keys.type(f"01/06/{next_year} 10:00")
    keys.tab()
    keys.type("wallas")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("school")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("CH41 5AB")
    keys.tab()
    keys.type("0")
    keys.tab_to("Notes")
    keys.type("Parents at the gate")
    qtbot.waitUntil(lambda: form._rows["people_reached"].problem.isVisible())

    rows = form._rows
    assert rows["occurred_at"].problem.message == FUTURE
    assert rows["occurred_at"].problem.text() == "⚠ " + FUTURE
    assert rows["people_reached"].problem.message == ZERO_PEOPLE
    assert rows["postcode_district"].problem.message == FULL_POSTCODE
    assert form.district.accessibleDescription() == FULL_POSTCODE
    assert not rows["neighbourhood"].problem.isVisible()

    keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.isVisible(), "a form with problems must not close"
    assert store.conversations.count() == 0
    assert form.summary.isVisible()
    assert form.summary.text().splitlines() == [
        "Not saved yet. Please check 3 things:",
        f"• When: {FUTURE}",
        f"• Postcode district: {FULL_POSTCODE}",
        f"• People reached: {ZERO_PEOPLE}",
    ]
    assert QApplication.focusWidget() is form.when, "Save goes to the first problem"
    # nothing typed is lost
    assert form.when.dateTime().toString("dd/MM/yyyy HH:mm") == f"01/06/{next_year} 10:00"
    assert form.neighbourhood.value() == "wallasey"
    assert form.setting.value() == "school"
    assert form.district.text() == "CH41 5AB"
    assert form.people.value() == 0
    assert form.notes.toPlainText() == "Parents at the gate"
    assert form.save_button.isEnabled()

    # fixing one field clears its message as the champion types
    form.district.setFocus()
    keys.press(Qt.Key.Key_Backspace, times=4)
    qtbot.waitUntil(lambda: not rows["postcode_district"].problem.isVisible())
    assert form.district.text() == "CH41"
    assert rows["people_reached"].problem.isVisible()


def test_missing_choices_are_explained_when_saving(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.tab()
    keys.type("Nowhere town")
    keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form._rows["neighbourhood"].problem.message == (
        "“Nowhere town” is not on the neighbourhoods list. Choose one from the list, or ask your coordinator to add it."
    )
    assert form._rows["setting"].problem.message == "Choose where the conversation happened, for example a market."
    assert QApplication.focusWidget() is form.neighbourhood
    assert form.neighbourhood.currentText() == "Nowhere town"


def test_personal_data_in_notes_warns_but_saves(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.tab()
    keys.type("birk")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("market")
    keys.press(Qt.Key.Key_Return)
    keys.tab_to("Notes")
    keys.type("She said call her on 07700 900123 about the clinic")
    warning = form._rows["notes"].warning
    qtbot.waitUntil(warning.isVisible)
    assert warning.message == PHONE
    assert warning.text() == "ⓘ " + PHONE
    with qtbot.waitSignal(form.saved) as saved:
        keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert store.conversations.get(saved.args[0]).notes == "She said call her on 07700 900123 about the clinic"


def test_personal_data_in_a_quote_warns(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    keys.type("trust")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("email me at sam@example.org")
    warning = form.barriers.rows[0].quote_row.warning
    qtbot.waitUntil(warning.isVisible)
    assert warning.message == "This looks like an email address. Please don't record a resident's contact details."


def test_repeat_entry_starts_from_the_last_entry(qtbot, store: Store) -> None:
    yesterday = date.today() - timedelta(days=1)
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.type(yesterday.strftime("%d/%m/%Y") + " 09:15")
    keys.tab()
    keys.type("wallasey")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("worship")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("CH44")
    with qtbot.waitSignal(form.saved):
        keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    second = open_form(qtbot, store)
    assert second.when.date().toPython() == yesterday, "catching up on yesterday: the next entry starts on yesterday"
    assert second.neighbourhood.value() == "wallasey"
    assert second.setting.value() == "place_of_worship"
    assert second.district.text() == "CH44"
    assert second.barriers.value() == [] and second.notes.toPlainText() == ""
    assert not second.is_dirty()


def test_escape_on_a_changed_form_asks_and_keeps_the_work(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.tab_to("Notes")
    keys.type("half a thought")
    qtbot.waitUntil(lambda: store.drafts.load(form.form_key) is not None, timeout=3000)
    keys.press(Qt.Key.Key_Escape)
    box = form.findChild(QMessageBox)
    assert box is not None and box.isVisible()
    assert box.text() == "Save your changes before closing?"
    assert form.isVisible()
    keys.press(Qt.Key.Key_Escape)  # Esc on the question means "Keep editing"
    qtbot.waitUntil(lambda: not box.isVisible())
    assert form.isVisible() and form.notes.toPlainText() == "half a thought"
    assert store.drafts.load(form.form_key)["state"]["notes"] == "half a thought"


def test_escape_then_discard_closes_and_removes_the_draft(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    key = form.form_key
    keys = Keyboard(qtbot)
    keys.tab_to("Notes")
    keys.type("not needed after all")
    qtbot.waitUntil(lambda: store.drafts.load(key) is not None, timeout=3000)
    keys.press(Qt.Key.Key_Escape)
    box = form.findChild(QMessageBox)
    discard = next(b for b in box.buttons() if b.text() == "Discard")
    discard.setFocus()
    qtbot.keyClick(discard, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: store.drafts.load(key) is None, timeout=3000)
    assert store.conversations.count() == 0


def test_escape_on_an_untouched_form_just_closes(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    with qtbot.waitSignal(form.finished):
        Keyboard(qtbot).press(Qt.Key.Key_Escape)
    assert store.drafts.list() == []


def test_tag_picker_keyboard_add_and_remove(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.tab_to("Topics")
    keys.type("flu")
    keys.press(Qt.Key.Key_Return)
    keys.type("covid")
    keys.press(Qt.Key.Key_Return)
    keys.type("housing")
    keys.press(Qt.Key.Key_Return)
    assert form.topics.value() == ["flu_vaccine", "covid_vaccine", "housing"]
    keys.press(Qt.Key.Key_Backspace)  # empty box: removes the last chip
    assert form.topics.value() == ["flu_vaccine", "covid_vaccine"]
    keys.press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # back onto the last chip
    assert keys.focus.accessibleName() == "Remove COVID-19 vaccine"
    keys.press(Qt.Key.Key_Delete)
    assert form.topics.value() == ["flu_vaccine"]
    assert keys.focus is form.topics.edit


def test_removing_a_barrier_keeps_the_others(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    for code, quote in (("TF.SAFETY", "one"), ("PI.TRAVEL", "two"), ("SP.FAMILY", "three")):
        keys.press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
        keys.type(code)
        keys.press(Qt.Key.Key_Return)
        keys.tab()
        keys.type(quote)
    keys.tab_to("Remove barrier 2")
    keys.press(Qt.Key.Key_Space)
    assert [b["code"] for b in form.barriers.value()] == ["TF.SAFETY", "SP.FAMILY"]
    assert keys.focus.accessibleName() == "Barrier 2: which barrier", "focus moves to the next barrier"
    assert form.barriers.rows[1].remove.text() == "Remove barrier 2"


def test_editing_a_saved_conversation(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.tab()
    keys.type("birk")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("market")
    keys.press(Qt.Key.Key_Return)
    with qtbot.waitSignal(form.saved) as saved:
        keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    record_id = saved.args[0]

    edit = open_form(qtbot, store, record_id)
    assert edit.windowTitle() == "Edit conversation"
    assert edit.form_key == f"conversation:{record_id}"
    assert edit.neighbourhood.value() == "birkenhead"
    keys.tab_to("Notes")
    keys.type("added later")
    with qtbot.waitSignal(edit.saved):
        keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    record = store.conversations.get(record_id)
    assert record.notes == "added later" and record.rev == 2
    assert store.conversations.ids(Query(text="later")) == [record_id]


def test_every_control_has_an_accessible_name_and_tab_reaches_it(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    form.barriers.add_row()
    form.topics.set_value(["flu_vaccine"])
    form.fix_tab_order()
    focusable = [w for w in form.findChildren(QWidget)
                 if w.isVisibleTo(form) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                 and w.focusProxy() is None and not w.parentWidget().inherits("QComboBox")]
    unnamed = [type(w).__name__ for w in focusable if not w.accessibleName()]
    assert unnamed == []
    reached = set()
    keys = Keyboard(qtbot)
    for _ in range(len(focusable) + 5):
        reached.add(id(keys.focus))
        keys.tab()
    missing = [w.accessibleName() for w in focusable if id(w) not in reached]
    assert missing == []


def test_a_district_typed_first_fills_in_the_neighbourhood(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.tab_to("Postcode district")
    keys.type("ch45")
    keys.tab()
    assert form.neighbourhood.value() == "wallasey"
    assert form.district.text() == "ch45"


def test_signposting_picks_a_community_asset_by_typing(qtbot, store: Store) -> None:
    from champions.domain import AssetLocation, CommunityAsset

    asset = store.assets.save(CommunityAsset(name="Wallasey Food Bank", location=AssetLocation(name="St Hilary's")))
    store.assets.save(CommunityAsset(name="Birkenhead Men's Shed"))
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.tab()
    keys.type("wallasey")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("market")
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.signposted._completer.model().rowCount() == 2)  # read off the GUI thread
    keys.tab_to("Signposted to")
    keys.type("food")
    keys.press(Qt.Key.Key_Return)
    assert [chip.label for chip in form.signposted.chips()] == ["Wallasey Food Bank (St Hilary's)"]
    keys.tab()
    keys.press(Qt.Key.Key_Space)  # Referral made
    with qtbot.waitSignal(form.saved) as saved:
        keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    record = store.conversations.get(saved.args[0])
    assert record.signposted_to == [asset.id] and record.referral_made

    edit = open_form(qtbot, store, record.id)  # the chip is named once the assets arrive
    qtbot.waitUntil(lambda: [c.label for c in edit.signposted.chips()] == ["Wallasey Food Bank (St Hilary's)"])


def test_save_from_the_closing_question(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.tab()
    keys.type("birk")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("market")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_Escape)
    box = form.findChild(QMessageBox)
    save = next(b for b in box.buttons() if b.text() == "Save")
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.keyClick(save, Qt.Key.Key_Space)
    assert store.conversations.get(saved.args[0]).neighbourhood == "birkenhead"
    assert not form.isVisible()


def test_a_barrier_without_a_category_is_explained_on_its_row(qtbot, store: Store) -> None:
    form = open_form(qtbot, store)
    keys = Keyboard(qtbot)
    keys.tab()
    keys.type("birk")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("market")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    keys.press(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    keys.type("cost")
    keys.press(Qt.Key.Key_Return)
    keys.tab()
    keys.type("can't afford the bus fare")
    keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    first = form.barriers.rows[0]
    assert first.code_row.problem.message == "Choose which barrier you heard."
    assert not form.barriers.rows[1].code_row.problem.isVisible()
    assert QApplication.focusWidget() is first.code
    assert form.summary.text().splitlines()[1] == "• Barrier 1: Choose which barrier you heard."
    first.remove.setFocus()
    keys.press(Qt.Key.Key_Space)
    with qtbot.waitSignal(form.saved) as saved:
        keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [(b.code, b.quote) for b in store.conversations.get(saved.args[0]).barriers] == [
        ("PI.COST", "can't afford the bus fare")]
