"""Drafts of unfinished forms, saved as the champion types so a crash or a flat battery loses nothing.

A draft is whatever the form holds (JSON), not a validated record: half-typed input is
exactly what must survive.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from champions.domain import utcnow

from .kinds import iso, parse_iso

if TYPE_CHECKING:
    from .store import Store


class Drafts:
    def __init__(self, store: "Store") -> None:
        self._store = store

    def save(self, form_key: str, data: dict[str, Any]) -> None:
        text = json.dumps(data)
        with self._store._transaction():
            self._store._conn.execute(
                "INSERT INTO draft (form_key, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(form_key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (form_key, text, iso(utcnow())),
            )

    def load(self, form_key: str) -> dict[str, Any] | None:
        row = self._store._conn.execute("SELECT data FROM draft WHERE form_key = ?", (form_key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def discard(self, form_key: str) -> None:
        with self._store._transaction():
            self._store._conn.execute("DELETE FROM draft WHERE form_key = ?", (form_key,))

    def list(self) -> list[tuple[str, dict[str, Any], datetime]]:
        """Every draft, newest first, with when it was last saved."""
        rows = self._store._conn.execute("SELECT form_key, data, updated_at FROM draft ORDER BY updated_at DESC, form_key").fetchall()
        return [(key, json.loads(data), parse_iso(when)) for key, data, when in rows]
