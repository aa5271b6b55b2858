"""Hub ingest benchmark (issue 4): the hub against a raw baseline measured in the same run.

1. Ingest: N records (default 100,000) in batches of 1,000 through POST /v1/push, against a
   raw baseline: the same JSON POSTed to an endpoint that only parses it, plus a bare
   ``executemany`` of the rows the hub stores (each record's current version and its revision,
   canonical body and hash made beforehand) into copies of the hub's own two record tables,
   with the same keys, indexes and foreign key, in the same database. Target: hub throughput
   at least 30% of the baseline's. The three are run in alternating rounds of 10 batches, so
   a change in the machine's load (it is shared) hits all three alike. For comparison only,
   the script also times the same rows into one bare (org_id, id, rev, body) table.
2. Concurrency: 200 devices each pushing 100 records at the same moment: throughput, p50 and
   p99 latency, and a count proving nothing was lost and nothing duplicated (the hub's stored
   revisions and current records against what was sent, and every answer ``accepted``).

Runs on SQLite, and on PostgreSQL when --postgres URL (or CHAMPIONS_TEST_DATABASE_URL) names a
server (a fresh database is made and dropped). The hub is one ``champions-hub serve`` process,
the parse-only endpoint one uvicorn process, both on 127.0.0.1.

    python benchmarks/hub_bench.py [--records 100000] [--devices 200] [--postgres postgresql+psycopg://postgres@127.0.0.1/bench]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa
from fastapi import FastAPI, Request

from champions.domain import utcnow, uuid7
from champions.domain.samples import SampleGenerator
from champions.hub import accounts
from champions.hub.db import make_engine, migrate, write
from champions.hub.records import canonical, content_hash
from champions.hub.schema import orgs, record_revisions, records
from champions.hub.testing import PG_ENV, RunningHub, fresh_database, free_port, start_hub
from champions.sync import protocol as p

BATCH = 1000
ROUND = 10  # batches per round of the alternating ingest
RELAXED = {"CHAMPIONS_HUB_ENROL_IP_LIMIT": "100000", "CHAMPIONS_HUB_ENROL_GLOBAL_LIMIT": "100000"}


def serve_baseline(port: int) -> None:
    """An endpoint that only reads and parses the JSON body: the cost of HTTP + JSON alone."""
    import uvicorn

    app = FastAPI()

    @app.post("/v1/push")
    async def parse_only(request: Request) -> dict[str, int]:
        data = json.loads(await request.body())
        return {"changes": len(data["changes"])}

    @app.get("/ready")
    def ready() -> dict[str, bool]:
        return {"ready": True}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def make_batches(total: int, seed: int = 1) -> list[bytes]:
    """Realistic conversations; 1,000 distinct ones reused with fresh ids to keep setup quick."""
    gen = SampleGenerator(seed=seed)
    templates = [gen.conversation().model_dump(mode="json") for _ in range(min(total, BATCH))]
    batches = []
    for start in range(0, total, BATCH):
        changes = []
        for i in range(start, min(total, start + BATCH)):
            record = dict(templates[i % len(templates)], id=uuid7(), rev=1)
            changes.append({"kind": "conversation", "id": record["id"], "rev": 1, "base_rev": None, "record": record})
        batches.append(json.dumps({"batch_id": secrets.token_hex(8), "changes": changes}).encode())
    return batches


def post_all(session: requests.Session, base_url: str, batches: list[bytes], headers: dict[str, str]) -> float:
    started = time.perf_counter()
    for body in batches:
        reply = session.post(base_url + "/v1/push", data=body, headers={**headers, "Content-Type": "application/json"}, timeout=600)
        reply.raise_for_status()
    return time.perf_counter() - started


def _copy(table: sa.Table, meta: sa.MetaData, name: str) -> sa.Table:
    """A table with the same columns, keys, unique constraints, indexes and org foreign key."""
    columns = [sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable, autoincrement=c.autoincrement)
               for c in table.columns]
    copy = sa.Table(name, meta, *columns, sa.ForeignKeyConstraint(["org_id"], [orgs.c.id]))
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            copy.append_constraint(sa.UniqueConstraint(*[c.name for c in constraint.columns]))
    for index in table.indexes:
        sa.Index(f"raw_{index.name}", *[copy.c[c.name] for c in index.columns])
    return copy


class RawInsert:
    """The rows the hub would store for each batch, written with a bare executemany per table."""

    def __init__(self, url: str, org_id: str, batches: list[bytes]) -> None:
        self.engine = make_engine(url)
        self.meta = sa.MetaData()
        self.current = _copy(records, self.meta, "raw_records")
        self.history = _copy(record_revisions, self.meta, "raw_record_revisions")
        self.plain = sa.Table("raw_plain", self.meta, sa.Column("org_id", sa.String(64), primary_key=True),
                              sa.Column("id", sa.String(64), primary_key=True), sa.Column("rev", sa.Integer), sa.Column("body", sa.Text))
        self.meta.create_all(self.engine)
        now, seq = utcnow(), 0
        self.rows: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []
        for body in batches:
            current, history = [], []
            for c in json.loads(body)["changes"]:
                text = canonical(dict(c["record"], org_id=org_id, author_id="bench", device_id="bench"))
                digest = content_hash(text)
                seq += 1
                current.append(dict(org_id=org_id, id=c["id"], kind=c["kind"], rev=c["rev"], seq=seq, author_id="bench",
                                    device_id="bench", shared=False, deleted=False, body=text, content_hash=digest, updated_at=now))
                history.append(dict(org_id=org_id, record_id=c["id"], rev=c["rev"], kind=c["kind"], body=text, content_hash=digest,
                                    device_id="bench", person_id="bench", batch_id="raw", received_at=now))
            self.rows.append((current, history))

    def insert(self, start: int, stop: int) -> float:
        started = time.perf_counter()
        for current, history in self.rows[start:stop]:
            with write(self.engine) as conn:
                conn.execute(self.current.insert(), current)
                conn.execute(self.history.insert(), history)
        return time.perf_counter() - started

    def insert_plain(self, start: int, stop: int) -> float:
        started = time.perf_counter()
        for current, _ in self.rows[start:stop]:
            with write(self.engine) as conn:
                conn.execute(self.plain.insert(), [{k: r[k] for k in ("org_id", "id", "rev", "body")} for r in current])
        return time.perf_counter() - started

    def close(self) -> None:
        self.meta.drop_all(self.engine)
        self.engine.dispose()


def enrol_devices(hub: RunningHub, url: str, org_id: str, count: int) -> list[dict[str, str]]:
    engine = make_engine(url)
    codes = []
    with write(engine) as conn:
        for i in range(count):
            code, _, _ = accounts.create_invite(conn, org_id, role="champion", name=f"Champion {i}", source="bench")
            codes.append(code)
    engine.dispose()
    tokens = []
    with requests.Session() as session:
        for code in codes:
            reply = session.post(hub.url("/v1/enrol"), json={"code": code}, timeout=60)
            reply.raise_for_status()
            tokens.append({"Authorization": f"Bearer {reply.json()['token']}", p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)})
    return tokens


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def bench(backend: str, url: str, n_records: int, n_devices: int, per_device: int, folder: Path) -> dict[str, Any]:
    engine = make_engine(url)
    migrate(engine)
    with write(engine) as conn:
        org_id = accounts.create_org(conn, f"Bench {backend}", "bench")
    engine.dispose()
    batches = make_batches(n_records)
    loads = [make_batches(per_device, seed=100 + i)[0] for i in range(n_devices)]
    raw = RawInsert(url, org_id, batches)
    hub = start_hub(url, env=RELAXED, log=folder / f"hub-{backend}.log")
    port = free_port()
    baseline = subprocess.Popen([sys.executable, __file__, "--serve-baseline", str(port)])
    try:
        headers = enrol_devices(hub, url, org_id, n_devices + 1)
        for _ in range(300):
            try:
                requests.get(f"http://127.0.0.1:{port}/ready", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.1)
        parse_s = insert_s = plain_s = hub_s = 0.0
        rounds: list[float] = []
        with requests.Session() as to_baseline, requests.Session() as to_hub:
            for start in range(0, len(batches), ROUND):
                chunk = batches[start:start + ROUND]
                parse_s += post_all(to_baseline, f"http://127.0.0.1:{port}", chunk, {})
                insert_s += raw.insert(start, start + ROUND)
                plain_s += raw.insert_plain(start, start + ROUND)
                took = post_all(to_hub, hub.base_url, chunk, headers[0])
                hub_s += took
                rounds.append(took / len(chunk))

        # Concurrency: every device pushes its own 100 records at the same moment.
        answers: Counter[str] = Counter()
        lock = threading.Lock()

        def one(i: int) -> float:
            started = time.perf_counter()
            reply = requests.post(hub.url("/v1/push"), data=loads[i], headers={**headers[i + 1], "Content-Type": "application/json"},
                                  timeout=600)
            took = time.perf_counter() - started
            reply.raise_for_status()
            with lock:
                answers.update(r["status"] for r in reply.json()["results"])
            return took

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=n_devices) as pool:
            latencies = sorted(pool.map(one, range(n_devices)))
        wall = time.perf_counter() - started
    finally:
        baseline.terminate()
        baseline.wait(30)
        hub.stop()
        raw.close()
    engine = make_engine(url)
    with engine.connect() as conn:
        stored, distinct = conn.execute(sa.select(sa.func.count(), sa.func.count(sa.distinct(record_revisions.c.record_id)))
                                        .where(record_revisions.c.org_id == org_id, record_revisions.c.kind == "conversation")).one()
        current = conn.execute(sa.select(sa.func.count()).select_from(records)
                               .where(records.c.org_id == org_id, records.c.kind == "conversation")).scalar_one()
    engine.dispose()
    raw_s = parse_s + insert_s
    tenth = max(1, len(rounds) // 10)
    return {
        "parse_s": parse_s, "insert_s": insert_s, "plain_s": plain_s, "raw_s": raw_s, "hub_s": hub_s,
        "ratio": raw_s / hub_s, "plain_ratio": (parse_s + plain_s) / hub_s,
        "hub_rps": n_records / hub_s, "raw_rps": n_records / raw_s,
        "first_ms": statistics.mean(rounds[:tenth]) * 1000, "last_ms": statistics.mean(rounds[-tenth:]) * 1000,
        "conc_rps": n_devices * per_device / wall, "wall_s": wall,
        "p50_ms": statistics.median(latencies) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": latencies[-1] * 1000, "answers": dict(answers),
        "stored": stored, "distinct": distinct, "current": current, "expected": n_records + n_devices * per_device,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--per-device", type=int, default=100)
    parser.add_argument("--postgres", default=os.environ.get(PG_ENV), help="PostgreSQL server URL (a fresh database is made)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="run one backend")
    parser.add_argument("--serve-baseline", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_baseline:
        serve_baseline(args.serve_baseline)
        return 0
    backends = ["sqlite"] + (["postgresql"] if args.postgres else [])
    if args.only:
        backends = [args.only]
    if args.postgres:
        os.environ[PG_ENV] = args.postgres
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            with fresh_database(Path(tmp), backend) as url:
                r = bench(backend, url, args.records, args.devices, args.per_device, Path(tmp))
            sent = args.devices * args.per_device
            fine = r["stored"] == r["distinct"] == r["current"] == r["expected"] and r["answers"] == {"accepted": sent}
            ok &= fine and r["ratio"] >= 0.30
            print(f"{backend}: ingest {args.records:,} records in batches of {BATCH:,}: hub {r['hub_s']:.1f} s "
                  f"({r['hub_rps']:,.0f} records/s; {r['first_ms']:.0f} ms a batch in the first tenth, {r['last_ms']:.0f} ms in the last); "
                  f"raw baseline {r['raw_s']:.1f} s = parse-only endpoint {r['parse_s']:.1f} s + executemany into the hub's tables "
                  f"{r['insert_s']:.1f} s ({r['raw_rps']:,.0f} records/s); hub at {r['ratio']:.0%} of the baseline (target >= 30%); "
                  f"[against one bare table instead ({r['plain_s']:.1f} s): {r['plain_ratio']:.0%}]")
            print(f"{backend}: {args.devices} devices x {args.per_device} records at once: {r['wall_s']:.1f} s, {r['conc_rps']:,.0f} records/s, "
                  f"p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms; answers {r['answers']}; "
                  f"stored {r['stored']:,} revisions of {r['distinct']:,} records, {r['current']:,} current, expected {r['expected']:,}: "
                  f"{'nothing lost or duplicated' if fine else 'MISMATCH'}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
