"""Export from the Dashboard: the current filter, on a worker, with progress and a Cancel that leaves nothing.

The files are read back with openpyxl and csv and compared with what ``champions.coordinator``
says for the same filter; a cancelled export must leave the folder exactly as it was.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton

from champions.coordinator import ReportFilter
from champions.coordinator.desk import Desk
from champions.store import open_default
from champions.sync.enrolment import IDENTITY_KEY
from champions.ui.coordinator.export import PROGRESS_STEPS

from ..conftest import make_window
from .conftest import WAIT, fill, identity, wait_idle


def choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The person types this name in the save dialog (Qt's own dialog is not what is tested here)."""
    asked: list[str] = []

    def answer(_parent: Any, _title: str, suggested: str, _filter: str, *args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append(suggested)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return asked


def progress_values(run: Any) -> list[int]:
    seen: list[int] = []
    run.bridge.progressed.connect(lambda _done, _total: seen.append(run.dialog.value()))
    return seen


def test_xlsx_of_the_current_filter_with_progress(qtbot: Any, dashboard: Any, desk_store: Any,
                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = dashboard
    page.filters.neighbourhood.setCurrentIndex(page.filters.neighbourhood.findData("wallasey"))
    wait_idle(qtbot, page)
    target = tmp_path / "report"  # no suffix typed: the page adds it
    asked = choose(monkeypatch, target)
    results: list[Any] = []
    page.export_finished.connect(results.append)
    page.export_actions["xlsx"].trigger()
    run = page.export_run
    assert run is not None and asked[0].endswith(".xlsx")
    assert not page.export_button.isEnabled()  # one export at a time
    dialog = run.dialog
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    seen = progress_values(run)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT)
    [result] = results
    assert not result.cancelled and result.error is None
    assert result.path == tmp_path / "report.xlsx" and result.path.exists()
    assert len(seen) > 3 and seen == sorted(seen) and seen[-1] > PROGRESS_STEPS // 2  # it moved, forwards
    assert run.final_value == PROGRESS_STEPS
    assert page.status.text().startswith("Saved ")
    assert page.export_button.isEnabled()

    flt = ReportFilter.make(neighbourhoods=["wallasey"])
    desk = Desk.load(desk_store)
    kept = desk.submissions(flt)
    book = load_workbook(result.path, read_only=True)
    assert book.sheetnames[:4] == ["Conversations", "Barriers", "Outreach", "Assets"]
    assert {"Data dictionary", "Taxonomy", "Filter"} <= set(book.sheetnames)
    conversations = list(book["Conversations"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in conversations) == sorted(f.id for f in kept if f.kind == "conversation")
    barriers = list(book["Barriers"].iter_rows(min_row=2, values_only=True))
    assert len(barriers) == desk.dashboard(flt).headline.barriers_heard
    outreach = list(book["Outreach"].iter_rows(min_row=2, values_only=True))
    assert len(outreach) == desk.dashboard(flt).headline.outreach_activities
    filters = dict(book["Filter"].iter_rows(min_row=2, values_only=True))
    assert filters["Neighbourhoods"] == "Wallasey"
    book.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]  # nothing left beside it


def test_csv_of_barriers_has_one_row_per_barrier_heard(qtbot: Any, dashboard: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    page = dashboard
    page.filters.barrier.setCurrentIndex(page.filters.barrier.findData("domain:practical_issues"))
    wait_idle(qtbot, page)
    choose(monkeypatch, tmp_path / "barriers.csv")
    results: list[Any] = []
    page.export_finished.connect(results.append)
    page.export_actions["barriers"].trigger()
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT)
    with open(results[0].path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == results[0].rows == page.data.headline.barriers_heard
    assert {r["BeSD domain (code)"] for r in rows} == {"practical_issues"}


@pytest.fixture
def big_store() -> Any:
    """Enough records that an export is still writing when the person presses Cancel."""
    store = open_default()
    store.settings.set(IDENTITY_KEY, identity("coordinator"))
    fill(store, conversations=1500, barriers=100, activities=50)
    yield store
    store.close()


def test_cancel_stops_the_export_and_leaves_no_file(qtbot: Any, big_store: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(qtbot, big_store)
    try:
        window.go_to("dashboard")
        page = window.dashboard
        wait_idle(qtbot, page)
        out = tmp_path / "out"
        out.mkdir()
        choose(monkeypatch, out / "everything.xlsx")
        results: list[Any] = []
        page.export_finished.connect(results.append)
        page.export_actions["xlsx"].trigger()
        run = page.export_run
        qtbot.waitUntil(lambda: run.dialog.value() > 0 or bool(results), timeout=WAIT)  # it is writing rows
        assert not results, "the export finished before it could be cancelled: make the store bigger"
        dialog = page.findChild(QProgressDialog, "exportProgress")
        cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(results), timeout=WAIT)
        [result] = results
        assert result.cancelled and result.error is None
        assert list(out.iterdir()) == []  # no file, no temporary ".part" beside it
        assert page.status.text() == "Export cancelled: no file was written."
        assert page.export_button.isEnabled()
        qtbot.waitUntil(lambda: page.findChild(QProgressDialog, "exportProgress") is None)  # closed and gone

        # The page is not stuck: the next export runs to the end.
        page.export_actions["xlsx"].trigger()
        qtbot.waitUntil(lambda: len(results) == 2, timeout=60_000)
        assert not results[1].cancelled and (out / "everything.xlsx").exists()
        assert [p.name for p in out.iterdir()] == ["everything.xlsx"]
    finally:
        window.shutdown()


def test_closing_the_window_during_an_export_cancels_it(qtbot: Any, big_store: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(qtbot, big_store)
    window.go_to("dashboard")
    page = window.dashboard
    wait_idle(qtbot, page)
    choose(monkeypatch, tmp_path / "late.xlsx")
    page.export_actions["xlsx"].trigger()
    run = page.export_run
    closed: list[bool] = []
    shut: list[bool] = []

    def shut_down() -> None:
        window.shutdown()  # waits for the worker, which stops at its next check
        shut.append(True)

    def close_at_the_first_rows(*_: object) -> None:
        # As soon as the export reports rows written (the file only appears when it is complete):
        # waiting for the dialog to show progress first let a quick machine finish it.
        if not closed:
            closed.append(True)
            QTimer.singleShot(0, shut_down)

    run.bridge.progressed.connect(close_at_the_first_rows)
    qtbot.waitUntil(lambda: bool(shut), timeout=WAIT)
    # Cancelled while it writes rows: no file. A close that lands in the final save lets that
    # finish: then the file is whole. Never a half-written file or a temporary one left behind.
    left = [p.name for p in tmp_path.iterdir()]
    assert left in ([], ["late.xlsx"]), left
    if left:
        from openpyxl import load_workbook

        assert load_workbook(tmp_path / "late.xlsx", read_only=True).sheetnames
