"""Two champions and a coordinator against a real hub: records, edits, deletes and conflicts."""

from __future__ import annotations

import json

import pytest

from champions.store import NotFoundError


def hub_records(hub) -> dict[str, dict]:
    """Every record the hub holds for the org (tombstones too), by id; fails on a duplicate id."""
    out = hub.cli.run("export", "--org", hub.org_id, "--include-deleted", "--kind", "conversation",
                      "--kind", "barrier", "--kind", "outreach_activity")
    records: dict[str, dict] = {}
    for line in out.splitlines():
        if line.strip().startswith("{"):
            body = json.loads(line)
            assert body["id"] not in records, f"duplicate record {body['id']} on the hub"
            records[body["id"]] = body
    return records


def test_records_edits_and_deletes_flow_both_ways(hub, laptops):
    amina, bilal, cora = laptops("Amina"), laptops("Bilal"), laptops("Cora", "coordinator")
    a_recs = [amina.store.conversations.save(r) for r in amina.samples.conversations(3)]
    b_recs = [bilal.store.activities.save(r) for r in bilal.samples.activities(2)]
    assert amina.store.unsynced_count() == 3

    assert amina.sync().accepted == 3
    assert bilal.sync().accepted == 2
    assert amina.store.unsynced_count() == 0
    assert amina.store.sync_state(a_recs[0].id).state == "synced"

    cora.sync()
    assert sorted(cora.store.conversations.ids()) == sorted(r.id for r in a_recs)
    assert cora.store.activities.count() == 2

    # Champions never see each other's records.
    bilal.sync()
    assert bilal.store.conversations.count() == 0

    # The coordinator corrects Amina's record; Amina's laptop gets the correction.
    fixed = cora.store.conversations.get(a_recs[0].id).model_copy(update={"notes": "Corrected by the coordinator"})
    cora.store.conversations.save(fixed)
    assert cora.sync().accepted == 1
    amina.sync()
    mine = amina.store.conversations.get(a_recs[0].id)
    assert mine.notes == "Corrected by the coordinator"
    assert amina.store.sync_state(mine.id).state == "synced"

    # Amina edits and deletes; the coordinator sees both.
    amina.store.conversations.save(mine.model_copy(update={"people_reached": 12}))
    amina.store.conversations.delete(a_recs[1].id)
    assert amina.sync().accepted == 2
    cora.sync()
    assert cora.store.conversations.get(a_recs[0].id).people_reached == 12
    assert cora.store.conversations.get(a_recs[0].id).notes == "Corrected by the coordinator"
    assert cora.store.conversations.get(a_recs[1].id).deleted is True

    on_hub = hub_records(hub)
    assert set(on_hub) == {r.id for r in a_recs} | {r.id for r in b_recs}
    assert on_hub[a_recs[1].id]["deleted"] is True
    assert on_hub[a_recs[0].id]["people_reached"] == 12


def test_different_fields_changed_on_both_sides_merge(hub, laptops):
    amina, cora = laptops("Amina"), laptops("Cora", "coordinator")
    record = amina.store.conversations.save(next(amina.samples.conversations(1)))
    amina.sync()
    cora.sync()
    cora.store.conversations.save(cora.store.conversations.get(record.id).model_copy(update={"notes": "coordinator's note"}))
    cora.sync()
    amina.store.conversations.save(amina.store.conversations.get(record.id).model_copy(update={"people_reached": 40}))

    report = amina.sync()
    assert report.merged == 1 and report.kept_both == 0
    merged = amina.store.conversations.get(record.id)
    assert (merged.notes, merged.people_reached) == ("coordinator's note", 40)
    assert amina.store.unsynced_count() == 0
    cora.sync()
    theirs = cora.store.conversations.get(record.id)
    assert (theirs.notes, theirs.people_reached) == ("coordinator's note", 40)
    assert hub_records(hub)[record.id]["rev"] == merged.rev


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_same_field_conflict_keeps_both_until_the_person_decides(hub, laptops, choice):
    amina, cora = laptops("Amina"), laptops("Cora", "coordinator")
    record = amina.store.conversations.save(next(amina.samples.conversations(1)))
    amina.sync()
    cora.sync()
    cora.store.conversations.save(cora.store.conversations.get(record.id).model_copy(update={"notes": "theirs"}))
    cora.sync()
    amina.store.conversations.save(amina.store.conversations.get(record.id).model_copy(update={"notes": "mine"}))

    report = amina.sync()
    assert report.kept_both == 1
    state = amina.store.sync_state(record.id)
    assert state.state == "conflict"
    assert state.reason == "Changed on the hub too: notes. Choose which version to keep."
    [conflict] = amina.engine.conflicts()
    assert conflict.hub_record["notes"] == "theirs" and conflict.fields == ["notes"]
    assert amina.store.conversations.get(record.id).notes == "mine"  # nothing lost locally
    assert hub_records(hub)[record.id]["notes"] == "theirs"  # nothing overwritten on the hub

    amina.sync()  # a second sync changes nothing until the person decides
    assert amina.store.sync_state(record.id).state == "conflict"

    (amina.engine.keep_mine if choice == "mine" else amina.engine.keep_theirs)(record.id)
    amina.sync()
    assert amina.engine.conflicts() == []
    assert amina.store.sync_state(record.id).state == "synced"
    cora.sync()
    expected = "mine" if choice == "mine" else "theirs"
    assert amina.store.conversations.get(record.id).notes == expected
    assert cora.store.conversations.get(record.id).notes == expected
    assert hub_records(hub)[record.id]["notes"] == expected


def test_an_edit_saved_while_its_batch_is_in_flight_goes_out_later(hub, laptops):
    amina = laptops("Amina")
    record = amina.store.conversations.save(next(amina.samples.conversations(1)))
    client = amina.engine._client_for_identity()
    real_push = client.push_body

    def push_then_edit(request):
        answer = real_push(request)  # the hub has committed rev 1; its answer is on the way
        other = amina.store.reopen()  # the GUI's own connection, saving while the engine syncs
        try:
            other.conversations.save(other.conversations.get(record.id).model_copy(update={"notes": "edited meanwhile"}))
        finally:
            other.close()
        client.push_body = real_push  # type: ignore[method-assign]
        raise_after_edit.append(answer)
        return answer

    raise_after_edit: list = []
    seen_after_answer: list = []
    real_record = amina.engine.ledger.record_answers

    def record_then_look(answers, entries):
        real_record(answers, entries)
        if not seen_after_answer:  # right after rev 1's answer was stored
            seen_after_answer.append(([e.state for e in amina.store.outbox.entries(record.id)],
                                      amina.store.sync_state(record.id).state,
                                      amina.store.conversations.get(record.id).notes))

    amina.engine.ledger.record_answers = record_then_look  # type: ignore[method-assign]
    client.push_body = push_then_edit  # type: ignore[method-assign]
    amina.engine.batch_size = 1
    try:
        first = amina.engine.run_once()
    finally:
        client.push_body = real_push  # type: ignore[method-assign]
    # rev 1's answer did not touch rev 2: still waiting, still the local version
    assert seen_after_answer == [(["synced", "pending"], "pending", "edited meanwhile")]
    # rev 2, saved meanwhile, went out in the same run as a later batch
    assert first.accepted == 2 and len(raise_after_edit) == 1
    assert [e.state for e in amina.store.outbox.entries(record.id)] == ["synced", "synced"]
    local = amina.store.conversations.get(record.id)
    assert local.notes == "edited meanwhile" and local.rev == 2
    assert amina.store.sync_state(record.id).state == "synced"
    assert hub_records(hub)[record.id]["notes"] == "edited meanwhile"


def test_a_refused_record_says_why_and_does_not_block_the_rest(hub, laptops):
    amina = laptops("Amina")
    good = amina.store.conversations.save(next(amina.samples.conversations(1)))
    proposal = next(iter([amina.samples.asset()])).model_copy(update={"status": "active"})
    asset = amina.store.assets.save(proposal)  # a champion cannot publish an asset
    report = amina.sync()
    assert (report.accepted, report.rejected) == (1, 1)
    assert amina.store.sync_state(good.id).state == "synced"
    state = amina.store.sync_state(asset.id)
    assert state.state == "rejected"
    assert state.reason == ("A champion can propose a community asset, and a coordinator publishes it. "
                            "Save it as proposed.")
    assert amina.engine.status().problems == 1
    with pytest.raises(NotFoundError):
        amina.store.conversations.get("nope")


def test_a_coordinator_changes_the_shared_lists_and_every_laptop_follows(hub, laptops):
    amina, cora = laptops("Amina"), laptops("Cora", "coordinator")
    amina.sync()
    cora.sync()
    item = next(i for i in cora.store.reference_items.query() if i.list_name == "neighbourhood")
    renamed = cora.store.reference_items.save(item.model_copy(update={"label": item.label + " (North)"}))
    new = cora.store.reference_items.save(type(item).make("neighbourhood", "new-estate", "New Estate", position=99))
    report = cora.sync()
    assert (report.accepted, report.kept_both, report.merged) == (2, 0, 0)  # based on the hub's seeded rev 0

    amina.sync()
    assert amina.store.reference_items.get(item.id).label == renamed.label
    assert amina.store.reference.knows("neighbourhood", "new-estate")
    assert amina.store.unsynced_count() == 0  # incoming records never queue anything
    # and a champion can now log a conversation there
    record = next(amina.samples.conversations(1)).model_copy(update={"neighbourhood": "new-estate"})
    amina.store.conversations.save(record)
    assert amina.sync().accepted == 1
    assert new.id in {i.id for i in amina.store.reference_items.query()}


def test_signing_out_forgets_the_token_and_keeps_every_record(hub, laptops, memory_keyring):
    from champions.sync.enrolment import current_identity, sign_out
    from champions.sync.errors import NotEnrolled

    amina = laptops("Amina")
    saved = [amina.store.conversations.save(r) for r in amina.samples.conversations(2)]
    sign_out(amina.store)
    assert memory_keyring.secrets == {}
    assert current_identity(amina.store) is None
    assert sorted(amina.store.conversations.ids()) == sorted(r.id for r in saved)
    assert amina.store.unsynced_count() == 2
    with pytest.raises(NotEnrolled, match="not connected to a hub yet"):
        amina.sync()


def test_a_coordinator_deletes_a_champions_record_and_the_deletion_reaches_the_champion(hub, laptops):
    amina, cora = laptops("Amina"), laptops("Cora", "coordinator")
    kept, gone = [amina.store.conversations.save(r) for r in amina.samples.conversations(2)]
    activity = amina.store.activities.save(next(amina.samples.activities(1)))
    amina.sync()
    cora.sync()
    assert cora.store.conversations.get(gone.id).deleted is False

    cora.store.conversations.delete(gone.id)  # e.g. entered twice by mistake
    cora.store.activities.delete(activity.id)
    assert cora.sync().accepted == 2
    on_hub = hub_records(hub)
    assert on_hub[gone.id]["deleted"] is True and on_hub[activity.id]["deleted"] is True

    report = amina.sync()
    assert report.pulled == 2
    mine = amina.store.conversations.get(gone.id)
    assert mine.deleted is True and mine.rev == on_hub[gone.id]["rev"]
    assert amina.store.conversations.ids() == [kept.id]  # gone from her list, the other one stays
    assert amina.store.activities.get(activity.id).deleted is True and amina.store.activities.count() == 0
    assert amina.store.sync_state(gone.id).state == "synced" and amina.store.unsynced_count() == 0

    amina.sync()  # and it stays deleted: her laptop does not send the old version back
    assert hub_records(hub)[gone.id]["deleted"] is True
    assert amina.store.conversations.get(gone.id).deleted is True
