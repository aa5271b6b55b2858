"""The store's exceptions: one base, each with a message a person can act on.

::

    StoreError
    ├── KeyringUnavailable     no usable OS keyring, so no safe place for the key
    ├── WrongKey               the key does not open the file (or the file is damaged)
    │   └── KeyNotFound        the file exists but its key is not in the keyring
    ├── NotAChampionsDatabase  the file is not ours (another app's, or not a database)
    ├── SchemaTooNew           made by a newer Champions; we never downgrade
    ├── DatabaseDamaged        the integrity check failed
    ├── StoreBusy              another program held the database too long
    └── NotFoundError          no record with that id (also a KeyError)

The store never changes a file it refuses; every message says so, so people do not
fear that trying again made things worse.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the store raises on purpose."""


class KeyringUnavailable(StoreError):
    pass


class WrongKey(StoreError):
    pass


class KeyNotFound(WrongKey):
    pass


class NotAChampionsDatabase(StoreError):
    pass


class SchemaTooNew(StoreError):
    pass


class DatabaseDamaged(StoreError):
    pass


class StoreBusy(StoreError):
    pass


class NotFoundError(StoreError, KeyError):
    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0]) if self.args else "Not found"
