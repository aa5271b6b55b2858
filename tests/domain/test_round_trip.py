"""model -> JSON -> model is lossless for every record kind (the store adds the row step)."""

from __future__ import annotations

from datetime import timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from champions.domain import RECORD_TYPES, Barrier, BarrierHeard, Conversation, GroupsReached, OutreachActivity

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80).map(str.strip)
when = st.datetimes(timezones=st.just(timezone.utc), max_value=__import__("datetime").datetime(2026, 1, 1))

conversations = st.builds(
    Conversation,
    occurred_at=when,
    neighbourhood=st.sampled_from(["birkenhead", "wallasey"]),
    setting=st.sampled_from(["market", "school"]),
    people_reached=st.integers(1, 500),
    groups=st.builds(GroupsReached, age_bands=st.lists(st.sampled_from(["16-24", "65+"]), max_size=2)),
    barriers=st.lists(st.builds(BarrierHeard, code=st.sampled_from(["TF.SAFETY", "PI.TIME"]), quote=text,
                                addressed=st.sampled_from(["yes", "partly", "no"])), max_size=3),
    notes=text,
    rev=st.integers(0, 10_000),
    deleted=st.booleans(),
)
activities = st.builds(OutreachActivity, activity_kind=st.just("stall"), neighbourhood=st.just("wallasey"), occurred_at=when,
                       volunteer_hours=st.floats(0, 1000, allow_nan=False), partners=st.lists(text, max_size=3), notes=text)
barriers = st.builds(Barrier, code=st.just("SP.FAMILY"), occurred_at=when, quote=text)


@settings(max_examples=150, deadline=None)
@given(st.one_of(conversations, activities, barriers))
def test_json_round_trip_is_lossless(record) -> None:
    again = RECORD_TYPES[record.kind].model_validate_json(record.model_dump_json())
    assert again == record
