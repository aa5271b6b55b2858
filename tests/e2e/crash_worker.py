"""A laptop whose sync crashes for real, in its own process, for the no-secrets test.

    python -m tests.e2e.crash_worker KEYRING_FILE FILE_LIMIT_BYTES

Opens the encrypted store as the app does (its key from the keyring), sets logging up as the app
does (plus every logger at DEBUG on stderr, as a developer's run would), then limits how large a
file this process may write (RLIMIT_FSIZE): the disk is "full" a few batches into the push, and
SQLite's "database or disk is full" is an error the sync path does not expect. The app's own
sync controller meets it first (it logs the crash with its traceback), then a bare
``run_once()`` lets it escape to the interpreter, which prints the traceback on stderr and exits 1.
"""

from __future__ import annotations

import logging
import resource
import signal
import sys

import keyring

from champions.logs import setup_logging
from champions.store import open_default
from champions.sync.engine import SyncEngine

from .conftest import fast_client
from .sync_worker import file_keyring


def main() -> int:
    keyring.set_keyring(file_keyring(sys.argv[1]))
    limit = int(sys.argv[2])
    setup_logging(logging.DEBUG)
    everything = logging.StreamHandler(sys.stderr)
    everything.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(everything)
    logging.getLogger().setLevel(logging.DEBUG)

    store = open_default()
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL starts empty: the limit bites in it
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG (a full disk)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    from PySide6.QtCore import QCoreApplication

    from champions.ui.sync.controller import SyncController

    app = QCoreApplication([])
    controller = SyncController(store, interval_minutes=60, debounce_ms=60_000,
                                engine_factory=lambda s: SyncEngine(s, client_factory=fast_client, batch_size=5))
    seen: list[str] = []

    def changed(view) -> None:  # noqa: ANN001
        if view.phase == "problem":
            seen.append(view.problem_kind or "")
            app.quit()

    controller.view_changed.connect(changed)
    controller.sync_finished.connect(lambda _r: app.quit())
    controller.sync_now()
    app.exec()
    controller.shutdown()
    print(f"controller: {seen}", file=sys.stderr, flush=True)

    engine = SyncEngine(store, client_factory=fast_client, batch_size=5)
    engine.run_once()  # the disk is still full: this one is not caught by anything
    return 0


if __name__ == "__main__":
    sys.exit(main())
