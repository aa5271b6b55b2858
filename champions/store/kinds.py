"""How each record kind maps onto its table: the denormalised columns filters and lists need.

The full record is kept as JSON in ``data``, which is what is read back; the columns
here are copies for indexes only, derived from the record in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from champions.domain import (
    Barrier,
    CommunityAsset,
    Conversation,
    Envelope,
    OutreachActivity,
    ReferenceItem,
    ReferenceLists,
    Review,
)

ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
ENVELOPE_COLUMNS = ("id", "rev", "deleted", "org_id", "author_id", "device_id", "created_at", "updated_at")


def iso(value: datetime) -> str:
    """One fixed-width UTC format, so text order is time order in indexes and range filters."""
    if value.tzinfo is not timezone.utc:
        value = value.astimezone(timezone.utc)  # naive times are local per Python; the domain makes them UTC first
    return value.isoformat(timespec="microseconds")[:-6] + "Z"  # == strftime(ISO_FORMAT) without "+00:00", faster


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, ISO_FORMAT).replace(tzinfo=timezone.utc)


SLOTS = 1_000_000  # records that can share one millisecond of occurred_at
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def seq_base(value: datetime) -> int:
    """The first seq of the millisecond ``value`` falls in; seq order is occurred_at order."""
    return ((value - _EPOCH) // timedelta(milliseconds=1)) * SLOTS


def _domain(ref: ReferenceLists, code: str) -> str | None:
    item = ref.get("barrier", code)
    return item.group if item else None


@dataclass(frozen=True)
class KindSpec:
    kind: str
    model: type[Envelope]
    columns: tuple[str, ...]
    values: Callable[[Any, ReferenceLists], tuple[Any, ...]]
    date_column: str = "occurred_at"
    order_by: str = "t.seq DESC"
    time_ordered: bool = True  # seq is made from occurred_at (see schema.py)
    filter_columns: dict[str, str] = field(default_factory=dict)  # Query field -> column

    @property
    def table(self) -> str:
        return self.kind

    @property
    def fts(self) -> str:
        return f"{self.kind}_fts"


def _conversation(r: Conversation, ref: ReferenceLists) -> tuple[Any, ...]:
    return (iso(r.occurred_at), r.neighbourhood, r.setting)


def conversation_barriers(r: Conversation, ref: ReferenceLists, seq: int) -> list[tuple[str, int, int, str, str | None]]:
    """Rows of conversation_barrier: (conversation_id, position, seq, code, domain)."""
    return [(r.id, pos, seq, b.code, _domain(ref, b.code)) for pos, b in enumerate(r.barriers)]


def _barrier(r: Barrier, ref: ReferenceLists) -> tuple[Any, ...]:
    return (iso(r.occurred_at), r.neighbourhood, r.code, _domain(ref, r.code))


def _activity(r: OutreachActivity, ref: ReferenceLists) -> tuple[Any, ...]:
    return (iso(r.occurred_at), r.neighbourhood, r.activity_kind)


def _asset(r: CommunityAsset, ref: ReferenceLists) -> tuple[Any, ...]:
    return (r.name, r.neighbourhood, r.status)


def _reference(r: ReferenceItem, ref: ReferenceLists) -> tuple[Any, ...]:
    return (r.list_name, r.code, r.group, int(r.retired), r.position)


def _review(r: Review, ref: ReferenceLists) -> tuple[Any, ...]:
    return (r.subject_kind, r.subject_id, r.subject_author_id, r.state, r.subject_rev)


SPECS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec("conversation", Conversation, ("occurred_at", "neighbourhood", "setting"), _conversation,
                 filter_columns={"neighbourhood": "neighbourhood", "setting": "setting"}),
        KindSpec("barrier", Barrier, ("occurred_at", "neighbourhood", "code", "domain"), _barrier,
                 filter_columns={"neighbourhood": "neighbourhood", "barrier_code": "code", "barrier_domain": "domain"}),
        KindSpec("outreach_activity", OutreachActivity, ("occurred_at", "neighbourhood", "activity_kind"), _activity,
                 filter_columns={"neighbourhood": "neighbourhood", "activity_kind": "activity_kind"}),
        KindSpec("community_asset", CommunityAsset, ("name", "neighbourhood", "status"), _asset,
                 date_column="updated_at", order_by="t.name COLLATE NOCASE, t.seq", time_ordered=False,
                 filter_columns={"neighbourhood": "neighbourhood"}),
        KindSpec("reference_item", ReferenceItem, ("list_name", "code", "grp", "retired", "position"), _reference,
                 date_column="updated_at", order_by="t.list_name, t.position, t.code", time_ordered=False,
                 filter_columns={"list_name": "list_name"}),
        KindSpec("review", Review, ("subject_kind", "subject_id", "subject_author_id", "state", "subject_rev"), _review,
                 date_column="updated_at", order_by="t.updated_at DESC, t.seq DESC", time_ordered=False),
    )
}
