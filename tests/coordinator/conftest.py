"""Coordinator fixtures: the shipped reference lists, and fresh encrypted stores."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from champions.domain import ReferenceLists
from champions.store import Store

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def ref() -> ReferenceLists:
    return ReferenceLists.defaults()


@pytest.fixture
def open_store(tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    """``open_store("a")``: a new encrypted database file in this test's folder (closed afterwards)."""
    opened: list[Store] = []

    def make(name: str = "coordinator") -> Store:
        store = Store.open(tmp_path / f"{name}.db", os.urandom(32))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
