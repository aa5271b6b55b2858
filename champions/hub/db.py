"""Connecting to the hub's database (SQLite in a data folder, or PostgreSQL) and migrating it.

SQLite runs in WAL mode with ``synchronous=FULL`` (an answered push survives a power cut) and a
long busy timeout (several threads or processes may write). Write transactions start with
``BEGIN IMMEDIATE`` so two writers queue for the lock instead of failing mid-way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

DB_FILE = "hub.sqlite3"
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def url_for_data_dir(data_dir: str | Path) -> str:
    folder = Path(data_dir).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DB_FILE}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        pool = {} if in_memory else {"pool_size": 8, "max_overflow": 16}
        engine = sa.create_engine(url, connect_args={"timeout": 60, "check_same_thread": False}, **pool)
        _sqlite_setup(engine)
        return engine
    return sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_setup(engine: Engine) -> None:
    """Take transaction control from pysqlite so BEGIN IMMEDIATE is possible (SQLAlchemy recipe)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed on success, rolled back on any error."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        yield conn


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision. Run once before starting workers, not in each."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes migrating at once wait for each other rather than clash.
            with conn.begin():
                conn.exec_driver_sql("SELECT pg_advisory_lock(724311)")
            try:
                _upgrade(engine, conn)
            finally:
                with conn.begin():
                    conn.exec_driver_sql("SELECT pg_advisory_unlock(724311)")
        else:
            _upgrade(engine, conn)


def _upgrade(engine: Engine, conn: Connection) -> None:
    cfg = alembic_config(engine)
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
