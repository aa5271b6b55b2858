"""The Submissions page driven by keyboard over a real encrypted store with two champions' records.

Every list is checked against the desk (``Desk.load(...).columns.kept_ids`` for the same filter)
and, where a store query can say it alone, against the store itself; opening a row opens that
very record; the model passes Qt's model tester.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QTableView

from champions.coordinator import ReportFilter
from champions.coordinator.desk import Desk
from champions.store import Query
from champions.ui.coordinator.filter_bar import period_dates
from champions.ui.coordinator.submissions_model import ID_ROLE, KIND_ROLE, REVIEW_ROLE, SubmissionsModel
from champions.ui.coordinator.submissions_page import FILTER_SETTING, SubmissionsPage
from champions.ui.workers import StoreEvents

from ..conftest import make_window, settle
from ..test_shell import _clipped, _focusable, _owner, big_text  # noqa: F401 - the 200% font fixture
from .conftest import CHAMPIONS, WAIT

TOTAL = 2 * (150 + 20 + 15)


def wait_listed(qtbot: Any, page: SubmissionsPage, timeout: int = WAIT) -> None:
    """Until the records are read, the newest filter applied and the shown page of cells in."""

    def idle() -> None:
        assert page.columns is not None
        assert not page.is_busy()

    qtbot.waitUntil(idle, timeout=timeout)


def make_page(qtbot: Any, store: Any, **kwargs: Any) -> tuple[SubmissionsPage, StoreEvents]:
    events = StoreEvents(store)
    page = SubmissionsPage(store, events, champion_names={"amina": "Amina Khan", "ben": "Ben Jones"}, **kwargs)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_listed(qtbot, page)
    return page, events


@pytest.fixture
def submissions(qtbot: Any, desk_store: Any) -> Iterator[SubmissionsPage]:
    page, events = make_page(qtbot, desk_store)
    yield page
    close(page, events)


def close(page: SubmissionsPage, events: StoreEvents) -> None:
    """As the app closes: the forms' draft writers first, then the page's worker, before the store."""
    from champions.ui.forms import RecordForm

    for dialog in page.dialogs:
        if isinstance(dialog, RecordForm):
            dialog.shutdown()
    page.shutdown()
    events.close()


def desk_ids(store: Any, flt: ReportFilter) -> list[str]:
    return Desk.load(store).columns.kept_ids(flt)


def cell(page: SubmissionsPage, row: int, key: str) -> str:
    from champions.ui.coordinator.submissions_model import COLUMN_KEYS

    return page.model.index(row, COLUMN_KEYS.index(key)).data()


def choose(qtbot: Any, page: SubmissionsPage, combo: Any, steps: int) -> None:
    """Focus a filter and press Down ``steps`` times, as a keyboard user picks from it."""
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(steps):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    wait_listed(qtbot, page)


def store_count(store: Any, **query: Any) -> int:
    q = Query(**query)
    return store.conversations.count(q) + store.barriers.count(q) + store.activities.count(q)


def test_every_record_newest_first_with_its_kind_and_review_state(submissions: SubmissionsPage, desk_store: Any) -> None:
    page = submissions
    ids = page.model.ids()
    assert len(ids) == TOTAL == store_count(desk_store)
    assert ids == desk_ids(desk_store, ReportFilter())
    desk = Desk.load(desk_store)
    when = {f.id: f.occurred_at for f in desk.facts}
    assert [when[i] for i in ids] == sorted(when.values(), reverse=True)
    assert page.count_label.text() == ("370 records: 300 conversations, 40 barriers logged on their own, "
                                       "30 outreach activities")
    shown = page.model.rowCount()
    assert 0 < shown < TOTAL  # paged: only the first page is in the view
    kind_of = {f.id: f.kind for f in desk.facts}
    names = {"conversation": "Conversation", "barrier": "Barrier", "outreach_activity": "Outreach"}
    for row in range(shown):
        record_id = page.model.index(row, 0).data(ID_ROLE)
        assert page.model.index(row, 0).data(KIND_ROLE) == kind_of[record_id]
        assert cell(page, row, "kind") == names[kind_of[record_id]]
        assert cell(page, row, "review") == "Not reviewed"
        assert page.model.index(row, 0).data(REVIEW_ROLE) == "unreviewed"
        assert cell(page, row, "champion") in ("Amina Khan", "Ben Jones")
    first = desk_store.conversations.get(ids[0]) if kind_of[ids[0]] == "conversation" else None
    if first is not None:
        assert cell(page, 0, "people") == str(first.people_reached)


def test_the_end_of_the_list_pages_in_from_the_keyboard(qtbot: Any, submissions: SubmissionsPage, desk_store: Any) -> None:
    page = submissions
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.model.rowCount() == TOTAL, timeout=WAIT)
    wait_listed(qtbot, page)
    last = TOTAL - 1
    qtbot.waitUntil(lambda: cell(page, last, "when") != "Loading…", timeout=WAIT)
    record_id = page.model.index(last, 0).data(ID_ROLE)
    assert record_id == desk_ids(desk_store, ReportFilter())[-1]
    assert cell(page, last, "neighbourhood")  # the last page's cells were read too


def test_each_filter_by_keyboard_keeps_what_the_desk_keeps(qtbot: Any, submissions: SubmissionsPage,
                                                            desk_store: Any) -> None:
    page, bar = submissions, submissions.filters
    ref = desk_store.reference
    desk = Desk.load(desk_store)

    def same_as_desk(expected: ReportFilter) -> list[str]:
        assert page.report_filter() == expected
        ids = page.model.ids()
        assert ids == desk.columns.kept_ids(expected)
        assert page.count_label.text().startswith(f"{len(ids)} records")
        return ids

    hood = ref.items("neighbourhood")[0].code
    choose(qtbot, page, bar.neighbourhood, 1)
    ids = same_as_desk(ReportFilter.make(neighbourhoods=[hood]))
    assert 0 < len(ids) == store_count(desk_store, neighbourhood=hood)  # the store alone agrees

    domain = ref.groups("barrier")[0].code
    choose(qtbot, page, bar.barrier, 1)  # the first BeSD domain
    ids = same_as_desk(ReportFilter.make(neighbourhoods=[hood], barrier_domains=[domain]))
    q = Query(neighbourhood=hood, barrier_domain=domain)
    assert len(ids) == desk_store.conversations.count(q) + desk_store.barriers.count(q)
    assert all(page.model.kind_at(r) != "outreach_activity" for r in range(page.model.rowCount()))

    choose(qtbot, page, bar.barrier, 1)  # the first barrier under it
    code = bar.barrier.currentData().split(":", 1)[1]
    ids = same_as_desk(ReportFilter.make(neighbourhoods=[hood], barrier_codes=[code]))
    q = Query(neighbourhood=hood, barrier_code=code)
    assert len(ids) == desk_store.conversations.count(q) + desk_store.barriers.count(q)

    qtbot.keyClick(bar.clear_button, Qt.Key.Key_Space)
    wait_listed(qtbot, page)
    assert page.model.total() == TOTAL

    choose(qtbot, page, bar.champion, 1)  # champions by name: Amina first
    ids = same_as_desk(ReportFilter.make(champions=["amina"]))
    assert len(ids) == TOTAL // 2
    assert {cell(page, r, "champion") for r in range(page.model.rowCount())} == {"Amina Khan"}

    choose(qtbot, page, bar.group, 1)  # Core20
    same_as_desk(ReportFilter.make(champions=["amina"], core20_only=True))
    qtbot.keyClick(bar.group, Qt.Key.Key_Down)  # skips the "Core20PLUS groups" heading
    wait_listed(qtbot, page)
    core20plus = ref.items("core20plus")[0].code
    ids = same_as_desk(ReportFilter.make(champions=["amina"], core20plus=[core20plus]))
    assert ids and all(desk_store.conversations.get(i).groups.core20plus.count(core20plus) for i in ids)

    qtbot.keyClick(bar.clear_button, Qt.Key.Key_Space)
    wait_listed(qtbot, page)
    choose(qtbot, page, bar.period, 1)  # Last 4 weeks
    since, until = period_dates("4w", bar.today())
    ids = same_as_desk(ReportFilter.make(since=since, until=until))
    assert 0 < len(ids) < TOTAL

    # A date typed into From: arrow keys step the day part of a date already set.
    day = QDate(since.year, since.month, since.day)
    bar.since.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(bar.since, Qt.Key.Key_Home)  # the day part
    qtbot.keyClick(bar.since, Qt.Key.Key_Up)
    wait_listed(qtbot, page)
    assert bar.since.date() == day.addDays(1)
    ids = same_as_desk(ReportFilter.make(since=day.addDays(1).toPython(), until=until))
    assert page.filters.period.currentData() == "custom"


def test_the_review_filter_and_column_only_need_the_states_map(qtbot: Any, desk_store: Any) -> None:
    desk = Desk.load(desk_store)
    conversation, barrier, activity = (next(f.id for f in desk.facts if f.kind == k)
                                       for k in ("conversation", "barrier", "outreach_activity"))
    states = {conversation: "queried", barrier: "reviewed", activity: "answered"}
    page, events = make_page(qtbot, desk_store, review_states=lambda store: states)
    try:
        bar = page.filters
        assert page.model.total() == TOTAL
        choose(qtbot, page, bar.review, 1)  # Not reviewed
        assert page.report_filter() == ReportFilter.make(review_states=["unreviewed"])
        assert page.model.total() == TOTAL - 3
        expected = {"reviewed": ([barrier], "Reviewed"), "queried": ([conversation], "Query sent"),
                    "answered": ([activity], "Query answered")}
        for state in ("reviewed", "queried", "answered"):
            choose(qtbot, page, bar.review, 1)
            ids, words = expected[state]
            assert page.report_filter() == ReportFilter.make(review_states=[state])
            assert page.model.ids() == ids
            assert cell(page, 0, "review") == words
            assert page.model.index(0, 0).data(REVIEW_ROLE) == state
        assert bar.describe() == "Query answered"
    finally:
        close(page, events)


def test_enter_and_double_click_open_that_record(qtbot: Any, submissions: SubmissionsPage, desk_store: Any) -> None:
    from champions.ui.forms import ActivityForm, BarrierForm, ConversationForm

    page = submissions
    model = page.model
    rows = {model.kind_at(r): r for r in reversed(range(model.rowCount()))}  # the first row of each kind
    assert set(rows) == {"conversation", "barrier", "outreach_activity"}

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(rows["conversation"]):
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.current_id() == model.id_at(rows["conversation"])
    opened: list[Any] = []
    page.opened.connect(opened.append)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert len(opened) == 1 and isinstance(opened[0], ConversationForm)
    assert opened[0].record_id == model.id_at(rows["conversation"]) and not opened[0].is_new
    assert opened[0].isVisible()
    opened[0].reject()

    # The same with a double-click on an outreach activity's row.
    index = model.index(rows["outreach_activity"], 1)
    page.table.scrollTo(index)
    rect = page.table.visualRect(index)
    qtbot.mousePress(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # as a real double-click
    qtbot.mouseRelease(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=WAIT)
    assert isinstance(opened[1], ActivityForm) and opened[1].record_id == model.id_at(rows["outreach_activity"])
    opened[1].reject()

    # A barrier heard on its own opens in its own form too, closed with Esc.
    page.table.setFocus()
    page.table.selectRow(rows["barrier"])
    qtbot.keyClick(page.table, Qt.Key.Key_Enter)
    assert len(opened) == 3 and isinstance(opened[2], BarrierForm)
    record = desk_store.barriers.get(model.id_at(rows["barrier"]))
    view = opened[2]
    assert view.record_id == record.id and not view.is_new
    assert (view.code.value(), view.quote.text()) == (record.code, record.quote)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()

    # The Open button (Alt+O) does the same for the selected row.
    page.table.selectRow(rows["conversation"])
    page.open_button.setFocus()
    qtbot.keyClick(page.open_button, Qt.Key.Key_Space)
    assert len(opened) == 4 and opened[3].record_id == model.id_at(rows["conversation"])
    opened[3].reject()


def test_a_correction_saved_in_the_form_shows_in_the_list(qtbot: Any, submissions: SubmissionsPage,
                                                          desk_store: Any) -> None:
    page = submissions
    row = next(r for r in range(page.model.rowCount()) if page.model.kind_at(r) == "conversation")
    record_id = page.model.id_at(row)
    page.table.selectRow(row)
    form = page.open_record("conversation", record_id)
    assert form is not None
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and form.isAncestorOf(QApplication.focusWidget()))
    people = form._bindings["people_reached"]
    people.setFocus()
    people.selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "37")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible(), form.summary.text()
    assert desk_store.conversations.get(record_id).people_reached == 37
    qtbot.waitUntil(lambda: cell(page, page.model.row_of(record_id), "people") == "37", timeout=WAIT)
    wait_listed(qtbot, page)
    assert page.current_id() == record_id  # still selected after the list was read again
    assert page.model.total() == TOTAL


def test_the_filter_is_kept_for_next_time(qtbot: Any, desk_store: Any) -> None:
    page, events = make_page(qtbot, desk_store)
    choose(qtbot, page, page.filters.champion, 2)  # Ben
    choose(qtbot, page, page.filters.review, 1)
    kept = page.report_filter()
    assert desk_store.settings.get(FILTER_SETTING) == kept.to_dict()
    page.shutdown()
    events.close()
    again, events = make_page(qtbot, desk_store)
    try:
        assert again.report_filter() == kept == ReportFilter.make(champions=["ben"], review_states=["unreviewed"])
        assert again.model.ids() == desk_ids(desk_store, kept)
    finally:
        close(again, events)


def test_the_model_passes_qts_model_tester(qtmodeltester: Any, qtbot: Any, submissions: SubmissionsPage) -> None:
    from champions.ui.workers import StoreWorker

    worker = StoreWorker(submissions.store)
    try:
        qtmodeltester.check(SubmissionsModel(worker), force_py=True)  # empty
    finally:
        worker.close()
    model = submissions.model
    qtmodeltester.check(model, force_py=True)  # the first page
    while model.canFetchMore():
        model.fetchMore()
    qtbot.waitUntil(lambda: not model.is_loading_rows(), timeout=WAIT)
    qtmodeltester.check(model, force_py=True)  # every row


def test_the_keyboard_reaches_every_control_and_each_has_a_name(qtbot: Any, submissions: SubmissionsPage) -> None:
    page, bar = submissions, submissions.filters
    bar.period.setFocus()
    owners: list[Any] = [bar.period]
    for _ in range(40):  # a date box takes one Tab per part
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        owner = _owner(QApplication.focusWidget())
        if owners[-1] is not owner:
            owners.append(owner)
        if owner is page.open_button:
            break
    page.table.selectRow(0)
    assert owners == [bar.period, bar.since, bar.until, bar.neighbourhood, bar.barrier, bar.group, bar.champion,
                      bar.review, bar.clear_button, page.table] + ([page.open_button] if owners[-1] is page.open_button
                                                                    else [])
    missing = [f"{type(w).__name__} {w.objectName()!r}" for w in _focusable(page) if not w.accessibleName().strip()]
    assert missing == []
    for table in page.findChildren(QTableView):
        assert table.accessibleName() and table.accessibleDescription()
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "When"


def test_the_page_is_in_the_coordinators_window(qtbot: Any, coordinator_window: Any, desk_store: Any) -> None:
    window = coordinator_window
    keys = [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())]
    assert keys.index("submissions") == keys.index("dashboard") + 1
    assert window.page_actions["submissions"].shortcut().toString() == "Ctrl+7"
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    page = window.pages["submissions"]
    assert isinstance(page, SubmissionsPage) and window.stack.currentWidget() is page
    assert window.nav.currentItem().text() == "Submissions"
    wait_listed(qtbot, page)
    assert page.model.ids() == desk_ids(desk_store, ReportFilter())
    assert {a for a in page.model.kept().authors} == set(CHAMPIONS)
    # Enter opens the newest record; the window knows the form, so closing it asks about unsaved work.
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    form = page.dialogs[-1]
    assert form.record_id == page.model.id_at(0) and form in window.dialogs and form.parent() is window
    form.reject()


def test_nothing_is_clipped_at_200_percent_text_on_a_1366_by_768_screen(
        qtbot: Any, big_text: Any, desk_store: Any) -> None:  # noqa: F811
    window = make_window(qtbot, desk_store)
    try:
        settle(qtbot, window)
        window.go_to("submissions")
        page = window.pages["submissions"]
        wait_listed(qtbot, page)
        assert window.size().toTuple() == (1366, 768)
        assert _clipped(window) == []
        minimum = window.minimumSizeHint()
        assert minimum.width() <= 1366 and minimum.height() <= 768
        assert page.table.height() > 5 * page.table.verticalHeader().defaultSectionSize()  # rows to read
    finally:
        window.shutdown()
