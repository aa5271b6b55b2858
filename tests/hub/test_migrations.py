"""The Alembic migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from champions.hub.db import current_revision, make_engine, migrate
from champions.hub.schema import metadata
from champions.hub.testing import fresh_database


def test_migrated_schema_matches_the_tables_in_code(backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with fresh_database(tmp_path, backend) as url:
        engine = make_engine(url)
        try:
            migrate(engine)
            migrate(engine)  # a second run is a no-op
            assert current_revision(engine) == "0003"
            with engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), metadata)
            assert diff == []
            if backend == "sqlite":
                with engine.connect() as conn:
                    assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                    assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        finally:
            engine.dispose()
