"""One dashboard section: a QtCharts chart with its numbers in a table beside it.

The chart is drawn from the very ``Table`` the table view shows (see ``table_model``), so a
screen-reader user, a keyboard user and someone reading the chart all get the same numbers.
The chart view takes no focus; the table does, and Ctrl+C (or "Copy table") puts the whole
table on the clipboard as tab-separated text that pastes into a spreadsheet as cells.

Colours are the Okabe-Ito palette, told apart with colour-blindness too; no animations.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...coordinator.dashboard import Table
from ..widgets.tables import setup_table
from .table_model import DashboardTableModel, translated

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C96A3")
ADDRESSED_COLOURS = ("#009E73", "#E69F00", "#8C96A3")  # addressed, partly, not addressed
MAX_COLUMN_CHARS = 30  # a label column wider than this is cut short; its tooltip has it whole
WRAP_WIDTH = 24
MAX_BAR_LABEL = 28  # characters of a category label before it is shortened on the chart (the table has it whole)

Draw = Callable[["ChartPanel", Table], None]


def short(label: str, most: int = MAX_BAR_LABEL) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def wrapped(label: str, width: int = WRAP_WIDTH, lines: int = 2) -> str:
    """A category label on up to two lines (the axis draws rich text); the table has it whole."""
    parts = textwrap.wrap(" ".join(str(label).split()), width) or [""]
    if len(parts) > lines:
        parts = parts[: lines - 1] + [short(" ".join(parts[lines - 1:]), width)]
    return "<br>".join(html.escape(part) for part in parts)


class ChartPanel(QWidget):
    """Title, chart and table; ``show_table`` redraws both from one ``Table``."""

    copied = Signal(str)  # the table's title, for the page's status line

    def __init__(self, key: str, draw: Draw, hide_keys: Sequence[str] = ("code",), parent: QWidget | None = None,
                 *, with_chart: bool = True) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"panel_{key}")
        self.draw = draw
        self.hide_keys = tuple(hide_keys)
        # Descriptive columns shown after the numbers, so the numbers sit next to what they count
        # (the copy keeps the table's own order).
        self.end_keys: tuple[str, ...] = ("domain", "driver", "group", "level")
        # The column (by key) that takes the table's spare width: the first of these the table has.
        self.stretch_keys: tuple[str, ...] = ("quote",)
        self.column_chars: dict[str, int] = {}  # columns (by key) given this many characters' width
        self.model = DashboardTableModel(self)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setTheme(QChart.ChartTheme.ChartThemeLight)
        self.chart.setBackgroundRoundness(0)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName(f"chart_{key}")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.chart_view.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the numbers
        self.chart_view.setMinimumSize(320, 220)
        self.chart_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if not with_chart:  # never setVisible(True) here: on a widget without a parent it shows a window
            self.chart_view.hide()

        self.caption = QLabel()
        self.caption.setObjectName("panelCaption")
        self.caption.setWordWrap(True)
        self.caption.hide()
        self.table = QTableView()
        self.table.setObjectName(f"table_{key}")
        self.table.setModel(self.model)
        setup_table(self.table, [])
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # A header wider than its column shows its start (the tooltip has it whole), not a clipped middle.
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.copy_action = QAction(self)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy)
        self.table.addAction(self.copy_action)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copyTable")
        self.copy_button.clicked.connect(self.copy)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.caption)
        column.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        column.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.chart_view)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1000, 1000])  # half each: the numbers need the room as much as the bars
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.splitter)
        QWidget.setTabOrder(self.table, self.copy_button)
        self.model.modelReset.connect(self._columns)
        self.retranslate()

    # -- showing ---------------------------------------------------------------------------
    def show_table(self, table: Table) -> None:
        self.model.set_table(table)
        self.draw(self, table)
        title = translated(table.title)
        self.chart.setTitle("")
        self.chart_view.setAccessibleName(self.tr("Chart: {title}").format(title=title))
        self.chart_view.setAccessibleDescription(self.tr("The same numbers are in the table beside the chart."))
        self.table.setAccessibleName(title)
        self.table.setAccessibleDescription(self.tr("{rows} rows. Ctrl+C copies the whole table.").format(
            rows=len(table.rows)))
        self.copy_button.setAccessibleName(self.tr("Copy the table “{title}”").format(title=title))

    def set_caption(self, text: str) -> None:
        self.caption.setText(text)
        self.caption.setAccessibleName(text)
        self.caption.setVisible(bool(text))

    def copy(self) -> None:
        """The whole table, headers first, as tab-separated text (pastes as cells in a spreadsheet)."""
        text = self.model.as_tsv()
        if not text:
            return
        QGuiApplication.clipboard().setText(text)
        self.copied.emit(translated(self.model.table.title))

    def _columns(self) -> None:
        keys = self.model.table.keys
        metrics = self.table.fontMetrics()
        for column in range(self.model.columnCount()):
            key = keys[column] if column < len(keys) else ""
            self.table.setColumnHidden(column, key in self.hide_keys)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for logical in range(header.count()):  # back to the table's order, then the descriptive ones last
            header.moveSection(header.visualIndex(logical), logical)
        for logical, key in enumerate(keys):
            if key in self.end_keys:
                header.moveSection(header.visualIndex(logical), header.count() - 1)
        stretch = next((k for k in self.stretch_keys if k in keys), "")
        header.setStretchLastSection(not stretch)
        for column in range(self.model.columnCount()):
            key = keys[column] if column < len(keys) else ""
            if key == stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            if key in self.column_chars:
                self.table.setColumnWidth(column, metrics.averageCharWidth() * self.column_chars[key])
                continue
            most = metrics.averageCharWidth() * MAX_COLUMN_CHARS
            if self.table.columnWidth(column) > most:
                self.table.setColumnWidth(column, most)

    def retranslate(self) -> None:
        self.copy_button.setText(self.tr("Cop&y table"))
        self.copy_button.setToolTip(self.tr("Copy the whole table, to paste into a spreadsheet (Ctrl+C in the table)"))
        self.copy_action.setText(self.tr("Copy table"))
        if self.model.table.columns:
            self.show_table(self.model.table)

    # -- drawing helpers (used by the page's draw functions) ----------------------------------
    def clear_chart(self) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in list(chart.axes()):
            chart.removeAxis(axis)
            axis.deleteLater()

    def _font(self, factor: float = 1.0) -> QFont:
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * factor)
        return font

    def _axis(self, axis: QAbstractAxis, alignment: Qt.AlignmentFlag) -> QAbstractAxis:
        axis.setLabelsFont(self._font(0.9))
        axis.setTitleFont(self._font(0.9))
        self.chart.addAxis(axis, alignment)
        return axis

    def bars(self, categories: Sequence[str], sets: Sequence[tuple[str, Sequence[float]]], *,
             horizontal: bool = True, stacked: bool = False, value_title: str = "",
             colours: Sequence[str] = PALETTE) -> None:
        """Bar chart; horizontal bars list their categories top to bottom, as the table does."""
        self.clear_chart()
        # Two lines of a few words: Qt cuts a longer label short (the table beside has it whole).
        categories = [wrapped(c, WRAP_WIDTH if horizontal else 14) for c in categories]
        if horizontal:  # Qt draws the first category at the bottom
            categories = categories[::-1]
            sets = [(name, list(values)[::-1]) for name, values in sets]
        if horizontal:
            series: Any = QHorizontalStackedBarSeries() if stacked else QHorizontalBarSeries()
        else:
            series = QStackedBarSeries() if stacked else QBarSeries()
        for i, (name, values) in enumerate(sets):
            bar_set = QBarSet(name)
            bar_set.append([float(v or 0) for v in values])
            colour = QColor(colours[i % len(colours)])
            bar_set.setColor(colour)
            bar_set.setBorderColor(colour.darker(115))
            series.append(bar_set)
        series.setBarWidth(0.75)
        self.chart.addSeries(series)
        category_axis = QBarCategoryAxis()
        category_axis.append(list(categories) or [""])
        value_axis = QValueAxis()
        value_axis.setLabelFormat("%d")
        value_axis.setTitleText(value_title)
        most = max([sum(float(v or 0) for v in column) if stacked else max((float(v or 0) for v in column), default=0)
                    for column in zip(*[values for _, values in sets])] or [0])
        value_axis.setRange(0, max(1.0, most))
        value_axis.applyNiceNumbers()
        self._axis(category_axis, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
        self._axis(value_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(category_axis)
        series.attachAxis(value_axis)
        self._legend(len(sets) > 1)

    def lines(self, categories: Sequence[str], lines: Sequence[tuple[str, Sequence[float]]], *,
              value_title: str = "") -> None:
        """Lines over ordered categories (ISO weeks): points at 0, 1, 2… on a category axis."""
        self.clear_chart()
        category_axis = QBarCategoryAxis()
        category_axis.append(list(categories) or [""])
        category_axis.setLabelsAngle(-90 if len(categories) > 8 else 0)
        value_axis = QValueAxis()
        value_axis.setLabelFormat("%d")
        value_axis.setTitleText(value_title)
        most = max([float(v or 0) for _, values in lines for v in values] or [0])
        value_axis.setRange(0, max(1.0, most))
        value_axis.applyNiceNumbers()
        self._axis(category_axis, Qt.AlignmentFlag.AlignBottom)
        self._axis(value_axis, Qt.AlignmentFlag.AlignLeft)
        for i, (name, values) in enumerate(lines):
            series = QLineSeries()
            series.setName(wrapped(name, 22) if len(lines) > 2 else short(name, 26))  # names on the right wrap
            for x, v in enumerate(values):
                series.append(float(x), float(v or 0))
            pen = QPen(QColor(PALETTE[i % len(PALETTE)]))
            pen.setWidthF(2.5)
            if i % 2:
                pen.setStyle(Qt.PenStyle.DashLine)  # not told apart by colour alone
            series.setPen(pen)
            series.setPointsVisible(len(values) <= 30)
            self.chart.addSeries(series)
            series.attachAxis(category_axis)
            series.attachAxis(value_axis)
        self._legend(bool(lines), Qt.AlignmentFlag.AlignRight if len(lines) > 2 else Qt.AlignmentFlag.AlignBottom)

    def _legend(self, visible: bool, where: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignBottom) -> None:
        """Many lines: a list on the right, where each name has room to be read."""
        legend = self.chart.legend()
        legend.setVisible(visible)
        legend.setAlignment(where)
        legend.setShowToolTips(True)  # a shortened name shows whole on hover
        legend.setFont(self._font(0.9))
