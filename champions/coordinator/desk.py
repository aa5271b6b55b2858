"""The coordinator's desk as one object the UI holds: everything loaded once, every page served from it.

``Desk.load(store)`` runs on a worker (with that worker's own ``store.reopen()``): it reads
every record, the deprivation lookup and the lists, and builds the facts and their
bitset columns. After that the Desk never touches the database, so the dashboard, the
Submissions list and the exports read it from any thread; after a sync or an import the UI
simply loads a new Desk and drops the old one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..domain import Barrier, CommunityAsset, Conversation, OutreachActivity, ReferenceLists, Review
from .columns import FactColumns
from .dashboard import DashboardData
from .exports import Exporter, Sheet, export_csv, export_xlsx
from .filters import Fact, FactContext, ReportFilter, build_facts
from .openreferral import export_package
from . import review as _review
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
        return ex, _sheets(ex, tables, lambda: self.conversations, lambda: [*self.conversations, *self.barriers],
                           lambda: self.activities, lambda: self.assets)

    def export_xlsx(self, path: str | os.PathLike[str], report_filter: ReportFilter,
                    task: TaskLike = NO_TASK, tables: Sequence[str] = EXPORT_TABLES, *, store: Any = None) -> dict[str, int]:
        """``store`` is ignored: the records are in memory (``StoreDesk`` reads them from it)."""
        ex, sheets = self.sheets(report_filter, tables)
        return export_xlsx(path, sheets, ex, task)

    def export_csv(self, path: str | os.PathLike[str], table: str, report_filter: ReportFilter,
                   task: TaskLike = NO_TASK, *, store: Any = None) -> int:
        _, [sheet] = self.sheets(report_filter, [table])
        return export_csv(path, sheet, task)

    def export_open_referral(self, folder: str | os.PathLike[str], task: TaskLike = NO_TASK) -> dict[str, int]:
        return export_package(folder, self.assets, self.reference, task)


Records = Callable[[], Collection[Any]]


def _sheets(ex: Exporter, tables: Sequence[str], conversations: Records, barriers: Records,
            activities: Records, assets: Records) -> list[Sheet]:
    """The export's tables, each source read only if its table is asked for; ``barriers`` holds the
    conversations too (their barriers are rows of it)."""
    makers: dict[str, Callable[[], Sheet]] = {
        "conversations": lambda: ex.conversations(conversations()),
        "barriers": lambda: ex.barriers(barriers()),
        "outreach": lambda: ex.outreach(activities()),
        "assets": lambda: ex.assets(assets()),
    }
    unknown = [t for t in tables if t not in makers]
    if unknown:
        raise ValueError(f"unknown export table(s): {', '.join(unknown)}; choose from {', '.join(EXPORT_TABLES)}")
    return [makers[t]() for t in tables]


class StoredRecords(Collection[Any]):
    """The live records of one or more repositories, read a chunk at a time as they are iterated.

    An export over a million records streams them from the store (on the export's own thread)
    instead of holding them; ``len`` is known up front so the export still shows its progress.
    The ids are read when first needed, one id list per repository.
    """

    def __init__(self, *repos: Any, chunk: int = 2000) -> None:
        self._repos = repos
        self._chunk = chunk

    @cached_property
    def _parts(self) -> list[tuple[Any, list[str]]]:
        return [(repo, repo.ids()) for repo in self._repos]  # newest first, deleted ones left out

    def __len__(self) -> int:
        return sum(len(ids) for _, ids in self._parts)

    def __iter__(self) -> Iterator[Any]:
        for repo, ids in self._parts:
            for start in range(0, len(ids), self._chunk):
                yield from repo.get_many(ids[start:start + self._chunk])

    def __contains__(self, record: object) -> bool:
        return any(getattr(record, "id", None) in ids for _, ids in self._parts)

    def __getitem__(self, index: int) -> Any:
        """One record by position (one read each: for a look at a few, not a loop over all)."""
        if index < 0:
            index += len(self)
        for repo, ids in self._parts:
            if 0 <= index < len(ids):
                return repo.get(ids[index])
            index -= len(ids)
        raise IndexError("record index out of range")


@dataclass
class StoreDesk:
    """The Dashboard's desk for any number of records: the columns only (about 100 bytes a record).

    ``Desk`` holds every record, which at a million is several GB; this one keeps the counts'
    columns (``FactColumns.from_store``) and reads the records again, chunk by chunk, only when
    an export needs them: ``export_xlsx(..., store=the export thread's store)``.
    """

    reference: ReferenceLists
    context: FactContext
    columns: FactColumns
    champion_names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Any, *, champion_names: Mapping[str, str] | None = None, task: TaskLike = NO_TASK,
             review_states: Callable[[Any], Mapping[str, str]] | None = None) -> "StoreDesk":
        """``review_states(store)`` gives each reviewed record's state; by default the store's reviews
        against the records' current revs."""
        from .deprivation import decile_lookup

        if review_states is None:
            reviews = store.reviews.query()
            states = _review.review_states(reviews, store.reviews.current_revs(reviews))
        else:
            states = review_states(store)
        context = FactContext(store.reference, decile_lookup(store), states)
        return cls(store.reference, context, FactColumns.from_store(store, context, task=task), champion_names or {})

    def dashboard(self, report_filter: ReportFilter) -> DashboardData:
        return self.columns.dashboard(report_filter)

    def champion_name(self, author_id: str) -> str:
        return self.champion_names.get(author_id, author_id)

    def describe(self, report_filter: ReportFilter) -> list[tuple[str, str]]:
        return report_filter.describe(self.reference, self.champion_name)

    def sheets(self, store: Any, report_filter: ReportFilter,
               tables: Sequence[str] = EXPORT_TABLES) -> tuple[Exporter, list[Sheet]]:
        assets = store.assets.query()  # the directory: hundreds, not millions
        ex = Exporter(self.reference, report_filter, self.context, champion_name=self.champion_name,
                      asset_names={a.id: a.name for a in assets})
        return ex, _sheets(ex, tables, lambda: StoredRecords(store.conversations),
                           lambda: StoredRecords(store.conversations, store.barriers),
                           lambda: StoredRecords(store.activities), lambda: assets)

    def export_xlsx(self, path: str | os.PathLike[str], report_filter: ReportFilter, task: TaskLike = NO_TASK,
                    tables: Sequence[str] = EXPORT_TABLES, *, store: Any) -> dict[str, int]:
        ex, sheets = self.sheets(store, report_filter, tables)
        return export_xlsx(path, sheets, ex, task)

    def export_csv(self, path: str | os.PathLike[str], table: str, report_filter: ReportFilter,
                   task: TaskLike = NO_TASK, *, store: Any) -> int:
        _, [sheet] = self.sheets(store, report_filter, [table])
        return export_csv(path, sheet, task)


def review_states_of(reviews: Iterable[Review], records: Iterable[Any]) -> dict[str, str]:
    """``{record id: derived review state}`` for the records given (others' reviews are left out)."""
    return review_states(reviews, current_revs(records))
