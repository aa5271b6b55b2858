"""The PDF summary for funders: the Dashboard's numbers for one filter, on A4, to send as it is.

The numbers are ``Desk.dashboard(filter)``, the very ``DashboardData`` the page shows, and the
charts are the page's own QtCharts charts drawn by the page's own draw functions. Two halves,
because QtCharts lives in a graphics scene that belongs to the GUI thread:

- ``ChartImages`` (GUI thread) draws one chart per turn of the event loop into a ``QImage`` at
  print resolution (about 10 ms each), so the window never stalls;
- ``write_summary`` (the export worker) lays out the text, tables, images and quotes with
  ``QTextDocument`` and paints them with ``QPdfWriter`` (both work off the GUI thread), packing
  blocks onto pages so a chart never splits and a long table repeats its header; page numbers
  and the date made go in every footer.

The file is written beside the target under a temporary name and renamed only when complete
(``champions.coordinator.exports.atomic_path``), so a Cancel or a failure leaves no file.
``SummaryJob`` runs the three steps (count on the worker, charts on the GUI thread, PDF on the
worker) for ``ExportRun``, with one progress bar and one Cancel.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QXYSeries,
)
from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QLocale,
    QMarginsF,
    QObject,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from ...coordinator import Cancelled, ReportFilter
from ...coordinator.dashboard import DashboardData, Table
from ...coordinator.exports import atomic_path
from ...coordinator.tasks import NO_TASK, TaskLike, check
from .charts import ChartPanel, Draw
from .table_model import format_cell, translated

CONTEXT = "PdfSummary"
DPI = 300
CSS_DPI = 96  # QTextDocument sizes (padding, images) are CSS pixels, scaled to the device
MM = DPI / 25.4
PAGE_MARGINS_MM = (18.0, 16.0, 18.0, 20.0)  # left, top, right, bottom (the footer sits in the bottom one)
TEXT_WIDTH_CSS = round((210 - PAGE_MARGINS_MM[0] - PAGE_MARGINS_MM[2]) / 25.4 * CSS_DPI)  # 658
CHART_SCALE = DPI / CSS_DPI  # the chart is laid out in CSS pixels and painted at 300 dpi
BAND_CSS = 128  # the charts are painted in bands of this height, a band per step (400 px at 300 dpi)
CHART_FONT_PT = 8.5
BODY_FONT_PT = 9.0
TABLE_FONT_PT = 7.5
GAP_CSS = 10
MIN_ROWS_ON_A_PAGE = 3  # fewer rows of a table than this at the foot of a page start the next page
SHORT_TABLE = 12  # a table of this many rows or fewer is never split
INK = "#1F2933"
ACCENT = "#0B5394"
MUTED = "#52606D"
RULE = "#C8CED6"

# Progress, out of PROGRESS: counting, then the charts (GUI thread), then laying out and painting.
PROGRESS = 1000
COUNTED, CHARTS_DONE, LAID_OUT = 50, 350, 600


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


# ---- what goes in ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    """One chart and its numbers: ``draw`` names the page's draw function (None: a table only)."""

    key: str
    title: str
    table: Table
    draw: str | None
    note: str = ""
    hide_keys: tuple[str, ...] = ("code",)
    end_keys: tuple[str, ...] = ("domain", "driver", "group")


@dataclass(frozen=True)
class ChartImage:
    image: QImage
    width: int  # CSS pixels, as it is placed in the PDF
    height: int


@dataclass
class SummaryRequest:
    """What the page knows that the desk does not: its draw functions, the organisation, today."""

    draws: Mapping[str, Draw]
    organisation: str | None = None
    made: date = field(default_factory=date.today)
    data: DashboardData | None = None  # the numbers on screen, when they are for this filter


@dataclass
class SummaryContent:
    data: DashboardData
    filters: list[tuple[str, str]]  # ``Desk.describe(filter)``: the period first
    organisation: str | None
    made: date
    charts: dict[str, ChartImage] = field(default_factory=dict)
    font_family: str = ""  # the app's font, read on the GUI thread


def _numbers(table: Table) -> list[float]:
    return [v for row in table.rows for v in row if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _has_numbers(table: Table) -> bool:
    return any(_numbers(table))


def intention_sentence(data: DashboardData, locale: QLocale | None = None) -> str:
    """The shift funders ask for first, in the words of the page's caption."""
    loc = locale or QLocale()
    shift = data.intention_shift
    if shift.comparable:
        return tr("{towards} of {comparable} conversations ({percent}%) moved towards yes; "
                  "{away} moved away; {same} did not change.").format(
            towards=loc.toString(shift.moved_towards_yes), comparable=loc.toString(shift.comparable),
            percent=loc.toString(shift.percent_towards_yes, "f", 1), away=loc.toString(shift.moved_away),
            same=loc.toString(shift.unchanged))
    return tr("No conversations where intention was asked before and after.")


def sections(data: DashboardData, locale: QLocale | None = None) -> list[Section]:
    """Every chart of the Dashboard in the page's order, with the PDF's words for each."""
    loc = locale or QLocale()
    shift = data.intention_shift
    intention = intention_sentence(data, loc)
    top_note = ""
    if len(data.top_barriers.rows) > 10:
        top_note = tr("The chart shows the 10 barriers heard most; the table lists all {n}.").format(
            n=loc.toString(len(data.top_barriers.rows)))
    people_note = tr("Groups are recorded per conversation, so a conversation with 3 people counts 3 people "
                     "in each of its groups; the rows do not add up to the total.")
    return [
        Section("domains", translated(data.barriers_by_domain.title), data.barriers_by_domain, "domains",
                end_keys=()),
        Section("top", translated(data.top_barriers.title), data.top_barriers, "top", top_note),
        Section("weeks", translated(data.top_barriers_by_week.title), data.top_barriers_by_week, "weeks",
                tr("“Other barriers” is every other barrier heard that week (in the table, not on the chart)."),
                hide_keys=()),
        Section("neighbourhoods", translated(data.by_neighbourhood.title), data.by_neighbourhood, "neighbourhoods"),
        Section("core20plus", translated(data.people_by_core20plus.title), data.people_by_core20plus, "people",
                people_note),
        Section("decile", translated(data.by_deprivation_decile.title), data.by_deprivation_decile, "people",
                tr("Deprivation decile 1 is the most deprived tenth of areas in England."), hide_keys=()),
        Section("age_band", translated(data.people_by_age_band.title), data.people_by_age_band, "people"),
        Section("ethnic_group", translated(data.people_by_ethnic_group.title), data.people_by_ethnic_group, "people",
                hide_keys=("code", "level")),
        Section("language", translated(data.people_by_language.title), data.people_by_language, "people"),
        Section("intention", translated(shift.table.title), shift.table, "intention", intention, hide_keys=()),
        Section("outreach_kind", translated(data.outreach_by_kind.title), data.outreach_by_kind, "outreach"),
        Section("outreach_week", translated(data.outreach_by_week.title), data.outreach_by_week, "outreach",
                hide_keys=()),
    ]


# ---- the charts, on the GUI thread -------------------------------------------------------------
def _chart_height(panel: ChartPanel) -> int:
    """Room for every category's bars and label: the same chart as the page's, in the shape of a page."""
    chart = panel.chart
    categories = max([a.count() for a in chart.axes() if isinstance(a, QBarCategoryAxis)] or [0])
    bars = [s for s in chart.series() if isinstance(s, QAbstractBarSeries)]
    if not bars:
        return 300  # lines over the weeks
    series = bars[0]
    if isinstance(series, (QHorizontalBarSeries, QHorizontalStackedBarSeries)):
        stacked = isinstance(series, QHorizontalStackedBarSeries)
        per_category = 44 if stacked or series.count() == 1 else max(44, 11 * series.count() + 10)  # 2-line labels
        return max(200, min(820, 110 + categories * per_category))
    return 300 if not isinstance(series, QStackedBarSeries) else 320


def draw_chart(panel: ChartPanel, draw: Draw, table: Table, width: int = TEXT_WIDTH_CSS) -> None:
    """The page's chart for this table, at the size it has on paper (GUI thread: QtCharts is a scene).

    Paint it in a later turn of the event loop: the axes lay their labels out (two lines, or
    shortened) only when the chart's layout request is handled.
    """
    draw(panel, table)
    panel.chart.setTitle("")
    panel.chart.resize(QSizeF(width, _chart_height(panel)))


def plotted(panel: ChartPanel) -> bool:
    """Whether the chart shows anything but zeros (an empty chart is left out, its table stays)."""
    for series in panel.chart.series():
        if isinstance(series, QAbstractBarSeries):
            if any(bar_set.sum() for bar_set in series.barSets()):
                return True
        elif isinstance(series, QXYSeries) and any(point.y() for point in series.points()):
            return True
    return False


def blank_image(panel: ChartPanel, scale: float = CHART_SCALE) -> ChartImage:
    """A white print-resolution image the size of the drawn chart, to paint in bands."""
    size = panel.chart.size()
    width, height = round(size.width()), round(size.height())
    image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor("white"))
    return ChartImage(image, width, height)


def paint_band(panel: ChartPanel, target: ChartImage, top: int, height: int) -> None:
    """Paints one horizontal band of the chart: a whole chart at 300 dpi takes 15-30 ms, a band a few."""
    chart = panel.chart
    band = QRectF(0, top, target.width, min(height, target.height - top))
    painter = QPainter(target.image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.setClipRect(band)
    chart.scene().render(painter, band, band.translated(chart.sceneBoundingRect().topLeft()))
    painter.end()


def paint_chart(panel: ChartPanel, scale: float = CHART_SCALE) -> ChartImage:
    """The drawn chart as a print-resolution image, in one go."""
    image = blank_image(panel, scale)
    paint_band(panel, image, 0, image.height)
    return image


def chart_panel() -> ChartPanel:
    """A panel that is never shown, only drawn from: the PDF's fonts, not the person's screen scale."""
    panel = ChartPanel("pdf", lambda _p, _t: None)
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(CHART_FONT_PT / 0.9)  # the panel draws axis labels at 0.9 of its font
    panel.setFont(font)
    return panel


class ChartImages(QObject):
    """Draws the sections' charts one per event-loop turn; ``finished(dict)`` or ``finished(None)`` on Cancel."""

    finished = Signal(object)

    def __init__(self, todo: Sequence[Section], draws: Mapping[str, Draw], task: TaskLike,
                 progress: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.todo = [s for s in todo if s.draw is not None and s.draw in draws and _has_numbers(s.table)]
        self.draws = draws
        self.task = task
        self.progress = progress
        self.images: dict[str, ChartImage] = {}
        self.panel: ChartPanel | None = None
        self._index = 0
        self._drawn = False
        self._image: ChartImage | None = None  # the chart being painted, band by band
        self._top = 0
        self.longest_step_ms = 0.0  # the longest the GUI thread spent on one step

    def start(self) -> None:
        QTimer.singleShot(0, self, self._step)

    def _step(self) -> None:
        started = time.perf_counter()
        try:
            self._next()
        finally:
            self.longest_step_ms = max(self.longest_step_ms, 1000 * (time.perf_counter() - started))

    def _next(self) -> None:
        if self.task.cancelled:
            self._end(None)
            return
        if self._index >= len(self.todo):
            self._end(self.images)
            return
        if self.panel is None:
            # A fresh panel for each chart, built in a step of its own: a redrawn chart keeps the
            # old axes in its scene until they are deleted by the event loop.
            self.panel = chart_panel()
            QTimer.singleShot(0, self, self._step)
            return
        section = self.todo[self._index]
        if not self._drawn:
            draw_chart(self.panel, self.draws[section.draw], section.table)
            self._drawn = True
            QTimer.singleShot(0, self, self._step)
            return
        if self._image is None and plotted(self.panel):
            self._image, self._top = blank_image(self.panel), 0
        if self._image is not None and self._top < self._image.height:
            paint_band(self.panel, self._image, self._top, BAND_CSS)
            self._top += BAND_CSS
            QTimer.singleShot(0, self, self._step)
            return
        if self._image is not None:
            self.images[section.key] = self._image
        self.panel.deleteLater()
        self.panel, self._image, self._drawn = None, None, False
        self._index += 1
        self.progress(self._index * (CHARTS_DONE - COUNTED) // max(1, len(self.todo)) + COUNTED)
        QTimer.singleShot(0, self, self._step)

    def _end(self, result: dict[str, ChartImage] | None) -> None:
        if self.panel is not None:
            self.panel.deleteLater()
            self.panel = None
        self.finished.emit(result)


# ---- the PDF, on the worker ------------------------------------------------------------------
STYLE = f"""
body {{ color: {INK}; }}
h1 {{ font-size: 20pt; font-weight: 600; color: {ACCENT}; margin-top: 0; margin-bottom: 2px; }}
h2 {{ font-size: 12.5pt; font-weight: 600; color: {ACCENT}; margin-top: 4px; margin-bottom: 3px; }}
h3 {{ font-size: 10pt; font-weight: 600; color: {INK}; margin-top: 4px; margin-bottom: 2px; }}
p {{ margin-top: 0; margin-bottom: 3px; }}
.org {{ font-size: 13pt; color: {INK}; margin-bottom: 6px; }}
.note {{ color: {MUTED}; font-size: 8pt; margin-top: 2px; margin-bottom: 3px; }}
.caption {{ color: {MUTED}; font-size: 8pt; font-weight: 600; margin-top: 2px; margin-bottom: 2px; }}
.value {{ font-size: 17pt; font-weight: 700; color: {ACCENT}; }}
.measure {{ font-size: 8pt; color: {MUTED}; }}
.quote {{ font-size: 9.5pt; font-style: italic; margin-top: 3px; margin-bottom: 0; margin-left: 10px; }}
.meta {{ font-size: 7.5pt; color: {MUTED}; margin-left: 10px; margin-bottom: 2px; }}
th {{ background-color: #E9EEF3; font-weight: 600; text-align: left; }}
td.n, th.n {{ text-align: right; }}
"""

TILES = (("conversations", "Conversations"), ("people_reached", "People reached in conversations"),
         ("barriers_heard", "Barriers heard"), ("percent_addressed", "% of barriers addressed"),
         ("moved_towards_yes", "Moved towards yes"), ("outreach_activities", "Outreach activities"),
         ("outreach_hours", "Outreach hours"), ("outreach_people_reached", "People reached by outreach"))


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def headline_values(data: DashboardData, locale: QLocale | None = None) -> dict[str, str]:
    """The headline numbers as the PDF prints them (the page's tiles use the same formatting)."""
    loc = locale or QLocale()
    h = data.headline
    return {
        "conversations": loc.toString(h.conversations), "people_reached": loc.toString(h.people_reached),
        "barriers_heard": loc.toString(h.barriers_heard),
        "percent_addressed": tr("{percent}%").format(percent=loc.toString(h.percent_addressed, "f", 1)),
        "moved_towards_yes": loc.toString(h.moved_towards_yes),
        "outreach_activities": loc.toString(h.outreach_activities),
        "outreach_hours": loc.toString(h.outreach_hours, "f", 1),
        "outreach_people_reached": loc.toString(h.outreach_people_reached),
    }


def _long_date(day: date, locale: QLocale) -> str:
    return locale.toString(QDate(day.year, day.month, day.day), tr("d MMMM yyyy"))


def _short_date(iso: str, locale: QLocale) -> str:
    day = QDate.fromString(iso, "yyyy-MM-dd")
    return locale.toString(day, tr("d MMM yyyy")) if day.isValid() else iso


def title_of(organisation: str | None) -> str:
    """The document's title (its metadata and the first page's first line)."""
    if organisation:
        return tr("{organisation}: community champions, a summary for funders").format(organisation=organisation)
    return tr("Community champions: a summary for funders")


def _title_html(content: SummaryContent, locale: QLocale) -> str:
    parts = [f"<h1>{_e(content.organisation or tr('Community champions'))}</h1>",
             f'<p class="org">{_e(tr("What our community champions heard: a summary for funders"))}</p>']
    rows = "".join(f'<tr><td width="22%"><b>{_e(translated(name))}</b></td><td>{_e(value)}</td></tr>'
                   for name, value in content.filters)
    rows += (f'<tr><td><b>{_e(tr("Made on"))}</b></td><td>{_e(_long_date(content.made, locale))}</td></tr>')
    parts.append(f'<table width="100%" cellspacing="0" cellpadding="3" bgcolor="#F4F6F8">{rows}</table>')
    note = tr("Everything below counts only the records these filters keep. "
              "Quotes are residents’ own words, never their names.")
    parts.append(f'<p class="note">{_e(note)}</p>')
    return "".join(parts)


def _headline_html(data: DashboardData, locale: QLocale) -> str:
    values = headline_values(data, locale)
    cells = [f'<td width="25%" bgcolor="#EEF3F8"><span class="value">{_e(values[key])}</span><br>'
             f'<span class="measure">{_e(translated(label))}</span></td>' for key, label in TILES]
    rows = "".join("<tr>" + "".join(cells[i:i + 4]) + "</tr>" for i in range(0, len(cells), 4))
    shift = intention_sentence(data, locale)
    return (f"<h2>{_e(tr('Headline numbers'))}</h2>"
            f'<table width="100%" cellspacing="4" cellpadding="6">{rows}</table>'
            f'<p><b>{_e(tr("Intention to vaccinate:"))}</b> {_e(shift)}</p>')


def _columns(section: Section) -> list[int]:
    """The table's columns as the page shows them: codes hidden, descriptive columns after the numbers."""
    keys = section.table.keys or section.table.columns
    shown = [i for i, k in enumerate(keys) if k not in section.hide_keys]
    return [i for i in shown if keys[i] not in section.end_keys] + [i for i in shown if keys[i] in section.end_keys]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _table_html(section: Section, rows: Sequence[tuple[Any, ...]], locale: QLocale, continued: bool) -> str:
    table = section.table
    columns = _columns(section)
    numeric = {i for i in columns if table.rows and all(_is_number(r[i]) or r[i] in ("", None) for r in table.rows)
               and any(_is_number(r[i]) for r in table.rows)}
    level = table.keys.index("level") if "level" in table.keys else None
    texts = {i: [format_cell(r[i], locale) for r in table.rows] for i in columns}
    weights = {}
    for i in columns:  # room by what the column holds: labels get it, numbers need little
        longest_word = max((len(w) for w in translated(table.columns[i]).split()), default=4)
        longest_cell = max((len(t) for t in texts[i]), default=0)
        weights[i] = (max(longest_word, min(longest_cell, 12)) + 2 if i in numeric  # headers are bold
                      else max(longest_word + 1, 0.8 * min(longest_cell, 28)))
    total = sum(weights.values()) or 1
    right = ' class="n"'
    head = "".join(f'<th width="{round(100 * weights[i] / total)}%"{right if i in numeric else ""}>'
                   f"{_e(translated(table.columns[i]))}</th>" for i in columns)
    body = []
    for row in rows:
        bold = (level is not None and row[level] == "Group") or row[0] == "Total"
        indent = level is not None and row[level] == "Detail"
        cells = []
        for n, i in enumerate(columns):
            text = _e(format_cell(row[i], locale))
            if bold:
                text = f"<b>{text}</b>"
            if indent and n == 0:
                text = "&nbsp;&nbsp;&nbsp;" + text
            cells.append(f"<td{right if i in numeric else ''}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = tr("{title}: the numbers (continued)") if continued else tr("{title}: the numbers")
    return (f'<p class="caption">{_e(caption.format(title=section.title))}</p>'
            f'<table width="100%" cellspacing="0" cellpadding="2" border="0.5" '
            f'style="border-collapse: collapse; border-color: {RULE}; font-size: {TABLE_FONT_PT}pt">'
            f"<thead><tr>{head}</tr></thead>{''.join(body)}</table>")


def _chart_html(section: Section, image: ChartImage | None) -> str:
    parts = [f"<h2>{_e(section.title)}</h2>"]
    if section.note:
        parts.append(f'<p class="note">{_e(section.note)}</p>')
    if image is not None:
        parts.append(f'<p><img src="chart:{_e(section.key)}" width="{image.width}" height="{image.height}"></p>')
    elif not _has_numbers(section.table):
        parts.append(f'<p class="note">{_e(tr("Nothing was recorded under these filters."))}</p>')
    else:
        parts.append(f'<p class="note">{_e(tr("Nothing to chart under these filters: the numbers are below."))}</p>')
    return "".join(parts)


def _highlights_html(data: DashboardData, count: int = 3) -> str:
    """The first page's voices: the quote heard most for each of the barriers heard most."""
    firsts: dict[str, dict[str, Any]] = {}
    for row in data.top_quotes.as_dicts():
        firsts.setdefault(row["code"], row)
    picked = list(firsts.values())[:count]
    if not picked:
        return ""
    barrier = tr("Barrier: {name}")
    quotes = "".join(f'<p class="quote">“{_e(row["quote"])}”</p>'
                     f'<p class="meta">{_e(barrier.format(name=row["barrier"]))}</p>' for row in picked)
    return f"<h2>{_e(tr('In their own words'))}</h2>{quotes}"


def _quotes_blocks(data: DashboardData, locale: QLocale) -> Iterator[str]:
    """One block per barrier (most heard first): its quotes, how often and when they were heard, where."""
    table = data.top_quotes
    note = tr("What residents said, in their own words, for each barrier (most heard first). "
              "The same words heard more than once are shown once, with how often.")
    yield f"<h2>{_e(translated(table.title))}</h2><p class=\"note\">{_e(note)}</p>"
    if not table.rows:
        yield f'<p class="note">{_e(tr("No quotes were recorded under these filters."))}</p>'
        return
    by_barrier: dict[str, list[dict[str, Any]]] = {}
    for row in table.as_dicts():
        by_barrier.setdefault(row["code"], []).append(row)
    for rows in by_barrier.values():
        parts = [f"<h3>{_e(rows[0]['barrier'])}</h3>"]
        for row in rows:
            count = row["count"]
            heard = tr("heard once") if count == 1 else tr("heard {n} times").format(n=locale.toString(count))
            meta = [heard, tr("last on {day}").format(day=_short_date(row["last_heard"], locale))]
            if row["neighbourhood"]:
                meta.append(row["neighbourhood"])
            parts.append(f'<p class="quote">“{_e(row["quote"])}”</p><p class="meta">{_e(" · ".join(meta))}</p>')
        yield "".join(parts)


@dataclass
class _Placed:
    doc: QTextDocument
    y: float


class _Pager:
    """Packs blocks of text onto pages: a block that does not fit starts the next page."""

    def __init__(self, writer: QPdfWriter, font: QFont, images: Mapping[str, ChartImage], task: TaskLike) -> None:
        self.writer = writer
        self.font = font
        self.images = images
        self.task = task
        self.width = (210 - PAGE_MARGINS_MM[0] - PAGE_MARGINS_MM[2]) * MM
        self.height = (297 - PAGE_MARGINS_MM[1] - PAGE_MARGINS_MM[3]) * MM
        self.gap = GAP_CSS * DPI / CSS_DPI
        self.pages: list[list[_Placed]] = [[]]
        self.y = 0.0

    def doc(self, body: str) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.writer)
        doc.setDefaultFont(self.font)
        doc.setDocumentMargin(0)
        doc.setDefaultStyleSheet(STYLE)
        for key, image in self.images.items():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{key}"), image.image)
        doc.setHtml(f"<html><body>{body}</body></html>")
        doc.setTextWidth(self.width)
        return doc

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])
        self.y = 0.0

    def room(self) -> float:
        return self.height - self.y

    def place(self, doc: QTextDocument) -> None:
        check(self.task)
        height = doc.size().height()
        if height > self.room() and self.pages[-1]:
            self.new_page()
        self.pages[-1].append(_Placed(doc, self.y))
        self.y += height + self.gap

    def add(self, body: str) -> None:
        self.place(self.doc(body))

    def add_table(self, section: Section, locale: QLocale) -> None:
        """As many rows as fit, then the rest on the next pages, each part with its header."""
        rows = section.table.rows
        start = 0
        while start < len(rows):
            check(self.task)
            left = len(rows) - start
            whole = self.doc(_table_html(section, rows[start:], locale, start > 0))
            if whole.size().height() <= self.room():
                self.place(whole)
                return
            if whole.size().height() <= self.height and left <= SHORT_TABLE:
                self.new_page()  # a short table goes whole to the next page rather than split
                continue
            low, high, best = 1, left, None  # the most rows that fit in the room left
            while low <= high:
                mid = (low + high) // 2
                doc = self.doc(_table_html(section, rows[start:start + mid], locale, start > 0))
                if doc.size().height() <= self.room():
                    best, low = (mid, doc), mid + 1
                else:
                    high = mid - 1
            if best is not None and 0 < left - best[0] < MIN_ROWS_ON_A_PAGE:  # leave no orphan rows over
                fewer = best[0] - (MIN_ROWS_ON_A_PAGE - (left - best[0]))
                best = (fewer, self.doc(_table_html(section, rows[start:start + fewer], locale, start > 0)))
            if best is None or (best[0] < MIN_ROWS_ON_A_PAGE and self.pages[-1]):
                self.new_page()
                continue
            self.place(best[1])
            start += best[0]
            self.new_page()


def _footer(painter: QPainter, page: int, pages: int, content: SummaryContent, locale: QLocale, font: QFont) -> None:
    left = PAGE_MARGINS_MM[0] * MM
    width = (210 - PAGE_MARGINS_MM[0] - PAGE_MARGINS_MM[2]) * MM
    top = (297 - PAGE_MARGINS_MM[3] + 6) * MM
    painter.setPen(QPen(QColor(RULE), 0.3 * MM))
    painter.drawLine(round(left), round(top), round(left + width), round(top))
    painter.setPen(QColor(MUTED))
    painter.setFont(font)
    box = QRectF(left, top + 1.5 * MM, width, 6 * MM)
    who = f"{content.organisation} · " if content.organisation else ""
    painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                     tr("{who}Made on {day} with Champions").format(who=who, day=_long_date(content.made, locale)))
    painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                     tr("Page {page} of {pages}").format(page=page, pages=pages))


def write_summary(path: str | Path, content: SummaryContent, task: TaskLike = NO_TASK) -> int:
    """Writes the A4 PDF (on the GUI thread: see ``SummaryJob._drawn``); returns its pages. Raises ``Cancelled`` and leaves no file."""
    locale = QLocale()
    family = content.font_family or QGuiApplication.font().family()
    body_font = QFont(family)
    body_font.setPointSizeF(BODY_FONT_PT)
    footer_font = QFont(family)
    footer_font.setPointSizeF(7.5)
    data = content.data
    with atomic_path(Path(path), ".pdf") as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(DPI)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
        writer.setTitle(title_of(content.organisation))
        writer.setCreator(tr("Champions"))
        pager = _Pager(writer, body_font, content.charts, task)
        pager.add(_title_html(content, locale))
        pager.add(_headline_html(data, locale))
        parts = sections(data, locale)
        steps = len(parts) + 1
        for n, section in enumerate(parts):
            pager.add(_chart_html(section, content.charts.get(section.key)))
            if section.table.rows:
                pager.add_table(section, locale)
            if n == 0 and (highlights := _highlights_html(data)):
                pager.add(highlights)
            task.progress(CHARTS_DONE + (n + 1) * (LAID_OUT - CHARTS_DONE) // steps, PROGRESS)
        pager.new_page()
        for block in _quotes_blocks(data, locale):
            pager.add(block)
        task.progress(LAID_OUT, PROGRESS)

        pages = [p for p in pager.pages if p]
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(tr("The PDF could not be written to {path}").format(path=tmp.parent))
        try:
            for number, placed in enumerate(pages, start=1):
                check(task)
                if number > 1:
                    writer.newPage()
                for item in placed:
                    painter.save()
                    painter.translate(PAGE_MARGINS_MM[0] * MM, PAGE_MARGINS_MM[1] * MM + item.y)
                    painter.setPen(QColor(INK))
                    item.doc.drawContents(painter)
                    painter.restore()
                _footer(painter, number, len(pages), content, locale, footer_font)
                task.progress(LAID_OUT + number * (PROGRESS - LAID_OUT) // len(pages), PROGRESS)
        finally:
            painter.end()
        del painter, writer
    return len(pages)


# ---- the three steps, for ExportRun ------------------------------------------------------------
class SummaryJob(QObject):
    """Count (worker), draw the charts (GUI thread, a chart a turn), write the PDF (worker).

    ``finished(pages)``, or ``finished(None)`` when cancelled; ``failed(exception)``.
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, worker: Any, desk: Any, path: Path, report_filter: ReportFilter, task: Any,
                 request: SummaryRequest, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker, self.desk, self.path, self.filter = worker, desk, Path(path), report_filter
        self.task, self.request = task, request
        self.content: SummaryContent | None = None
        self.write_ms = 0.0  # how long laying out and painting the PDF held the GUI thread
        self.charts: ChartImages | None = None

    def start(self) -> None:
        data = self.request.data
        if data is not None and data.report_filter == self.filter:
            self._counted(data)
            return
        desk, flt = self.desk, self.filter
        self.worker.submit(lambda _store: desk.dashboard(flt), self._counted, self.failed.emit)

    def _counted(self, data: DashboardData) -> None:
        if self.task.cancelled:
            self.finished.emit(None)
            return
        self.task.progress(COUNTED, PROGRESS)
        self.content = SummaryContent(data, self.desk.describe(self.filter), self.request.organisation,
                                      self.request.made, font_family=QGuiApplication.font().family())
        self.charts = ChartImages(sections(data), self.request.draws, self.task,
                                  lambda done: self.task.progress(done, PROGRESS), self)
        self.charts.finished.connect(self._drawn)
        self.charts.start()

    def _drawn(self, images: dict[str, ChartImage] | None) -> None:
        if images is None or self.content is None or self.task.cancelled:
            self.finished.emit(None)
            return
        self.content.charts = images
        # Laid out and painted on the GUI thread, in one turn of its loop. QTextDocument and
        # QPdfWriter connect signals as they are set up; doing that on a worker that holds the GIL
        # deadlocked against the GUI thread (Qt's connection lock on one side, the GIL on the other),
        # seen under load. The counting stays on the worker; this step is bounded by the summary's
        # size (a few charts, tables and quotes), not by the number of records.
        QTimer.singleShot(0, self, self._write)

    def _write(self) -> None:
        if self.content is None or self.task.cancelled:
            self.finished.emit(None)
            return
        started = time.perf_counter()
        try:
            pages: int | None = write_summary(self.path, self.content, self.task)
        except Cancelled:  # an answer, not a failure
            pages = None
        except Exception as exc:  # noqa: BLE001 - reported to the coordinator, never swallowed
            self.failed.emit(exc)
            return
        self.write_ms = (time.perf_counter() - started) * 1000
        self.finished.emit(pages)
