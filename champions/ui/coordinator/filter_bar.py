"""The one set of filters that drives every chart, table and export on the Dashboard.

Each control maps onto a field of ``ReportFilter`` (the non-Qt layer's filter), so the page
never counts anything itself: it hands ``report_filter()`` to ``Desk.dashboard`` and to the
exports. A change is announced once through ``changed``; the page debounces and recounts
off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ...coordinator import ReportFilter
from ...domain import ReferenceLists
from ..widgets.date_filter import NO_DATE, DateFilterEdit
from ..widgets.flow_layout import FlowLayout

PERIODS = ("all", "4w", "13w", "year", "custom")


def period_dates(period: str, today: date) -> tuple[date | None, date | None]:
    """Both days included; "Last 4 weeks" is today and the 27 days before."""
    if period == "4w":
        return today - timedelta(days=27), today
    if period == "13w":
        return today - timedelta(days=13 * 7 - 1), today
    if period == "year":
        return date(today.year, 1, 1), today
    return None, None


def _qdate(day: date | None) -> QDate:
    return NO_DATE if day is None else QDate(day.year, day.month, day.day)


def _pydate(edit: DateFilterEdit) -> date | None:
    if not edit.is_set():
        return None
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def _add_heading(combo: QComboBox, text: str) -> None:
    """A section title in the list: read out and shown, but not a choice (arrow keys skip it)."""
    combo.addItem(text, None)
    model = combo.model()
    if isinstance(model, QStandardItemModel):
        item = model.item(combo.count() - 1)
        item.setEnabled(False)
        item.setSelectable(False)


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, reference: ReferenceLists, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardFilters")
        self.reference = reference
        self.today = today
        self._quiet = False
        self.period = QComboBox()
        self.period.setObjectName("periodFilter")
        for key in PERIODS:
            self.period.addItem("", key)
        self.since = DateFilterEdit()
        self.since.setObjectName("sinceFilter")
        self.until = DateFilterEdit()
        self.until.setObjectName("untilFilter")
        self.neighbourhood = QComboBox()
        self.neighbourhood.setObjectName("neighbourhoodFilter")
        self.barrier = QComboBox()
        self.barrier.setObjectName("barrierFilter")
        self.group = QComboBox()
        self.group.setObjectName("groupFilter")
        self.champion = QComboBox()
        self.champion.setObjectName("championFilter")
        for combo in (self.barrier, self.group):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(18)
        self.champion.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.champion.setMinimumContentsLength(14)
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("clearFilters")

        self.labels: dict[str, QLabel] = {}
        flow = FlowLayout(self)
        flow.setContentsMargins(0, 0, 0, 0)
        for key, field in (("period", self.period), ("since", self.since), ("until", self.until),
                           ("neighbourhood", self.neighbourhood), ("barrier", self.barrier),
                           ("group", self.group), ("champion", self.champion)):
            label = QLabel()
            label.setBuddy(field)
            self.labels[key] = label
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(4)
            row.addWidget(label)
            row.addWidget(field)
            flow.addWidget(pair)
        flow.addWidget(self.clear_button)
        order = [self.period, self.since, self.until, self.neighbourhood, self.barrier, self.group, self.champion,
                 self.clear_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

        self._wanted_champion: str | None = None  # a restored champion not among the loaded ones yet
        self.fill_lists()
        self.set_champions({})
        self.period.currentIndexChanged.connect(self._period_chosen)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(self._dates_edited)
        self.champion.currentIndexChanged.connect(self._champion_chosen)
        for combo in (self.neighbourhood, self.barrier, self.group, self.champion):
            combo.currentIndexChanged.connect(self._emit)
        self.clear_button.clicked.connect(self.clear)
        self.retranslate()

    # -- choices ----------------------------------------------------------------------
    def fill_lists(self) -> None:
        """The shared lists' current items (retired ones are not offered for new filtering)."""
        ref = self.reference
        with self._silenced():
            self.neighbourhood.clear()
            self.neighbourhood.addItem("", None)
            for item in ref.items("neighbourhood"):
                self.neighbourhood.addItem(item.label, item.code)
            self.barrier.clear()
            self.barrier.addItem("", None)
            for group in ref.groups("barrier"):
                self.barrier.addItem(group.label, f"domain:{group.code}")
                for item in ref.items("barrier"):
                    if item.group == group.code:
                        self.barrier.addItem("    " + item.label, f"code:{item.code}")
            self.group.clear()
            self.group.addItem("", None)
            self.group.addItem("", "core20:")
            self._group_headings: list[int] = []
            for heading, list_name, prefix in (("core20plus", "core20plus", "core20plus"),
                                               ("age_band", "age_band", "age_band"),
                                               ("ethnic", "ethnic_group_group", "ethnic_group")):
                self._group_headings.append(self.group.count())
                _add_heading(self.group, heading)
                for item in ref.items(list_name):
                    self.group.addItem("    " + item.label, f"{prefix}:{item.code}")

    def set_champions(self, names: dict[str, str]) -> None:
        """The champions whose records are on the desk, by name; keeps the current choice if still there."""
        current = self.champion.currentData() or self._wanted_champion
        with self._silenced():
            self.champion.clear()
            self.champion.addItem(self.tr("All champions"), None)
            for author, name in sorted(names.items(), key=lambda kv: kv[1].casefold()):
                self.champion.addItem(name, author)
            index = self.champion.findData(current) if current else 0
            self.champion.setCurrentIndex(max(index, 0))
        if current and index >= 0:
            self._wanted_champion = None

    # -- the filter ---------------------------------------------------------------------
    def report_filter(self) -> ReportFilter:
        values: dict[str, Any] = {"since": _pydate(self.since), "until": _pydate(self.until)}
        if self.neighbourhood.currentData():
            values["neighbourhoods"] = [self.neighbourhood.currentData()]
        barrier = self.barrier.currentData()
        if barrier:
            kind, code = barrier.split(":", 1)
            values["barrier_domains" if kind == "domain" else "barrier_codes"] = [code]
        group = self.group.currentData()
        if group:
            kind, code = group.split(":", 1)
            if kind == "core20":
                values["core20_only"] = True
            else:
                values[{"core20plus": "core20plus", "age_band": "age_bands", "ethnic_group": "ethnic_groups"}[kind]] = [code]
        champion = self.champion.currentData() or self._wanted_champion
        if champion:
            values["champions"] = [champion]
        return ReportFilter.make(**values)

    def set_filter(self, flt: ReportFilter) -> None:
        """Show a filter (the one kept from last time); fields the bar has no control for are dropped."""
        with self._silenced():
            self.since.setDate(_qdate(flt.since))
            self.until.setDate(_qdate(flt.until))
            self.period.setCurrentIndex(self._matching_period(flt.since, flt.until))
            self.neighbourhood.setCurrentIndex(max(0, self.neighbourhood.findData(next(iter(sorted(flt.neighbourhoods)), None))) if flt.neighbourhoods else 0)
            barrier = (f"code:{min(flt.barrier_codes)}" if flt.barrier_codes
                       else f"domain:{min(flt.barrier_domains)}" if flt.barrier_domains else None)
            self.barrier.setCurrentIndex(max(0, self.barrier.findData(barrier)) if barrier else 0)
            group = ("core20:" if flt.core20_only else f"core20plus:{min(flt.core20plus)}" if flt.core20plus
                     else f"age_band:{min(flt.age_bands)}" if flt.age_bands
                     else f"ethnic_group:{min(flt.ethnic_groups)}" if flt.ethnic_groups else None)
            self.group.setCurrentIndex(max(0, self.group.findData(group)) if group else 0)
            champion = min(flt.champions) if flt.champions else None
            self.champion.setCurrentIndex(max(0, self.champion.findData(champion)) if champion else 0)
            # Restored before the desk has loaded its champions: chosen once set_champions brings them.
            self._wanted_champion = champion if champion and self.champion.findData(champion) < 0 else None
        self.changed.emit()

    def clear(self) -> None:
        self.set_filter(ReportFilter())

    def describe(self) -> str:
        """The filter in a few words, for the page's status line and the chart views' descriptions."""
        parts = []
        for combo in (self.neighbourhood, self.barrier, self.group, self.champion):
            if combo.currentIndex() > 0:
                parts.append(combo.currentText().strip())
        since, until = _pydate(self.since), _pydate(self.until)
        if since or until:
            start = _qdate(since).toString("d MMM yyyy") if since else self.tr("the start")
            end = _qdate(until).toString("d MMM yyyy") if until else self.tr("today")
            parts.insert(0, self.tr("{start} to {end}").format(start=start, end=end))
        return "; ".join(parts) if parts else self.tr("Everything, all dates")

    # -- reacting -----------------------------------------------------------------------
    def _matching_period(self, since: date | None, until: date | None) -> int:
        today = self.today()
        for i, key in enumerate(PERIODS[:-1]):
            if period_dates(key, today) == (since, until):
                return i
        return PERIODS.index("custom")

    def _period_chosen(self, index: int) -> None:
        if self._quiet:
            return
        key = self.period.itemData(index)
        if key == "custom":
            return  # keep the dates; the person types them next
        since, until = period_dates(key, self.today())
        with self._silenced():
            self.since.setDate(_qdate(since))
            self.until.setDate(_qdate(until))
        self.changed.emit()

    def _dates_edited(self, _day: QDate) -> None:
        if self._quiet:
            return
        with self._silenced():
            self.period.setCurrentIndex(self._matching_period(_pydate(self.since), _pydate(self.until)))
        self.changed.emit()

    def _champion_chosen(self, _index: int) -> None:
        if not self._quiet:
            self._wanted_champion = None  # the person chose: a restored choice no longer waits

    def _emit(self, _index: int = 0) -> None:
        if not self._quiet:
            self.changed.emit()

    def _silenced(self) -> "_Quiet":
        return _Quiet(self)

    # -- words ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        texts = {
            "period": self.tr("&Period:"), "since": self.tr("Fro&m:"), "until": self.tr("&To:"),
            "neighbourhood": self.tr("&Neighbourhood:"), "barrier": self.tr("&Barrier:"),
            "group": self.tr("Gro&up:"), "champion": self.tr("&Champion:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        for i, text in enumerate((self.tr("All dates"), self.tr("Last 4 weeks"), self.tr("Last 13 weeks"),
                                  self.tr("This year"), self.tr("Chosen dates"))):
            self.period.setItemText(i, text)
        self.period.setAccessibleName(self.tr("Period"))
        for edit, name in ((self.since, self.tr("From date")), (self.until, self.tr("To date"))):
            edit.setSpecialValueText(self.tr("Any date"))
            edit.setAccessibleName(name)
        self.neighbourhood.setItemText(0, self.tr("All neighbourhoods"))
        self.neighbourhood.setAccessibleName(self.tr("Neighbourhood filter"))
        self.barrier.setItemText(0, self.tr("Any barrier"))
        self.barrier.setAccessibleName(self.tr("Barrier filter: a BeSD domain or one barrier"))
        self.group.setItemText(0, self.tr("Everyone"))
        self.group.setItemText(1, self.tr("Core20: most deprived 20% of areas"))
        headings = (self.tr("Core20PLUS groups"), self.tr("Age bands"), self.tr("Ethnic groups"))
        for index, text in zip(self._group_headings, headings):
            self.group.setItemText(index, text)
        self.group.setAccessibleName(self.tr("Group filter: Core20PLUS, age band or ethnic group"))
        self.champion.setItemText(0, self.tr("All champions"))
        self.champion.setAccessibleName(self.tr("Champion filter"))
        self.clear_button.setText(self.tr("C&lear filters"))
        self.clear_button.setAccessibleName(self.tr("Clear filters"))


class _Quiet:
    """Changes made by code (filling, restoring) do not each announce a new filter."""

    def __init__(self, bar: FilterBar) -> None:
        self.bar = bar
        self.was = bar._quiet

    def __enter__(self) -> None:
        self.bar._quiet = True

    def __exit__(self, *exc: object) -> None:
        self.bar._quiet = self.was
