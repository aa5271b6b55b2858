"""A champion's "Queries for you" on Home, over a real encrypted store and the real window.

The reviews arrive as a sync stores them (``apply_remote``, with the coordinator's note author);
the champion opens the record from Home by keyboard, sees the question at the top of the form,
answers by editing, and Home then shows the query as answered. A reply goes through the same
comment box as the coordinator's query.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from champions.coordinator.review import derive_review_state
from champions.domain import Review, ReviewNote
from champions.domain.samples import SampleGenerator
from champions.sync.enrolment import IDENTITY_KEY

from .conftest import make_window, settle
from .coordinator.conftest import identity
from .test_shell import _clipped, _focusable, big_text  # noqa: F401 - the 200% font fixture

WAIT = 20_000


def enrol_as(store: Any, person: str) -> None:
    store.settings.set(IDENTITY_KEY, {**identity("champion"), "person_id": person, "person_name": "Amina Khan"})


def queried(store: Any, record: Any, text: str) -> Review:
    """The coordinator's query as the champion's sync stores it."""
    note = ReviewNote(note_kind="query", text=text, author_id="coord-1")
    return store.reviews.apply_remote(Review.of(record, "queried", note, author_id="coord-1", rev=1))


def records(store: Any, author: str) -> tuple[Any, Any]:
    gen = SampleGenerator(seed=5, reference=store.reference, author_id=author, org_id="org-1")
    talk = store.conversations.save(next(gen.conversations(1)))
    stall = store.activities.save(next(gen.activities(1)))
    return talk, stall


def answer_from_home(qtbot: Any, window: Any, record_id: str, question: str, addition: str) -> Any:
    """Enter on the first query opens its form with the question on top; type at the end of the notes, Ctrl+S."""
    queries = window.home.queries
    queries.setFocus()
    qtbot.keyClick(queries, Qt.Key.Key_Return)
    form = window.dialogs[-1]
    assert form.record_id == record_id and not form.is_new
    qtbot.waitUntil(lambda: form.query_banner.isVisible(), timeout=WAIT)
    assert f"Your coordinator asks: “{question}”" in form.query_banner.text()
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and form.isAncestorOf(QApplication.focusWidget()))
    form.notes.setFocus()
    qtbot.keyClick(form.notes, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.notes, addition)
    qtbot.keyClick(form.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible(), form.summary.text()
    return form


def open_home(qtbot: Any, store: Any) -> Any:
    window = make_window(qtbot, store)
    settle(qtbot, window)
    return window


def test_a_query_is_listed_opened_answered_by_editing(qtbot: Any, store: Any) -> None:
    enrol_as(store, "amina")
    talk, _stall = records(store, "amina")
    others, _ = records(store, "ben")
    queried(store, talk, "Which pharmacy did you signpost to?")
    queried(store, others, "Not for Amina")
    window = open_home(qtbot, store)
    try:
        home = window.home
        assert home.queries_box.isVisible()
        assert home.queries_title.text() == "&Queries for you (1)"
        assert home.queries.count() == 1  # Ben's query never shows here
        text = home.queries.item(0).text()
        assert "Your coordinator asks: “Which pharmacy did you signpost to?”" in text
        place = store.reference.label("neighbourhood", talk.neighbourhood)
        assert text.startswith(f"Conversation on {talk.occurred_at.astimezone().strftime('%a %d %b %Y, %H:%M')}, {place}")

        # Enter opens the conversation with the question on top; the answer is an edit, saved with Ctrl+S.
        answer_from_home(qtbot, window, talk.id, "Which pharmacy did you signpost to?",
                         " Signposted to Boots on Grange Road.")
        edited = store.conversations.get(talk.id)
        assert edited.rev > talk.rev and edited.notes.endswith("Signposted to Boots on Grange Road.")
        assert derive_review_state(store.reviews.for_subject(talk.id), edited.rev) == "answered"
        qtbot.waitUntil(lambda: home.queries.item(0).text().startswith("Answered, waiting for your coordinator"),
                        timeout=WAIT)
        assert home.queries_title.text() == "&Queries for you"

        # Opened again, the form says it is answered.
        qtbot.keyClick(home.queries, Qt.Key.Key_Return)
        again = window.dialogs[-1]
        qtbot.waitUntil(lambda: again.query_banner.isVisible(), timeout=WAIT)
        assert "You have edited this since" in again.query_banner.text()
        again.reject()
    finally:
        window.shutdown()


def open_reply_box(qtbot: Any, home: Any) -> Any:
    """Reply… on the first query; the box opens once its thread is read."""
    opened: list[Any] = []
    home.reply_dialog_opened.connect(opened.append)
    home.queries.setCurrentRow(0)
    qtbot.mouseClick(home.reply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened) and opened[0].isVisible(), timeout=WAIT)
    return opened[0]


def test_a_reply_is_added_to_the_thread(qtbot: Any, store: Any) -> None:
    enrol_as(store, "amina")
    talk, _ = records(store, "amina")
    review = queried(store, talk, "When was this?")
    window = open_home(qtbot, store)
    try:
        home = window.home
        box = open_reply_box(qtbot, home)
        thread = box.thread.toPlainText()
        assert "The coordinator asked, " in thread and "When was this?" in thread
        qtbot.mouseClick(box.send_button, Qt.MouseButton.LeftButton)
        assert box.isVisible() and box.problem.text() == "Write your reply to the coordinator."
        qtbot.keyClicks(box.comment, "Tuesday morning, at the market")
        with qtbot.waitSignal(home.reply_saved, timeout=WAIT) as saved:
            qtbot.keyClick(box.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert saved.args == [review.id]
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT)
        stored = store.reviews.get(review.id)
        assert [(n.note_kind, n.text) for n in stored.notes] == [
            ("query", "When was this?"), ("reply", "Tuesday morning, at the market")]
        assert (stored.state, stored.subject_rev) == (review.state, review.subject_rev)  # the hub's rule
        qtbot.waitUntil(lambda: "You replied: “Tuesday morning, at the market”" in home.queries.item(0).text(),
                        timeout=WAIT)
    finally:
        window.shutdown()


def test_a_query_about_an_activity_asks_for_its_form(qtbot: Any, store: Any) -> None:
    enrol_as(store, "amina")
    _talk, stall = records(store, "amina")
    queried(store, stall, "How many leaflets?")
    window = open_home(qtbot, store)
    try:
        home = window.home
        assert home.queries.item(0).text().startswith("Outreach activity on ")
        home.queries.setFocus()
        home.queries.setCurrentRow(0)
        qtbot.keyClick(home.open_query_button, Qt.Key.Key_Space)  # the window's own opener
        form = window.dialogs[-1]
        assert type(form).__name__ == "ActivityForm" and form.record_id == stall.id
        qtbot.waitUntil(lambda: form.query_banner.isVisible(), timeout=WAIT)
        assert "How many leaflets?" in form.query_banner.text()
        form.reject()
        with qtbot.waitSignal(home.open_activity, timeout=WAIT) as asked:  # once the window connects the signal
            qtbot.keyClick(home.open_query_button, Qt.Key.Key_Space)
        assert asked.args == [stall.id]
    finally:
        window.shutdown()


def test_no_queries_no_section_and_no_banner(qtbot: Any, store: Any) -> None:
    talk, _ = records(store, "amina")
    queried(store, talk, "Not enrolled yet")  # no enrolment: nobody to show it to
    window = open_home(qtbot, store)
    try:
        assert not window.home.queries_box.isVisible()
        enrol_as(store, "amina")
        store.reviews.apply_remote(Review.of(talk, "reviewed", author_id="coord-1", rev=2))
        window.refresh()
        settle(qtbot, window)
        assert not window.home.queries_box.isVisible()  # reviewed: nothing to answer
        form = window.open_conversation(talk.id)
        qtbot.wait(300)
        assert not form.query_banner.isVisible()
        form.reject()
    finally:
        window.shutdown()


def test_queries_fit_at_200_percent_text(qtbot: Any, big_text: Any, store: Any) -> None:  # noqa: F811
    enrol_as(store, "amina")
    talk, stall = records(store, "amina")
    queried(store, talk, "Which pharmacy did you signpost to? The record says a referral was made but not where to.")
    queried(store, stall, "How many leaflets went out, roughly?")
    window = open_home(qtbot, store)
    try:
        assert window.size().toTuple() == (1366, 768)
        assert window.home.queries.count() == 2
        assert _clipped(window) == []
        queries = window.home.queries
        settle(qtbot, window)
        qtbot.wait(50)  # the list's second fit, once its rows are wrapped at its width
        last = queries.visualItemRect(queries.item(1))
        assert not queries.verticalScrollBar().isVisible()  # both queries whole, without scrolling
        assert last.bottom() <= queries.viewport().height(), (last, queries.viewport().height())
    finally:
        window.shutdown()


def test_the_queries_are_reached_by_tab_in_reading_order_and_named(qtbot: Any, store: Any) -> None:
    enrol_as(store, "amina")
    talk, _ = records(store, "amina")
    queried(store, talk, "When was this?")
    window = open_home(qtbot, store)
    try:
        home = window.home
        home.new_activity_button.setFocus()
        reached = []
        for _ in range(4):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            reached.append(QApplication.focusWidget())
        assert reached == [home.queries, home.open_query_button, home.reply_button, home.follow_ups]
        missing = [f"{type(w).__name__} {w.objectName()!r}" for w in _focusable(home) if not w.accessibleName().strip()]
        assert missing == []
        assert home.queries_title.buddy() is home.queries
        assert (home.open_query_button.text(), home.reply_button.text()) == ("&Open and edit", "Re&ply…")
    finally:
        window.shutdown()


def test_a_reply_typed_and_closed_unsent_is_kept_for_the_next_start(qtbot: Any, store: Any) -> None:
    """Words typed in the reply box are kept in the store as they are typed (the Submissions page's
    crash test kills a real process for the same mechanism), and the next start's box has them."""
    from champions.ui.pages.home_page import UNSENT_SETTING

    enrol_as(store, "amina")
    talk, _ = records(store, "amina")
    review = queried(store, talk, "When was this?")
    window = open_home(qtbot, store)
    try:
        home = window.home
        box = open_reply_box(qtbot, home)
        qtbot.keyClicks(box.comment, "Tuesday, I think")
        qtbot.waitUntil(lambda: (store.settings.get(UNSENT_SETTING) or {}).get(review.id) == "Tuesday, I think",
                        timeout=WAIT)  # kept while the box is still open
        qtbot.keyClick(box.comment, Qt.Key.Key_Escape)
        assert "What you typed is kept" in home.queries_notice.text()
    finally:
        window.shutdown()

    again = open_home(qtbot, store)  # the next start
    try:
        home = again.home
        box = open_reply_box(qtbot, home)
        assert box.comment.toPlainText() == "Tuesday, I think"
        with qtbot.waitSignal(home.reply_saved, timeout=WAIT):
            qtbot.keyClick(box.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert store.settings.get(UNSENT_SETTING) == {}  # sent: nothing kept
    finally:
        again.shutdown()
