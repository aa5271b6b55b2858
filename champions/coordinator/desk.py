"""The coordinator's desk as one object the UI holds: everything loaded once, every page served from it.

``Desk.load(store)`` runs on a worker (with that worker's own ``store.reopen()``): it reads
every record, the deprivation lookup and the lists, and builds the facts and their numpy
columns. After that the Desk never touches the database, so the dashboard, the
Submissions list and the exports read it from any thread; after a sync or an import the UI
simply loads a new Desk and drops the old one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..domain import Barrier, CommunityAsset, Conversation, OutreachActivity, ReferenceLists, Review
from .columns import FactColumns
from .dashboard import DashboardData
from .exports import Exporter, Sheet, export_csv, export_xlsx
from .filters import Fact, FactContext, ReportFilter, build_facts
from .openreferral import export_package
from .review import current_revs, review_states
from .tasks import NO_TASK, TaskLike, check

EXPORT_TABLES = ("conversations", "barriers", "outreach", "assets")


@dataclass
class Desk:
    reference: ReferenceLists
    conversations: list[Conversation]
    barriers: list[Barrier]
    activities: list[OutreachActivity]
    assets: list[CommunityAsset]
    decile_of_district: Mapping[str, int] = field(default_factory=dict)
    review_states: Mapping[str, str] = field(default_factory=dict)
    champion_names: Mapping[str, str] = field(default_factory=dict)
    reviews: Mapping[str, Review] = field(default_factory=dict)  # record id -> its review (deleted ones left out)

    def __post_init__(self) -> None:
        self.context = FactContext(self.reference, self.decile_of_district, self.review_states)
        self.facts: list[Fact] = build_facts([*self.conversations, *self.barriers, *self.activities], self.context)
        self.columns = FactColumns(self.facts, self.reference)

    @classmethod
    def load(cls, store: Any, *, review_states: Mapping[str, str] | None = None,
             champion_names: Mapping[str, str] | None = None, task: TaskLike = NO_TASK) -> "Desk":
        """Everything the desk shows, from this thread's store (deleted records left out).

        The review states come from the store's reviews and the records' current revs (the derived
        state of docs/design/review.md) unless ``review_states`` is given.
        """
        from .deprivation import decile_lookup

        steps = [store.conversations.query, store.barriers.query, store.activities.query, store.assets.query]
        loaded: list[list[Any]] = []
        for done, query in enumerate(steps):
            check(task)
            task.progress(done, len(steps) + 1)
            loaded.append(query())
        check(task)
        reviews = {r.subject_id: r for r in store.reviews.query()}
        if review_states is None:
            review_states = review_states_of(reviews.values(), [*loaded[0], *loaded[1], *loaded[2]])
        desk = cls(store.reference, *loaded, decile_of_district=decile_lookup(store),
                   review_states=review_states, champion_names=champion_names or {}, reviews=reviews)
        task.progress(len(steps) + 1, len(steps) + 1)
        return desk

    # ---- pages -------------------------------------------------------------------------

    def dashboard(self, report_filter: ReportFilter) -> DashboardData:
        """Every chart's numbers for this filter (well under a second for a million records)."""
        return self.columns.dashboard(report_filter)

    def submissions(self, report_filter: ReportFilter) -> list[Fact]:
        """The records this filter keeps, newest first; ``fact.record`` is the record, ``fact.review_state`` its review."""
        return self.columns.kept_facts(report_filter)

    def review_of(self, record_id: str) -> Review | None:
        """The record's review as it was when the desk was loaded (its thread, who asked what)."""
        return self.reviews.get(record_id)

    def champion_name(self, author_id: str) -> str:
        return self.champion_names.get(author_id, author_id)

    def describe(self, report_filter: ReportFilter) -> list[tuple[str, str]]:
        """The filter in words, for the PDF summary."""
        return report_filter.describe(self.reference, self.champion_name)

    # ---- exports -----------------------------------------------------------------------

    def exporter(self, report_filter: ReportFilter) -> Exporter:
        return Exporter(self.reference, report_filter, self.context, champion_name=self.champion_name,
                        asset_names={a.id: a.name for a in self.assets})

    def sheets(self, report_filter: ReportFilter, tables: Sequence[str] = EXPORT_TABLES) -> tuple[Exporter, list[Sheet]]:
        ex = self.exporter(report_filter)
        makers: dict[str, Callable[[], Sheet]] = {
            "conversations": lambda: ex.conversations(self.conversations),
            "barriers": lambda: ex.barriers([*self.conversations, *self.barriers]),
            "outreach": lambda: ex.outreach(self.activities),
            "assets": lambda: ex.assets(self.assets),
        }
        unknown = [t for t in tables if t not in makers]
        if unknown:
            raise ValueError(f"unknown export table(s): {', '.join(unknown)}; choose from {', '.join(EXPORT_TABLES)}")
        return ex, [makers[t]() for t in tables]

    def export_xlsx(self, path: str | os.PathLike[str], report_filter: ReportFilter,
                    task: TaskLike = NO_TASK, tables: Sequence[str] = EXPORT_TABLES) -> dict[str, int]:
        ex, sheets = self.sheets(report_filter, tables)
        return export_xlsx(path, sheets, ex, task)

    def export_csv(self, path: str | os.PathLike[str], table: str, report_filter: ReportFilter,
                   task: TaskLike = NO_TASK) -> int:
        _, [sheet] = self.sheets(report_filter, [table])
        return export_csv(path, sheet, task)

    def export_open_referral(self, folder: str | os.PathLike[str], task: TaskLike = NO_TASK) -> dict[str, int]:
        return export_package(folder, self.assets, self.reference, task)


def review_states_of(reviews: Iterable[Review], records: Iterable[Any]) -> dict[str, str]:
    """``{record id: derived review state}`` for the records given (others' reviews are left out)."""
    return review_states(reviews, current_revs(records))
