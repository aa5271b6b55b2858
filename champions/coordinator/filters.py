"""One set of filters for every chart, table and export on the coordinator's desk.

Records are first flattened into ``Fact`` rows (once, when the data loads): the
dimensions a filter or a chart needs, with labels' codes resolved (barrier -> BeSD
domain, ethnic group -> its five-group heading, district -> deprivation decile).
A filter change then only walks these light rows, never the pydantic records.

Matching is strict: a record that does not carry a filtered dimension does not match
(an outreach activity has no barriers, so a barrier filter leaves no outreach; a
conversation without a postcode district has no decile, so a Core20 filter drops it).
That keeps every number attributable: nothing is counted under a filter it was never
tagged with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from ..domain import Barrier, Conversation, OutreachActivity, ReferenceLists, as_utc

REVIEW_STATES: dict[str, str] = {
    "unreviewed": "Not reviewed",
    "reviewed": "Reviewed",
    "queried": "Query sent",
    "answered": "Query answered",
}
CORE20_DECILES = frozenset({1, 2})


def iso_week(day: date) -> str:
    """``2026-W05``: ISO weeks, so a week that straddles New Year is one week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(slots=True)
class Fact:
    """One record flattened for filtering and counting; ``record`` keeps the original for quotes and exports."""

    kind: str
    id: str
    author_id: str | None
    occurred_at: datetime
    day: date
    week: str
    neighbourhood: str | None
    district: str | None = None
    decile: int | None = None
    people: int = 0
    age_bands: tuple[str, ...] = ()
    ethnic_groups: tuple[str, ...] = ()
    ethnic_group_groups: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    core20plus: tuple[str, ...] = ()
    barrier_codes: tuple[str, ...] = ()  # distinct codes heard
    barrier_domains: tuple[str, ...] = ()  # the BeSD domain of each code, same order
    review_state: str = "unreviewed"
    deleted: bool = False
    record: Any = None


@dataclass
class FactContext:
    """What turns a record into a fact: the lists, the deprivation lookup and the review states."""

    reference: ReferenceLists
    decile_of_district: Mapping[str, int] = field(default_factory=dict)
    review_states: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._domain: dict[str, str] = {}
        self._ethnic_group: dict[str, str] = {}

    def barrier_domain(self, code: str) -> str:
        found = self._domain.get(code)
        if found is None:
            item = self.reference.get("barrier", code)
            found = self._domain[code] = (item.group if item and item.group else "")
        return found

    def ethnic_group_of(self, code: str) -> str:
        found = self._ethnic_group.get(code)
        if found is None:
            item = self.reference.get("ethnic_group", code)
            found = self._ethnic_group[code] = (item.group if item and item.group else "")
        return found

    def fact(self, record: Any) -> Fact | None:
        """The fact for a conversation, barrier or outreach activity; None for other kinds."""
        if not isinstance(record, (Conversation, Barrier, OutreachActivity)):
            return None
        when = as_utc(record.occurred_at)
        day = when.date()
        base = dict(kind=record.kind, id=record.id, author_id=record.author_id, occurred_at=when, day=day,
                    week=iso_week(day), neighbourhood=record.neighbourhood,
                    review_state=self.review_states.get(record.id, "unreviewed"), deleted=record.deleted,
                    record=record)
        if isinstance(record, Conversation):
            codes = tuple(dict.fromkeys(b.code for b in record.barriers))
            groups = record.groups
            district = record.postcode_district
            return Fact(
                **base, district=district,
                decile=self.decile_of_district.get(district) if district else None,
                people=record.people_reached, age_bands=tuple(groups.age_bands),
                ethnic_groups=tuple(groups.ethnic_groups),
                ethnic_group_groups=tuple(dict.fromkeys(self.ethnic_group_of(c) for c in groups.ethnic_groups)),
                languages=tuple(groups.languages), core20plus=tuple(groups.core20plus),
                barrier_codes=codes, barrier_domains=tuple(self.barrier_domain(c) for c in codes),
            )
        if isinstance(record, Barrier):
            return Fact(**base, barrier_codes=(record.code,), barrier_domains=(self.barrier_domain(record.code),))
        return Fact(**base, people=record.people_reached, languages=tuple(record.languages))


def build_facts(records: Iterable[Any], context: FactContext) -> list[Fact]:
    """Flatten once; assets and reference items are skipped (they are not reported on by period)."""
    out: list[Fact] = []
    for record in records:
        fact = context.fact(record)
        if fact is not None:
            out.append(fact)
    return out


def _as_set(value: Iterable[Any] | None) -> frozenset:
    return frozenset(value or ())


def _day(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value).date()
    return value


@dataclass(frozen=True)
class ReportFilter:
    """Empty fields filter nothing. Several values in one field mean "any of"; fields combine with "and".

    ``since`` and ``until`` are days, both included (UTC dates of ``occurred_at``).
    ``ethnic_groups`` takes detailed codes (``asian_bangladeshi``) or the five group codes (``asian``).
    """

    since: date | None = None
    until: date | None = None
    champions: frozenset[str] = frozenset()
    neighbourhoods: frozenset[str] = frozenset()
    barrier_domains: frozenset[str] = frozenset()
    barrier_codes: frozenset[str] = frozenset()
    age_bands: frozenset[str] = frozenset()
    ethnic_groups: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    core20plus: frozenset[str] = frozenset()
    review_states: frozenset[str] = frozenset()
    deciles: frozenset[int] = frozenset()
    core20_only: bool = False
    include_deleted: bool = False

    @classmethod
    def make(cls, *, since: date | datetime | None = None, until: date | datetime | None = None,
             **values: Any) -> "ReportFilter":
        """Accepts any iterables (lists from pickers) and datetimes; stores frozensets and dates."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise TypeError(f"unknown filter field(s): {', '.join(sorted(unknown))}")
        clean: dict[str, Any] = {}
        for name, value in values.items():
            clean[name] = value if isinstance(value, bool) else _as_set(value)
        return cls(since=_day(since), until=_day(until), **clean)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (sorted lists, ISO dates), e.g. to keep the last filter in ``store.settings``."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                out[f.name] = value.isoformat()
            elif isinstance(value, frozenset):
                if value:
                    out[f.name] = sorted(value)
            elif value is not None and value is not False:
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ReportFilter":
        """The inverse of ``to_dict``; unknown keys (from a newer version) are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("since", "until"):
            if isinstance(values.get(name), str):
                values[name] = date.fromisoformat(values[name])
        return cls.make(**values)

    @property
    def is_empty(self) -> bool:
        return self == ReportFilter(include_deleted=self.include_deleted)

    def keeps_barrier(self, code: str, domain: str) -> bool:
        """Within a kept conversation, which of its barriers count under this filter."""
        if self.barrier_codes and code not in self.barrier_codes:
            return False
        return not self.barrier_domains or domain in self.barrier_domains

    def matches(self, fact: Fact) -> bool:
        if fact.deleted and not self.include_deleted:
            return False
        if self.since is not None and fact.day < self.since:
            return False
        if self.until is not None and fact.day > self.until:
            return False
        if self.champions and fact.author_id not in self.champions:
            return False
        if self.neighbourhoods and fact.neighbourhood not in self.neighbourhoods:
            return False
        if self.review_states and fact.review_state not in self.review_states:
            return False
        if self.barrier_codes or self.barrier_domains:
            if not any(self.keeps_barrier(c, d) for c, d in _barrier_pairs(fact)):
                return False
        if self.age_bands and self.age_bands.isdisjoint(fact.age_bands):
            return False
        if self.ethnic_groups and self.ethnic_groups.isdisjoint(fact.ethnic_groups) \
                and self.ethnic_groups.isdisjoint(fact.ethnic_group_groups):
            return False
        if self.languages and self.languages.isdisjoint(fact.languages):
            return False
        if self.core20plus and self.core20plus.isdisjoint(fact.core20plus):
            return False
        if self.deciles and fact.decile not in self.deciles:
            return False
        if self.core20_only and fact.decile not in CORE20_DECILES:
            return False
        return True

    def apply(self, facts: Iterable[Fact]) -> list[Fact]:
        return [f for f in facts if self.matches(f)]

    def records(self, records: Iterable[Any], context: FactContext) -> Iterator[Any]:
        """The records (conversations, barriers, outreach) this filter keeps, for exports."""
        if self.is_empty:  # the common "everything" export: no facts to build
            kinds = (Conversation, Barrier, OutreachActivity)
            yield from (r for r in records if isinstance(r, kinds) and (self.include_deleted or not r.deleted))
            return
        for record in records:
            fact = context.fact(record)
            if fact is not None and self.matches(fact):
                yield record

    def describe(self, reference: ReferenceLists,
                 champion_name: Callable[[str], str] = str) -> list[tuple[str, str]]:
        """The filters in words, for the PDF summary and the export's first lines."""
        out: list[tuple[str, str]] = []
        if self.since or self.until:
            start = self.since.strftime("%d %b %Y") if self.since else "the start"
            end = self.until.strftime("%d %b %Y") if self.until else "today"
            out.append(("Period", f"{start} to {end}"))
        else:
            out.append(("Period", "All dates"))

        def names(list_name: str, codes: frozenset[str]) -> str:
            return ", ".join(sorted(reference.label(list_name, c) for c in codes))

        if self.champions:
            out.append(("Champions", ", ".join(sorted(champion_name(c) for c in self.champions))))
        if self.neighbourhoods:
            out.append(("Neighbourhoods", names("neighbourhood", self.neighbourhoods)))
        if self.barrier_domains:
            out.append(("Barrier domains", names("barrier_group", self.barrier_domains)))
        if self.barrier_codes:
            out.append(("Barriers", names("barrier", self.barrier_codes)))
        if self.age_bands:
            out.append(("Age bands", names("age_band", self.age_bands)))
        if self.ethnic_groups:
            labels = sorted(reference.label("ethnic_group_group", c) if reference.get("ethnic_group_group", c)
                            else reference.label("ethnic_group", c) for c in self.ethnic_groups)
            out.append(("Ethnic groups", ", ".join(labels)))
        if self.languages:
            out.append(("Languages", names("language", self.languages)))
        if self.core20plus:
            out.append(("Core20PLUS groups", names("core20plus", self.core20plus)))
        if self.review_states:
            out.append(("Review", ", ".join(sorted(REVIEW_STATES.get(s, s) for s in self.review_states))))
        if self.deciles:
            out.append(("Deprivation deciles", ", ".join(str(d) for d in sorted(self.deciles))))
        if self.core20_only:
            out.append(("Core20", "Most deprived 20% of areas only (deciles 1 and 2)"))
        return out


def _barrier_pairs(fact: Fact) -> Iterator[tuple[str, str]]:
    return zip(fact.barrier_codes, fact.barrier_domains)
