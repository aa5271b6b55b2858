"""The packed id list behaves as the list of ids it replaces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from champions.domain.ids import uuid7
from champions.ui.models.id_list import IdList


def test_uuids_are_packed_and_read_back() -> None:
    ids = [uuid7() for _ in range(50_123)]
    expected = list(ids)
    packed = IdList.pack(ids)
    assert ids == []  # the store's list was emptied as it was packed
    assert len(packed) == len(expected)
    assert packed[0] == expected[0] and packed[-1] == expected[-1] and packed[20_000] == expected[20_000]
    assert packed[100:105] == expected[100:105]
    assert list(packed) == expected
    assert packed.index(expected[31_000]) == 31_000
    assert packed.index(expected[31_000], 0, 40_000) == 31_000
    with pytest.raises(ValueError):
        packed.index(expected[31_000], 0, 31_000)  # outside the rows asked about
    with pytest.raises(ValueError):
        packed.index("not-an-id")
    with pytest.raises(IndexError):
        packed[len(expected)]
    assert packed.leads_with(expected[:300]) and not packed.leads_with(expected[1:300])


@given(st.lists(st.text(min_size=1, max_size=40), max_size=30, unique=True))
def test_any_ids_behave_like_their_list(ids: list[str]) -> None:
    """Ids that are not all UUIDs (an imported record) fall back to a tuple with the same answers."""
    expected = list(ids)
    packed = IdList.pack(list(ids))
    assert list(packed) == expected and len(packed) == len(expected)
    for i, value in enumerate(expected):
        assert packed[i] == value and packed.index(value) == i
    assert packed[1:4] == expected[1:4]
