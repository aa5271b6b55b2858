"""The conversation form: log what was heard in under a minute, keyboard alone.

It starts from the champion's last entry (same day, neighbourhood, setting,
district), so the next conversation at the same stall is a few keystrokes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QSizePolicy, QSpinBox, QWidget

from champions.domain import Conversation, GroupsReached, is_district

from .barriers import BarrierList
from .base import RecordForm, local_datetime
from .labels import barrier_choices, field_label, intention_choices, list_choices, with_retired
from .query_banner import QueryBanner
from .widgets.choice_box import Choice, ChoiceBox, FixedChoice
from .widgets.tag_picker import TagPicker

LAST_ENTRY_KEY = "forms.conversation.last"
FOLLOW_UP_DAYS = 7


def asset_choices(store: Any) -> list[Choice]:
    """Community assets to signpost to: their id, shown by name (and place when there is one)."""
    from champions.store import Query

    choices = []
    for asset in store.assets.query(Query()):
        place = asset.location.name or asset.location.city
        choices.append(Choice(asset.id, f"{asset.name} ({place})" if place else asset.name))
    return choices


def starting_point(last: dict[str, Any] | None, today: date | None = None) -> dict[str, Any]:
    """Where a new entry starts: the last entry's place, and its day when catching up on that day.

    Logging the same day: now. Catching up on an earlier day (saved today): that day
    and time again. A last entry saved on another day: only the place is kept.
    """
    today = today or date.today()
    now = datetime.now().replace(second=0, microsecond=0)
    start: dict[str, Any] = {"occurred_at": now.isoformat(timespec="minutes")}
    if not last:
        return start
    for name in ("neighbourhood", "setting", "postcode_district"):
        if last.get(name):
            start[name] = last[name]
    when = datetime.fromisoformat(last["occurred_at"]) if last.get("occurred_at") else None
    if when and last.get("saved_on") == today.isoformat() and when.date() != today:
        start["occurred_at"] = when.isoformat(timespec="minutes")
    return start


def last_entry(record: Any, **place: Any) -> dict[str, Any]:
    """What ``starting_point`` reads back: when the record happened, where, and the day it was saved."""
    when = record.occurred_at.astimezone().replace(tzinfo=None)
    return {"occurred_at": when.isoformat(timespec="minutes"), **place, "saved_on": date.today().isoformat()}


class ConversationForm(RecordForm):
    KIND = "conversation"
    MODEL = Conversation

    def title(self) -> str:
        return self.tr("New conversation") if self.is_new else self.tr("Edit conversation")

    def repo(self) -> Any:
        return self.store.conversations

    def build(self) -> None:
        lists = self.store.reference
        c = Conversation

        where = self.section(self.tr("When and where"))
        self.when = self.new_datetime_edit()
        self.bind(where, "occurred_at", field_label(c, "occurred_at"), self.when)
        self.neighbourhood = ChoiceBox()
        self.neighbourhood.set_choices(list_choices(lists, "neighbourhood"))
        self.bind(where, "neighbourhood", field_label(c, "neighbourhood"), self.neighbourhood)
        self.setting = ChoiceBox()
        self.setting.set_choices(list_choices(lists, "setting"))
        self.bind(where, "setting", field_label(c, "setting"), self.setting)
        self.district = QLineEdit()
        self.district.setPlaceholderText(self.tr("First part only, for example CH41"))
        self.district.setMaxLength(8)
        self.district.setMinimumWidth(self.district.fontMetrics().horizontalAdvance("First part only, for example CH41") + 24)
        self.district.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.bind(where, "postcode_district", field_label(c, "postcode_district"), self.district)

        who = self.section(self.tr("Who you spoke with"))
        self.people = QSpinBox()
        self.people.setRange(0, 9999)
        self.bind(who, "people_reached", field_label(c, "people_reached"), self.people)
        g = GroupsReached
        self.age_bands = self._picker(who, "groups.age_bands", field_label(g, "age_bands"), "age_band")
        self.ethnic_groups = self._picker(who, "groups.ethnic_groups", field_label(g, "ethnic_groups"), "ethnic_group")
        self.languages = self._picker(who, "groups.languages", field_label(g, "languages"), "language")
        self.core20plus = self._picker(who, "groups.core20plus", field_label(g, "core20plus"), "core20plus")

        heard = self.section(self.tr("What you talked about"))
        self.topics = self._picker(heard, "topics", field_label(c, "topics"), "topic")
        self.barriers = BarrierList(barrier_choices(lists))
        self.barriers.setAccessibleName(field_label(c, "barriers"))
        self.barriers.rows_changed.connect(self.fix_tab_order)
        self.bind(heard, "barriers", field_label(c, "barriers"), self.barriers)
        self.intention_before = FixedChoice(intention_choices())
        self.bind(heard, "intention_before", field_label(c, "intention_before"), self.intention_before)
        self.intention_after = FixedChoice(intention_choices())
        self.bind(heard, "intention_after", field_label(c, "intention_after"), self.intention_after)

        after = self.section(self.tr("What happens next"))
        self.signposted = TagPicker(field_label(c, "signposted_to"))
        # The asset list can be long: read it on the form's worker, not while the form opens.
        self._writer.fetched.connect(self._fetched)
        self._writer.fetch("assets", asset_choices)
        self.signposted.changed.connect(self.fix_tab_order_soon)
        self.bind(after, "signposted_to", field_label(c, "signposted_to"), self.signposted)
        self.referral = self.scaled_checkbox(self.tr("A referral was made"))
        self.bind(after, "referral_made", field_label(c, "referral_made"), self.referral)
        self.follow_up = self.scaled_checkbox(self.tr("Follow up on"))
        self.follow_up.setAccessibleName(self.tr("Follow-up needed"))
        self.follow_up_on = self.new_date_edit()
        self.follow_up_on.setAccessibleName(field_label(c, "follow_up_on"))
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.follow_up)
        line.addWidget(self.follow_up_on)
        line.addStretch(1)
        row = self.bind(after, "follow_up", field_label(c, "follow_up_on"), self.follow_up, shown=holder)
        self.bind_widget("follow_up_on", self.follow_up_on, row)
        self.follow_up.toggled.connect(self._follow_up_toggled)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("What else is worth remembering? No names or contact details."))
        self.notes.setMinimumHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self.bind(after, "notes", field_label(c, "notes"), self.notes, warns=True)

        QShortcut(QKeySequence("Ctrl+B"), self, activated=lambda: self.barriers.add_row(focus=True))
        self.query_banner = QueryBanner.attach(self)  # the coordinator's query, if there is one
        self.neighbourhood.changed.connect(self._district_hint)
        self.district.editingFinished.connect(self._neighbourhood_from_district)

    def _fetched(self, name: str, result: Any) -> None:
        if name == "assets":
            self.signposted.set_choices(result)

    def _picker(self, layout: Any, path: str, label: str, list_name: str) -> TagPicker:
        picker = TagPicker(label)
        picker.set_choices(list_choices(self.store.reference, list_name))
        picker.changed.connect(self.fix_tab_order_soon)
        self.bind(layout, path, label, picker)
        return picker

    def fix_tab_order_soon(self) -> None:
        if not self._loading:
            self.fix_tab_order()

    def _follow_up_toggled(self, on: bool) -> None:
        self.follow_up_on.setEnabled(on)
        if on and not self._loading:
            self.follow_up_on.setDate(QDate.currentDate().addDays(FOLLOW_UP_DAYS))

    def _district_hint(self) -> None:
        """The placeholder names the neighbourhood's districts, so the champion need not remember them."""
        item = self.store.reference.get("neighbourhood", self.neighbourhood.value())
        if item is not None and item.postcodes:
            self.district.setPlaceholderText(self.tr("First part only, for example {0}").replace("{0}", item.postcodes[0]))

    def _neighbourhood_from_district(self) -> None:
        """A district typed before the neighbourhood fills it in: the coordinator's postcodes know it."""
        text = self.district.text().strip()
        if self.neighbourhood.value() or not is_district(text):
            return
        code = self.store.reference.neighbourhood_for(text)
        if code:
            self.neighbourhood.set_value(code)

    # -- state -------------------------------------------------------------------------
    def defaults(self) -> dict[str, Any]:
        state = {
            "people_reached": 1,
            "intention_before": "not_asked",
            "intention_after": "not_asked",
            "barriers": [],
            "follow_up": False,
            "follow_up_on": (date.today() + timedelta(days=FOLLOW_UP_DAYS)).isoformat(),
        }
        state.update(starting_point(self.store.settings.get(LAST_ENTRY_KEY)))
        return state

    def apply_state(self, state: dict[str, Any]) -> None:
        super().apply_state(state)
        self.follow_up_on.setEnabled(self.follow_up.isChecked())

    def state_from_record(self, record: Any) -> dict[str, Any]:
        when = record.occurred_at.astimezone().replace(tzinfo=None)
        for path, codes, list_name in (
            ("groups.age_bands", record.groups.age_bands, "age_band"),
            ("groups.ethnic_groups", record.groups.ethnic_groups, "ethnic_group"),
            ("groups.languages", record.groups.languages, "language"),
            ("groups.core20plus", record.groups.core20plus, "core20plus"),
            ("topics", record.topics, "topic"),
        ):
            picker = self._bindings[path]
            picker.set_choices(with_retired(self.store.reference, list_name, list_choices(self.store.reference, list_name), codes))
        # One-choice boxes too: an old record's retired neighbourhood, setting or barrier stays named.
        lists = self.store.reference
        for box, code, list_name in ((self.neighbourhood, record.neighbourhood, "neighbourhood"),
                                     (self.setting, record.setting, "setting")):
            box.set_choices(with_retired(lists, list_name, list_choices(lists, list_name), [code]))
        self.barriers.set_choices(barrier_choices(lists, keep=[b.code for b in record.barriers]))
        return {
            "occurred_at": when.isoformat(timespec="minutes"),
            "neighbourhood": record.neighbourhood,
            "setting": record.setting,
            "postcode_district": record.postcode_district or "",
            "people_reached": record.people_reached,
            "groups.age_bands": record.groups.age_bands,
            "groups.ethnic_groups": record.groups.ethnic_groups,
            "groups.languages": record.groups.languages,
            "groups.core20plus": record.groups.core20plus,
            "topics": record.topics,
            "barriers": [b.model_dump() for b in record.barriers],
            "intention_before": record.intention_before,
            "intention_after": record.intention_after,
            "signposted_to": record.signposted_to,
            "referral_made": record.referral_made,
            "follow_up": record.follow_up_on is not None,
            "follow_up_on": (record.follow_up_on or date.today() + timedelta(days=FOLLOW_UP_DAYS)).isoformat(),
            "notes": record.notes,
        }

    def model_data(self, state: dict[str, Any]) -> dict[str, Any]:
        data = super().model_data(state)
        data["id"] = self.record_id
        data["occurred_at"] = local_datetime(state["occurred_at"])
        data["postcode_district"] = state["postcode_district"].strip() or None
        data["follow_up_on"] = state["follow_up_on"] if data.pop("follow_up") else None
        return data

    def summary_text(self) -> str:
        state = self.state()
        place = self.store.reference.label("neighbourhood", state["neighbourhood"]) if state["neighbourhood"] else ""
        when = datetime.fromisoformat(state["occurred_at"]).strftime("%d/%m/%Y %H:%M")
        count = len(state["barriers"])
        parts = [self.tr("Conversation on {0}").replace("{0}", when)]
        if place:
            parts.append(self.tr("in {0}").replace("{0}", place))
        if count:
            parts.append(self.tr("{0} barrier(s)").replace("{0}", str(count)))
        return ", ".join(parts)

    def remember(self, record: Any) -> None:
        self.store.settings.set(LAST_ENTRY_KEY, last_entry(
            record, neighbourhood=record.neighbourhood, setting=record.setting,
            postcode_district=record.postcode_district or ""))
