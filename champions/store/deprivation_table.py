"""The imported postcode-to-deprivation lookup, kept in the local database (never synced).

Owned by the coordinator layer (champions.coordinator.deprivation), which validates the
file; this module only creates and fills its two tables on the store's own connection,
each import in one transaction that replaces the previous one. The store has no API for
extra tables yet, so the tables are created with ``CREATE TABLE IF NOT EXISTS`` here
rather than by a numbered migration; moving them into ``schema.py`` as migration 4 would
be the tidy next step.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import TYPE_CHECKING, Any

from champions.domain import utcnow

from .kinds import iso

if TYPE_CHECKING:
    from .store import Store

_TABLES = (
    """CREATE TABLE IF NOT EXISTS deprivation_area (
        area TEXT PRIMARY KEY,      -- a full postcode (CH41 5AB) or a sector (CH41 5)
        level TEXT NOT NULL,        -- 'postcode' or 'sector'
        sector TEXT NOT NULL,
        district TEXT NOT NULL,
        lsoa21cd TEXT,
        imd_decile INTEGER NOT NULL CHECK (imd_decile BETWEEN 1 AND 10)
    )""",
    "CREATE INDEX IF NOT EXISTS deprivation_area_district ON deprivation_area (district, imd_decile)",
    """CREATE TABLE IF NOT EXISTS deprivation_import (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        source TEXT NOT NULL,
        level TEXT NOT NULL,
        rows INTEGER NOT NULL,
        imported_at TEXT NOT NULL
    )""",
)
_CHUNK = 5000


def _ensure(store: "Store") -> None:
    for statement in _TABLES:
        store._conn.execute(statement)


def replace_areas(store: "Store", level: str, rows: Iterable[tuple[str, str, str, str | None, int]], source: str) -> int:
    """Replace the whole lookup with ``rows`` of (area, sector, district, lsoa21cd, decile); all or nothing."""
    count = 0
    with store._transaction():
        _ensure(store)
        store._conn.execute("DELETE FROM deprivation_area")
        it = iter(rows)
        while chunk := list(islice(it, _CHUNK)):
            store._conn.executemany(
                "INSERT INTO deprivation_area (area, level, sector, district, lsoa21cd, imd_decile) VALUES (?, ?, ?, ?, ?, ?)",
                [(area, level, sector, district, lsoa, decile) for area, sector, district, lsoa, decile in chunk],
            )
            count += len(chunk)
        store._conn.execute(
            "INSERT INTO deprivation_import (id, source, level, rows, imported_at) VALUES (1, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET source = excluded.source, level = excluded.level, rows = excluded.rows, "
            "imported_at = excluded.imported_at",
            (source, level, count, iso(utcnow())),
        )
    return count


def _exists(store: "Store") -> bool:
    return store._conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deprivation_area'").fetchone() is not None


def decile_counts(store: "Store") -> list[tuple[str, int, int]]:
    """(district, decile, number of postcodes or sectors) for every district in the lookup."""
    if not _exists(store):
        return []
    return store._conn.execute(
        "SELECT district, imd_decile, count(*) FROM deprivation_area GROUP BY district, imd_decile ORDER BY district, imd_decile"
    ).fetchall()


def last_import(store: "Store") -> dict[str, Any] | None:
    if not _exists(store):
        return None
    row = store._conn.execute("SELECT source, level, rows, imported_at FROM deprivation_import WHERE id = 1").fetchone()
    return None if row is None else dict(zip(("source", "level", "rows", "imported_at"), row))
