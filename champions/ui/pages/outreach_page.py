"""The Outreach page: events, stalls, door-knocking and the rest, newest first."""

from __future__ import annotations

from ..models.rows import ACTIVITY_COLUMNS
from .record_list_page import RecordListPage


class OutreachPage(RecordListPage):
    repo_name = "activities"
    columns = ACTIVITY_COLUMNS
    with_barrier_filter = False
    with_kind_filter = True

    def title_text(self) -> str:
        return self.tr("Outreach")

    def new_text(self) -> str:
        return self.tr("&New activity")

    def count_text(self, count: int) -> str:
        return self.tr("1 activity") if count == 1 else self.tr("{n} activities").format(n=count)

    def search_hint(self) -> str:
        return self.tr("Words from the notes")

    def what(self) -> str:
        return self.tr("activity")
