"""The desk takes review states from the store's real reviews: the Submissions filter, the dashboard's
counts and the exports' Review column follow a query, its answer (an edit) and a mark."""

from __future__ import annotations

import csv
from datetime import datetime, timezone

from champions.coordinator import ReportFilter
from champions.coordinator.desk import Desk
from champions.domain import Review, ReviewNote
from champions.domain.samples import SampleGenerator

NOW = datetime(2026, 3, 20, tzinfo=timezone.utc)


def test_review_states_come_from_the_stores_reviews(tmp_path, open_store, ref) -> None:  # type: ignore[no-untyped-def]
    store = open_store()
    gen = SampleGenerator(seed=3, reference=ref, now=NOW, author_id="amina", org_id="org-1")
    talks = [store.conversations.save(c) for c in gen.conversations(6)]
    heard = store.barriers.save(gen.barrier())
    query = ReviewNote(note_kind="query", text="Which pharmacy did you signpost to?")
    store.reviews.save(Review.of(talks[0], "queried", query))            # waiting for the champion
    store.reviews.save(Review.of(talks[1], "queried", query.model_copy(update={"id": "q2"})))
    store.conversations.save(talks[1].model_copy(update={"notes": "Boots on Grange Road"}))  # ... answered
    store.reviews.save(Review.of(talks[2], "reviewed"))                  # reviewed
    store.reviews.save(Review.of(talks[3], "reviewed"))
    store.conversations.save(talks[3].model_copy(update={"notes": "changed after the review"}))  # needs a fresh look
    store.reviews.delete(store.reviews.save(Review.of(talks[4], "reviewed")).id)  # withdrawn
    store.reviews.save(Review.of(heard, "reviewed"))

    desk = Desk.load(store)
    assert dict(desk.review_states) == {talks[0].id: "queried", talks[1].id: "answered", talks[2].id: "reviewed",
                                        talks[3].id: "unreviewed", heard.id: "reviewed"}
    assert desk.review_of(talks[0].id).notes[0].text == "Which pharmacy did you signpost to?"  # type: ignore[union-attr]
    assert desk.review_of(talks[4].id) is None

    def kept(*states: str) -> set[str]:
        return {f.id for f in desk.submissions(ReportFilter.make(review_states=list(states)))}

    assert kept("queried") == {talks[0].id}
    assert kept("answered") == {talks[1].id}
    assert kept("reviewed") == {talks[2].id, heard.id}
    assert kept("unreviewed") == {talks[3].id, talks[4].id, talks[5].id}
    assert desk.dashboard(ReportFilter.make(review_states=["reviewed"])).headline.conversations == 1

    desk.export_csv(tmp_path / "c.csv", "conversations", ReportFilter())
    with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as handle:
        column = {row["Record id"]: row["Review"] for row in csv.DictReader(handle)}
    assert column == {talks[0].id: "Query sent", talks[1].id: "Query answered", talks[2].id: "Reviewed",
                      talks[3].id: "Not reviewed", talks[4].id: "Not reviewed", talks[5].id: "Not reviewed"}
