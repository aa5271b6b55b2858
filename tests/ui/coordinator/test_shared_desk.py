"""The Dashboard and Submissions read the records once between them (``DeskSource``).

In the real window: the Dashboard is opened and reads the records; Submissions then shows them
without reading again, and both hold the very same columns. Records that arrive are read once
for both pages, and a review made in Submissions reaches the Dashboard's counts at once, with
no read at all.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from champions.coordinator import ReportFilter
from champions.domain.samples import SampleGenerator

from .conftest import WAIT, wait_idle
from .test_review_ui import first_row, select


def test_the_dashboard_and_submissions_share_one_read_of_the_records(qtbot: Any, coordinator_window: Any,
                                                                     dashboard: Any, desk_store: Any) -> None:
    source = coordinator_window.coordinator_pages.desk_source
    assert source is not None and source.loads == 1
    total = dashboard.desk.columns.n

    coordinator_window.go_to("submissions")
    page = coordinator_window.coordinator_pages.submissions
    qtbot.waitUntil(lambda: page.columns is not None and len(page.model.ids()) == total, timeout=WAIT)
    assert page.columns is dashboard.desk.columns and source.loads == 1  # switching pages read nothing again

    # New records (as a sync or an import brings them): read once, for both pages.
    samples = SampleGenerator(seed=31, reference=desk_store.reference)
    for record in samples.conversations(3):
        desk_store.conversations.save(record)
    coordinator_window.changed_elsewhere()
    qtbot.waitUntil(lambda: len(page.model.ids()) == total + 3, timeout=WAIT)
    assert source.loads == 2
    assert dashboard.desk.columns is page.columns  # the hidden Dashboard has the new ones too

    # A review in Submissions: the shared columns move the record, and the Dashboard recounts.
    reviewed = ReportFilter.make(review_states=["reviewed"])
    assert page.columns.count(reviewed) == 0
    record_id = select(qtbot, page, first_row(page, "conversation"))
    with qtbot.waitSignal(dashboard.counted, timeout=WAIT):
        qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: dashboard.desk.columns.kept_ids(reviewed) == [record_id], timeout=WAIT)
    assert source.loads == 2

    coordinator_window.go_to("dashboard")
    wait_idle(qtbot, dashboard)
    assert source.loads == 2 and dashboard.desk.columns is page.columns
