"""store.reviews: a review is found by its record and its champion, on a real encrypted file."""

from __future__ import annotations

from champions.domain import Review, ReviewNote
from champions.domain.samples import SampleGenerator
from champions.store import Query, Store


def test_reviews_are_found_by_record_and_by_champion(store: Store) -> None:
    amina = SampleGenerator(seed=1, reference=store.reference, author_id="amina")
    bilal = SampleGenerator(seed=2, reference=store.reference, author_id="bilal")
    talks = [store.conversations.save(c) for c in amina.conversations(3)]
    heard = store.barriers.save(bilal.barrier())
    asked = store.reviews.save(Review.of(talks[0], "queried", ReviewNote(note_kind="query", text="Which pharmacy?")))
    fine = store.reviews.save(Review.of(talks[1], "reviewed"))
    theirs = store.reviews.save(Review.of(heard, "queried", ReviewNote(note_kind="query", text="Where was the stall?")))
    assert store.reviews.for_subjects([t.id for t in talks] + [heard.id, "not-here"]) == {
        talks[0].id: asked, talks[1].id: fine, heard.id: theirs}
    assert store.reviews.of_champion("amina") == [fine, asked]  # newest first
    assert store.reviews.of_champion("amina", "queried") == [asked]
    assert store.reviews.of_champion("bilal", "queried") == [theirs]
    # the champion answers by editing: the review's record moves on, the review does not
    store.conversations.save(talks[0].model_copy(update={"notes": "Boots, Grange Road"}))
    assert store.reviews.current_revs([asked, fine, theirs]) == {talks[0].id: 2, talks[1].id: 1, heard.id: 1}
    # withdrawn: gone from the look-ups, still readable as a tombstone the hub must see
    store.reviews.delete(fine.id)
    assert talks[1].id not in store.reviews.for_subjects([talks[1].id])
    assert store.reviews.for_subject(talks[1].id).deleted  # type: ignore[union-attr]
    assert store.sync_state(fine.id).state == "pending"
    assert store.reviews.count(Query(text="stall")) == 1
