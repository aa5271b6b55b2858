"""The store side of sync on a real store file: pulled pages, answers and conflicts, each atomic."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from champions.domain.samples import SampleGenerator
from champions.store import Store
from champions.store.incoming import Answer, Incoming
from champions.sync.merge import three_way_merge

CURSOR = "sync.cursor"


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "laptop.db", None)
    yield opened
    opened.close()


def hub_copy(record, **changes):
    return {**record.model_dump(mode="json"), "org_id": "org", "author_id": "p1", "device_id": "d9", **changes}


def test_a_pulled_page_and_its_cursor_commit_together_or_not_at_all(store):
    gen = SampleGenerator(seed=3, reference=store.reference)
    good = [next(gen.conversations(1)) for _ in range(3)]
    page = [("conversation", r.id, 1, hub_copy(r, rev=1)) for r in good]
    ledger = Incoming(store)
    bad = page + [("conversation", "broken", 1, {"id": "broken", "rev": 1, "people_reached": "many"})]
    with pytest.raises(ValidationError):
        ledger.apply_pulled(bad, CURSOR, 40)
    assert store.conversations.count() == 0 and store.settings.get(CURSOR) is None  # nothing half-applied

    outcome = ledger.apply_pulled(page, CURSOR, 40)
    assert outcome.applied == 3 and store.settings.get(CURSOR) == 40
    assert store.unsynced_count() == 0  # incoming records never queue anything for the hub
    assert store.sync_state(good[0].id).state == "synced"
    assert ledger.base_revs([r.id for r in good]) == {r.id: 1 for r in good}


def test_a_record_with_unsent_local_changes_is_never_overwritten_by_a_pull(store):
    gen = SampleGenerator(seed=4, reference=store.reference)
    mine = store.conversations.save(next(gen.conversations(1)))  # rev 1, pending
    ledger = Incoming(store)
    outcome = ledger.apply_pulled([("conversation", mine.id, 5, hub_copy(mine, rev=5, notes="hub"))], CURSOR, 7)
    assert outcome.skipped_local_changes == [mine.id]
    assert store.conversations.get(mine.id).notes == mine.notes
    assert store.settings.get(CURSOR) == 7


def test_answers_for_an_older_rev_leave_a_newer_local_edit_waiting(store):
    gen = SampleGenerator(seed=5, reference=store.reference)
    first = store.conversations.save(next(gen.conversations(1)))
    ledger = Incoming(store)
    [sent] = ledger.pending(10)
    ledger.mark_sending([sent], "b1")
    store.conversations.save(first.model_copy(update={"notes": "edited while sending"}))  # rev 2
    ledger.record_answers([Answer(sent.seq, "synced")], {sent.seq: sent})
    assert [e.state for e in store.outbox.entries(first.id)] == ["synced", "pending"]
    assert store.sync_state(first.id).state == "pending"
    assert ledger.base_revs([first.id]) == {first.id: 1}
    assert [p.rev for p in ledger.pending(10)] == [2]


def test_a_conflict_on_the_same_field_keeps_both_and_the_person_chooses(store):
    gen = SampleGenerator(seed=6, reference=store.reference)
    record = store.conversations.save(next(gen.conversations(1)))
    ledger = Incoming(store)
    [sent] = ledger.pending(10)
    ledger.record_answers([Answer(sent.seq, "synced")], {sent.seq: sent})  # the hub has rev 1
    store.conversations.save(record.model_copy(update={"notes": "mine"}))  # rev 2, pending
    theirs = hub_copy(record, rev=2, notes="theirs")
    assert ledger.resolve("conversation", record.id, theirs, three_way_merge) == "kept_both"
    assert store.sync_state(record.id).state == "conflict"
    assert ledger.pending(10) == []  # nothing goes out until the person decides
    assert store.conversations.get(record.id).notes == "mine"
    [conflict] = ledger.conflicts()
    assert (conflict.hub_rev, conflict.fields, conflict.hub_record["notes"]) == (2, ["notes"], "theirs")

    ledger.keep(record.id, "theirs")
    assert store.conversations.get(record.id).notes == "theirs"
    [out] = ledger.pending(10)
    assert out.rev == 3  # a new rev on top of the hub's rev 2, so every device follows
    assert ledger.base_revs([record.id]) == {record.id: 2}
    assert ledger.conflicts() == []
