"""Stories on the Conversations and Outreach lists, driven through the real window."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from champions.domain import BarrierHeard, Conversation, utcnow
from champions.domain.samples import SampleGenerator
from champions.store import Query
from champions.ui.models.record_table import ID_ROLE, PAGE_SIZE
from champions.ui.models.rows import when_text

from .conftest import make_window, settle


def show_conversations(qtbot: Any, window: Any) -> Any:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.conversations
    settle(qtbot, window)
    return window.conversations


def cell(page: Any, row: int, column: int) -> str:
    return page.model.index(row, column).data()


def click_row(qtbot: Any, page: Any, row: int) -> None:
    page.table.scrollTo(page.model.index(row, 0))
    rect = page.table.visualRect(page.model.index(row, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.table.currentIndex().row() == row


def test_demo_store_shows_its_conversations_newest_first(qtbot: Any, window: Any, demo_store: Any) -> None:
    page = show_conversations(qtbot, window)

    newest = demo_store.conversations.query(Query(limit=1))[0]
    assert page.model.total() == 320
    assert page.model.rowCount() == PAGE_SIZE  # the rest come as the table scrolls
    assert page.model.index(0, 0).data(ID_ROLE) == newest.id
    assert cell(page, 0, 0) == when_text(newest.occurred_at)
    assert cell(page, 0, 1) == demo_store.reference.label("neighbourhood", newest.neighbourhood)
    assert cell(page, 0, 3) == str(newest.people_reached)
    assert cell(page, 0, 5) == "Waiting to sync"
    assert page.count_label.text() == "320 conversations"


def test_searching_a_word_of_a_quote_finds_the_conversation(qtbot: Any, window: Any, demo_store: Any) -> None:
    saved = demo_store.conversations.save(
        Conversation(
            neighbourhood="birkenhead",
            setting="market",
            occurred_at=utcnow() - timedelta(days=200),  # far down the list, so only the search finds it
            barriers=[BarrierHeard(code="TF.BELIEF", quote="Is there marmalade gelatine in the nasal spray?")],
        )
    )
    page = show_conversations(qtbot, window)
    assert page.model.total() == 321

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "marmalade")
    settle(qtbot, window)

    assert page.model.total() == 1
    assert page.model.index(0, 0).data(ID_ROLE) == saved.id
    assert cell(page, 0, 4) == "Religious, cultural or ingredient concern (e.g. gelatine)"
    assert page.count_label.text() == "1 conversation"

    page.search.clear()
    qtbot.keyClicks(page.search, "xylophone")
    settle(qtbot, window)
    assert page.model.total() == 0
    assert page.count_label.text() == "0 conversations"


def test_filtering_by_neighbourhood_shows_only_that_neighbourhood(qtbot: Any, window: Any, demo_store: Any) -> None:
    page = show_conversations(qtbot, window)
    expected = demo_store.conversations.count(Query(neighbourhood="wallasey"))
    assert 0 < expected < 320

    page.neighbourhood.setFocus()
    qtbot.keyClicks(page.neighbourhood, "Wallasey")  # keyboard search in the drop-down
    assert page.neighbourhood.currentText() == "Wallasey"
    settle(qtbot, window)

    assert page.model.total() == expected
    shown = {cell(page, row, 1) for row in range(page.model.rowCount())}
    assert shown == {"Wallasey"}

    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.model.total() == 320


def test_filtering_by_barrier_domain_and_code(qtbot: Any, window: Any, demo_store: Any) -> None:
    page = show_conversations(qtbot, window)
    combo = page.barrier
    domain_row = combo.findData("domain:practical_issues")
    code_row = combo.findData("code:PI.TRAVEL")
    assert combo.itemText(domain_row) == "Practical issues"
    assert combo.itemText(code_row).strip() == "distance or transport"

    combo.setCurrentIndex(domain_row)
    settle(qtbot, window)
    assert page.model.total() == demo_store.conversations.count(Query(barrier_domain="practical_issues")) > 0

    combo.setCurrentIndex(code_row)
    settle(qtbot, window)
    travel = demo_store.conversations.count(Query(barrier_code="PI.TRAVEL"))
    assert page.model.total() == travel > 0
    assert all("distance or transport" in cell(page, r, 4).lower() for r in range(page.model.rowCount()))


def test_delete_key_deletes_and_ctrl_z_brings_it_back(qtbot: Any, window: Any, demo_store: Any) -> None:
    page = show_conversations(qtbot, window)
    click_row(qtbot, page, 2)
    doomed = page.current_id()
    assert doomed is not None

    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle(qtbot, window)

    assert demo_store.conversations.get(doomed).deleted
    assert page.model.total() == 319
    assert page.model.row_of(doomed) == -1
    assert window.undo_box.isVisible()
    assert window.undo_label.text() == "Deleted the conversation."
    assert page.table.currentIndex().row() == 2  # the next one is ready for another Delete

    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)

    assert not demo_store.conversations.get(doomed).deleted
    assert page.model.total() == 320
    assert page.model.row_of(doomed) == 2


def test_delete_button_and_the_undo_button(qtbot: Any, window: Any, demo_store: Any) -> None:
    page = show_conversations(qtbot, window)
    assert not page.delete_button.isEnabled()  # nothing selected yet
    click_row(qtbot, page, 0)
    doomed = page.current_id()
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.model.row_of(doomed) == -1

    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.model.row_of(doomed) == 0


def test_unsynced_count_in_the_status_bar_follows_saves(qtbot: Any, window: Any, demo_store: Any) -> None:
    before = demo_store.unsynced_count()
    assert window.unsynced_label.text() == f"{before} changes waiting to sync"

    demo_store.conversations.save(Conversation(neighbourhood="wallasey", setting="school"))
    settle(qtbot, window)

    assert window.unsynced_label.text() == f"{before + 1} changes waiting to sync"
    assert window.sync.waiting.text() == f"{before + 1} changes are waiting to be sent."


def test_a_new_save_appears_at_the_top_of_the_open_list(qtbot: Any, window: Any, demo_store: Any) -> None:
    page = show_conversations(qtbot, window)
    saved = demo_store.conversations.save(Conversation(neighbourhood="wallasey", setting="school", people_reached=7))
    settle(qtbot, window)
    assert page.model.total() == 321
    assert page.model.index(0, 0).data(ID_ROLE) == saved.id
    assert cell(page, 0, 3) == "7"


def test_rows_load_in_pages_as_the_table_scrolls(qtbot: Any, store: Any) -> None:
    generator = SampleGenerator(seed=7, reference=store.reference)
    store.conversations.save_many(list(generator.conversations(1000)))
    window = make_window(qtbot, store)
    try:
        page = show_conversations(qtbot, window)
        assert page.model.total() == 1000
        assert page.model.rowCount() == PAGE_SIZE
        assert page.model.canFetchMore(QModelIndex())

        page.table.setFocus()
        click_row(qtbot, page, 0)
        qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot, window)
        assert page.model.rowCount() == 2 * PAGE_SIZE  # reaching the end fetched one more page

        for _ in range(10):
            qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
            settle(qtbot, window)
        assert page.model.rowCount() == 1000
        assert not page.model.canFetchMore(QModelIndex())
        last = store.conversations.ids(Query())[-1]
        assert page.model.index(999, 0).data(ID_ROLE) == last
        assert cell(page, 999, 0) == when_text(store.conversations.get(last).occurred_at)
    finally:
        window.shutdown()


def test_outreach_lists_activities_and_filters_by_kind(qtbot: Any, window: Any, demo_store: Any) -> None:
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.outreach
    assert window.stack.currentWidget() is page
    settle(qtbot, window)
    assert page.model.total() == 60
    assert page.count_label.text() == "60 activities"
    newest = demo_store.activities.query(Query(limit=1))[0]
    assert cell(page, 0, 2) == demo_store.reference.label("activity_kind", newest.activity_kind)

    page.kind.setCurrentIndex(page.kind.findData(newest.activity_kind))
    settle(qtbot, window)
    assert page.model.total() == demo_store.activities.count(Query(activity_kind=newest.activity_kind))
    assert {cell(page, r, 2) for r in range(page.model.rowCount())} == {cell(page, 0, 2)}


def test_date_range_filter_uses_whole_local_days(qtbot: Any, window: Any, demo_store: Any) -> None:
    page = show_conversations(qtbot, window)
    newest = demo_store.conversations.query(Query(limit=1))[0]
    day = newest.occurred_at.astimezone().date()
    from PySide6.QtCore import QDate

    page.since.setDate(QDate(day.year, day.month, day.day))
    page.until.setDate(QDate(day.year, day.month, day.day))
    settle(qtbot, window)
    shown = [page.model.id_at(r) for r in range(page.model.rowCount())]
    assert newest.id in shown
    days = {demo_store.conversations.get(i).occurred_at.astimezone().date() for i in shown}
    assert days == {day}


def test_enter_on_a_row_opens_it_in_the_form(qtbot: Any, window: Any, demo_store: Any) -> None:
    page = show_conversations(qtbot, window)
    click_row(qtbot, page, 1)
    chosen = page.current_id()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialogs = [d for d in window.dialogs if d.isVisible()]
    assert len(dialogs) == 1
    assert getattr(dialogs[0], "record_id", None) == chosen


def test_the_count_says_counting_until_the_whole_list_is_in(qtbot: Any, store: Any) -> None:
    """More than a page of matches: rows show at once, and the count follows when it is known."""
    generator = SampleGenerator(seed=5, reference=store.reference)
    store.conversations.save_many(list(generator.conversations(PAGE_SIZE + 30)))
    window = make_window(qtbot, store)
    try:
        page = show_conversations(qtbot, window)
        seen: list[tuple[str, int]] = []
        page.model.first_rows.connect(lambda: seen.append((page.count_label.text(), page.model.rowCount())))
        page.search.setFocus()
        qtbot.keyClicks(page.search, "a")  # any word: a new search, not a refresh
        qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
        settle(qtbot, window)
        assert seen and seen[-1] == ("Counting…", PAGE_SIZE)
        assert page.count_label.text() == f"{PAGE_SIZE + 30} conversations"
        assert page.model.total() == PAGE_SIZE + 30
    finally:
        window.shutdown()


def test_the_sync_column_and_filter_show_what_the_hub_said(qtbot: Any, store: Any) -> None:
    """Synced, refused with the hub's reason, still waiting: each shows in words and filters by keyboard."""
    from champions.store.incoming import Answer, Incoming

    generator = SampleGenerator(seed=9, reference=store.reference)
    synced, refused, waiting = (store.conversations.save(c) for c in generator.conversations(3))
    ledger = Incoming(store)
    sent = {p.record_id: p for p in ledger.pending(10)}
    batch = [sent[synced.id], sent[refused.id]]
    ledger.mark_sending(batch, "batch-1")
    reason = "The people reached must be a whole number."
    ledger.record_answers([Answer(batch[0].seq, "synced"), Answer(batch[1].seq, "rejected", reason)],
                          {p.seq: p for p in batch})
    window = make_window(qtbot, store)
    try:
        page = show_conversations(qtbot, window)
        states = {page.model.index(r, 0).data(ID_ROLE): cell(page, r, 5) for r in range(page.model.rowCount())}
        assert states == {synced.id: "Synced", refused.id: f"Rejected: {reason}", waiting.id: "Waiting to sync"}

        for typed, expected in (("Rej", refused.id), ("Syn", synced.id), ("Wai", waiting.id)):
            page.sync_state.setFocus()
            qtbot.keyClicks(page.sync_state, typed)  # keyboard search in the drop-down
            settle(qtbot, window)
            assert [page.model.index(r, 0).data(ID_ROLE) for r in range(page.model.rowCount())] == [expected], typed
            qtbot.wait(1100)  # a combo box's keyboard search starts afresh after a pause
    finally:
        window.shutdown()


def test_scrolled_to_the_bottom_before_the_count_the_rest_still_comes(qtbot: Any, store: Any) -> None:
    """At the end of the first page when the whole list arrives: more rows follow without moving the bar."""
    generator = SampleGenerator(seed=6, reference=store.reference)
    store.conversations.save_many(list(generator.conversations(PAGE_SIZE * 3)))
    window = make_window(qtbot, store)
    try:
        page = show_conversations(qtbot, window)
        with qtbot.waitSignal(page.model.first_rows, timeout=10_000):
            page.search.setFocus()
            qtbot.keyClicks(page.search, "a")
            qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
        bar = page.table.verticalScrollBar()
        bar.setValue(bar.maximum())  # the champion is already at the bottom of the first page
        assert page.model.rowCount() == PAGE_SIZE
        settle(qtbot, window)
        assert page.model.total() == PAGE_SIZE * 3
        assert page.model.rowCount() > PAGE_SIZE  # the next rows came without the bar moving again
    finally:
        window.shutdown()
