"""The hub killed (SIGKILL) in the middle of a push: after a restart, the retried batch loses nothing
and duplicates nothing."""

from __future__ import annotations

import threading
import time

import pytest
import requests
import sqlalchemy as sa

from champions.domain.samples import SampleGenerator
from champions.hub.db import make_engine
from champions.hub.schema import record_revisions, records
from champions.hub.testing import HubCli, fresh_database, start_hub

from .conftest import BACKENDS, change


@pytest.mark.parametrize("backend", BACKENDS)
def test_sigkill_mid_push_then_retry(backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    gen = SampleGenerator(seed=11)
    with fresh_database(tmp_path, backend) as url:
        cli = HubCli(url)
        org_id = cli.create_org("Crash VCS")
        code = cli.invite(org_id, "Amina")
        hub = start_hub(url, log=tmp_path / "hub.log")
        device = hub.enrol(code)
        all_ids: set[str] = set()
        interrupted = 0
        try:
            for delay in (0.05, 0.15, 0.3, 0.6):
                batch = [change(gen.conversation()) for _ in range(1000)]
                all_ids |= {c["id"] for c in batch}
                outcome: list[object] = []

                def send(batch=batch, outcome=outcome) -> None:  # type: ignore[no-untyped-def]
                    try:
                        outcome.append(device.post("/v1/push", json={"batch_id": "crash", "changes": batch}).status_code)
                    except requests.RequestException as exc:
                        outcome.append(exc)

                sender = threading.Thread(target=send)
                sender.start()
                time.sleep(delay)
                hub.kill()
                sender.join(60)
                interrupted += not isinstance(outcome[0], int)
                hub = start_hub(url, log=tmp_path / "hub.log")
                device.hub = hub
                retry = device.push(batch, batch_id="crash")
                assert {r.status for r in retry.results} <= {"accepted", "duplicate"}
                assert len(retry.results) == 1000
        finally:
            hub.stop()
        assert interrupted >= 1, "the hub was never killed while a push was in flight"
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                current = conn.execute(sa.select(records.c.id).where(records.c.org_id == org_id, records.c.kind == "conversation")).scalars().all()
                history = conn.execute(sa.select(record_revisions.c.record_id).where(
                    record_revisions.c.org_id == org_id, record_revisions.c.kind == "conversation")).scalars().all()
        finally:
            engine.dispose()
        assert sorted(current) == sorted(all_ids) and len(current) == 4000
        assert sorted(history) == sorted(all_ids)
