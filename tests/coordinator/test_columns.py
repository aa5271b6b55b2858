"""The column engine gives the very same dashboard as the one-pass tally, for many filters."""

from __future__ import annotations

import random
from datetime import date, datetime, timezone

import pytest

from champions.coordinator import FactContext, ReportFilter, TaskState, build_facts
from champions.coordinator.columns import FactColumns
from champions.coordinator.dashboard import build_dashboard
from champions.domain.samples import SampleGenerator

from . import dataset


@pytest.fixture(scope="module")
def generated(ref):
    gen = SampleGenerator(seed=21, reference=ref, now=datetime(2026, 3, 20, tzinfo=timezone.utc))
    records = []
    for i in range(4000):
        gen.envelope["author_id"] = f"champion-{i % 6}"
        records.append(gen.conversation() if i % 5 else (gen.barrier() if i % 2 else gen.activity()))
    records[10] = records[10].model_copy(update={"deleted": True})
    states = {r.id: ("reviewed", "queried", "answered")[i % 3] for i, r in enumerate(records[:300])}
    facts = build_facts(records, FactContext(ref, decile_of_district={"CH41": 1, "CH42": 2, "CH44": 5, "CH46": 9},
                                             review_states=states))
    return facts, FactColumns(facts, ref)


def random_filter(rng: random.Random, ref) -> ReportFilter:
    def some(list_name: str, most: int = 2) -> list[str]:
        codes = [i.code for i in ref.items(list_name)]
        return rng.sample(codes, rng.randint(1, most)) if rng.random() < 0.25 else []

    start = date(2026, 1, 1).toordinal() + rng.randint(0, 60)
    return ReportFilter.make(
        since=date.fromordinal(start) if rng.random() < 0.3 else None,
        until=date.fromordinal(start + rng.randint(0, 40)) if rng.random() < 0.3 else None,
        champions=[f"champion-{i}" for i in rng.sample(range(6), rng.randint(1, 3))] if rng.random() < 0.25 else [],
        neighbourhoods=some("neighbourhood"), barrier_codes=some("barrier", 4), barrier_domains=some("barrier_group", 1),
        age_bands=some("age_band"), ethnic_groups=some("ethnic_group") + some("ethnic_group_group", 1),
        languages=some("language", 3), core20plus=some("core20plus"),
        review_states=rng.sample(["unreviewed", "reviewed", "queried", "answered"], 2) if rng.random() < 0.2 else [],
        deciles=rng.sample(range(1, 11), 3) if rng.random() < 0.15 else [],
        core20_only=rng.random() < 0.15, include_deleted=rng.random() < 0.1,
    )


def test_same_tables_as_the_tally_for_100_random_filters(generated, ref) -> None:
    facts, columns = generated
    rng = random.Random(4)
    nonempty = 0
    for _ in range(100):
        flt = random_filter(rng, ref)
        expected = build_dashboard(facts, flt, ref)
        assert columns.dashboard(flt) == expected, flt
        nonempty += expected.headline.conversations > 0
    assert nonempty > 30  # the filters are not all so narrow that nothing is compared


def test_same_tables_on_the_hand_built_dataset(ref) -> None:
    _, facts = dataset.facts(ref)
    columns = FactColumns(facts, ref)
    for flt in (ReportFilter(), ReportFilter.make(barrier_codes=["TF.SAFETY"]), ReportFilter.make(core20_only=True)):
        assert columns.dashboard(flt) == build_dashboard(facts, flt, ref)
    assert columns.dashboard(ReportFilter()).headline.barriers_heard == 5


def test_kept_facts_newest_first_as_the_filter_says(generated, ref) -> None:
    facts, columns = generated
    flt = ReportFilter.make(neighbourhoods=["wallasey"], age_bands=["65+"])
    kept = columns.kept_facts(flt)
    assert {f.id for f in kept} == {f.id for f in facts if flt.matches(f)}
    assert [f.occurred_at for f in kept] == sorted((f.occurred_at for f in kept), reverse=True)


def test_an_empty_set_of_facts(ref) -> None:
    columns = FactColumns([], ref)
    assert columns.dashboard(ReportFilter()) == build_dashboard([], ReportFilter(), ref)


def test_columns_streamed_from_a_store_keep_no_records_and_count_the_same(open_store, ref) -> None:
    store = open_store()
    gen = SampleGenerator(seed=2, reference=ref, now=datetime(2026, 3, 20, tzinfo=timezone.utc), author_id="amina")
    store.conversations.save_many(gen.conversations(700))
    store.barriers.save_many(gen.barrier() for _ in range(90))
    store.activities.save_many(gen.activities(60))
    store.conversations.delete(store.conversations.ids()[0])
    context = FactContext(store.reference, decile_of_district={"CH41": 1})
    seen: list[tuple[int, int]] = []
    lean = FactColumns.from_store(store, context, chunk=250, task=TaskState(lambda d, t: seen.append((d, t))))
    assert lean.facts is None and lean.n == 849  # deleted records are not read, as in Desk.load
    assert seen[0] == (0, 849) and seen[-1] == (849, 849)
    records = store.conversations.query() + store.barriers.query() + store.activities.query()
    facts = build_facts(records, context)
    rng = random.Random(8)
    for flt in [ReportFilter()] + [random_filter(rng, ref) for _ in range(20)]:
        assert lean.dashboard(flt) == build_dashboard(facts, flt, ref), flt
        assert lean.kept_ids(flt) == [f.id for f in sorted((f for f in facts if flt.matches(f)),
                                                           key=lambda f: f.occurred_at, reverse=True)]
    with pytest.raises(RuntimeError, match="keep_facts=False"):
        lean.kept_facts(ReportFilter())


def test_quotes_told_once_and_told_at_the_same_moment_rank_as_the_tally_ranks_them(ref) -> None:
    """Residents' words are mostly their own: most quotes are told once. Those are ranked apart
    from repeated ones (the newest few a filter keeps), so check that path, and its cut-off when
    several are told at the same moment, against the tally."""
    gen = SampleGenerator(seed=5, reference=ref, now=datetime(2026, 3, 20, tzinfo=timezone.utc))
    records = []
    for i in range(1500):
        gen.envelope["author_id"] = f"champion-{i % 4}"
        record = gen.conversation() if i % 4 else gen.barrier()
        if i % 10:  # nine records in ten: words of their own
            if record.kind == "barrier":
                record = record.model_copy(update={"quote": f"{record.quote} ({9999 - i})"})
            else:
                record = record.model_copy(update={"barriers": [
                    b.model_copy(update={"quote": f"{b.quote} [{9999 - i}.{j}]"}) for j, b in enumerate(record.barriers)]})
        if i % 25 and records:  # 25 at a time told at the very same moment
            record = record.model_copy(update={"occurred_at": records[-1].occurred_at})
        records.append(record)
    facts = build_facts(records, FactContext(ref, decile_of_district={"CH41": 1, "CH44": 5}))
    columns = FactColumns(facts, ref)
    assert columns.quotes.once and columns.quotes.repeated  # both paths are exercised
    rng = random.Random(11)
    for per_barrier in (1, 3):
        for flt in [ReportFilter()] + [random_filter(rng, ref) for _ in range(25)]:
            expected = build_dashboard(facts, flt, ref, quotes_per_barrier=per_barrier)
            assert columns.dashboard(flt, quotes_per_barrier=per_barrier) == expected, flt
