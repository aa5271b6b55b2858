"""Several ``champions-hub serve --workers`` processes on one database, as behind a reverse
proxy: no state lives in a process, so pushes stay exactly-once and every worker serves the same."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from champions.domain.samples import SampleGenerator
from champions.hub.db import make_engine
from champions.hub.schema import record_revisions, records
from champions.hub.testing import Device, HubCli, fresh_database, run_hub

from .conftest import BACKENDS, change


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_hubs_of_two_workers_on_one_database(backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    gen = SampleGenerator(seed=3)
    with fresh_database(tmp_path, backend) as url:
        cli = HubCli(url)
        org_id = cli.create_org("Workers VCS")
        codes = [cli.invite(org_id, f"Champion {i}") for i in range(4)]
        revoked_code = cli.invite(org_id, "Lost Laptop")
        with run_hub(url, workers=2, log=tmp_path / "hub1.log") as one, run_hub(url, workers=2, log=tmp_path / "hub2.log") as two:
            hubs = [one, two]
            # Enrol through either hub; the device is known to both.
            devices = [hubs[i % 2].enrol(code) for i, code in enumerate(codes)]
            lost = two.enrol(revoked_code)
            cli.run("revoke", lost.enrolment.device_id)
            batches = {d.person_id: [change(gen.conversation()) for _ in range(200)] for d in devices}
            statuses: Counter[str] = Counter()
            failures: list[str] = []
            lock = threading.Lock()
            start = threading.Barrier(len(devices) * 4)

            def send(device, hub) -> None:  # type: ignore[no-untyped-def]
                start.wait(60)
                for _ in range(3):  # the same batch three times, from four threads each, through two hubs
                    reply = device.post("/v1/push", json={"batch_id": "same", "changes": batches[device.person_id]})
                    if reply.status_code != 200:
                        failures.append(f"{hub.port}: {reply.status_code} {reply.text[:200]}")
                        continue
                    with lock:
                        statuses.update(r["status"] for r in reply.json()["results"])

            threads = []
            for device in devices:
                for i in range(4):
                    through = Device(hubs[i % 2], device.enrolment)  # the same device, via hub one or two
                    threads.append(threading.Thread(target=send, args=(through, hubs[i % 2])))
            for t in threads:
                t.start()
            for t in threads:
                t.join(180)
            assert failures == []
            assert statuses == {"accepted": 800, "duplicate": 800 * 11}
            for device in devices:  # each hub, each worker it lands on, gives the same answer
                views = []
                for hub in hubs:
                    seen, cursor = Device(hub, device.enrolment).pull_all()
                    views.append(({(r.id, r.rev) for r in seen if r.kind == "conversation"}, cursor))
                assert views[0] == views[1]
                assert views[0][0] == {(c["id"], c["rev"]) for c in batches[device.person_id]}
            # A revocation made from the command line bites on every worker of every hub at once.
            for hub in hubs:
                for _ in range(4):
                    reply = Device(hub, lost.enrolment).get("/v1/me")
                    assert (reply.status_code, reply.json()["code"]) == (401, "device_revoked")
        engine = make_engine(url)
        with engine.connect() as conn:
            history = conn.execute(sa.select(record_revisions.c.record_id, record_revisions.c.rev)
                                   .where(record_revisions.c.org_id == org_id, record_revisions.c.kind == "conversation")).all()
            current = conn.execute(sa.select(sa.func.count()).select_from(records)
                                   .where(records.c.org_id == org_id, records.c.kind == "conversation")).scalar()
            seqs = conn.execute(sa.select(records.c.seq).where(records.c.org_id == org_id)).scalars().all()
        engine.dispose()
        assert len(history) == 800 and set(Counter(history).values()) == {1} and current == 800
        assert len(seqs) == len(set(seqs))  # one counter for the organisation, whichever worker took the push
