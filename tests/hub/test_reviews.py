"""Reviews on a real hub (SQLite and PostgreSQL): who may write what, who pulls what (docs/design/review.md).

Coordinators create and change any review of their organisation; the hub takes the champion of a
review from its own copy of the reviewed record, and each note's author from the device that first
sent it. A champion only adds replies to reviews of their own records; anything else is refused
with the reason, and only they (and the coordinators) ever pull those reviews.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from champions.domain import Conversation, Review, ReviewNote, review_id
from champions.hub import records as hub_records
from champions.hub.schema import records
from champions.sync import protocol as p
from champions.sync.merge import three_way_merge

from .conftest import Org, change


def note(kind: str, text: str, **fields: object) -> ReviewNote:
    return ReviewNote(note_kind=kind, text=text, **fields)  # type: ignore[arg-type]


def one(device, sent: dict) -> p.ChangeResult:  # type: ignore[no-untyped-def]
    [result] = device.push([sent]).results
    return result


def hub_version(device, record_id: str) -> dict:  # type: ignore[no-untyped-def]
    got, _ = device.pull_all()
    return next(r.record for r in got if r.id == record_id)


@pytest.fixture
def queried(org: Org, samples) -> tuple[Conversation, dict]:  # type: ignore[no-untyped-def]
    """Amina's conversation on the hub, and the coordinator's query about it as the hub keeps it."""
    talk = samples.conversation()
    assert one(org.amina, change(talk)).status == "accepted"
    query = Review.of(talk, "queried", note("query", "Which pharmacy did you signpost to?"),
                      subject_author_id="someone-made-up")
    result = one(org.coordinator, change(query))
    assert result.status == "accepted", result
    return talk, hub_version(org.coordinator, query.id)


def reply_to(hub_body: dict, text: str = "Boots on Grange Road", kind: str = "reply", **changes: object) -> dict:
    """The champion's edit of the hub's version: one more note (and ``changes``), on top of its rev."""
    body = dict(hub_body, notes=[*hub_body["notes"], note(kind, text).model_dump(mode="json")], **changes)
    return edit_of(hub_body, body)


def edit_of(hub_body: dict, body: dict) -> dict:
    """A push of ``body`` as the next rev on top of the hub's version ``hub_body``."""
    rev = hub_body["rev"]
    return {"kind": "review", "id": body["id"], "rev": rev + 1, "base_rev": rev, "record": dict(body, rev=rev + 1)}


def test_the_hub_sets_the_champion_and_the_authors_of_the_notes(org, queried, db) -> None:  # type: ignore[no-untyped-def]
    talk, review = queried
    assert review["id"] == review_id(talk.id)
    assert review["subject_author_id"] == org.amina.person_id  # from the hub's copy of the record, not as sent
    assert review["author_id"] == org.coordinator.person_id
    assert [n["author_id"] for n in review["notes"]] == [org.coordinator.person_id]
    with db.connect() as conn:
        column = conn.execute(sa.select(records.c.subject_author_id).where(
            records.c.org_id == org.id, records.c.id == review["id"])).scalar_one()
    assert column == org.amina.person_id


def test_the_champion_replies_by_adding_a_note(org, queried) -> None:  # type: ignore[no-untyped-def]
    _, review = queried
    sent = reply_to(review)
    sent["record"]["notes"][-1]["author_id"] = org.bilal.person_id  # whatever the app says, the hub knows who sent it
    assert one(org.amina, sent).status == "accepted"
    now = hub_version(org.coordinator, review["id"])
    assert [(n["note_kind"], n["author_id"]) for n in now["notes"]] == [
        ("query", org.coordinator.person_id), ("reply", org.amina.person_id)]
    assert (now["state"], now["author_id"], now["rev"]) == ("queried", org.coordinator.person_id, review["rev"] + 1)
    # the coordinator looks again and marks it reviewed; the thread stays whole
    done = dict(now, state="reviewed", subject_rev=now["subject_rev"] + 1)
    result = one(org.coordinator, edit_of(now, done))
    assert result.status == "accepted"
    assert [n["author_id"] for n in hub_version(org.amina, now["id"])["notes"]] == [
        org.coordinator.person_id, org.amina.person_id]


@pytest.mark.parametrize(("what", "edit", "reason"), [
    ("the state", lambda r: reply_to(r, state="reviewed"),
     hub_records.REVIEW_REPLY_ONLY.format(fields="state")),
    ("the version looked at", lambda r: reply_to(r, subject_rev=r["subject_rev"] + 5),
     hub_records.REVIEW_REPLY_ONLY.format(fields="subject rev")),
    ("a delete", lambda r: reply_to(r, deleted=True), hub_records.REVIEW_REPLY_ONLY.format(fields="deleted")),
    ("another record", lambda r: reply_to(r, subject_kind="barrier"), hub_records.REVIEW_REPLY_ONLY.format(fields="subject kind")),
    ("a query of their own", lambda r: reply_to(r, "Is this right?", kind="query"), hub_records.REVIEW_REPLIES_ONLY),
    ("a note of their own", lambda r: reply_to(r, "Note to self", kind="note"), hub_records.REVIEW_REPLIES_ONLY),
    ("the query's words", lambda r: reply_to(dict(r, notes=[dict(r["notes"][0], text="Never mind")])),
     hub_records.REVIEW_KEEP_NOTES),
    ("the query's time", lambda r: reply_to(dict(r, notes=[dict(r["notes"][0], written_at="2026-01-01T00:00:00Z")])),
     hub_records.REVIEW_KEEP_NOTES),
    ("the query removed", lambda r: reply_to(dict(r, notes=[])), "Write what you would like the champion to check."),
])
def test_a_champion_cannot_change_the_review_itself(org, queried, what, edit, reason) -> None:  # type: ignore[no-untyped-def]
    _, review = queried
    result = one(org.amina, edit(review))
    assert (result.status, result.reason) == ("rejected", reason), what
    assert hub_version(org.coordinator, review["id"]) == review  # nothing changed


def test_a_champion_cannot_review_or_reply_to_someone_elses_review(org, queried, samples) -> None:  # type: ignore[no-untyped-def]
    _, review = queried
    result = one(org.bilal, reply_to(review))
    assert (result.status, result.reason) == ("rejected", hub_records.REVIEW_NOT_YOURS)
    own = samples.conversation()
    assert one(org.amina, change(own)).status == "accepted"
    result = one(org.amina, change(Review.of(own, "reviewed")))
    assert (result.status, result.reason) == ("rejected", hub_records.REVIEW_BY_COORDINATOR)


def test_a_coordinator_reviews_only_what_the_hub_has(org, samples) -> None:  # type: ignore[no-untyped-def]
    elsewhere = samples.conversation()
    result = one(org.coordinator, change(Review.of(elsewhere, "reviewed")))
    assert (result.status, result.reason) == ("rejected", hub_records.REVIEW_NO_SUBJECT)
    talk = samples.conversation()
    assert one(org.bilal, change(talk)).status == "accepted"
    wrong = Review.of(talk, "reviewed", subject_kind="barrier")
    result = one(org.coordinator, change(wrong))
    assert (result.status, result.reason) == ("rejected", "The record under review is a conversation, not a barrier; "
                                              "this is a fault in the app, please report it.")
    # the coordinator's own record and its review in one batch: the review sees the record
    own = samples.conversation()
    answer = org.coordinator.push([change(own), change(Review.of(own, "reviewed"))])
    assert [r.status for r in answer.results] == ["accepted", "accepted"]


def test_a_reply_made_on_an_older_version_is_a_conflict_to_merge_not_a_refusal(org, queried) -> None:  # type: ignore[no-untyped-def]
    _, review = queried
    second = dict(review, notes=[*review["notes"], note("query", "And the date?").model_dump(mode="json")], subject_rev=1)
    assert one(org.coordinator, edit_of(review, second)).status == "accepted"
    late = reply_to(review)  # made on the first version
    result = one(org.amina, late)
    assert result.status == "conflict" and result.hub_record is not None

    merged = three_way_merge(review, late["record"], result.hub_record)
    assert merged.clean and merged.merged is not None
    assert one(org.amina, edit_of(result.hub_record, merged.merged)).status == "accepted"
    now = hub_version(org.coordinator, review["id"])
    assert [n["note_kind"] for n in now["notes"]] == ["query", "query", "reply"]
    assert now["subject_rev"] == 1


def test_note_times_in_the_future_are_refused_in_plain_words(org, queried) -> None:  # type: ignore[no-untyped-def]
    _, review = queried
    sent = reply_to(review)
    when = datetime.fromisoformat(sent["record"]["notes"][-1]["written_at"])
    sent["record"]["notes"][-1]["written_at"] = (when + timedelta(days=2)).isoformat()
    result = one(org.amina, sent)
    assert result.status == "rejected"
    assert [(pr.field, pr.message) for pr in result.problems] == [
        ("notes.1.written_at", "The time of the comment is in the future. Check the date and time.")]
