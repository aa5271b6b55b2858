"""Field-by-field merge on plain dicts: what merges by itself and what must go to a person."""

from champions.sync.merge import changed_fields, three_way_merge

BASE = {
    "id": "r1", "rev": 1, "updated_at": "2026-01-01T10:00:00Z", "device_id": "d1",
    "notes": "first", "people_reached": 3, "topics": ["flu"],
    "groups": {"age_bands": ["18-24"], "languages": ["en"]}, "deleted": False,
}


def edit(**changes):
    return {**BASE, **changes}


def test_different_fields_merge_both_ways():
    mine = edit(notes="mine", rev=2, updated_at="2026-01-01T11:00:00Z")
    theirs = edit(people_reached=5, rev=2, device_id="hub", updated_at="2026-01-01T10:30:00Z")
    result = three_way_merge(BASE, mine, theirs)
    assert result.clean and result.conflicting == []
    assert result.merged["notes"] == "mine"
    assert result.merged["people_reached"] == 5
    assert result.merged["updated_at"] == "2026-01-01T11:00:00Z"
    assert result.merged["device_id"] == "hub"  # bookkeeping follows the hub's version


def test_same_field_changed_differently_is_a_conflict():
    result = three_way_merge(BASE, edit(notes="mine"), edit(notes="theirs", people_reached=9))
    assert result.merged is None
    assert result.conflicting == ["notes"]


def test_same_change_on_both_sides_is_not_a_conflict():
    result = three_way_merge(BASE, edit(notes="same"), edit(notes="same"))
    assert result.merged["notes"] == "same"


def test_nested_groups_merge_key_by_key():
    mine = edit(groups={"age_bands": ["18-24", "25-34"], "languages": ["en"]})
    theirs = edit(groups={"age_bands": ["18-24"], "languages": ["en", "pl"]})
    result = three_way_merge(BASE, mine, theirs)
    assert result.merged["groups"] == {"age_bands": ["18-24", "25-34"], "languages": ["en", "pl"]}
    clash = three_way_merge(BASE, edit(groups={"age_bands": ["65+"], "languages": ["en"]}),
                            edit(groups={"age_bands": ["45-54"], "languages": ["en"]}))
    assert clash.conflicting == ["groups.age_bands"]


def test_delete_against_edit_is_a_conflict_but_delete_against_other_field_merges():
    assert three_way_merge(BASE, edit(deleted=True), edit(deleted=False, notes="x")).merged["deleted"] is True
    # both edited the same field and one deleted: a person decides
    assert three_way_merge(BASE, edit(deleted=True, notes="a"), edit(notes="b")).conflicting == ["notes"]


def test_without_a_base_only_one_sided_fields_merge():
    result = three_way_merge(None, {"id": "r", "a": 1, "b": 2}, {"id": "r", "a": 1, "c": 3})
    assert result.merged == {"id": "r", "a": 1, "b": 2, "c": 3}
    assert three_way_merge(None, {"a": 1}, {"a": 2}).conflicting == ["a"]


def test_bookkeeping_never_conflicts_and_changed_fields_ignores_it():
    result = three_way_merge(BASE, edit(rev=7, device_id="x"), edit(rev=4, device_id="y"))
    assert result.clean
    assert changed_fields(BASE, edit(rev=9, notes="n", people_reached=1)) == ["notes", "people_reached"]
