"""Migrations: from every earlier schema, with data, to the latest; a backup first; all or nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from champions.domain import Envelope, Review, ReviewNote
from champions.domain.samples import SampleGenerator
from champions.store import LATEST_VERSION, Query, Store, migrations
from champions.store.migrations import MIGRATIONS, Migration

from .conftest import fingerprint
from .schema_fixtures import build_database


def _records() -> list[Envelope]:
    g = SampleGenerator(seed=3)
    records: list[Envelope] = [*g.conversations(20), *(g.barrier() for _ in range(5)), *g.activities(5), g.asset(0), g.asset(1)]
    return [r.model_copy(update={"notes": f"legacy note number {i}"}) if hasattr(r, "notes") else r for i, r in enumerate(records)]


def test_the_migrations_are_numbered_one_by_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))
    assert LATEST_VERSION >= 4


@pytest.mark.parametrize("old_version", range(1, LATEST_VERSION))
@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
def test_upgrade_from_every_earlier_version_keeps_every_record(tmp_path: Path, key: bytes, old_version: int, encrypted: bool) -> None:
    key_or_none = key if encrypted else None
    path = tmp_path / "champions.db"
    records = _records()
    build_database(path, key_or_none, old_version, records, settings={"window": {"w": 900}})
    with Store.open(path, key_or_none) as store:
        assert store.schema_version == LATEST_VERSION
        for record in records:
            stored = store.repository(record.kind).get(record.id)  # type: ignore[attr-defined]
            assert stored == record.model_copy(update={"rev": 1})
        assert store.settings.get("window") == {"w": 900}
        assert [e.record_id for e in store.outbox.pending(1000)] == [r.id for r in records]
        # v2: search covers what was there before the upgrade
        assert store.conversations.ids(Query(text="legacy note number 7")) == [records[7].id]
        assert store.barriers.count(Query(text="legacy")) == 5
        # v3: drafts exist
        store.drafts.save("conversation/new", {"notes": "typing"})
        # v4: reviews of the records that were there before the upgrade
        assert store.reviews.count() == 0
        talk = store.conversations.get(records[1].id)
        query = store.reviews.save(Review.of(talk, "queried", ReviewNote(note_kind="query", text="Which pharmacy?")))
        assert store.reviews.for_subjects([r.id for r in records]) == {talk.id: query}
        assert store.reviews.ids(Query(text="pharmacy")) == [query.id]
        assert store.reviews.current_revs([query]) == {talk.id: 1}
        assert [e.record_id for e in store.outbox.pending(1000)][-1] == query.id
        # and the store keeps working on the old rows
        edited = store.conversations.save(store.conversations.get(records[0].id).model_copy(update={"notes": "after upgrade"}))
        assert edited.rev == 2
        backup = store.last_backup
    assert backup is not None and backup.name.startswith(f"champions.db.backup-v{old_version}-")
    assert not list(tmp_path.glob("*.partial"))
    with Store.open(backup, key_or_none) as old:  # the backup is a whole database at the old version
        assert old.last_backup is not None  # opening it migrates the copy, after backing up the copy
        assert old.conversations.count() == 20
        assert old.conversations.get(records[0].id).notes == "legacy note number 0"
    if encrypted:
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(backup).execute("SELECT * FROM sqlite_master").fetchall()


def test_a_failing_migration_leaves_the_file_at_its_old_version_with_its_data(
    tmp_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "champions.db"
    records = _records()
    review = Review.of(records[0].model_copy(update={"rev": 1}), "reviewed")
    build_database(path, key, LATEST_VERSION, [*records, review])
    broken = Migration(LATEST_VERSION + 1, "broken", "CREATE TABLE half_done (x);\nSELECT no_such_function();\n")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "LATEST_VERSION", LATEST_VERSION + 1)
    import champions.store.store as store_module

    monkeypatch.setattr(store_module, "LATEST_VERSION", LATEST_VERSION + 1)
    with pytest.raises(Exception, match="no_such_function"):
        Store.open(path, key)
    monkeypatch.undo()
    with Store.open(path, key) as store:
        assert store.schema_version == LATEST_VERSION
        assert "half_done" not in store.db.table_names()
        assert store.conversations.count() == 20
        assert store.reviews.for_subjects([records[0].id]) == {records[0].id: review.model_copy(update={"rev": 1})}
    backups = list(tmp_path.glob("champions.db.backup-v*"))
    assert len(backups) == 1  # taken before the failed attempt


def test_a_new_database_needs_no_backup(tmp_path: Path, key: bytes) -> None:
    with Store.open(tmp_path / "new.db", key) as store:
        assert store.last_backup is None
    assert sorted(fingerprint(tmp_path / "new.db")) == ["new.db"]
