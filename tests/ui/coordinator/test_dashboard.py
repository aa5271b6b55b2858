"""The Dashboard driven as a coordinator drives it, checked against ``champions.coordinator`` itself.

Every chart's table must show the very rows that ``Desk.dashboard`` computes for the same
filter on the same store; filters are changed with the keyboard (mnemonics and arrow keys),
tables copied with Ctrl+C, and the page must never count on the GUI thread.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from champions.coordinator import ReportFilter
from champions.coordinator.dashboard import DashboardData
from champions.coordinator.desk import Desk
from champions.ui.coordinator.dashboard_page import OUTREACH_VIEWS, PEOPLE_VIEWS
from champions.ui.coordinator.table_model import RAW_ROLE

from .conftest import wait_idle

ALT = Qt.KeyboardModifier.AltModifier


def model_rows(model: Any) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(model.data(model.index(r, c), RAW_ROLE) for c in range(model.columnCount()))
                 for r in range(model.rowCount()))


def expected(store: Any, flt: ReportFilter) -> DashboardData:
    """What the non-Qt layer says, loaded afresh from the same store on this thread."""
    return Desk.load(store).dashboard(flt)


def assert_page_shows(page: Any, data: DashboardData) -> None:
    panels = page.panels
    assert model_rows(panels["domains"].model) == data.barriers_by_domain.rows
    assert model_rows(panels["top"].model) == data.top_barriers.rows
    assert model_rows(panels["weeks"].model) == data.top_barriers_by_week.rows
    assert panels["weeks"].model.table.columns == data.top_barriers_by_week.columns
    assert model_rows(panels["neighbourhoods"].model) == data.by_neighbourhood.rows
    assert model_rows(panels["intention"].model) == data.intention_shift.table.rows
    assert model_rows(panels["quotes"].model) == data.top_quotes.rows
    people = {"core20plus": data.people_by_core20plus, "age_band": data.people_by_age_band,
              "ethnic_group": data.people_by_ethnic_group, "language": data.people_by_language,
              "decile": data.by_deprivation_decile}
    for index, key in enumerate(PEOPLE_VIEWS):
        page.people_view.setCurrentIndex(index)
        assert model_rows(panels["people"].model) == people[key].rows, key
    outreach = {"kind": data.outreach_by_kind, "week": data.outreach_by_week}
    for index, key in enumerate(OUTREACH_VIEWS):
        page.outreach_view.setCurrentIndex(index)
        assert model_rows(panels["outreach"].model) == outreach[key].rows, key
    page.people_view.setCurrentIndex(0)
    page.outreach_view.setCurrentIndex(0)
    locale = QLocale()
    assert page.tiles["conversations"].value.text() == locale.toString(data.headline.conversations)
    assert page.tiles["barriers_heard"].value.text() == locale.toString(data.headline.barriers_heard)
    assert page.tiles["outreach_activities"].value.text() == locale.toString(data.headline.outreach_activities)
    assert page.tiles["moved_towards_yes"].value.text() == locale.toString(data.headline.moved_towards_yes)


def press(qtbot: Any, page: Any, mnemonic: Qt.Key, *keys: Qt.Key) -> None:
    """Alt+letter to the filter (its label's mnemonic), then arrow keys in it, as a keyboard user does."""
    qtbot.keyClick(page.window(), mnemonic, ALT)
    focused = QApplication.focusWidget()
    for key in keys:
        qtbot.keyClick(focused, key)


def test_everything_unfiltered_matches_the_desk(dashboard: Any, desk_store: Any) -> None:
    data = expected(desk_store, ReportFilter())
    assert data.headline.conversations == desk_store.conversations.count() == 300
    assert_page_shows(dashboard, data)
    assert dashboard.status.text().startswith("300 conversations, 30 outreach activities")


def test_each_filter_by_keyboard_gives_the_desks_numbers(qtbot: Any, dashboard: Any, desk_store: Any) -> None:
    page = dashboard
    bar = page.filters

    press(qtbot, page, Qt.Key.Key_N, Qt.Key.Key_Down)  # the first neighbourhood
    assert QApplication.focusWidget() is bar.neighbourhood
    assert bar.neighbourhood.currentData() == "birkenhead"
    assert page.status.text() == "Counting…"  # the GUI went on while the worker counts
    wait_idle(qtbot, page)
    hood = ReportFilter.make(neighbourhoods=["birkenhead"])
    assert page.data.report_filter == hood
    assert_page_shows(page, expected(desk_store, hood))

    press(qtbot, page, Qt.Key.Key_B, Qt.Key.Key_Down)  # the first BeSD domain
    assert QApplication.focusWidget() is bar.barrier
    wait_idle(qtbot, page)
    domain = ReportFilter.make(neighbourhoods=["birkenhead"], barrier_domains=["thinking_feeling"])
    assert page.data.report_filter == domain
    assert_page_shows(page, expected(desk_store, domain))

    press(qtbot, page, Qt.Key.Key_B, Qt.Key.Key_Down)  # one barrier of that domain
    wait_idle(qtbot, page)
    code = bar.barrier.currentData().removeprefix("code:")
    one = ReportFilter.make(neighbourhoods=["birkenhead"], barrier_codes=[code])
    assert page.data.report_filter == one
    assert_page_shows(page, expected(desk_store, one))

    press(qtbot, page, Qt.Key.Key_L)  # Clear filters (Alt+L presses the button, which takes a moment)
    qtbot.waitUntil(lambda: bar.neighbourhood.currentIndex() == 0 and bar.barrier.currentIndex() == 0)
    wait_idle(qtbot, page)
    assert page.data.report_filter == ReportFilter()

    press(qtbot, page, Qt.Key.Key_U, Qt.Key.Key_Down, Qt.Key.Key_Down)  # past Core20, over the heading
    assert QApplication.focusWidget() is bar.group
    assert bar.group.currentData() == "core20plus:ethnic_minority"
    wait_idle(qtbot, page)
    group = ReportFilter.make(core20plus=["ethnic_minority"])
    assert page.data.report_filter == group
    data = expected(desk_store, group)
    assert data.headline.conversations > 0
    assert_page_shows(page, data)

    press(qtbot, page, Qt.Key.Key_C, Qt.Key.Key_Down)  # the first champion by name
    assert QApplication.focusWidget() is bar.champion
    wait_idle(qtbot, page)
    champion = ReportFilter.make(core20plus=["ethnic_minority"], champions=["amina"])
    assert page.data.report_filter == champion
    assert_page_shows(page, expected(desk_store, champion))


def test_the_period_presets_are_whole_days_up_to_today(qtbot: Any, dashboard: Any, desk_store: Any) -> None:
    page = dashboard
    press(qtbot, page, Qt.Key.Key_P, Qt.Key.Key_Down)  # Last 4 weeks
    wait_idle(qtbot, page)
    today = date.today()
    four_weeks = ReportFilter.make(since=today - timedelta(days=27), until=today)
    assert page.data.report_filter == four_weeks
    data = expected(desk_store, four_weeks)
    assert 0 < data.headline.conversations < 300
    assert_page_shows(page, data)
    assert page.filters.since.date().toPython() == today - timedelta(days=27)

    page.filters.since.setFocus()
    qtbot.keyClick(page.filters.since, Qt.Key.Key_Up)  # typing a date makes the period "Chosen dates"
    wait_idle(qtbot, page)
    assert page.filters.period.currentData() == "custom"
    assert page.data.report_filter.since != four_weeks.since
    assert_page_shows(page, expected(desk_store, page.data.report_filter))


def test_the_newest_filter_wins_when_keys_come_fast(qtbot: Any, dashboard: Any, desk_store: Any) -> None:
    page = dashboard
    counted: list[ReportFilter] = []
    page.counted.connect(lambda data: counted.append(data.report_filter))
    qtbot.keyClick(page.window(), Qt.Key.Key_N, ALT)
    for _ in range(4):
        qtbot.keyClick(page.filters.neighbourhood, Qt.Key.Key_Down)
    wait_idle(qtbot, page)
    last = ReportFilter.make(neighbourhoods=[page.filters.neighbourhood.currentData()])
    assert page.filters.neighbourhood.currentIndex() == 4
    assert counted[-1] == last
    assert len(counted) < 4  # the keys in between were never counted one by one
    assert_page_shows(page, expected(desk_store, last))


def test_the_filter_is_kept_for_next_time(qtbot: Any, coordinator_window: Any, desk_store: Any) -> None:
    from ..conftest import make_window

    window = coordinator_window
    window.go_to("dashboard")
    page = window.dashboard
    wait_idle(qtbot, page)
    press(qtbot, page, Qt.Key.Key_N, Qt.Key.Key_Down, Qt.Key.Key_Down)
    wait_idle(qtbot, page)
    press(qtbot, page, Qt.Key.Key_C, Qt.Key.Key_Down, Qt.Key.Key_Down)  # the second champion by name
    wait_idle(qtbot, page)
    kept = ReportFilter.make(neighbourhoods=["wallasey"], champions=["ben"])
    assert page.data.report_filter == kept
    window.shutdown()
    window.close()
    again = make_window(qtbot, desk_store)
    try:
        again.go_to("dashboard")
        wait_idle(qtbot, again.dashboard)
        # The champions are only known once the desk has loaded: the kept one is chosen then.
        assert again.dashboard.filters.neighbourhood.currentData() == "wallasey"
        assert again.dashboard.filters.champion.currentData() == "ben"
        assert again.dashboard.data.report_filter == kept
    finally:
        again.shutdown()


def test_ctrl_c_copies_the_whole_table_as_tab_separated_text(qtbot: Any, dashboard: Any) -> None:
    page = dashboard
    page.tabs.setCurrentIndex(list(page.panels).index("neighbourhoods"))
    table = page.panels["neighbourhoods"].table
    table.setFocus()
    table.selectRow(2)
    QApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QApplication.clipboard().text()
    assert text == page.data.by_neighbourhood.as_tsv()
    lines = text.splitlines()
    assert lines[0].split("\t") == list(page.data.by_neighbourhood.columns)
    assert lines[1].split("\t")[:3] == ["birkenhead", "Birkenhead", str(page.data.by_neighbourhood.rows[0][2])]
    assert page.status.text().startswith("Copied “By neighbourhood”")

    page.tabs.setCurrentIndex(list(page.panels).index("intention"))
    QApplication.clipboard().clear()
    qtbot.keyClick(page.window(), Qt.Key.Key_Y, ALT)  # "Copy table" by its mnemonic
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == page.data.intention_shift.table.as_tsv())


def test_charts_are_drawn_from_the_tables_numbers(dashboard: Any) -> None:
    page = dashboard
    chart = page.panels["domains"].chart
    [series] = chart.series()
    sets = {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}
    table = page.data.barriers_by_domain
    assert sets["Addressed"] == [float(v) for v in reversed(table.column("addressed"))]  # top to bottom
    assert sets["Not addressed"] == [float(v) for v in reversed(table.column("not_addressed"))]
    weeks = page.panels["weeks"].chart.series()
    assert len(weeks) == len(page.data.top_barriers_by_week.columns) - 2  # no "Week", no "Other barriers"
    assert [p.y() for p in weeks[0].points()] == [float(v) for v in page.data.top_barriers_by_week.column(
        page.data.top_barriers_by_week.keys[1])]
    intention = page.panels["intention"]
    assert intention.caption.text().startswith(f"{page.data.intention_shift.moved_towards_yes} of ")
    for panel in page.panels.values():
        assert panel.table.accessibleName()
        assert panel.chart_view.focusPolicy() == Qt.FocusPolicy.NoFocus  # the table carries the numbers
