"""The device token goes to the keyring, one entry per hub and device, and can be forgotten."""

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked

from champions.sync import credentials
from champions.sync.errors import CredentialStoreUnavailable


def test_token_is_kept_per_hub_and_device(memory_keyring):
    credentials.save_token("https://hub.example.org", "dev1", "tok-a")
    credentials.save_token("https://127.0.0.1:8443", "dev1", "tok-b")
    assert credentials.load_token("https://hub.example.org", "dev1") == "tok-a"
    assert memory_keyring.secrets[("Champions", "dev1@127.0.0.1:8443")] == "tok-b"
    credentials.delete_token("https://hub.example.org", "dev1")
    credentials.delete_token("https://hub.example.org", "dev1")  # twice is fine
    assert credentials.load_token("https://hub.example.org", "dev1") is None
    assert credentials.load_token("https://127.0.0.1:8443", "dev1") == "tok-b"


class LockedKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        raise KeyringLocked("locked")

    def set_password(self, service, username, password):
        raise KeyringLocked("locked")

    def delete_password(self, service, username):
        raise KeyringLocked("locked")


def test_an_unusable_keyring_is_explained():
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(CredentialStoreUnavailable, match="secure password store"):
        credentials.save_token("https://hub", "d", "t")
