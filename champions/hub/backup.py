"""Backing up and restoring a hub kept in SQLite; the PostgreSQL route explained in plain words.

A backup is taken with SQLite's online backup API in one step: one read transaction, so the copy
is exactly the database at one instant, while the hub keeps answering pushes (in WAL mode readers
never block writers). It is written to a hidden ``.partial`` name, checked with
``PRAGMA integrity_check``, flushed to disk and only then renamed to the name asked for, so a
backup cut short by a crash or a full disk never looks like a good one. A small JSON manifest
beside it (schema version, counts, SHA-256) lets ``restore`` notice a file damaged in transit.

Restore checks the file before touching anything (a Champions hub database, sound, of a schema
version this hub knows), refuses while any process has the hub's database open, and keeps the
file it replaces under a ``.before-restore-<time>`` name rather than deleting it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from .. import __version__
from .errors import HubError

MANIFEST_SUFFIX = ".json"
FORMAT = "champions-hub-backup/1"
REQUIRED_TABLES = ("alembic_version", "orgs", "people", "devices", "records", "record_revisions", "audit_log")
COUNTED = {"orgs": "organisations", "people": "people", "devices": "devices", "records": "records",
           "record_revisions": "record versions", "conflicts": "conflicts", "audit_log": "audit entries"}
SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(HubError):
    """A refusal with a plain explanation (exit code 2, like the CLI's other refusals)."""

    def __init__(self, message: str) -> None:
        super().__init__(2, "backup", message)


@dataclass
class Manifest:
    """What a backup holds, written beside it and printed."""

    schema_revision: str
    counts: dict[str, int]
    created_at: str = ""
    size_bytes: int = 0
    sha256: str = ""
    hub_version: str = __version__
    format: str = FORMAT
    extra: dict[str, object] = field(default_factory=dict)

    def lines(self) -> list[str]:
        counts = ", ".join(f"{n:,} {COUNTED.get(name, name)}" for name, n in self.counts.items())
        return [f"  Schema version: {self.schema_revision}", f"  Contents:       {counts}",
                f"  Size:           {self.size_bytes:,} bytes", f"  SHA-256:        {self.sha256}"]


# -- where the database is ------------------------------------------------------------------

def sqlite_path(url: str) -> Path | None:
    """The database file for a SQLite URL; None for any other database (PostgreSQL)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up or restored.")
    return Path(parsed.database).expanduser().resolve()


def postgres_advice(url: str, what: str, file: str) -> str:
    """The documented pg_dump / pg_restore route, with this hub's own server and database filled in."""
    parsed = sa.make_url(url)
    libpq = sa.engine.URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                                 database=parsed.database, query=parsed.query).render_as_string(hide_password=False)
    dump = f"pg_dump --format=custom --file={_quote(file)} {_quote(libpq)}"
    restore = f"pg_restore --clean --if-exists --no-owner --single-transaction --dbname={_quote(libpq)} {_quote(file)}"
    head = (f"This hub keeps its data in PostgreSQL (database “{parsed.database}” on {parsed.host or 'the local server'}), "
            f"so champions-hub leaves {what} to PostgreSQL's own tools, which do it properly.")
    return "\n".join([
        head, "",
        "To back up (safe while the hub is running; the copy is consistent):",
        f"  {dump}",
        "",
        "To restore (stop the hub first, e.g. `systemctl stop champions-hub`):",
        f"  {restore}",
        "then start the hub again; it upgrades an older schema by itself.",
        "",
        "The password comes from PGPASSWORD or ~/.pgpass, never from the command line. See docs/it-guide.md.",
    ])


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


# -- checking a database file ---------------------------------------------------------------

def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=60, isolation_level=None)


def known_revisions() -> dict[str, int]:
    """Each schema revision this hub's migrations know, with its distance from the newest (0 = newest)."""
    from alembic.script import ScriptDirectory

    from .db import _MIGRATIONS

    script = ScriptDirectory(str(_MIGRATIONS))
    return {rev.revision: n for n, rev in enumerate(script.walk_revisions())}


def inspect(conn: sqlite3.Connection, name: str) -> tuple[str, dict[str, int]]:
    """Check a connection holds a sound Champions hub database of a known schema; its revision and counts."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{name} is not a readable SQLite database ({error}).") from None
    if problems != ["ok"]:
        raise BackupError(f"{name} is damaged (SQLite's integrity check says: {'; '.join(problems[:3])}).")
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupError(f"{name} is an SQLite database but not a Champions hub database (it has no {', '.join(missing)} table).")
    revisions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    known = known_revisions()
    if len(revisions) != 1:
        raise BackupError(f"{name} has no single schema version (found {revisions or 'none'}).")
    if revisions[0] not in known:
        raise BackupError(f"{name} has schema version {revisions[0]}, which this hub ({__version__}) does not know: it was "
                          f"probably made by a newer hub. Install that version (or newer) before restoring it.")
    counts = {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in COUNTED if t in tables}
    return revisions[0], counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":  # directories cannot be opened for fsync on Windows; NTFS journals renames
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """SQLite's backup API in a single step (one read transaction: a consistent copy), as one plain file."""
    out = sqlite3.connect(target, isolation_level=None)
    try:
        source.backup(out)  # pages=-1: everything in one step, so concurrent writes cannot tear it
        out.execute("PRAGMA journal_mode=DELETE")  # no -wal beside the copy: one self-contained file
    finally:
        out.close()


def _write_json(path: Path, data: dict[str, object]) -> None:
    partial = path.with_name(f".{path.name}.partial-{secrets.token_hex(4)}")
    partial.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _fsync(partial)
    os.replace(partial, path)


def in_use(path: Path) -> bool:
    """True while any process has the database open (a running hub keeps pooled connections open).

    An exclusive lock cannot be had while another connection holds its shared lock, so a
    zero-timeout ``BEGIN EXCLUSIVE`` in exclusive locking mode tells, across processes, without waiting.
    """
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return True
        raise
    finally:
        conn.close()


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# -- backup ---------------------------------------------------------------------------------

def backup(url: str, dest: Path, *, force: bool = False) -> tuple[Path, Manifest]:
    """Copy the hub's SQLite database to ``dest`` (a file, or a folder to put a dated file in)."""
    source = sqlite_path(url)
    if source is None:
        raise BackupError(postgres_advice(url, "backups", str(dest)))
    if not source.is_file():
        raise BackupError(f"There is no hub database at {source}. Check --data-dir (or CHAMPIONS_HUB_DATA_DIR).")
    dest = dest.expanduser().resolve()
    if dest.is_dir():
        dest = dest / f"hub-backup-{_stamp()}.sqlite3"
    if dest == source:
        raise BackupError("The backup cannot be written over the hub's own database.")
    if dest.exists() and not force:
        raise BackupError(f"{dest} already exists. Choose another name, or add --force to replace it.")
    if not dest.parent.is_dir():
        raise BackupError(f"The folder {dest.parent} does not exist.")
    partial = dest.with_name(f".{dest.name}.partial-{secrets.token_hex(4)}")
    try:
        conn = sqlite3.connect(source, timeout=60, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout=60000")
            _copy(conn, partial)
        finally:
            conn.close()
        check = sqlite3.connect(partial, isolation_level=None)
        try:
            revision, counts = inspect(check, "The copy")
        finally:
            check.close()
        _fsync(partial)
        manifest = Manifest(schema_revision=revision, counts=counts, created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                            size_bytes=partial.stat().st_size, sha256=_sha256(partial))
        os.replace(partial, dest)
        _write_json(dest.with_name(dest.name + MANIFEST_SUFFIX), asdict(manifest))
        _fsync_dir(dest.parent)
    finally:
        partial.unlink(missing_ok=True)
    return dest, manifest


# -- restore --------------------------------------------------------------------------------

@dataclass
class Restored:
    target: Path
    manifest: Manifest
    kept_aside: list[Path]
    revision_is_newest: bool
    seq_advanced: str = ""


def check_backup(src: Path) -> Manifest:
    """Everything restore checks before touching the hub: the manifest's checksum, soundness, schema."""
    if not src.is_file():
        raise BackupError(f"There is no file at {src}.")
    side = src.with_name(src.name + MANIFEST_SUFFIX)
    expected: dict[str, object] = {}
    if side.is_file():
        try:
            expected = json.loads(side.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise BackupError(f"The manifest {side} is not readable JSON; move it away to restore without it.") from None
        if expected.get("sha256") and expected["sha256"] != _sha256(src):
            raise BackupError(f"{src} does not match its manifest's checksum: the file was changed or damaged "
                              f"after the backup was made (a partial copy?). Use another backup.")
    try:
        conn = _connect_ro(src)
    except sqlite3.Error as error:
        raise BackupError(f"{src} cannot be opened as a database ({error}).") from None
    try:
        revision, counts = inspect(conn, str(src))
    finally:
        conn.close()
    return Manifest(schema_revision=revision, counts=counts, created_at=str(expected.get("created_at", "")),
                    size_bytes=src.stat().st_size, sha256=str(expected.get("sha256", "")))


SEQ_GAP = 1_000_000_000
"""How far each organisation's change counter jumps when the database a backup replaces is gone."""


def _org_seqs(path: Path) -> dict[str, int]:
    try:
        conn = _connect_ro(path)
        try:
            return {row[0]: int(row[1]) for row in conn.execute("SELECT id, last_seq FROM orgs")}
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


def _after_restore(copy: Path, replaced: Path | None, src: Path) -> str:
    """Make the restored copy safe for laptops that synced after the backup was taken; say how.

    A laptop's pull cursor may be ahead of the backup's change counter; new changes numbered
    below that cursor would never reach it. So each organisation's counter is moved past any
    cursor a laptop can hold: to the replaced database's counter when it is readable, else far
    ahead. Gaps in the numbering are harmless (pull asks for "after N"). The restore is also
    written to the audit log.
    """
    from . import audit
    from .db import make_engine, write
    from .schema import orgs

    previous = _org_seqs(replaced) if replaced is not None else {}
    engine = make_engine(f"sqlite:///{copy}")
    try:
        with write(engine) as conn:
            for org_id, seq in conn.execute(sa.select(orgs.c.id, orgs.c.last_seq)).all():
                target = max(seq, previous[org_id]) if org_id in previous else seq + SEQ_GAP
                if target != seq:
                    conn.execute(orgs.update().where(orgs.c.id == org_id).values(last_seq=target))
            audit.record(conn, "restore", audit.cli_source(), backup=src.name,
                         counters="from the replaced database" if previous else f"advanced by {SEQ_GAP:,}")
    finally:
        engine.dispose()
    if previous:
        return "Change counters continue from the replaced database, so laptops that synced since the backup miss nothing new."
    return (f"Change counters were moved {SEQ_GAP:,} ahead, so laptops that synced after the backup was taken "
            f"still receive every new change.")


def restore(url: str, src: Path, *, force: bool = False) -> Restored:
    """Put the backup ``src`` in place of the hub's SQLite database, keeping the old file aside."""
    target = sqlite_path(url)
    if target is None:
        raise BackupError(postgres_advice(url, "restoring", str(src)))
    src = src.expanduser().resolve()
    if src == target:
        raise BackupError("That file is the hub's own database: nothing to restore.")
    manifest = check_backup(src)
    target.parent.mkdir(parents=True, exist_ok=True)
    exists = target.is_file() and target.stat().st_size > 0
    if exists:
        if in_use(target):
            raise BackupError(f"The hub database {target} is open in another program (a running hub?). "
                              f"Stop the hub first (e.g. `systemctl stop champions-hub`), then restore again.")
        if not force:
            raise BackupError(f"There is already a hub database at {target}. Add --force to replace it "
                              f"(the current file is kept beside it, renamed, not deleted).")
    partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    kept: list[Path] = []
    try:
        conn = _connect_ro(src)
        try:
            _copy(conn, partial)
        finally:
            conn.close()
        advanced = _after_restore(partial, target if exists else None, src)
        check = sqlite3.connect(partial, isolation_level=None)
        try:
            check.execute("PRAGMA journal_mode=DELETE")
            inspect(check, "The copy")
        finally:
            check.close()
        _fsync(partial)
        stamp = _stamp()
        for suffix in ("", *SIDE_FILES):  # the database and its WAL move together, so the old one stays whole
            old = target.with_name(target.name + suffix)
            if old.exists():
                aside = target.with_name(f"{target.name}.before-restore-{stamp}{suffix}")
                os.replace(old, aside)
                kept.append(aside)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    finally:
        for suffix in ("", *SIDE_FILES):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)
    newest = known_revisions().get(manifest.schema_revision) == 0
    return Restored(target, manifest, kept, newest, advanced)
