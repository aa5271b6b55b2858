"""Child process for the crash test: saves records in a loop until it is killed.

After each save returns it writes the stored record as one JSON line to stdout and
flushes, so the parent knows exactly which saves had returned when it pulled the plug.
Usage: python crash_child.py DB_PATH SEED   (the key, hex, in CHAMPIONS_TEST_KEY)
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

from champions.domain.samples import SampleGenerator
from champions.store import Query, Store


def intend(*ids: str) -> None:
    """Before each change: the ids it will touch, so the parent can account for every row."""
    sys.stdout.write(json.dumps({"intent": list(ids)}) + "\n")
    sys.stdout.flush()


def say(record: object) -> None:
    sys.stdout.write(record.model_dump_json() + "\n")  # type: ignore[attr-defined]
    sys.stdout.flush()


def main() -> None:
    path, seed = Path(sys.argv[1]), int(sys.argv[2])
    store = Store.open(path, bytes.fromhex(os.environ["CHAMPIONS_TEST_KEY"]))
    rng = random.Random(seed)
    gen = SampleGenerator(seed=seed, reference=store.reference)
    known = store.conversations.ids(Query(include_deleted=True, limit=500))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        roll = rng.random()
        if roll < 0.45 or not known:
            record = gen.conversation()
            intend(record.id)
            saved = store.conversations.save(record)
            known.append(saved.id)
            say(saved)
        elif roll < 0.55:
            batch = list(gen.conversations(rng.randint(2, 8)))
            intend(*(r.id for r in batch))
            store.conversations.save_many(batch)
            for record in batch:  # save_many returns a count; read back what it stored
                saved = store.conversations.get(record.id)
                known.append(saved.id)
                say(saved)
        elif roll < 0.75:
            target = store.conversations.get(rng.choice(known))
            intend(target.id)
            say(store.conversations.save(target.model_copy(update={"notes": f"edit {rng.random()}", "deleted": False})))
        elif roll < 0.85:
            target_id = rng.choice(known)
            intend(target_id)
            say(store.conversations.delete(target_id))
        elif roll < 0.93:
            barrier = gen.barrier()
            intend(barrier.id)
            say(store.barriers.save(barrier))
        else:
            activity = gen.activity()
            intend(activity.id)
            say(store.activities.save(activity))


if __name__ == "__main__":
    main()
