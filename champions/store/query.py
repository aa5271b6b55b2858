"""Query: the filters a list or report can ask for, and their translation to SQL.

Filters that do not apply to a kind (a barrier code on a community asset) match nothing,
rather than being ignored, so a filtered count is never silently too big.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from .kinds import SLOTS, KindSpec, iso, seq_base
from .search import match_expression


@dataclass(frozen=True)
class Query:
    """All fields optional. Dates filter ``occurred_at`` (``updated_at`` for assets and lists); since is inclusive, until exclusive."""

    text: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    neighbourhood: str | None = None
    barrier_code: str | None = None
    barrier_domain: str | None = None
    sync_state: str | Sequence[str] | None = None
    author_id: str | None = None
    activity_kind: str | None = None
    setting: str | None = None
    list_name: str | None = None
    include_deleted: bool = False
    limit: int | None = None
    offset: int = 0


_NOTHING = "0"


def where(spec: KindSpec, q: Query, *, with_text: bool = True) -> tuple[str, list[Any]]:
    """The WHERE clause (over alias ``t``) and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if not q.include_deleted:
        clauses.append("t.deleted = 0")
    if q.since is not None:
        if spec.time_ordered:  # the seq range uses the primary key; the column check makes it exact
            clauses.append("t.seq >= ?")
            params.append(seq_base(q.since))
        clauses.append(f"t.{spec.date_column} >= ?")
        params.append(iso(q.since))
    if q.until is not None:
        if spec.time_ordered:
            clauses.append("t.seq < ?")
            params.append(seq_base(q.until) + SLOTS)
        clauses.append(f"t.{spec.date_column} < ?")
        params.append(iso(q.until))
    if q.author_id is not None:
        clauses.append("t.author_id = ?")
        params.append(q.author_id)
    if q.sync_state is not None:
        states = [q.sync_state] if isinstance(q.sync_state, str) else list(q.sync_state)
        clauses.append(f"t.sync_state IN ({', '.join('?' * len(states))})" if states else _NOTHING)
        params.extend(states)
    for name in ("neighbourhood", "activity_kind", "setting", "list_name"):
        value = getattr(q, name)
        if value is None:
            continue
        column = spec.filter_columns.get(name)
        clauses.append(f"t.{column} = ?" if column else _NOTHING)
        params.extend([value] if column else [])
    for name, child_column in (("barrier_code", "code"), ("barrier_domain", "domain")):
        value = getattr(q, name)
        if value is None:
            continue
        if spec.kind == "conversation":  # checked per row; select() drives from the index when nothing else does
            clauses.append(f"EXISTS (SELECT 1 FROM conversation_barrier AS b WHERE b.{child_column} = ? AND b.seq = t.seq)")
            params.append(value)
        elif name in spec.filter_columns:
            clauses.append(f"t.{spec.filter_columns[name]} = ?")
            params.append(value)
        else:
            clauses.append(_NOTHING)
    match = match_expression(q.text) if with_text else None
    if match is not None:
        clauses.append(f"t.seq IN (SELECT rowid FROM {spec.fts} WHERE {spec.fts} MATCH ?)")
        params.append(match)
    return (" AND ".join(clauses) or "1"), params


def select(spec: KindSpec, what: str, q: Query) -> tuple[str, list[Any]]:
    """SELECT ``what`` of one page of matches, in the kind's order.

    A text search on a time-ordered kind walks the FTS index backwards by rowid (= seq =
    time order) and stops after one page, so a common word over a million rows costs
    what a rare one does.
    """
    match = match_expression(q.text)
    limit, limit_params = page(q)
    if match is not None and spec.time_ordered:
        clause, params = where(spec, q, with_text=False)
        sql = (f"SELECT {what} FROM {spec.fts} AS f JOIN {spec.table} AS t ON t.seq = f.rowid "
               f"WHERE f.{spec.fts} MATCH ? AND {clause} ORDER BY f.rowid DESC{limit}")
        return sql, [match, *params, *limit_params]
    if spec.kind == "conversation" and (q.barrier_code is not None or q.barrier_domain is not None):
        # Walk conversation_barrier's (code, seq) index backwards: newest first without sorting every match.
        column, value = ("code", q.barrier_code) if q.barrier_code is not None else ("domain", q.barrier_domain)
        rest = replace(q, barrier_code=None) if column == "code" else replace(q, barrier_domain=None)
        clause, params = where(spec, rest)
        sql = (f"SELECT {what} FROM conversation_barrier AS cb JOIN conversation AS t ON t.seq = cb.seq "
               f"WHERE cb.{column} = ? AND {clause} GROUP BY cb.seq ORDER BY cb.seq DESC{limit}")
        return sql, [value, *params, *limit_params]
    clause, params = where(spec, q)
    return f"SELECT {what} FROM {spec.table} AS t WHERE {clause} ORDER BY {spec.order_by}{limit}", params + limit_params


def page(q: Query) -> tuple[str, list[Any]]:
    if q.limit is None and not q.offset:
        return "", []
    return " LIMIT ? OFFSET ?", [-1 if q.limit is None else q.limit, q.offset]
