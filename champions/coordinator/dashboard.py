"""The dashboard's numbers as plain tables: every chart has its table beside it.

``build_dashboard(facts, report_filter, reference)`` filters once, walks the kept facts
once (a tally of counters), then lays the counters out as ``Table`` rows. The UI draws
each chart from the same rows it shows (and copies) in the table, so the chart and the
numbers can never disagree.

Counting rules (also in the data dictionary of the exports):
- A barrier "heard" is one mention: a barrier on a conversation, or a standalone barrier
  record. Under a barrier filter only the matching barriers of a conversation count.
- People reached by group: a conversation with 3 people and the groups 16-24 and 25-34
  adds 3 people to each band (groups are recorded per conversation, not per person), so
  group rows do not add up to the total.
- The intention shift counts conversations. Only conversations where intention was asked
  both times and the person was not already vaccinated can move; "towards yes" means
  no -> not sure, no -> yes or not sure -> yes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ..domain import ADDRESSED, INTENTIONS, Conversation, OutreachActivity, ReferenceLists
from .filters import CORE20_DECILES, Fact, ReportFilter, iso_week

NOT_RECORDED = "Not recorded"
INTENTION_ORDER = ("already_vaccinated", "yes", "not_sure", "no", "not_asked")
_TOWARDS_YES = {"no": 0, "not_sure": 1, "yes": 2}


@dataclass(frozen=True)
class Table:
    """A chart's numbers: ``columns`` are the headers people read, ``keys`` the codes programs use."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    keys: tuple[str, ...] = ()

    def column(self, name: str) -> list[Any]:
        index = (self.keys.index(name) if name in self.keys else self.columns.index(name))
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Any]]:
        names = self.keys or self.columns
        return [dict(zip(names, row)) for row in self.rows]

    def row_for(self, first_cell: Any) -> tuple[Any, ...]:
        for row in self.rows:
            if row[0] == first_cell:
                return row
        raise KeyError(first_cell)

    def as_tsv(self) -> str:
        """What "Copy" puts on the clipboard: pastes into a spreadsheet as cells."""
        def cell(v: Any) -> str:
            return "" if v is None else str(v).replace("\t", " ").replace("\n", " ")
        lines = ["\t".join(self.columns)] + ["\t".join(cell(v) for v in row) for row in self.rows]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Headline:
    conversations: int
    people_reached: int
    barriers_heard: int
    barriers_addressed: int
    barriers_partly_addressed: int
    percent_addressed: float
    outreach_activities: int
    outreach_hours: float
    volunteer_hours: float
    outreach_people_reached: int
    referrals: int
    signposted: int
    moved_towards_yes: int

    def table(self) -> Table:
        rows = (
            ("Conversations", self.conversations),
            ("People reached in conversations", self.people_reached),
            ("Barriers heard", self.barriers_heard),
            ("Barriers addressed", self.barriers_addressed),
            ("Barriers partly addressed", self.barriers_partly_addressed),
            ("% of barriers addressed", self.percent_addressed),
            ("Outreach activities", self.outreach_activities),
            ("Outreach hours", self.outreach_hours),
            ("Volunteer hours", self.volunteer_hours),
            ("People reached by outreach", self.outreach_people_reached),
            ("Referrals made", self.referrals),
            ("Conversations with signposting", self.signposted),
            ("Moved towards yes", self.moved_towards_yes),
        )
        return Table("Headline numbers", ("Measure", "Value"), rows)


@dataclass(frozen=True)
class IntentionShift:
    table: Table
    comparable: int
    moved_towards_yes: int
    moved_away: int
    unchanged: int

    @property
    def percent_towards_yes(self) -> float:
        return _percent(self.moved_towards_yes, self.comparable)

    def summary(self) -> str:
        if not self.comparable:
            return "No conversations where intention was asked before and after."
        return (f"{self.moved_towards_yes} of {self.comparable} conversations "
                f"({self.percent_towards_yes:g}%) moved towards yes; {self.moved_away} moved away; "
                f"{self.unchanged} did not change.")


@dataclass(frozen=True)
class DashboardData:
    report_filter: ReportFilter
    headline: Headline
    barriers_by_domain: Table
    top_barriers: Table
    top_barriers_by_week: Table
    by_neighbourhood: Table
    people_by_age_band: Table
    people_by_ethnic_group: Table
    people_by_language: Table
    people_by_core20plus: Table
    by_deprivation_decile: Table
    intention_shift: IntentionShift
    outreach_by_kind: Table
    outreach_by_week: Table
    top_quotes: Table

    def tables(self) -> list[Table]:
        """Every table in the order the dashboard shows them (the PDF uses the same order)."""
        return [self.headline.table(), self.barriers_by_domain, self.top_barriers, self.top_barriers_by_week,
                self.by_neighbourhood, self.people_by_age_band, self.people_by_ethnic_group,
                self.people_by_language, self.people_by_core20plus, self.by_deprivation_decile,
                self.intention_shift.table, self.outreach_by_kind, self.outreach_by_week, self.top_quotes]


def _percent(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _hours(minutes: float) -> float:
    return round(minutes / 60, 2)


def quote_key(text: str) -> str:
    """Quotes that differ only in case, spacing or punctuation are the same quote."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


@dataclass
class _Mention:
    count: int
    last_at: datetime
    text: str
    neighbourhood: str | None


@dataclass
class _Tally:
    """Every counter the dashboard needs, filled in one pass over the kept facts."""

    conversations: int = 0
    people: int = 0
    referrals: int = 0
    signposted: int = 0
    heard: Counter = field(default_factory=Counter)  # code -> mentions
    addressed: Counter = field(default_factory=Counter)  # (code, yes|partly|no) -> mentions
    domain_of: dict[str, str] = field(default_factory=dict)
    heard_by_week: Counter = field(default_factory=Counter)  # (week, code)
    weeks: set[str] = field(default_factory=set)
    hood: dict[str | None, Counter] = field(default_factory=lambda: defaultdict(Counter))
    group_conv: Counter = field(default_factory=Counter)  # (dimension, code)
    group_people: Counter = field(default_factory=Counter)
    decile_conv: Counter = field(default_factory=Counter)
    decile_people: Counter = field(default_factory=Counter)
    decile_heard: Counter = field(default_factory=Counter)
    shift: Counter = field(default_factory=Counter)  # (before, after)
    outreach: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    outreach_week: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    quotes: dict[str, dict[str, _Mention]] = field(default_factory=lambda: defaultdict(dict))

    def mention(self, fact: Fact, code: str, domain: str, quote: str, addressed: str) -> None:
        self.heard[code] += 1
        self.domain_of[code] = domain
        self.addressed[(code, addressed)] += 1
        self.heard_by_week[(fact.week, code)] += 1
        self.hood[fact.neighbourhood]["heard"] += 1
        if fact.kind == "conversation":
            self.decile_heard[fact.decile] += 1
        if quote:
            key = quote_key(quote)
            if key:
                seen = self.quotes[code].get(key)
                if seen is None:
                    self.quotes[code][key] = _Mention(1, fact.occurred_at, quote, fact.neighbourhood)
                else:
                    seen.count += 1
                    if fact.occurred_at > seen.last_at:
                        seen.last_at, seen.text, seen.neighbourhood = fact.occurred_at, quote, fact.neighbourhood

    def add(self, fact: Fact, flt: ReportFilter) -> None:
        self.weeks.add(fact.week)
        record = fact.record
        if fact.kind == "conversation":
            self._conversation(fact, record, flt)
        elif fact.kind == "barrier":
            if flt.keeps_barrier(record.code, fact.barrier_domains[0]):
                self.mention(fact, record.code, fact.barrier_domains[0], record.quote, record.addressed)
        elif fact.kind == "outreach_activity":
            self._outreach(fact, record)

    def _conversation(self, fact: Fact, record: Conversation, flt: ReportFilter) -> None:
        people = fact.people
        self.conversations += 1
        self.people += people
        self.referrals += record.referral_made
        self.signposted += bool(record.signposted_to)
        hood = self.hood[fact.neighbourhood]
        hood["conversations"] += 1
        hood["people"] += people
        domains = dict(zip(fact.barrier_codes, fact.barrier_domains))
        for b in record.barriers:
            domain = domains.get(b.code, "")
            if flt.keeps_barrier(b.code, domain):
                self.mention(fact, b.code, domain, b.quote, b.addressed)
        for dimension, codes in (("age_band", fact.age_bands), ("ethnic_group", fact.ethnic_groups),
                                 ("ethnic_group_group", fact.ethnic_group_groups),
                                 ("language", fact.languages), ("core20plus", fact.core20plus)):
            if not codes:
                codes = (None,)
            for code in codes:
                self.group_conv[(dimension, code)] += 1
                self.group_people[(dimension, code)] += people
        self.decile_conv[fact.decile] += 1
        self.decile_people[fact.decile] += people
        self.shift[(record.intention_before, record.intention_after)] += 1

    def _outreach(self, fact: Fact, record: OutreachActivity) -> None:
        self.activity(record.activity_kind, fact.week, fact.neighbourhood, record.duration_minutes,
                      record.volunteer_hours, record.people_reached)

    def activity(self, kind: str, week: str, neighbourhood: str | None, minutes: int, volunteer_hours: float,
                 people: int) -> None:
        """One outreach activity (``columns.FactColumns`` counts them through here too)."""
        for bucket in (self.outreach[kind], self.outreach_week[week]):
            bucket["activities"] += 1
            bucket["minutes"] += minutes
            bucket["volunteer_hours"] += volunteer_hours
            bucket["people"] += people
        hood = self.hood[neighbourhood]
        hood["activities"] += 1
        hood["minutes"] += minutes


def _monday(week: str) -> date:
    return datetime.strptime(week + "-1", "%G-W%V-%u").date()


def _week_range(weeks: Iterable[str], report_filter: ReportFilter) -> list[str]:
    """Every ISO week of the period (the filter's, else the data's), so a quiet week shows as zero, not a gap."""
    present = sorted(weeks)
    first = iso_week(report_filter.since) if report_filter.since else (present[0] if present else None)
    last = iso_week(report_filter.until) if report_filter.until else (present[-1] if present else None)
    if first is None or last is None:
        return []
    start, end = _monday(first), _monday(last)
    out = []
    day = start
    while day <= end:
        out.append(iso_week(day))
        day += timedelta(days=7)
    return out


def _ordered_codes(reference: ReferenceLists, list_name: str, seen: Iterable[str | None]) -> list[str]:
    """Reference order for the list's current items, then any retired or unknown codes that occur."""
    codes = [i.code for i in reference.items(list_name)]
    extra = sorted({c for c in seen if c is not None and c not in codes})
    return codes + extra


class _Builder:
    def __init__(self, tally: _Tally, reference: ReferenceLists, report_filter: ReportFilter, top: int,
                 quotes_per_barrier: int) -> None:
        self.t, self.ref, self.flt = tally, reference, report_filter
        self.top, self.quotes_per_barrier = top, quotes_per_barrier

    def headline(self, shift: IntentionShift) -> Headline:
        t = self.t
        heard = sum(t.heard.values())
        yes = sum(n for (_, a), n in t.addressed.items() if a == "yes")
        partly = sum(n for (_, a), n in t.addressed.items() if a == "partly")
        out = list(t.outreach.values())
        return Headline(
            conversations=t.conversations, people_reached=t.people, barriers_heard=heard,
            barriers_addressed=yes, barriers_partly_addressed=partly, percent_addressed=_percent(yes, heard),
            outreach_activities=sum(c["activities"] for c in out),
            outreach_hours=_hours(sum(c["minutes"] for c in out)),
            volunteer_hours=round(float(sum(c["volunteer_hours"] for c in out)), 2),
            outreach_people_reached=sum(c["people"] for c in out),
            referrals=t.referrals, signposted=t.signposted, moved_towards_yes=shift.moved_towards_yes,
        )

    def _addressed_cells(self, codes: Iterable[str]) -> tuple[int, int, int, int, float]:
        codes = list(codes)
        heard = sum(self.t.heard[c] for c in codes)
        yes, partly, no = (sum(self.t.addressed[(c, a)] for c in codes) for a in ADDRESSED)
        return heard, yes, partly, no, _percent(yes, heard)

    def barriers_by_domain(self) -> Table:
        by_domain: dict[str, list[str]] = defaultdict(list)
        for code, domain in self.t.domain_of.items():
            by_domain[domain].append(code)
        domains = [g.code for g in self.ref.groups("barrier")]
        domains += sorted(d for d in by_domain if d not in domains)
        rows = tuple((d, self.ref.label("barrier_group", d) if d else NOT_RECORDED, *self._addressed_cells(by_domain[d]))
                     for d in domains)
        return Table("Barriers by BeSD domain",
                     ("Code", "Domain", "Heard", "Addressed", "Partly addressed", "Not addressed", "% addressed"),
                     rows, ("code", "domain", "heard", "addressed", "partly", "not_addressed", "percent_addressed"))

    def _ranked_barriers(self) -> list[str]:
        return [c for c, _ in sorted(self.t.heard.items(), key=lambda kv: (-kv[1], kv[0]))]

    def top_barriers(self) -> Table:
        rows = []
        for code in self._ranked_barriers():
            item = self.ref.get("barrier", code)
            domain = self.t.domain_of.get(code, "")
            rows.append((code, self.ref.label("barrier", code),
                         self.ref.label("barrier_group", domain) if domain else NOT_RECORDED,
                         (item.driver or "") if item else "", *self._addressed_cells([code])))
        return Table("Barriers heard, most often first",
                     ("Code", "Barrier", "Domain", "5C driver", "Heard", "Addressed", "Partly addressed",
                      "Not addressed", "% addressed"), tuple(rows),
                     ("code", "barrier", "domain", "driver", "heard", "addressed", "partly", "not_addressed",
                      "percent_addressed"))

    def top_barriers_by_week(self) -> Table:
        top = self._ranked_barriers()[: self.top]
        weeks = _week_range(self.t.weeks, self.flt)
        totals: Counter[str] = Counter()  # each week's barriers, in one pass (not one pass per week)
        for (w, _), n in self.t.heard_by_week.items():
            totals[w] += n
        rows = []
        for week in weeks:
            counts = [self.t.heard_by_week[(week, c)] for c in top]
            rows.append((week, *counts, totals[week] - sum(counts)))
        return Table(f"Top {len(top)} barriers by ISO week", ("Week", *(self.ref.label("barrier", c) for c in top), "Other barriers"),
                     tuple(rows), ("week", *top, "other"))

    def by_neighbourhood(self) -> Table:
        rows = []
        for code in _ordered_codes(self.ref, "neighbourhood", self.t.hood):
            c = self.t.hood.get(code, Counter())
            rows.append((code, self.ref.label("neighbourhood", code), c["conversations"], c["people"], c["heard"],
                         c["activities"], _hours(c["minutes"])))
        if None in self.t.hood:
            c = self.t.hood[None]
            rows.append(("", NOT_RECORDED, c["conversations"], c["people"], c["heard"], c["activities"], _hours(c["minutes"])))
        return Table("By neighbourhood",
                     ("Code", "Neighbourhood", "Conversations", "People reached", "Barriers heard",
                      "Outreach activities", "Outreach hours"), tuple(rows),
                     ("code", "neighbourhood", "conversations", "people", "heard", "activities", "hours"))

    def _group_rows(self, dimension: str, list_name: str, *, skip_zero: bool = False) -> list[tuple[Any, ...]]:
        seen = [c for (d, c) in self.t.group_conv if d == dimension]
        rows = []
        for code in _ordered_codes(self.ref, list_name, seen):
            n = self.t.group_conv[(dimension, code)]
            if skip_zero and not n:
                continue
            rows.append((code, self.ref.label(list_name, code), n, self.t.group_people[(dimension, code)]))
        return rows

    def _not_recorded(self, dimension: str) -> tuple[Any, ...]:
        return ("", NOT_RECORDED, self.t.group_conv[(dimension, None)], self.t.group_people[(dimension, None)])

    def people_by_age_band(self) -> Table:
        rows = self._group_rows("age_band", "age_band") + [self._not_recorded("age_band")]
        return Table("People reached by age band", ("Code", "Age band", "Conversations", "People reached"),
                     tuple(rows), ("code", "label", "conversations", "people"))

    def people_by_ethnic_group(self) -> Table:
        """The five groups (plus "not stated"), each followed by its detailed groups."""
        rows = []
        details = {code: (label, n, p) for code, label, n, p in self._group_rows("ethnic_group", "ethnic_group")}
        for group in _ordered_codes(self.ref, "ethnic_group_group", [c for (d, c) in self.t.group_conv if d == "ethnic_group_group"]):
            rows.append(("Group", group, self.ref.label("ethnic_group_group", group),
                         self.t.group_conv[("ethnic_group_group", group)], self.t.group_people[("ethnic_group_group", group)]))
            for code, (label, n, p) in details.items():
                item = self.ref.get("ethnic_group", code)
                if (item.group if item else "") == group:
                    rows.append(("Detail", code, label, n, p))
        rows.append(("", "", NOT_RECORDED, self.t.group_conv[("ethnic_group", None)], self.t.group_people[("ethnic_group", None)]))
        return Table("People reached by ethnic group", ("Level", "Code", "Ethnic group", "Conversations", "People reached"),
                     tuple(rows), ("level", "code", "label", "conversations", "people"))

    def people_by_language(self) -> Table:
        rows = sorted(self._group_rows("language", "language", skip_zero=True), key=lambda r: (-r[2], r[1]))
        rows.append(self._not_recorded("language"))
        return Table("Languages spoken in conversations", ("Code", "Language", "Conversations", "People reached"),
                     tuple(rows), ("code", "label", "conversations", "people"))

    def people_by_core20plus(self) -> Table:
        core20 = [d for d in CORE20_DECILES]
        rows = [("Core20", "core20", "Most deprived 20% of areas (deprivation decile 1 or 2)",
                 sum(self.t.decile_conv[d] for d in core20), sum(self.t.decile_people[d] for d in core20))]
        for code, label, n, p in self._group_rows("core20plus", "core20plus"):
            item = self.ref.get("core20plus", code)
            group = item.group if item and item.group else ""
            rows.append((self.ref.label("core20plus_group", group) if group else "", code, label, n, p))
        rows.append(("", "", "No PLUS group recorded", self.t.group_conv[("core20plus", None)],
                     self.t.group_people[("core20plus", None)]))
        return Table("People reached by Core20PLUS group", ("Group", "Code", "Name", "Conversations", "People reached"),
                     tuple(rows), ("group", "code", "label", "conversations", "people"))

    def by_deprivation_decile(self) -> Table:
        rows = [(d, f"Decile {d}" + (" (most deprived)" if d == 1 else " (least deprived)" if d == 10 else ""),
                 self.t.decile_conv[d], self.t.decile_people[d], self.t.decile_heard[d]) for d in range(1, 11)]
        rows.append(("", "Not known (no postcode district, or not in the imported file)",
                     self.t.decile_conv[None], self.t.decile_people[None], self.t.decile_heard[None]))
        return Table("Conversations by deprivation decile (IMD 2025)",
                     ("Decile", "Meaning", "Conversations", "People reached", "Barriers heard"), tuple(rows),
                     ("decile", "label", "conversations", "people", "heard"))

    def intention_shift(self) -> IntentionShift:
        rows = []
        for before in INTENTION_ORDER:
            cells = [self.t.shift[(before, after)] for after in INTENTION_ORDER]
            rows.append((INTENTIONS[before], *cells, sum(cells)))
        totals = [sum(self.t.shift[(b, a)] for b in INTENTION_ORDER) for a in INTENTION_ORDER]
        rows.append(("Total", *totals, sum(totals)))
        table = Table("Intention before (rows) and after (columns) the conversation",
                      ("Before \\ after", *(INTENTIONS[a] for a in INTENTION_ORDER), "Total"), tuple(rows),
                      ("before", *INTENTION_ORDER, "total"))
        towards = away = same = 0
        for (before, after), n in self.t.shift.items():
            if before not in _TOWARDS_YES or after not in _TOWARDS_YES:
                continue
            delta = _TOWARDS_YES[after] - _TOWARDS_YES[before]
            if delta > 0:
                towards += n
            elif delta < 0:
                away += n
            else:
                same += n
        return IntentionShift(table, towards + away + same, towards, away, same)

    def outreach_by_kind(self) -> Table:
        rows = []
        for code in _ordered_codes(self.ref, "activity_kind", self.t.outreach):
            c = self.t.outreach.get(code, Counter())
            rows.append((code, self.ref.label("activity_kind", code), c["activities"], _hours(c["minutes"]),
                         round(float(c["volunteer_hours"]), 2), c["people"]))
        return Table("Outreach by kind of activity",
                     ("Code", "Kind", "Activities", "Hours", "Volunteer hours", "People reached"), tuple(rows),
                     ("code", "kind", "activities", "hours", "volunteer_hours", "people"))

    def outreach_by_week(self) -> Table:
        rows = []
        for week in _week_range(self.t.weeks, self.flt):
            c = self.t.outreach_week.get(week, Counter())
            rows.append((week, c["activities"], _hours(c["minutes"]), round(float(c["volunteer_hours"]), 2), c["people"]))
        return Table("Outreach by ISO week", ("Week", "Activities", "Hours", "Volunteer hours", "People reached"),
                     tuple(rows), ("week", "activities", "hours", "volunteer_hours", "people"))

    def top_quotes(self) -> Table:
        """For each barrier (most heard first), its quotes heard most often, then most recent; no repeats."""
        rows = []
        for code in self._ranked_barriers():
            mentions = sorted(self.t.quotes.get(code, {}).values(), key=lambda m: (-m.count, -m.last_at.timestamp(), m.text))
            for m in mentions[: self.quotes_per_barrier]:
                rows.append((code, self.ref.label("barrier", code), m.text, m.count, m.last_at.date().isoformat(),
                             self.ref.label("neighbourhood", m.neighbourhood) if m.neighbourhood else ""))
        return Table("In their words: top quotes for each barrier",
                     ("Code", "Barrier", "Quote", "Times heard", "Last heard", "Neighbourhood"), tuple(rows),
                     ("code", "barrier", "quote", "count", "last_heard", "neighbourhood"))


def build_dashboard(facts: Sequence[Fact], report_filter: ReportFilter, reference: ReferenceLists, *,
                    top_barriers: int = 5, quotes_per_barrier: int = 3) -> DashboardData:
    """Every number on the dashboard for the facts this filter keeps."""
    tally = _Tally()
    matches = report_filter.matches
    for fact in facts:
        if matches(fact):
            tally.add(fact, report_filter)
    b = _Builder(tally, reference, report_filter, top_barriers, quotes_per_barrier)
    shift = b.intention_shift()
    return DashboardData(
        report_filter=report_filter, headline=b.headline(shift), barriers_by_domain=b.barriers_by_domain(),
        top_barriers=b.top_barriers(), top_barriers_by_week=b.top_barriers_by_week(),
        by_neighbourhood=b.by_neighbourhood(), people_by_age_band=b.people_by_age_band(),
        people_by_ethnic_group=b.people_by_ethnic_group(), people_by_language=b.people_by_language(),
        people_by_core20plus=b.people_by_core20plus(), by_deprivation_decile=b.by_deprivation_decile(),
        intention_shift=shift, outreach_by_kind=b.outreach_by_kind(), outreach_by_week=b.outreach_by_week(),
        top_quotes=b.top_quotes(),
    )
