"""The dashboard for a million records: facts as bitsets, a filter as a bitset, counts as popcounts.

``dashboard.build_dashboard`` walks Python objects (about 17 µs a record): fine for an
organisation's year, too slow to redraw a million records on every filter change. Here the
facts are turned into bitsets once, when the data loads: for each value of each field, one
Python integer whose bit *r* says whether row *r* has it. A filter is then a few ORs and ANDs
of those integers, and a count is ``(filter & bits).bit_count()``. CPython runs those in C at
memory speed (a million rows are 125 KB: some 20-45 µs an operation), so the whole dashboard
costs a few hundred such operations, with no numpy (and no 30 MB of BLAS in the installer).

Three layouts make the rest cheap:

- rows are kept newest first, so a date range or an ISO week is a run of consecutive bits, and
  the kept rows come out already in the Submissions list's order;
- a sum (people, minutes) is kept as bit planes: plane *b* holds the rows whose value has bit
  *b* set, so the sum over a filter is ``Σ 2^b · (filter & plane_b).bit_count()``;
- a field that holds several values (age bands, barriers heard...) is a "multiset": layer *j*
  holds the rows with at least *j+1* of that value, so duplicates count as the tally counts them.

Only quotes (one entry per quoted mention, counted and ranked per barrier) and outreach
activities (a few percent of records, whose volunteer hours are fractional) are walked one by
one. The counts are laid out by the same ``dashboard._Builder``, so both paths give the very same
tables (a test checks that on generated data for many filters).
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from itertools import compress
from typing import Any

from ..domain import ADDRESSED, ReferenceLists
from .dashboard import INTENTION_ORDER, DashboardData, _Builder, _Mention, _Tally, quote_key
from .filters import CORE20_DECILES, REVIEW_STATES, Fact, FactContext, ReportFilter
from .tasks import NO_TASK, TaskLike, check

_KINDS = ("conversation", "barrier", "outreach_activity")
_CONVERSATION, _OUTREACH = 0, 2
_ADDRESSED = tuple(ADDRESSED)
_GROUP_DIMENSIONS = ("age_band", "ethnic_group", "ethnic_group_group", "language", "core20plus")
_FACT_FIELD = {"age_band": "age_bands", "ethnic_group": "ethnic_groups", "ethnic_group_group": "ethnic_group_groups",
               "language": "languages", "core20plus": "core20plus"}
_FLAGS = bytes.maketrans(b"01", b"\x00\x01")


class _Codes:
    """Strings <-> small integers for one field; ``None`` is -1."""

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

    def name(self, code: int) -> str | None:
        return None if code < 0 else self.values[code]


# ---- bitset helpers ------------------------------------------------------------------------

def _bits(rows: Iterable[int], nbytes: int) -> int:
    flags = bytearray(nbytes)
    for r in rows:
        flags[r >> 3] |= 1 << (r & 7)
    return int.from_bytes(flags, "little")


def _bitsets(codes: Iterable[int], nbytes: int) -> dict[int, int]:
    """One bitset per value of a one-value-per-row field."""
    rows: dict[int, array] = {}
    for r, code in enumerate(codes):
        found = rows.get(code)
        if found is None:
            found = rows[code] = array("q")
        found.append(r)
    return {code: _bits(found, nbytes) for code, found in rows.items()}


def _multisets(facts: Iterable[int], keys: Iterable[int], position: Sequence[int], nbytes: int) -> dict[int, list[int]]:
    """Layers per key from parallel (fact, key) entries, a fact's entries together: layer j holds
    the rows (``position[fact]``) that hold the key more than j times."""
    layers: dict[int, list[array]] = {}
    last: dict[int, tuple[int, int]] = {}  # key -> (its last fact, how deep that fact went)
    for fact, key in zip(facts, keys):
        seen, depth = last.get(key, (-1, 0))
        depth = depth + 1 if seen == fact else 0
        last[key] = (fact, depth)
        found = layers.get(key)
        if found is None:
            found = layers[key] = [array("q")]
        if depth == len(found):
            found.append(array("q"))
        found[depth].append(position[fact])
    return {key: [_bits(rows, nbytes) for rows in found] for key, found in layers.items()}


def _planes(values: Sequence[int], nbytes: int) -> list[int]:
    """Bit planes of non-negative whole numbers (the records' validators see to that)."""
    rows: list[list[int]] = [[] for _ in range(max(values, default=0).bit_length())]
    for r, value in enumerate(values):
        while value:
            low = value & -value
            rows[low.bit_length() - 1].append(r)
            value ^= low
    return [_bits(found, nbytes) for found in rows]


def _sum(x: int, planes: Sequence[int]) -> int:
    return sum((x & plane).bit_count() << b for b, plane in enumerate(planes)) if x else 0


def _accumulate(planes: list[int], x: int, weight: int = 0) -> None:
    """Add ``x`` (one per row, times 2**weight) into bit-sliced counters, as a ripple-carry adder would."""
    carry, b = x, weight
    planes.extend([0] * (weight - len(planes)))
    while carry:
        if b == len(planes):
            planes.append(carry)
            return
        planes[b], carry = planes[b] ^ carry, planes[b] & carry
        b += 1


def _counts_in_runs(x: int, runs: Sequence[tuple[int, int]], nbytes: int) -> list[int]:
    """How many bits of ``x`` each [start, end) run of rows holds."""
    if not x:
        return [0] * len(runs)
    data = x.to_bytes(nbytes, "little")
    counts = []
    for start, end in runs:
        chunk = int.from_bytes(data[start >> 3:(end + 7) >> 3], "little") >> (start & 7)
        counts.append((chunk & ((1 << (end - start)) - 1)).bit_count())
    return counts


def _flags(x: int, n: int) -> bytes:
    """Row r's bit as byte r (0 or 1), for ``itertools.compress`` and indexing."""
    return format(x, "b").zfill(n)[::-1].encode("ascii").translate(_FLAGS) if n else b""


def _union(bitsets: dict[Any, int], keys: Iterable[Any]) -> int:
    found = 0
    for key in keys:
        found |= bitsets.get(key, 0)
    return found


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


@dataclass(frozen=True)
class _Outreach:
    row: int
    hood: str | None
    kind: str
    week: str
    minutes: int
    volunteer_hours: float
    people: int


@dataclass
class _Told:
    """One (barrier, domain)'s quoted mentions, newest first, as parallel arrays."""

    rows: array = field(default_factory=lambda: array("q"))  # storage row of each telling
    pairs: array = field(default_factory=lambda: array("q"))  # its (barrier, quote) pair id
    words: list[str] = field(default_factory=list)  # the words as told


@dataclass
class _Quotes:
    """Quoted mentions per (barrier, domain). A quote told only once in all the data can never
    count more than once under any filter, so those are kept apart (``once``): the newest few
    that a filter keeps are all the ranking needs of them, found by reading from the front."""

    repeated: dict[tuple[int, int], _Told]
    once: dict[tuple[int, int], _Told]
    pair_quote: list[str]  # pair id -> quote key


def _quote_index(pairs: dict[tuple[int, str], int], domains: list[int], facts: array, told: array,
                 words: list[str], position: Sequence[int]) -> _Quotes:
    """The quoted mentions renumbered newest first, with pair ids that ascend with (barrier, the
    quote key's first telling in the facts' order), so ties in the ranking fall the same way
    however the rows were numbered."""
    first_told: dict[str, int] = {}
    for _barrier, key in pairs:  # in first-told order
        first_told.setdefault(key, len(first_told))
    ranked = sorted(pairs, key=lambda p: (p[0], first_told[p[1]]))
    renumber = array("q", [0]) * len(pairs)
    for number, pair in enumerate(ranked):
        renumber[pairs[pair]] = number
    tellings = Counter(told)
    quotes = _Quotes(defaultdict(_Told), defaultdict(_Told), [p[1] for p in ranked])
    for m in sorted(range(len(facts)), key=lambda m: position[facts[m]]):  # stable: a record's tellings keep their order
        pair = told[m]
        group = (quotes.repeated if tellings[pair] > 1 else quotes.once)[(ranked[renumber[pair]][0], domains[pair])]
        group.rows.append(position[facts[m]])
        group.pairs.append(renumber[pair])
        group.words.append(words[m])
    quotes.repeated, quotes.once = dict(quotes.repeated), dict(quotes.once)
    return quotes


class FactColumns:
    """Every fact as bitsets; build once (on a worker), then ``dashboard(filter)`` as often as you like."""

    def __init__(self, facts: Iterable[Fact], reference: ReferenceLists, *, keep_facts: bool = True) -> None:
        """``facts`` may be a generator; with ``keep_facts=False`` nothing but the bitsets, a few
        per-row arrays and the quotes' wording is kept, so a million records fit in memory (see ``from_store``)."""
        self.reference = reference
        self.authors, self.hoods, self.weeks = _Codes(), _Codes(), _Codes()
        self.codes = {d: _Codes() for d in _GROUP_DIMENSIONS}
        self.barriers, self.domains, self.activity_kinds = _Codes(), _Codes(), _Codes()
        self.review_values = list(REVIEW_STATES)
        review_index = {s: i for i, s in enumerate(REVIEW_STATES)}
        intention = {s: i for i, s in enumerate(INTENTION_ORDER)}
        kinds = {k: i for i, k in enumerate(_KINDS)}
        addressed_index = {a: i for i, a in enumerate(_ADDRESSED)}

        # First in the facts' own order; rows are renumbered newest first at the end. Arrays, not
        # lists of Python numbers: a million small objects made between the records' parsing would
        # pin the parser's freed memory (and keep the process's resident size at its peak).
        ids: list[str] = []
        occurred, day = array("d"), array("q")
        week, author, hood, people = array("q"), array("q"), array("q"), array("q")
        kind, decile, review, deleted = bytearray(), bytearray(), bytearray(), bytearray()
        referral, signposted, before, after = bytearray(), bytearray(), bytearray(), bytearray()
        kept: list[Fact] = []
        pair_facts = {d: array("q") for d in _GROUP_DIMENSIONS}
        pair_codes = {d: array("q") for d in _GROUP_DIMENSIONS}
        mention_keys: dict[tuple[int, int, int], int] = {}  # (barrier, domain, addressed) -> key
        mention_facts, mention_key = array("q"), array("q")
        quote_pairs: dict[tuple[int, str], int] = {}  # (barrier, quote key) -> id in first-told order
        quote_domain: list[int] = []
        quote_facts, quote_pair = array("q"), array("q")
        quote_words: list[str] = []
        outreach: list[tuple[int, int, int, float, int]] = []  # (fact, kind, minutes, hours, people reached)
        keys: dict[str, str] = {}  # raw quote -> its key; residents' words repeat

        for i, f in enumerate(facts):
            ids.append(f.id)
            occurred.append(f.occurred_at.timestamp())
            day.append(f.day.toordinal())
            if keep_facts:
                kept.append(f)
            kind.append(kinds[f.kind])
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
                    pair_facts[dimension].extend([i] * len(values))
                    pair_codes[dimension].extend([codes(v) for v in values])
            is_conversation = f.kind == "conversation"
            referral.append(is_conversation and record.referral_made)
            signposted.append(is_conversation and bool(record.signposted_to))
            before.append(intention[record.intention_before] if is_conversation else 0)
            after.append(intention[record.intention_after] if is_conversation else 0)
            if is_conversation:
                if not record.barriers:
                    continue
                domains = dict(zip(f.barrier_codes, f.barrier_domains))
                heard = [(b.code, domains.get(b.code, ""), b.quote, b.addressed) for b in record.barriers]
            elif f.kind == "barrier":
                heard = [(record.code, f.barrier_domains[0], record.quote, record.addressed)]
            else:
                outreach.append((i, self.activity_kinds(record.activity_kind), record.duration_minutes,
                                 record.volunteer_hours, record.people_reached))
                continue
            for code, domain, quote, addressed in heard:
                barrier, dom = self.barriers(code), self.domains(domain)
                mention_facts.append(i)
                mention_key.append(mention_keys.setdefault((barrier, dom, addressed_index[addressed]), len(mention_keys)))
                if quote:
                    key = keys.get(quote)
                    if key is None:
                        key = keys[quote] = quote_key(quote)
                    if key:
                        pair = quote_pairs.setdefault((barrier, key), len(quote_pairs))
                        if pair == len(quote_domain):
                            quote_domain.append(dom)
                        quote_facts.append(i)
                        quote_pair.append(pair)
                        quote_words.append(quote)
        del keys

        n = self.n = len(ids)
        nbytes = self._nbytes = (n + 7) // 8
        # Newest first; equal times keep the facts' order (as a stable sort would).
        order = sorted(range(n), key=occurred.__getitem__, reverse=True)  # stable, reverse or not
        position = array("q", [0]) * n
        for row, i in enumerate(order):
            position[i] = row

        def by_row(values: Sequence[Any]) -> Iterator[Any]:
            return map(values.__getitem__, order)

        self.ids = list(by_row(ids))
        del ids
        self.facts: list[Fact] | None = list(by_row(kept)) if keep_facts else None
        self.occurred = array("d", by_row(occurred))
        self._neg_days = array("q", (-day[i] for i in order))
        self.kind = bytes(by_row(kind))
        self.review = bytearray(by_row(review))
        self.author = array("q", by_row(author))
        self.hood = array("q", by_row(hood))
        self.all = (1 << n) - 1
        self.kind_bits = _bitsets(self.kind, nbytes)
        self.author_bits = _bitsets(self.author, nbytes)
        self.hood_bits = _bitsets(self.hood, nbytes)
        self.review_bits = _bitsets(self.review, nbytes)
        self.decile_bits = _bitsets(by_row(decile), nbytes)
        self.before_bits = _bitsets(by_row(before), nbytes)
        self.after_bits = _bitsets(by_row(after), nbytes)
        self.deleted = _bits((position[i] for i in range(n) if deleted[i]), nbytes)
        self.referral = _bits((position[i] for i in range(n) if referral[i]), nbytes)
        self.signposted = _bits((position[i] for i in range(n) if signposted[i]), nbytes)
        self.people_planes = _planes(array("q", by_row(people)), nbytes)
        weeks = by_row(week)
        self.week_runs: list[tuple[int, int]] = []
        self.week_run_code: list[int] = []
        for row, code in enumerate(weeks):
            if not self.week_run_code or self.week_run_code[-1] != code:
                if self.week_runs:
                    self.week_runs[-1] = (self.week_runs[-1][0], row)
                self.week_runs.append((row, n))
                self.week_run_code.append(code)

        self.pairs = {d: _multisets(pair_facts[d], pair_codes[d], position, nbytes) for d in _GROUP_DIMENSIONS}
        del pair_facts, pair_codes
        self.has_any = {d: _union({k: layers[0] for k, layers in self.pairs[d].items()}, self.pairs[d])
                        for d in _GROUP_DIMENSIONS}
        # Mentions: layers per (barrier, domain, addressed), and per (barrier, domain) the rows with any.
        by_key = _multisets(mention_facts, mention_key, position, nbytes)
        del mention_facts, mention_key
        self.mentions = {key: by_key[k] for key, k in mention_keys.items()}
        self.pair_rows: dict[tuple[int, int], int] = defaultdict(int)
        for (barrier, dom, _addressed), layers in self.mentions.items():
            self.pair_rows[(barrier, dom)] |= layers[0]
        self.outreach = [_Outreach(position[i], self.hoods.name(hood[i]), self.activity_kinds.values[k],
                                   self.weeks.values[week[i]], minutes, hours, reached)
                         for i, k, minutes, hours, reached in outreach]
        self.quotes = _quote_index(quote_pairs, quote_domain, quote_facts, quote_pair, quote_words, position)

    # ---- filtering ---------------------------------------------------------------------

    def _days(self, since: date | None, until: date | None) -> int:
        """Rows within [since, until]: one run, since rows are newest first."""
        start = 0 if until is None else bisect_left(self._neg_days, -until.toordinal())
        end = self.n if since is None else bisect_right(self._neg_days, -since.toordinal())
        return ((1 << end) - 1) ^ ((1 << start) - 1) if end > start else 0

    def _kept_pairs(self, flt: ReportFilter) -> list[tuple[int, int]]:
        """The (barrier, domain) codes whose mentions this filter counts."""
        return [(b, d) for (b, d) in self.pair_rows
                if flt.keeps_barrier(self.barriers.values[b], self.domains.values[d])]

    def _rows_with(self, dimension: str, wanted: frozenset[str]) -> int:
        index = self.codes[dimension].index
        return _union({k: layers[0] for k, layers in self.pairs[dimension].items()},
                      (index[v] for v in wanted if v in index))

    def mask(self, flt: ReportFilter) -> int:
        """The facts this filter keeps, as ``ReportFilter.matches`` would say for each: bit r for row r."""
        m = self.all if flt.include_deleted else self.all ^ self.deleted
        if flt.since is not None or flt.until is not None:
            m &= self._days(flt.since, flt.until)
        if flt.champions:
            m &= _union(self.author_bits, (self.authors.index[a] for a in flt.champions if a in self.authors.index))
        if flt.neighbourhoods:
            m &= _union(self.hood_bits, (self.hoods.index[h] for h in flt.neighbourhoods if h in self.hoods.index))
        if flt.review_states:
            m &= _union(self.review_bits, (self.review_values.index(s) for s in flt.review_states
                                           if s in self.review_values))
        if flt.barrier_codes or flt.barrier_domains:
            m &= _union(self.pair_rows, self._kept_pairs(flt))
        for dimension, wanted in (("age_band", flt.age_bands), ("language", flt.languages),
                                  ("core20plus", flt.core20plus)):
            if wanted:
                m &= self._rows_with(dimension, wanted)
        if flt.ethnic_groups:
            m &= self._rows_with("ethnic_group", flt.ethnic_groups) | self._rows_with("ethnic_group_group", flt.ethnic_groups)
        if flt.deciles:
            m &= _union(self.decile_bits, flt.deciles)
        if flt.core20_only:
            m &= _union(self.decile_bits, CORE20_DECILES)
        return m

    def set_review_state(self, record_id: str, state: str) -> bool:
        """A coordinator reviewed (or queried) one record: move its row to the new state's bitset in
        place, rather than reading every record again. False if the record is not in these columns."""
        try:
            row = self.ids.index(record_id)
        except ValueError:
            return False
        new = self.review_values.index(state) if state in self.review_values else 0
        old, bit = self.review[row], 1 << row
        if old != new:
            self.review_bits[old] = self.review_bits.get(old, 0) & ~bit
            self.review_bits[new] = self.review_bits.get(new, 0) | bit
            self.review[row] = new
        if self.facts is not None:
            self.facts[row] = replace(self.facts[row], review_state=self.review_values[new])
        return True

    def count(self, flt: ReportFilter) -> int:
        """How many facts this filter keeps."""
        return self.mask(flt).bit_count()

    def kept_ids(self, flt: ReportFilter) -> list[str]:
        """The ids this filter keeps, newest first: a big list pages its records in with ``get_many``."""
        return list(compress(self.ids, _flags(self.mask(flt), self.n)))

    def kept_rows(self, flt: ReportFilter) -> KeptRows:
        """Ids, kinds and review states this filter keeps, newest first: all a paged list needs
        before it reads a page of records (the kind says which repository holds each id)."""
        flags = _flags(self.mask(flt), self.n)
        authors = [None, *self.authors.values]
        return KeptRows(list(compress(self.ids, flags)), [_KINDS[k] for k in compress(self.kind, flags)],
                        [self.review_values[r] for r in compress(self.review, flags)],
                        [authors[a + 1] for a in compress(self.author, flags)])

    def kept_facts(self, flt: ReportFilter) -> list[Fact]:
        """The facts themselves, newest first, for the Submissions list (needs ``keep_facts``)."""
        if self.facts is None:
            raise RuntimeError("built with keep_facts=False: use kept_ids and read the records from the store")
        return list(compress(self.facts, _flags(self.mask(flt), self.n)))

    @classmethod
    def from_store(cls, store: Any, context: FactContext, *, task: TaskLike = NO_TASK,
                   chunk: int = 2000) -> "FactColumns":
        """Columns for every record of the store (deleted ones left out, as in ``Desk.load``), read a
        chunk at a time and not kept: memory
        stays at the bitsets' size (well under 100 bytes a record) however many records there are."""
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
        """The same ``DashboardData`` as ``build_dashboard(facts, flt, reference)``, computed on bitsets."""
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
        flags = _flags(mask, self.n)
        conv = mask & self.kind_bits.get(_CONVERSATION, 0)
        people = self.people_planes
        in_week = _counts_in_runs(mask, self.week_runs, self._nbytes)
        t.weeks = {self.weeks.values[code] for code, k in zip(self.week_run_code, in_week) if k}
        t.conversations = conv.bit_count()
        t.people = _sum(conv, people)
        t.referrals = (conv & self.referral).bit_count()
        t.signposted = (conv & self.signposted).bit_count()
        self._mentions(t, flt, mask, conv, flags, quotes_per_barrier)
        for code, bits in self.hood_bits.items():
            here = conv & bits
            if here:
                counts = t.hood[self.hoods.name(code)]
                counts["conversations"] += here.bit_count()
                counts["people"] += _sum(here, people)
        for dimension in _GROUP_DIMENSIONS:
            values = self.codes[dimension].values
            for code, layers in self.pairs[dimension].items():
                n_conv = n_people = 0
                for layer in layers:
                    here = conv & layer
                    if not here:
                        break
                    n_conv += here.bit_count()
                    n_people += _sum(here, people)
                if n_conv:
                    t.group_conv[(dimension, values[code])] = n_conv
                    t.group_people[(dimension, values[code])] = n_people
            none = conv & ~self.has_any[dimension]
            if none:
                t.group_conv[(dimension, None)] = none.bit_count()
                t.group_people[(dimension, None)] = _sum(none, people)
        for d, bits in sorted(self.decile_bits.items()):
            here = conv & bits
            if here:
                t.decile_conv[d or None] = here.bit_count()
                t.decile_people[d or None] = _sum(here, people)
        for b, before in self.before_bits.items():
            started = conv & before
            for a, after in self.after_bits.items() if started else ():
                k = (started & after).bit_count()
                if k:
                    t.shift[(INTENTION_ORDER[b], INTENTION_ORDER[a])] = k
        for o in self.outreach:  # a few percent of rows, in the facts' order (so float sums match the tally's)
            if flags[o.row]:
                t.activity(o.kind, o.week, o.hood, o.minutes, o.volunteer_hours, o.people)
        return t

    def _mentions(self, t: _Tally, flt: ReportFilter, mask: int, conv: int, flags: bytes, quotes_per_barrier: int) -> None:
        kept = set(self._kept_pairs(flt)) if flt.barrier_codes or flt.barrier_domains else None
        total: list[int] = []  # every kept mention, bit-sliced per row
        per_barrier: dict[int, list[int]] = defaultdict(list)
        for (barrier, dom, addressed), layers in self.mentions.items():
            if kept is not None and (barrier, dom) not in kept:
                continue
            code = self.barriers.values[barrier]
            planes = per_barrier[barrier]
            for layer in layers:
                here = mask & layer
                if not here:
                    break
                k = here.bit_count()
                t.heard[code] += k
                t.addressed[(code, _ADDRESSED[addressed])] += k
                t.domain_of[code] = self.domains.values[dom]
                _accumulate(planes, here)
        for barrier, planes in per_barrier.items():
            code = self.barriers.values[barrier]
            for weight, plane in enumerate(planes):
                _accumulate(total, plane, weight)
                for w, k in zip(self.week_run_code, _counts_in_runs(plane, self.week_runs, self._nbytes)):
                    if k:
                        t.heard_by_week[(self.weeks.values[w], code)] += k << weight
        for code, bits in self.hood_bits.items():
            heard = _sum(bits, total)
            if heard:
                t.hood[self.hoods.name(code)]["heard"] += heard
        for d, bits in self.decile_bits.items():
            heard = _sum(bits & conv, total)
            if heard:
                t.decile_heard[d or None] += heard
        self._quotes(t, kept, flags, quotes_per_barrier)

    def _quotes(self, t: _Tally, kept: set[tuple[int, int]] | None, flags: bytes, per_barrier: int) -> None:
        """Each barrier's most-heard quotes (then most recent), with the wording of the latest telling.

        Ranked as the builder ranks them (most heard, most recent, then the words), so the few
        handed to it are the very ones it would pick from all of them."""
        q, occurred, wanted = self.quotes, self.occurred, per_barrier * 2
        candidates: dict[int, list[tuple[int, float, str, int, int]]] = defaultdict(list)
        for group, told in q.repeated.items():
            if kept is not None and group not in kept:
                continue
            said = list(compress(range(len(told.rows)), map(flags.__getitem__, told.rows)))
            pairs = list(map(told.pairs.__getitem__, said))
            latest = dict(zip(reversed(pairs), reversed(said)))  # newest first: a pair's first telling is its latest
            candidates[group[0]].extend((-count, -occurred[told.rows[latest[pair]]], told.words[latest[pair]], pair,
                                         told.rows[latest[pair]]) for pair, count in Counter(pairs).items())
        for group, told in q.once.items():
            if kept is not None and group not in kept:
                continue
            # Told once, so heard once: the newest ``wanted`` of them (and any told at the same
            # moment as the last of those, for the tie-break on the words) are all that can rank.
            found = candidates[group[0]]
            taken, last = 0, None
            for m in compress(range(len(told.rows)), map(flags.__getitem__, told.rows)):
                when = occurred[told.rows[m]]
                if taken >= wanted and when != last:
                    break
                found.append((-1, -when, told.words[m], told.pairs[m], told.rows[m]))
                taken, last = taken + 1, when
        for barrier, found in candidates.items():
            code = self.barriers.values[barrier]
            for minus_count, minus_when, words, pair, row in heapq.nsmallest(wanted, found):
                t.quotes[code][q.pair_quote[pair]] = _Mention(
                    -minus_count, datetime.fromtimestamp(-minus_when, tz=timezone.utc), words, self.hoods.name(self.hood[row]))
