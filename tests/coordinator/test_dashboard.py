"""Dashboard numbers: exact on the hand-built dataset, consistent on 5,000 generated records."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone

import pytest

from champions.coordinator import FactContext, ReportFilter, build_facts
from champions.coordinator.dashboard import build_dashboard, quote_key
from champions.domain.samples import SampleGenerator

from . import dataset


@pytest.fixture()
def dash(ref):
    _, facts = dataset.facts(ref)
    return build_dashboard(facts, ReportFilter(), ref)


def test_headline_numbers(dash) -> None:
    h = dash.headline
    assert (h.conversations, h.people_reached, h.barriers_heard) == (4, 10, 5)
    assert (h.barriers_addressed, h.barriers_partly_addressed, h.percent_addressed) == (1, 1, 20.0)
    assert (h.outreach_activities, h.outreach_hours, h.volunteer_hours, h.outreach_people_reached) == (3, 4.0, 7.5, 75)
    assert (h.referrals, h.moved_towards_yes) == (1, 1)
    assert h.table().row_for("Outreach hours") == ("Outreach hours", 4.0)


def test_barriers_by_besd_domain(dash) -> None:
    assert dash.barriers_by_domain.rows == (
        ("thinking_feeling", "Thinking and feeling", 3, 1, 1, 1, 33.3),
        ("social_processes", "Social processes", 1, 0, 0, 1, 0.0),
        ("practical_issues", "Practical issues", 1, 0, 0, 1, 0.0),
    )


def test_top_barriers_most_heard_first_ties_by_code(dash) -> None:
    assert dash.top_barriers.column("code") == ["TF.SAFETY", "PI.TRAVEL", "SP.FAMILY"]
    assert dash.top_barriers.rows[0] == ("TF.SAFETY", "worried about side effects or safety", "Thinking and feeling",
                                         "confidence", 3, 1, 1, 1, 33.3)


def test_top_barriers_over_iso_weeks_with_quiet_weeks_as_zero(dash) -> None:
    table = dash.top_barriers_by_week
    assert table.keys == ("week", "TF.SAFETY", "PI.TRAVEL", "SP.FAMILY", "other")
    assert table.columns[1] == "worried about side effects or safety"
    assert table.rows == (("2026-W10", 2, 1, 0, 0), ("2026-W11", 1, 0, 1, 0), ("2026-W12", 0, 0, 0, 0))


def test_top_n_puts_the_rest_under_other(ref) -> None:
    _, facts = dataset.facts(ref)
    table = build_dashboard(facts, ReportFilter(), ref, top_barriers=1).top_barriers_by_week
    assert table.rows == (("2026-W10", 2, 1), ("2026-W11", 1, 1), ("2026-W12", 0, 0))


def test_weeks_follow_the_filter_period(ref) -> None:
    _, facts = dataset.facts(ref)
    flt = ReportFilter.make(since=date(2026, 2, 23), until=date(2026, 3, 8))
    assert build_dashboard(facts, flt, ref).outreach_by_week.column("week") == ["2026-W09", "2026-W10"]


def test_by_neighbourhood(dash) -> None:
    t = dash.by_neighbourhood
    assert t.row_for("birkenhead") == ("birkenhead", "Birkenhead", 2, 5, 3, 2, 2.0)
    assert t.row_for("wallasey") == ("wallasey", "Wallasey", 2, 5, 2, 1, 2.0)
    assert t.row_for("bebington") == ("bebington", "Bebington", 0, 0, 0, 0, 0.0)
    assert len(t.rows) == 6


def test_people_by_age_band_counts_each_band_of_a_conversation(dash) -> None:
    t = dash.people_by_age_band
    assert t.row_for("16-24") == ("16-24", "16-24", 1, 3)
    assert t.row_for("25-34") == ("25-34", "25-34", 1, 3)
    assert t.row_for("65+") == ("65+", "65+", 1, 1)
    assert t.row_for("35-49") == ("35-49", "35-49", 0, 0)
    assert t.rows[-1] == ("", "Not recorded", 2, 6)


def test_people_by_ethnic_group_five_groups_then_detail(dash) -> None:
    rows = [r for r in dash.people_by_ethnic_group.rows if r[3]]
    assert rows == [
        ("Group", "white", "White", 1, 1),
        ("Detail", "white_british", "English, Welsh, Scottish, Northern Irish or British", 1, 1),
        ("Group", "asian", "Asian or Asian British", 2, 5),
        ("Detail", "asian_pakistani", "Pakistani", 1, 2),
        ("Detail", "asian_bangladeshi", "Bangladeshi", 1, 3),
        ("", "", "Not recorded", 1, 4),
    ]
    groups = [r[1] for r in dash.people_by_ethnic_group.rows if r[0] == "Group"]
    assert groups == ["white", "mixed", "asian", "black", "other", "unknown"]


def test_languages_most_spoken_first(dash) -> None:
    assert dash.people_by_language.rows == (
        ("bn", "Bengali", 1, 3), ("en", "English", 1, 3), ("ur", "Urdu", 1, 2), ("", "Not recorded", 2, 5))


def test_core20plus_groups_with_core20_from_deprivation(dash) -> None:
    t = dash.people_by_core20plus
    assert t.rows[0] == ("Core20", "core20", "Most deprived 20% of areas (deprivation decile 1 or 2)", 2, 7)
    assert t.column("code")[1:4] == ["ethnic_minority", "learning_disability_autism", "multiple_ltc"]
    row = [r for r in t.rows if r[1] == "vulnerable_migrants"][0]
    assert row == ("Inclusion health groups", "vulnerable_migrants", "Vulnerable migrants (asylum seekers, refugees)", 1, 3)
    assert t.rows[-1] == ("", "", "No PLUS group recorded", 3, 7)


def test_by_deprivation_decile(dash) -> None:
    t = dash.by_deprivation_decile
    assert t.row_for(1) == (1, "Decile 1 (most deprived)", 1, 3, 2)
    assert t.row_for(2) == (2, "Decile 2", 1, 4, 0)
    assert t.row_for(6) == (6, "Decile 6", 1, 1, 1)
    assert t.rows[-1][2:] == (1, 2, 1)
    assert sum(t.column("conversations")) == 4


def test_intention_shift_table_and_summary(dash) -> None:
    shift = dash.intention_shift
    assert shift.table.columns == ("Before \\ after", "Already vaccinated", "Yes, intends to", "Not sure", "No",
                                   "Not asked", "Total")
    assert shift.table.rows == (
        ("Already vaccinated", 1, 0, 0, 0, 0, 1),
        ("Yes, intends to", 0, 0, 0, 1, 0, 1),
        ("Not sure", 0, 0, 1, 0, 0, 1),
        ("No", 0, 1, 0, 0, 0, 1),
        ("Not asked", 0, 0, 0, 0, 0, 0),
        ("Total", 1, 1, 1, 1, 0, 4),
    )
    assert (shift.comparable, shift.moved_towards_yes, shift.moved_away, shift.unchanged) == (3, 1, 1, 1)
    assert shift.summary() == "1 of 3 conversations (33.3%) moved towards yes; 1 moved away; 1 did not change."


def test_outreach_by_kind_and_week(dash) -> None:
    assert dash.outreach_by_kind.row_for("stall") == ("stall", "Stall", 2, 2.0, 3.0, 25)
    assert dash.outreach_by_kind.row_for("event") == ("event", "Event", 1, 2.0, 4.5, 50)
    assert dash.outreach_by_week.rows == (("2026-W10", 1, 1.5, 3.0, 20), ("2026-W11", 2, 2.5, 4.5, 55),
                                          ("2026-W12", 0, 0.0, 0.0, 0))


def test_top_quotes_deduplicated_most_heard_then_most_recent(dash) -> None:
    assert dash.top_quotes.rows == (
        ("TF.SAFETY", "worried about side effects or safety", "my sister was  POORLY!", 2, "2026-03-04", "Wallasey"),
        ("TF.SAFETY", "worried about side effects or safety", "Is it safe when you're pregnant?", 1, "2026-03-11", "Wallasey"),
        ("PI.TRAVEL", "distance or transport", "Two buses to the clinic", 1, "2026-03-02", "Birkenhead"),
        ("SP.FAMILY", "family or friends are against it", "My husband says no", 1, "2026-03-10", "Birkenhead"),
    )


def test_a_barrier_filter_counts_only_the_matching_barriers_of_a_conversation(ref) -> None:
    _, facts = dataset.facts(ref)
    data = build_dashboard(facts, ReportFilter.make(barrier_domains=["thinking_feeling"]), ref)
    assert data.headline.barriers_heard == 3
    assert data.headline.conversations == 2
    assert data.top_barriers.column("code") == ["TF.SAFETY"]
    assert data.headline.outreach_activities == 0


def test_copy_as_tab_separated_text(dash) -> None:
    assert dash.outreach_by_week.as_tsv() == (
        "Week\tActivities\tHours\tVolunteer hours\tPeople reached\n"
        "2026-W10\t1\t1.5\t3.0\t20\n2026-W11\t2\t2.5\t4.5\t55\n2026-W12\t0\t0.0\t0.0\t0\n")


def test_quote_key_ignores_case_spacing_and_punctuation() -> None:
    assert quote_key("  My sister -- was POORLY!! ") == quote_key("my sister was poorly")


def test_sanity_on_5000_generated_records(ref) -> None:
    gen = SampleGenerator(seed=7, reference=ref, now=datetime(2026, 3, 20, tzinfo=timezone.utc))
    records = []
    for i in range(5000):
        gen.envelope["author_id"] = f"champion-{i % 7}"
        records.append(gen.conversation() if i % 5 else (gen.barrier() if i % 2 else gen.activity()))
    deciles = {"CH41": 1, "CH42": 2, "CH44": 5, "CH45": 9}
    facts = build_facts(records, FactContext(ref, decile_of_district=deciles))
    data = build_dashboard(facts, ReportFilter(), ref)
    convs = [r for r in records if r.kind == "conversation"]
    lone = [r for r in records if r.kind == "barrier"]
    h = data.headline
    assert h.conversations == len(convs) == 4000
    assert h.people_reached == sum(c.people_reached for c in convs)
    assert h.barriers_heard == sum(len(c.barriers) for c in convs) + len(lone)
    assert sum(data.barriers_by_domain.column("heard")) == h.barriers_heard
    assert sum(data.top_barriers.column("heard")) == h.barriers_heard
    assert sum(sum(row[1:]) for row in data.top_barriers_by_week.rows) == h.barriers_heard
    assert sum(data.by_neighbourhood.column("conversations")) == h.conversations
    assert data.intention_shift.table.rows[-1][-1] == h.conversations
    assert sum(data.by_deprivation_decile.column("conversations")) == h.conversations
    assert h.outreach_activities == sum(data.outreach_by_kind.column("activities")) == len(records) - 4000 - len(lone)
    expected_core20 = sum(1 for c in convs if c.postcode_district in ("CH41", "CH42"))
    assert data.people_by_core20plus.rows[0][3] == expected_core20 > 0
    keys = [(r[0], quote_key(r[2])) for r in data.top_quotes.rows]
    assert len(keys) == len(set(keys))
    assert max(Counter(r[0] for r in data.top_quotes.rows).values()) == 3
    # A partition by neighbourhood adds up to the whole.
    parts = [build_dashboard(facts, ReportFilter.make(neighbourhoods=[n]), ref).headline.conversations
             for n in data.by_neighbourhood.column("code")]
    assert sum(parts) == h.conversations
    # So does one by champion.
    by_champion = [build_dashboard(facts, ReportFilter.make(champions=[f"champion-{i}"]), ref).headline.people_reached
                   for i in range(7)]
    assert sum(by_champion) == h.people_reached
