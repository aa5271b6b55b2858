"""The shipped reference lists, shared by the coordinator tests."""

from __future__ import annotations

import pytest

from champions.domain import ReferenceLists


@pytest.fixture(scope="session")
def ref() -> ReferenceLists:
    return ReferenceLists.defaults()
