"""The review flow of docs/design/review.md over a real hub and real sync clients: a coordinator
queries a champion's conversation, the champion sees the query after a sync and answers by editing,
the coordinator sees "answered", marks it reviewed; the champion cannot change the review itself,
and another champion never receives it."""

from __future__ import annotations

import json

from champions.coordinator.desk import Desk
from champions.coordinator.review import derive_review_state
from champions.domain import Review, ReviewNote, review_id
from champions.hub import records as hub_records


def hub_review(hub, record_id: str) -> dict:  # type: ignore[no-untyped-def]
    out = hub.cli.run("export", "--org", hub.org_id, "--kind", "review")
    found = [json.loads(line) for line in out.splitlines() if line.strip().startswith("{")]
    [review] = [r for r in found if r["id"] == record_id]
    return review


def test_query_answer_and_mark_reviewed(hub, laptops) -> None:  # type: ignore[no-untyped-def]
    amina, bilal, cora = laptops("Amina"), laptops("Bilal"), laptops("Cora", "coordinator")
    talk = amina.store.conversations.save(next(amina.samples.conversations(1)))
    bilal.store.conversations.save(next(bilal.samples.conversations(1)))
    assert amina.sync().accepted == 1 and bilal.sync().accepted == 1
    cora.sync()

    # The coordinator sends a query about Amina's conversation.
    seen = cora.store.conversations.get(talk.id)
    asked = cora.store.reviews.save(Review.of(seen, "queried", ReviewNote(note_kind="query", text="Which pharmacy did you signpost to?")))
    assert asked.id == review_id(talk.id) and asked.subject_author_id == amina.identity.person_id
    assert cora.sync().accepted == 1
    assert Desk.load(cora.store).review_states[talk.id] == "queried"

    # Amina's next sync brings the query; Bilal's never does.
    amina.sync()
    [query] = amina.store.reviews.of_champion(amina.identity.person_id, "queried")
    assert (query.id, query.subject_id, [n.text for n in query.notes]) == (
        asked.id, talk.id, ["Which pharmacy did you signpost to?"])
    assert query.notes[0].author_id == cora.identity.person_id  # set by the hub
    assert derive_review_state(query, amina.store.conversations.get(talk.id).rev) == "queried"
    bilal.sync()
    assert bilal.store.reviews.count() == 0

    # She answers by editing the conversation, and adds a short reply.
    mine = amina.store.conversations.get(talk.id)
    amina.store.conversations.save(mine.model_copy(update={"signposted_to": [], "notes": "Signposted to Boots on Grange Road"}))
    amina.store.reviews.save(query.model_copy(update={
        "notes": [*query.notes, ReviewNote(note_kind="reply", text="Boots on Grange Road, I have added it")]}))
    assert amina.sync().accepted == 2

    # The coordinator sees the query answered, with her reply.
    cora.sync()
    review = cora.store.reviews.for_subject(talk.id)
    assert review is not None
    assert derive_review_state(review, cora.store.conversations.get(talk.id).rev) == "answered"
    assert [(n.note_kind, n.author_id) for n in review.notes] == [
        ("query", cora.identity.person_id), ("reply", amina.identity.person_id)]
    desk = Desk.load(cora.store)
    assert desk.review_states[talk.id] == "answered"
    assert cora.store.conversations.get(talk.id).notes == "Signposted to Boots on Grange Road"

    # ... and marks it reviewed at the version she looked at.
    current = cora.store.conversations.get(talk.id)
    cora.store.reviews.save(review.model_copy(update={"state": "reviewed", "subject_rev": current.rev}))
    assert cora.sync().accepted == 1
    assert Desk.load(cora.store).review_states[talk.id] == "reviewed"
    assert hub_review(hub, asked.id)["state"] == "reviewed"

    # Amina tries to put it back to "queried": refused, with the reason, and the hub keeps the coordinator's mark.
    amina.sync()
    hers = amina.store.reviews.get(asked.id)
    assert hers.state == "reviewed"
    amina.store.reviews.save(hers.model_copy(update={"state": "queried"}))
    report = amina.sync()
    assert report.rejected == 1
    state = amina.store.sync_state(asked.id)
    assert (state.state, state.reason) == ("rejected", hub_records.REVIEW_REPLY_ONLY.format(fields="state"))
    on_hub = hub_review(hub, asked.id)
    assert (on_hub["state"], on_hub["subject_author_id"]) == ("reviewed", amina.identity.person_id)
    cora.sync()
    assert Desk.load(cora.store).review_states[talk.id] == "reviewed"
    bilal.sync()
    assert bilal.store.reviews.count() == 0


def test_a_reply_and_a_second_query_at_once_both_reach_everyone(hub, laptops) -> None:  # type: ignore[no-untyped-def]
    amina, cora = laptops("Amina"), laptops("Cora", "coordinator")
    talk = amina.store.conversations.save(next(amina.samples.conversations(1)))
    amina.sync()
    cora.sync()
    first = cora.store.reviews.save(Review.of(cora.store.conversations.get(talk.id), "queried",
                                              ReviewNote(note_kind="query", text="Which pharmacy?")))
    cora.sync()
    amina.sync()
    # Meanwhile the coordinator asks again, and Amina replies to the first query without having synced.
    again = cora.store.reviews.get(first.id)
    cora.store.reviews.save(again.model_copy(update={"notes": [*again.notes, ReviewNote(note_kind="query", text="And when?")]}))
    assert cora.sync().accepted == 1
    hers = amina.store.reviews.get(first.id)
    amina.store.reviews.save(hers.model_copy(update={"notes": [*hers.notes, ReviewNote(note_kind="reply", text="Boots")]}))
    report = amina.sync()
    assert (report.merged, report.kept_both, report.rejected) == (1, 0, 0)
    assert amina.store.unsynced_count() == 0
    cora.sync()
    texts = [n.text for n in cora.store.reviews.get(first.id).notes]
    assert texts == ["Which pharmacy?", "And when?", "Boots"]
    assert [n.text for n in amina.store.reviews.get(first.id).notes] == texts
    assert [n["text"] for n in hub_review(hub, first.id)["notes"]] == texts
