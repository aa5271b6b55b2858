"""The outreach activity form: a stall, an event, door-knocking, a post; built like the conversation form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QDoubleSpinBox, QPlainTextEdit, QSpinBox

from champions.domain import OutreachActivity

from .base import RecordForm, local_datetime
from .conversation import last_entry, starting_point
from .labels import field_label, list_choices, ref_label, with_retired
from .query_banner import QueryBanner
from .widgets.choice_box import ChoiceBox
from .widgets.tag_picker import TagPicker

LAST_ENTRY_KEY = "forms.outreach_activity.last"


class ActivityForm(RecordForm):
    KIND = "outreach_activity"
    MODEL = OutreachActivity

    def title(self) -> str:
        return self.tr("New outreach activity") if self.is_new else self.tr("Edit outreach activity")

    def repo(self) -> Any:
        return self.store.activities

    def build(self) -> None:
        lists = self.store.reference
        a = OutreachActivity

        what = self.section(self.tr("What, when and where"))
        self.kind = ChoiceBox()
        self.kind.set_choices(list_choices(lists, "activity_kind"))
        self.bind(what, "activity_kind", field_label(a, "activity_kind"), self.kind)
        self.when = self.new_datetime_edit()
        self.bind(what, "occurred_at", field_label(a, "occurred_at"), self.when)
        self.duration = QSpinBox()
        self.duration.setRange(0, 24 * 60)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(self.tr(" min"))
        self.bind(what, "duration_minutes", field_label(a, "duration_minutes"), self.duration)
        self.neighbourhood = ChoiceBox()
        self.neighbourhood.set_choices(list_choices(lists, "neighbourhood"))
        self.bind(what, "neighbourhood", field_label(a, "neighbourhood"), self.neighbourhood)

        who = self.section(self.tr("Who took part"))
        self.partners = TagPicker(field_label(a, "partners"), free=True)
        self.bind(who, "partners", field_label(a, "partners"), self.partners)
        self.people = QSpinBox()
        self.people.setRange(0, 100_000)
        self.bind(who, "people_reached", field_label(a, "people_reached"), self.people)
        self.languages = TagPicker(field_label(a, "languages"))
        self.languages.set_choices(list_choices(lists, "language"))
        self.bind(who, "languages", field_label(a, "languages"), self.languages)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 10_000)
        self.hours.setDecimals(1)
        self.hours.setSingleStep(0.5)
        self.bind(who, "volunteer_hours", field_label(a, "volunteer_hours"), self.hours)

        more = self.section(self.tr("Materials and notes"))
        self.materials = TagPicker(field_label(a, "materials"), free=True)
        self.bind(more, "materials", field_label(a, "materials"), self.materials)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("How did it go? No names or contact details of residents."))
        self.notes.setMinimumHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self.bind(more, "notes", field_label(a, "notes"), self.notes, warns=True)
        for picker in (self.partners, self.languages, self.materials):
            picker.changed.connect(lambda: None if self._loading else self.fix_tab_order())
        self.query_banner = QueryBanner.attach(self)  # the coordinator's query, if there is one

    def defaults(self) -> dict[str, Any]:
        state: dict[str, Any] = {"duration_minutes": 60, "people_reached": 0, "volunteer_hours": 0.0}
        last = self.store.settings.get(LAST_ENTRY_KEY)
        start = starting_point(last)
        state["occurred_at"] = start["occurred_at"]
        if start.get("neighbourhood"):
            state["neighbourhood"] = start["neighbourhood"]
        if last and last.get("activity_kind"):
            state["activity_kind"] = last["activity_kind"]
        return state

    def state_from_record(self, record: Any) -> dict[str, Any]:
        lists = self.store.reference
        self.languages.set_choices(with_retired(lists, "language", list_choices(lists, "language"), record.languages))
        self.kind.set_choices(with_retired(lists, "activity_kind", list_choices(lists, "activity_kind"), [record.activity_kind]))
        self.neighbourhood.set_choices(with_retired(lists, "neighbourhood", list_choices(lists, "neighbourhood"),
                                                    [record.neighbourhood]))
        when = record.occurred_at.astimezone().replace(tzinfo=None)
        return {
            "activity_kind": record.activity_kind,
            "occurred_at": when.isoformat(timespec="minutes"),
            "duration_minutes": record.duration_minutes,
            "neighbourhood": record.neighbourhood,
            "partners": record.partners,
            "people_reached": record.people_reached,
            "languages": record.languages,
            "volunteer_hours": record.volunteer_hours,
            "materials": record.materials,
            "notes": record.notes,
        }

    def model_data(self, state: dict[str, Any]) -> dict[str, Any]:
        data = super().model_data(state)
        data["id"] = self.record_id
        data["occurred_at"] = local_datetime(state["occurred_at"])
        return data

    def summary_text(self) -> str:
        state = self.state()
        kind = ref_label(self.store.reference, "activity_kind", state["activity_kind"]) if state["activity_kind"] else self.tr("Outreach activity")
        when = datetime.fromisoformat(state["occurred_at"]).strftime("%d/%m/%Y %H:%M")
        return self.tr("{0} on {1}").replace("{0}", kind).replace("{1}", when)

    def remember(self, record: Any) -> None:
        self.store.settings.set(LAST_ENTRY_KEY, last_entry(record, neighbourhood=record.neighbourhood,
                                                           activity_kind=record.activity_kind))
