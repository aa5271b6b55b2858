"""A barrier heard on its own: logged from the keyboard in the real window, checked next to each
field, kept as a draft, and opened again from a coordinator's query."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from champions.domain import Barrier
from champions.store import Store
from champions.ui.forms import BarrierForm, open_barrier_form
from champions.ui.forms.barrier import LAST_ENTRY_KEY

from .conftest import activate, make_window
from .test_forms_activity import keys, store  # noqa: F401 - store: a fresh one; open forms let go of it first

TAB, ENTER = Qt.Key.Key_Tab, Qt.Key.Key_Return
NEW_BARRIER = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier  # with B: File > New barrier heard


def focused_form(qtbot) -> BarrierForm:  # type: ignore[no-untyped-def]
    def up() -> None:
        focus = QApplication.focusWidget()
        assert focus is not None and isinstance(focus.window(), BarrierForm)
    qtbot.waitUntil(up)
    return QApplication.focusWidget().window()


def test_a_barrier_heard_in_passing_is_logged_from_the_window_with_the_keyboard(qtbot, store: Store) -> None:
    window = make_window(qtbot, store)
    qtbot.keyClick(window, Qt.Key.Key_B, NEW_BARRIER)
    form = focused_form(qtbot)
    assert form.windowTitle().startswith("New barrier heard")
    assert QApplication.focusWidget() is form.code
    keys(qtbot, "side effects", ENTER, TAB)
    keys(qtbot, "My sister was ill for a week after hers", TAB)
    keys(qtbot, "partly", TAB)  # addressed: typing the start of the answer picks it
    keys(qtbot, "18/11/2026 09:00", TAB)
    keys(qtbot, "wallasey", ENTER, TAB)
    keys(qtbot, "At the food bank queue")
    with qtbot.waitSignal(form.saved) as saved:
        keys(qtbot, "", Qt.Key.Key_S, modifier=Qt.KeyboardModifier.ControlModifier)
    record = store.barriers.get(saved.args[0])
    assert isinstance(record, Barrier)
    assert (record.code, record.quote, record.neighbourhood) == (
        "TF.SAFETY", "My sister was ill for a week after hers", "wallasey")
    assert record.addressed == "partly"
    assert record.occurred_at.astimezone().strftime("%d/%m/%Y %H:%M") == "18/11/2026 09:00"
    assert record.notes == "At the food bank queue"
    assert store.settings.get(LAST_ENTRY_KEY)["neighbourhood"] == "wallasey"
    qtbot.waitUntil(lambda: store.drafts.list() == [], timeout=3000)

    # The next one starts where the last was heard.
    qtbot.waitUntil(lambda: not form.isVisible())
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_B, NEW_BARRIER)
    again = focused_form(qtbot)
    assert again is not form and again.neighbourhood.value() == "wallasey"
    again.reject()
    window.shutdown()


def test_problems_are_shown_next_to_their_fields_and_nothing_typed_is_lost(qtbot, store: Store) -> None:
    form = open_barrier_form(None, store)
    qtbot.addWidget(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.code)
    keys(qtbot, "", TAB)  # no barrier chosen
    keys(qtbot, "call me on 07700 900123", TAB, TAB)  # words that look like a phone number
    next_year = date.today().year + 1
    keys(qtbot, f"02/02/{next_year} 12:00", TAB)
    keys(qtbot, "", Qt.Key.Key_S, modifier=Qt.KeyboardModifier.ControlModifier)
    rows = form._rows
    assert rows["code"].problem.message == "Choose which barrier you heard."
    assert rows["occurred_at"].problem.message == "The date you heard it is in the future. Check the date and time."
    assert rows["quote"].warning  # a phone number: warned, not refused
    assert form.summary.text().splitlines()[0] == "Not saved yet. Please check 2 things:"
    assert QApplication.focusWidget() is form.code
    assert form.quote.text() == "call me on 07700 900123"
    assert store.barriers.count() == 0
    qtbot.waitUntil(lambda: len(store.drafts.list()) == 1, timeout=3000)  # kept as a draft meanwhile


def test_a_query_on_a_barrier_heard_on_its_own_opens_it_in_its_form(qtbot, store: Store) -> None:
    heard = store.barriers.save(Barrier(code="PI.TIME", quote="I work shifts", neighbourhood="birkenhead"))
    form = open_barrier_form(None, store, heard.id)
    qtbot.addWidget(form)
    assert form.windowTitle().startswith("Edit barrier heard")
    assert (form.code.value(), form.quote.text(), form.neighbourhood.value()) == ("PI.TIME", "I work shifts", "birkenhead")
    form.quote.setText("I work shifts at the docks")
    with qtbot.waitSignal(form.saved):
        assert form.save()
    assert store.barriers.get(heard.id).quote == "I work shifts at the docks"


def test_every_control_has_an_accessible_name_and_tab_reaches_it_in_order(qtbot, store: Store) -> None:
    from PySide6.QtWidgets import QWidget

    form = open_barrier_form(None, store)
    qtbot.addWidget(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.code)
    focusable = [w for w in form.findChildren(QWidget)
                 if w.isVisibleTo(form) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                 and w.focusProxy() is None and not w.parentWidget().inherits("QComboBox")]
    assert [type(w).__name__ for w in focusable if not w.accessibleName()] == []
    reached = []
    for _ in range(7):
        reached.append(QApplication.focusWidget().accessibleName())
        keys(qtbot, "", TAB)
    assert reached == ["Barrier", "In their words", "Addressed", "When", "Neighbourhood", "Notes", "Save"]
