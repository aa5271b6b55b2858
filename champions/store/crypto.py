"""The database key: 256 random bits, kept in the OS keyring and never written to disk.

The keyring entry is (service "Champions", a username derived from the database path),
so a second database (a test copy, a demo) never shares or overwrites the main key.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from .errors import KeyNotFound, KeyringUnavailable

SERVICE = "Champions"
KEY_BYTES = 32

_NO_KEYRING = (
    "Champions keeps the key that encrypts your records in the computer's keyring "
    "(Windows Credential Manager, macOS Keychain, or the Secret Service on Linux), "
    "but no keyring is available here{detail}. Ask your IT team to enable one. "
    "Nothing was written."
)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def keyring_username(path: Path) -> str:
    """One keyring entry per database file, named after its absolute path."""
    return f"database-key:{Path(path).resolve()}"


def ensure_keyring() -> None:
    """Raise KeyringUnavailable unless a real backend answers."""
    import keyring  # imported when needed: it is slow to import, and a demo or a worker never needs it
    from keyring.backends import chainer, fail, null

    backend = keyring.get_keyring()
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        raise KeyringUnavailable(_NO_KEYRING.format(detail=""))
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        raise KeyringUnavailable(_NO_KEYRING.format(detail=""))
    try:
        backend.get_password(SERVICE, "probe")
    except Exception as exc:  # any backend failure means we cannot keep a key safely
        raise KeyringUnavailable(_NO_KEYRING.format(detail=f" ({exc})")) from exc


def load_key(path: Path) -> bytes | None:
    import keyring.errors

    ensure_keyring()
    try:
        stored = keyring.get_password(SERVICE, keyring_username(path))
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(_NO_KEYRING.format(detail=f" ({exc})")) from exc
    if stored is None:
        return None
    try:
        key = bytes.fromhex(stored)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyNotFound(
            f"The keyring entry for {path} is not a Champions key, so the database cannot be opened. "
            "The file was not changed."
        )
    return key


def create_key(path: Path) -> bytes:
    """Make and keep a key for a database that does not exist yet; read it back to be sure it stuck."""
    import keyring.errors

    ensure_keyring()
    key = new_key()
    username = keyring_username(path)
    try:
        keyring.set_password(SERVICE, username, key.hex())
        if keyring.get_password(SERVICE, username) != key.hex():
            raise KeyringUnavailable(_NO_KEYRING.format(detail=" (it did not keep the key)"))
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(_NO_KEYRING.format(detail=f" ({exc})")) from exc
    return key


def key_for(path: Path, *, database_exists: bool) -> bytes:
    """The key for ``path``: the kept one, or a new one only when there is no database yet."""
    key = load_key(path)
    if key is not None:
        return key
    if database_exists:
        raise KeyNotFound(
            f"The key for {path} is not in this computer's keyring, so its records cannot be read. "
            "If you moved the file, move it back; otherwise ask your coordinator for help. "
            "The file was not changed."
        )
    return create_key(path)
