"""Shared test setup: no screen, no real keyring, a fresh folder for every test."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "1")

import keyring  # noqa: E402
import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps secrets in memory, so tests never touch the OS keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> MemoryKeyring:
    """Every test gets an empty in-memory keyring and private data/config folders."""
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CHAMPIONS_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("CHAMPIONS_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("CHAMPIONS_LOG_DIR", str(home / "logs"))
    monkeypatch.setenv("CHAMPIONS_SYSTEM_CONFIG", str(home / "system" / "champions.toml"))
    yield backend
    keyring.set_keyring(previous)


_FIGURES: list[str] = []


@pytest.fixture
def figures() -> list[str]:
    """Lines a test measured (keystrokes, sizes) for the end of the run, where CI's log shows them."""
    return _FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("figures measured by the tests")
        for line in _FIGURES:
            terminalreporter.write_line(line)
