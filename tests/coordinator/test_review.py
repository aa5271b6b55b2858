"""The derived review state of docs/design/review.md, and its use by the Submissions filter."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from champions.coordinator import FactContext, ReportFilter, build_facts
from champions.coordinator.review import current_revs, derive_review_state, review_states

from .builders import conv


@dataclass
class FakeReviewRecord:
    """The proposed Review record's fields; the domain does not have the kind yet."""

    subject_id: str
    state: str
    subject_rev: int
    deleted: bool = False


@pytest.mark.parametrize(("state", "looked_at", "now", "expected"), [
    ("reviewed", 2, 2, "reviewed"),
    ("reviewed", 2, 3, "unreviewed"),  # edited since: needs a fresh look
    ("queried", 2, 2, "queried"),
    ("queried", 2, 3, "answered"),     # the champion answered by editing
])
def test_state_follows_the_records_revision(state, looked_at, now, expected) -> None:
    assert derive_review_state(FakeReviewRecord("r1", state, looked_at), now) == expected


def test_no_review_or_a_deleted_one_is_unreviewed() -> None:
    assert derive_review_state(None, 5) == "unreviewed"
    assert derive_review_state(FakeReviewRecord("r1", "reviewed", 5, deleted=True), 5) == "unreviewed"


def test_an_unknown_state_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown review state 'lost'"):
        derive_review_state(FakeReviewRecord("r1", "lost", 1), 1)


def test_the_submissions_filter_uses_the_derived_states(ref) -> None:
    a = conv("2026-03-02T10:00").model_copy(update={"rev": 1})
    b = conv("2026-03-03T10:00").model_copy(update={"rev": 3})
    c = conv("2026-03-04T10:00").model_copy(update={"rev": 1})
    reviews = [FakeReviewRecord(a.id, "reviewed", 1), FakeReviewRecord(b.id, "queried", 2),
               FakeReviewRecord("not-on-this-device", "queried", 1)]
    states = review_states(reviews, current_revs([a, b, c]))
    assert states == {a.id: "reviewed", b.id: "answered"}
    facts = build_facts([a, b, c], FactContext(ref, review_states=states))
    assert [f.id for f in ReportFilter.make(review_states=["answered"]).apply(facts)] == [b.id]
    assert [f.id for f in ReportFilter.make(review_states=["unreviewed"]).apply(facts)] == [c.id]
