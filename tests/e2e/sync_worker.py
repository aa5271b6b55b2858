"""A champion's laptop in its own process, for the kill tests: save some work, then sync until done.

    python -m tests.e2e.sync_worker DB KEYRING_FILE SEED [--new N] [--batch B]

Prints "ready" once the store is open, then saves, edits and deletes a few records (each save
its own transaction, as the app does) and runs sync until nothing waits. The parent SIGKILLs it
at random moments; whatever it did must never be lost or duplicated.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import keyring
from keyrings.alt.file import PlaintextKeyring

from champions.domain.samples import SampleGenerator
from champions.store import Store
from champions.sync.client import HubClient
from champions.sync.engine import SyncEngine
from champions.sync.enrolment import connection_options
from champions.sync.errors import SyncError


def file_keyring(path: str) -> PlaintextKeyring:
    backend = PlaintextKeyring()
    backend.file_path = path
    return backend


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("keyring_file")
    parser.add_argument("seed", type=int)
    parser.add_argument("--new", type=int, default=5)
    parser.add_argument("--batch", type=int, default=7)
    parser.add_argument("--deadline", type=float, default=60.0)
    args = parser.parse_args()
    keyring.set_keyring(file_keyring(args.keyring_file))
    store = Store.open(args.db, None)
    print("ready", flush=True)
    rng = random.Random(args.seed)
    samples = SampleGenerator(seed=args.seed, reference=store.reference)
    for record in samples.conversations(args.new):
        store.conversations.save(record)
    existing = store.conversations.ids()
    for record_id in rng.sample(existing, min(2, len(existing))):
        current = store.conversations.get(record_id)
        if not current.deleted:
            store.conversations.save(current.model_copy(update={"notes": f"edit {args.seed}", "people_reached": rng.randint(1, 50)}))
    if existing and rng.random() < 0.3:
        store.conversations.delete(rng.choice(existing))
    print("saved", flush=True)

    def client(identity, token):  # noqa: ANN001, ANN202
        return HubClient(identity.hub_url, token, timeout=(2.0, 10.0), backoff=0.05, retries=2, **connection_options())

    engine = SyncEngine(store, client_factory=client, batch_size=args.batch, pull_limit=10)
    deadline = time.monotonic() + args.deadline
    while time.monotonic() < deadline:
        try:
            engine.run_once()
        except SyncError as exc:
            print(f"retry: {type(exc).__name__}", flush=True)
            time.sleep(0.2)
            continue
        if store.unsynced_count() == 0:
            print("synced", flush=True)
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
