"""The Conversations page: every conversation logged, newest first."""

from __future__ import annotations

from ..models.rows import CONVERSATION_COLUMNS
from .record_list_page import RecordListPage


class ConversationsPage(RecordListPage):
    repo_name = "conversations"
    columns = CONVERSATION_COLUMNS
    with_barrier_filter = True

    def title_text(self) -> str:
        return self.tr("Conversations")

    def new_text(self) -> str:
        return self.tr("&New conversation")

    def count_text(self, count: int) -> str:
        return self.tr("1 conversation") if count == 1 else self.tr("{n} conversations").format(n=count)

    def what(self) -> str:
        return self.tr("conversation")
