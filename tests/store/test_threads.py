"""One Store per thread: the driver refuses sharing; reopen() gives a worker its own."""

from __future__ import annotations

import threading

import sqlcipher3

from champions.domain.samples import SampleGenerator
from champions.store import Query, Store


def test_a_store_cannot_be_used_from_another_thread(store: Store) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            store.conversations.count()
        except BaseException as exc:  # noqa: BLE001 - we want to see what was raised
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert len(errors) == 1 and isinstance(errors[0], sqlcipher3.ProgrammingError)


def test_workers_with_their_own_store_write_concurrently_without_losing_anything(store: Store, gen: SampleGenerator) -> None:
    batches = [list(gen.conversations(40)) for _ in range(3)]
    failures: list[BaseException] = []

    def work(records: list) -> None:  # type: ignore[type-arg]
        worker = store.reopen()
        try:
            for record in records:
                worker.conversations.save(record)
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)
        finally:
            worker.close()

    threads = [threading.Thread(target=work, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert store.conversations.count(Query()) == 120
    assert store.unsynced_count() == 120
    assert store.reopen().encrypted and store.reopen().path == store.path
