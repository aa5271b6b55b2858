"""The outbox: what the sync engine sends, and the state each record shows in lists."""

from __future__ import annotations

import pytest

from champions.domain.samples import SampleGenerator
from champions.store import Query, Store, SyncState


def test_pending_lists_changes_oldest_first_with_the_full_record(store: Store, gen: SampleGenerator) -> None:
    a = store.conversations.save(gen.conversation())
    b = store.activities.save(gen.activity())
    a2 = store.conversations.save(a.model_copy(update={"notes": "edited"}))
    pending = store.outbox.pending(10)
    assert [(e.kind, e.record_id, e.rev) for e in pending] == [
        ("conversation", a.id, 1), ("outreach_activity", b.id, 1), ("conversation", a.id, 2),
    ]
    assert pending[2].payload == a2.model_dump(mode="json")
    assert all(e.state == "pending" and e.batch_id is None for e in pending)
    assert [e.seq for e in store.outbox.pending(2)] == [pending[0].seq, pending[1].seq]
    assert store.unsynced_count() == 3


def test_reference_defaults_are_not_queued(store: Store) -> None:
    assert store.reference_items.count() > 100
    assert store.outbox.pending(1000) == []
    assert store.unsynced_count() == 0
    assert store.reference_items.count(Query(sync_state="synced")) == store.reference_items.count()


def test_sending_then_synced_updates_the_record_state(store: Store, gen: SampleGenerator) -> None:
    c = store.conversations.save(gen.conversation())
    seq = store.outbox.pending(1)[0].seq
    store.outbox.mark_sending([seq], "batch-1")
    assert store.outbox.get(seq).state == "sending" and store.outbox.get(seq).batch_id == "batch-1"
    assert store.sync_state(c.id) == SyncState("sending", None)
    assert store.outbox.pending(10) == []
    assert store.unsynced_count() == 1  # on its way, not yet at the hub
    store.outbox.mark_result(seq, "synced")
    assert store.sync_state(c.id) == SyncState("synced", None)
    assert store.unsynced_count() == 0
    assert store.conversations.ids(Query(sync_state="synced")) == [c.id]


def test_a_rejection_shows_its_reason_on_the_record(store: Store, gen: SampleGenerator) -> None:
    b = store.barriers.save(gen.barrier())
    seq = store.outbox.pending(1)[0].seq
    store.outbox.mark_sending([seq], "batch-1")
    store.outbox.mark_result(seq, "rejected", "Unknown neighbourhood on the hub")
    assert store.sync_state(b.id) == SyncState("rejected", "Unknown neighbourhood on the hub")
    assert store.barriers.sync_states([b.id]) == {b.id: SyncState("rejected", "Unknown neighbourhood on the hub")}
    assert store.barriers.ids(Query(sync_state=("rejected", "conflict"))) == [b.id]
    # Editing it again queues a new revision; the record is waiting again.
    store.barriers.save(store.barriers.get(b.id).model_copy(update={"quote": "fixed"}))
    assert store.sync_state(b.id) == SyncState("pending", None)


def test_an_old_revision_synced_does_not_hide_a_newer_pending_one(store: Store, gen: SampleGenerator) -> None:
    c = store.conversations.save(gen.conversation())
    first = store.outbox.pending(1)[0].seq
    store.outbox.mark_sending([first], "batch-1")
    store.conversations.save(c.model_copy(update={"notes": "edited while sending"}))
    store.outbox.mark_result(first, "synced")
    assert store.sync_state(c.id) == SyncState("pending", None)
    assert [e.rev for e in store.outbox.pending(10)] == [2]


def test_requeue_sending_puts_an_unanswered_batch_back(store: Store, gen: SampleGenerator) -> None:
    store.conversations.save_many(gen.conversations(3))
    seqs = [e.seq for e in store.outbox.pending(10)]
    store.outbox.mark_sending(seqs[:2], "batch-1")
    assert store.outbox.requeue_sending() == 2
    assert [e.seq for e in store.outbox.pending(10)] == seqs


def test_mark_result_refuses_an_unknown_state_or_entry(store: Store, gen: SampleGenerator) -> None:
    store.conversations.save(gen.conversation())
    seq = store.outbox.pending(1)[0].seq
    with pytest.raises(ValueError, match="state must be one of"):
        store.outbox.mark_result(seq, "lost")
    with pytest.raises(KeyError):
        store.outbox.mark_result(seq + 100, "synced")
    assert store.outbox.get(seq).state == "pending"
