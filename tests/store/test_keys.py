"""The key: made on first run, kept only in the keyring, refused plainly when there is no keyring."""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
from keyring.backends import chainer, fail

from champions.domain import Conversation
from champions.store import (
    SERVICE,
    KeyNotFound,
    KeyringUnavailable,
    Store,
    default_database_path,
    keyring_username,
    open_default,
)

from .conftest import fingerprint


def test_the_default_path_honours_champions_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAMPIONS_DATA_DIR", str(tmp_path / "here"))
    assert default_database_path() == tmp_path / "here" / "champions.db"
    assert default_database_path(demo=True) == tmp_path / "here" / "demo.db"


def test_first_run_makes_a_256_bit_key_kept_in_the_keyring_and_never_on_disk(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    path = default_database_path()
    with open_default() as store:
        assert store.encrypted and store.path == path
        store.conversations.save(Conversation(neighbourhood="birkenhead", setting="market"))
    secret = memory_keyring.secrets[(SERVICE, keyring_username(path))]
    key = bytes.fromhex(secret)
    assert len(key) == 32
    for f in path.parent.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert key not in data and secret.encode() not in data and secret.upper().encode() not in data
    with open_default() as again:  # the second run finds the same key
        assert again.conversations.count() == 1
    assert len(memory_keyring.secrets) == 1


def test_each_database_path_has_its_own_keyring_entry(tmp_path: Path) -> None:
    assert keyring_username(tmp_path / "a.db") != keyring_username(tmp_path / "b.db")
    assert keyring_username(tmp_path / "a.db") == f"database-key:{(tmp_path / 'a.db').resolve()}"


@pytest.mark.parametrize("backend", [fail.Keyring(), chainer.ChainerBackend()], ids=["fail", "empty-chainer"])
def test_no_keyring_refuses_to_start_with_a_plain_message(backend: keyring.backend.KeyringBackend, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if isinstance(backend, chainer.ChainerBackend):
        monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(backend)
    with pytest.raises(KeyringUnavailable) as caught:
        open_default()
    assert str(caught.value) == (
        "Champions keeps the key that encrypts your records in the computer's keyring "
        "(Windows Credential Manager, macOS Keychain, or the Secret Service on Linux), "
        "but no keyring is available here. Ask your IT team to enable one. Nothing was written."
    )
    assert not default_database_path().exists()


def test_a_broken_keyring_is_refused_too(memory_keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(service: str, username: str) -> str:
        raise keyring.errors.KeyringLocked("the keyring is locked")

    monkeypatch.setattr(memory_keyring, "get_password", broken)
    with pytest.raises(KeyringUnavailable, match=r"no keyring is available here \(the keyring is locked\)"):
        open_default()


def test_unencrypted_development_database_only_when_asked(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(fail.Keyring())
    with open_default(allow_unencrypted=True) as store:
        assert not store.encrypted
        assert store.path.name == "champions-unencrypted-dev.db"
        assert store.path != default_database_path()
        store.barriers.save(store.barriers.model(code="TF.SAFETY"))
    assert store.path.read_bytes().startswith(b"SQLite format 3")


def test_demo_uses_its_own_unencrypted_file_without_a_keyring() -> None:
    keyring.set_keyring(fail.Keyring())
    with open_default(demo=True) as store:
        assert store.path == default_database_path(demo=True)
        assert not store.encrypted


def test_a_lost_key_is_reported_and_the_database_is_not_replaced(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    with open_default() as store:
        store.conversations.save(Conversation(neighbourhood="birkenhead", setting="market"))
        path = store.path
    memory_keyring.secrets.clear()
    before = fingerprint(path)
    with pytest.raises(KeyNotFound) as caught:
        open_default()
    assert str(caught.value) == (
        f"The key for {path} is not in this computer's keyring, so its records cannot be read. "
        "If you moved the file, move it back; otherwise ask your coordinator for help. The file was not changed."
    )
    assert fingerprint(path) == before
    assert memory_keyring.secrets == {}  # no new key was made over the old one


def test_a_key_given_directly_works_without_any_keyring(tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    key = os.urandom(32)
    with Store.open(tmp_path / "x.db", key) as store:
        assert store.encrypted
