"""The Review record of docs/design/review.md: its id, its thread, and every problem in a coordinator's words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from champions.domain import RECORD_TYPES, Conversation, Problem, Review, ReviewNote, explain, review_id, stable_id

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=timezone.utc)


def problems(data: dict) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        Review.model_validate(data, context={"now": NOW})
    return explain(caught.value, Review)


def valid(**overrides: object) -> dict:
    data: dict = {"subject_kind": "conversation", "subject_id": "conv-1", "subject_author_id": "amina",
                  "state": "queried", "subject_rev": 2,
                  "notes": [{"note_kind": "query", "text": "Which pharmacy did you signpost to?", "written_at": NOW}]}
    data.update(overrides)
    return data


def test_the_id_is_the_same_on_every_device_and_is_checked() -> None:
    review = Review.model_validate(valid(), context={"now": NOW})
    assert review.id == review_id("conv-1") == stable_id("review", "conv-1")
    assert Review.model_validate(valid(), context={"now": NOW}).id == review.id
    assert problems(valid(id="7f000000-0000-7000-8000-000000000000")) == [
        Problem("subject_id", "Record", "This review's id does not belong to its record; this is a fault in the app, please report it."),
    ]


def test_of_reviews_a_record_at_its_current_rev() -> None:
    talk = Conversation(neighbourhood="birkenhead", setting="market", author_id="amina", rev=3)
    review = Review.of(talk, "reviewed")
    assert (review.id, review.subject_kind, review.subject_id, review.subject_author_id, review.subject_rev, review.notes) == (
        review_id(talk.id), "conversation", talk.id, "amina", 3, [])
    assert RECORD_TYPES["review"] is Review


def test_every_problem_in_plain_words() -> None:
    data = valid(
        subject_kind="community_asset", subject_id="", state="done", subject_rev=-1,
        notes=[{"note_kind": "query", "text": "  "}, {"note_kind": "reply", "text": ""}, {"note_kind": "note", "text": ""},
               {"note_kind": "shout", "text": "x" * 2001, "written_at": NOW + timedelta(hours=1)}],
    )
    assert problems(data) == [
        Problem("subject_kind", "Kind of record", "Kind of record: choose one of the options."),
        Problem("subject_id", "Record", "Choose the record you are reviewing."),
        Problem("state", "Review", "Review: choose one of the options."),
        Problem("subject_rev", "Version looked at", "Version looked at: enter 0 or more."),
        Problem("notes.0.text", "Comment", "Write what you would like the champion to check."),
        Problem("notes.1.text", "Comment", "Write your reply to the coordinator."),
        Problem("notes.2.text", "Comment", "Write the note, or leave it out."),
        Problem("notes.3.written_at", "Written", "The time of the comment is in the future. Check the date and time."),
        Problem("notes.3.note_kind", "Kind of note", "Kind of note: choose one of the options."),
        Problem("notes.3.text", "Comment", "Comment is too long: keep it under 2000 characters."),
    ]


def test_a_query_needs_something_to_check() -> None:
    assert problems(valid(notes=[])) == [Problem("notes", "Comments", "Write what you would like the champion to check.")]
    assert problems(valid(notes=[{"note_kind": "note", "text": "Looks fine"}])) == [
        Problem("notes", "Comments", "Write what you would like the champion to check.")]
    assert Review.model_validate(valid(state="reviewed", notes=[]), context={"now": NOW}).notes == []


def test_missing_fields_are_named() -> None:
    assert problems({"subject_id": "conv-1"}) == [
        Problem("subject_kind", "Kind of record", "Kind of record: please fill this in."),
        Problem("state", "Review", "Review: please fill this in."),
        Problem("subject_rev", "Version looked at", "Version looked at: please fill this in."),
    ]


def test_the_thread_is_kept_oldest_first_and_a_note_twice_is_refused() -> None:
    later = {"id": "n2", "note_kind": "reply", "text": "Boots on Grange Road", "written_at": NOW}
    earlier = {"id": "n1", "note_kind": "query", "text": "Which pharmacy?", "written_at": NOW - timedelta(days=1)}
    review = Review.model_validate(valid(notes=[later, earlier]), context={"now": NOW})
    assert [n.id for n in review.notes] == ["n1", "n2"]
    assert problems(valid(notes=[earlier, earlier])) == [
        Problem("notes", "Comments", "A comment appears twice; this is a fault in the app, please report it.")]


def test_unknown_fields_are_refused() -> None:
    assert problems(valid(comment="x")) == [Problem("comment", "comment", "comment is not something Champions records.")]


notes = st.lists(st.builds(ReviewNote, note_kind=st.sampled_from(["query", "reply", "note"]),
                           text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
                           .map(str.strip).filter(bool),
                           written_at=st.datetimes(timezones=st.just(timezone.utc), max_value=datetime(2026, 1, 1)),
                           author_id=st.none() | st.just("cora")), max_size=4)


@settings(max_examples=100, deadline=None)
@given(notes, st.sampled_from(["reviewed", "queried"]), st.integers(0, 1000), st.booleans())
def test_json_round_trip_is_lossless(thread, state, rev, deleted) -> None:  # type: ignore[no-untyped-def]
    if state == "queried" and not any(n.note_kind == "query" for n in thread):
        thread = [*thread, ReviewNote(note_kind="query", text="Please check the date")]
    review = Review.model_validate({"subject_kind": "barrier", "subject_id": "b-1", "state": state, "subject_rev": rev,
                                    "deleted": deleted, "notes": [n.model_dump() for n in thread]})
    assert Review.model_validate_json(review.model_dump_json()) == review
