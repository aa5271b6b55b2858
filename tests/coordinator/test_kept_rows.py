"""``FactColumns.kept_rows``: what the Submissions list pages through, the same as the kept facts themselves."""

from __future__ import annotations

import random

from champions.coordinator.columns import FactColumns

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
