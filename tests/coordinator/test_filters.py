"""One ReportFilter: which records it keeps, checked against the hand-built dataset."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from champions.coordinator import FactContext, ReportFilter, build_facts

from . import dataset
from .builders import conv


def kept(ref, flt: ReportFilter, review_states: dict[str, str] | None = None) -> list[str]:
    recs, facts = dataset.facts(ref, review_states)
    names = {r.id: name for name, r in recs.items()}
    return sorted(names[f.id] for f in flt.apply(facts))


def test_empty_filter_keeps_every_conversation_barrier_and_activity(ref) -> None:
    assert kept(ref, ReportFilter()) == ["a1", "a2", "a3", "b1", "c1", "c2", "c3", "c4"]
    assert ReportFilter().is_empty


def test_period_includes_both_end_days(ref) -> None:
    flt = ReportFilter.make(since=date(2026, 3, 5), until=date(2026, 3, 12))
    assert kept(ref, flt) == ["a2", "a3", "b1", "c3"]


def test_period_accepts_datetimes_and_keeps_their_day(ref) -> None:
    flt = ReportFilter.make(since=datetime(2026, 3, 12, 23, 0, tzinfo=timezone.utc))
    assert flt.since == date(2026, 3, 12)
    assert kept(ref, flt) == ["a2", "a3", "c4"]


def test_champions_filter_by_author(ref) -> None:
    assert kept(ref, ReportFilter.make(champions=["ben"])) == ["a2", "b1", "c2", "c4"]


def test_neighbourhood_filter(ref) -> None:
    assert kept(ref, ReportFilter.make(neighbourhoods=["birkenhead"])) == ["a1", "a3", "c1", "c3"]


def test_barrier_code_keeps_conversations_with_it_and_standalone_barriers_only(ref) -> None:
    assert kept(ref, ReportFilter.make(barrier_codes=["TF.SAFETY"])) == ["b1", "c1", "c2"]


def test_barrier_domain_filter(ref) -> None:
    assert kept(ref, ReportFilter.make(barrier_domains=["practical_issues"])) == ["c1"]
    assert kept(ref, ReportFilter.make(barrier_domains=["social_processes"])) == ["c3"]


def test_code_and_domain_together_must_both_hold_for_one_barrier(ref) -> None:
    flt = ReportFilter.make(barrier_codes=["TF.SAFETY"], barrier_domains=["practical_issues"])
    assert kept(ref, flt) == []


def test_ethnic_group_filter_takes_the_five_groups_or_the_detail(ref) -> None:
    assert kept(ref, ReportFilter.make(ethnic_groups=["asian"])) == ["c1", "c3"]
    assert kept(ref, ReportFilter.make(ethnic_groups=["asian_pakistani"])) == ["c3"]


def test_group_filters_are_strict_records_without_groups_drop_out(ref) -> None:
    assert kept(ref, ReportFilter.make(age_bands=["65+", "16-24"])) == ["c1", "c2"]
    assert kept(ref, ReportFilter.make(core20plus=["vulnerable_migrants"])) == ["c1"]


def test_language_filter_reaches_outreach_which_records_languages(ref) -> None:
    assert kept(ref, ReportFilter.make(languages=["bn"])) == ["a1", "c1"]


def test_core20_uses_the_decile_of_the_postcode_district(ref) -> None:
    assert kept(ref, ReportFilter.make(core20_only=True)) == ["c1", "c4"]
    assert kept(ref, ReportFilter.make(deciles=[6])) == ["c2"]


def test_review_state_filter(ref) -> None:
    recs = dataset.records()
    states = {recs["c2"].id: "reviewed", recs["c3"].id: "queried"}
    assert kept(ref, ReportFilter.make(review_states=["reviewed"]), states) == ["c2"]
    assert kept(ref, ReportFilter.make(review_states=["unreviewed"]), states) == ["a1", "a2", "a3", "b1", "c1", "c4"]


def test_filters_combine_with_and(ref) -> None:
    flt = ReportFilter.make(champions=["amina"], barrier_codes=["TF.SAFETY"])
    assert kept(ref, flt) == ["c1"]


def test_deleted_records_are_left_out_unless_asked_for(ref) -> None:
    gone = conv("2026-03-02T10:00", deleted=True)
    facts = build_facts([gone], FactContext(ref))
    assert ReportFilter().apply(facts) == []
    assert [f.id for f in ReportFilter(include_deleted=True).apply(facts)] == [gone.id]


def test_records_yields_the_original_records_for_exports(ref) -> None:
    recs = dataset.records()
    ctx = FactContext(ref, decile_of_district=dataset.DECILES)
    out = list(ReportFilter.make(neighbourhoods=["wallasey"]).records(recs.values(), ctx))
    assert out == [recs["c2"], recs["c4"], recs["b1"], recs["a2"]]


def test_make_refuses_a_misspelt_field() -> None:
    with pytest.raises(TypeError, match="unknown filter field\\(s\\): neighborhoods"):
        ReportFilter.make(neighborhoods=["birkenhead"])


def test_describe_says_the_filters_in_words(ref) -> None:
    flt = ReportFilter.make(since=date(2026, 3, 1), neighbourhoods=["wallasey", "birkenhead"],
                            barrier_domains=["practical_issues"], ethnic_groups=["asian", "white_irish"],
                            core20_only=True, review_states=["queried"])
    assert flt.describe(ref) == [
        ("Period", "01 Mar 2026 to today"),
        ("Neighbourhoods", "Birkenhead, Wallasey"),
        ("Barrier domains", "Practical issues"),
        ("Ethnic groups", "Asian or Asian British, Irish"),
        ("Review", "Query sent"),
        ("Core20", "Most deprived 20% of areas only (deciles 1 and 2)"),
    ]
    assert ReportFilter().describe(ref) == [("Period", "All dates")]


def test_a_filter_survives_a_trip_through_json_settings(open_store) -> None:
    flt = ReportFilter.make(since=date(2026, 3, 1), until=date(2026, 3, 31), neighbourhoods=["wallasey", "birkenhead"],
                            deciles=[2, 1], core20_only=True)
    assert flt.to_dict() == {"since": "2026-03-01", "until": "2026-03-31", "neighbourhoods": ["birkenhead", "wallasey"],
                             "deciles": [1, 2], "core20_only": True}
    store = open_store()
    store.settings.set("coordinator.filter", flt.to_dict())
    assert ReportFilter.from_dict(store.settings.get("coordinator.filter")) == flt
    assert ReportFilter.from_dict({"languages": ["ur"], "from_a_newer_version": 1}) == ReportFilter.make(languages=["ur"])
    assert ReportFilter().to_dict() == {}
