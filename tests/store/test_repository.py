"""Save, update, soft-delete and restore for every kind: record and outbox row together, rev bumped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from champions.domain import (
    Barrier,
    BarrierHeard,
    CommunityAsset,
    Conversation,
    OutreachActivity,
    ReferenceItem,
    explain,
)
from champions.store import NotFoundError, Query, Store, SyncState

WHEN = datetime(2025, 3, 14, 10, 30, tzinfo=timezone.utc)

MAKERS: dict[str, Callable[[], Any]] = {
    "conversations": lambda: Conversation(
        occurred_at=WHEN, neighbourhood="birkenhead", setting="market", people_reached=2,
        barriers=[BarrierHeard(code="PI.TRAVEL", quote="It's two buses to the clinic.")], notes="Busy market day",
    ),
    "barriers": lambda: Barrier(occurred_at=WHEN, neighbourhood="birkenhead", code="TF.SAFETY", quote="Is it safe?"),
    "activities": lambda: OutreachActivity(occurred_at=WHEN, activity_kind="stall", neighbourhood="birkenhead", people_reached=40),
    "assets": lambda: CommunityAsset(name="Walk-in vaccination clinic", description="No appointment needed"),
    "reference_items": lambda: ReferenceItem.make("neighbourhood", "new_brighton", "New Brighton", postcodes=["CH45"]),
}
EDITS: dict[str, dict[str, Any]] = {
    "conversations": {"notes": "Quieter than expected"},
    "barriers": {"addressed": "partly"},
    "activities": {"people_reached": 55},
    "assets": {"opening_times": "Mon-Fri 9-5"},
    "reference_items": {"label": "New Brighton and Egremont"},
}


def outbox_rows(store: Store, record_id: str) -> list[tuple[int, str]]:
    return [(e.rev, e.state) for e in store.outbox.entries(record_id)]


@pytest.mark.parametrize("repo_name", MAKERS)
def test_save_update_delete_restore_write_the_record_and_one_outbox_row_each(store: Store, repo_name: str) -> None:
    repo = getattr(store, repo_name)
    record = MAKERS[repo_name]()
    assert record.rev == 0

    saved = repo.save(record)
    assert saved.rev == 1 and saved.updated_at >= record.updated_at
    assert repo.get(record.id) == saved
    entry = store.outbox.entries(record.id)[0]
    assert entry.payload == saved.model_dump(mode="json") and entry.kind == repo.kind

    edited = repo.save(saved.model_copy(update=EDITS[repo_name]))
    assert edited.rev == 2 and edited.updated_at >= saved.updated_at
    assert edited.created_at == saved.created_at
    assert repo.get(record.id) == edited

    deleted = repo.delete(record.id)
    assert deleted.deleted and deleted.rev == 3
    assert repo.get(record.id) == deleted  # a tombstone is still readable
    assert record.id not in repo.ids(Query(list_name="neighbourhood") if repo_name == "reference_items" else Query())
    assert record.id in repo.ids(Query(include_deleted=True))

    restored = repo.restore(record.id)
    assert not restored.deleted and restored.rev == 4
    assert outbox_rows(store, record.id) == [(1, "pending"), (2, "pending"), (3, "pending"), (4, "pending")]
    assert [e.payload["rev"] for e in store.outbox.entries(record.id)] == [1, 2, 3, 4]
    assert store.sync_state(record.id) == SyncState("pending", None)


def test_updated_at_is_the_time_of_the_save(store: Store) -> None:
    before = datetime.now(timezone.utc)
    saved = store.conversations.save(MAKERS["conversations"]())
    assert before <= saved.updated_at <= datetime.now(timezone.utc)


def test_saving_a_stale_copy_still_moves_rev_forward(store: Store) -> None:
    first = store.barriers.save(MAKERS["barriers"]())
    store.barriers.save(first.model_copy(update={"quote": "newer"}))
    again = store.barriers.save(first.model_copy(update={"quote": "from an old window"}))
    assert again.rev == 3
    assert [e.rev for e in store.outbox.entries(first.id)] == [1, 2, 3]


def test_deleting_twice_writes_one_tombstone(store: Store) -> None:
    saved = store.barriers.save(MAKERS["barriers"]())
    store.barriers.delete(saved.id)
    store.barriers.delete(saved.id)
    assert [e.rev for e in store.outbox.entries(saved.id)] == [1, 2]


def test_a_missing_id_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError) as caught:
        store.conversations.get("no-such-id")
    assert str(caught.value) == "There is no conversation with id no-such-id."
    with pytest.raises(NotFoundError):
        store.conversations.delete("no-such-id")
    with pytest.raises(NotFoundError):
        store.sync_state("no-such-id")
    assert store.outbox.unsynced_count() == 0


def test_a_record_of_the_wrong_kind_is_refused(store: Store) -> None:
    with pytest.raises(TypeError, match="conversation repository cannot store a Barrier"):
        store.conversations.save(MAKERS["barriers"]())  # type: ignore[arg-type]


def _counts(store: Store) -> dict[str, int]:
    return {t: store.db[t].count for t in ("conversation", "conversation_barrier", "barrier", "outbox")}


def test_an_unknown_neighbourhood_is_refused_with_the_domain_message_and_nothing_is_written(store: Store) -> None:
    before = _counts(store)
    bad = Conversation(occurred_at=WHEN, neighbourhood="atlantis", setting="market",
                       barriers=[BarrierHeard(code="NOT.A.CODE")])
    with pytest.raises(ValidationError) as caught:
        store.conversations.save(bad)
    problems = [(p.field, p.message) for p in explain(caught.value, Conversation)]
    assert problems == [
        ("neighbourhood", "“atlantis” is not on the neighbourhoods list. Choose one from the list, or ask your coordinator to add it."),
        ("barriers.0.code", "“NOT.A.CODE” is not on the barriers list. Choose one from the list, or ask your coordinator to add it."),
    ]
    assert _counts(store) == before


def test_a_record_made_invalid_after_construction_is_caught(store: Store) -> None:
    """Models do not validate on assignment; the store re-validates whatever it is given."""
    record = MAKERS["activities"]()
    record.occurred_at = datetime.now(timezone.utc) + timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        store.activities.save(record)
    assert [p.message for p in explain(caught.value, OutreachActivity)] == [
        "The date of the activity is in the future. Check the date and time."
    ]
    assert store.activities.count(Query(include_deleted=True)) == 0
    assert store.outbox.unsynced_count() == 0


def test_save_many_is_all_or_nothing(store: Store) -> None:
    good = [MAKERS["conversations"]() for _ in range(700)]
    bad = Conversation(occurred_at=WHEN, neighbourhood="atlantis", setting="market")
    before = _counts(store)
    with pytest.raises(ValidationError):
        store.conversations.save_many([*good, bad])  # the bad one is in the second chunk
    assert _counts(store) == before
    assert store.conversations.save_many(good) == 700
    assert store.conversations.count() == 700
    assert store.outbox.unsynced_count() == 700
    assert store.db["conversation_barrier"].count == 700


def test_save_many_keeps_every_revision_of_a_record_saved_twice(store: Store) -> None:
    record = MAKERS["conversations"]()
    edited = record.model_copy(update={"notes": "second", "barriers": []})
    assert store.conversations.save_many([record, edited]) == 2
    stored = store.conversations.get(record.id)
    assert stored.rev == 2 and stored.notes == "second" and stored.barriers == []
    assert [e.rev for e in store.outbox.entries(record.id)] == [1, 2]
    assert store.db["conversation_barrier"].count == 0


def test_updating_a_conversation_replaces_its_barrier_rows(store: Store) -> None:
    saved = store.conversations.save(MAKERS["conversations"]())
    assert store.conversations.ids(Query(barrier_code="PI.TRAVEL")) == [saved.id]
    store.conversations.save(saved.model_copy(update={"barriers": [BarrierHeard(code="TF.TRUST"), BarrierHeard(code="SP.FAMILY")]}))
    assert store.conversations.ids(Query(barrier_code="PI.TRAVEL")) == []
    assert store.conversations.ids(Query(barrier_code="TF.TRUST")) == [saved.id]
    rows = list(store.db.query("SELECT position, code, domain FROM conversation_barrier ORDER BY position"))
    assert rows == [
        {"position": 0, "code": "TF.TRUST", "domain": "thinking_feeling"},
        {"position": 1, "code": "SP.FAMILY", "domain": "social_processes"},
    ]


def test_get_many_returns_records_in_the_order_asked(store: Store) -> None:
    saved = [store.barriers.save(MAKERS["barriers"]()) for _ in range(3)]
    order = [saved[2].id, saved[0].id, saved[1].id]
    assert [r.id for r in store.barriers.get_many(order)] == order
    with pytest.raises(NotFoundError):
        store.barriers.get_many([saved[0].id, "missing"])


def test_apply_remote_keeps_the_hubs_rev_and_queues_nothing(store: Store) -> None:
    record = MAKERS["assets"]().model_copy(update={"rev": 7})
    stored = store.assets.apply_remote(record)
    assert stored.rev == 7
    assert store.assets.get(record.id) == record
    assert store.outbox.entries(record.id) == []
    assert store.sync_state(record.id) == SyncState("synced", None)


def test_a_failure_while_writing_the_outbox_row_leaves_no_record_row(store: Store) -> None:
    """The record and its outbox row are one transaction: if the second write fails, the first is undone."""
    import sqlcipher3

    record = MAKERS["conversations"]()
    store.db.execute(
        "INSERT INTO outbox (kind, record_id, rev, payload, state, created_at, updated_at) "
        "VALUES ('conversation', ?, 1, '{}', 'pending', 'x', 'x')", [record.id]
    )
    before = _counts(store)
    with pytest.raises(sqlcipher3.IntegrityError, match="UNIQUE constraint failed: outbox.record_id, outbox.rev"):
        store.conversations.save(record)
    assert _counts(store) == before
    with pytest.raises(NotFoundError):
        store.conversations.get(record.id)
    assert store.conversations.ids(Query(text="busy")) == []
