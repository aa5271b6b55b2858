"""pytest-qt's model tester on every item model, with real data from a real store."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex

from champions.store import Query
from champions.ui.models.asset_table import AssetTableModel, search_assets
from champions.ui.models.record_table import ID_ROLE, RecordTableModel
from champions.ui.models.rows import ACTIVITY_COLUMNS, CONVERSATION_COLUMNS
from champions.ui.workers import StoreWorker


def loaded_model(qtbot: Any, worker: StoreWorker, repo: str, columns: Any, query: Any, page_size: int = 50) -> RecordTableModel:
    model = RecordTableModel(worker, repo, columns, page_size=page_size)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(query)
    qtbot.waitUntil(lambda: not model.is_loading_rows(), timeout=10_000)
    return model


def test_conversation_model_passes_the_model_tester(qtbot: Any, qtmodeltester: Any, demo_store: Any) -> None:
    worker = StoreWorker(demo_store)
    try:
        model = loaded_model(qtbot, worker, "conversations", CONVERSATION_COLUMNS, Query())
        assert model.rowCount() == 50 and model.canFetchMore(QModelIndex())
        qtmodeltester.check(model)  # the tester pages in more rows through fetchMore itself
        qtbot.waitUntil(lambda: not model.is_loading_rows(), timeout=10_000)
        qtmodeltester.check(model)
        exposed = model.rowCount()
        assert exposed > 50
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            model.refresh()
        assert model.rowCount() == exposed
        qtmodeltester.check(model)
    finally:
        worker.close()


def test_activity_model_passes_the_model_tester_also_when_empty(qtbot: Any, qtmodeltester: Any, demo_store: Any) -> None:
    worker = StoreWorker(demo_store)
    try:
        model = loaded_model(qtbot, worker, "activities", ACTIVITY_COLUMNS, Query(neighbourhood="wallasey"))
        assert model.rowCount() == demo_store.activities.count(Query(neighbourhood="wallasey"))
        qtmodeltester.check(model)
        empty = loaded_model(qtbot, worker, "activities", ACTIVITY_COLUMNS, Query(text="nothingmatchesthis"))
        assert empty.rowCount() == 0
        qtmodeltester.check(empty)
    finally:
        worker.close()


def test_asset_model_passes_the_model_tester(qtmodeltester: Any, demo_store: Any) -> None:
    model = AssetTableModel()
    model.set_rows(search_assets(demo_store, ""))
    assert model.rowCount() == 6
    qtmodeltester.check(model)


def test_the_newest_search_wins(qtbot: Any, demo_store: Any) -> None:
    """Several searches in a row: only the last one's answer reaches the model."""
    worker = StoreWorker(demo_store)
    try:
        model = RecordTableModel(worker, "conversations", CONVERSATION_COLUMNS)
        answers: list[int] = []
        model.loaded.connect(answers.append)
        for neighbourhood in ("wallasey", "birkenhead", "bebington"):
            model.set_query(Query(neighbourhood=neighbourhood))
        qtbot.waitUntil(lambda: not worker.is_busy(), timeout=10_000)
        assert answers == [demo_store.conversations.count(Query(neighbourhood="bebington"))]
        assert model.query() == Query(neighbourhood="bebington")
    finally:
        worker.close()


def test_a_failing_job_reports_its_error_on_the_gui_thread(qtbot: Any, demo_store: Any) -> None:
    worker = StoreWorker(demo_store)
    errors: list[BaseException] = []
    try:
        with qtbot.waitSignal(worker.job_failed, timeout=10_000) as blocker:
            worker.submit(lambda store: store.conversations.get("no-such-id"))
        errors.append(blocker.args[0])
        assert type(errors[0]).__name__ == "NotFoundError"
        assert str(errors[0]) == "There is no conversation with id no-such-id."
        assert not worker.is_busy()
    finally:
        worker.close()


def test_a_long_search_shows_its_first_page_before_the_whole_list(qtbot: Any, qtmodeltester: Any, demo_store: Any) -> None:
    """Over a million records the whole id list takes a while: the first page is drawn at once."""
    worker = StoreWorker(demo_store)
    try:
        model = RecordTableModel(worker, "conversations", CONVERSATION_COLUMNS, page_size=50)
        steps: list[tuple[str, int, bool]] = []

        def first_rows() -> None:
            steps.append(("first page", model.total(), model.is_searching()))
            qtmodeltester.check(model)  # a consistent model in between, too

        model.first_rows.connect(first_rows)
        model.loaded.connect(lambda count: steps.append(("whole list", count, model.is_searching())))
        with qtbot.waitSignal(model.loaded, timeout=10_000):
            model.set_query(Query())
        everything = demo_store.conversations.ids(Query())
        assert steps == [("first page", 50, True), ("whole list", len(everything), False)]
        qtbot.waitUntil(lambda: not model.is_loading_rows(), timeout=10_000)
        assert [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())] == everything[:50]
        assert model.canFetchMore(QModelIndex())  # the rest of the list is there to scroll into

        roomy = RecordTableModel(worker, "conversations", CONVERSATION_COLUMNS, page_size=100)
        answers: list[tuple[str, int]] = []
        roomy.first_rows.connect(lambda: answers.append(("first page", roomy.total())))
        roomy.loaded.connect(lambda count: answers.append(("whole list", count)))
        with qtbot.waitSignal(roomy.loaded, timeout=10_000):
            roomy.set_query(Query(neighbourhood="wallasey"))
        few = demo_store.conversations.count(Query(neighbourhood="wallasey"))
        assert 0 < few < 100
        assert answers == [("whole list", few)]  # one page holds it all: no second trip
    finally:
        worker.close()
