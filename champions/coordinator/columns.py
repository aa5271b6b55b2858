"""The dashboard for a million records: facts as numpy columns, a filter as a mask, counts as bincounts.

``dashboard.build_dashboard`` walks Python objects (about 17 µs a record): fine for an
organisation's year, too slow to redraw a million records on every filter change. Here the
facts are turned into integer columns once, when the data loads; a filter change is then a
handful of vectorised comparisons and ``np.bincount`` calls, and the counts are laid out by
the same ``dashboard._Builder``, so both paths give the very same tables (a test checks
that on generated data for many filters).

Multi-valued fields (age bands, languages, barriers heard...) are kept as pairs of arrays
(row, code): "any of these codes" is a scatter into a boolean row mask.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any
from dataclasses import dataclass

import numpy as np

from ..domain import ADDRESSED, ReferenceLists
from .dashboard import INTENTION_ORDER, DashboardData, _Builder, _Mention, _Tally, quote_key
from .filters import REVIEW_STATES, Fact, FactContext, ReportFilter
from .tasks import NO_TASK, TaskLike, check

_KINDS = ("conversation", "barrier", "outreach_activity")
_ADDRESSED = tuple(ADDRESSED)
_GROUP_DIMENSIONS = ("age_band", "ethnic_group", "ethnic_group_group", "language", "core20plus")
_FACT_FIELD = {"age_band": "age_bands", "ethnic_group": "ethnic_groups", "ethnic_group_group": "ethnic_group_groups",
               "language": "languages", "core20plus": "core20plus"}


class _Codes:
    """Strings <-> small integers for one column; ``None`` is -1."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[str] = []

    def __call__(self, value: str | None) -> int:
        if value is None:
            return -1
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found

    def lookup(self, values: frozenset[str]) -> np.ndarray:
        return np.array([self.index[v] for v in values if v in self.index], dtype=np.int32)


@dataclass
class _Pairs:
    row: np.ndarray
    code: np.ndarray
    has_any: np.ndarray  # per fact: at least one value recorded


def _pairs(rows: list[int], codes: list[int], n: int) -> _Pairs:
    row = np.array(rows, dtype=np.int64)
    has_any = np.zeros(n, dtype=bool)
    has_any[row] = True
    return _Pairs(row, np.array(codes, dtype=np.int32), has_any)


@dataclass
class KeptRows:
    """``FactColumns.kept_rows``: parallel lists, newest first (kinds and states are shared strings)."""

    ids: list[str]
    kinds: list[str]  # "conversation", "barrier" or "outreach_activity"
    review_states: list[str]  # keys of ``REVIEW_STATES``
    authors: list[str | None]

    def __len__(self) -> int:
        return len(self.ids)

    def counts(self) -> Counter[str]:
        """How many of each kind, for the list's count line."""
        return Counter(self.kinds)


class FactColumns:
    """Every fact as columns; build once (on a worker), then ``dashboard(filter)`` as often as you like."""

    def __init__(self, facts: Iterable[Fact], reference: ReferenceLists, *, keep_facts: bool = True) -> None:
        """``facts`` may be a generator; with ``keep_facts=False`` nothing but the columns and the
        quotes' wording is kept, so a million records fit in memory (see ``from_store``)."""
        self.reference = reference
        self.authors, self.hoods, self.weeks = _Codes(), _Codes(), _Codes()
        self.codes = {d: _Codes() for d in _GROUP_DIMENSIONS}
        self.barriers, self.domains, self.activity_kinds = _Codes(), _Codes(), _Codes()
        self.quotes = _Codes()
        review_index = {s: i for i, s in enumerate(REVIEW_STATES)}
        self.review_values = list(REVIEW_STATES)
        intention = {s: i for i, s in enumerate(INTENTION_ORDER)}

        # Plain lists while walking the facts (numpy scalar stores are slow), arrays at the end.
        kind: list[int] = []
        day: list[int] = []
        week: list[int] = []
        author: list[int] = []
        hood: list[int] = []
        decile: list[int] = []
        review: list[int] = []
        deleted: list[bool] = []
        people: list[int] = []
        ids: list[str] = []
        occurred: list[float] = []
        kept: list[Fact] = []
        conv_rows: list[int] = []
        conv_values: list[tuple[bool, bool, int, int]] = []
        out_rows: list[int] = []
        out_values: list[tuple[int, int, float]] = []
        pair_rows: dict[str, list[int]] = {d: [] for d in _GROUP_DIMENSIONS}
        pair_codes: dict[str, list[int]] = {d: [] for d in _GROUP_DIMENSIONS}
        m_row: list[int] = []
        m_code: list[int] = []
        m_domain: list[int] = []
        m_addressed: list[int] = []
        m_quote: list[int] = []
        self.m_text: list[str] = []
        kinds = {k: i for i, k in enumerate(_KINDS)}
        addressed_index = {a: i for i, a in enumerate(_ADDRESSED)}
        quote_ids: dict[str, int] = {}  # raw quote -> id of its key; residents' words repeat

        def quote_id(quote: str) -> int:
            found = quote_ids.get(quote)
            if found is None:
                key = quote_key(quote) if quote else ""
                found = quote_ids[quote] = self.quotes(key) if key else -1
            return found

        for i, f in enumerate(facts):
            ids.append(f.id)
            occurred.append(f.occurred_at.timestamp())
            if keep_facts:
                kept.append(f)
            kind.append(kinds[f.kind])
            day.append(f.day.toordinal())
            week.append(self.weeks(f.week))
            author.append(self.authors(f.author_id))
            hood.append(self.hoods(f.neighbourhood))
            decile.append(f.decile or 0)
            review.append(review_index.get(f.review_state, 0))
            deleted.append(f.deleted)
            people.append(f.people)
            record = f.record
            for dimension in _GROUP_DIMENSIONS:
                values = getattr(f, _FACT_FIELD[dimension])
                if values:
                    codes = self.codes[dimension]
                    pair_rows[dimension].extend([i] * len(values))
                    pair_codes[dimension].extend([codes(v) for v in values])
            if f.kind == "conversation":
                conv_rows.append(i)
                conv_values.append((record.referral_made, bool(record.signposted_to),
                                    intention[record.intention_before], intention[record.intention_after]))
                if not record.barriers:
                    continue
                domains = dict(zip(f.barrier_codes, f.barrier_domains))
                heard = [(b.code, domains.get(b.code, ""), b.quote, b.addressed) for b in record.barriers]
            elif f.kind == "barrier":
                heard = [(record.code, f.barrier_domains[0], record.quote, record.addressed)]
            else:
                out_rows.append(i)
                out_values.append((self.activity_kinds(record.activity_kind), record.duration_minutes,
                                   record.volunteer_hours))
                continue
            for code, domain, quote, addressed in heard:
                m_row.append(i)
                m_code.append(self.barriers(code))
                m_domain.append(self.domains(domain))
                m_addressed.append(addressed_index[addressed])
                m_quote.append(quote_id(quote))
                self.m_text.append(quote)

        n = self.n = len(ids)
        referral = np.zeros(n, dtype=bool)
        signposted = np.zeros(n, dtype=bool)
        before = np.zeros(n, dtype=np.int8)
        after = np.zeros(n, dtype=np.int8)
        activity = np.full(n, -1, dtype=np.int32)
        minutes = np.zeros(n, dtype=np.int64)
        volunteer = np.zeros(n, dtype=np.float64)
        if conv_rows:
            rows = np.array(conv_rows, dtype=np.int64)
            values = np.array(conv_values, dtype=np.int64)
            referral[rows], signposted[rows] = values[:, 0].astype(bool), values[:, 1].astype(bool)
            before[rows], after[rows] = values[:, 2], values[:, 3]
        if out_rows:
            rows = np.array(out_rows, dtype=np.int64)
            activity[rows] = [v[0] for v in out_values]
            minutes[rows] = [v[1] for v in out_values]
            volunteer[rows] = [v[2] for v in out_values]
        self.kind = np.array(kind, dtype=np.int8)
        self.day = np.array(day, dtype=np.int32)
        self.week = np.array(week, dtype=np.int32)
        self.author = np.array(author, dtype=np.int32)
        self.hood = np.array(hood, dtype=np.int32)
        self.decile = np.array(decile, dtype=np.int8)
        self.review = np.array(review, dtype=np.int8)
        self.deleted = np.array(deleted, dtype=bool)
        self.people = np.array(people, dtype=np.int64)
        self.referral, self.signposted, self.before, self.after = referral, signposted, before, after
        self.activity, self.minutes, self.volunteer = activity, minutes, volunteer
        self.pairs = {d: _pairs(pair_rows[d], pair_codes[d], n) for d in _GROUP_DIMENSIONS}
        self.m_row = np.array(m_row, dtype=np.int64)
        self.m_code = np.array(m_code, dtype=np.int32)
        self.m_domain = np.array(m_domain, dtype=np.int32)
        self.m_addressed = np.array(m_addressed, dtype=np.int8)
        self.m_quote = np.array(m_quote, dtype=np.int64)
        self.occurred = np.array(occurred, dtype=np.float64)
        self.ids = ids
        self.facts: list[Fact] | None = kept if keep_facts else None
        # Mentions with a quote, in time order (ties: later mention first), so a query's latest
        # telling of each quote is simply the last one of its key in this order.
        quoted = np.flatnonzero(self.m_quote >= 0)
        self.m_by_time = quoted[np.lexsort((-quoted, self.occurred[self.m_row[quoted]]))]
        # Each quoted mention's (barrier, quote) pair as a small id, the ids in key order, so a query
        # counts and finds each pair's latest telling with a bincount, not a sort of every mention.
        self.pair_key, inverse = np.unique(self.m_code[quoted].astype(np.int64) * len(self.quotes.values)
                                           + self.m_quote[quoted], return_inverse=True)
        self.m_pair = np.full(len(self.m_row), -1, dtype=np.int64)
        self.m_pair[quoted] = inverse

    # ---- filtering ---------------------------------------------------------------------

    def _rows_with(self, dimension: str, wanted: frozenset[str]) -> np.ndarray:
        pairs = self.pairs[dimension]
        hit = np.zeros(self.n, dtype=bool)
        codes = self.codes[dimension].lookup(wanted)
        if len(codes):
            hit[pairs.row[np.isin(pairs.code, codes)]] = True
        return hit

    def _mention_keep(self, flt: ReportFilter) -> np.ndarray:
        keep = np.ones(len(self.m_row), dtype=bool)
        if flt.barrier_codes:
            keep &= np.isin(self.m_code, self.barriers.lookup(flt.barrier_codes))
        if flt.barrier_domains:
            keep &= np.isin(self.m_domain, self.domains.lookup(flt.barrier_domains))
        return keep

    def mask(self, flt: ReportFilter) -> np.ndarray:
        """The facts this filter keeps, as ``ReportFilter.matches`` would say for each."""
        m = np.ones(self.n, dtype=bool) if flt.include_deleted else ~self.deleted
        if flt.since is not None:
            m &= self.day >= flt.since.toordinal()
        if flt.until is not None:
            m &= self.day <= flt.until.toordinal()
        if flt.champions:
            m &= np.isin(self.author, self.authors.lookup(flt.champions))
        if flt.neighbourhoods:
            m &= np.isin(self.hood, self.hoods.lookup(flt.neighbourhoods))
        if flt.review_states:
            m &= np.isin(self.review, [self.review_values.index(s) for s in flt.review_states if s in self.review_values])
        if flt.barrier_codes or flt.barrier_domains:
            rows = np.zeros(self.n, dtype=bool)
            rows[self.m_row[self._mention_keep(flt)]] = True
            m &= rows
        for dimension, wanted in (("age_band", flt.age_bands), ("language", flt.languages),
                                  ("core20plus", flt.core20plus)):
            if wanted:
                m &= self._rows_with(dimension, wanted)
        if flt.ethnic_groups:
            m &= self._rows_with("ethnic_group", flt.ethnic_groups) | self._rows_with("ethnic_group_group", flt.ethnic_groups)
        if flt.deciles:
            m &= np.isin(self.decile, list(flt.deciles))
        if flt.core20_only:
            m &= (self.decile == 1) | (self.decile == 2)
        return m

    def _kept_rows(self, flt: ReportFilter) -> np.ndarray:
        rows = np.flatnonzero(self.mask(flt))
        return rows[np.argsort(-self.occurred[rows], kind="stable")]

    def kept_ids(self, flt: ReportFilter) -> list[str]:
        """The ids this filter keeps, newest first: a big list pages its records in with ``get_many``."""
        return [self.ids[i] for i in self._kept_rows(flt)]

    def kept_rows(self, flt: ReportFilter) -> "KeptRows":
        """Ids, kinds and review states this filter keeps, newest first: all a paged list needs
        before it reads a page of records (the kind says which repository holds each id)."""
        rows = self._kept_rows(flt)
        kinds = [_KINDS[k] for k in self.kind[rows].tolist()]
        states = [self.review_values[r] for r in self.review[rows].tolist()]
        return KeptRows([self.ids[i] for i in rows], kinds, states, [self.authors.values[a] if a >= 0 else None
                                                                       for a in self.author[rows].tolist()])

    def kept_facts(self, flt: ReportFilter) -> list[Fact]:
        """The facts themselves, newest first, for the Submissions list (needs ``keep_facts``)."""
        if self.facts is None:
            raise RuntimeError("built with keep_facts=False: use kept_ids and read the records from the store")
        return [self.facts[i] for i in self._kept_rows(flt)]

    @classmethod
    def from_store(cls, store: Any, context: FactContext, *, task: TaskLike = NO_TASK,
                   chunk: int = 2000) -> "FactColumns":
        """Columns for every record of the store (deleted ones left out, as in ``Desk.load``), read a
        chunk at a time and not kept: memory
        stays at the columns' size (about 100 bytes a record) however many records there are."""
        repos = (store.conversations, store.barriers, store.activities)
        id_lists = [repo.ids() for repo in repos]
        total = sum(len(ids) for ids in id_lists)

        def facts() -> Iterator[Fact]:
            done = 0
            for repo, ids in zip(repos, id_lists):
                for start in range(0, len(ids), chunk):
                    check(task)
                    task.progress(done, total)
                    for record in repo.get_many(ids[start:start + chunk]):
                        fact = context.fact(record)
                        if fact is not None:
                            yield fact  # used once, then dropped with its record
                    done += len(ids[start:start + chunk])
            task.progress(total, total)

        return cls(facts(), context.reference, keep_facts=False)

    # ---- counting ----------------------------------------------------------------------

    def dashboard(self, flt: ReportFilter, *, top_barriers: int = 5, quotes_per_barrier: int = 3) -> DashboardData:
        """The same ``DashboardData`` as ``build_dashboard(facts, flt, reference)``, computed on columns."""
        tally = self._tally(flt, quotes_per_barrier)
        builder = _Builder(tally, self.reference, flt, top_barriers, quotes_per_barrier)
        shift = builder.intention_shift()
        return DashboardData(
            report_filter=flt, headline=builder.headline(shift), barriers_by_domain=builder.barriers_by_domain(),
            top_barriers=builder.top_barriers(), top_barriers_by_week=builder.top_barriers_by_week(),
            by_neighbourhood=builder.by_neighbourhood(), people_by_age_band=builder.people_by_age_band(),
            people_by_ethnic_group=builder.people_by_ethnic_group(), people_by_language=builder.people_by_language(),
            people_by_core20plus=builder.people_by_core20plus(), by_deprivation_decile=builder.by_deprivation_decile(),
            intention_shift=shift, outreach_by_kind=builder.outreach_by_kind(), outreach_by_week=builder.outreach_by_week(),
            top_quotes=builder.top_quotes(),
        )

    def _tally(self, flt: ReportFilter, quotes_per_barrier: int) -> _Tally:
        t = _Tally()
        mask = self.mask(flt)
        conv = mask & (self.kind == 0)
        out = mask & (self.kind == 2)
        t.weeks = {self.weeks.values[w] for w in np.unique(self.week[mask])}
        t.conversations = int(conv.sum())
        t.people = int(self.people[conv].sum())
        t.referrals = int(self.referral[conv].sum())
        t.signposted = int(self.signposted[conv].sum())
        self._mentions(t, flt, mask, quotes_per_barrier)
        nh = len(self.hoods.values) + 1
        hood = self.hood + 1  # -1 (none) -> 0
        hood_names = [None, *self.hoods.values]
        columns = {
            "conversations": np.bincount(hood[conv], minlength=nh),
            "people": np.bincount(hood[conv], weights=self.people[conv], minlength=nh),
            "activities": np.bincount(hood[out], minlength=nh),
            "minutes": np.bincount(hood[out], weights=self.minutes[out], minlength=nh),
        }
        for h, name in enumerate(hood_names):
            for key, counts in columns.items():
                if counts[h]:
                    t.hood[name][key] += int(counts[h])
        for dimension in _GROUP_DIMENSIONS:
            pairs, values = self.pairs[dimension], self.codes[dimension].values
            keep = conv[pairs.row]
            codes, rows = pairs.code[keep], pairs.row[keep]
            n_conv = np.bincount(codes, minlength=len(values))
            n_people = np.bincount(codes, weights=self.people[rows], minlength=len(values))
            for c, code in enumerate(values):
                if n_conv[c]:
                    t.group_conv[(dimension, code)] = int(n_conv[c])
                    t.group_people[(dimension, code)] = int(n_people[c])
            none = conv & ~pairs.has_any
            if none.any():
                t.group_conv[(dimension, None)] = int(none.sum())
                t.group_people[(dimension, None)] = int(self.people[none].sum())
        deciles = np.bincount(self.decile[conv], minlength=11)
        decile_people = np.bincount(self.decile[conv], weights=self.people[conv], minlength=11)
        for d in range(11):
            if deciles[d]:
                t.decile_conv[d or None] = int(deciles[d])
                t.decile_people[d or None] = int(decile_people[d])
        shift = np.bincount(self.before[conv].astype(np.int64) * 5 + self.after[conv], minlength=25)
        for k in np.flatnonzero(shift):
            t.shift[(INTENTION_ORDER[k // 5], INTENTION_ORDER[k % 5])] = int(shift[k])
        for codes, key_index, bucket_of in ((self.activity_kinds.values, self.activity, t.outreach),
                                            (self.weeks.values, self.week, t.outreach_week)):
            index = key_index[out]
            counts = {
                "activities": np.bincount(index, minlength=len(codes)),
                "minutes": np.bincount(index, weights=self.minutes[out], minlength=len(codes)),
                "volunteer_hours": np.bincount(index, weights=self.volunteer[out], minlength=len(codes)),
                "people": np.bincount(index, weights=self.people[out], minlength=len(codes)),
            }
            for c in np.flatnonzero(counts["activities"]):
                bucket = bucket_of[codes[c]]
                for key, values in counts.items():
                    bucket[key] += float(values[c]) if key == "volunteer_hours" else int(values[c])
        return t

    def _mentions(self, t: _Tally, flt: ReportFilter, mask: np.ndarray, quotes_per_barrier: int) -> None:
        keep = self._mention_keep(flt) & mask[self.m_row]
        codes = self.m_code[keep]
        rows = self.m_row[keep]
        nb = len(self.barriers.values)
        heard = np.bincount(codes, minlength=nb)
        addressed = np.bincount(codes.astype(np.int64) * 3 + self.m_addressed[keep], minlength=nb * 3)
        conv_rows = self.kind[rows] == 0
        for c in np.flatnonzero(heard):
            code = self.barriers.values[c]
            t.heard[code] = int(heard[c])
            for a, name in enumerate(_ADDRESSED):
                if addressed[c * 3 + a]:
                    t.addressed[(code, name)] = int(addressed[c * 3 + a])
        domain_of = np.full(nb, -1, dtype=np.int64)
        domain_of[codes] = self.m_domain[keep]
        for c in np.flatnonzero(heard):
            t.domain_of[self.barriers.values[c]] = self.domains.values[domain_of[c]]
        nw = len(self.weeks.values)
        by_week = np.bincount(self.week[rows].astype(np.int64) * nb + codes, minlength=nw * nb)
        for k in np.flatnonzero(by_week):
            t.heard_by_week[(self.weeks.values[k // nb], self.barriers.values[k % nb])] = int(by_week[k])
        hood = self.hood[rows] + 1
        hood_heard = np.bincount(hood, minlength=len(self.hoods.values) + 1)
        for h in np.flatnonzero(hood_heard):
            t.hood[None if h == 0 else self.hoods.values[h - 1]]["heard"] += int(hood_heard[h])
        decile_heard = np.bincount(self.decile[rows[conv_rows]], minlength=11)
        for d in np.flatnonzero(decile_heard):
            t.decile_heard[int(d) or None] = int(decile_heard[d])
        self._quotes(t, keep, quotes_per_barrier)

    def _quotes(self, t: _Tally, keep: np.ndarray, per_barrier: int) -> None:
        """Each barrier's most-heard quotes (then most recent), with the wording of the latest telling."""
        ordered = self.m_by_time[keep[self.m_by_time]]
        if not len(ordered):
            return
        nq = len(self.quotes.values)
        pair = self.m_pair[ordered]
        counts = np.bincount(pair, minlength=len(self.pair_key))
        # In time order the last of each pair is its latest telling.
        last = np.full(len(self.pair_key), -1, dtype=np.int64)
        np.maximum.at(last, pair, np.arange(len(ordered), dtype=np.int64))
        present = np.flatnonzero(counts)
        group_key, count = self.pair_key[present], counts[present]
        latest_mention = ordered[last[present]]
        latest = self.occurred[self.m_row[latest_mention]]
        code = group_key // nq
        # Per barrier: most heard, then most recent; keep a few spare for the builder's final tie-break on text.
        rank = np.lexsort((-latest, -count, code))
        taken: Counter[int] = Counter()
        for g in rank:
            c = int(code[g])
            if taken[c] >= per_barrier * 2:
                continue
            taken[c] += 1
            m = int(latest_mention[g])
            row = int(self.m_row[m])
            hood = int(self.hood[row])
            t.quotes[self.barriers.values[c]][str(group_key[g])] = _Mention(
                int(count[g]), datetime.fromtimestamp(float(self.occurred[row]), tz=timezone.utc), self.m_text[m],
                self.hoods.values[hood] if hood >= 0 else None)
