"""A review's thread merges as a union by note id, oldest first: a reply and a second query written
at the same time both survive; the coordinator's fields still merge (and conflict) as any field does."""

from __future__ import annotations

from champions.sync.merge import three_way_merge

Q1 = {"id": "n1", "author_id": "cora", "written_at": "2026-03-01T10:00:00Z", "note_kind": "query", "text": "Which pharmacy?"}
REPLY = {"id": "n2", "author_id": "amina", "written_at": "2026-03-02T09:00:00.500000Z", "note_kind": "reply", "text": "Boots"}
Q2 = {"id": "n3", "author_id": "cora", "written_at": "2026-03-02T09:00:00Z", "note_kind": "query", "text": "And the date?"}


def review(notes: list[dict], **fields: object) -> dict:
    return {"kind": "review", "id": "r1", "rev": 1, "subject_id": "c1", "state": "queried", "subject_rev": 2,
            "notes": notes, **fields}


def test_a_reply_and_a_second_query_at_once_both_survive_in_time_order() -> None:
    base = review([Q1])
    result = three_way_merge(base, review([Q1, REPLY]), review([Q1, Q2], rev=2, subject_rev=3))
    assert result.clean
    assert [n["id"] for n in result.merged["notes"]] == ["n1", "n3", "n2"]  # 09:00:00 before 09:00:00.5
    assert (result.merged["subject_rev"], result.merged["rev"]) == (3, 2)  # the coordinator's change, the hub's rev


def test_without_a_common_version_the_threads_still_join() -> None:
    result = three_way_merge(None, review([Q1, REPLY]), review([Q1, Q2]))
    assert [n["id"] for n in result.merged["notes"]] == ["n1", "n3", "n2"]


def test_the_hubs_copy_of_a_note_wins_and_other_kinds_keep_the_plain_rule() -> None:
    stamped = dict(REPLY, author_id="amina-on-hub")
    assert three_way_merge(review([Q1]), review([Q1, REPLY]), review([Q1, stamped])).merged["notes"][1] == stamped
    talk = {"kind": "conversation", "notes": "x"}
    assert three_way_merge({**talk}, {**talk, "notes": "mine"}, {**talk, "notes": "theirs"}).conflicting == ["notes"]


def test_two_coordinators_choosing_differently_is_still_a_conflict() -> None:
    base = review([Q1])
    result = three_way_merge(base, review([Q1], state="reviewed"), review([Q1, Q2], state="queried", subject_rev=3))
    assert result.clean and result.merged["state"] == "reviewed"  # only one side changed the state
    result = three_way_merge(review([Q1], state="reviewed"), review([Q1], state="queried"), review([Q1], state="reviewed", subject_rev=5))
    assert result.clean and result.merged["state"] == "queried" and result.merged["subject_rev"] == 5
    result = three_way_merge(base, review([Q1], subject_rev=4), review([Q1, Q2], subject_rev=3))
    assert result.conflicting == ["subject_rev"]
