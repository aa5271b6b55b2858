"""Sync through a flaky network converges, with every record on the hub exactly once."""

from __future__ import annotations

import pytest

from champions.store import Store
from champions.sync.client import HubClient
from champions.sync.engine import SyncEngine
from champions.sync.enrolment import connection_options, enrol
from champions.sync.errors import HubUnreachable

from .faulty_proxy import FaultyProxy
from .test_sync_flow import hub_records


@pytest.fixture
def proxy(hub):
    proxy = FaultyProxy(hub.running.port, seed=3, latency=(0.0, 0.03))
    yield proxy
    proxy.close()


def test_sync_through_a_flaky_network_converges_without_duplicates(hub, proxy, tmp_path, laptops):
    store = Store.open(tmp_path / "amina.db", None)
    enrol(store, proxy.url, hub.cli.invite(hub.org_id, "Amina"))  # enrolled while the line is good

    def client(identity, token):
        return HubClient(identity.hub_url, token, timeout=(2.0, 5.0), backoff=0.02, retries=3, **connection_options())

    engine = SyncEngine(store, client_factory=client, batch_size=5, pull_limit=10)
    from champions.domain.samples import SampleGenerator

    samples = SampleGenerator(seed=9, reference=store.reference)
    records = [store.conversations.save(r) for r in samples.conversations(200)]
    for record in records[:20]:
        store.conversations.save(record.model_copy(update={"notes": "edited before sync"}))
    proxy.flaky(drop=1 / 3, reset=0.1, lose=0.15, lifetime=(0.02, 0.2))  # short lives: many connections, however fast the machine

    failures = 0
    for _attempt in range(300):
        try:
            engine.run_once()
        except HubUnreachable:
            failures += 1
            continue
        if store.unsynced_count() == 0:
            break
    engine.close()
    assert store.unsynced_count() == 0
    # the network really was bad: all three kinds of fault happened, many times
    counts = proxy.counts
    assert counts["drop"] >= 8 and counts["reset_request"] >= 2 and counts["responses_lost"] >= 2, counts
    assert counts["cut"] >= 8, counts

    on_hub = hub_records(hub)  # fails on a duplicated id
    assert set(on_hub) == {r.id for r in records}
    for record in records[:20]:
        assert on_hub[record.id]["notes"] == "edited before sync"
        assert on_hub[record.id]["rev"] == 2
    assert all(s.state == "synced" for s in store.conversations.sync_states([r.id for r in records]).values())

    # and the coordinator, on a good line, gets each exactly once
    cora = laptops("Cora", "coordinator")
    cora.sync()
    assert cora.store.conversations.count() == 200
    store.close()
