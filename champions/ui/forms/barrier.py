"""A barrier heard on its own, without a conversation: a remark at a stall, a queue, a school gate.

The same fields as a barrier inside the conversation form (which barrier, the resident's words,
whether it was addressed), plus when and where, so it counts by neighbourhood and week on the
coordinator's Dashboard like any other. Built like the outreach form: drafts, live validation,
the coordinator's query banner, and the last entry's place to start from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QSizePolicy

from champions.domain import Barrier

from .base import RecordForm, local_datetime
from .conversation import last_entry, starting_point
from .labels import addressed_choices, barrier_choices, field_label, list_choices, ref_label, with_retired
from .query_banner import QueryBanner
from .widgets.choice_box import ChoiceBox, FixedChoice

LAST_ENTRY_KEY = "forms.barrier.last"


class BarrierForm(RecordForm):
    KIND = "barrier"
    MODEL = Barrier

    def title(self) -> str:
        return self.tr("New barrier heard") if self.is_new else self.tr("Edit barrier heard")

    def repo(self) -> Any:
        return self.store.barriers

    def build(self) -> None:
        lists = self.store.reference
        b = Barrier

        what = self.section(self.tr("What you heard"))
        self.code = ChoiceBox()
        self.code.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # long names, read whole
        self.code.set_choices(barrier_choices(lists))
        self.bind(what, "code", field_label(b, "code"), self.code)
        self.quote = QLineEdit()
        self.quote.setPlaceholderText(self.tr("Their words, as they said them. No names or contact details."))
        self.bind(what, "quote", field_label(b, "quote"), self.quote, warns=True)
        self.addressed = FixedChoice(addressed_choices())
        self.bind(what, "addressed", field_label(b, "addressed"), self.addressed)

        where = self.section(self.tr("When and where"))
        self.when = self.new_datetime_edit()
        self.bind(where, "occurred_at", field_label(b, "occurred_at"), self.when)
        self.neighbourhood = ChoiceBox()
        self.neighbourhood.set_choices(list_choices(lists, "neighbourhood"))
        self.bind(where, "neighbourhood", field_label(b, "neighbourhood"), self.neighbourhood)

        more = self.section(self.tr("Anything else"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("Anything that helps the coordinator understand it."))
        self.notes.setMinimumHeight(self.notes.fontMetrics().lineSpacing() * 3 + 12)
        self.bind(more, "notes", field_label(b, "notes"), self.notes, warns=True)
        self.query_banner = QueryBanner.attach(self)  # the coordinator's query, if there is one

    def defaults(self) -> dict[str, Any]:
        state: dict[str, Any] = {"code": "", "addressed": "no"}
        start = starting_point(self.store.settings.get(LAST_ENTRY_KEY))
        state["occurred_at"] = start["occurred_at"]
        if start.get("neighbourhood"):
            state["neighbourhood"] = start["neighbourhood"]
        return state

    def state_from_record(self, record: Any) -> dict[str, Any]:
        lists = self.store.reference
        self.code.set_choices(barrier_choices(lists, keep=[record.code]))
        self.neighbourhood.set_choices(with_retired(lists, "neighbourhood", list_choices(lists, "neighbourhood"),
                                                    [record.neighbourhood]))
        when = record.occurred_at.astimezone().replace(tzinfo=None)
        return {
            "code": record.code,
            "quote": record.quote,
            "addressed": record.addressed,
            "occurred_at": when.isoformat(timespec="minutes"),
            "neighbourhood": record.neighbourhood,
            "notes": record.notes,
        }

    def model_data(self, state: dict[str, Any]) -> dict[str, Any]:
        data = super().model_data(state)
        data["id"] = self.record_id
        data["occurred_at"] = local_datetime(state["occurred_at"])
        return data

    def summary_text(self) -> str:
        state = self.state()
        what = ref_label(self.store.reference, "barrier", state["code"]) if state.get("code") else self.tr("Barrier heard")
        when = datetime.fromisoformat(state["occurred_at"]).strftime("%d/%m/%Y %H:%M")
        return self.tr("{0} on {1}").replace("{0}", what).replace("{1}", when)

    def remember(self, record: Any) -> None:
        self.store.settings.set(LAST_ENTRY_KEY, last_entry(record, neighbourhood=record.neighbourhood))
