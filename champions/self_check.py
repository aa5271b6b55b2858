"""``champions --self-check``: prove, without a window, that this laptop can keep and sync records.

IT runs it after an install (or from a management tool) and reads plain lines, one per check,
each ending in OK or FAILED with the reason; the exit code is 0 only when every check passed.
It opens the user's database exactly as the app does (key from the OS keyring), writes, reads
back and deletes a check entry, and syncs once when the laptop is enrolled. The entry goes in
the store's local settings table, never in a record: records travel to the hub, and a check
must not put anything in the coordinator's reports. Nothing here ever prints a traceback; an
unexpected error is one FAILED line (and its details go to the log file).
"""

from __future__ import annotations

import logging
import secrets
import time
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path
from typing import Any

import champions
from champions.config import LoadedSettings

log = logging.getLogger(__name__)

CHECK_KEY = "self-check.probe"
_SQLITE_HEADER = b"SQLite format 3\x00"


class _Report:
    """Collects the lines and whether everything passed."""

    def __init__(self, out: Callable[[str], None]) -> None:
        self.out = out
        self.ok = True

    def line(self, text: str, ok: bool = True) -> None:
        self.ok = self.ok and ok
        self.out(text)


def keyring_description() -> str:
    """The keyring backend in use, as an IT person would recognise it."""
    import keyring
    from keyring.backends import chainer

    backend = keyring.get_keyring()
    chosen = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    names = [f"{getattr(b, 'name', type(b).__name__)} ({type(b).__module__}.{type(b).__name__})" for b in chosen]
    return ", ".join(names) or "none"


def _check_keyring(report: _Report) -> bool:
    from champions import keyring_policy
    from champions.store import KeyringUnavailable
    from champions.store.crypto import ensure_keyring

    refused = keyring_policy.refuse_file_keyrings()
    if refused:
        report.line(f"Keyring: {refused}")
    try:
        ensure_keyring()
    except KeyringUnavailable as exc:
        report.line(f"Keyring: FAILED. {exc}", ok=False)
        return False
    report.line(f"Keyring: OK ({keyring_description()}).")
    return True


def _is_encrypted_file(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER


def _open_store(args: Namespace, report: _Report) -> Any:
    from champions.store import StoreError, open_default

    demo = bool(getattr(args, "demo", False))
    try:
        store = open_default(demo=demo, allow_unencrypted=bool(getattr(args, "unencrypted_dev_db", False)))
    except StoreError as exc:
        report.line(f"Database: FAILED. {exc}", ok=False)
        return None
    if store.encrypted and _is_encrypted_file(store.path):
        how = "encrypted with the key kept in the keyring; the integrity check passed"
        report.line(f"Database {store.path}: OK (opened, {how}).")
    elif demo:
        report.line(f"Database {store.path}: OK (the demo database: generated records only, not encrypted).")
    else:
        report.line(f"Database {store.path}: opened, but it is NOT encrypted (developer mode was asked for).", ok=False)
    return store


def _write_read_delete(store: Any, report: _Report) -> None:
    value = {"nonce": secrets.token_hex(8), "at": time.time()}
    try:
        store.settings.set(CHECK_KEY, value)
        back = store.settings.get(CHECK_KEY)
        store.settings.delete(CHECK_KEY)
        gone = store.settings.get(CHECK_KEY) is None
    except Exception as exc:  # noqa: BLE001 - the answer to a self-check is the problem, not a traceback
        log.exception("self-check: writing the check entry failed")
        report.line(f"Write, read back and delete a check entry: FAILED ({type(exc).__name__}: {exc}).", ok=False)
        return
    if back != value:
        report.line("Write, read back and delete a check entry: FAILED (what was read back differs).", ok=False)
    elif not gone:
        report.line("Write, read back and delete a check entry: FAILED (it was still there after deleting).", ok=False)
    else:
        report.line("Write, read back and delete a check entry: OK.")


def _sync(store: Any, loaded: LoadedSettings, report: _Report) -> None:
    from champions.sync.self_check import sync_once

    try:
        result = sync_once(store, loaded.settings.hub_url)
    except Exception as exc:  # noqa: BLE001 - e.g. a keyring that fails only when the token is read
        log.exception("self-check: sync failed unexpectedly")
        report.line(f"Sync: FAILED ({type(exc).__name__}: {exc}).", ok=False)
        return
    for text in result.lines:
        report.out(text)
    report.ok = report.ok and result.ok


def run_self_check(args: Namespace, loaded: LoadedSettings, out: Callable[[str], None] = print) -> int:
    """Run every check in order, print a line for each and a verdict; 0 if all passed, else 1."""
    report = _Report(lambda text: out(text))
    report.line(f"Champions {champions.__version__} self-check")
    for problem in loaded.problems:
        report.line(f"Settings: {problem}")
    store = None
    try:
        demo, dev = bool(getattr(args, "demo", False)), bool(getattr(args, "unencrypted_dev_db", False))
        if demo or _check_keyring(report) or dev:  # the demo database needs no keyring
            store = _open_store(args, report)
        if store is not None:
            _write_read_delete(store, report)
            _sync(store, loaded, report)
    except Exception as exc:  # noqa: BLE001 - never a traceback for IT; the log has the details
        log.exception("self-check failed unexpectedly")
        report.line(f"Self-check: FAILED (unexpected {type(exc).__name__}: {exc}; details in the log file).", ok=False)
    finally:
        if store is not None:
            try:
                store.close()
            except Exception:  # noqa: BLE001
                log.exception("self-check: closing the database failed")
    report.out("Result: all checks passed." if report.ok else "Result: FAILED (see the lines above).")
    log.info("self-check %s", "passed" if report.ok else "failed")
    return 0 if report.ok else 1
