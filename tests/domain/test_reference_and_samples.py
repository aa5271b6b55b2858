from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from champions.domain import (
    Conversation,
    ReferenceLists,
    district_of,
    is_district,
    is_full_postcode,
    load_default_items,
    stable_id,
    uuid7,
)
from champions.domain.samples import SampleGenerator
from champions.resources import resource


def test_default_lists_carry_stable_codes_and_sources() -> None:
    items = load_default_items()
    assert all(i.source for i in items)
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))
    assert {i.id for i in load_default_items()} == set(ids)  # deterministic across loads and devices
    lists = ReferenceLists(items)
    safety = lists.get("barrier", "TF.SAFETY")
    assert safety is not None and (safety.group, safety.driver) == ("thinking_feeling", "confidence")
    assert [g.code for g in lists.groups("barrier")] == ["thinking_feeling", "social_processes", "practical_issues"]
    assert len(lists.items("barrier")) == 23
    assert len(lists.items("age_band")) == 6


def test_every_shipped_file_names_its_source() -> None:
    for path in resource("taxonomies").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["source"], path.name
        codes = [i["code"] for i in data["items"]]
        assert len(codes) == len(set(codes)), path.name


def test_neighbourhood_from_postcode() -> None:
    lists = ReferenceLists.defaults()
    assert lists.neighbourhood_for("CH41 5AB") == "birkenhead"
    assert lists.neighbourhood_for("ch45") == "wallasey"
    assert lists.neighbourhood_for("M1 1AE") is None


def test_postcode_shapes() -> None:
    assert is_full_postcode("CH41 5AB") and is_full_postcode("sw1a1aa")
    assert not is_full_postcode("CH41") and is_district("CH41") and not is_district("CH41 5AB")
    assert district_of("CH41 5AB") == "CH41" and district_of("CH41 5") == "CH41"


def test_uuid7_is_version_7_and_time_ordered() -> None:
    ids = [uuid7() for _ in range(200)]
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids)
    assert len(set(ids)) == 200
    assert [i[:13] for i in ids] == sorted(i[:13] for i in ids)
    assert stable_id("a", "b") == stable_id("a", "b") != stable_id("a", "c")


def test_generated_records_are_valid_plausible_and_repeatable() -> None:
    now = datetime(2026, 3, 14, 18, 0, tzinfo=timezone.utc)
    lists = ReferenceLists.defaults()
    first = [c.model_dump(exclude={"id", "created_at", "updated_at"}) for c in SampleGenerator(7, now=now).conversations(300)]
    again = [c.model_dump(exclude={"id", "created_at", "updated_at"}) for c in SampleGenerator(7, now=now).conversations(300)]
    assert first == again
    for data in first:
        Conversation.model_validate(data, context={"reference": lists, "now": now})
    with_barriers = [d for d in first if d["barriers"]]
    assert 0.5 < len(with_barriers) / len(first) < 0.95
    assert len({d["setting"] for d in first}) >= 6
    assert all(b["quote"] for d in with_barriers for b in d["barriers"])
