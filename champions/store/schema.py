"""The DDL of every schema version, frozen once released: migrations only ever go forward.

v1  the records (one table per kind: envelope and filter columns plus the full record as
    JSON), the barriers of each conversation denormalised for filtering (with the
    conversation's seq, so "conversations where X was heard, newest first" walks one index),
    the outbox, settings.
v2  full-text search: one contentless FTS5 table per kind, kept in step by triggers that
    read the record JSON, and filled from the rows already there.
v3  drafts, so a half-filled form survives a crash.
v4  reviews (docs/design/review.md): one row per reviewed record, found by the record's id
    (``subject_id``) or its champion (``subject_author_id``), searchable by the thread's words.

Record tables share the envelope columns; ``seq`` is an INTEGER PRIMARY KEY so the FTS
rowid that points at it never moves (VACUUM may renumber implicit rowids). For kinds that
happened at a time (conversations, barriers, activities) ``seq`` is made from ``occurred_at``
(milliseconds x 1,000,000 + a free slot), so the table, every index (which all end in the
rowid) and the FTS doclists are already in time order: "newest first" is a backwards walk
that stops after one page, never a sort of every match.
"""

from __future__ import annotations

SYNC_STATES = ("pending", "sending", "synced", "rejected", "conflict")
_STATES_SQL = ", ".join(f"'{s}'" for s in SYNC_STATES)


def _record_table(name: str, extra: str) -> str:
    return f"""
CREATE TABLE {name} (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    rev INTEGER NOT NULL CHECK (rev >= 1),
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    org_id TEXT,
    author_id TEXT,
    device_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
{extra}
    sync_state TEXT NOT NULL DEFAULT 'pending' CHECK (sync_state IN ({_STATES_SQL})),
    sync_reason TEXT,
    data TEXT NOT NULL CHECK (json_valid(data))
);
CREATE INDEX {name}_author ON {name} (author_id);
CREATE INDEX {name}_sync_state ON {name} (sync_state);
"""


V1 = (
    _record_table(
        "conversation",
        """    occurred_at TEXT NOT NULL,
    neighbourhood TEXT NOT NULL,
    setting TEXT NOT NULL,""",
    )
    + """
CREATE INDEX conversation_neighbourhood ON conversation (neighbourhood);

CREATE TABLE conversation_barrier (
    conversation_id TEXT NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    domain TEXT,
    PRIMARY KEY (conversation_id, position)
) WITHOUT ROWID;
CREATE INDEX conversation_barrier_code ON conversation_barrier (code, seq);
CREATE INDEX conversation_barrier_domain ON conversation_barrier (domain, seq);
"""
    + _record_table(
        "barrier",
        """    occurred_at TEXT NOT NULL,
    neighbourhood TEXT,
    code TEXT NOT NULL,
    domain TEXT,""",
    )
    + """
CREATE INDEX barrier_code ON barrier (code);
CREATE INDEX barrier_domain ON barrier (domain);
CREATE INDEX barrier_neighbourhood ON barrier (neighbourhood);
"""
    + _record_table(
        "outreach_activity",
        """    occurred_at TEXT NOT NULL,
    neighbourhood TEXT NOT NULL,
    activity_kind TEXT NOT NULL,""",
    )
    + """
CREATE INDEX outreach_activity_neighbourhood ON outreach_activity (neighbourhood);
"""
    + _record_table(
        "community_asset",
        """    name TEXT NOT NULL,
    neighbourhood TEXT,
    status TEXT NOT NULL,""",
    )
    + """
CREATE INDEX community_asset_name ON community_asset (name COLLATE NOCASE);
CREATE INDEX community_asset_neighbourhood ON community_asset (neighbourhood);
"""
    + _record_table(
        "reference_item",
        """    list_name TEXT NOT NULL,
    code TEXT NOT NULL,
    grp TEXT,
    retired INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,""",
    )
    + f"""
CREATE INDEX reference_item_list ON reference_item (list_name, position);

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ({_STATES_SQL})),
    batch_id TEXT,
    reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (record_id, rev)
);
CREATE INDEX outbox_state ON outbox (state, seq);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value)),
    updated_at TEXT NOT NULL
);
"""
)

# What each kind's search covers, as SQL over the record JSON (``r`` is NEW or the row).
SEARCH_BODY: dict[str, str] = {
    "conversation": (
        "coalesce(json_extract({r}.data, '$.notes'), '') || ' ' || coalesce("
        "(SELECT group_concat(json_extract(b.value, '$.quote'), ' ') FROM json_each({r}.data, '$.barriers') AS b), '')"
    ),
    "barrier": "coalesce(json_extract({r}.data, '$.quote'), '') || ' ' || coalesce(json_extract({r}.data, '$.notes'), '')",
    "outreach_activity": "coalesce(json_extract({r}.data, '$.notes'), '')",
    "community_asset": "coalesce(json_extract({r}.data, '$.name'), '') || ' ' || coalesce(json_extract({r}.data, '$.description'), '')",
    "reference_item": "coalesce(json_extract({r}.data, '$.label'), '') || ' ' || coalesce(json_extract({r}.data, '$.code'), '')",
}


def _fts_for(table: str, search: str | None = None) -> str:
    fts = f"{table}_fts"
    search = SEARCH_BODY[table] if search is None else search
    body_new = search.format(r="new")
    body_row = search.format(r=table)
    return f"""
CREATE VIRTUAL TABLE {fts} USING fts5(
    body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN
    INSERT INTO {fts} (rowid, body) VALUES (new.seq, {body_new});
END;
CREATE TRIGGER {table}_fts_update AFTER UPDATE OF data ON {table} BEGIN
    DELETE FROM {fts} WHERE rowid = old.seq;
    INSERT INTO {fts} (rowid, body) VALUES (new.seq, {body_new});
END;
CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN
    DELETE FROM {fts} WHERE rowid = old.seq;
END;
INSERT INTO {fts} (rowid, body) SELECT seq, {body_row} FROM {table};
"""


V2 = "".join(_fts_for(t) for t in SEARCH_BODY)

V3 = """
CREATE TABLE draft (
    form_key TEXT PRIMARY KEY,
    data TEXT NOT NULL CHECK (json_valid(data)),
    updated_at TEXT NOT NULL
);
"""

# v4's search body: the words of the review's thread (v2's SEARCH_BODY stays as released).
REVIEW_SEARCH = (
    "coalesce((SELECT group_concat(json_extract(n.value, '$.text'), ' ') FROM json_each({r}.data, '$.notes') AS n), '')"
)

V4 = (
    _record_table(
        "review",
        """    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    subject_author_id TEXT,
    state TEXT NOT NULL,
    subject_rev INTEGER NOT NULL,""",
    )
    + """
CREATE INDEX review_subject ON review (subject_id);
CREATE INDEX review_subject_author ON review (subject_author_id, state);
"""
    + _fts_for("review", REVIEW_SEARCH)
)
