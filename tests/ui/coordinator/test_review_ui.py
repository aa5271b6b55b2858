"""The coordinator reviews from the Submissions page, by keyboard and mouse, over a real encrypted store.

Send a query (Ctrl+Shift+Q, a comment box that refuses an empty comment and never drops what was
typed), mark reviewed (the button), and the Review column and the review filter follow; what is
stored is checked field by field against the record it is about.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from champions.domain import review_id
from champions.ui.coordinator.review_dialog import ReviewDialog
from champions.ui.coordinator.submissions_model import REVIEW_ROLE
from champions.ui.coordinator.submissions_page import SubmissionsPage

from ..test_shell import _clipped, _focusable, _owner, big_text  # noqa: F401 - the 200% font fixture
from .conftest import WAIT
from .test_submissions import cell, choose, close, make_page, wait_listed


@pytest.fixture
def page(qtbot: Any, desk_store: Any) -> Iterator[SubmissionsPage]:
    shown, events = make_page(qtbot, desk_store)
    with qtbot.waitActive(shown):  # the page's shortcuts reach only the active window
        shown.activateWindow()
    yield shown
    close(shown, events)


def first_row(page: SubmissionsPage, kind: str, skip: int = 0) -> int:
    rows = [r for r in range(page.model.rowCount()) if page.model.kind_at(r) == kind]
    return rows[skip]


def select(qtbot: Any, page: SubmissionsPage, row: int) -> str:
    """Click the row's summary cell, as a coordinator picks a record."""
    index = page.model.index(row, 4)
    page.table.scrollTo(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=page.table.visualRect(index).center())
    assert page.current_id() == page.model.id_at(row)
    return page.model.id_at(row)


def open_query_box(qtbot: Any, page: SubmissionsPage) -> ReviewDialog:
    """Ctrl+Shift+Q from the list; the box opens once the record's thread is read."""
    page.review_dialog = None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window())  # back from an earlier box
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: page.review_dialog is not None and page.review_dialog.isVisible(), timeout=WAIT)
    dialog = page.review_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.comment)
    return dialog


def state_of(page: SubmissionsPage, record_id: str) -> str:
    row = page.model.row_of(record_id)
    assert row >= 0
    return page.model.index(row, 0).data(REVIEW_ROLE)


def test_a_query_typed_and_sent_is_stored_and_listed(qtbot: Any, page: SubmissionsPage, desk_store: Any) -> None:
    record_id = select(qtbot, page, first_row(page, "conversation"))
    record = desk_store.conversations.get(record_id)
    dialog = open_query_box(qtbot, page)
    assert "Nothing has been asked" in dialog.thread.toPlainText()
    assert dialog.about.text().startswith("Conversation, ")

    # Sending nothing is refused in plain words, and the box stays open.
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert dialog.problem.text() == "Write what you would like the champion to check."
    assert desk_store.reviews.for_subject(record_id) is None

    qtbot.keyClicks(dialog.comment, "Which pharmacy did you signpost to?")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    wait_listed(qtbot, page)

    review = desk_store.reviews.for_subject(record_id)
    assert review is not None
    assert (review.id, review.subject_kind, review.subject_id, review.subject_author_id, review.state,
            review.subject_rev, review.deleted) == (
        review_id(record_id), "conversation", record_id, record.author_id, "queried", record.rev, False)
    assert [(n.note_kind, n.text) for n in review.notes] == [("query", "Which pharmacy did you signpost to?")]
    assert desk_store.conversations.get(record_id).rev == record.rev  # the champion's record is untouched

    assert state_of(page, record_id) == "queried"
    assert cell(page, page.model.row_of(record_id), "review") == "Query sent"
    assert page.current_id() == record_id  # still selected after the list was read again
    assert page.review_notice.text().startswith("Query sent: Conversation, ")

    # The filter "Query sent" shows it, and only it.
    choose(qtbot, page, page.filters.review, 3)
    assert page.filters.review.currentText() == "Query sent"
    assert page.model.ids() == [record_id]


def test_mark_reviewed_keeps_the_thread_and_leaves_the_query_filter(qtbot: Any, page: SubmissionsPage,
                                                                     desk_store: Any) -> None:
    record_id = select(qtbot, page, first_row(page, "outreach_activity"))
    dialog = open_query_box(qtbot, page)
    qtbot.keyClicks(dialog.comment, "How many leaflets went out?")
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    wait_listed(qtbot, page)
    choose(qtbot, page, page.filters.review, 3)  # Query sent
    assert page.model.ids() == [record_id]

    page.table.selectRow(0)
    qtbot.mouseClick(page.mark_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk_store.reviews.for_subject(record_id).state == "reviewed", timeout=WAIT)
    qtbot.waitUntil(lambda: page.model.ids() == [], timeout=WAIT)  # no longer "Query sent"
    wait_listed(qtbot, page)
    review = desk_store.reviews.for_subject(record_id)
    assert review.subject_rev == desk_store.activities.get(record_id).rev
    assert [n.text for n in review.notes] == ["How many leaflets went out?"]

    page.filters.review.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(page.filters.review, Qt.Key.Key_Up)  # back up to Reviewed
    wait_listed(qtbot, page)
    assert page.filters.review.currentText() == "Reviewed"
    assert page.model.ids() == [record_id]
    assert cell(page, 0, "review") == "Reviewed"


def test_marking_reviewed_by_keyboard_a_record_never_queried(qtbot: Any, page: SubmissionsPage,
                                                               desk_store: Any) -> None:
    record_id = select(qtbot, page, first_row(page, "barrier"))
    reloads: list[None] = []
    page.loaded.connect(lambda: reloads.append(None))
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: desk_store.reviews.for_subject(record_id) is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: state_of(page, record_id) == "reviewed", timeout=WAIT)
    review = desk_store.reviews.for_subject(record_id)
    assert (review.state, review.subject_kind, review.notes) == ("reviewed", "barrier", [])
    # The record moved to its new state in place: every record was not read again for one review,
    # and it is still the one selected.
    assert reloads == [] and page.current_id() == record_id


def test_a_closed_box_keeps_the_text_and_a_second_query_shows_the_first(qtbot: Any, page: SubmissionsPage,
                                                                         desk_store: Any) -> None:
    record_id = select(qtbot, page, first_row(page, "conversation", skip=1))
    dialog = open_query_box(qtbot, page)
    qtbot.keyClicks(dialog.comment, "Was the clinic open that day?")
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert "kept" in page.review_notice.text()
    assert desk_store.reviews.for_subject(record_id) is None

    again = open_query_box(qtbot, page)
    assert again.comment.toPlainText() == "Was the clinic open that day?"
    qtbot.keyClick(again.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=WAIT)
    wait_listed(qtbot, page)

    third = open_query_box(qtbot, page)
    assert third.comment.toPlainText() == ""
    thread = third.thread.toPlainText()
    assert "You asked, " in thread and "Was the clinic open that day?" in thread
    qtbot.keyClicks(third.comment, "And which nurse?")
    qtbot.mouseClick(third.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not third.isVisible(), timeout=WAIT)
    notes = desk_store.reviews.for_subject(record_id).notes
    assert [n.text for n in notes] == ["Was the clinic open that day?", "And which nurse?"]


def test_the_review_buttons_are_reached_by_tab_and_named(qtbot: Any, page: SubmissionsPage) -> None:
    select(qtbot, page, 0)
    page.table.setFocus()
    owners = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        owners.append(_owner(QApplication.focusWidget()))
    assert owners == [page.open_button, page.mark_button, page.query_button]
    assert (page.mark_button.text(), page.query_button.text()) == ("Mar&k reviewed", "Send a &query…")
    assert "Ctrl+Shift+R" in page.mark_button.toolTip() and "Ctrl+Shift+Q" in page.query_button.toolTip()
    dialog = open_query_box(qtbot, page)
    missing = [f"{type(w).__name__} {w.objectName()!r}" for w in _focusable(dialog) if not w.accessibleName().strip()]
    assert missing == []
    assert dialog.comment_label.buddy() is dialog.comment and dialog.thread_label.buddy() is dialog.thread
    dialog.reject()


def test_without_a_selection_the_buttons_wait(qtbot: Any, page: SubmissionsPage) -> None:
    page.table.clearSelection()
    assert not page.mark_button.isEnabled() and not page.query_button.isEnabled()


def test_the_query_box_fits_at_200_percent_text(qtbot: Any, big_text: Any, desk_store: Any) -> None:  # noqa: F811
    shown, events = make_page(qtbot, desk_store)
    try:
        with qtbot.waitActive(shown):
            shown.activateWindow()
        select(qtbot, shown, first_row(shown, "conversation"))
        dialog = open_query_box(qtbot, shown)
        qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # the message shows too
        assert dialog.problem.isVisible()
        assert _clipped(dialog) == []
        minimum = dialog.minimumSizeHint()
        assert minimum.width() <= 1366 and minimum.height() <= 768
        assert dialog.width() <= 1366 and dialog.height() <= 768
        assert _clipped(shown) == []  # the page's new buttons too
        dialog.reject()
    finally:
        close(shown, events)


def test_closing_the_window_with_a_query_typed_asks_first(qtbot: Any, coordinator_window: Any) -> None:
    window = coordinator_window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    page = window.pages["submissions"]
    wait_listed(qtbot, page)
    select(qtbot, page, 0)
    dialog = open_query_box(qtbot, page)
    qtbot.keyClicks(dialog.comment, "Which day was this?")
    assert dialog in window.dialogs

    assert not window.close()  # the window stays: the box asks
    assert window.isVisible() and dialog.isVisible()
    ask = dialog.asking
    assert ask is not None and ask.text() == "Send what you typed before closing?"
    keep = next(b for b in ask.buttons() if b.text() == "Keep writing")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.comment.toPlainText() == "Which day was this?"

    assert not window.close()
    send = next(b for b in dialog.asking.buttons() if b.text() == "Send")
    qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    record_id = page.current_id()
    assert [n.text for n in page.store.reviews.for_subject(record_id).notes] == ["Which day was this?"]
    wait_listed(qtbot, page)

    again = open_query_box(qtbot, page)
    qtbot.keyClicks(again.comment, "And where?")
    assert not window.close()
    lose = next(b for b in again.asking.buttons() if b.text() == "Close without sending")
    qtbot.mouseClick(lose, Qt.MouseButton.LeftButton)
    assert not again.isVisible()
    assert [n.text for n in page.store.reviews.for_subject(record_id).notes] == ["Which day was this?"]
    assert window.close()
