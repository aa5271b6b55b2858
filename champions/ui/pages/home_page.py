"""Home, "my week": what the champion did since Monday, and the two big buttons.

The figures are counted on the worker thread (``week_summary``) so opening Home never
stalls the window, however many records the store holds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...store import Query
from ..forms.labels import ref_label
from ..models.rows import sentence
from ..workers import StoreWorker

TOP_BARRIERS = 5
FOLLOW_UPS_SHOWN = 8
FOLLOW_UP_AHEAD = timedelta(days=7)
FOLLOW_UP_OVERDUE = timedelta(days=14)  # older ones have surely been dealt with
FOLLOW_UP_LOOKBACK = timedelta(days=120)


@dataclass(frozen=True)
class FollowUp:
    record_id: str
    due: date
    neighbourhood: str


@dataclass(frozen=True)
class WeekSummary:
    week_start: date
    conversations: int = 0
    people_reached: int = 0
    outreach_hours: float = 0.0
    activities: int = 0
    top_barriers: list[tuple[str, int]] = field(default_factory=list)  # (label, times heard)
    follow_ups: list[FollowUp] = field(default_factory=list)
    unsynced: int = 0


def start_of_week(now: datetime) -> datetime:
    """Monday 00:00 in the champion's own time zone."""
    local = now.astimezone()
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(), tzinfo=local.tzinfo)


def week_summary(store: Any, now: datetime) -> WeekSummary:
    """Runs on the worker thread."""
    ref = store.reference
    since = start_of_week(now)
    conversations = store.conversations.query(Query(since=since))
    activities = store.activities.query(Query(since=since))
    heard = Counter(b.code for c in conversations for b in c.barriers)
    today = now.astimezone().date()
    follow_ups = [
        FollowUp(c.id, c.follow_up_on, ref_label(ref, "neighbourhood", c.neighbourhood))
        for c in store.conversations.query(Query(since=now - FOLLOW_UP_LOOKBACK))
        if c.follow_up_on is not None and today - FOLLOW_UP_OVERDUE <= c.follow_up_on <= today + FOLLOW_UP_AHEAD
    ]
    follow_ups.sort(key=lambda f: f.due)
    return WeekSummary(
        week_start=since.date(),
        conversations=len(conversations),
        people_reached=sum(c.people_reached for c in conversations),
        outreach_hours=sum(a.duration_minutes for a in activities) / 60,
        activities=len(activities),
        top_barriers=[(ref_label(ref, "barrier", code), n) for code, n in heard.most_common(TOP_BARRIERS)],
        follow_ups=follow_ups,
        unsynced=store.unsynced_count(),
    )


class StatTile(QFrame):
    """A big number with its caption; read out as "caption: number"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("–")
        self.value.setObjectName("statValue")
        self.caption = QLabel()
        self.caption.setObjectName("statCaption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set(self, value: str, caption: str) -> None:
        self.value.setText(value)
        self.caption.setText(caption)
        self.setAccessibleName(f"{caption}: {value}")


class HomePage(QScrollArea):
    new_conversation = Signal()
    new_activity = Signal()
    open_conversation = Signal(str)

    def __init__(self, store: Any, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.worker = worker
        self.summary: WeekSummary | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._build()
        self.retranslate()
        self.refresh()

    def _build(self) -> None:
        body = QWidget()
        body.setObjectName("homeBody")
        self.setWidget(body)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("pageSubtitle")

        self.new_conversation_button = QPushButton()
        self.new_activity_button = QPushButton()
        for button in (self.new_conversation_button, self.new_activity_button):
            button.setObjectName("bigButton")
            button.setMinimumHeight(button.fontMetrics().height() * 3)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.new_conversation_button.clicked.connect(self.new_conversation)
        self.new_activity_button.clicked.connect(self.new_activity)

        self.tiles = {key: StatTile() for key in ("conversations", "people", "hours", "follow_ups", "unsynced")}

        self.barriers_title = QLabel()
        self.barriers_title.setObjectName("sectionTitle")
        self.barriers_box = QVBoxLayout()
        self.no_barriers = QLabel()
        self.no_barriers.setWordWrap(True)
        self.follow_ups_title = QLabel()
        self.follow_ups_title.setObjectName("sectionTitle")
        self.follow_ups = QListWidget()
        self.follow_ups.setObjectName("followUps")
        self.follow_ups.itemActivated.connect(self._open_follow_up)

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_conversation_button)
        buttons.addWidget(self.new_activity_button)

        tiles = QGridLayout()
        for i, tile in enumerate(self.tiles.values()):
            tiles.addWidget(tile, 0, i)

        lower = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.barriers_title)
        left.addLayout(self.barriers_box)
        left.addWidget(self.no_barriers)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.follow_ups_title)
        right.addWidget(self.follow_ups)
        right.addStretch(1)
        lower.addLayout(left, 3)
        lower.addSpacing(24)
        lower.addLayout(right, 2)

        layout = QVBoxLayout(body)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(buttons)
        layout.addLayout(tiles)
        layout.addSpacing(6)
        layout.addLayout(lower)
        layout.addStretch(1)
        self._tiles_layout = tiles
        self._relayout_tiles()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._relayout_tiles()

    def _relayout_tiles(self) -> None:
        """Five tiles in a row when there is room, otherwise in rows of two or three."""
        tiles = list(self.tiles.values())
        widest = max(t.minimumSizeHint().width() for t in tiles) + 12
        per_row = max(1, min(len(tiles), self.viewport().width() // max(widest, 1)))
        if getattr(self, "_per_row", None) == per_row:
            return
        self._per_row = per_row
        for tile in tiles:
            self._tiles_layout.removeWidget(tile)
        for i, tile in enumerate(tiles):
            self._tiles_layout.addWidget(tile, i // per_row, i % per_row)

    def retranslate(self) -> None:
        self.title.setText(self.tr("My week"))
        self.new_conversation_button.setText(self.tr("New conversation"))
        self.new_conversation_button.setAccessibleName(self.tr("New conversation"))
        self.new_conversation_button.setToolTip(self.tr("Log a conversation (Ctrl+N)"))
        self.new_activity_button.setText(self.tr("New activity"))
        self.new_activity_button.setAccessibleName(self.tr("New activity"))
        self.new_activity_button.setToolTip(self.tr("Log an outreach activity (Ctrl+Shift+N)"))
        self.barriers_title.setText(self.tr("Barriers heard most this week"))
        self.no_barriers.setText(self.tr("No barriers logged yet this week."))
        self.follow_ups_title.setText(self.tr("Follow-ups due"))
        self.follow_ups.setAccessibleName(self.tr("Follow-ups due"))
        self.setAccessibleName(self.tr("My week"))
        self.show_summary(self.summary)

    def refresh(self) -> None:
        self.worker.submit(
            lambda store: week_summary(store, datetime.now().astimezone()),
            self.show_summary,
            channel=f"home-{id(self)}",
        )

    def show_summary(self, summary: WeekSummary | None) -> None:
        self.summary = summary
        if summary is None:
            self.subtitle.setText(self.tr("Counting…"))
            for tile, caption in zip(self.tiles.values(), self._captions(), strict=True):
                tile.set("–", caption)
            return
        monday = summary.week_start.strftime("%A %d %B").replace(" 0", " ")
        self.subtitle.setText(self.tr("Since {monday}").format(monday=monday))
        values = (
            str(summary.conversations),
            str(summary.people_reached),
            f"{summary.outreach_hours:g}",
            str(len(summary.follow_ups)),
            str(summary.unsynced),
        )
        for tile, value, caption in zip(self.tiles.values(), values, self._captions(), strict=True):
            tile.set(value, caption)
        self._show_barriers(summary.top_barriers)
        self._show_follow_ups(summary.follow_ups)

    def _captions(self) -> tuple[str, ...]:
        return (
            self.tr("Conversations"),
            self.tr("People reached"),
            self.tr("Outreach hours"),
            self.tr("Follow-ups due"),
            self.tr("Waiting to sync"),
        )

    def _show_barriers(self, top: list[tuple[str, int]]) -> None:
        while self.barriers_box.count():
            item = self.barriers_box.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.no_barriers.setVisible(not top)
        most = max((n for _label, n in top), default=1)
        for label, times in top:
            row = QWidget()
            row_layout = QVBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 4)
            row_layout.setSpacing(2)
            text = QLabel(self.tr("{barrier} ({times})").format(barrier=sentence(label), times=times))
            text.setWordWrap(True)
            bar = QProgressBar()
            bar.setObjectName("barrierBar")
            bar.setRange(0, most)
            bar.setValue(times)
            bar.setTextVisible(False)
            bar.setMaximumHeight(max(8, self.fontMetrics().height() // 2))
            bar.setAccessibleName(self.tr("{barrier}: heard {times} times").format(barrier=label, times=times))
            row_layout.addWidget(text)
            row_layout.addWidget(bar)
            self.barriers_box.addWidget(row)

    def _show_follow_ups(self, follow_ups: list[FollowUp]) -> None:
        self.follow_ups.clear()
        today = date.today()
        if not follow_ups:
            item = QListWidgetItem(self.tr("Nothing due in the next week."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.follow_ups.addItem(item)
            self._fit_follow_ups()
            return
        for follow_up in follow_ups[:FOLLOW_UPS_SHOWN]:
            day = follow_up.due.strftime("%a %d %b")
            if follow_up.due < today:
                text = self.tr("{day}, overdue: {where}").format(day=day, where=follow_up.neighbourhood)
            else:
                text = self.tr("{day}: {where}").format(day=day, where=follow_up.neighbourhood)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, follow_up.record_id)
            item.setToolTip(self.tr("Press Enter to open the conversation"))
            self.follow_ups.addItem(item)
        more = len(follow_ups) - FOLLOW_UPS_SHOWN
        if more > 0:
            item = QListWidgetItem(self.tr("…and {n} more").format(n=more))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.follow_ups.addItem(item)
        self._fit_follow_ups()

    def _fit_follow_ups(self) -> None:
        """As tall as its lines, so a short list is not a large empty box."""
        rows = self.follow_ups.count()
        height = sum(self.follow_ups.sizeHintForRow(r) for r in range(rows)) + 2 * self.follow_ups.frameWidth() + 6
        self.follow_ups.setFixedHeight(max(height, self.fontMetrics().height() * 2))

    def _open_follow_up(self, item: QListWidgetItem) -> None:
        record_id = item.data(Qt.ItemDataRole.UserRole)
        if record_id:
            self.open_conversation.emit(record_id)
