"""Alembic environment: always run from code (champions.hub.db.migrate), with a live connection."""

from __future__ import annotations

from alembic import context

from champions.hub.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise SystemExit("Run migrations with `champions-hub init`, not the alembic command.")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
