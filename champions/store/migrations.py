"""Numbered, forward-only migrations; the version lives in the file (PRAGMA user_version).

Each migration runs in one transaction together with its version bump, so a crash
leaves the file at the old version or the new one, never between. Before migrating a
file that already holds data, a complete copy is written next to it (encrypted with the
same key) so a failed upgrade can always be undone by hand.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import schema
from .connection import APPLICATION_ID, Connection, set_key_on_attached


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str
    after: Callable[[Connection], None] | None = None  # for steps SQL cannot express


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "records, conversation barriers, outbox and settings", schema.V1),
    Migration(2, "full-text search over notes and quotes", schema.V2),
    Migration(3, "drafts of unfinished forms", schema.V3),
    Migration(4, "reviews of submissions, with search over their comments", schema.V4),
)
LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(conn: Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def backup(conn: Connection, path: Path, key: bytes | None, version: int) -> Path:
    """Copy the whole database to ``<name>.backup-v<version>-<time>``, same key, written then renamed."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.backup-v{version}-{stamp}")
    partial = target.with_name(target.name + ".partial")
    set_key_on_attached(conn, "backup_copy", partial, key)
    try:
        conn.execute("SELECT sqlcipher_export('backup_copy')")
        # sqlcipher_export copies schema and rows, not the header fields that identify the file.
        conn.execute(f"PRAGMA backup_copy.user_version = {version}")
        conn.execute(f"PRAGMA backup_copy.application_id = {APPLICATION_ID}")
    finally:
        conn.execute("DETACH DATABASE backup_copy")
    os.replace(partial, target)
    return target


def migrate(conn: Connection, path: Path, key: bytes | None, *, target: int | None = None) -> Path | None:
    """Bring the file up to ``target`` (the latest by default); return the backup written, if any."""
    target = MIGRATIONS[-1].version if target is None else target
    current = schema_version(conn)
    pending = [m for m in MIGRATIONS if current < m.version <= target]
    if not pending:
        return None
    copy = backup(conn, path, key, current) if current >= 1 else None
    for step in pending:
        try:
            conn.execute("BEGIN IMMEDIATE")
            if schema_version(conn) >= step.version:  # another process got there first
                conn.execute("COMMIT")
                continue
            for statement in _statements(step.sql):
                conn.execute(statement)
            if step.after is not None:
                step.after(conn)
            conn.execute(f"PRAGMA user_version = {step.version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return copy


def _statements(script: str) -> list[str]:
    """Split a script on statement ends (trigger bodies included), as sqlite3_complete sees them."""
    import sqlcipher3

    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if current.strip() and sqlcipher3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
