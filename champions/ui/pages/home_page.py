"""Home, "my week": what the champion did since Monday, the two big buttons, and queries to answer.

The figures are counted on the worker thread (``week_summary``) so opening Home never
stalls the window, however many records the store holds. "Queries for you" lists the
coordinator's open queries about this champion's records (docs/design/review.md): Enter opens
the record in its form, and saving an edit is the answer, shown here as answered until the
coordinator marks it reviewed. A short reply can be added too (``Reply…``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListView,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...store import Query
from ..coordinator.install import person_id
from ..forms.labels import ref_label
from ..models.rows import sentence, when_text
from ..widgets.unsent_texts import UnsentTexts
from ..workers import StoreWorker

TOP_BARRIERS = 5
UNSENT_SETTING = "home.unsent_replies"  # local only: a reply typed, not yet sent
FOLLOW_UPS_SHOWN = 8
QUERIES_SHOWN = 5  # rows before the list scrolls, so Home's figures stay in view
FOLLOW_UP_AHEAD = timedelta(days=7)
FOLLOW_UP_OVERDUE = timedelta(days=14)  # older ones have surely been dealt with
FOLLOW_UP_LOOKBACK = timedelta(days=120)
FORM_KINDS = ("conversation", "outreach_activity", "barrier")  # the kinds a query can open in their form


@dataclass(frozen=True)
class FollowUp:
    record_id: str
    due: date
    neighbourhood: str


@dataclass(frozen=True)
class QueryForYou:
    """A coordinator's query about one of the champion's records, and whether it is answered."""

    review_id: str
    record_id: str
    kind: str
    question: str
    asked_at: datetime
    occurred_at: datetime
    neighbourhood: str
    answered: bool  # edited since the query was sent: the edit is the answer
    reply: str = ""  # the champion's latest reply after the query, if any


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
    queries: list[QueryForYou] = field(default_factory=list)


def queries_for_you(store: Any) -> list[QueryForYou]:
    """Runs on the worker thread: open queries first, then answered ones, each newest first."""
    from ...coordinator.review import derive_review_state, latest_query

    me = person_id(store)
    if me is None:
        return []
    reviews = store.reviews.of_champion(me, "queried")
    revs = store.reviews.current_revs(reviews)
    by_kind: dict[str, list[str]] = {}
    for review in reviews:
        by_kind.setdefault(review.subject_kind, []).append(review.subject_id)
    records = {r.id: r for kind, ids in by_kind.items() for r in store.repository(kind).get_many(ids)}
    ref = store.reference
    found = []
    for review in reviews:
        record = records.get(review.subject_id)
        query = latest_query(review)
        if record is None or record.deleted or query is None or review.subject_id not in revs:
            continue  # not on this device (yet), or deleted by the champion
        state = derive_review_state(review, revs[review.subject_id])
        later = review.notes[review.notes.index(query) + 1:]
        reply = next((n.text for n in reversed(later) if n.note_kind == "reply"), "")
        found.append(QueryForYou(
            review.id, record.id, review.subject_kind, query.text, query.written_at, record.occurred_at,
            ref_label(ref, "neighbourhood", record.neighbourhood) if record.neighbourhood else "",
            state == "answered", reply))
    found.sort(key=lambda q: q.answered)  # stable: newest first within each
    return found


def start_of_week(now: datetime) -> datetime:
    """Monday 00:00 in the champion's own time zone."""
    local = now.astimezone()
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(), tzinfo=local.tzinfo)


def week_summary(store: Any, now: datetime) -> WeekSummary:
    """Runs on the worker thread. Reads only the fields it counts (``values``), never whole records:
    on a coordinator's laptop a week or four months is tens of thousands of them, and parsing them
    all after each sync made garbage-collector passes that froze the window."""
    ref = store.reference
    since = start_of_week(now)
    conversations = store.conversations.values(Query(since=since), "$.people_reached", "$.barriers")
    minutes = [m for (m,) in store.activities.values(Query(since=since), "$.duration_minutes")]
    heard = Counter(b["code"] for _, barriers in conversations for b in json.loads(barriers or "[]"))
    heard.update(code for (code,) in store.barriers.values(Query(since=since), "$.code"))  # heard on their own
    today = now.astimezone().date()
    due = store.conversations.values(
        Query(since=now - FOLLOW_UP_LOOKBACK), "id", "$.follow_up_on", "neighbourhood",
        where="v1 BETWEEN ? AND ?", params=((today - FOLLOW_UP_OVERDUE).isoformat(), (today + FOLLOW_UP_AHEAD).isoformat()))
    follow_ups = [FollowUp(record_id, date.fromisoformat(on), ref_label(ref, "neighbourhood", hood))
                  for record_id, on, hood in due]
    follow_ups.sort(key=lambda f: f.due)
    return WeekSummary(
        week_start=since.date(),
        conversations=len(conversations),
        people_reached=sum(people or 0 for people, _ in conversations),
        outreach_hours=sum(m or 0 for m in minutes) / 60,
        activities=len(minutes),
        top_barriers=[(ref_label(ref, "barrier", code), n) for code, n in heard.most_common(TOP_BARRIERS)],
        follow_ups=follow_ups,
        unsynced=store.unsynced_count(),
        queries=queries_for_you(store),
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
    open_activity = Signal(str)
    open_barrier = Signal(str)  # a barrier heard on its own
    reply_dialog_opened = Signal(object)  # the reply box, once the thread is read
    reply_saved = Signal(str)  # a reply was written on the worker's connection (no store event): the review id

    def __init__(self, store: Any, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.worker = worker
        self.summary: WeekSummary | None = None
        self.reply_dialog: QWidget | None = None
        self._unsent = UnsentTexts(store, UNSENT_SETTING, self)  # review id -> a reply typed and not sent
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

        self.queries_box = QFrame()
        self.queries_box.setObjectName("queriesForYou")
        self.queries_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.queries_title = QLabel()
        self.queries_title.setObjectName("sectionTitle")
        self.queries_hint = QLabel()
        self.queries_hint.setWordWrap(True)
        self.queries = QListWidget()
        self.queries.setObjectName("queries")
        self.queries.setWordWrap(True)
        self.queries.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.queries.setSpacing(3)  # a query is two or three lines: keep each apart from the next
        self.queries.setAlternatingRowColors(True)
        self.queries.setResizeMode(QListView.ResizeMode.Adjust)  # wrapped lines re-wrap as Home narrows
        self.queries.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.queries_title.setBuddy(self.queries)
        self.queries.itemActivated.connect(self._open_query)
        self.queries.currentItemChanged.connect(lambda *_: self._query_buttons())
        self.open_query_button = QPushButton()
        self.open_query_button.setObjectName("openQuery")
        self.open_query_button.clicked.connect(lambda: self._open_query(self.queries.currentItem()))
        self.reply_button = QPushButton()
        self.reply_button.setObjectName("replyToQuery")
        self.reply_button.clicked.connect(self.reply)
        self.queries_notice = QLabel()
        self.queries_notice.setWordWrap(True)
        self.queries_notice.hide()
        query_buttons = QHBoxLayout()
        query_buttons.addWidget(self.queries_notice, 1)
        query_buttons.addStretch(1)
        query_buttons.addWidget(self.open_query_button)
        query_buttons.addWidget(self.reply_button)
        box = QVBoxLayout(self.queries_box)
        box.addWidget(self.queries_title)
        box.addWidget(self.queries_hint)
        box.addWidget(self.queries)
        box.addLayout(query_buttons)
        self.queries_box.hide()  # shown only when there is a query

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
        layout.addWidget(self.queries_box)
        layout.addLayout(tiles)
        layout.addSpacing(6)
        layout.addLayout(lower)
        layout.addStretch(1)
        self._tiles_layout = tiles
        self._relayout_tiles()
        chain = [self.new_conversation_button, self.new_activity_button, self.queries, self.open_query_button,
                 self.reply_button, self.follow_ups]  # top to bottom, as Home reads
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._relayout_tiles()
        if self.queries_box.isVisible():
            QTimer.singleShot(0, self, self._fit_queries)  # once the list has its new width and its lines re-wrapped

    def _fit_queries(self) -> None:
        _fit(self.queries, QUERIES_SHOWN)

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
        self.queries_hint.setText(self.tr("Your coordinator asked about these records. Open one, change what "
                                          "needs changing and save: your edit is the answer."))
        self.queries.setAccessibleName(self.tr("Queries for you"))
        self.queries.setAccessibleDescription(self.tr("Press Enter to open the record and answer by editing it."))
        self.open_query_button.setText(self.tr("&Open and edit"))
        self.open_query_button.setAccessibleName(self.tr("Open the record the query is about"))
        self.reply_button.setText(self.tr("Re&ply…"))
        self.reply_button.setAccessibleName(self.tr("Reply to your coordinator"))
        self.reply_button.setToolTip(self.tr("Add a short reply as well as, or instead of, an edit"))
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
        self._show_queries(summary.queries)

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
        _fit(self.follow_ups)

    # -- queries for you ------------------------------------------------------------------------
    def _show_queries(self, queries: list[QueryForYou]) -> None:
        keep = self.queries.currentItem().data(Qt.ItemDataRole.UserRole) if self.queries.currentItem() else None
        self.queries_title.setFont(self.barriers_title.font())  # the window scales the section titles it knows
        self.queries.clear()
        waiting = sum(1 for q in queries if not q.answered)
        self.queries_title.setText(self.tr("&Queries for you ({n})").format(n=waiting) if waiting
                                   else self.tr("&Queries for you"))
        for query in queries:
            item = QListWidgetItem(self.query_text(query))
            item.setData(Qt.ItemDataRole.UserRole, query)
            item.setToolTip(self.tr("Press Enter to open the record"))
            self.queries.addItem(item)
            if keep is not None and keep.review_id == query.review_id:
                self.queries.setCurrentItem(item)
        if self.queries.currentItem() is None and queries:
            self.queries.setCurrentRow(0)
        self.queries_box.setVisible(bool(queries))
        self._fit_queries()
        QTimer.singleShot(0, self, self._fit_queries)  # again once the rows are laid out at the list's width
        self._query_buttons()

    def query_text(self, query: QueryForYou) -> str:
        what = (self.tr("Conversation") if query.kind == "conversation" else
                self.tr("Outreach activity") if query.kind == "outreach_activity" else self.tr("Barrier"))
        day = when_text(query.occurred_at)
        record = self.tr("{what} on {day}, {where}").format(what=what, day=day, where=query.neighbourhood) \
            if query.neighbourhood else self.tr("{what} on {day}").format(what=what, day=day)
        if query.answered:
            text = self.tr("Answered, waiting for your coordinator: {record}\n“{question}”").format(
                record=record, question=query.question)
        else:
            text = self.tr("{record}\nYour coordinator asks: “{question}”").format(record=record, question=query.question)
        if query.reply:
            text += "\n" + self.tr("You replied: “{reply}”").format(reply=query.reply)
        return text

    def _query_buttons(self) -> None:
        item = self.queries.currentItem()
        query = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.open_query_button.setEnabled(query is not None and query.kind in FORM_KINDS)
        self.reply_button.setEnabled(query is not None)

    def _open_query(self, item: QListWidgetItem | None) -> None:
        query = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if query is None:
            return
        if query.kind == "conversation":
            self.open_conversation.emit(query.record_id)
        elif query.kind == "outreach_activity":
            self.open_activity.emit(query.record_id)
        elif query.kind == "barrier":
            self.open_barrier.emit(query.record_id)

    def reply(self) -> None:
        """Read the query's thread on the worker, then open the reply box."""
        item = self.queries.currentItem()
        query = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if query is None:
            return
        if self.reply_dialog is not None and self.reply_dialog.isVisible():
            self.reply_dialog.activateWindow()
            return
        self.worker.submit(lambda store: (store.reviews.get(query.review_id), person_id(store)),
                           lambda got: self._open_reply(query, *got),
                           lambda exc: self._tell(self.tr("The query could not be read: {why}").format(why=exc)))

    def _open_reply(self, query: QueryForYou, review: Any, me: str | None) -> None:
        from ..coordinator.review_dialog import ReviewDialog, note_author

        record = self.query_text(query).split("\n", 1)[0]
        dialog = ReviewDialog(self.window(), note_kind="reply", about=record, notes=review.notes,
                              who=lambda note: note_author(note, {}, me), text=self._unsent.get(query.review_id))
        dialog.comment.textChanged.connect(lambda: self._unsent.keep(query.review_id, dialog.comment.toPlainText()))
        dialog.submitted.connect(lambda text: self._send_reply(dialog, query, text))
        dialog.rejected.connect(lambda: self._keep_unsent(dialog, query))
        self.reply_dialog = dialog
        dialog.open_in(self.window())
        self.reply_dialog_opened.emit(dialog)

    def _keep_unsent(self, dialog: Any, query: QueryForYou) -> None:
        text = dialog.comment.toPlainText()
        self._unsent.keep(query.review_id, text, now=True)
        if text.strip():
            self._tell(self.tr("Your reply was not sent. What you typed is kept: press Reply again to finish it."))

    def _send_reply(self, dialog: Any, query: QueryForYou, text: str) -> None:
        from ..coordinator.review_dialog import reply_with

        def sent(_review: Any) -> None:
            self._unsent.drop(query.review_id)
            dialog.accept()
            self._tell(self.tr("Reply kept. Your coordinator sees it after your next sync."))
            self.refresh()  # written on the worker's connection: the window's store events do not see it
            self.reply_saved.emit(query.review_id)

        self.worker.submit(lambda store: reply_with(store, query.review_id, text), sent,
                           lambda exc: dialog.show_problem(
                               self.tr("Your reply could not be saved: {why}. It is still here; try again.").format(why=exc)))

    def _tell(self, message: str) -> None:
        self.queries_notice.setText(message)
        self.queries_notice.setAccessibleName(message)
        self.queries_notice.setVisible(bool(message))

    def _open_follow_up(self, item: QListWidgetItem) -> None:
        record_id = item.data(Qt.ItemDataRole.UserRole)
        if record_id:
            self.open_conversation.emit(record_id)


def _fit(items: QListWidget, most: int | None = None) -> None:
    """As tall as its lines (up to ``most`` rows, then it scrolls), so a short list is not a large empty box."""
    rows = items.count() if most is None else min(items.count(), most)
    if rows and items.wordWrap():  # a row's height depends on the list's width: ask the laid-out view
        last = items.visualItemRect(items.item(rows - 1))
        content = last.bottom() + 1 + items.verticalScrollBar().value() + items.spacing()
    else:
        content = sum(items.sizeHintForRow(r) + 2 * items.spacing() for r in range(rows))
    height = content + 2 * items.frameWidth() + 6
    items.setFixedHeight(max(height, items.fontMetrics().height() * 2))
