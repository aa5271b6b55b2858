"""Opening the database file safely: identify it without touching it, then set the PRAGMAs.

A file we refuse (wrong key, another program's file, a newer schema) is only ever read
through an ``immutable=1`` connection, which takes no locks and writes nothing: no
journal, no -wal or -shm file, no checkpoint. Only a file that proved to be ours is
opened read-write.
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from .errors import DatabaseDamaged, NotAChampionsDatabase, SchemaTooNew, WrongKey

Connection = sqlcipher3.Connection
DatabaseError = sqlcipher3.DatabaseError

APPLICATION_ID = 0x43484D50  # "CHMP": marks a file as a Champions database
BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32768  # 32 MiB of decrypted pages: SQLCipher pays a decrypt for every page read from disk
_SQLITE_HEADER = b"SQLite format 3\x00"


def database_exists(path: Path) -> bool:
    """A missing or empty file is a new database; anything else must prove it is ours."""
    return path.exists() and path.stat().st_size > 0


def _key_pragma(conn: Connection, key: bytes) -> None:
    # A raw key ("x'...'") skips SQLCipher's password stretching: the key is already 256 random bits.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def _raw_connect(target: str, *, uri: bool = False) -> Connection:
    conn = sqlcipher3.connect(target, uri=uri, isolation_level=None, check_same_thread=True)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not a log line on stderr
    return conn


def identify(path: Path, key: bytes | None, latest_version: int) -> int:
    """Check an existing file is a Champions database this key opens; return its schema version.

    Raises WrongKey, NotAChampionsDatabase or SchemaTooNew. Never writes (beyond SQLite's own
    recovery of a WAL a crash left behind).
    """
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_HEADER))
    size = path.stat().st_size
    plain = header == _SQLITE_HEADER
    unchanged = "The file was not changed."
    if key is None and not plain:
        raise NotAChampionsDatabase(
            f"{path} cannot be read: it is either an encrypted Champions database opened without its key, "
            f"or not a database at all. {unchanged}"
        )
    if key is not None and not plain and size % 512:
        raise NotAChampionsDatabase(f"{path} is not a Champions database (it is not a database file). {unchanged}")
    wal = path.with_name(path.name + "-wal")
    crashed = wal.exists() and wal.stat().st_size > 0
    # A WAL left by a crash or a power cut holds committed pages the main file lacks yet:
    # "immutable" reads the file without them, which looked damaged (a false "wrong key" or "not
    # a Champions database", so the app refused to start) or gave a stale schema version. Then
    # read it with its WAL (read-only: nothing is checkpointed or changed).
    conn = _raw_connect(path.resolve().as_uri() + ("?mode=ro" if crashed else "?immutable=1"), uri=True)
    try:
        if key is not None and not plain:
            _key_pragma(conn, key)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except DatabaseError as exc:
            if key is None or plain:
                raise NotAChampionsDatabase(f"{path} is not a Champions database ({exc}). {unchanged}") from exc
            raise WrongKey(
                f"The key does not open {path}. It may belong to another Champions database, "
                f"or the file may be damaged. {unchanged}"
            ) from exc
    finally:
        conn.close()
    if app_id != APPLICATION_ID:
        raise NotAChampionsDatabase(f"{path} is a database, but not a Champions database. {unchanged}")
    if key is not None and plain:
        raise WrongKey(
            f"{path} is an unencrypted development database, so it cannot be opened with a key. {unchanged}"
        )
    if version > latest_version:
        raise SchemaTooNew(
            f"{path} was made by a newer version of Champions (schema {version}; this version knows up to "
            f"{latest_version}). Update Champions to open it. {unchanged}"
        )
    return version


def connect(path: Path, key: bytes | None, *, latest_version: int, check: bool = True) -> Connection:
    """Open (or create) the database with WAL, foreign keys, synchronous=FULL and a busy timeout."""
    path = Path(path)
    if key is not None and len(key) != 32:
        raise ValueError("A Champions database key is exactly 32 bytes (256 bits).")
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = database_exists(path)
    if existing and check:
        identify(path, key, latest_version)
    conn = _raw_connect(str(path))
    try:
        if key is not None:
            _key_pragma(conn, key)
        if not existing:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":  # pragma: no cover - only on file systems without shared memory
            raise DatabaseDamaged(f"{path} could not be switched to write-ahead logging (got {mode}).")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if check:
            quick_check(conn, path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > latest_version:  # identify() saw the main file only; the -wal may hold a newer schema
            raise SchemaTooNew(
                f"{path} was made by a newer version of Champions (schema {version}; this version knows up to "
                f"{latest_version}). Update Champions to open it."
            )
    except BaseException:
        conn.close()
        raise
    return conn


def quick_check(conn: Connection, path: Path) -> None:
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except DatabaseError as exc:  # damage bad enough that the check itself cannot run
        rows = [str(exc)]
    if rows != ["ok"]:
        detail = "; ".join(str(r) for r in rows[:3])
        raise DatabaseDamaged(
            f"{path} is damaged ({detail}). Champions did not change it. Restore a backup copy "
            "(files named like it with “.backup” in the same folder) or ask your coordinator for help."
        )


def set_key_on_attached(conn: Connection, alias: str, target: Path, key: bytes | None) -> None:
    """ATTACH ``target`` as ``alias`` with the same key (or none), for backups."""
    key_sql = f"x'{key.hex()}'" if key is not None else ""
    conn.execute(f"ATTACH DATABASE ? AS {alias} KEY ?", (str(target), key_sql))
