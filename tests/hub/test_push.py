"""Push: idempotent by (id, rev), one answer per change, conflicts keep both versions, limits."""

from __future__ import annotations

import gzip
import json
import random
import threading
import uuid
from collections import Counter

import pytest
import requests
import sqlalchemy as sa

from champions.domain import CommunityAsset, ReferenceItem
from champions.hub.schema import conflicts, record_revisions, records
from champions.sync import protocol as p

from .conftest import change

UNKNOWN_NEIGHBOURHOOD = "“atlantis” is not on the neighbourhoods list. Choose one from the list, or ask your coordinator to add it."
TOO_LARGE = "The batch is too large: send at most 1,000 changes and 5 MB at a time."


def statuses(reply: p.PushResponse) -> list[str]:
    return [r.status for r in reply.results]


def stored(db, org_id: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        revs = conn.execute(sa.select(sa.func.count()).select_from(record_revisions).where(record_revisions.c.org_id == org_id)).scalar()
        current = conn.execute(sa.select(sa.func.count()).select_from(records).where(records.c.org_id == org_id)).scalar()
    return revs, current


def test_hub_sets_org_author_and_device(org, samples) -> None:  # type: ignore[no-untyped-def]
    talk = samples.conversation()
    sent = change(talk, org_id="someone-else", author_id="an-impostor", device_id="a-fake-device")
    assert statuses(org.amina.push([sent])) == ["accepted"]
    got, _ = org.coordinator.pull_all()
    record = next(r.record for r in got if r.id == talk.id)
    assert (record["org_id"], record["author_id"], record["device_id"]) == (org.id, org.amina.person_id, org.amina.enrolment.device_id)
    assert record["neighbourhood"] == talk.neighbourhood and record["rev"] == 0


def test_retried_batch_and_repeated_change_never_duplicate(org, samples, db) -> None:  # type: ignore[no-untyped-def]
    talks = [samples.conversation() for _ in range(5)]
    batch = [change(t, rev=1) for t in talks]
    before = stored(db, org.id)
    first = org.amina.push(batch, batch_id="batch-1")
    assert first.batch_id == "batch-1" and statuses(first) == ["accepted"] * 5
    assert statuses(org.amina.push(batch, batch_id="batch-1")) == ["duplicate"] * 5
    twice = org.amina.push([change(talks[0], rev=2, base_rev=1, notes="Edited")] * 2)
    assert statuses(twice) == ["accepted", "duplicate"]
    assert stored(db, org.id) == (before[0] + 6, before[1] + 5)
    with db.connect() as conn:
        revs = conn.execute(sa.select(record_revisions.c.record_id, record_revisions.c.rev)
                            .where(record_revisions.c.org_id == org.id, record_revisions.c.record_id.in_([t.id for t in talks]))).all()
    assert sorted(Counter(revs).values()) == [1] * 6


def test_twenty_threads_pushing_overlapping_batches(org, samples, db) -> None:  # type: ignore[no-untyped-def]
    """Ten pairs of threads, each pair sending the very same batch at the same moment, then again
    as a retry after a lost answer; batches overlap (the same records at the same revs) and
    repeat a change within themselves. Each record ends exactly once, at its highest rev."""
    devices = [org.amina, org.bilal]
    plans = {d.person_id: [samples.conversation() for _ in range(15)] for d in devices}
    revs = 4
    pairs = 10
    bodies: list[tuple[object, bytes]] = []  # per pair: the device and the exact bytes both threads send
    for k in range(pairs):
        device = devices[k % 2]
        chosen = random.Random(k).sample(plans[device.person_id], k=8)
        batch = [change(t, rev=r, base_rev=r - 1 if r else None, notes=f"rev {r}") for t in chosen for r in range(revs)]
        batch.insert(3, batch[0])  # the same change twice in one batch
        bodies.append((device, json.dumps({"batch_id": f"pair-{k}", "changes": batch}).encode()))
    errors: list[str] = []
    replies: list[tuple[int, list[dict]]] = []
    lock = threading.Lock()
    together = threading.Barrier(2 * pairs)

    def worker(n: int) -> None:
        device, body = bodies[n // 2]
        together.wait(30)  # every thread sends at once; the two of a pair send identical bytes
        for _attempt in range(2):  # the retry, as after a lost answer: same batch id, same bytes
            try:
                reply = device.post("/v1/push", data=body, headers={"Content-Type": "application/json"})  # type: ignore[attr-defined]
            except requests.RequestException as exc:
                errors.append(repr(exc))
                continue
            if reply.status_code != 200:
                errors.append(f"{reply.status_code} {reply.text[:200]}")
                continue
            with lock:
                replies.append((n // 2, reply.json()["results"]))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2 * pairs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == [] and len(replies) == 4 * pairs
    answers = Counter(r["status"] for _, results in replies for r in results)
    assert set(answers) == {"accepted", "duplicate"}, answers
    # Of the four sends of each batch, each (id, rev) was accepted at most once, and never in two batches.
    accepted = Counter((r["id"], r["rev"]) for _, results in replies for r in results if r["status"] == "accepted")
    assert set(accepted.values()) == {1}
    pushed = {t.id for plan in plans.values() for t in plan}
    sent = {(c["id"], c["rev"]) for _, body in bodies for c in json.loads(body)["changes"]}
    with db.connect() as conn:
        current = conn.execute(sa.select(records.c.id, records.c.rev, records.c.body)
                               .where(records.c.org_id == org.id, records.c.id.in_(pushed))).all()
        history = conn.execute(sa.select(record_revisions.c.record_id, record_revisions.c.rev)
                               .where(record_revisions.c.org_id == org.id, record_revisions.c.record_id.in_(pushed))).all()
    touched = {record_id for record_id, _ in sent}
    assert sorted(i for i, _, _ in current) == sorted(touched)  # exactly one row per record sent, none lost
    assert all(rev == revs - 1 and json.loads(body)["notes"] == f"rev {revs - 1}" for _, rev, body in current)
    assert sorted(Counter(history).values()) == [1] * len(sent) and set(history) == sent == set(accepted)
    got, _ = org.coordinator.pull_all()
    pulled = Counter(r.id for r in got if r.id in pushed)
    assert set(pulled) == touched and set(pulled.values()) == {1}
    assert all(r.rev == revs - 1 and r.record["notes"] == f"rev {revs - 1}" for r in got if r.id in pushed)


def test_conflict_keeps_both_versions(org, samples, db) -> None:  # type: ignore[no-untyped-def]
    talk = samples.conversation()
    assert statuses(org.amina.push([change(talk, rev=1)])) == ["accepted"]
    # The coordinator corrects it while Amina, offline, edits her copy too.
    assert statuses(org.coordinator.push([change(talk, rev=2, base_rev=1, notes="Corrected by Cora")])) == ["accepted"]
    mine = change(talk, rev=2, base_rev=1, notes="Amina's own edit")
    answer = org.amina.push([mine])
    result = answer.results[0]
    assert result.status == "conflict"
    assert result.reason == "Someone else changed this record on the hub since this device last had it. Both versions are kept."
    assert result.hub_record is not None and result.hub_record["notes"] == "Corrected by Cora" and result.hub_record["rev"] == 2
    assert result.hub_record["author_id"] == org.amina.person_id  # still Amina's record
    assert statuses(org.amina.push([mine])) == ["conflict"]  # a retry keeps one copy
    with db.connect() as conn:
        kept = conn.execute(sa.select(conflicts.c.body, conflicts.c.device_id).where(conflicts.c.record_id == talk.id)).all()
    assert len(kept) == 1 and json.loads(kept[0].body)["notes"] == "Amina's own edit"
    assert kept[0].device_id == org.amina.enrolment.device_id
    # Amina merges and builds on the hub's version.
    assert statuses(org.amina.push([change(talk, rev=3, base_rev=2, notes="Corrected by Cora; Amina's own edit")])) == ["accepted"]
    got, _ = org.amina.pull_all()
    assert [r.record["notes"] for r in got if r.id == talk.id] == ["Corrected by Cora; Amina's own edit"]


def test_a_stale_edit_without_base_is_a_conflict(org, samples) -> None:  # type: ignore[no-untyped-def]
    talk = samples.conversation()
    assert statuses(org.amina.push([change(talk, rev=1)])) == ["accepted"]
    assert statuses(org.coordinator.push([change(talk, rev=5, notes="no base given")])) == ["conflict"]


def test_bad_change_is_rejected_with_a_reason_and_the_rest_accepted(org, samples) -> None:  # type: ignore[no-untyped-def]
    good1, bad, good2 = samples.conversation(), samples.conversation(), samples.conversation()
    unknown_field = samples.barrier()
    broken = {"kind": "conversation", "id": "c-broken", "rev": "three", "record": {}}
    batch = [change(good1), change(bad, neighbourhood="atlantis"), broken,
             change(unknown_field, favourite_colour="blue"), change(good2)]
    answer = org.amina.push(batch)
    assert statuses(answer) == ["accepted", "rejected", "rejected", "rejected", "accepted"]
    rejected = answer.results[1]
    assert rejected.reason == UNKNOWN_NEIGHBOURHOOD
    assert rejected.problems == [p.FieldProblem(field="neighbourhood", message=UNKNOWN_NEIGHBOURHOOD)]
    assert answer.results[2].id == "c-broken"
    assert answer.results[2].reason == ("Change 2 is not in the form the hub expects: rev: "
                                        "Input should be a valid integer, unable to parse string as an integer.")
    assert answer.results[3].reason == "favourite_colour is not something Champions records."
    got, _ = org.coordinator.pull_all()
    ids = {r.id for r in got}
    assert good1.id in ids and good2.id in ids and bad.id not in ids and unknown_field.id not in ids


def test_what_a_champion_may_write(org, samples) -> None:  # type: ignore[no-untyped-def]
    bilals = samples.conversation()
    assert statuses(org.bilal.push([change(bilals, rev=1)])) == ["accepted"]
    answer = org.amina.push([
        change(bilals, rev=2, base_rev=1, notes="not mine"),
        change(ReferenceItem.make("neighbourhood", "new-town", "New Town"), rev=1),
        change(samples.asset(0), rev=1, status="active"),
    ])
    assert [(r.status, r.reason) for r in answer.results] == [
        ("rejected", "You can only change records you wrote. Ask your coordinator to correct this one."),
        ("rejected", "Only a coordinator can change the shared lists. Ask your coordinator to add or change this item."),
        ("rejected", "A champion can propose a community asset, and a coordinator publishes it. Save it as proposed."),
    ]
    proposed = CommunityAsset(name="Mosque women's group", status="proposed")
    assert statuses(org.amina.push([change(proposed, rev=1)])) == ["accepted"]
    assert statuses(org.amina.push([change(proposed, rev=2, base_rev=1, description="Tuesdays")])) == ["accepted"]
    assert statuses(org.coordinator.push([change(proposed, rev=3, base_rev=2, description="Tuesdays", status="active")])) == ["accepted"]
    late = org.amina.push([change(proposed, rev=4, base_rev=3, description="Wednesdays", status="proposed")])
    assert late.results[0].reason == "This community asset has been published; only a coordinator can change it now."


def test_coordinator_extends_a_list_and_uses_it_in_the_same_batch(org, samples) -> None:  # type: ignore[no-untyped-def]
    item = ReferenceItem.make("neighbourhood", f"nt-{uuid.uuid4().hex[:6]}", "New Town", postcodes=["CH99"])
    talk = samples.conversation().model_copy(update={"neighbourhood": item.code})
    assert statuses(org.coordinator.push([change(item, rev=1), change(talk)])) == ["accepted", "accepted"]
    later = samples.conversation().model_copy(update={"neighbourhood": item.code})
    assert statuses(org.amina.push([change(later)])) == ["accepted"]
    got, _ = org.amina.pull_all()
    assert item.id in {r.id for r in got}


def test_limits_are_answered_with_413(org, samples, db) -> None:  # type: ignore[no-untyped-def]
    before = stored(db, org.id)
    talk = change(samples.conversation())
    many = org.amina.post("/v1/push", json={"batch_id": "big", "changes": [talk] * 1001})
    assert many.status_code == 413
    assert many.json() == {"code": "batch_too_large", "message": TOO_LARGE}
    huge = dict(talk, record=dict(talk["record"], notes="x" * (6 * 1024 * 1024)))
    big = org.amina.post("/v1/push", json={"batch_id": "big", "changes": [huge]})
    assert big.status_code == 413 and big.json()["message"] == TOO_LARGE
    bomb = gzip.compress(json.dumps({"batch_id": "bomb", "changes": [huge]}).encode())
    assert len(bomb) < 100_000
    zipped = org.amina.post("/v1/push", data=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
    assert zipped.status_code == 413 and zipped.json()["message"] == TOO_LARGE
    assert stored(db, org.id) == before


def test_gzip_bodies_are_accepted(org, samples) -> None:  # type: ignore[no-untyped-def]
    batch = {"batch_id": "zipped", "changes": [change(samples.conversation()) for _ in range(50)]}
    body = gzip.compress(json.dumps(batch).encode())
    reply = org.amina.post("/v1/push", data=body, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
    assert reply.status_code == 200, reply.text
    assert {r["status"] for r in reply.json()["results"]} == {"accepted"}
    broken = org.amina.post("/v1/push", data=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    assert broken.status_code == 400
    assert broken.json()["message"] == "The request body says it is gzip-compressed but it is not valid gzip."


@pytest.mark.parametrize(("body", "status", "message"), [
    (b'{"batch_id": "x", "changes": [', 400, "The request body is not valid JSON."),
    (b'{"batch_id": "x", "changes": "\xff\xfe"}', 400, "The request body is not valid UTF-8 text."),
    (b'{"batch_id": 5, "changes": []}', 422, "The request is not in the form the hub expects: batch_id: Input should be a valid string."),
    (b'{"batch_id": "x", "changes": "all of them"}', 422, "The request is not in the form the hub expects: changes: Input should be a valid list."),
    (b'{"batch_id": "x", "changes": [], "extra": 1}', 422, "The request is not in the form the hub expects: extra: is not a field the hub knows."),
    (b'[1, 2, 3]', 422, "The request is not in the form the hub expects: Input should be a valid dictionary or instance of _Envelope."),
])
def test_bad_input_gets_a_4xx_with_a_message_and_changes_nothing(org, db, body, status, message) -> None:  # type: ignore[no-untyped-def]
    before = stored(db, org.id)
    reply = org.amina.post("/v1/push", data=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == status
    assert reply.json()["message"] == message
    assert stored(db, org.id) == before


def test_a_ten_megabyte_string_anywhere_is_refused(hub, org) -> None:  # type: ignore[no-untyped-def]
    huge = "x" * (10 * 1024 * 1024)
    enrol = requests.post(hub.url("/v1/enrol"), json={"code": huge}, timeout=60)
    assert enrol.status_code == 413 and enrol.json()["code"] == "batch_too_large"
    push = org.amina.post("/v1/push", json={"batch_id": huge, "changes": []})
    assert push.status_code == 413
    pull = org.amina.get("/v1/pull", params={"since": "9" * 5000})
    assert pull.status_code == 422 and pull.json()["code"] == "invalid_request"
