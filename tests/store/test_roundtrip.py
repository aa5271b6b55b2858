"""Round trips with hypothesis: model -> JSON -> database row -> model gives the same record."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from champions.domain import (
    ADDRESSED,
    INTENTIONS,
    AssetContact,
    AssetLocation,
    Barrier,
    BarrierHeard,
    CommunityAsset,
    Conversation,
    Envelope,
    GroupsReached,
    OutreachActivity,
    ReferenceItem,
    ReferenceLists,
    Review,
    ReviewNote,
    uuid7,
)
from champions.domain.reference import LISTS
from champions.store import Store

REF = ReferenceLists.defaults()


def codes(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([i.code for i in REF.items(name)])


def some(name: str) -> st.SearchStrategy[list[str]]:
    return st.lists(codes(name), max_size=3, unique=True)


text = st.text(max_size=200)
when = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2026, 1, 1), timezones=st.just(timezone.utc))
ids = st.none() | st.uuids().map(str)

conversations = st.builds(
    Conversation,
    org_id=ids, author_id=ids, device_id=ids,
    occurred_at=when,
    neighbourhood=codes("neighbourhood"),
    setting=codes("setting"),
    postcode_district=st.sampled_from([None, "CH41", "M1", "ST4"]),
    people_reached=st.integers(1, 10_000),
    groups=st.builds(GroupsReached, age_bands=some("age_band"), ethnic_groups=some("ethnic_group"),
                     languages=some("language"), core20plus=some("core20plus")),
    topics=some("topic"),
    barriers=st.lists(st.builds(BarrierHeard, code=codes("barrier"), quote=text, addressed=st.sampled_from(list(ADDRESSED))), max_size=4),
    intention_before=st.sampled_from(list(INTENTIONS)),
    intention_after=st.sampled_from(list(INTENTIONS)),
    signposted_to=st.lists(st.uuids().map(str), max_size=3),
    referral_made=st.booleans(),
    follow_up_on=st.none() | st.dates(),
    notes=st.text(max_size=1000),
    deleted=st.booleans(),
)
barriers = st.builds(Barrier, occurred_at=when, neighbourhood=st.none() | codes("neighbourhood"), code=codes("barrier"),
                     quote=text, addressed=st.sampled_from(list(ADDRESSED)), notes=text)
activities = st.builds(
    OutreachActivity, activity_kind=codes("activity_kind"), occurred_at=when, duration_minutes=st.integers(1, 10_000),
    neighbourhood=codes("neighbourhood"), partners=st.lists(text, max_size=3), people_reached=st.integers(0, 10_000),
    languages=some("language"), volunteer_hours=st.floats(0, 10_000, allow_nan=False), materials=st.lists(text, max_size=3),
    notes=text,
)
assets = st.builds(
    CommunityAsset, name=st.text(min_size=1, max_size=200).filter(str.strip), description=text,
    location=st.builds(AssetLocation, postcode=st.sampled_from(["", "CH41 5AB"]),
                       latitude=st.none() | st.floats(-90, 90), longitude=st.none() | st.floats(-180, 180)),
    contact=st.builds(AssetContact, phone=text), languages=some("language"), taxonomy_terms=st.lists(text, max_size=3),
    neighbourhood=st.none() | codes("neighbourhood"), status=st.sampled_from(["active", "proposed", "inactive"]),
)


areas = st.sampled_from(["CH41", "CH43 5", "M1", "ST4 7", "L8"])
reference_items = st.builds(
    ReferenceItem, list_name=st.sampled_from(LISTS), code=st.text(min_size=1, max_size=60).filter(str.strip),
    label=st.text(min_size=1, max_size=200).filter(str.strip), group=st.none() | st.text(max_size=30),
    driver=st.none() | st.sampled_from(["confidence", "constraints"]), postcodes=st.lists(areas, max_size=4, unique=True),
    source=text, retired=st.booleans(), position=st.integers(0, 500), deleted=st.booleans(),
)


review_notes = st.lists(st.builds(
    ReviewNote, id=st.uuids().map(str), author_id=ids, written_at=when, note_kind=st.sampled_from(["query", "reply", "note"]),
    text=st.text(min_size=1, max_size=300).filter(str.strip)), max_size=5, unique_by=lambda n: n.id)
reviews = st.builds(
    Review, org_id=ids, author_id=ids, device_id=ids,
    subject_kind=st.sampled_from(["conversation", "barrier", "outreach_activity"]),
    subject_id=st.builds(uuid7),  # a fresh record each time: the review's id follows from it
    subject_author_id=ids, state=st.just("reviewed"), subject_rev=st.integers(0, 10_000), notes=review_notes,
    deleted=st.booleans(),
)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(Path(tmp_path_factory.mktemp("roundtrip")) / "rt.db", b"\x01" * 32)
    yield store  # type: ignore[misc]
    store.close()


def _round_trip(store: Store, record: Envelope) -> None:
    repo = store.repository(record.kind)  # type: ignore[attr-defined]
    from_json = type(record).model_validate_json(record.model_dump_json())
    assert from_json == record
    saved = repo.save(from_json)
    assert saved.model_copy(update={"rev": record.rev, "updated_at": record.updated_at}) == record
    row = store.db.execute(f"SELECT data FROM {repo.spec.table} WHERE id = ?", [record.id]).fetchone()
    assert type(record).model_validate_json(row[0]) == saved
    assert repo.get(record.id) == saved
    assert store.outbox.entries(record.id)[-1].payload == json.loads(saved.model_dump_json())


common = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@common
@given(record=conversations)
def test_conversation_round_trip(shared_store: Store, record: Conversation) -> None:
    _round_trip(shared_store, record)


@common
@given(record=barriers)
def test_barrier_round_trip(shared_store: Store, record: Barrier) -> None:
    _round_trip(shared_store, record)


@common
@given(record=activities)
def test_activity_round_trip(shared_store: Store, record: OutreachActivity) -> None:
    _round_trip(shared_store, record)


@common
@given(record=assets)
def test_asset_round_trip(shared_store: Store, record: CommunityAsset) -> None:
    _round_trip(shared_store, record)


@common
@given(record=reference_items)
def test_reference_item_round_trip(shared_store: Store, record: ReferenceItem) -> None:
    """A coordinator's list item: a new code or a retired one reads back as it was written."""
    _round_trip(shared_store, record)


@common
@given(record=reviews)
def test_review_round_trip(shared_store: Store, record: Review) -> None:
    """A review and its whole thread read back as written; the columns the desk looks it up by follow it."""
    _round_trip(shared_store, record)
    row = shared_store.db.execute(
        "SELECT subject_kind, subject_id, subject_author_id, state, subject_rev FROM review WHERE id = ?", [record.id]).fetchone()
    assert row == (record.subject_kind, record.subject_id, record.subject_author_id, record.state, record.subject_rev)
    assert shared_store.reviews.for_subjects([record.subject_id], include_deleted=True)[record.subject_id].notes == record.notes
