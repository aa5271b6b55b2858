"""Where the database lives, and opening it the way the app does (key from the keyring)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

from .connection import database_exists
from .crypto import ensure_keyring, key_for
from .errors import KeyringUnavailable
from .store import Store

log = logging.getLogger(__name__)

DATABASE_NAME = "champions.db"
DEMO_NAME = "demo.db"
UNENCRYPTED_NAME = "champions-unencrypted-dev.db"


def data_dir() -> Path:
    """CHAMPIONS_DATA_DIR when set (tests, portable installs), else the platform's user data folder."""
    override = os.environ.get("CHAMPIONS_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("Champions", appauthor=False))


def default_database_path(demo: bool = False) -> Path:
    return data_dir() / (DEMO_NAME if demo else DATABASE_NAME)


def open_default(demo: bool = False, allow_unencrypted: bool = False) -> Store:
    """Open the user's database, encrypted with the key kept in the OS keyring.

    ``demo`` opens ``demo.db``, unencrypted: it only ever holds generated records.
    Without a usable keyring this raises KeyringUnavailable, unless ``allow_unencrypted``
    was asked for explicitly; then a separate, clearly named unencrypted development
    file is used, so the real encrypted file is never mixed up with it.
    """
    if demo:
        return Store.open(default_database_path(demo=True), None)
    path = default_database_path()
    try:
        ensure_keyring()
    except KeyringUnavailable:
        if not allow_unencrypted:
            raise
        dev = data_dir() / UNENCRYPTED_NAME
        log.warning("No keyring: using the UNENCRYPTED development database %s", dev)
        return Store.open(dev, None)
    return Store.open(path, key_for(path, database_exists=database_exists(path)))
