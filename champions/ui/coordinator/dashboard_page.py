"""The coordinator's Dashboard: one filter bar over every chart, each chart with its numbers beside it.

Nothing is counted here. The coordinator's ``DeskSource`` reads every record once into
columns (not keeping the records, so a million fit), shared with the Submissions page; after a
filter change ``StoreDesk.dashboard(filter)`` recounts on this page's own worker (well under a
second for a million records), on a channel where the newest request wins, while the page
keeps the last numbers on screen and says "Counting…". The charts and tables show the
``Table`` rows of ``champions.coordinator.dashboard`` as they are.

Exports of the same filter run on a second worker, so a long export never holds up a
recount; see ``export.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...coordinator import ReportFilter
from ...coordinator.dashboard import DashboardData, Table
from ...coordinator.desk import StoreDesk
from ..pages.home_page import StatTile
from ..workers import StoreWorker
from .charts import ADDRESSED_COLOURS, ChartPanel
from .desk_source import DeskSource, ReadsSharedDesk
from .export import ExportChoice, ExportResult, ExportRun
from .filter_bar import FilterBar
from .pdf_summary import SummaryRequest

log = logging.getLogger(__name__)

FILTER_SETTING = "coordinator.dashboard.filter"
RECOUNT_DELAY_MS = 120  # arrow keys through a list recount once, at the end
RELOAD_DELAY_MS = 1500  # a sync writes in pages: load the desk again once it is quiet
TOP_IN_CHART = 10
PEOPLE_VIEWS = ("core20plus", "age_band", "ethnic_group", "language", "decile")
OUTREACH_VIEWS = ("kind", "week")
TILES = ("conversations", "people_reached", "barriers_heard", "percent_addressed", "outreach_activities",
         "outreach_hours", "moved_towards_yes")


def scale(widget: QWidget, factor: float, bold: bool = False) -> None:
    """Relative to the person's font (as the shell's ``scale_font``), so 200% text scales it too."""
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(round(font.pixelSize() * factor))
    font.setBold(bold)
    widget.setFont(font)


def _column(table: Table, key: str) -> list[Any]:
    return table.column(key)


class DashboardPage(ReadsSharedDesk, QWidget):
    """``desk`` and ``data`` are what is on screen; ``is_busy()`` says a load or a recount is on its way."""

    loaded = Signal()
    counted = Signal(object)  # DashboardData
    export_finished = Signal(object)  # ExportResult

    def __init__(self, store: Any, events: Any = None, *, champion_names: dict[str, str] | None = None,
                 today: Callable[[], date] = date.today, source: DeskSource | None = None,
                 parent: QWidget | None = None) -> None:
        """``source``: the window's shared desk; without one the page reads the records for itself."""
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.store = store
        self.champion_names = dict(champion_names or {})
        self.worker = StoreWorker(store, self, name="coordinator")
        self.export_worker = StoreWorker(store, self, name="coordinator-export")
        self.desk: StoreDesk | None = None
        self.data: DashboardData | None = None
        self.export_run: ExportRun | None = None
        self.last_export: ExportResult | None = None
        self._loading = False
        self._counting = False
        self._stale = False
        self._closed = False
        self._fonts_scaled = False
        self._load_error: BaseException | None = None
        self._own_source = source is None
        self.source = source if source is not None else DeskSource(store, self, champion_names=self.champion_names)
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(RECOUNT_DELAY_MS)
        self._recount_timer.timeout.connect(self.recount)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._reload_if_shown)
        self._today = today
        self._build(today)
        self._restore_filter()
        self._connect(events)
        self.retranslate()

    # -- building ---------------------------------------------------------------------------
    def _build(self, today: Callable[[], date]) -> None:
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setObjectName("dashboardStatus")
        self.status.setWordWrap(True)  # long filters wrap rather than being cut off
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportButton")
        self.export_menu = QMenu(self.export_button)
        self.export_actions: dict[str, QAction] = {}
        for key in ("xlsx", "pdf", "conversations", "barriers", "outreach", "assets"):
            action = self.export_menu.addAction("")
            action.triggered.connect(lambda _checked=False, k=key: self.export(ExportChoice(k)))
            self.export_actions[key] = action
            if key == "pdf":
                self.export_menu.addSeparator()
        self.export_button.setMenu(self.export_menu)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.status, 1)
        header.addWidget(self.export_button)

        self.filters = FilterBar(self.store.reference, today)
        self.tiles: dict[str, StatTile] = {}
        tiles = QHBoxLayout()
        tiles.setSpacing(6)
        for key in TILES:
            tile = StatTile()
            tile.setObjectName(f"tile_{key}")
            tile.layout().setContentsMargins(6, 2, 6, 2)
            self.tiles[key] = tile
            tiles.addWidget(tile)

        self.panels: dict[str, ChartPanel] = {
            "domains": ChartPanel("domains", self._draw_domains),
            "top": ChartPanel("top", self._draw_top),
            "weeks": ChartPanel("weeks", self._draw_weeks, hide_keys=()),
            "neighbourhoods": ChartPanel("neighbourhoods", self._draw_neighbourhoods),
            "people": ChartPanel("people", self._draw_people),
            "intention": ChartPanel("intention", self._draw_intention, hide_keys=()),
            "outreach": ChartPanel("outreach", self._draw_outreach),
            "quotes": ChartPanel("quotes", lambda _p, _t: None, with_chart=False),
        }
        self.panels["weeks"].splitter.setSizes([1300, 700])  # the lines and their names need the room
        self.panels["domains"].end_keys = ()  # the domain is what that table is about
        self.panels["quotes"].column_chars = {"barrier": 34, "neighbourhood": 24}
        quotes = self.panels["quotes"].table
        quotes.setWordWrap(True)
        quotes.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.people_view = QComboBox()
        self.people_view.setObjectName("peopleView")
        self.outreach_view = QComboBox()
        self.outreach_view.setObjectName("outreachView")
        for combo, keys in ((self.people_view, PEOPLE_VIEWS), (self.outreach_view, OUTREACH_VIEWS)):
            for key in keys:
                combo.addItem("", key)
        self.people_view_label = QLabel()
        self.people_view_label.setBuddy(self.people_view)
        self.outreach_view_label = QLabel()
        self.outreach_view_label.setBuddy(self.outreach_view)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dashboardSections")
        self.tabs.setDocumentMode(True)
        for key, panel in self.panels.items():
            if key == "people":
                self.tabs.addTab(self._with_view(panel, self.people_view_label, self.people_view), "")
            elif key == "outreach":
                self.tabs.addTab(self._with_view(panel, self.outreach_view_label, self.outreach_view), "")
            else:
                self.tabs.addTab(panel, "")

        self.loading = QWidget()
        self.loading.setObjectName("dashboardLoading")
        self.loading_label = QLabel()
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_label.setWordWrap(True)
        self.loading_bar = QProgressBar()
        self.loading_bar.setObjectName("loadingProgress")
        self.loading_bar.setRange(0, 0)
        self.loading_bar.setMaximumWidth(420)
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("retryLoad")
        self.retry_button.hide()
        box = QVBoxLayout(self.loading)
        box.addStretch(1)
        box.addWidget(self.loading_label)
        box.addWidget(self.loading_bar, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)
        self.body = QStackedWidget()
        self.body.addWidget(self.loading)
        self.body.addWidget(self.tabs)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.filters)
        layout.addLayout(tiles)
        layout.addWidget(self.body, 1)
        QWidget.setTabOrder(self.export_button, self.filters.period)
        QWidget.setTabOrder(self.filters.clear_button, self.tabs)

    def _with_view(self, panel: ChartPanel, label: QLabel, combo: QComboBox) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(combo)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(panel, 1)
        QWidget.setTabOrder(combo, panel.table)
        return page

    def _connect(self, events: Any) -> None:
        self.filters.changed.connect(self._filter_changed)
        self.people_view.currentIndexChanged.connect(lambda _i: self._show_people())
        self.outreach_view.currentIndexChanged.connect(lambda _i: self._show_outreach())
        self.retry_button.clicked.connect(self.reload)
        self.source.progressed.connect(self._load_progress)
        self.source.ready.connect(self._desk_ready)
        self.source.failed.connect(self._load_failed)
        self.source.review_moved.connect(self._review_moved)
        for panel in self.panels.values():
            panel.copied.connect(self._copied)
        if events is not None:
            events.changed.connect(self.store_changed)

    # -- words --------------------------------------------------------------------------------
    def nav_title(self) -> str:
        return self.tr("Dashboard")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Dashboard"))
        self.export_button.setText(self.tr("E&xport"))
        self.export_button.setAccessibleName(self.tr("Export the records of this filter"))
        self.export_button.setToolTip(self.tr("Save the records this filter keeps as a spreadsheet, "
                                              "or its numbers as a PDF summary for funders"))
        texts = {
            "xlsx": self.tr("&Excel workbook (every table, data dictionary and taxonomy)…"),
            "pdf": self.tr("&PDF summary for funders (numbers, charts and quotes)…"),
            "conversations": self.tr("CSV: &conversations…"),
            "barriers": self.tr("CSV: &barriers, one row each…"),
            "outreach": self.tr("CSV: &outreach…"),
            "assets": self.tr("CSV: community &assets…"),
        }
        for key, action in self.export_actions.items():
            action.setText(texts[key])
        self.export_menu.setAccessibleName(self.tr("Export formats"))
        self.filters.retranslate()
        tab_names = {
            "domains": self.tr("Barriers by domain"), "top": self.tr("Top barriers"),
            "weeks": self.tr("Over the weeks"), "neighbourhoods": self.tr("Neighbourhoods"),
            "people": self.tr("People reached"), "intention": self.tr("Intention before and after"),
            "outreach": self.tr("Outreach"), "quotes": self.tr("In their words"),
        }
        for index, key in enumerate(self.panels):
            self.tabs.setTabText(index, tab_names[key])
        self.tabs.setAccessibleName(self.tr("Dashboard sections"))
        self.tabs.tabBar().setAccessibleName(self.tr("Dashboard sections"))
        for i, text in enumerate((self.tr("Core20PLUS groups"), self.tr("Age band"), self.tr("Ethnic group"),
                                  self.tr("Language"), self.tr("Deprivation decile"))):
            self.people_view.setItemText(i, text)
        self.people_view_label.setText(self.tr("Re&ached by:"))
        self.people_view.setAccessibleName(self.tr("Show people reached by"))
        for i, text in enumerate((self.tr("Kind of activity"), self.tr("Week"))):
            self.outreach_view.setItemText(i, text)
        self.outreach_view_label.setText(self.tr("Sho&w outreach by:"))
        self.outreach_view.setAccessibleName(self.tr("Show outreach by"))
        self.retry_button.setText(self.tr("T&ry again"))
        self.retry_button.setAccessibleName(self.tr("Try loading the records again"))
        self.loading_bar.setAccessibleName(self.tr("Loading the records"))
        captions = {
            "conversations": self.tr("Conversations"), "people_reached": self.tr("People reached"),
            "barriers_heard": self.tr("Barriers heard"), "percent_addressed": self.tr("Barriers addressed"),
            "outreach_activities": self.tr("Outreach activities"), "outreach_hours": self.tr("Outreach hours"),
            "moved_towards_yes": self.tr("Moved towards yes"),
        }
        self._captions = captions
        for panel in self.panels.values():
            panel.retranslate()
        if self.data is not None:
            self._show(self.data)
        else:
            for key, tile in self.tiles.items():
                tile.set("–", captions[key])
            self._show_state()

    def _show_state(self) -> None:
        if self._load_error is not None:
            self.loading_label.setText(self.tr("The records could not be loaded: {why}").format(why=self._load_error))
            self.loading_bar.hide()
            self.retry_button.show()
        else:
            self.loading_label.setText(self.tr("Loading the organisation's records…"))
            self.loading_bar.show()
            self.retry_button.hide()
        self.loading_label.setAccessibleName(self.loading_label.text())
        if self._loading or self._counting:
            self._set_status(self.tr("Counting…"))

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleName(text)
        self.status.setToolTip(text)

    # -- loading --------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._fonts_scaled:  # now the page has its final parent (reparenting resets fonts)
            self._fonts_scaled = True
            for tile in self.tiles.values():
                scale(tile.value, 1.5, bold=True)
        if self.desk is None or self._stale:
            self._read()

    def ensure_loaded(self) -> None:
        if self.desk is None and not self._loading:
            self._read()

    def _show_loading(self) -> None:
        self.export_button.setEnabled(False if self.desk is None else self.export_button.isEnabled())
        if self.desk is None:
            self.body.setCurrentWidget(self.loading)

    def _review_moved(self, _record_id: str) -> None:
        """Submissions reviewed a record in the shared columns: the review-state counts change."""
        if self.desk is not None and not self._closed:
            self._recount_timer.start()

    def _loaded(self, desk: StoreDesk) -> None:
        self._loading = False
        self.desk = desk
        names = {}
        for author in desk.columns.authors.values:
            name = desk.champion_name(author)
            names[author] = name if name != author else self.tr("Champion {id}").format(id=author[:8])
        self.filters.set_champions(names)
        self.body.setCurrentWidget(self.tabs)
        self.export_button.setEnabled(self.export_run is None)
        self.loaded.emit()
        self.recount()

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._load_error = exc
        if self.desk is None:
            self.body.setCurrentWidget(self.loading)
        self._show_state()
        self._set_status(self.tr("The records could not be loaded."))

    # -- counting -------------------------------------------------------------------------------
    def report_filter(self) -> ReportFilter:
        return self.filters.report_filter()

    def _filter_changed(self) -> None:
        self._save_filter()
        if self.desk is not None:
            self._counting = True
            self._set_status(self.tr("Counting…"))
            self._recount_timer.start()

    def recount(self) -> None:
        """Count the current filter on the worker; the newest filter's numbers are the ones shown."""
        self._recount_timer.stop()
        desk = self.desk
        if desk is None or self._closed:
            return
        self._counting = True
        self._set_status(self.tr("Counting…"))
        flt = self.report_filter()
        self.worker.submit(lambda _store: desk.dashboard(flt), self._counted, self._count_failed, channel="dashboard")

    def _counted(self, data: DashboardData) -> None:
        self._counting = self._recount_timer.isActive()
        self.data = data
        self._show(data)
        self.counted.emit(data)

    def _count_failed(self, exc: BaseException) -> None:
        self._counting = False
        self._set_status(self.tr("Counting failed: {why}").format(why=exc))

    def is_busy(self) -> bool:
        return (self._loading or self._counting or self._recount_timer.isActive() or self.worker.is_busy())

    # -- showing --------------------------------------------------------------------------------
    def _show(self, data: DashboardData) -> None:
        h = data.headline
        loc = self.locale()
        values = {
            "conversations": loc.toString(h.conversations), "people_reached": loc.toString(h.people_reached),
            "barriers_heard": loc.toString(h.barriers_heard),
            "percent_addressed": self.tr("{percent}%").format(percent=loc.toString(h.percent_addressed, "f", 1)),
            "outreach_activities": loc.toString(h.outreach_activities),
            "outreach_hours": loc.toString(h.outreach_hours, "f", 1),
            "moved_towards_yes": loc.toString(h.moved_towards_yes),
        }
        for key, tile in self.tiles.items():
            tile.set(values[key], self._captions[key])
        self.panels["domains"].show_table(data.barriers_by_domain)
        self.panels["top"].show_table(data.top_barriers)
        self.panels["weeks"].show_table(data.top_barriers_by_week)
        self.panels["neighbourhoods"].show_table(data.by_neighbourhood)
        self._show_people()
        shift = data.intention_shift
        self.panels["intention"].show_table(shift.table)
        if shift.comparable:
            caption = self.tr("{towards} of {comparable} conversations ({percent}%) moved towards yes; "
                              "{away} moved away; {same} did not change.").format(
                towards=shift.moved_towards_yes, comparable=shift.comparable,
                percent=loc.toString(shift.percent_towards_yes, "f", 1), away=shift.moved_away, same=shift.unchanged)
        else:
            caption = self.tr("No conversations where intention was asked before and after.")
        self.panels["intention"].set_caption(caption)
        self._show_outreach()
        self.panels["quotes"].show_table(data.top_quotes)
        self.panels["quotes"].table.resizeRowsToContents()
        self._set_status(self.tr("{conversations} conversations, {activities} outreach activities · {filter}").format(
            conversations=loc.toString(h.conversations), activities=loc.toString(h.outreach_activities),
            filter=self.filters.describe()) if not self._counting else self.tr("Counting…"))

    def people_table(self) -> Table | None:
        if self.data is None:
            return None
        key = self.people_view.currentData()
        return {"core20plus": self.data.people_by_core20plus, "age_band": self.data.people_by_age_band,
                "ethnic_group": self.data.people_by_ethnic_group, "language": self.data.people_by_language,
                "decile": self.data.by_deprivation_decile}[key]

    def outreach_table(self) -> Table | None:
        if self.data is None:
            return None
        return self.data.outreach_by_kind if self.outreach_view.currentData() == "kind" else self.data.outreach_by_week

    def _show_people(self) -> None:
        table = self.people_table()
        if table is not None:
            self.panels["people"].show_table(table)

    def _show_outreach(self) -> None:
        table = self.outreach_table()
        if table is not None:
            self.panels["outreach"].show_table(table)

    # -- the charts (drawn from the table's own rows) -----------------------------------------------
    def _addressed_sets(self, table: Table) -> list[tuple[str, list[Any]]]:
        return [(self.tr("Addressed"), _column(table, "addressed")), (self.tr("Partly addressed"), _column(table, "partly")),
                (self.tr("Not addressed"), _column(table, "not_addressed"))]

    def _draw_domains(self, panel: ChartPanel, table: Table) -> None:
        panel.bars(_column(table, "domain"), self._addressed_sets(table), stacked=True, colours=ADDRESSED_COLOURS,
                   value_title=self.tr("Barriers heard"))

    def _draw_top(self, panel: ChartPanel, table: Table) -> None:
        top = Table(table.title, table.columns, table.rows[:TOP_IN_CHART], table.keys)
        panel.bars(_column(top, "barrier"), self._addressed_sets(top), stacked=True, colours=ADDRESSED_COLOURS,
                   value_title=self.tr("Barriers heard (the {n} heard most)").format(n=len(top.rows)))

    def _draw_weeks(self, panel: ChartPanel, table: Table) -> None:
        weeks = _column(table, "week")
        # The top barriers only: "Other barriers" (all the rest together) would flatten them; it is in the table.
        lines = [(QCoreApplication.translate("DashboardTable", table.columns[i]), [row[i] for row in table.rows])
                 for i in range(1, len(table.columns)) if table.keys[i] != "other"]
        panel.lines(weeks, lines, value_title=self.tr("Barriers heard each week"))

    def _draw_neighbourhoods(self, panel: ChartPanel, table: Table) -> None:
        panel.bars(_column(table, "neighbourhood"), [
            (self.tr("Conversations"), _column(table, "conversations")),
            (self.tr("Barriers heard"), _column(table, "heard")),
            (self.tr("Outreach activities"), _column(table, "activities")),
        ])

    def _draw_people(self, panel: ChartPanel, table: Table) -> None:
        """Bars for the groups; the "not recorded" row stays in the table (it would dwarf the groups)."""
        keys = table.keys
        code = keys.index("code") if "code" in keys else 0  # the decile table's first column is the decile
        rows = [r for r in table.rows if r[code] not in ("", None)]
        if "level" in keys:  # ethnic groups: the five groups on the chart, the details in the table
            rows = [r for r in rows if r[keys.index("level")] == "Group"]
        if keys and keys[0] == "decile":
            labels = [str(r[0]) for r in rows]
        else:
            labels = [r[keys.index("label")] for r in rows][:TOP_IN_CHART * 2]
            rows = rows[:TOP_IN_CHART * 2]
        panel.bars(labels, [(self.tr("People reached"), [r[keys.index("people")] for r in rows]),
                            (self.tr("Conversations"), [r[keys.index("conversations")] for r in rows])],
                   horizontal=keys[0] != "decile",
                   value_title=self.tr("Deprivation decile (1 = most deprived)") if keys[0] == "decile" else "")

    def _draw_intention(self, panel: ChartPanel, table: Table) -> None:
        rows = [r for r in table.rows if r[0] != "Total"]
        total = next((r for r in table.rows if r[0] == "Total"), None)
        labels = [QCoreApplication.translate("DashboardTable", r[0]) for r in rows]
        before = [r[-1] for r in rows]
        after = list(total[1:-1]) if total else [0] * len(rows)
        panel.bars(labels, [(self.tr("Before the conversation"), before), (self.tr("After the conversation"), after)],
                   horizontal=False, value_title=self.tr("Conversations"))

    def _draw_outreach(self, panel: ChartPanel, table: Table) -> None:
        if table.keys and table.keys[0] == "week":
            panel.lines(_column(table, "week"), [(self.tr("Activities"), _column(table, "activities")),
                                                 (self.tr("Hours"), _column(table, "hours"))])
        else:
            panel.bars(_column(table, "kind"), [(self.tr("Activities"), _column(table, "activities")),
                                                (self.tr("Hours"), _column(table, "hours"))])

    # -- copying and exporting ------------------------------------------------------------------
    def _copied(self, title: str) -> None:
        self._set_status(self.tr("Copied “{title}”: paste it into a spreadsheet.").format(title=title))

    def default_export_path(self, choice: ExportChoice) -> Path:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        stem = {"xlsx": "champions", "pdf": "champions-summary"}.get(choice.key, f"champions-{choice.key}")
        return Path(folder) / f"{stem}-{date.today().isoformat()}{choice.suffix}"

    def ask_export_path(self, choice: ExportChoice) -> Path | None:
        kind = {"xlsx": self.tr("Excel workbook (*.xlsx)"), "pdf": self.tr("PDF document (*.pdf)")}.get(
            choice.key, self.tr("CSV file (*.csv)"))
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), str(self.default_export_path(choice)), kind)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == choice.suffix else path.with_name(path.name + choice.suffix)

    def export(self, choice: ExportChoice, path: Path | None = None) -> ExportRun | None:
        """Export this filter's records; asks where unless given a path. One export at a time."""
        if self.desk is None or self.export_run is not None:
            return None
        path = path or self.ask_export_path(choice)
        if path is None:
            return None
        self.export_button.setEnabled(False)
        summary = self.summary_request() if choice.key == "pdf" else None
        run = ExportRun(self.export_worker, self.desk, choice, path, self.report_filter(), self, summary)
        run.finished.connect(self._export_done)
        self.export_run = run
        return run

    def chart_draws(self) -> dict[str, Callable[[ChartPanel, Table], None]]:
        """The charts' draw functions by name, so the PDF summary draws the very same charts."""
        return {"domains": self._draw_domains, "top": self._draw_top, "weeks": self._draw_weeks,
                "neighbourhoods": self._draw_neighbourhoods, "people": self._draw_people,
                "intention": self._draw_intention, "outreach": self._draw_outreach}

    def organisation_name(self) -> str | None:
        """The organisation this device is enrolled with, for the PDF's title (None in the demo)."""
        try:
            from ...sync.enrolment import current_identity

            identity = current_identity(self.store)
        except Exception:  # noqa: BLE001 - no name only means a title without it
            log.exception("the enrolment could not be read")
            return None
        return identity.org_name if identity is not None and identity.org_name else None

    def summary_request(self) -> SummaryRequest:
        return SummaryRequest(self.chart_draws(), self.organisation_name(), self._today(), self.data)

    def _export_done(self, result: ExportResult) -> None:
        kind = self.export_run.choice.key if self.export_run is not None else ""
        if self.export_run is not None:
            self.export_run.deleteLater()
        self.export_run = None
        self.last_export = result
        self.export_button.setEnabled(self.desk is not None)
        if result.cancelled:
            self._set_status(self.tr("Export cancelled: no file was written."))
        elif result.error is not None:
            self._set_status(self.tr("The export failed, and no file was written: {why}").format(why=result.error))
        elif kind == "pdf":
            self._set_status(self.tr("Saved the summary ({pages} pages) to {path}").format(
                pages=self.locale().toString(result.rows), path=result.path))
        else:
            self._set_status(self.tr("Saved {rows} rows to {path}").format(
                rows=self.locale().toString(result.rows), path=result.path))
        self.export_finished.emit(result)

    # -- keeping the filter -----------------------------------------------------------------------
    def _restore_filter(self) -> None:
        try:
            saved = self.store.settings.get(FILTER_SETTING)
            if saved:
                self.filters.set_filter(ReportFilter.from_dict(saved))
        except Exception:  # noqa: BLE001 - an unreadable saved filter only means starting afresh
            log.exception("the saved dashboard filter could not be read")

    def _save_filter(self) -> None:
        try:
            self.store.settings.set(FILTER_SETTING, self.report_filter().to_dict())
        except Exception:  # noqa: BLE001 - not keeping the filter must never stop the count
            log.exception("the dashboard filter could not be kept")

    # -- closing -----------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop both workers (an export running is cancelled and leaves no file)."""
        if self._closed:
            return
        self._closed = True
        self._recount_timer.stop()
        self._reload_timer.stop()
        if self.export_run is not None:
            self.export_run.task.cancel()
        self.worker.close()
        self.export_worker.close()
        if self._own_source:
            self.source.shutdown()
