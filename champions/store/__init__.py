"""The encrypted local store (see DESIGN.md, The local store): records, outbox, search.

Open with ``open_default()`` (key from the OS keyring) or ``Store.open(path, key)``; use
``store.conversations``, ``store.barriers``, ``store.activities``, ``store.assets`` and
``store.reference_items`` and ``store.reviews`` (each a Repository) to save, query and soft-delete records.
"""

from .crypto import SERVICE, keyring_username
from .errors import (
    DatabaseDamaged,
    KeyNotFound,
    KeyringUnavailable,
    NotAChampionsDatabase,
    NotFoundError,
    SchemaTooNew,
    StoreBusy,
    StoreError,
    WrongKey,
)
from .events import ChangeEvent
from .migrations import LATEST_VERSION
from .outbox import OutboxEntry, SyncState
from .paths import default_database_path, open_default
from .query import Query
from .repository import Repository
from .reviews import Reviews
from .schema import SYNC_STATES
from .store import Store

__all__ = [
    "LATEST_VERSION", "SERVICE", "SYNC_STATES", "ChangeEvent", "DatabaseDamaged", "KeyNotFound",
    "KeyringUnavailable", "NotAChampionsDatabase", "NotFoundError", "OutboxEntry", "Query", "Repository",
    "Reviews", "SchemaTooNew", "Store", "StoreBusy", "StoreError", "SyncState", "WrongKey", "default_database_path",
    "keyring_username", "open_default",
]
