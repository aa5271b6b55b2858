"""The coordinator's query at the top of a record's form (docs/design/review.md).

A champion answers a query by editing the record, so the question has to be in front of them
while they edit. The review is read on the form's own worker (``DraftWriter.fetch``) after the
form opens; the banner appears when the record has a query, and says whether the edit has
already answered it. The same form opened on a coordinator's laptop shows what was asked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

FETCH_NAME = "review"


def review_facts(record_id: str) -> Any:
    """On the form's worker: (the record's derived review state, the latest query's text, whose record it is)."""

    def read(store: Any) -> tuple[str, str, bool] | None:
        from champions.coordinator.review import derive_review_state, latest_query

        from ..coordinator.install import person_id

        review = store.reviews.for_subject(record_id)
        if review is None or review.deleted or review.state != "queried":
            return None
        rev = store.reviews.current_revs([review]).get(record_id)
        query = latest_query(review)
        if rev is None or query is None:
            return None
        mine = person_id(store) == review.subject_author_id
        return derive_review_state(review, rev), query.text, mine

    return read


class QueryBanner(QLabel):
    """Hidden until the form's record turns out to have a query."""

    def __init__(self, form: QDialog) -> None:
        super().__init__(form)
        self.setObjectName("queryBanner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("QLabel#queryBanner { border: 2px solid #8a5a00; border-radius: 4px; padding: 8px;"
                           " background: #fff7e0; color: #3d2800; }")
        self.state: str | None = None
        self.hide()

    @classmethod
    def attach(cls, form: Any) -> "QueryBanner":
        """Put a banner at the top of ``form`` (under its problem summary) and ask for the record's review."""
        banner = cls(form)
        form.layout().insertWidget(2, banner)
        if not form.is_new:
            form._writer.fetched.connect(banner._fetched)
            form._writer.fetch(FETCH_NAME, review_facts(form.record_id))
        return banner

    def _fetched(self, name: str, result: Any) -> None:
        if name != FETCH_NAME:
            return
        if result:
            self.show_query(*result)
        else:
            self.hide()

    def show_query(self, state: str, question: str, mine: bool) -> None:
        self.state = state
        if state == "queried" and mine:
            text = self.tr("Your coordinator asks: “{question}”\nChange what needs changing and save: "
                           "your edit is the answer.").format(question=question)
        elif state == "queried":
            text = self.tr("Query sent to the champion: “{question}”\nWaiting for their answer.").format(
                question=question)
        elif mine:
            text = self.tr("Your coordinator asked: “{question}”\nYou have edited this since; they see your "
                           "changes after your next sync.").format(question=question)
        else:
            text = self.tr("The champion has answered your query “{question}” by editing this record.").format(
                question=question)
        self.setText(text)
        self.setAccessibleName(text)
        self.show()
