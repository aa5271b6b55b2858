"""Local key/value settings of this device (window sizes, last filters), as JSON.

Nothing secret goes here: credentials and keys live only in the OS keyring.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from champions.domain import utcnow

from .kinds import iso

if TYPE_CHECKING:
    from .store import Store


class Settings:
    def __init__(self, store: "Store") -> None:
        self._store = store

    def get(self, key: str, default: Any = None) -> Any:
        row = self._store._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        text = json.dumps(value)  # fails before writing if the value is not JSON
        with self._store._transaction():
            self._store._conn.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (key, text, iso(utcnow())),
            )

    def delete(self, key: str) -> None:
        with self._store._transaction():
            self._store._conn.execute("DELETE FROM settings WHERE key = ?", (key,))

    def all(self) -> dict[str, Any]:
        rows = self._store._conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
        return {key: json.loads(value) for key, value in rows}
