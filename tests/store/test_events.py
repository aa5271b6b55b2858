"""Change notification: after the commit, in the thread that made the change."""

from __future__ import annotations

import logging
import threading

import pytest
from pydantic import ValidationError

from champions.domain import Conversation
from champions.domain.samples import SampleGenerator
from champions.store import ChangeEvent, Store


def test_each_change_is_announced_after_commit(store: Store, gen: SampleGenerator) -> None:
    seen: list[tuple[ChangeEvent, int]] = []
    probe = store.reopen()  # another connection sees only committed data

    def callback(event: ChangeEvent) -> None:
        committed = probe.conversations.count() if event.record_id else -1
        seen.append((event, committed))

    store.subscribe(callback)
    c = store.conversations.save(gen.conversation())
    store.conversations.save(c.model_copy(update={"notes": "edit"}))
    store.conversations.delete(c.id)
    store.conversations.restore(c.id)
    store.conversations.save_many(gen.conversations(3))
    first, *_, latest = store.outbox.entries(c.id)
    store.outbox.mark_sending([first.seq], "b1")  # an older revision: the record's state does not change
    store.outbox.mark_sending([latest.seq], "b1")
    assert [e for e, _ in seen] == [
        ChangeEvent("conversation", c.id, "created"),
        ChangeEvent("conversation", c.id, "updated"),
        ChangeEvent("conversation", c.id, "deleted"),
        ChangeEvent("conversation", c.id, "restored"),
        ChangeEvent("conversation", None, "bulk"),
        ChangeEvent("conversation", c.id, "sync"),
    ]
    assert seen[0][1] == 1  # the subscriber could already read the saved record
    probe.close()


def test_nothing_is_announced_when_nothing_was_written(store: Store) -> None:
    seen: list[ChangeEvent] = []
    store.subscribe(seen.append)
    with pytest.raises(ValidationError):
        store.conversations.save(Conversation(neighbourhood="atlantis", setting="market"))
    assert seen == []


def test_unsubscribe_stops_the_calls(store: Store, gen: SampleGenerator) -> None:
    seen: list[ChangeEvent] = []
    unsubscribe = store.subscribe(seen.append)
    store.barriers.save(gen.barrier())
    unsubscribe()
    unsubscribe()  # twice is harmless
    store.barriers.save(gen.barrier())
    assert len(seen) == 1


def test_a_failing_subscriber_does_not_undo_the_save_or_starve_the_others(
    store: Store, gen: SampleGenerator, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[ChangeEvent] = []

    def broken(event: ChangeEvent) -> None:
        raise RuntimeError("view went away")

    store.subscribe(broken)
    store.subscribe(seen.append)
    with caplog.at_level(logging.ERROR):
        saved = store.activities.save(gen.activity())
    assert store.activities.get(saved.id) == saved
    assert seen == [ChangeEvent("outreach_activity", saved.id, "created")]
    assert "A change subscriber failed" in caplog.text


def test_callbacks_run_in_the_thread_that_saved(store: Store, gen: SampleGenerator) -> None:
    threads: list[str] = []
    record = gen.conversation()

    def work() -> None:
        worker = store.reopen()
        worker.subscribe(lambda e: threads.append(threading.current_thread().name))
        worker.conversations.save(record)
        worker.close()

    t = threading.Thread(target=work, name="saver")
    t.start()
    t.join()
    assert threads == ["saver"]
    assert store.conversations.get(record.id).rev == 1


def test_reference_changes_refresh_the_lists_used_for_validation(store: Store) -> None:
    from champions.domain import ReferenceItem

    seen: list[ChangeEvent] = []
    store.subscribe(seen.append)
    with pytest.raises(ValidationError):
        store.conversations.save(Conversation(neighbourhood="new_brighton", setting="market"))
    item = store.reference_items.save(ReferenceItem.make("neighbourhood", "new_brighton", "New Brighton"))
    assert store.reference.label("neighbourhood", "new_brighton") == "New Brighton"
    store.conversations.save(Conversation(neighbourhood="new_brighton", setting="market"))
    assert seen[0] == ChangeEvent("reference_item", item.id, "created")
    # Removing it again (a tombstone) takes it off the lists.
    store.reference_items.delete(item.id)
    assert not store.reference.knows("neighbourhood", "new_brighton")
    # And a change made through another connection is seen too.
    other = store.reopen()
    other.reference_items.restore(item.id)
    other.close()
    assert store.reference.knows("neighbourhood", "new_brighton")
