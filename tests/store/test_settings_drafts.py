"""Local settings and crash-safe drafts of unfinished forms."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from champions.store import Store


def test_settings_keep_json_values_across_a_reopen(db_path: Path, key: bytes) -> None:
    with Store.open(db_path, key) as s:
        assert s.settings.get("window", {"w": 800}) == {"w": 800}
        s.settings.set("window", {"w": 1024, "h": 768, "maximised": False})
        s.settings.set("last_neighbourhood", "birkenhead")
        s.settings.set("last_neighbourhood", "wallasey")
        s.settings.set("nothing", None)
    with Store.open(db_path, key) as s:
        assert s.settings.get("window") == {"w": 1024, "h": 768, "maximised": False}
        assert s.settings.get("last_neighbourhood") == "wallasey"
        assert s.settings.get("nothing", "default") is None  # a stored null is a value
        assert s.settings.all() == {"last_neighbourhood": "wallasey", "nothing": None,
                                    "window": {"w": 1024, "h": 768, "maximised": False}}
        s.settings.delete("nothing")
        assert s.settings.get("nothing", "default") == "default"


def test_a_value_that_is_not_json_is_refused_before_writing(store: Store) -> None:
    with pytest.raises(TypeError):
        store.settings.set("when", datetime.now())
    assert store.settings.all() == {}


def test_drafts_save_load_list_and_discard(db_path: Path, key: bytes) -> None:
    before = datetime.now(timezone.utc)
    with Store.open(db_path, key) as s:
        assert s.drafts.load("conversation/new") is None
        s.drafts.save("conversation/new", {"neighbourhood": "birkenhead", "people_reached": "3x"})
        s.drafts.save("activity/new", {"notes": "half typed"})
        s.drafts.save("conversation/new", {"neighbourhood": "birkenhead", "people_reached": "3"})
    with Store.open(db_path, key) as s:  # survives closing (and a crash: each save commits)
        assert s.drafts.load("conversation/new") == {"neighbourhood": "birkenhead", "people_reached": "3"}
        listed = s.drafts.list()
        assert [k for k, _, _ in listed] == ["conversation/new", "activity/new"]  # newest first
        assert all(before <= when <= datetime.now(timezone.utc) for _, _, when in listed)
        s.drafts.discard("conversation/new")
        s.drafts.discard("conversation/new")
        assert s.drafts.load("conversation/new") is None
        assert [k for k, _, _ in s.drafts.list()] == ["activity/new"]
