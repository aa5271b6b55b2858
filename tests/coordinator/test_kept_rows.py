"""``FactColumns.kept_rows``: what the Submissions list pages through, the same as the kept facts themselves."""

from __future__ import annotations

import random
from datetime import datetime, timezone

from champions.coordinator import FactContext, ReportFilter, build_facts
from champions.coordinator.columns import FactColumns
from champions.domain.samples import SampleGenerator

from .test_columns import generated, random_filter  # noqa: F401 - the module's 4,000 records, its filters


def test_kept_rows_are_the_kept_facts_ids_kinds_states_and_authors(generated, ref) -> None:  # noqa: F811
    facts, columns = generated
    rng = random.Random(7)
    seen_states: set[str] = set()
    nonempty = 0
    for _ in range(60):
        flt = random_filter(rng, ref)
        kept = columns.kept_rows(flt)
        expected = columns.kept_facts(flt)
        assert kept.ids == [f.id for f in expected] == columns.kept_ids(flt)
        assert kept.kinds == [f.kind for f in expected]
        assert kept.review_states == [f.review_state for f in expected]
        assert kept.authors == [f.author_id for f in expected]
        assert sum(kept.counts().values()) == len(kept)
        seen_states.update(kept.review_states)
        nonempty += len(kept) > 0
    assert nonempty > 20
    assert seen_states == {"unreviewed", "reviewed", "queried", "answered"}


def test_kept_rows_of_no_records(ref) -> None:
    kept = FactColumns([], ref).kept_rows(random_filter(random.Random(1), ref))
    assert (kept.ids, kept.kinds, kept.review_states, kept.authors, len(kept)) == ([], [], [], [], 0)


def test_a_review_moves_one_record_between_states_in_place(ref) -> None:
    """What the Submissions page does after Mark reviewed or a query: no re-read of every record,
    and the lists and counts are then those of columns built afresh with the new state."""
    gen = SampleGenerator(seed=3, reference=ref, now=datetime(2026, 3, 20, tzinfo=timezone.utc))
    records = [gen.conversation() if i % 4 else gen.barrier() for i in range(400)]
    states = {records[5].id: "queried"}
    columns = FactColumns(build_facts(records, FactContext(ref, review_states=states)), ref)
    reviewed = ReportFilter.make(review_states=["reviewed"])
    assert columns.kept_ids(reviewed) == []

    for record_id, state in ((records[7].id, "reviewed"), (records[5].id, "answered"), (records[9].id, "queried"),
                             (records[9].id, "reviewed"), (records[7].id, "unreviewed")):
        assert columns.set_review_state(record_id, state)
        states[record_id] = state
        fresh = FactColumns(build_facts(records, FactContext(ref, review_states=states)), ref)
        for flt in (reviewed, ReportFilter.make(review_states=["queried", "answered"]), ReportFilter()):
            assert columns.kept_rows(flt) == fresh.kept_rows(flt)
            assert columns.dashboard(flt) == fresh.dashboard(flt)
        assert [f.review_state for f in columns.kept_facts(ReportFilter())] == \
            [f.review_state for f in fresh.kept_facts(ReportFilter())]
    assert columns.kept_ids(reviewed) == [records[9].id]
    assert not columns.set_review_state("not-here", "reviewed")
