"""Storing and serving records: idempotent push, paged pull, seeding and export.

Idempotency: every accepted (org, id, rev) is a row of ``record_revisions`` under a unique key.
A change whose (id, rev) is already there with the same content is a ``duplicate``; with other
content, a ``conflict``. Two pushes of the same batch at once (two workers, a retry racing the
original) serialise on the organisation's row lock; should one still hit the unique key, the
whole batch is retried once and then sees the other's rows as duplicates.

Sequence numbers: each organisation has a counter (``orgs.last_seq``). A push locks the org row
(``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) before reading the
counter and holds the lock to commit, so a later seq is never committed before an earlier one:
a reader that has seen seq N has seen every change up to N, and a cursor never skips a change
that commits late. Pull reads the counter first and returns only rows up to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from ..domain import RECORD_TYPES, ReferenceItem, ReferenceLists, explain, load_default_items, utcnow
from ..sync import protocol as p
from . import audit
from .db import read, write
from .schema import conflicts, devices, orgs, record_revisions, records

MISMATCH = "The record's {what} does not match the change's {what}; this is a fault in the app, please report it."
REVIEW_BY_COORDINATOR = "Only a coordinator can review a record. You can reply to a query once your coordinator has sent one."
REVIEW_NOT_YOURS = "You can only reply to reviews of your own records."
REVIEW_REPLY_ONLY = ("You can add a reply to your coordinator's review, but only a coordinator can change the review "
                     "itself ({fields}).")
REVIEW_KEEP_NOTES = "You can add a reply, but the comments already made cannot be changed or removed."
REVIEW_REPLIES_ONLY = "A champion can only add replies to a review; queries and notes are for the coordinator to write."
REVIEW_NO_SUBJECT = ("The record under review is not on the hub, so it cannot be reviewed yet. "
                     "Sync again once the champion's record has reached the hub.")
REVIEW_WRONG_KIND = "The record under review is a {actual}, not a {said}; this is a fault in the app, please report it."
_REVIEW_STAMPS = frozenset({"org_id", "author_id", "device_id", "created_at", "updated_at", "rev", "notes"})


def canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def is_shared(kind: str, body: dict[str, Any]) -> bool:
    """Shared records reach every device of the org; a proposed asset only its author and coordinators."""
    return kind == "reference_item" or (kind == "community_asset" and body.get("status") != "proposed")


def seed_reference_items(conn: Connection, org_id: str) -> int:
    """The shipped reference lists, with their stable ids, as rev 0 records of a new org."""
    now = utcnow()
    seq = conn.execute(sa.select(orgs.c.last_seq).where(orgs.c.id == org_id)).scalar_one()
    rec_rows, rev_rows = [], []
    for item in load_default_items():
        body = item.model_copy(update={"org_id": org_id}).model_dump(mode="json")
        text = canonical(body)
        digest = content_hash(text)
        seq += 1
        rec_rows.append(dict(org_id=org_id, id=item.id, kind=item.kind, rev=item.rev, seq=seq, author_id=None, device_id=None,
                             shared=True, deleted=False, body=text, content_hash=digest, updated_at=now))
        rev_rows.append(dict(org_id=org_id, record_id=item.id, rev=item.rev, kind=item.kind, body=text, content_hash=digest,
                             device_id=None, person_id=None, batch_id="seed", received_at=now))
    if rec_rows:
        conn.execute(records.insert(), rec_rows)
        conn.execute(record_revisions.insert(), rev_rows)
        conn.execute(orgs.update().where(orgs.c.id == org_id).values(last_seq=seq))
    return len(rec_rows)


def reference_lists(conn: Connection, org_id: str) -> tuple[ReferenceLists, list[ReferenceItem]]:
    rows = conn.execute(sa.select(records.c.body).where(records.c.org_id == org_id, records.c.kind == "reference_item"))
    items = [ReferenceItem.model_validate_json(row.body) for row in rows]
    return ReferenceLists(items), items


# --- push -------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    change: p.Change
    body: dict[str, Any]  # validated, envelope fields still to be set by the hub


@dataclass
class _Current:
    kind: str
    rev: int
    author_id: str | None
    device_id: str | None
    body: str
    exists_in_db: bool
    fields: dict[str, Any] = field(default_factory=dict)
    digest: str = ""


def _rejected(change: p.Change, reason: str, problems: list[p.FieldProblem] | None = None) -> p.ChangeResult:
    return p.ChangeResult(id=change.id, rev=change.rev, status="rejected", reason=reason, problems=problems or [])


def _validate(change: p.Change, auth: Any, lists: ReferenceLists) -> _Prepared | p.ChangeResult:
    """Checks that need no database: shape, the domain rules, and what this role may write at all."""
    model = RECORD_TYPES[change.kind]
    data = dict(change.record)
    for key, value in (("id", change.id), ("rev", change.rev), ("kind", change.kind)):
        if key in data and data[key] != value:
            return _rejected(change, MISMATCH.format(what=key))
        data[key] = value
    if change.base_rev is not None and change.rev <= change.base_rev:
        return _rejected(change, "The change's rev must be greater than the rev it was based on; this is a fault in the app, please report it.")
    for key in ("org_id", "author_id", "device_id"):
        data.pop(key, None)  # the hub sets these from the signed-in device
    if not auth.is_coordinator:
        if change.kind == "reference_item":
            return _rejected(change, "Only a coordinator can change the shared lists. Ask your coordinator to add or change this item.")
        if change.kind == "community_asset" and data.get("status", "active") != "proposed":
            return _rejected(change, "A champion can propose a community asset, and a coordinator publishes it. Save it as proposed.")
    try:
        record = model.model_validate(data, context={"reference": lists})
    except ValidationError as error:
        problems = [p.FieldProblem(field=pr.field, message=pr.message) for pr in explain(error, model)]
        return _rejected(change, " ".join(pr.message for pr in problems), problems)
    return _Prepared(change, record.model_dump(mode="json"))


def push(engine: Engine, auth: Any, batch_id: str, changes: list[p.Change | p.ChangeResult], source: str,
         client: str = "") -> p.PushResponse:
    """Apply a batch; ``changes`` may hold answers already decided (malformed changes).

    ``client`` is the app's ``Champions-Client`` header, kept in the audit log with the counts.
    """
    with read(engine) as conn:
        lists, items = reference_lists(conn, auth.org_id)
    prepared: list[_Prepared | p.ChangeResult] = []
    for change in changes:
        if isinstance(change, p.ChangeResult):
            prepared.append(change)
            continue
        outcome = _validate(change, auth, lists)
        prepared.append(outcome)
        if isinstance(outcome, _Prepared) and change.kind == "reference_item":
            # A new list item may be used by later changes of the same batch.
            items = [i for i in items if i.id != change.id] + [ReferenceItem.model_validate(outcome.body)]
            lists = ReferenceLists(items)
    for attempt in range(3):
        try:
            with write(engine) as conn:
                return _apply(conn, auth, batch_id, prepared, source, client)
        except IntegrityError:
            # Another worker stored some of these (id, rev) between our read and write; go again
            # and they will be answered as duplicates.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _apply(conn: Connection, auth: Any, batch_id: str, prepared: list[_Prepared | p.ChangeResult], source: str,
           client: str) -> p.PushResponse:
    org_id = auth.org_id
    # The org row lock: held to commit, it orders seqs by commit (see the module docstring).
    seq = conn.execute(sa.select(orgs.c.last_seq).where(orgs.c.id == org_id).with_for_update()).scalar_one()
    ids = list({x.change.id for x in prepared if isinstance(x, _Prepared)})
    current: dict[str, _Current] = {}
    revisions: dict[tuple[str, int], str] = {}
    for chunk in _chunks(ids, 500):
        found = _by_ids(conn, records, records.c.id, org_id, chunk,
                        (records.c.id, records.c.kind, records.c.rev, records.c.author_id, records.c.device_id, records.c.body))
        for row in found:
            current[row.id] = _Current(row.kind, row.rev, row.author_id, row.device_id, row.body, True)
        for row in _by_ids(conn, record_revisions, record_revisions.c.record_id, org_id, chunk,
                           (record_revisions.c.record_id, record_revisions.c.rev, record_revisions.c.content_hash)):
            revisions[(row.record_id, row.rev)] = row.content_hash
    subjects: dict[str, tuple[str, str | None]] = {}  # subject id -> (kind, author) as the hub has it
    wanted = list({x.body["subject_id"] for x in prepared if isinstance(x, _Prepared) and x.change.kind == "review"})
    for chunk in _chunks(wanted, 500):
        for row in _by_ids(conn, records, records.c.id, org_id, chunk, (records.c.id, records.c.kind, records.c.author_id)):
            subjects[row.id] = (row.kind, row.author_id)

    def subject_of(subject_id: str) -> tuple[str, str | None] | None:
        mine = current.get(subject_id)  # written earlier in this batch
        return (mine.kind, mine.author_id) if mine is not None else subjects.get(subject_id)

    now = utcnow()
    results: list[p.ChangeResult] = []
    new_revisions: list[dict[str, Any]] = []
    new_conflicts: list[dict[str, Any]] = []
    touched: dict[str, int] = {}  # record id -> seq of its latest accepted change in this batch
    counts = {"accepted": 0, "duplicate": 0, "conflict": 0, "rejected": 0}
    for item in prepared:
        if isinstance(item, p.ChangeResult):
            results.append(item)
            counts["rejected"] += 1
            continue
        change = item.change
        cur = current.get(change.id)
        result = _check_owner(change, cur, auth)
        fields = item.body
        if result is None and change.kind == "review":
            made = _review_body(change, fields, cur, auth, subject_of)
            result, fields = (made, fields) if isinstance(made, p.ChangeResult) else (None, made)
        if result is None:
            body = dict(fields, org_id=org_id, device_id=auth.device_id,
                        author_id=cur.author_id if cur else auth.person_id)
            text = canonical(body)
            digest = content_hash(text)
            seen = revisions.get((change.id, change.rev))
            revision_row = dict(org_id=org_id, record_id=change.id, rev=change.rev, kind=change.kind, body=text,
                                content_hash=digest, device_id=auth.device_id, person_id=auth.person_id,
                                batch_id=batch_id, received_at=now)
            if seen == digest:
                result = p.ChangeResult(id=change.id, rev=change.rev, status="duplicate")
            elif seen is not None or (cur is not None and not _follows(change, cur, auth)):
                if cur is not None and cur.device_id == auth.device_id and seen is None and change.rev < cur.rev:
                    # An older rev from this device arriving after a newer one: history, not a conflict.
                    new_revisions.append(revision_row)
                    revisions[(change.id, change.rev)] = digest
                    result = p.ChangeResult(id=change.id, rev=change.rev, status="duplicate",
                                            reason="The hub already has a newer version of this record from this device.")
                else:
                    assert cur is not None
                    new_conflicts.append(dict(revision_row, base_rev=change.base_rev, hub_rev=cur.rev))
                    result = p.ChangeResult(
                        id=change.id, rev=change.rev, status="conflict", hub_record=json.loads(cur.body),
                        reason="Someone else changed this record on the hub since this device last had it. Both versions are kept.",
                    )
            elif change.kind == "review" and not auth.is_coordinator and cur is not None and (
                    refusal := _reply_only(change, body, cur)) is not None:
                result = refusal
            else:
                seq += 1
                new_revisions.append(revision_row)
                revisions[(change.id, change.rev)] = digest
                current[change.id] = _Current(change.kind, change.rev, body["author_id"], auth.device_id, text,
                                              cur.exists_in_db if cur else False, body, digest)
                touched[change.id] = seq
                result = p.ChangeResult(id=change.id, rev=change.rev, status="accepted")
        results.append(result)
        counts[result.status] += 1
    _write(conn, org_id, current, touched, new_revisions, new_conflicts, now)
    conn.execute(orgs.update().where(orgs.c.id == org_id).values(last_seq=seq))
    conn.execute(devices.update().where(devices.c.id == auth.device_id).values(last_push_at=now))
    audit.record(conn, "push", source, org_id=org_id, person_id=auth.person_id, device_id=auth.device_id,
                 batch_id=batch_id, client=client, **counts)
    return p.PushResponse(batch_id=batch_id, results=results)


def _check_owner(change: p.Change, cur: _Current | None, auth: Any) -> p.ChangeResult | None:
    if cur is not None and cur.kind != change.kind:
        return _rejected(change, "This record id already belongs to a different kind of record; this is a fault in the app, please report it.")
    if auth.is_coordinator:
        return None
    if change.kind == "review":
        if cur is None:
            return _rejected(change, REVIEW_BY_COORDINATOR)
        if json.loads(cur.body).get("subject_author_id") != auth.person_id:
            return _rejected(change, REVIEW_NOT_YOURS)
        return None
    if cur is None:
        return None
    if cur.author_id != auth.person_id:
        return _rejected(change, "You can only change records you wrote. Ask your coordinator to correct this one.")
    if change.kind == "community_asset" and json.loads(cur.body).get("status") != "proposed":
        return _rejected(change, "This community asset has been published; only a coordinator can change it now.")
    return None


def _review_body(change: p.Change, body: dict[str, Any], cur: _Current | None, auth: Any,
                 subject_of: Any) -> dict[str, Any] | p.ChangeResult:
    """What the hub stores for a review: the subject's author from the hub's own copy of the subject (a
    coordinator cannot point a review at the wrong champion), each note's author as the hub first saw it."""
    old = json.loads(cur.body) if cur is not None else {}
    authors = {n.get("id"): n.get("author_id") for n in old.get("notes", [])}
    notes = [dict(n, author_id=authors[n["id"]] if n["id"] in authors else auth.person_id) for n in body.get("notes", [])]
    body = dict(body, notes=notes)
    if not auth.is_coordinator:  # _check_owner made sure it exists and is about their own record
        return dict(body, subject_author_id=old.get("subject_author_id"))
    subject = subject_of(body["subject_id"])
    if subject is None:
        return _rejected(change, REVIEW_NO_SUBJECT)
    kind, author = subject
    if kind != body["subject_kind"]:
        return _rejected(change, REVIEW_WRONG_KIND.format(actual=kind.replace("_", " "), said=body["subject_kind"].replace("_", " ")))
    return dict(body, subject_author_id=author)


def _reply_only(change: p.Change, body: dict[str, Any], cur: _Current) -> p.ChangeResult | None:
    """A champion's change to a review of their record: the hub's version plus reply notes, nothing else."""
    old = json.loads(cur.body)
    changed = sorted(k for k in (body.keys() | old.keys()) - _REVIEW_STAMPS if body.get(k) != old.get(k))
    if changed:
        return _rejected(change, REVIEW_REPLY_ONLY.format(fields=", ".join(f.replace("_", " ") for f in changed)))
    sent = {n["id"]: n for n in body.get("notes", [])}
    for note in old.get("notes", []):
        if sent.get(note["id"]) != note:
            return _rejected(change, REVIEW_KEEP_NOTES)
    kept = {n["id"] for n in old.get("notes", [])}
    if any(n["note_kind"] != "reply" for i, n in sent.items() if i not in kept):
        return _rejected(change, REVIEW_REPLIES_ONLY)
    return None


def _follows(change: p.Change, cur: _Current, auth: Any) -> bool:
    """Whether the change was made on top of the hub's current version (else: a conflict)."""
    if change.base_rev is not None and change.base_rev == cur.rev:
        return True
    # The device wrote the hub's current version itself, so it had it when making this edit.
    return cur.device_id == auth.device_id and change.rev > cur.rev


def _write(conn: Connection, org_id: str, current: dict[str, _Current], touched: dict[str, int],
           new_revisions: list[dict[str, Any]], new_conflicts: list[dict[str, Any]], now: Any) -> None:
    inserts, updates = [], []
    for record_id, seq in touched.items():
        cur = current[record_id]
        row = dict(kind=cur.kind, rev=cur.rev, seq=seq, author_id=cur.author_id, device_id=cur.device_id,
                   subject_author_id=cur.fields.get("subject_author_id") if cur.kind == "review" else None,
                   shared=is_shared(cur.kind, cur.fields), deleted=bool(cur.fields.get("deleted")), body=cur.body,
                   content_hash=cur.digest, updated_at=now)
        if cur.exists_in_db:
            updates.append(dict(row, b_org_id=org_id, b_id=record_id))
        else:
            inserts.append(dict(row, org_id=org_id, id=record_id))
    if new_revisions:
        conn.execute(record_revisions.insert(), new_revisions)
    if updates:
        # Each new seq is above every stored one, so the unique (org_id, seq) never clashes.
        conn.execute(records.update().where(records.c.org_id == sa.bindparam("b_org_id"), records.c.id == sa.bindparam("b_id"))
                     .values({c: sa.bindparam(c) for c in updates[0] if not c.startswith("b_")}), updates)
    if inserts:
        conn.execute(records.insert(), inserts)
    if new_conflicts:
        _insert_ignore(conn, conflicts, new_conflicts)


def _insert_ignore(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those already there (a retried conflict is kept once)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


def _by_ids(conn: Connection, table: sa.Table, key: sa.Column[str], org_id: str, ids: list[str],
            columns: tuple[sa.Column[Any], ...]) -> sa.CursorResult[Any]:
    """The org's rows whose ``key`` is one of ``ids``, looked up one index probe per id.

    On PostgreSQL a plain ``org_id = ? AND key IN (...)`` is planned from statistics; before
    ANALYZE has run (a new hub, or autovacuum off) the planner takes the org_id prefix of another
    index and filters every row of the org, so each push gets slower as the org grows. A lateral
    join on ``unnest(ids)`` leaves it one choice: an index lookup per id on (org_id, key, ...).
    """
    if conn.dialect.name != "postgresql":
        return conn.execute(sa.select(*columns).where(table.c.org_id == org_id, key.in_(ids)))
    wanted = sa.func.unnest(sa.bindparam("ids", ids, type_=postgresql.ARRAY(sa.String))).table_valued("id").render_derived()
    probe = sa.select(*columns).where(table.c.org_id == org_id, key == wanted.c.id).offset(0).lateral()
    return conn.execute(sa.select(probe).select_from(wanted).join(probe, sa.true()))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- pull and export ---------------------------------------------------------------------------


def visible_to(auth: Any) -> list[sa.ColumnElement[bool]]:
    """The one place that says who sees what: always one org; a champion also only shared or own records,
    and the reviews of their own records (``subject_author_id``, set by the hub from the reviewed record)."""
    where: list[sa.ColumnElement[bool]] = [records.c.org_id == auth.org_id]
    if not auth.is_coordinator:
        where.append(sa.or_(records.c.shared.is_(True), records.c.author_id == auth.person_id,
                            records.c.subject_author_id == auth.person_id))
    return where


def pull(engine: Engine, auth: Any, since: int, limit: int) -> p.PullResponse:
    with read(engine) as conn:
        # Read the counter first: every seq up to it is committed (see the module docstring).
        high = conn.execute(sa.select(orgs.c.last_seq).where(orgs.c.id == auth.org_id)).scalar_one()
        rows = conn.execute(
            sa.select(records.c.seq, records.c.kind, records.c.id, records.c.rev, records.c.body)
            .where(*visible_to(auth), records.c.seq > since, records.c.seq <= high)
            .order_by(records.c.seq).limit(limit + 1)
        ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = [p.PulledRecord(seq=r.seq, kind=r.kind, id=r.id, rev=r.rev, record=json.loads(r.body)) for r in rows]
    next_cursor = rows[-1].seq if has_more else max(since, high)
    with write(engine) as conn:
        conn.execute(devices.update().where(devices.c.id == auth.device_id).values(last_pull_at=utcnow()))
    return p.PullResponse(changes=changes, next_cursor=next_cursor, has_more=has_more)


def export_lines(engine: Engine, org_id: str, *, include_deleted: bool = False, kinds: list[str] | None = None) -> Iterator[str]:
    """Every current record of an org as JSON Lines, streamed from the database a page at a time."""
    query = sa.select(records.c.body).where(records.c.org_id == org_id).order_by(records.c.seq)
    if not include_deleted:
        query = query.where(records.c.deleted.is_(False))
    if kinds:
        query = query.where(records.c.kind.in_(kinds))
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=1000).execute(query)
        for row in result:
            yield row.body + "\n"


def count_records(conn: Connection, org_id: str) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(records).where(records.c.org_id == org_id)).scalar_one()
