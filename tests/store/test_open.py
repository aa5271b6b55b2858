"""Opening: encryption, PRAGMAs, and refusing wrong keys and foreign files without touching them."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from champions.domain import Conversation
from champions.store import Query
from champions.store import (
    LATEST_VERSION,
    NotAChampionsDatabase,
    SchemaTooNew,
    Store,
    WrongKey,
)
from champions.store.errors import DatabaseDamaged

from .conftest import fingerprint


def _closed_store_with_data(path: Path, key: bytes | None) -> Conversation:
    with Store.open(path, key) as s:
        saved = s.conversations.save(Conversation(neighbourhood="birkenhead", setting="market", notes="Asked about the flu jab"))
    return saved


def test_the_file_is_unreadable_with_plain_sqlite3_and_readable_with_the_key(db_path: Path, key: bytes) -> None:
    saved = _closed_store_with_data(db_path, key)
    raw = db_path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"flu jab" not in raw and b"birkenhead" not in raw
    plain = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        plain.execute("SELECT * FROM sqlite_master").fetchall()
    plain.close()
    with Store.open(db_path, key) as s:
        assert s.encrypted
        assert s.conversations.get(saved.id) == saved


def test_a_wrong_key_gives_a_clear_message_and_leaves_the_file_byte_identical(db_path: Path, key: bytes) -> None:
    _closed_store_with_data(db_path, key)
    before = fingerprint(db_path)
    assert list(before) == ["champions.db"]  # closed cleanly: no -wal or -shm beside it
    with pytest.raises(WrongKey) as caught:
        Store.open(db_path, os.urandom(32))
    assert str(caught.value) == (
        f"The key does not open {db_path}. It may belong to another Champions database, "
        "or the file may be damaged. The file was not changed."
    )
    assert fingerprint(db_path) == before


def test_a_wrong_key_leaves_an_unclean_file_and_its_wal_untouched(db_path: Path, key: bytes) -> None:
    """A file whose last writer died still has its -wal and -shm: they must not be checkpointed or removed."""
    s = Store.open(db_path, key)
    s.conversations.save(Conversation(neighbourhood="birkenhead", setting="market"))
    # Still open: the -wal holds the change. Copy the three files as a crash would leave them.
    crashed = db_path.parent / "crashed"
    crashed.mkdir()
    for f in db_path.parent.glob("champions.db*"):
        (crashed / f.name).write_bytes(f.read_bytes())
    s.close()
    copy = crashed / "champions.db"
    before = fingerprint(copy)
    assert "champions.db-wal" in before
    with pytest.raises(WrongKey):
        Store.open(copy, os.urandom(32))
    after = fingerprint(copy)
    # The database and its WAL are as they were (not checkpointed, not removed); the -shm is only
    # SQLite's index of the WAL, rebuilt by any reader of a crashed file.
    assert {k: v for k, v in after.items() if not k.endswith("-shm")} == {k: v for k, v in before.items() if not k.endswith("-shm")}
    assert ("champions.db-shm" in after) == ("champions.db-shm" in before)


def test_a_text_file_is_refused_and_untouched(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_text("These are my notes, not a database.\n")
    before = fingerprint(path)
    with pytest.raises(NotAChampionsDatabase) as caught:
        Store.open(path, key)
    assert str(caught.value) == f"{path} is not a Champions database (it is not a database file). The file was not changed."
    assert fingerprint(path) == before


def test_another_programs_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("CREATE TABLE photos (name TEXT)")
    other.execute("INSERT INTO photos VALUES ('cat.jpg')")
    other.commit()
    other.close()
    before = fingerprint(path)
    with pytest.raises(NotAChampionsDatabase) as caught:
        Store.open(path, None)
    assert str(caught.value) == f"{path} is a database, but not a Champions database. The file was not changed."
    assert fingerprint(path) == before
    with pytest.raises(NotAChampionsDatabase):
        Store.open(path, os.urandom(32))  # with a key it is still someone else's file
    assert fingerprint(path) == before


def test_another_programs_encrypted_database_is_refused_and_untouched(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "other.db"
    other = sqlcipher3.connect(path)
    other.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    other.execute("CREATE TABLE secrets (x)")
    other.commit()
    other.close()
    before = fingerprint(path)
    with pytest.raises(NotAChampionsDatabase, match="is a database, but not a Champions database"):
        Store.open(path, key)
    assert fingerprint(path) == before


def test_an_encrypted_file_opened_without_a_key_is_refused(db_path: Path, key: bytes) -> None:
    _closed_store_with_data(db_path, key)
    before = fingerprint(db_path)
    with pytest.raises(NotAChampionsDatabase) as caught:
        Store.open(db_path, None)
    assert "an encrypted Champions database opened without its key" in str(caught.value)
    assert fingerprint(db_path) == before


def test_an_unencrypted_database_opened_with_a_key_is_refused(db_path: Path) -> None:
    _closed_store_with_data(db_path, None)
    before = fingerprint(db_path)
    with pytest.raises(WrongKey) as caught:
        Store.open(db_path, os.urandom(32))
    assert str(caught.value) == (
        f"{db_path} is an unencrypted development database, so it cannot be opened with a key. The file was not changed."
    )
    assert fingerprint(db_path) == before


def test_a_database_from_a_newer_version_is_refused_and_untouched(db_path: Path, key: bytes) -> None:
    _closed_store_with_data(db_path, key)
    conn = sqlcipher3.connect(db_path)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = fingerprint(db_path)
    with pytest.raises(SchemaTooNew, match=rf"schema {LATEST_VERSION + 1}; this version knows up to {LATEST_VERSION}"):
        Store.open(db_path, key)
    assert fingerprint(db_path) == before


def test_a_damaged_database_fails_the_integrity_check_and_is_untouched(db_path: Path) -> None:
    with Store.open(db_path, None) as s:
        s.conversations.save_many(
            Conversation(neighbourhood="birkenhead", setting="market", notes="x" * 2000) for _ in range(300)
        )
    data = bytearray(db_path.read_bytes())
    # Scribble over the middle of the file (table and index pages), keeping page 1 readable.
    middle = len(data) // 2
    data[middle : middle + 8192] = os.urandom(8192)
    db_path.write_bytes(bytes(data))
    before = fingerprint(db_path)
    with pytest.raises(DatabaseDamaged) as caught:
        Store.open(db_path, None)
    assert str(caught.value).startswith(f"{db_path} is damaged (")
    assert "Champions did not change it." in str(caught.value)
    assert fingerprint(db_path) == before


def test_pragmas_are_set_on_every_connection(store: Store) -> None:
    for s in (store, store.reopen()):
        conn = s._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert store.schema_version == LATEST_VERSION


def test_opening_twice_keeps_the_data_and_does_not_seed_again(db_path: Path, key: bytes) -> None:
    saved = _closed_store_with_data(db_path, key)
    with Store.open(db_path, key) as s:
        assert s.conversations.get(saved.id) == saved
        assert s.reference_items.count() == len(s.reference.all_items())
        assert s.last_backup is None  # nothing to migrate, so no backup copy


def test_a_key_must_be_256_bits(db_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly 32 bytes"):
        Store.open(db_path, b"short")
    assert not db_path.exists()


@pytest.mark.parametrize("encrypted", [True, False])
def test_a_database_left_by_a_crash_with_its_wal_opens_with_everything(tmp_path: Path, encrypted: bool) -> None:
    """A power cut leaves the main file plus a WAL of committed pages: the next start must open it,
    not call it damaged or the key wrong."""
    import shutil

    from champions.domain.samples import SampleGenerator

    key = b"\x07" * 32 if encrypted else None
    live = tmp_path / "live.db"
    store = Store.open(live, key)
    store.db.execute("PRAGMA wal_autocheckpoint = 0")  # keep every commit in the WAL, as just before a crash
    saved = [store.conversations.save(c) for c in SampleGenerator(seed=3, reference=store.reference).conversations(20)]
    crashed = tmp_path / "crashed.db"
    for suffix in ("", "-wal"):  # the files as they are on disk at this instant, connection still open
        shutil.copyfile(f"{live}{suffix}", f"{crashed}{suffix}")
    store.close()
    assert Path(f"{crashed}-wal").stat().st_size > 0

    reopened = Store.open(crashed, key)
    try:
        assert {c.id for c in reopened.conversations.query(Query())} == {c.id for c in saved}
    finally:
        reopened.close()
