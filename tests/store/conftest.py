"""Store fixtures: a fresh encrypted database file per test, and realistic records for it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from champions.domain.samples import SampleGenerator
from champions.store import Store


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "champions.db"


@pytest.fixture
def store(db_path: Path, key: bytes) -> Iterator[Store]:
    s = Store.open(db_path, key)
    yield s
    s.close()


@pytest.fixture
def gen(store: Store) -> SampleGenerator:
    return SampleGenerator(seed=7, reference=store.reference, author_id="champion-1", org_id="org-1", device_id="laptop-1")


def fingerprint(path: Path) -> dict[str, str]:
    """Hashes of the file and any -wal/-shm/-journal beside it, to prove nothing was touched."""
    found = {}
    for candidate in sorted(path.parent.glob(path.name + "*")):
        found[candidate.name] = hashlib.sha256(candidate.read_bytes()).hexdigest()
    return found
