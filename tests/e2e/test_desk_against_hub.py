"""The coordinator's desk agrees with the hub's own database (issue 6, "Must show").

Two champions log on their laptops, edit and delete, and sync through a real hub in a
subprocess; the coordinator's laptop syncs and loads its Desk. Every count the Dashboard and
the Submissions list show, unfiltered and under each kind of filter, is then recomputed with
plain SQL over the hub's database file (SQLite's JSON functions over the record bodies), which
shares no code with the desk: so a record lost, doubled or misfiled anywhere between the
champion's laptop and the coordinator's screen shows up as a difference.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from champions.coordinator import ReportFilter
from champions.coordinator.desk import Desk

LIVE = "org_id = :org AND deleted = 0"


@pytest.fixture
def synced(hub, laptops) -> Iterator[tuple[Any, Desk, sqlite3.Connection, dict[str, str]]]:  # type: ignore[no-untyped-def]
    amina, bilal, cora = laptops("Amina"), laptops("Bilal"), laptops("Cora", "coordinator")
    for n, laptop in enumerate((amina, bilal)):
        gen = laptop.samples
        laptop.store.conversations.save_many(list(gen.conversations(70 + 20 * n)))
        laptop.store.barriers.save_many([gen.barrier() for _ in range(12)])
        laptop.store.activities.save_many(list(gen.activities(9)))
        assert laptop.sync().rejected == 0
    # After the first sync: Amina edits some and deletes some, so the hub holds several revs and tombstones.
    mine = amina.store.conversations.query()
    other_hood = next(i.code for i in amina.store.reference.items("neighbourhood") if i.code != mine[0].neighbourhood)
    for record in mine[:6]:
        amina.store.conversations.save(record.model_copy(update={"neighbourhood": other_hood, "people_reached": 7}))
    for record in mine[6:10]:
        amina.store.conversations.delete(record.id)
    amina.store.activities.delete(amina.store.activities.query()[0].id)
    assert amina.sync().rejected == 0
    report = cora.sync()
    assert report.rejected == 0
    desk = Desk.load(cora.store)
    path = hub.cli.database_url.removeprefix("sqlite:///")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    people = {"amina": amina.identity.person_id, "bilal": bilal.identity.person_id, "org": hub.org_id}
    yield cora, desk, db, people
    db.close()


def one(db: sqlite3.Connection, sql: str, **params: Any) -> Any:
    return db.execute(sql, params).fetchone()[0]


def where(flt: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The SQL for one of the filters below, over ``records r`` (the hub's own columns and bodies)."""
    clauses, params = [], {}
    if "author" in flt:
        clauses.append("r.author_id = :author")
        params["author"] = flt["author"]
    if "hood" in flt:
        clauses.append("json_extract(r.body, '$.neighbourhood') = :hood")
        params["hood"] = flt["hood"]
    if "since" in flt:
        clauses.append("date(json_extract(r.body, '$.occurred_at')) >= :since")
        params["since"] = flt["since"].isoformat()
    if "language" in flt:
        clauses.append("EXISTS (SELECT 1 FROM json_each(r.body, '$.groups.languages') l WHERE l.value = :language)")
        params["language"] = flt["language"]
    return " AND ".join(clauses) or "1", params


def report_filter(flt: dict[str, Any]) -> ReportFilter:
    return ReportFilter.make(
        champions=[flt["author"]] if "author" in flt else [], neighbourhoods=[flt["hood"]] if "hood" in flt else [],
        since=flt.get("since"), languages=[flt["language"]] if "language" in flt else [])


def filters(desk: Desk, people: dict[str, str]) -> list[dict[str, Any]]:
    hoods = sorted({c.neighbourhood for c in desk.conversations})
    languages = sorted({lang for c in desk.conversations for lang in c.groups.languages})
    return [{}, {"author": people["amina"]}, {"author": people["bilal"]}, {"hood": hoods[0]}, {"hood": hoods[-1]},
            {"since": date.today() - timedelta(days=30)}, {"language": languages[0]},
            {"author": people["bilal"], "since": date.today() - timedelta(days=45)}]


def test_every_headline_and_list_matches_the_hubs_database(synced) -> None:  # type: ignore[no-untyped-def]
    _cora, desk, db, people = synced
    org = people["org"]
    checked = 0
    for flt in filters(desk, people):
        sql, params = where(flt)
        params["org"] = org
        data = desk.dashboard(report_filter(flt))
        head = data.headline
        conv = f"FROM records r WHERE {LIVE} AND r.kind = 'conversation' AND {sql}"
        assert head.conversations == one(db, f"SELECT count(*) {conv}", **params), flt
        assert head.people_reached == one(db, f"SELECT coalesce(sum(json_extract(r.body, '$.people_reached')), 0) {conv}",
                                          **params), flt
        in_talks = one(db, f"SELECT count(*) FROM records r, json_each(r.body, '$.barriers') b WHERE {LIVE} "
                           f"AND r.kind = 'conversation' AND {sql}", **params)
        on_their_own = one(db, f"SELECT count(*) FROM records r WHERE {LIVE} AND r.kind = 'barrier' AND {sql}", **params) \
            if "language" not in flt else 0  # a standalone barrier records no groups, so a language filter drops it
        assert head.barriers_heard == in_talks + on_their_own, flt
        addressed = one(db, f"SELECT count(*) FROM records r, json_each(r.body, '$.barriers') b WHERE {LIVE} "
                            f"AND r.kind = 'conversation' AND json_extract(b.value, '$.addressed') = 'yes' AND {sql}", **params)
        if "language" not in flt:
            addressed += one(db, f"SELECT count(*) FROM records r WHERE {LIVE} AND r.kind = 'barrier' "
                                 f"AND json_extract(r.body, '$.addressed') = 'yes' AND {sql}", **params)
        assert head.barriers_addressed == addressed, flt
        if "language" not in flt:
            act = f"FROM records r WHERE {LIVE} AND r.kind = 'outreach_activity' AND {sql}"
            assert head.outreach_activities == one(db, f"SELECT count(*) {act}", **params), flt
            minutes = one(db, f"SELECT coalesce(sum(json_extract(r.body, '$.duration_minutes')), 0) {act}", **params)
            assert head.outreach_hours == pytest.approx(round(minutes / 60, 2)), flt
        # Each neighbourhood's row, and each domain's, against a GROUP BY on the hub.
        by_hood = dict(db.execute(f"SELECT json_extract(r.body, '$.neighbourhood'), count(*) {conv} GROUP BY 1", params).fetchall())
        shown = {row["code"]: row["conversations"] for row in data.by_neighbourhood.as_dicts() if row["conversations"]}
        assert shown == by_hood, flt
        by_domain = dict(db.execute(
            f"SELECT json_extract(ref.body, '$.group'), count(*) FROM records r, json_each(r.body, '$.barriers') b "
            f"JOIN records ref ON ref.org_id = r.org_id AND ref.kind = 'reference_item' AND ref.deleted = 0 "
            f"AND json_extract(ref.body, '$.list_name') = 'barrier' AND json_extract(ref.body, '$.code') = json_extract(b.value, '$.code') "
            f"WHERE r.org_id = :org AND r.deleted = 0 AND r.kind = 'conversation' AND {sql} GROUP BY 1", params).fetchall())
        if "language" not in flt:
            for domain, n in db.execute(
                    f"SELECT json_extract(ref.body, '$.group'), count(*) FROM records r JOIN records ref ON ref.org_id = r.org_id "
                    f"AND ref.kind = 'reference_item' AND ref.deleted = 0 AND json_extract(ref.body, '$.list_name') = 'barrier' "
                    f"AND json_extract(ref.body, '$.code') = json_extract(r.body, '$.code') "
                    f"WHERE r.org_id = :org AND r.deleted = 0 AND r.kind = 'barrier' AND {sql} GROUP BY 1", params):
                by_domain[domain] = by_domain.get(domain, 0) + n
        shown_domains = {row["code"]: row["heard"] for row in data.barriers_by_domain.as_dicts() if row["heard"]}
        assert shown_domains == by_domain, flt
        # The Submissions list: the very same records, by id.
        kinds = "('conversation')" if "language" in flt else "('conversation', 'barrier', 'outreach_activity')"
        on_hub = {i for (i,) in db.execute(f"SELECT r.id FROM records r WHERE {LIVE} AND r.kind IN {kinds} AND {sql}", params)}
        assert {fact.record.id for fact in desk.submissions(report_filter(flt))} == on_hub, flt
        assert on_hub, f"the filter {flt} keeps nothing, so it checks nothing"
        checked += 1
    assert checked == len(filters(desk, people))


def test_deleted_and_edited_records_reach_the_desk_as_the_hub_holds_them(synced) -> None:  # type: ignore[no-untyped-def]
    cora, desk, db, people = synced
    org = people["org"]
    gone = {i for (i,) in db.execute("SELECT id FROM records WHERE org_id = ? AND deleted = 1", (org,))}
    assert len(gone) == 5  # four conversations and one activity
    shown = {f.record.id for f in desk.submissions(ReportFilter())}
    assert not shown & gone
    assert shown | gone == {f.record.id for f in desk.submissions(ReportFilter(include_deleted=True))} | gone
    # The edited ones: the hub's current rev and body are what the coordinator sees.
    for record_id, rev, people_reached in db.execute(
            "SELECT id, rev, json_extract(body, '$.people_reached') FROM records WHERE org_id = ? AND kind = 'conversation' "
            "AND deleted = 0 AND rev > 1", (org,)):
        local = cora.store.conversations.get(record_id)
        assert (local.rev, local.people_reached) == (rev, people_reached)
    assert one(db, "SELECT count(*) FROM records WHERE org_id = :org AND kind = 'conversation' AND deleted = 0 AND rev > 1",
               org=org) == 6
