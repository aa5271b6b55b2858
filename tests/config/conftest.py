"""Fixtures for the managed-settings tests: the system and user files of this test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from champions import config


@pytest.fixture(autouse=True)
def no_setting_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CHAMPIONS_HUB_URL in the developer's shell must not change what a test sees."""
    for key in config.SETTING_KEYS:
        monkeypatch.delenv(config.env_var(key), raising=False)


@pytest.fixture
def system_file() -> Path:
    path = Path(os.environ["CHAMPIONS_SYSTEM_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def user_file() -> Path:
    path = Path(os.environ["CHAMPIONS_CONFIG_DIR"]) / "champions.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
